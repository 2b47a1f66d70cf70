#include "hostonly.h"
#include "modules/modparse.h"
#include "readfile.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8	/* slaves of slaves: dm on md on disks */

struct walk {
	const char *alias;
	size_t alias_len;
	host_want_fn want;
	void *ctx;
	const char *sysfs;
	char top[PATH_MAX];	/* SYSFS/devices, resolved */
	char why[PATH_MAX + 600];	/* the device being matched */
	int found;
	int aliased;			/* devices with a modalias seen */
};

/* The next space-separated field of a mountinfo line, decoded (\040 is a space). */
static bool field(const char **p, const char *end, char *out, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (s < end && *s == ' ')
		s++;
	if (s >= end)
		return false;
	while (s < end && *s != ' ') {
		char c = *s++;

		if (c == '\\' && end - s >= 3 && s[0] >= '0' && s[0] <= '3' && s[1] >= '0' &&
		    s[1] <= '7' && s[2] >= '0' && s[2] <= '7') {
			c = (char)((s[0] - '0') << 6 | (s[1] - '0') << 3 | (s[2] - '0'));
			s += 3;
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	*p = s;
	return true;
}

/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
static int parse_line(const char *line, size_t n, char *mnt, size_t msize, struct host_root *r)
{
	const char *p = line, *end = line + n;
	char w[PATH_MAX];
	int i;

	for (i = 0; i < 5; i++) {
		if (!field(&p, end, i == 4 ? mnt : w, i == 4 ? msize : sizeof(w)))
			return -EINVAL;
		if (i == 2 && sscanf(w, "%u:%u", &r->major, &r->minor) != 2)
			return -EINVAL;
	}
	do {
		if (!field(&p, end, w, sizeof(w)))
			return -EINVAL;
	} while (strcmp(w, "-"));
	if (!field(&p, end, r->fstype, sizeof(r->fstype)) ||
	    !field(&p, end, r->source, sizeof(r->source)))
		return -EINVAL;
	return 0;
}

int mountinfo_root(const char *buf, size_t len, struct host_root *r)
{
	struct host_root cur;
	char mnt[PATH_MAX];
	const char *line;
	size_t pos = 0, n;
	int e = -ENOENT;

	while (text_line(buf, len, &pos, &line, &n)) {
		memset(&cur, 0, sizeof(cur));
		if (parse_line(line, n, mnt, sizeof(mnt), &cur) || strcmp(mnt, "/"))
			continue;
		*r = cur;	/* the last mount on / is the one in effect */
		e = 0;
	}
	return e;
}

static int want_match(const char *name, void *ctx)
{
	struct walk *w = ctx;

	w->found++;
	w->want(name, w->why, w->ctx);
	return 0;
}

/*
 * Every device from the bus down to dev (its parent's driver first, as
 * they load): its modalias, matched. cur is changed and restored.
 */
static void walk_down(struct walk *w, char *cur)
{
	size_t tl = strlen(w->top);
	char path[PATH_MAX + 16], ma[512], *slash;
	FILE *fp;

	if (strlen(cur) <= tl || strncmp(cur, w->top, tl) || cur[tl] != '/')
		return;
	slash = strrchr(cur, '/');
	*slash = '\0';
	walk_down(w, cur);
	*slash = '/';
	snprintf(path, sizeof(path), "%s/modalias", cur);
	fp = fopen(path, "r");
	if (fp && fgets(ma, sizeof(ma), fp)) {
		ma[strcspn(ma, "\n")] = '\0';
		w->aliased++;
		snprintf(w->why, sizeof(w->why), "%s at %s%s", ma, w->sysfs,
			 cur + tl - strlen("/devices"));
		if (ma[0])
			modalias_each(w->alias, w->alias_len, ma, want_match, w);
	}
	if (fp)
		fclose(fp);
}

/*
 * A disk with no bus above it (an NVMe multipath head lives under
 * /sys/devices/virtual/nvme-subsystem/nvme-subsysN, which links to its
 * controllers "nvme0"...): the real devices its ancestors link to.
 */
static void follow_links(struct walk *w, const char *dev)
{
	char cur[PATH_MAX], path[PATH_MAX + 300], real[PATH_MAX], virt[PATH_MAX + 16];
	size_t tl = strlen(w->top);
	struct dirent *de;
	char *slash;
	DIR *d;

	snprintf(virt, sizeof(virt), "%s/virtual/", w->top);
	snprintf(cur, sizeof(cur), "%s", dev);
	while (strlen(cur) > tl && (d = opendir(cur))) {
		while ((de = readdir(d))) {
			snprintf(path, sizeof(path), "%s/%s", cur, de->d_name);
			if (de->d_type != DT_LNK || !realpath(path, real) ||
			    strncmp(real, w->top, tl) || real[tl] != '/' ||
			    !strncmp(real, virt, strlen(virt)))
				continue;
			walk_down(w, real);
		}
		closedir(d);
		slash = strrchr(cur, '/');
		*slash = '\0';
	}
}

/* The first line of a small sysfs file, "" when absent. */
static void sys_line(const char *dev, const char *name, char *out, size_t size)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dev, name);
	out[0] = '\0';
	f = fopen(path, "re");
	if (f && fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	if (f)
		fclose(f);
}

/*
 * An LVM volume needs device-mapper (its linear and striped targets are
 * dm_mod's own); an md array the md driver and its level's personality.
 * A LUKS mapping's modules come with -L (tools/host-crypttab says so).
 */
static void want_stacked(struct walk *w, const char *dev)
{
	static const char *const levels[][2] = {
		{ "linear", "linear" }, { "raid0", "raid0" }, { "raid1", "raid1" },
		{ "raid10", "raid10" }, { "raid4", "raid456" }, { "raid5", "raid456" },
		{ "raid6", "raid456" },
	};
	char v[160];
	size_t i;

	snprintf(w->why, sizeof(w->why), "%s", dev);
	sys_line(dev, "dm/uuid", v, sizeof(v));
	if (!strncmp(v, "LVM-", 4))
		want_match("dm_mod", w);
	sys_line(dev, "md/level", v, sizeof(v));
	if (!v[0])
		return;
	want_match("md_mod", w);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(v, levels[i][0]))
			want_match(levels[i][1], w);
}

