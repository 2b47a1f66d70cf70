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
	const struct host_cb *cb;
	enum host_kind kind;		/* what the devices walked are for */
	const char *subject;		/* the keyboard's name */
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
	struct host_found f = { w->kind, w->subject, w->why };

	w->found++;
	if (w->cb->want)
		w->cb->want(name, &f, w->cb->ctx);
	return 0;
}

/*
 * The driver bound to dev here, if any, and its module: driver/module
 * links to it (a driver built in has none, unless it has parameters).
 */
static void note_bound(struct walk *w, const char *dev, const char *shown)
{
	char path[PATH_MAX + 16], drv[PATH_MAX], mod[PATH_MAX];
	struct host_found f = { w->kind, w->subject, shown };

	if (!w->cb->bound)
		return;
	snprintf(path, sizeof(path), "%s/driver", dev);
	if (!realpath(path, drv))
		return;
	snprintf(path, sizeof(path), "%s/driver/module", dev);
	w->cb->bound(realpath(path, mod) ? strrchr(mod, '/') + 1 : NULL, strrchr(drv, '/') + 1,
		     &f, w->cb->ctx);
}

/*
 * Every device from the bus down to dev (its parent's driver first, as
 * they load): its modalias, matched. cur is changed and restored.
 */
static void walk_down(struct walk *w, char *cur)
{
	size_t tl = strlen(w->top);
	char path[PATH_MAX + 16], ma[512], shown[PATH_MAX + 16], *slash;
	FILE *fp;

	if (strlen(cur) <= tl || strncmp(cur, w->top, tl) || cur[tl] != '/')
		return;
	slash = strrchr(cur, '/');
	*slash = '\0';
	walk_down(w, cur);
	*slash = '/';
	snprintf(shown, sizeof(shown), "%s%s", w->sysfs, cur + tl - strlen("/devices"));
	note_bound(w, cur, shown);
	snprintf(path, sizeof(path), "%s/modalias", cur);
	fp = fopen(path, "r");
	if (fp && fgets(ma, sizeof(ma), fp)) {
		ma[strcspn(ma, "\n")] = '\0';
		w->aliased++;
		snprintf(w->why, sizeof(w->why), "%s at %s", ma, shown);
		if (ma[0] && w->cb->want)
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

	w->kind = HOST_ROOT_STACK;
	snprintf(w->why, sizeof(w->why), "%s", dev);
	sys_line(dev, "dm/uuid", v, sizeof(v));
	if (!strncmp(v, "LVM-", 4))
		want_match("dm_mod", w);
	sys_line(dev, "md/level", v, sizeof(v));
	if (v[0])
		want_match("md_mod", w);
	for (i = 0; v[0] && i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strcmp(v, levels[i][0]))
			want_match(levels[i][1], w);
	w->kind = HOST_ROOT_DEVICE;
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
		fprintf(stderr, "handoff-modules: %s: / is %s from %s, and %s cannot be read: %s: name the network driver instead (MODULES=host,NAME)\n",
			w->cb->tag, r->fstype, r->source, path, strerror(errno));
		return -ENODEV;
	}
	w->kind = HOST_ROOT_NIC;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/class/net/%s/device", w->sysfs, de->d_name);
		if (de->d_name[0] != '.' && realpath(path, real)) {
			fprintf(stderr, "handoff-modules: %s: / is %s from %s: interface %s at %s%s\n",
				w->cb->tag, r->fstype, r->source, de->d_name, w->sysfs,
				real + strlen(w->top) - strlen("/devices"));
			walk_down(w, real);
		}
	}
	closedir(d);
	if (!w->aliased) {
		fprintf(stderr, "handoff-modules: %s: / is %s from %s, and no network interface has a device with a modalias: name its driver instead (MODULES=host,NAME)\n",
			w->cb->tag, r->fstype, r->source);
		return -ENODEV;
	}
	w->kind = HOST_ROOT_NFS;
	snprintf(w->why, sizeof(w->why), "%s", r->source);
	want_match(strcmp(r->fstype, "nfs4") ? "nfsv3" : "nfsv4", w);
	return 0;
}

