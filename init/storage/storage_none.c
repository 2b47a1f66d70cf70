/* A build without STORAGE=1: a plan that needs unlocking or verifying is refused by name. */
#include "storage/storage.h"
#include "base/log.h"
#include "plan/plan.h"

#include <errno.h>

int assemble_storage(struct boot_plan *plan)
{
	const struct assembly *a;

	if (!plan->assemblies)
		return 0;
	a = &plan->assemble[0];
	err("%s (%s): this init was built without encrypted and verified roots",
	    a->param, a->kind == ASSEMBLE_VERITY ? "dm-verity" : a->source);
	err("hint: build the image with make initramfs STORAGE=1");
	return -EOPNOTSUPP;
}
