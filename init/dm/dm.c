/* device-mapper through its ioctls (dm.h): no libdevmapper, no udev. */
#include "dm/dm.h"
#include "modules/modules.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

_Static_assert(sizeof(struct dm_ioctl_hdr) == 312, "struct dm_ioctl is 312 bytes");
_Static_assert(sizeof(struct dm_target_spec) == 40, "struct dm_target_spec is 40 bytes");

#define DM_CONTROL "/dev/mapper/control"
/* A device in a table: a path or MAJ:MIN. */
#define DEV_PATH_MAX 200
/* The control node is misc 10:236 (Documentation/admin-guide/devices.txt). */
#define DM_CONTROL_MAJOR 10
#define DM_CONTROL_MINOR 236

#define DM_IOC 0xfd
#define DM_VERSION _IOWR(DM_IOC, 0, struct dm_ioctl_hdr)
#define DM_DEV_CREATE _IOWR(DM_IOC, 3, struct dm_ioctl_hdr)
#define DM_DEV_REMOVE _IOWR(DM_IOC, 4, struct dm_ioctl_hdr)
#define DM_DEV_RENAME _IOWR(DM_IOC, 5, struct dm_ioctl_hdr)
#define DM_DEV_SUSPEND _IOWR(DM_IOC, 6, struct dm_ioctl_hdr)
#define DM_DEV_STATUS _IOWR(DM_IOC, 7, struct dm_ioctl_hdr)
#define DM_TABLE_LOAD _IOWR(DM_IOC, 9, struct dm_ioctl_hdr)
#define DM_ACTIVE_PRESENT_FLAG (1u << 5)	/* out: a live table */
#define DM_UUID_FLAG (1u << 14)		/* DM_DEV_RENAME sets the uuid */
/* Interface 4: any 4.x kernel takes a request made for 4.0.0. */
#define DM_IFACE_MAJOR 4

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static int header(struct dm_ioctl_hdr *h, size_t size, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->version[0] = DM_IFACE_MAJOR;
	h->data_size = (uint32_t)size;
	h->data_start = sizeof(*h);
	if (name && str_copy(h->name, name, sizeof(h->name)))
		return -EINVAL;
	return 0;
}

long dm_table_layout(void *buf, size_t size, const char *name, const struct dm_target *t,
		     int n, bool read_only)
{
	struct dm_ioctl_hdr *h = buf;
	size_t at = sizeof(*h);
	int i;

	if (n < 1 || !name || !name[0] || size < sizeof(*h) || size > UINT32_MAX)
		return n < 1 || !name || !name[0] ? -EINVAL : -ENOSPC;
	if (header(h, size, name))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct dm_target_spec *s;
		size_t plen = strlen(t[i].params), next = align8(sizeof(*s) + plen + 1);

		if (strlen(t[i].type) >= sizeof(s->target_type) || plen >= DM_PARAMS_MAX)
			return -EINVAL;
		if (next > size - at)
			return -ENOSPC;
		s = (struct dm_target_spec *)((char *)buf + at);
		memset(s, 0, next);
		s->sector_start = t[i].start;
		s->length = t[i].length;
		s->next = (uint32_t)next;
		memcpy(s->target_type, t[i].type, strlen(t[i].type));
		memcpy(s + 1, t[i].params, plen);
		at += next;
	}
	h->data_size = (uint32_t)at;
	h->target_count = (uint32_t)n;
	h->flags = read_only ? DM_READ_ONLY_FLAG : 0;
	return (long)at;
}

