/* The LUKS stage: wait for the container, get its key, unlock it (luks/). */
#include "storage/storage.h"
#include "plan/plan.h"

#include <errno.h>

int unlock_luks(struct boot_plan *plan, const struct assembly *a)
{
	(void)plan;
	(void)a;
	return -ENOSYS;
}
