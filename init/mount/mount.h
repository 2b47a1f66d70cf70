/* The kernel's API filesystems, the console, and the real root's mount. */
#ifndef HANDOFF_MOUNT_H
#define HANDOFF_MOUNT_H

#include "plan/cmdline.h"
#include "find/devices.h"

#include <stdbool.h>

#define NEW_ROOT "/sysroot"

/* /dev, /proc, /sys and /run; each failure is reported, none is fatal here. */
int mount_api_filesystems(void);
/* Puts fds 0-2 on /dev/console; without one, on /dev/null if or_null. */
void open_console(bool or_null);
/* Mounts the root on NEW_ROOT and checks it is a mount on another device. */
int mount_real_root(const struct boot_params *p, struct root_dev *dev);
/* The same on another directory (layered roots), without the checks. */
int mount_root_at(const struct boot_params *p, const struct root_dev *dev, const char *dir);
/* dir is on another device than its parent: something is mounted there. */
int is_mounted(const char *dir);
/* After the new root failed (no init in it): says what was mounted there. */
void report_root_mounted(const struct boot_params *p, const struct root_dev *dev);
/* NEW_ROOT is a mount on another device than the initramfs (reported if not). */
int check_new_root(void);

#endif