void dm_hex(char *out, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = "0123456789abcdef"[p[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[p[i] & 15];
	}
	out[2 * len] = '\0';
}

/* Appends " N flags" for the optional parameters, N counted from the words. */
static int append_flags(char *buf, size_t size, const char *flags)
{
	char n[16];
	int words = 0;
	const char *p;

	if (!flags || !flags[0])
		return 0;
	for (p = flags; *p; p++)
		if (*p != ' ' && (p == flags || p[-1] == ' '))
			words++;
	if (flags[0] == ' ' || p[-1] == ' ' || str_find(flags, "  "))
		return -EINVAL;	/* one space between words: the count must be right */
	fmt_buf(n, sizeof(n), " %d ", words);
	if (str_append(buf, n, size) || str_append(buf, flags, size))
		return -ENOSPC;
	return 0;
}

int dm_crypt_params(char *buf, size_t size, const char *cipher, const uint8_t *key,
		    size_t keylen, uint64_t iv_offset, const char *dev, uint64_t offset,
		    const char *flags)
{
	char tail[DEV_PATH_MAX + 48];
	size_t at;
	int e;

	if (!cipher || !cipher[0] || !dev || !dev[0] || strlen(dev) > DEV_PATH_MAX ||
	    str_find(cipher, " ") || str_find(dev, " "))
		return -EINVAL;
	if (size < 1)
		return -ENOSPC;
	buf[0] = '\0';
	if (str_append(buf, cipher, size) || str_append(buf, " ", size))
		goto full;
	at = strlen(buf);
	if (!keylen) {
		if (str_append(buf, "-", size))
			goto full;
	} else {
		if (keylen > (size - at - 1) / 2)
			goto full;
		dm_hex(buf + at, key, keylen);
	}
	/* fmt_buf cuts silently: formatted apart, so a cut is seen (a cut line is another table). */
	fmt_buf(tail, sizeof(tail), " %llu %s %llu", (unsigned long long)iv_offset, dev,
		(unsigned long long)offset);
	if (str_append(buf, tail, size))
		goto full;
	e = append_flags(buf, size, flags);
	if (e) {
		explicit_bzero(buf, size);
		return e;
	}
	return 0;
full:
	explicit_bzero(buf, size);
	return -ENOSPC;
}

int dm_verity_params(char *buf, size_t size, const struct verity_table *v)
{
	char digest[2 * 64 + 1], salt[2 * 256 + 1];
	/* Every field at its longest fits: a cut shows in the copy to buf. */
	char line[2 * DEV_PATH_MAX + 2 * 64 + 2 * 256 + 160];

	if (!v->data_dev || !v->hash_dev || !v->alg || !v->alg[0] || v->format > 1 ||
	    !v->digest_len || v->digest_len > 64 || v->salt_len > 256 ||
	    strlen(v->data_dev) > DEV_PATH_MAX || strlen(v->hash_dev) > DEV_PATH_MAX ||
	    strlen(v->alg) > 32 || str_find(v->data_dev, " ") || str_find(v->hash_dev, " ") ||
	    str_find(v->alg, " "))
		return -EINVAL;
	dm_hex(digest, v->digest, v->digest_len);
	if (v->salt_len)
		dm_hex(salt, v->salt, v->salt_len);
	else
		str_copy(salt, "-", sizeof(salt));
	fmt_buf(line, sizeof(line), "%u %s %s %u %u %llu %llu %s %s %s", v->format, v->data_dev,
		v->hash_dev, v->data_block_size, v->hash_block_size,
		(unsigned long long)v->data_blocks, (unsigned long long)v->hash_start, v->alg,
		digest, salt);
	if (!size)
		return -ENOSPC;
	if (str_copy(buf, line, size))
		return -ENOSPC;
	return append_flags(buf, size, v->flags);
}

/*
 * /dev/mapper/control: devtmpfs makes it once device-mapper is in the
 * kernel; a /dev without it gets it made here, if the kernel has it.
 */
static int open_control(void)
{
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC), e;

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	/* A modular kernel's dm_mod: nothing asks the kernel for it before us. */
	if (access("/sys/class/misc/device-mapper", F_OK))
		modules_load_alias("devname:mapper/control");
	if (access("/sys/class/misc/device-mapper", F_OK))
		return -ENODEV;	/* no device-mapper in the kernel, nor as a module in the image */
	if (mkdir("/dev/mapper", 0755) && errno != EEXIST)
		return -errno;
	if (mknod(DM_CONTROL, S_IFCHR | 0600, makedev(DM_CONTROL_MAJOR, DM_CONTROL_MINOR)) &&
	    errno != EEXIST)
		return -errno;
	fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);
	e = fd < 0 ? -errno : 0;
	return e ? e : fd;
}

static int dm_ioctl(int fd, unsigned long req, struct dm_ioctl_hdr *h)
{
	if (ioctl(fd, req, h))
		return -errno;
	return 0;
}

static int remove_by_name(int fd, const char *name)
{
	struct dm_ioctl_hdr h;

	if (header(&h, sizeof(h), name))
		return -EINVAL;
	return dm_ioctl(fd, DM_DEV_REMOVE, &h);
}

/* /dev/mapper/NAME for the new device; a stale node from an earlier try is replaced. */
static int make_node(struct dm_device *out)
{
	dev_t dev = makedev(out->major, out->minor);

	if (!mknod(out->node, S_IFBLK | 0600, dev))
		return 0;
	/* /dev/mapper comes with control (devtmpfs): made here only when it did not. */
	if (errno == ENOENT && (!mkdir("/dev/mapper", 0755) || errno == EEXIST) &&
	    !mknod(out->node, S_IFBLK | 0600, dev))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (unlink(out->node) || mknod(out->node, S_IFBLK | 0600, dev))
		return -errno;
	return 0;
}

/* The control node, checked to speak interface 4; -errno. */
static int open_checked(void)
{
	struct dm_ioctl_hdr h;
	int fd = open_control(), e;

	if (fd < 0)
		return fd;
	header(&h, sizeof(h), NULL);
	e = dm_ioctl(fd, DM_VERSION, &h);
	if (!e && h.version[0] != DM_IFACE_MAJOR)
		e = -EPROTO;
	if (e) {
		close(fd);
		return e;
	}
	return fd;
}

/* Whether name is a device made ahead by dm_prepare(): no live table, no uuid. */
static bool prepared(int fd, const char *name)
{
	struct dm_ioctl_hdr h;

	if (header(&h, sizeof(h), name) || dm_ioctl(fd, DM_DEV_STATUS, &h))
		return false;
	return !(h.flags & DM_ACTIVE_PRESENT_FLAG) && !h.uuid[0];
}

