/* A build without NET=1: an NFS root, or rd.neednet, has no root; plan_has_root() says why. */
#include "net/net.h"
#include "plan/plan.h"

#include <errno.h>

void net_plan(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;

	if (plan->root_error || (plan->root.kind != ROOT_NFS && !p->neednet))
		return;
	plan->root_error = -EINVAL;
	plan->root_why = plan->root.kind == ROOT_NFS ?
		"an NFS root needs an image built with NET=1 (make initramfs NET=1)" :
		"rd.neednet needs an image built with NET=1 (make initramfs NET=1)";
}

bool net_interface_present(const struct boot_plan *plan)
{
	(void)plan;
	return false;
}

int bring_up_network(struct boot_plan *plan)
{
	(void)plan;
	return 0;
}

int mount_nfs_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	(void)plan;
	(void)dir;
	(void)read_only;
	return -EOPNOTSUPP;
}
