/* Block devices as the kernel lists them in /sys/class/block. */
#ifndef HANDOFF_BLOCKDEV_H
#define HANDOFF_BLOCKDEV_H

#include <stdbool.h>
#include <stdint.h>

struct blockdev {
	char name[64];		/* as in /sys/class/block: vda1, cciss!c0d0 */
	unsigned int major, minor;
	unsigned int partno;	/* 0 for a whole disk */
	char disk[64];		/* the disk a partition belongs to */
	uint64_t size;		/* bytes: stale for an empty CD-ROM (1 GiB) */
	bool removable;		/* takes removable media: CD-ROM, card reader */
};

typedef int (*blockdev_fn)(const struct blockdev *b, void *ctx);

/* Reads what sysfs says of one block device; -ENOENT when it is not there. */
int blockdev_get(const char *name, struct blockdev *b);
/*
 * A device a uevent announced, from its DEVNAME=, MAJOR=, MINOR= and
 * whether DEVTYPE= is "partition": one sysfs read (a disk's "removable")
 * rather than blockdev_get()'s four. Its size is left 0: ask the open
 * device (BLKGETSIZE64). -EINVAL for a number that is none.
 */
int blockdev_from_event(const char *devname, const char *major, const char *minor, bool partition,
			struct blockdev *b);
/* Only the name and number: one sysfs read, for the common root=/dev/NAME. */
int blockdev_number(const char *name, struct blockdev *b);
/* Calls fn for each block device; stops when fn returns nonzero. */
int blockdev_each(blockdev_fn fn, void *ctx);
/*
 * Opens the device's node in /dev read-only; -1 with errno on failure,
 * ENOMEDIUM for a removable device without a medium: never read one (an
 * empty CD-ROM answers each read with I/O errors on the console).
 */
int blockdev_open(const struct blockdev *b);
/* Whether the open device, if removable, has a medium: asked, not read. */
bool blockdev_fd_has_medium(int fd);

#endif