/* Gives the device dm_prepare() made its uuid (the kernel sets one once). */
static int set_uuid(int fd, const char *name, const char *uuid)
{
	struct {
		struct dm_ioctl_hdr h;
		char uuid[DM_NAME_MAX + 8];
	} r;

	if (header(&r.h, sizeof(r), name) || str_copy(r.uuid, uuid, sizeof(r.uuid)))
		return -EINVAL;
	r.h.data_size = (uint32_t)(sizeof(r.h) + strlen(uuid) + 1);
	r.h.flags = DM_UUID_FLAG;
	return dm_ioctl(fd, DM_DEV_RENAME, &r.h);
}

/*
 * DM_DEV_CREATE, or with ahead the device dm_prepare() made under that
 * name, given its uuid. No DM_DEV_STATUS first: the kernel sets a uuid
 * only on a device that has none, which in the initramfs only one made
 * ahead is; gone (removed after a wait ran out), it is created.
 */
static int create_or_take(int fd, const char *name, const char *uuid, bool ahead)
{
	struct dm_ioctl_hdr h;

	if (ahead && uuid && uuid[0] && !set_uuid(fd, name, uuid))
		return 0;
	header(&h, sizeof(h), name);
	if (uuid && str_copy(h.uuid, uuid, sizeof(h.uuid)))
		return -EINVAL;
	return dm_ioctl(fd, DM_DEV_CREATE, &h);
}

/* fd: the control fd dm_prepare() kept (closed here), or -1 to open one. */
static int create(int fd, const char *name, const char *uuid, const struct dm_target *t, int n,
		  bool read_only, bool ahead, struct dm_device *out)
{
	/* Large, and PID 1 is single-threaded: kept off the stack. */
	static union {
		struct dm_ioctl_hdr h;
		char buf[DM_TABLE_BUF_MAX];
	} io;
	struct dm_ioctl_hdr h;
	long len;
	int e;

	memset(out, 0, sizeof(*out));
	if (str_copy(out->name, name, sizeof(out->name)) || strchr(name, '/') || !name[0])
		len = -EINVAL;
	else
		len = dm_table_layout(io.buf, sizeof(io.buf), name, t, n, read_only);
	if (len < 0) {
		e = (int)len;
		goto out;
	}
	if (fd < 0)
		fd = open_checked();
	if (fd < 0) {
		e = fd;
		goto out;
	}
	fmt_buf(out->node, sizeof(out->node), "/dev/mapper/%s", name);
	e = create_or_take(fd, name, uuid, ahead);
	if (e)
		goto out;
	e = dm_ioctl(fd, DM_TABLE_LOAD, &io.h);
	if (!e) {
		/* DM_DEV_SUSPEND without DM_SUSPEND_FLAG resumes: the table goes live. */
		header(&h, sizeof(h), name);
		e = dm_ioctl(fd, DM_DEV_SUSPEND, &h);
	}
	if (!e) {
		out->live_ms = log_ms();
		out->major = major(h.dev);
		out->minor = minor(h.dev);
		e = make_node(out);
	}
	if (e)
		remove_by_name(fd, name);	/* nothing left behind */
out:
	/* The table held the crypt key in hex (or part of it, when it did not fit). */
	explicit_bzero(io.buf, sizeof(io.buf));
	if (fd >= 0)
		close(fd);
	return e;
}

int dm_create(const char *name, const char *uuid, const struct dm_target *t, int n,
	      bool read_only, struct dm_device *out)
{
	return create(-1, name, uuid, t, n, read_only, false, out);
}

int dm_finish(int fd, const char *name, const char *uuid, const struct dm_target *t, int n,
	      bool read_only, struct dm_device *out)
{
	return create(fd, name, uuid, t, n, read_only, true, out);
}

int dm_prepare(const char *name)
{
	static const struct dm_target none = { 0, 1, "error", "" };
	union {
		struct dm_ioctl_hdr h;
		char buf[sizeof(struct dm_ioctl_hdr) + 64];
	} io;
	struct dm_ioctl_hdr h;
	long len = dm_table_layout(io.buf, sizeof(io.buf), name, &none, 1, false);
	int fd, e;

	if (len < 0)
		return (int)len;
	fd = open_checked();
	if (fd < 0)
		return fd;
	header(&h, sizeof(h), name);
	e = dm_ioctl(fd, DM_DEV_CREATE, &h);
	if (!e) {
		/* Loaded, never resumed: the disk is added, its size stays 0. */
		e = dm_ioctl(fd, DM_TABLE_LOAD, &io.h);
		if (e)
			remove_by_name(fd, name);
	}
	if (!e)
		return fd;
	close(fd);
	return e;
}

int dm_discard(int fd, const char *name)
{
	return prepared(fd, name) ? remove_by_name(fd, name) : -ENOENT;
}

int dm_remove(const char *name)
{
	char node[DM_NAME_MAX + 16];
	int fd = open_control(), e;

	if (fd < 0)
		return fd;
	e = remove_by_name(fd, name);
	close(fd);
	if (e)
		return e;
	fmt_buf(node, sizeof(node), "/dev/mapper/%s", name);
	unlink(node);
	return 0;
}