/* A device-mapper or md device: the disks under it (slaves/) too. */
static void walk_device(struct walk *w, const char *dev, int depth)
{
	char path[PATH_MAX + 16], real[PATH_MAX];
	struct dirent *de;
	int before;
	DIR *d;

	before = w->aliased;
	snprintf(path, sizeof(path), "%s/slaves", dev);
	d = depth < MAX_DEPTH ? opendir(path) : NULL;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/slaves/%s", dev, de->d_name);
		if (realpath(path, real))
			walk_device(w, real, depth + 1);
	}
	if (d)
		closedir(d);
	want_stacked(w, dev);
	snprintf(path, sizeof(path), "%s", dev);
	walk_down(w, path);
	if (w->aliased == before)
		follow_links(w, dev);
}

/*
 * An NFS root: the network interfaces' drivers (every interface with a
 * device under it; lo and bridges have none), and the NFS version's own
 * module, which nfs.ko asks for by name (the kernel's get_nfs_version()).
 */
static int walk_nics(struct walk *w, const struct host_root *r)
{
	char path[PATH_MAX + 300], real[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/class/net", w->sysfs);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "handoff-modules: MODULES=host: / is %s from %s, and %s cannot be read: %s: name the network driver instead (MODULES=host,NAME)\n",
			r->fstype, r->source, path, strerror(errno));
		return -ENODEV;
	}
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/class/net/%s/device", w->sysfs, de->d_name);
		if (de->d_name[0] != '.' && realpath(path, real)) {
			fprintf(stderr, "handoff-modules: MODULES=host: / is %s from %s: interface %s at %s%s\n",
				r->fstype, r->source, de->d_name, w->sysfs,
				real + strlen(w->top) - strlen("/devices"));
			walk_down(w, real);
		}
	}
	closedir(d);
	if (!w->aliased) {
		fprintf(stderr, "handoff-modules: MODULES=host: / is %s from %s, and no network interface has a device with a modalias: name its driver instead (MODULES=host,NAME)\n",
			r->fstype, r->source);
		return -ENODEV;
	}
	snprintf(w->why, sizeof(w->why), "%s", r->source);
	want_match(strcmp(r->fstype, "nfs4") ? "nfsv3" : "nfsv4", w);
	return 0;
}