/* The root's block device in sysfs (resolved), from its number or its source. */
static int root_device(const char *sysfs, const char *tag, const struct host_root *r, char *dev)
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
		fprintf(stderr, "handoff-modules: %s: / is %s from %s, not on a block device: there is no disk driver to find; name the modules instead (MODULES=virtio_pci,virtio_blk,...)\n",
			tag, r->fstype, r->source);
		return -ENODEV;
	}
	if (!realpath(link, dev)) {
		int e = -errno;

		fprintf(stderr, "handoff-modules: %s: / is %s (%u:%u), but %s: %s: name the modules instead (MODULES=...)\n",
			tag, r->source, r->major, r->minor, link, strerror(-e));
		return e;
	}
	return 0;
}

/* SYSFS/devices, resolved, as the top of every walk. */
static int walk_top(struct walk *w)
{
	char top[PATH_MAX + 16];
	int e;

	snprintf(top, sizeof(top), "%s/devices", w->sysfs);
	if (realpath(top, w->top))
		return 0;
	e = -errno;
	fprintf(stderr, "handoff-modules: %s: cannot read %s: %s\n", w->cb->tag, top, strerror(-e));
	return e;
}

/* What the mount table says of /, into *r. */
static int read_root(const char *mountinfo, const char *tag, struct host_root *r)
{
	size_t len;
	char *buf;
	int e;

	e = read_all(mountinfo, &buf, &len);
	if (e) {
		fprintf(stderr, "handoff-modules: %s: cannot read %s: %s\n", tag, mountinfo,
			strerror(-e));
		return e;
	}
	e = mountinfo_root(buf, len, r);
	free(buf);
	if (e)
		fprintf(stderr, "handoff-modules: %s: %s has no mount on /: name the modules instead (MODULES=...)\n",
			tag, mountinfo);
	return e;
}

int host_root_modules(const char *sysfs, const char *mountinfo, const char *alias,
		      size_t alias_len, const struct host_cb *cb, struct host_root *root)
{
	struct walk w = { .alias = alias, .alias_len = alias_len, .cb = cb, .sysfs = sysfs };
	char dev[PATH_MAX];
	struct host_root r;
	int e;

	e = read_root(mountinfo, cb->tag, &r);
	if (e)
		return e;
	*root = r;
	e = walk_top(&w);
	if (e)
		return e;
	if (!strcmp(r.fstype, "nfs") || !strcmp(r.fstype, "nfs4")) {
		e = walk_nics(&w, &r);
		if (e)
			return e;
	} else {
		e = root_device(sysfs, cb->tag, &r, dev);
		if (e)
			return e;
		fprintf(stderr, "handoff-modules: %s: / is %s (%u:%u, %s) at %s%s\n", cb->tag,
			r.source, r.major, r.minor, r.fstype, sysfs,
			dev + strlen(w.top) - strlen("/devices"));
		walk_device(&w, dev, 0);
	}
	if (!w.aliased) {
		fprintf(stderr, "handoff-modules: %s: no device on the sysfs path of /'s disk has a modalias: cannot tell its drivers; name them instead (MODULES=host,NAME,...)\n",
			cb->tag);
		return -ENODEV;
	}
	if (!cb->want)
		return 0;
	if (!w.found)
		fprintf(stderr, "handoff-modules: %s: no module matches the devices of /'s disk: the kernel has their drivers built in\n",
			cb->tag);
	w.kind = HOST_ROOT_FS;
	snprintf(w.why, sizeof(w.why), "fs-%s", r.fstype);
	w.found = 0;
	modalias_each(alias, alias_len, w.why, want_match, &w);
	if (!w.found)
		fprintf(stderr, "handoff-modules: %s: no module has the alias fs-%s: %s is built into the kernel (or not a module)\n",
			cb->tag, r.fstype, r.fstype);
	return 0;
}

