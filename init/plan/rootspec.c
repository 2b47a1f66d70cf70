#include "plan/rootspec.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

/* The kernel keeps dev_t as 12-bit major, 20-bit minor. */
#define MAJOR_MAX 0xfffU
#define MINOR_MAX 0xfffffU

static int set_value(struct root_spec *r, const char *v, const char **why)
{
	if (!*v) {
		*why = "the value is empty";
		return -EINVAL;
	}
	if (str_copy(r->value, v, sizeof(r->value))) {
		*why = "the value is too long";
		return -EINVAL;
	}
	return 0;
}

/* udev writes unsafe bytes in by-label names as \xNN; undo that. */
static int unescape_udev(char *s)
{
	char *in = s, *out = s;
	unsigned long v;
	char hex[3];

	while (*in) {
		if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			hex[0] = in[2];
			hex[1] = in[3];
			hex[2] = '\0';
			if (parse_ulong(hex, 16, &v) || !v)
				return -EINVAL;
			*out++ = (char)v;
			in += 4;
			continue;
		}
		*out++ = *in++;
	}
	*out = '\0';
	return 0;
}

static int parse_partuuid(const char *v, struct root_spec *r, const char **why)
{
	const char *slash = strchr(v, '/');
	long off;

	if (set_value(r, v, why))
		return -EINVAL;
	if (!slash)
		return 0;
	r->value[slash - v] = '\0';
	if (!str_starts(slash, "/PARTNROFF=") ||
	    parse_long(slash + 11, -65536, 65536, &off)) {
		*why = "expected PARTUUID=UUID/PARTNROFF=N with N a whole number";
		return -EINVAL;
	}
	r->has_partnroff = true;
	r->partnroff = (int)off;
	if (!r->value[0]) {
		*why = "the PARTUUID is empty";
		return -EINVAL;
	}
	return 0;
}

static const struct {
	const char *prefix;
	enum root_kind kind;
} identity_forms[] = {
	{ "UUID=", ROOT_UUID },
	{ "LABEL=", ROOT_LABEL },
	{ "PARTUUID=", ROOT_PARTUUID },
	{ "PARTLABEL=", ROOT_PARTLABEL },
	{ "/dev/disk/by-uuid/", ROOT_UUID },
	{ "/dev/disk/by-label/", ROOT_LABEL },
	{ "/dev/disk/by-partuuid/", ROOT_PARTUUID },
	{ "/dev/disk/by-partlabel/", ROOT_PARTLABEL },
};

static int parse_identity(const char *s, struct root_spec *r, const char **why)
{
	const char *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(identity_forms); i++) {
		if (!str_starts(s, identity_forms[i].prefix))
			continue;
		v = s + strlen(identity_forms[i].prefix);
		r->kind = identity_forms[i].kind;
		if (r->kind == ROOT_PARTUUID)
			return parse_partuuid(v, r, why);
		if (set_value(r, v, why))
			return -EINVAL;
		if (s[0] == '/' && unescape_udev(r->value)) {
			*why = "bad \\x escape in the /dev/disk path";
			return -EINVAL;
		}
		return 0;
	}
	return -ENOENT;
}

/* MAJ:MIN, with an optional third field the kernel ignores. */
static int parse_majmin(const char *s, struct root_spec *r)
{
	char buf[32], *min, *extra;
	unsigned long maj, mn, ign;

	if (str_copy(buf, s, sizeof(buf)))
		return -EINVAL;
	min = strchr(buf, ':');
	if (!min)
		return -ENOENT;
	*min++ = '\0';
	extra = strchr(min, ':');
	if (extra) {
		*extra++ = '\0';
		if (parse_ulong(extra, 10, &ign))
			return -EINVAL;
	}
	if (parse_ulong(buf, 10, &maj) || parse_ulong(min, 10, &mn))
		return -EINVAL;
	if (maj > MAJOR_MAX || mn > MINOR_MAX)
		return -ERANGE;
	r->major = (unsigned int)maj;
	r->minor = (unsigned int)mn;
	return 0;
}

/* Whole-string hex, decoded like the kernel's new_decode_dev(). */
static int parse_hexdev(const char *s, struct root_spec *r)
{
	unsigned long v;

	if (parse_ulong(s, 16, &v) || v > 0xffffffffUL)
		return -EINVAL;
	r->major = (unsigned int)((v & 0xfff00) >> 8);
	r->minor = (unsigned int)((v & 0xff) | ((v >> 12) & 0xfff00));
	return 0;
}

