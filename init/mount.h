/* The kernel's API filesystems, the console, and the real root's mount. */
#ifndef HANDOFF_MOUNT_H
#define HANDOFF_MOUNT_H

#include "cmdline.h"
#include "devices.h"

#include <stdbool.h>

#define NEW_ROOT "/sysroot"

/* /dev, /proc, /sys and /run; each failure is reported, none is fatal here. */
int mount_api_filesystems(void);
/* Puts fds 0-2 on /dev/console; without one, on /dev/null if or_null. */
void open_console(bool or_null);
/* Mounts the root on NEW_ROOT and checks it is a mount on another device. */
int mount_real_root(const struct boot_params *p, const struct root_dev *dev);

#endif
