/* The storage stage: the plan's assemblies, in order (storage.h). */
#include "storage/storage.h"
#include "plan/plan.h"

#include <errno.h>

int assemble_storage(struct boot_plan *plan)
{
	int i, e = 0;

	for (i = 0; i < plan->assemblies && !e; i++) {
		const struct assembly *a = &plan->assemble[i];

		if (a->kind == ASSEMBLE_LUKS)
			e = unlock_luks(plan, a);
		else if (a->kind == ASSEMBLE_VERITY)
			e = verify_root(plan, a);
	}
	if (!e)
		resume_from_hibernation(plan);	/* swap may be on what was just unlocked */
	return e;
}