static int parse_devnum(const char *s, struct root_spec *r, const char **why)
{
	int e;

	r->kind = ROOT_DEVNUM;
	(void)set_value(r, s, why);
	e = parse_majmin(s, r);
	if (e == -ENOENT)
		e = parse_hexdev(s, r);
	if (!e && r->major == 0 && r->minor == 0)
		e = -EINVAL;
	if (e) {
		*why = "not a device: use /dev/NAME, MAJ:MIN, hex, UUID=, LABEL=, PARTUUID= or PARTLABEL=";
		return -EINVAL;
	}
	return 0;
}

/*
 * The roots that are no block device, by the prefix the kernel or dracut
 * gives them; /dev/mtdblockN and /dev/ubiblockN_M are block devices.
 */
static const struct {
	const char *prefix;
	enum root_kind kind;
} special_forms[] = {
	{ "/dev/nfs", ROOT_NFS }, { "nfs:", ROOT_NFS }, { "nfs4:", ROOT_NFS },
	{ "virtiofs:", ROOT_VIRTIOFS }, { "/dev/ram", ROOT_UNSUPPORTED },
	{ "/dev/ubiblock", ROOT_DEVNAME }, { "/dev/mtdblock", ROOT_DEVNAME },
	{ "/dev/ubi", ROOT_UBI }, { "ubi", ROOT_UBI },
	{ "/dev/mtd", ROOT_MTD }, { "mtd", ROOT_MTD },
};

/* Returns -ENOENT when s is none of them. */
static int parse_special(const char *s, struct root_spec *r, const char **why)
{
	const char *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(special_forms); i++) {
		if (!str_starts(s, special_forms[i].prefix))
			continue;
		r->kind = special_forms[i].kind;
		/* A block device's name, or /dev/nfsX: not special after all. */
		if (r->kind == ROOT_DEVNAME || (!strcmp(special_forms[i].prefix, "/dev/nfs") && s[8]))
			return -ENOENT;
		v = str_starts(s, "/dev/") ? s + 5 : s;
		if (r->kind == ROOT_VIRTIOFS)
			v = s + 9;
		return set_value(r, v, why);
	}
	return -ENOENT;
}

bool rootspec_hostdir(const char *tag, const char *fstype, struct root_spec *r)
{
	const char *why;

	if (!fstype || !tag || (strcmp(fstype, "virtiofs") && strcmp(fstype, "9p")))
		return false;
	memset(r, 0, sizeof(*r));
	r->kind = fstype[0] == 'v' ? ROOT_VIRTIOFS : ROOT_9P;
	return !set_value(r, str_starts(tag, "virtiofs:") ? tag + 9 : tag, &why);
}

bool rootspec_is_block(enum root_kind k)
{
	return k >= ROOT_DEVNAME && k <= ROOT_PARTLABEL;
}

int rootspec_parse(const char *s, struct root_spec *r, const char **why)
{
	int e;

	memset(r, 0, sizeof(*r));
	*why = "";
	if (!s || !*s) {
		*why = "root= is missing";
		return -EINVAL;
	}
	if (!strcmp(s, "tmpfs") || !strcmp(s, "gpt-auto")) {
		r->kind = s[0] == 't' ? ROOT_TMPFS : ROOT_GPT_AUTO;
		return set_value(r, s, why);
	}
	e = parse_identity(s, r, why);
	if (e != -ENOENT)
		return e;
	e = parse_special(s, r, why);
	if (e != -ENOENT)
		return e;
	if (!str_starts(s, "/dev/"))
		return parse_devnum(s, r, why);
	r->kind = ROOT_DEVNAME;
	if (set_value(r, s + 5, why))
		return -EINVAL;
	if (str_find(r->value, "..")) {
		*why = "the device name must not contain \"..\"";
		return -EINVAL;
	}
	return 0;
}

const char *rootspec_kind_name(enum root_kind k)
{
	static const char *const names[] = {
		[ROOT_NONE] = "none", [ROOT_DEVNAME] = "device name",
		[ROOT_DEVNUM] = "device number", [ROOT_UUID] = "UUID",
		[ROOT_LABEL] = "LABEL", [ROOT_PARTUUID] = "PARTUUID",
		[ROOT_PARTLABEL] = "PARTLABEL", [ROOT_UNSUPPORTED] = "unsupported",
		[ROOT_TMPFS] = "tmpfs", [ROOT_GPT_AUTO] = "GPT auto-discovery",
		[ROOT_NFS] = "NFS", [ROOT_VIRTIOFS] = "virtiofs", [ROOT_9P] = "9p",
		[ROOT_UBI] = "UBI volume", [ROOT_MTD] = "MTD device",
	};

	return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "?";
}
