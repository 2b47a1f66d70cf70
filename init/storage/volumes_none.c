/*
 * A build without STORAGE=1's volumes (LVM, md RAID, resume from
 * hibernation): CRYPT=1, and the default build with storage_none.c. A
 * CRYPT=1 plan with their words is refused by name, not waited on (the
 * default build's storage_plan() refuses them with the rest); blocks that
 * appear are left to the root's wait.
 */
#include "storage/scan.h"
#include "storage/storage.h"
#include "find/identify.h"
#include "modules/modules.h"
#include "plan/plan.h"

#include <errno.h>

void md_plan(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;

	if (p->volwords || p->md_waitdegraded) {
		plan->root_error = -EINVAL;
		plan->root_why = "rd.lvm.* and rd.md.* need an image built with STORAGE=1 (this one has CRYPT=1: LUKS and verity)";
	}
}

void storage_claim(const struct probe_dev *d, struct probe_fs *fs)
{
	(void)d;
	(void)fs;
}

void storage_listen(struct boot_plan *plan)
{
	plan->events.handler = modules_uevent;
}

void explain_storage(const struct boot_plan *plan)
{
	(void)plan;
}

void resume_from_hibernation(struct boot_plan *plan)
{
	(void)plan;
}