/* The bit of a capabilities text (see input_is_keyboard()). */
static bool cap_bit(const char *text, unsigned int word_bits, unsigned int bit)
{
	const char *end = text + strlen(text), *s;
	unsigned int word = bit / word_bits, i;
	unsigned long long v;
	char digits[17];
	size_t n;

	/* the words from the last (bits 0 up), back to the one wanted */
	for (i = 0;; i++) {
		while (end > text && (end[-1] == ' ' || end[-1] == '\n'))
			end--;
		for (s = end; s > text && s[-1] != ' '; s--)
			;
		if (s == end)
			return false;
		if (i == word)
			break;
		end = s;
	}
	n = (size_t)(end - s);
	if (n >= sizeof(digits))
		return false;
	memcpy(digits, s, n);
	digits[n] = '\0';
	v = strtoull(digits, NULL, 16);
	return v >> (bit % word_bits) & 1;
}

bool input_is_keyboard(const char *ev, const char *key, unsigned int word_bits)
{
	/* KEY_Q..KEY_P, KEY_ENTER, KEY_A..KEY_L, KEY_Z..KEY_M (<linux/input-event-codes.h>) */
	static const unsigned char keys[][2] = { { 16, 25 }, { 28, 28 }, { 30, 38 }, { 44, 50 } };
	const char *s;
	size_t i;
	unsigned int k;

	for (s = key; *s; s += strcspn(s, " \n"), s += strspn(s, " \n"))
		if (strcspn(s, " \n") > 8)
			word_bits = 64;
	if (word_bits != 32 && word_bits != 64)
		return false;
	if (!cap_bit(ev, word_bits, 1))	/* EV_KEY */
		return false;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		for (k = keys[i][0]; k <= keys[i][1]; k++)
			if (!cap_bit(key, word_bits, k))
				return false;
	return true;
}

/* One input device of SYSFS/class/input: when a keyboard, its drivers. */
static bool walk_keyboard(struct walk *w, const char *entry)
{
	char path[PATH_MAX + 300], dev[PATH_MAX], ev[64], key[1024], name[256];
	int before = w->found;

	snprintf(path, sizeof(path), "%s/class/input/%s", w->sysfs, entry);
	if (strncmp(entry, "input", 5) || !realpath(path, dev))
		return false;
	sys_line(dev, "capabilities/ev", ev, sizeof(ev));
	sys_line(dev, "capabilities/key", key, sizeof(key));
	if (!input_is_keyboard(ev, key, (unsigned int)sizeof(long) * CHAR_BIT))
		return false;
	sys_line(dev, "name", name, sizeof(name));
	w->subject = name[0] ? name : entry;
	fprintf(stderr, "handoff-modules: %s: a keyboard, %s, at %s%s\n", w->cb->tag, w->subject,
		w->sysfs, dev + strlen(w->top) - strlen("/devices"));
	/* its parent: the input device's own "drivers" are handlers (evdev), not needed */
	*strrchr(dev, '/') = '\0';
	walk_down(w, dev);
	if (w->cb->want && w->found == before)
		fprintf(stderr, "handoff-modules: %s: no module matches the devices of the keyboard %s: %s\n",
			w->cb->tag, w->subject,
			strncmp(dev + strlen(w->top), "/virtual/", 9) ?
			"the kernel has their drivers built in" :
			"a virtual one (uinput, a remote console's), with no driver to take");
	w->subject = NULL;	/* name is this call's */
	return true;
}

int host_keyboards(const char *sysfs, const char *alias, size_t alias_len,
		   const struct host_cb *cb)
{
	struct walk w = { .alias = alias, .alias_len = alias_len, .cb = cb,
			  .kind = HOST_KEYBOARD, .sysfs = sysfs };
	char path[PATH_MAX + 16];
	struct dirent **de;
	int i, n, found = 0;

	if (walk_top(&w))
		return 0;
	snprintf(path, sizeof(path), "%s/class/input", sysfs);
	/* in name order: the same image from the same machine */
	n = scandir(path, &de, NULL, versionsort);
	for (i = 0; i < n; i++) {
		found += walk_keyboard(&w, de[i]->d_name);
		free(de[i]);
	}
	if (n >= 0)
		free(de);
	if (!found && cb->want)
		fprintf(stderr, "handoff-modules: %s: no keyboard in %s: no keyboard driver taken (a passphrase prompt needs one: plug it in first, or name its drivers: --modules +usbhid,hid_generic)\n",
			cb->tag, path);
	else if (!found)
		fprintf(stderr, "handoff-modules: %s: no keyboard in %s: none to check\n", cb->tag, path);
	return found;
}
