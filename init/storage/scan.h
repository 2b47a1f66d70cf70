/*
 * Stacked storage, assembled as its devices appear: every block device the
 * kernel announces while the init waits (or that was there before it
 * listened) is looked at by each kind, which gathers its members (LVM
 * physical volumes, md RAID members) and activates a volume group or
 * starts an array once it is whole and wanted. What that creates is a new
 * block device, announced in turn: so LVM on LUKS, LUKS on LVM and LVM on
 * md assemble in whatever order the layout needs, during whichever wait is
 * on (a LUKS container's, resume='s, the root's). Built with STORAGE=1,
 * not with CRYPT=1 alone (volumes_none.c).
 */
#ifndef HANDOFF_SCAN_H
#define HANDOFF_SCAN_H

#include "find/probe.h"

#include <stdbool.h>

struct boot_plan;

/* A block device that appeared, held open read-only while the kinds look. */
struct scanned {
	const char *name;	/* the kernel's name: vdb, dm-3, md127p1 */
	unsigned int major, minor;
	int fd;
	struct probe_dev dev;	/* reads through fd; dev.size in bytes, never 0 */
	long seen_ms;		/* its event's arrival, or the look's at it (log_ms()) */
};

/*
 * Each kind, in the same contract (storage/lvm.c, storage/md.c):
 * prepare: once, after the first look at the devices (at coldplug's
 * start, before any disk driver, when the image has modules): loads the
 * kind's modules the image carries for a plan that may use them, and
 * makes ahead what can be made before its members are there;
 * notice: looks at one device (it may be seen again: a change event, a
 * rescan after lost events) and keeps what it learns in the plan;
 * settle: activates or starts what is now whole and wanted, or due (a
 * degraded start); returns the ms until it wants to be called again,
 * -1 for never; called after every notice and at every wait's start;
 * explain: after a wait ran out, says what is incomplete and what is
 * missing from it, by name.
 */
void lvm_prepare(struct boot_plan *plan);
void lvm_notice(struct boot_plan *plan, const struct scanned *d);
long lvm_settle(struct boot_plan *plan);
void lvm_explain(const struct boot_plan *plan);
void md_prepare(struct boot_plan *plan);
void md_notice(struct boot_plan *plan, const struct scanned *d);
long md_settle(struct boot_plan *plan);
void md_explain(const struct boot_plan *plan);

/*
 * The volumes' words into the plan, from storage_plan(): rd.md.uuid= and
 * rd.md.waitdegraded= (rd.lvm.* are read where a volume group is decided).
 * A CRYPT=1 build has no volumes (volumes_none.c): it refuses them by name.
 */
void md_plan(struct boot_plan *plan);

#endif
