#include "plan/mountopts.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

static const struct {
	const char *name;
	unsigned long set, clear;
} flag_opts[] = {
	{ "defaults", 0, 0 },
	{ "ro", MS_RDONLY, 0 },
	{ "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },
	{ "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME },
	{ "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME },
	{ "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME },
	{ "lazytime", MS_LAZYTIME, 0 },
	{ "nolazytime", 0, MS_LAZYTIME },
	{ "silent", MS_SILENT, 0 },
	{ "loud", 0, MS_SILENT },
};

static int apply_flag(const char *opt, size_t len, struct mount_opts *o)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_opts); i++) {
		if (strlen(flag_opts[i].name) != len ||
		    strncmp(flag_opts[i].name, opt, len))
			continue;
		o->flags &= ~flag_opts[i].clear;
		o->flags |= flag_opts[i].set;
		return 0;
	}
	return -ENOENT;
}

static int add_data(const char *opt, size_t len, struct mount_opts *o)
{
	size_t used = strlen(o->data);
	size_t need = used + (used ? 1 : 0) + len;

	if (need >= sizeof(o->data))
		return -E2BIG;
	if (used)
		o->data[used++] = ',';
	memcpy(o->data + used, opt, len);
	o->data[used + len] = '\0';
	return 0;
}

int mountopts_parse(const char *s, struct mount_opts *o)
{
	const char *end;
	size_t len;

	o->data[0] = '\0';
	while (s && *s) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		if (len && apply_flag(s, len, o) && add_data(s, len, o))
			return -E2BIG;
		s = end ? end + 1 : NULL;
	}
	return 0;
}
