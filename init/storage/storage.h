/*
 * The storage stage: what must be unlocked or verified before the root
 * can appear (the plan's assemblies), run between "devices appear" and
 * "the root appears". Built with STORAGE=1; otherwise storage_none.c
 * refuses such a plan by name.
 */
#ifndef HANDOFF_STORAGE_H
#define HANDOFF_STORAGE_H

#include <stdbool.h>

struct boot_plan;

/*
 * The plan's assemblies from its parameters (storage/plan.c): the LUKS
 * containers of rd.luks.* and the verity root of roothash=. Pure; called
 * by plan_resolve(). Without STORAGE=1, any of those words is one
 * assembly, which assemble_storage() refuses by name.
 */
void storage_plan(struct boot_plan *plan);

/* The image's crypttab (make initramfs LUKS=...) into the plan; its bad lines said once. */
#define CRYPTTAB "/etc/crypttab"
void storage_read(struct boot_plan *plan, bool report);

/*
 * Unlocks every LUKS container and sets up the verity root the plan
 * names, in order, waiting for each device on the plan's uevents. Each
 * mapping is recorded for the way back. Returns 0, or -errno once the
 * failure is said (naming the container, the parameter and what to do).
 */
int assemble_storage(struct boot_plan *plan);

/*
 * Hands the plan's uevents to the module loader and, with STORAGE=1, to
 * the scan of appearing devices (scan.h): LVM and md assemble during any
 * wait. main() calls it once, before anything waits.
 */
void storage_listen(struct boot_plan *plan);

/* After a wait for a device ran out: what is incomplete (a volume group, an array) and why. */
void explain_storage(const struct boot_plan *plan);

/*
 * resume=: before any filesystem is mounted, hands the hibernated image's
 * device (and resume_offset=) to the kernel, which restores it and never
 * returns here; a device without an image, or none, and the boot goes on.
 */
void resume_from_hibernation(struct boot_plan *plan);

/* The kinds' stages (storage/luks.c, storage/verity.c), in the same contract. */
struct assembly;
int unlock_luks(struct boot_plan *plan, const struct assembly *a);
int verify_root(struct boot_plan *plan, const struct assembly *a);

#endif
