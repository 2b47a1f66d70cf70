/*
 * MODULES=host: the modules this machine's root needs, found the way
 * dracut's "hostonly" mode finds them: the device holding / (from the
 * mount table), the devices on its sysfs path up to the bus (and, for a
 * device-mapper or md root, those of its slaves), each device's modalias
 * matched against the target kernel's modules.alias, and the root
 * filesystem's "fs-TYPE" alias. For an NFS root: the drivers of the
 * network interfaces' devices, and nfsv3 or nfsv4.
 */
#ifndef HANDOFF_HOSTONLY_H
#define HANDOFF_HOSTONLY_H

#include <stddef.h>

/* What the mount table says about /. */
struct host_root {
	unsigned int major, minor;	/* st_dev: 0:N for a filesystem without a disk */
	char fstype[64];
	char source[256];		/* octal escapes (\040) decoded */
};

/*
 * Parses /proc/self/mountinfo text (buf need not be NUL-terminated): the
 * last mount on "/", the one in effect; malformed lines are skipped.
 * -ENOENT when there is none.
 */
int mountinfo_root(const char *buf, size_t len, struct host_root *r);

/*
 * Called for each module found: name (as in modules.alias), and why it is
 * wanted ("pci:v00001AF4d00001001... at /sys/devices/...", "fs-ext4").
 */
typedef void (*host_want_fn)(const char *name, const char *why, void *ctx);

/*
 * Finds the modules for the root of the machine whose sysfs is at sysfs
 * and whose mount table is the file mountinfo, with the target kernel's
 * modules.alias text. Reports on stderr what it found; returns 0, or
 * -errno after saying why (the root is not on a block device, sysfs has
 * no such device).
 */
int host_root_modules(const char *sysfs, const char *mountinfo, const char *alias,
		      size_t alias_len, host_want_fn want, void *ctx);

#endif
