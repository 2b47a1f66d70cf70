/*
 * A build without CRYPT=1 or STORAGE=1: a plan that needs unlocking or
 * verifying has no root, and plan_has_root() says why with the parameters'
 * names. The volumes' stand-ins are volumes_none.c's, as in CRYPT=1.
 */
#include "storage/storage.h"
#include "plan/plan.h"

#include <errno.h>

void storage_plan(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;

	if ((p->luks && p->lukswords) || (p->verity && p->roothash) || p->volwords) {
		plan->root_error = -EINVAL;
		plan->root_why = "rd.luks.* and roothash= need an image built with CRYPT=1, rd.lvm.* and rd.md.* one with STORAGE=1 (it has all)";
	}
}

void storage_read(struct boot_plan *plan, bool report)
{
	(void)plan;
	(void)report;
}

int assemble_storage(struct boot_plan *plan)
{
	(void)plan;
	return 0;
}
