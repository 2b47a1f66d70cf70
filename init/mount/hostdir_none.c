/*
 * For the smallest init (make PROBES=none), whose roots are block devices
 * named by root=: host directories (virtiofs, 9p) are refused by name.
 */
#include "base/log.h"
#include "mount/mount.h"

#include <errno.h>

int mount_host_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	(void)dir;
	(void)read_only;
	err("root=%s: host directories (virtiofs, 9p) need an init built with the probes, and this one was built with PROBES=none",
	    plan->params.root);
	return -EOPNOTSUPP;
}
