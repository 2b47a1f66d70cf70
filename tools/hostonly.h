/*
 * MODULES=host: the modules this machine's root and keyboards need,
 * found the way dracut's "hostonly" mode finds them: the device holding /
 * (from the mount table), the devices on its sysfs path up to the bus
 * (and, for a device-mapper or md root, those of its slaves), each
 * device's modalias matched against the target kernel's modules.alias,
 * and the root filesystem's "fs-TYPE" alias. For an NFS root: the drivers
 * of the network interfaces' devices, and nfsv3 or nfsv4. The keyboards'
 * drivers the same way, from their input devices up to the bus. The same
 * walks tell which drivers are bound here, for the check (-C).
 */
#ifndef HANDOFF_HOSTONLY_H
#define HANDOFF_HOSTONLY_H

#include <stdbool.h>
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

/* Why a device's driver is wanted: what the module is for. */
enum host_kind {
	HOST_ROOT_DEVICE,	/* a device on the sysfs path of the root's disk */
	HOST_ROOT_STACK,	/* device-mapper or md under the root */
	HOST_ROOT_NIC,		/* a network interface of an NFS root */
	HOST_ROOT_NFS,		/* the NFS client of the root's version */
	HOST_ROOT_FS,		/* the root's filesystem */
	HOST_KEYBOARD,		/* a device on the sysfs path of a keyboard */
};

struct host_found {
	enum host_kind kind;
	const char *subject;	/* the keyboard's name; NULL for the root's */
	const char *why;	/* "pci:v00001AF4d00001001... at /sys/devices/...", "fs-ext4" */
};

/* Called for each module matched: name as in modules.alias. */
typedef void (*host_want_fn)(const char *name, const struct host_found *f, void *ctx);

/*
 * Called for each device on the walked paths that has a driver bound on
 * this machine: driver is its name, module the name driver/module links
 * to (NULL without the link: a driver built into the running kernel),
 * f->why the device's sysfs path (as SYSFS/devices/...).
 */
typedef void (*host_bound_fn)(const char *module, const char *driver, const struct host_found *f,
			      void *ctx);

struct host_cb {
	const char *tag;	/* starts each message: "MODULES=host", "check" */
	host_want_fn want;	/* NULL: no matching against modules.alias */
	host_bound_fn bound;	/* NULL: bound drivers are not looked at */
	void *ctx;
};

/*
 * Finds the modules for the root of the machine whose sysfs is at sysfs
 * and whose mount table is the file mountinfo, with the target kernel's
 * modules.alias text; what the mount table says of / goes to *root.
 * Reports on stderr what it found; returns 0, or -errno after saying why
 * (the root is not on a block device, sysfs has no such device).
 */
int host_root_modules(const char *sysfs, const char *mountinfo, const char *alias,
		      size_t alias_len, const struct host_cb *cb, struct host_root *root);

/*
 * The keyboards of that machine: the input devices (SYSFS/class/input)
 * with keys and the letters on them, each walked from its bus down as the
 * root's disk is. Returns how many there are (0 is no error: a server may
 * have none), after saying on stderr which.
 */
int host_keyboards(const char *sysfs, const char *alias, size_t alias_len,
		   const struct host_cb *cb);

/*
 * Whether an input device is a keyboard, from its "capabilities/ev" and
 * "capabilities/key" texts (hex words, the kernel's longs of word_bits
 * bits, most significant first; a word longer than 8 digits says 64):
 * EV_KEY, and the keys Q to P, A to L, Z to M and Enter. A power button
 * or a mouse has keys, not these.
 */
bool input_is_keyboard(const char *ev, const char *key, unsigned int word_bits);

#endif
