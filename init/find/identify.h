/*
 * Block devices described by our own probes (no udev): filesystem type,
 * UUID and label, and the partition's PARTUUID and PARTLABEL from its
 * disk's table. A build with PROBES=none links identify_none.c instead.
 */
#ifndef HANDOFF_IDENTIFY_H
#define HANDOFF_IDENTIFY_H

#include "find/blockdev.h"
#include "find/devices.h"
#include "find/probe.h"
#include "plan/rootspec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct devinfo {
	struct probe_fs fs;	/* type "" when nothing was recognised */
	char partuuid[40];
	char partlabel[72 * 3 + 1];
};

/*
 * Probes b; fields stay "" for what is not there. -ENOMEDIUM for an empty
 * removable drive, which is not read.
 */
int blockdev_describe(const struct blockdev *b, struct devinfo *info);

/*
 * A device that belongs to a stack is no identity of its own: an md RAID
 * member with its superblock at the end carries the array's filesystem at
 * its start. With STORAGE=1 (storage/md.c) fs becomes
 * TYPE=linux_raid_member, as blkid says, with no UUID or LABEL to match;
 * other builds' is empty (storage_none.c) and costs nothing.
 */
void storage_claim(const struct probe_dev *d, struct probe_fs *fs);

/* The filesystem type our probes see on a device node, "" if none. */
int probe_node_fstype(const char *node, char *type, size_t size);
/* The same on an open device. */
int probe_fd_fstype(int fd, char *type, size_t size);

/* Whether the filesystem probed is the one a UUID= or LABEL= spec names. */
bool spec_matches_fs(const struct root_spec *s, const struct probe_fs *fs);

/*
 * Looks for the device an identity root= names (UUID, LABEL, PARTUUID,
 * PARTLABEL). 0: found, out filled (with the probed type); -ENOENT: not
 * (yet) there; -EEXIST: more than one matches (with report, said naming
 * them: a look that will be repeated passes false).
 */
int find_by_identity(const struct root_spec *spec, struct root_dev *out, bool report);

/*
 * blkid in the rescue shell (blkid.c): our probes' view of the block
 * devices, as util-linux blkid prints it. A PROBES=none init refuses.
 */
int blkid_main(int argc, char **argv);

#endif
