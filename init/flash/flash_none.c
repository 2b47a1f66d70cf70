/* A build without FLASH=1: a UBI or MTD root has no root; plan_has_root() says why. */
#include "flash/flash.h"
#include "plan/plan.h"

#include <errno.h>

void flash_plan(struct boot_plan *plan)
{
	if (plan->root_error || (plan->root.kind != ROOT_UBI && plan->root.kind != ROOT_MTD))
		return;
	plan->root_error = -EINVAL;
	plan->root_why = "UBI and MTD roots need an image built with FLASH=1 (make initramfs FLASH=1)";
}

int mount_flash_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	(void)plan;
	(void)dir;
	(void)read_only;
	return -EOPNOTSUPP;
}
