/*
 * A kernel uevent as NETLINK_KOBJECT_UEVENT delivers it: a header
 * "ACTION@DEVPATH", then "KEY=VALUE" fields, each ending in a NUL.
 */
#ifndef HANDOFF_UEVENT_H
#define HANDOFF_UEVENT_H

#include <stddef.h>

/* Values inside the message, NUL-terminated there; NULL when absent. */
struct uevent {
	const char *action;	/* add, remove, change, bind... */
	const char *subsystem;	/* block, pci, virtio... */
	const char *devname;	/* sr0, vda1 (block and char devices) */
	const char *modalias;	/* what a driver matches */
};

/*
 * Reads the fields of msg (n bytes, from recv). A field the buffer cut
 * (no NUL before the end) is left out. -EINVAL when msg has no kernel
 * header (a NUL-terminated "ACTION@DEVPATH"): libudev's start "libudev".
 */
int uevent_parse(const char *msg, size_t n, struct uevent *ev);

#endif
