/* The kernel's API filesystems, and mounting a device as a request says. */
#ifndef HANDOFF_MOUNT_H
#define HANDOFF_MOUNT_H

#include "find/devices.h"
#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>

#define NEW_ROOT "/sysroot"

/* /dev, /proc, /sys and /run, in the order they are mounted (api.c). */
struct api_fs {
	const char *dir, *type, *data;
	unsigned long flags;
};
extern const struct api_fs api_fs[];
extern const size_t api_fs_count;

/* /run's size limit unless rd.run.size= says otherwise (make RUN_SIZE=). */
#ifndef HANDOFF_RUN_SIZE
#define HANDOFF_RUN_SIZE "20%"
#endif

/* Mounts them all; each failure is reported, none is fatal here. */
int mount_api_filesystems(void);

/* rd.run.size=: /run remounted with that size (NULL: left as it is). */
int resize_run(const char *size);

/* dir is on another device than its parent: something is mounted there. */
bool is_mounted(const char *dir);

/*
 * A device to mount, and why: the messages name the purpose and the
 * parameter ("cannot mount root /dev/vda (root=/dev/vda): ...").
 */
struct mount_req {
	const char *purpose;	/* "root", "overlay upper", "image medium" */
	const char *param;	/* the parameter that named the device: "root" */
	const char *value;	/* its value as written */
	const struct root_dev *dev;	/* the node, and the type the probe saw */
	const char *dir;	/* where: NEW_ROOT, or a layer's directory */
	const char *types;	/* rootfstype=: the types to try; NULL: the probe's, or all */
	const char *options;	/* rootflags=: flags and data; NULL: none */
	bool read_only;
};

/*
 * The types r tries, comma-separated: rootfstype= (r->types), else the
 * type the probe saw; NULL: neither, so every block filesystem the kernel
 * has (from /proc/filesystems). Pure: no I/O.
 */
const char *mount_types_wanted(const struct mount_req *r);

/* Whether type is one of the comma-separated list (pure). */
bool mount_type_listed(const char *list, const char *type);

/*
 * Mounts r->dev on r->dir, trying the types in turn (a device that refuses
 * writing is mounted read-only, as the kernel does); reports a failure with
 * what each type said and a hint. The type that worked goes in mounted.
 */
int mount_device(const struct mount_req *r, char *mounted, size_t size);

/* A mount on dir (a failed attempt's, before a retry) detached; a failure is warned about. */
void mount_clear(const char *dir);

/*
 * The root's filesystem on dir as root=, rootfstype= and rootflags= ask
 * (read-only as given), checked first when read-write (fsck.h), then the
 * device released; dev->mounted is set.
 */
int mount_root(const struct boot_params *p, struct root_dev *dev, const char *dir,
	       bool read_only);

/*
 * /usr's filesystem on NEW_ROOT/usr when the plan wants one (mount.usr=,
 * or GPT auto-discovery's /usr partition): waited for like the root, with
 * the root's type, options and ro/rw unless mount.usrfstype= and
 * mount.usrflags= say otherwise. 0 when none is wanted.
 */
int mount_usr(struct boot_plan *plan);

/*
 * The root's filesystem on dir, whatever holds it (source.c): a block
 * device (waited for, or found by GPT auto-discovery), an NFS export
 * (net/), a host directory (hostdir.c) or a flash volume (flash/).
 * read_only as given; the failure is said.
 */
int mount_root_source(struct boot_plan *plan, const char *dir, bool read_only);

/*
 * A host directory QEMU shares (root=virtiofs:TAG, rootfstype=9p root=TAG)
 * on dir, its tag waited for within the root's wait (hostdir.c).
 */
int mount_host_root(struct boot_plan *plan, const char *dir, bool read_only);

/*
 * The filesystem options of a host directory's mount (data, from
 * rootflags=) completed in place: 9p gets trans=virtio and
 * version=9p2000.L unless they are there. -E2BIG when they do not fit. Pure.
 */
int hostdir_options(bool p9, char *data, size_t size);

/* NEW_ROOT is a mount on another device than the initramfs (reported if not). */
int check_new_root(void);

/* After the new root failed (no init in it): says what was mounted there. */
void report_root_mounted(const char *root_param, const struct root_dev *dev);

#endif
