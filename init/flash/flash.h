/*
 * Flash roots (FLASH=1; otherwise flash_none.c refuses them by name): UBI
 * volumes (root=ubi0:VOL, ubi0_N, ubi:VOL), attached from ubi.mtd= when
 * the kernel has not, and filesystems on raw MTD (root=mtd:NAME, mtdN).
 */
#ifndef HANDOFF_FLASH_H
#define HANDOFF_FLASH_H

#include <stdbool.h>

struct boot_plan;

/* From the parameters (pure, called by plan_resolve()): a flash root it cannot use is root_error. */
void flash_plan(struct boot_plan *plan);

/* The UBI volume or MTD root on dir, waiting for it within the root's wait. */
int mount_flash_root(struct boot_plan *plan, const char *dir, bool read_only);

#endif
