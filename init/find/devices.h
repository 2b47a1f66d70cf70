/* Finding a block device that a parameter names, and waiting for it on uevents. */
#ifndef HANDOFF_DEVICES_H
#define HANDOFF_DEVICES_H

#include "find/uevent.h"
#include "plan/cmdline.h"
#include "plan/rootspec.h"

#include <stdbool.h>

struct root_dev {
	char name[64];		/* kernel name as in /sys/class/block: vda1 */
	char node[80];		/* device node to mount: /dev/vda1 */
	unsigned int major, minor;
	char fstype[16];	/* from a probe, "" when unknown */
	char mounted[16];	/* the type it was mounted as */
	/*
	 * The device held open from its probe to its mount, so what the probe
	 * read stays cached (the last close of a block device drops its page
	 * cache); -1 when not held. device_release() closes it.
	 */
	int fd;
};

/* What to wait for, and why: messages name the purpose and the parameter. */
struct device_req {
	const char *purpose;	/* "root", "overlay upper", "image" */
	const char *param;	/* "root", "rd.overlay", "rd.image" */
	const char *value;	/* as the user wrote it: "UUID=...", "/dev/vdb" */
	const struct root_spec *spec;
	enum wait_mode wait;	/* rootwait, rootwait=N, rootdelay=N, or the default */
	long wait_s;
	bool swap;		/* a swap area is what is wanted (resume=), not refused */
};

/* How long a wait may last, in ms (-1: forever): rootwait, rootwait=N, rootdelay=N or the default. */
long wait_bound_ms(enum wait_mode wait, long wait_s);

/* The request for the root: root=, as spec parsed it, with its wait. */
void device_req_root(struct device_req *r, const struct boot_params *p,
		     const struct root_spec *spec);

/*
 * Waits, as the request says, until the device exists and has a node in
 * /dev, reading the events from u. Reports progress and, on failure, the
 * reason. On success out->fd holds it open (see struct root_dev). out->fd
 * is -1 on entry, or a device device_present() found and kept: then the
 * wait does not look for it again.
 */
int wait_for_device(const struct device_req *r, struct uevents *u, struct root_dev *out);

/*
 * Whether the device spec names is there now: a look, not a wait, and
 * silent. With keep (fd -1 or held), a device found stays held in it for
 * wait_for_device(), so it is opened once.
 */
bool device_present(const struct root_spec *spec, struct root_dev *keep);

/* Closes the device wait_for_device() held open, once it is mounted (or not). */
void device_release(struct root_dev *d);

/* Logs every block device the kernel knows, for a user fixing root=. */
void list_block_devices(void);

#endif
