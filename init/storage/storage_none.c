/* A build without STORAGE=1: a plan that needs unlocking or verifying is refused by name. */
#include "storage/storage.h"
#include "base/log.h"
#include "plan/plan.h"

#include <errno.h>

void storage_plan(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;

	if ((p->luks && p->lukswords) || (p->verity && p->roothash)) {
		plan->assemble[0].kind = p->roothash ? ASSEMBLE_VERITY : ASSEMBLE_LUKS;
		plan->assemble[0].param = p->roothash ? "roothash" : "rd.luks.uuid";
		plan->assemblies = 1;
	}
}

int assemble_storage(struct boot_plan *plan)
{
	const struct assembly *a;

	if (!plan->assemblies)
		return 0;
	a = &plan->assemble[0];
	err("%s=: this init was built without %s roots", a->param,
	    a->kind == ASSEMBLE_VERITY ? "dm-verity" : "encrypted (LUKS)");
	err("hint: build the image with make initramfs STORAGE=1");
	return -EOPNOTSUPP;
}
