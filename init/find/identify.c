#include "find/identify.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/*
 * A partition table is large; one cached disk serves all its partitions.
 * A cache, not state: forget_tables() empties it before every scan.
 */
static struct {
	struct probe_table table;
	char disk[64];
	unsigned int major, minor;
} cache;

int probe_fd_fstype(int fd, char *type, size_t size)
{
	struct probe_dev d = { probe_fd_read, &fd, 0, 0 };
	struct probe_fs fs;
	off_t end = lseek(fd, 0, SEEK_END);
	int e;

	type[0] = '\0';
	d.size = end > 0 ? (uint64_t)end : 0;
	e = probe_filesystem(&d, &fs);
	if (!e)
		str_copy(type, fs.type, size);
	return e;
}

int probe_node_fstype(const char *node, char *type, size_t size)
{
	int fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK), e;

	type[0] = '\0';
	if (fd < 0)
		return -errno;
	e = probe_fd_fstype(fd, type, size);
	close(fd);
	return e;
}

/*
 * Probes a device; -errno when it cannot be opened (-ENOMEDIUM: not read).
 * With keep, the device stays open in *keep: see struct root_dev.
 */
static int with_device(const struct blockdev *b, struct probe_fs *fs, struct probe_table *t,
		       int *keep)
{
	struct probe_dev d = { probe_fd_read, NULL, b->size, 0 };
	int fd = blockdev_open(b), e = 0;

	if (fd < 0)
		return -errno;
	d.ctx = &fd;
	if (fs && probe_filesystem(&d, fs))
		fs->type[0] = '\0';
	if (fs)
		storage_claim(&d, fs);
	if (t)
		e = probe_partitions(&d, t);
	if (keep)
		*keep = fd;
	else
		close(fd);
	return e;
}

/* The disk's table, read once per disk and kept while it is asked for. */
static const struct probe_table *disk_table(const char *disk)
{
	struct blockdev b;

	if (blockdev_get(disk, &b))
		return NULL;
	if (!strcmp(cache.disk, disk) && b.major == cache.major && b.minor == cache.minor)
		return cache.table.type[0] ? &cache.table : NULL;
	cache.disk[0] = '\0';
	memset(&cache.table, 0, sizeof(cache.table));
	with_device(&b, NULL, &cache.table, NULL);
	str_copy(cache.disk, disk, sizeof(cache.disk));
	cache.major = b.major;
	cache.minor = b.minor;
	return cache.table.type[0] ? &cache.table : NULL;
}

/* Forgets the cached table: a new scan may see a rewritten disk. */
static void forget_tables(void)
{
	cache.disk[0] = '\0';
}

static int describe(const struct blockdev *b, struct devinfo *info, int *keep)
{
	const struct probe_table *t;
	uint32_t i;

	memset(info, 0, sizeof(*info));
	if (with_device(b, &info->fs, NULL, keep) == -ENOMEDIUM)
		return -ENOMEDIUM;
	if (!b->partno || !(t = disk_table(b->disk)))
		return 0;
	for (i = 0; i < t->count; i++) {
		if (t->part[i].number != b->partno)
			continue;
		str_copy(info->partuuid, t->part[i].partuuid, sizeof(info->partuuid));
		str_copy(info->partlabel, t->part[i].partlabel, sizeof(info->partlabel));
	}
	return 0;
}

int blockdev_describe(const struct blockdev *b, struct devinfo *info)
{
	return describe(b, info, NULL);
}

struct match {
	const struct root_spec *spec;
	unsigned int want_partno;	/* PARTUUID/PARTLABEL: after the table */
	char want_disk[64];
	int found;
	struct blockdev hit[2];
	char fstype[16];
	int fd;				/* the first hit's, still open from its probe */
};

bool spec_matches_fs(const struct root_spec *s, const struct probe_fs *fs)
{
	if (s->kind == ROOT_UUID)
		return fs->uuid[0] && probe_uuid_equal(fs->uuid, s->value);
	return fs->label[0] && !strcmp(fs->label, s->value);
}

