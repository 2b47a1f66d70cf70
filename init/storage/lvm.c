/* LVM volume groups, activated as their physical volumes appear (placeholder). */
#include "storage/scan.h"
#include "plan/plan.h"

void lvm_notice(struct boot_plan *plan, const struct scanned *d)
{
	(void)plan;
	(void)d;
}

long lvm_settle(struct boot_plan *plan)
{
	(void)plan;
	return -1;
}

void lvm_explain(const struct boot_plan *plan)
{
	(void)plan;
}
