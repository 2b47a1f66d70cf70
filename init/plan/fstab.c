#include "plan/fstab.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

int fstab_find(char *text, const char *dir, struct fstab_entry *e)
{
	char *line, *next, *f[4];
	int found = -ENOENT, n;

	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		n = str_fields(line, f, 4);
		if (n < 2)
			continue;
		str_unescape_octal(f[1]);
		if (strcmp(f[1], dir))
			continue;
		str_unescape_octal(f[0]);
		*e = (struct fstab_entry){ f[0], f[1], n > 2 ? f[2] : "auto",
					   n > 3 ? f[3] : "defaults" };
		found = 0;
	}
	return found;
}

/* The length of the option at o (up to a comma or the end). */
static size_t opt_len(const char *o)
{
	return strcspn(o, ",");
}

static bool opt_is(const char *o, size_t n, const char *name)
{
	return strlen(name) == n && !strncmp(o, name, n);
}

bool fstab_has_option(const char *opts, const char *name)
{
	size_t n;

	for (; *opts; opts += n + (opts[n] == ',')) {
		n = opt_len(opts);
		if (opt_is(opts, n, name))
			return true;
	}
	return false;
}

/* Options only mount(8) and systemd read: the kernel would refuse them. */
static bool userspace_only(const char *o, size_t n)
{
	static const char *const names[] = { "defaults", "auto", "noauto", "nofail", "user",
					     "users", "nouser", "owner", "group", "_netdev" };
	size_t i;

	if (str_starts(o, "x-") || str_starts(o, "comment="))
		return true;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (opt_is(o, n, names[i]))
			return true;
	return false;
}

int fstab_kernel_options(const char *opts, char *out, size_t size)
{
	size_t n, len = 0;

	if (!size)
		return -E2BIG;
	out[0] = '\0';
	for (; *opts; opts += n + (opts[n] == ',')) {
		n = opt_len(opts);
		if (!n || userspace_only(opts, n))
			continue;
		if (len + !!len + n >= size)
			return -E2BIG;
		if (len)
			out[len++] = ',';
		memcpy(out + len, opts, n);
		len += n;
		out[len] = '\0';
	}
	return 0;
}
