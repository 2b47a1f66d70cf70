/* The network stage (placeholder: ip=, DHCP and the record come next). */
#include "base/log.h"
#include "net/net.h"
#include "plan/plan.h"

#include <errno.h>

void net_plan(struct boot_plan *plan)
{
	(void)plan;
}

int bring_up_network(struct boot_plan *plan)
{
	if (plan->root.kind != ROOT_NFS && !plan->params.neednet)
		return 0;
	err("ip=%s: the network stage is not written yet", plan->params.ip ? plan->params.ip : "");
	return -ENOSYS;
}
