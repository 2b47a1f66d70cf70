/*
 * The md driver's ioctls (include/uapi/linux/raid/md_u.h): an array made
 * from members whose superblocks the kernel reads itself. The ioctls
 * rather than /sys/block/mdN/md/ (metadata_version, new_dev, array_state):
 * one open device and three calls, each failing with its own errno, where
 * sysfs needs a file opened per step and says less; mdadm uses the same
 * calls for arrays with their metadata on the members.
 * The init never writes a superblock: the kernel does, once it runs the
 * array (it records a missing member, the events).
 */
#include "md/md.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MD_MAJOR 9
#define NEW_ARRAY "/sys/module/md_mod/parameters/new_array"

/* md_u.h: mdu_array_info_t, mdu_disk_info_t, mdu_param_t (the ABI: most fields unused here). */
struct md_array_info {
	int major_version, minor_version;
	int patch_version;	/* cppcheck-suppress unusedStructMember */
	unsigned int ctime;	/* cppcheck-suppress unusedStructMember */
	int level, size, nr_disks, raid_disks, md_minor, not_persistent;	/* cppcheck-suppress unusedStructMember */
	unsigned int utime;	/* cppcheck-suppress unusedStructMember */
	int state, active_disks, working_disks, failed_disks, spare_disks;	/* cppcheck-suppress unusedStructMember */
	int layout, chunk_size;	/* cppcheck-suppress unusedStructMember */
};

struct md_disk_info {
	int number;	/* cppcheck-suppress unusedStructMember */
	int major, minor;
	int raid_disk, state;	/* cppcheck-suppress unusedStructMember */
};

struct md_param {
	int personality, chunk_size, max_fault;	/* cppcheck-suppress unusedStructMember */
};

#define MD_ADD_NEW_DISK _IOW(MD_MAJOR, 0x21, struct md_disk_info)
#define MD_SET_ARRAY_INFO _IOW(MD_MAJOR, 0x23, struct md_array_info)
#define MD_RUN_ARRAY _IOW(MD_MAJOR, 0x30, struct md_param)
#define MD_STOP_ARRAY _IO(MD_MAJOR, 0x32)

static int md_open(unsigned int minor)
{
	char node[24];
	int fd;

	fmt_buf(node, sizeof(node), "/dev/md%u", minor);
	/* devtmpfs makes it; without one, the node is ours to make. */
	if (mknod(node, S_IFBLK | 0600, makedev(MD_MAJOR, minor)) && errno != EEXIST)
		return -errno;
	/* Opening a node of no array yet makes one (the kernel's BLOCK_LEGACY_AUTOLOAD). */
	fd = open(node, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * A new, empty array mdMINOR: written to new_array, as mdadm does, the
 * kernel keeps it until it is stopped; -EEXIST when the minor is in use.
 * Without the parameter (md not loaded yet), opening the node makes it.
 */
static int md_create(unsigned int minor)
{
	char name[16];
	int e;

	fmt_buf(name, sizeof(name), "md%u", minor);
	e = write_file(NEW_ARRAY, name);
	return e == -ENOENT ? 0 : e;
}

int md_array_start(unsigned int minor, const struct md_super *sb, const unsigned int *majors,
		   const unsigned int *minors, int n, const char **step)
{
	struct md_array_info info;
	struct md_disk_info disk;
	int fd, e, i;

	*step = "create it";
	e = md_create(minor);
	if (e)
		return e;
	fd = md_open(minor);
	if (fd < 0)
		return fd;
	/* raid_disks 0: only the superblock version, for the kernel to read the members with. */
	memset(&info, 0, sizeof(info));
	md_format_version(sb->format, &info.major_version, &info.minor_version);
	*step = "set its superblock version";
	e = ioctl(fd, MD_SET_ARRAY_INFO, &info) ? -errno : 0;
	for (i = 0; !e && i < n; i++) {
		memset(&disk, 0, sizeof(disk));
		disk.major = (int)majors[i];
		disk.minor = (int)minors[i];
		*step = "add a member";
		e = ioctl(fd, MD_ADD_NEW_DISK, &disk) ? -errno : 0;
	}
	if (!e) {
		*step = "run it";
		e = ioctl(fd, MD_RUN_ARRAY, 0) ? -errno : 0;
	}
	if (e)
		ioctl(fd, MD_STOP_ARRAY, 0);	/* lets the members go again */
	close(fd);
	return e;
}

int md_stop(const char *name)
{
	char node[48], state[16];
	int fd, e;

	/*
	 * Stopped already (an earlier pass): opening the node would make an
	 * empty array again, which stops without a word, for ever.
	 */
	fmt_buf(node, sizeof(node), "/sys/block/%s/md/array_state", name);
	if (read_text(node, state, sizeof(state)) <= 0 || str_starts(state, "clear"))
		return -ENXIO;
	fmt_buf(node, sizeof(node), "/dev/%s", name);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = ioctl(fd, MD_STOP_ARRAY, 0) ? -errno : 0;
	close(fd);
	return e;
}
