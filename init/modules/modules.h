/*
 * Kernel modules carried in the image (make initramfs KVER=...), in
 * /lib/modules/$(uname -r) with depmod's modules.dep, modules.alias and
 * modules.builtin. Without that directory every call here returns at once.
 */
#ifndef HANDOFF_MODULES_H
#define HANDOFF_MODULES_H

#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Loads the modules rd.modules= names, then the drivers for the devices
 * present (coldplug: until the root device the plan names is there, or every
 * driver for a layered or RAM root). Failures are reported by module name
 * and errno; the boot goes on.
 */
void load_modules(struct boot_plan *plan);

/*
 * The handler main() gives the plan's uevents: "add" events with MODALIAS=
 * load drivers; lost events (msg NULL) look at every device present.
 */
void modules_uevent(void *ctx, const char *msg, size_t n);

/*
 * Loads the module for filesystem type (its "fs-TYPE" alias), if any.
 * 0: the image has one (loaded, or its failure said); -ENOENT: the image
 * has modules but none for type; -ENOSYS: the image has no modules.
 */
int modules_load_fs(const char *type);
/*
 * Loads the module name (and what it needs) if the image has it: what the
 * kernel would otherwise ask a modprobe for by name ("nfsv3"). 0, -ENOENT
 * (neither in the image nor built in), -ENOSYS (no modules), or its failure.
 */
int modules_load_name(const char *name);
/*
 * Loads the modules for an alias of modules.alias ("devname:loop-control"),
 * if any; returns as modules_load_fs() does.
 */
int modules_load_alias(const char *alias);
/*
 * Whether the image carries module name (modules.dep lists it): a choice
 * made when the image was built (MODULES=host on a root on LVM takes
 * dm_mod). false without modules, or when it is built in.
 */
bool modules_has(const char *name);
/* After modules_load_fs() said -ENOENT and the mount failed: how to add it. */
void modules_hint_fs(const char *type);

/*
 * The kernel's request_module() runs "/sbin/modprobe -q -- NAME" (a module
 * or an alias: "nls_cp437", "fs-vfat", "crypto-..."); in an image with
 * modules that is a link to /init, which loads it. Exit status 0 if loaded.
 */
int modprobe_main(int argc, char **argv);

#endif
