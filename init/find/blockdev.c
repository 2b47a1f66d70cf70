#include "find/blockdev.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYS_BLOCK "/sys/class/block"

/* <linux/cdrom.h> is not in musl's headers; this is its ABI. */
#define CDROM_DRIVE_STATUS 0x5326
#define CDSL_CURRENT INT_MAX
#define CDS_NO_INFO 0
#define CDS_DISC_OK 4

/* 64-bit: a disk's size in sectors passes 2^32 at 2 TiB. */
static int read_uint(const char *name, const char *attr, uint64_t *out)
{
	char path[160], buf[32];

	fmt_buf(path, sizeof(path), SYS_BLOCK "/%s/%s", name, attr);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return -ENOENT;
	buf[strcspn(buf, "\n")] = '\0';
	return parse_u64(buf, 10, out);
}

static int read_devnum(struct blockdev *b)
{
	char path[160], buf[32], *colon;
	unsigned long maj, min;

	fmt_buf(path, sizeof(path), SYS_BLOCK "/%s/dev", b->name);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return -ENOENT;
	buf[strcspn(buf, "\n")] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (parse_ulong(buf, 10, &maj) || parse_ulong(colon + 1, 10, &min))
		return -EINVAL;
	b->major = (unsigned int)maj;
	b->minor = (unsigned int)min;
	return 0;
}

/* The disk of a partition is the parent directory in its sysfs path. */
static void read_disk(struct blockdev *b)
{
	char path[160], link[256], *last, *prev;
	ssize_t n;

	fmt_buf(path, sizeof(path), SYS_BLOCK "/%s", b->name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	last = strrchr(link, '/');
	if (!last)
		return;
	*last = '\0';
	prev = strrchr(link, '/');
	str_copy(b->disk, prev ? prev + 1 : link, sizeof(b->disk));
}

struct each_ctx {
	blockdev_fn fn;
	void *ctx;
};

int blockdev_number(const char *name, struct blockdev *b)
{
	memset(b, 0, sizeof(*b));
	if (str_copy(b->name, name, sizeof(b->name)))
		return -ENAMETOOLONG;
	return read_devnum(b);
}

int blockdev_get(const char *name, struct blockdev *b)
{
	uint64_t v;
	int e = blockdev_number(name, b);

	if (e)
		return e;
	if (!read_uint(name, "size", &v))
		b->size = (uint64_t)v * 512;
	if (!read_uint(name, "removable", &v))
		b->removable = v == 1;
	if (!read_uint(name, "partition", &v)) {
		b->partno = (unsigned int)v;
		read_disk(b);
	}
	return 0;
}

int blockdev_from_event(const char *devname, const char *major, const char *minor, bool partition,
			struct blockdev *b)
{
	unsigned long maj, min;
	uint64_t v;

	memset(b, 0, sizeof(*b));
	if (str_copy(b->name, devname, sizeof(b->name)))
		return -ENAMETOOLONG;
	if (parse_ulong(major, 10, &maj) || parse_ulong(minor, 10, &min))
		return -EINVAL;
	b->major = (unsigned int)maj;
	b->minor = (unsigned int)min;
	str_tr(b->name, '/', '!');
	/* Partitions have no "removable": their disk's medium is asked at its own open. */
	if (!partition && !read_uint(b->name, "removable", &v))
		b->removable = v == 1;
	return 0;
}

static int each_entry(int dirfd, const char *name, unsigned char type, void *arg)
{
	struct each_ctx *c = arg;
	struct blockdev b;

	(void)dirfd;
	(void)type;
	if (blockdev_get(name, &b))
		return 0;
	return c->fn(&b, c->ctx);
}

int blockdev_each(blockdev_fn fn, void *ctx)
{
	struct each_ctx c = { fn, ctx };
	int fd = open(SYS_BLOCK, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = for_each_dirent(fd, each_entry, &c);
	close(fd);
	return r;
}

/* An open removable device has a medium: asked, not read. */
static bool medium_present(int fd)
{
	int status = ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT);
	uint64_t bytes;

	/*
	 * A CD-ROM keeps its last size without a disc (sr: 0x1fffff sectors
	 * until one is read); it tells by a TEST UNIT READY, which reads
	 * nothing. Other drives (card readers) say size 0 once an open found
	 * no medium. Any other answer: try it.
	 */
	if (status > CDS_NO_INFO)
		return status == CDS_DISC_OK;
	return ioctl(fd, BLKGETSIZE64, &bytes) || bytes;
}

bool blockdev_fd_has_medium(int fd)
{
	char path[64], buf[8];
	struct stat st;

	/* Only removable disks are asked (partitions have no "removable"). */
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode))
		return true;
	fmt_buf(path, sizeof(path), "/sys/dev/block/%u:%u/removable", major(st.st_rdev),
		minor(st.st_rdev));
	if (read_text(path, buf, sizeof(buf)) <= 0 || buf[0] != '1')
		return true;
	return medium_present(fd);
}

int blockdev_open(const struct blockdev *b)
{
	char node[80];
	int fd;

	fmt_buf(node, sizeof(node), "/dev/%s", b->name);
	str_tr(node, '!', '/');
	/* O_NONBLOCK: opening a CD-ROM without it fails when it has no disc. */
	fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || !b->removable || medium_present(fd))
		return fd;
	close(fd);
	errno = ENOMEDIUM;
	return -1;
}
