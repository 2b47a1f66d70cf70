/* Loop devices: a filesystem image file made a block device to mount. */
#ifndef HANDOFF_LOOPDEV_H
#define HANDOFF_LOOPDEV_H

#include "find/devices.h"

/*
 * Attaches the open image file read-only to a free loop device and fills
 * out (node, numbers, probed type). Returns the loop device's fd, to be
 * closed once it is mounted (it detaches itself when no longer used), or
 * -errno, reported naming what.
 */
int loop_attach(int file_fd, const char *what, struct root_dev *out);

#endif
