#include "plan/crypttab.h"
#include "base/util.h"
#include "plan/fstab.h"

#include <errno.h>
#include <string.h>

/*
 * Whether the option of length n at o is name; name= and name- match
 * name=VALUE and name-MORE.
 */
static bool opt_is(const char *o, size_t n, const char *name)
{
	size_t len = strlen(name);

	if (name[len - 1] == '=' || name[len - 1] == '-')
		return n >= len && !strncmp(o, name, len);
	return n == len && !strncmp(o, name, n);
}

static bool digits(const char *s, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n && n <= max;
}

int crypttab_options_check(const char *opts, const char **why)
{
	static const struct {
		const char *name, *why;
	} refused[] = {
		{ "plain", "plain dm-crypt is not supported: only LUKS1 and LUKS2 containers" },
		{ "tcrypt", "TrueCrypt and VeraCrypt are not supported: only LUKS1 and LUKS2" },
		{ "tcrypt-", "TrueCrypt and VeraCrypt are not supported: only LUKS1 and LUKS2" },
		{ "bitlk", "BitLocker is not supported: only LUKS1 and LUKS2 containers" },
		{ "swap", "option swap formats the device: not done by the init" },
		{ "tmp", "option tmp formats the device: not done by the init" },
		{ "tmp=", "option tmp formats the device: not done by the init" },
	};
	size_t i, n;

	for (; *opts; opts += n + (opts[n] == ',')) {
		n = strcspn(opts, ",");
		for (i = 0; i < ARRAY_SIZE(refused); i++) {
			if (opt_is(opts, n, refused[i].name)) {
				*why = refused[i].why;
				return -EINVAL;
			}
		}
		if (opt_is(opts, n, "tries=") && !digits(opts + 6, n - 6, 4)) {
			*why = "option tries= wants a number (0: ask until right)";
			return -EINVAL;
		}
		if ((opt_is(opts, n, "keyfile-size=") && !digits(opts + 13, n - 13, 9)) ||
		    (opt_is(opts, n, "keyfile-offset=") && !digits(opts + 15, n - 15, 18))) {
			*why = "options keyfile-size= and keyfile-offset= want a number of bytes";
			return -EINVAL;
		}
		if (opt_is(opts, n, "keyfile-timeout=") && n == 16) {
			*why = "option keyfile-timeout= has no value";
			return -EINVAL;
		}
		/* A detached header: /PATH in the image, /dev/..., or /PATH:DEVICE (its wait checks DEVICE). */
		if (opt_is(opts, n, "header=") && (opts[7] != '/' || n < 9 || n > 7 + 127)) {
			*why = "option header= wants /PATH (in the image), /dev/... or /PATH:DEVICE (127 characters at most)";
			return -EINVAL;
		}
	}
	return 0;
}

static int copy_field(char *dst, const char *src, size_t size, const char **why, const char *too_long)
{
	if (str_copy(dst, src, size)) {
		*why = too_long;
		return -EINVAL;
	}
	return 0;
}

/* SOURCE and a key file's DEVICE: what root= takes, a block device. */
static bool device_ok(const char *s)
{
	struct root_spec r;
	const char *ignored;

	if (rootspec_parse(s, &r, &ignored))
		return false;
	return rootspec_is_block(r.kind);
}

static bool name_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '/')
			return false;
	return *s && strcmp(s, ".") && strcmp(s, "..");
}

static int parse_key(char *key, struct assembly *a, const char **why)
{
	char *dev;

	if (!strcmp(key, "-") || !strcmp(key, "none"))
		return 0;
	dev = strchr(key, ':');
	if (dev) {
		*dev++ = '\0';
		if (!device_ok(dev)) {
			*why = "KEYFILE's device (after ':') is not a block device as root= names one";
			return -EINVAL;
		}
		if (copy_field(a->keydev, dev, sizeof(a->keydev), why,
			       "KEYFILE's device is too long (127 characters at most)"))
			return -EINVAL;
	}
	if (key[0] != '/') {
		*why = "KEYFILE is not an absolute path, \"-\" or \"none\"";
		return -EINVAL;
	}
	return copy_field(a->key, key, sizeof(a->key), why,
			  "KEYFILE is too long (127 characters at most)");
}

/* One line's entry: 1, 0 for none (blank, comment, noauto), or -EINVAL. */
static int parse_line(char *text, struct assembly *a, const char **why)
{
	char *f[5];
	int n = str_fields(text, f, 5);

	if (!n)
		return 0;
	*a = (struct assembly){ .kind = ASSEMBLE_LUKS, .param = "crypttab" };
	if (n < 2) {
		*why = "no SOURCE after NAME";
		return -EINVAL;
	}
	if (n > 4) {
		*why = "more than four fields (NAME SOURCE KEYFILE OPTIONS; a blank inside OPTIONS?)";
		return -EINVAL;
	}
	/* A label or a path may hold a blank (\040); a name or an option may not. */
	for (int i = 1; i < n && i < 3; i++)
		str_unescape_octal(f[i]);
	if (!name_ok(f[0])) {
		*why = "NAME is not a plain name for /dev/mapper/NAME";
		return -EINVAL;
	}
	if (copy_field(a->name, f[0], sizeof(a->name), why,
		       "NAME is too long (63 characters at most)") ||
	    copy_field(a->source, f[1], sizeof(a->source), why,
		       "SOURCE is too long (127 characters at most)"))
		return -EINVAL;
	if (!device_ok(a->source)) {
		*why = "SOURCE is not a block device as root= names one (UUID=, PARTUUID=, LABEL=, /dev/...)";
		return -EINVAL;
	}
	if (n > 2 && parse_key(f[2], a, why))
		return -EINVAL;
	if (n > 3) {
		if (copy_field(a->options, f[3], sizeof(a->options), why,
			       "OPTIONS is too long (255 characters at most)") ||
		    crypttab_options_check(a->options, why))
			return -EINVAL;
		/* Not unlocked at boot: systemd's meaning of noauto. */
		if (fstab_has_option(a->options, "noauto"))
			return 0;
	}
	return 1;
}

int crypttab_next(char **cursor, int *line, struct assembly *a, const char **why)
{
	char *text, *next;
	int r;

	for (text = *cursor; *text; text = next) {
		next = text + strcspn(text, "\n");
		if (*next)
			*next++ = '\0';
		*cursor = next;
		++*line;
		r = parse_line(text, a, why);
		if (r)
			return r;
	}
	*cursor = text;
	return 0;
}
