/*
 * A kernel uevent as NETLINK_KOBJECT_UEVENT delivers it: a header
 * "ACTION@DEVPATH", then "KEY=VALUE" fields, each ending in a NUL.
 */
#ifndef HANDOFF_UEVENT_H
#define HANDOFF_UEVENT_H

#include <stddef.h>

/*
 * The value of key (with its "=": "SUBSYSTEM=") in msg (n bytes, from
 * recv), NUL-terminated inside msg; the first if repeated. NULL when the
 * key is absent, its field is cut by the buffer (no NUL before the end),
 * or msg has no kernel header (libudev's messages start "libudev").
 */
const char *uevent_value(const char *msg, size_t n, const char *key);

#endif
