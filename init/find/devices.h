/* Finding the root block device, and waiting for it on uevents. */
#ifndef HANDOFF_DEVICES_H
#define HANDOFF_DEVICES_H

#include "plan/cmdline.h"
#include "plan/rootspec.h"

#include <stdbool.h>

struct root_dev {
	char name[64];		/* kernel name as in /sys/class/block: vda1 */
	char node[80];		/* device node to mount: /dev/vda1 */
	unsigned int major, minor;
	char fstype[16];	/* from a probe, "" when unknown */
	char mounted[16];	/* the type mount_real_root() mounted it as */
};

/*
 * Waits, as the parameters say, until the device root= names exists and
 * has a node in /dev. Reports progress and, on failure, the reason.
 */
int wait_for_root_device(const struct root_spec *spec, const struct boot_params *p,
			 struct root_dev *out);

/* Whether the device spec names is there now: a look, not a wait, and silent. */
bool root_device_present(const struct root_spec *spec);

/*
 * wait_for_root_device() holds the device open, so what its probe read
 * stays cached for the mount (the last close of a block device drops its
 * page cache). Call this once the root is mounted, or not.
 */
void release_root_device(void);

/* A socket for the kernel's uevents (nonblocking), or -1 (said why with rd.debug). */
int open_uevents(void);

#define UEVENT_BLOCK 1	/* a block device came or changed */
#define UEVENT_LOST 2	/* events were lost (ENOBUFS): look again (with UEVENT_BLOCK) */
/*
 * Empties the socket, handing each event to modules_uevent(); returns the
 * UEVENT_* bits of what it saw.
 */
int drain_uevents(int fd);

/* Logs every block device the kernel knows, for a user fixing root=. */
void list_block_devices(void);

#endif