/* The root's block device in sysfs (resolved), from its number or its source. */
static int root_device(const char *sysfs, const struct host_root *r, char *dev)
{
	char link[PATH_MAX + 64], real[PATH_MAX];
	const char *name;

	if (r->major) {
		snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs, r->major, r->minor);
	} else if (!strncmp(r->source, "/dev/", 5)) {
		/* btrfs reports an anonymous 0:N: the source names the disk. */
		name = realpath(r->source, real) ? real : r->source;
		snprintf(link, sizeof(link), "%s/class/block/%s", sysfs, strrchr(name, '/') + 1);
	} else {
		fprintf(stderr, "handoff-modules: MODULES=host: / is %s from %s, not on a block device: there is no disk driver to find; name the modules instead (MODULES=virtio_pci,virtio_blk,...)\n",
			r->fstype, r->source);
		return -ENODEV;
	}
	if (!realpath(link, dev)) {
		int e = -errno;

		fprintf(stderr, "handoff-modules: MODULES=host: / is %s (%u:%u), but %s: %s: name the modules instead (MODULES=...)\n",
			r->source, r->major, r->minor, link, strerror(-e));
		return e;
	}
	return 0;
}

int host_root_modules(const char *sysfs, const char *mountinfo, const char *alias,
		      size_t alias_len, host_want_fn want, void *ctx)
{
	struct walk w = { .alias = alias, .alias_len = alias_len, .want = want, .ctx = ctx,
			  .sysfs = sysfs };
	char dev[PATH_MAX], top[PATH_MAX + 16];
	struct host_root r;
	size_t len;
	char *buf;
	int e;

	e = read_all(mountinfo, &buf, &len);
	if (e) {
		fprintf(stderr, "handoff-modules: MODULES=host: cannot read %s: %s\n", mountinfo,
			strerror(-e));
		return e;
	}
	e = mountinfo_root(buf, len, &r);
	free(buf);
	if (e) {
		fprintf(stderr, "handoff-modules: MODULES=host: %s has no mount on /: name the modules instead (MODULES=...)\n",
			mountinfo);
		return e;
	}
	snprintf(top, sizeof(top), "%s/devices", sysfs);
	if (!realpath(top, w.top)) {
		e = -errno;
		fprintf(stderr, "handoff-modules: MODULES=host: cannot read %s: %s\n", top,
			strerror(-e));
		return e;
	}
	if (!strcmp(r.fstype, "nfs") || !strcmp(r.fstype, "nfs4")) {
		e = walk_nics(&w, &r);
		if (e)
			return e;
	} else {
		e = root_device(sysfs, &r, dev);
		if (e)
			return e;
		fprintf(stderr, "handoff-modules: MODULES=host: / is %s (%u:%u, %s) at %s%s\n",
			r.source, r.major, r.minor, r.fstype, sysfs,
			dev + strlen(w.top) - strlen("/devices"));
		walk_device(&w, dev, 0);
	}
	if (!w.aliased) {
		fprintf(stderr, "handoff-modules: MODULES=host: no device on the sysfs path of /'s disk has a modalias: cannot tell its drivers; name them instead (MODULES=host,NAME,...)\n");
		return -ENODEV;
	}
	if (!w.found)
		fprintf(stderr, "handoff-modules: MODULES=host: no module matches the devices of /'s disk: the kernel has their drivers built in\n");
	snprintf(w.why, sizeof(w.why), "fs-%s", r.fstype);
	w.found = 0;
	modalias_each(alias, alias_len, w.why, want_match, &w);
	if (!w.found)
		fprintf(stderr, "handoff-modules: MODULES=host: no module has the alias fs-%s: %s is built into the kernel (or not a module)\n",
			r.fstype, r.fstype);
	return 0;
}
