/* md RAID arrays, started as their members appear (placeholder). */
#include "storage/scan.h"
#include "plan/plan.h"

void md_notice(struct boot_plan *plan, const struct scanned *d)
{
	(void)plan;
	(void)d;
}

long md_settle(struct boot_plan *plan)
{
	(void)plan;
	return -1;
}

void md_explain(const struct boot_plan *plan)
{
	(void)plan;
}