static int matches_part(const struct root_spec *s, const struct devinfo *info)
{
	if (s->kind == ROOT_PARTUUID)
		return info->partuuid[0] && probe_uuid_equal(info->partuuid, s->value);
	return info->partlabel[0] && !strcmp(info->partlabel, s->value);
}

/* fd: the device's, open from the probe; kept for the first hit, else closed. */
static void add_hit(struct match *m, const struct blockdev *b, const char *fstype, int fd)
{
	if (m->found < 2)
		m->hit[m->found] = *b;
	if (!m->found) {
		str_copy(m->fstype, fstype, sizeof(m->fstype));
		m->fd = fd;
		fd = -1;
	}
	m->found++;
	if (fd >= 0)
		close(fd);
}

static void forget_hits(struct match *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	m->found = 0;
}

static int match_one(const struct blockdev *b, void *arg)
{
	struct match *m = arg;
	struct devinfo info;
	int fd = -1;

	if (!b->size)
		return 0;
	if (m->want_partno) {
		if (b->partno == m->want_partno && !strcmp(b->disk, m->want_disk)) {
			if (with_device(b, &info.fs, NULL, &fd) != -ENOMEDIUM)
				add_hit(m, b, info.fs.type, fd);
		}
		return 0;
	}
	if (describe(b, &info, &fd))
		return 0;	/* an empty drive: the device list says so */
	debug("probed /dev/%s: TYPE=%s UUID=%s LABEL=%s PARTUUID=%s PARTLABEL=%s", b->name,
	      info.fs.type, info.fs.uuid, info.fs.label, info.partuuid, info.partlabel);
	if ((m->spec->kind == ROOT_UUID || m->spec->kind == ROOT_LABEL) ?
	    spec_matches_fs(m->spec, &info.fs) : b->partno && matches_part(m->spec, &info))
		add_hit(m, b, info.fs.type, fd);
	else if (fd >= 0)
		close(fd);
	return 0;
}

/* PARTNROFF=N: the partition N entries further on the same disk. */
static int apply_partnroff(struct match *m, bool report)
{
	long n = (long)m->hit[0].partno + m->spec->partnroff;

	if (n < 1) {
		if (report)
			err("root=PARTUUID=%s/PARTNROFF=%d points before the first partition",
			    m->spec->value, m->spec->partnroff);
		return -EINVAL;
	}
	m->want_partno = (unsigned int)n;
	str_copy(m->want_disk, m->hit[0].disk, sizeof(m->want_disk));
	forget_hits(m);
	blockdev_each(match_one, m);
	return m->found ? 0 : -ENOENT;
}

static void fill_root(const struct match *m, struct root_dev *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->name, m->hit[0].name, sizeof(out->name));
	out->major = m->hit[0].major;
	out->minor = m->hit[0].minor;
	str_copy(out->fstype, m->fstype, sizeof(out->fstype));
	out->fd = m->fd;
}

int find_by_identity(const struct root_spec *spec, struct root_dev *out, bool report)
{
	struct match m = { .spec = spec, .fd = -1 };
	int e;

	forget_tables();
	blockdev_each(match_one, &m);
	if (!m.found)
		return -ENOENT;
	if (m.found > 1) {
		if (report) {
			err("%s=%s matches more than one device: /dev/%s and /dev/%s%s",
			    rootspec_kind_name(spec->kind), spec->value, m.hit[0].name,
			    m.hit[1].name, m.found > 2 ? " and more" : "");
			err("hint: refusing to guess; give the copies different identities (tune2fs -U, sgdisk -G) or use a device name");
		}
		forget_hits(&m);
		return -EEXIST;
	}
	if (spec->has_partnroff) {
		e = apply_partnroff(&m, report);
		if (e) {
			forget_hits(&m);
			return e;
		}
	}
	fill_root(&m, out);
	return 0;
}
