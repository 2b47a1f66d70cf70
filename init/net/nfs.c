/* NFS roots (placeholder: the mount comes next). */
#include "net/net.h"

#include <errno.h>

int mount_nfs_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	(void)plan;
	(void)dir;
	(void)read_only;
	return -ENOSYS;
}
