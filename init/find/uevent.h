/*
 * The kernel's uevents: one source, the plan's, opened at most once, on
 * its first use (before the first module loads, or when a device is not
 * there at the first look: no device is announced before we listen), and
 * read by whoever waits: coldplug, the wait for the root, the assembly
 * stages. A boot whose root is there and whose image has no modules never
 * opens it (opening it at start cost 5 to 10 % of the stage under TCG:
 * docs/bench.md).
 * A uevent as NETLINK_KOBJECT_UEVENT delivers it is a header
 * "ACTION@DEVPATH", then "KEY=VALUE" fields, each ending in a NUL.
 */
#ifndef HANDOFF_UEVENT_H
#define HANDOFF_UEVENT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Called with every event (msg, n bytes), and with msg NULL when events
 * were lost or there is no socket: look at what is present instead.
 */
typedef void (*uevent_fn)(void *ctx, const char *msg, size_t n);

struct uevents {
	int fd;			/* the netlink socket; -1: none (yet), poll instead */
	bool tried;		/* uevents_listen() ran: fd is what it got */
	uevent_fn handler;	/* main() sets it: the module loader's, through storage/ */
	void *ctx;
	/*
	 * Called at the start of every wait: does what is due (an md array
	 * started degraded once its wait is over) and returns the ms until it
	 * wants to be called again, -1 for never. NULL: none.
	 */
	long (*tick)(void *ctx);
};

#define UEVENT_BLOCK 1	/* a block device came or changed */
#define UEVENT_LOST 2	/* events were lost (ENOBUFS): look again (with UEVENT_BLOCK) */
#define UEVENT_VIRTIO 4	/* a virtio device came or was bound: a host directory's tag */
#define UEVENT_NET 8	/* a network interface came: an NFS root's coldplug may stop */
/* As uevents_wait()'s wake: any event at all (a UBI volume's, an MTD device's: flash/). */
#define UEVENT_ANY 0

/*
 * Opens the socket (nonblocking) the first time; later calls do nothing.
 * Returns true when this call opened it (the caller then looks at what
 * came before). Without one, waits poll (said with rd.debug).
 */
bool uevents_listen(struct uevents *u);

/* Empties the socket, handing each event on; returns the UEVENT_* bits seen. */
int uevents_drain(struct uevents *u);

/*
 * Blocks until an event of a kind in wake (UEVENT_* bits: what the waiter
 * looks for; UEVENT_ANY: any) arrives or ms pass (polling every 20 ms without a socket), or
 * sooner when the tick wants it; every event is handed on meanwhile.
 * Returns the UEVENT_* bits seen.
 */
int uevents_wait(struct uevents *u, long ms, int wake);

/*
 * The value of key (with its "=": "SUBSYSTEM=") in msg (n bytes, from
 * recv), NUL-terminated inside msg; the first if repeated. NULL when the
 * key is absent, its field is cut by the buffer (no NUL before the end),
 * or msg has no kernel header (libudev's messages start "libudev").
 */
const char *uevent_value(const char *msg, size_t n, const char *key);

/*
 * The next "MODALIAS=" value of a kernel uevent from *pos (starts at 0),
 * pointing into msg. Only "add" events have any: false at the end, and
 * for other events.
 */
bool uevent_modalias(const char *msg, size_t n, size_t *pos, const char **alias, size_t *len);

#endif
