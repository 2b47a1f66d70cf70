/* UBI and MTD roots (placeholder: attach, wait and mount come next). */
#include "base/log.h"
#include "flash/flash.h"
#include "plan/plan.h"

#include <errno.h>

void flash_plan(struct boot_plan *plan)
{
	(void)plan;
}

int mount_flash_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	(void)dir;
	(void)read_only;
	err("root=%s: flash roots are not written yet", plan->params.root);
	return -ENOSYS;
}
