/* Host directories QEMU shares with the guest: virtiofs and 9p (placeholder: the wait comes). */
#include "base/log.h"
#include "base/util.h"
#include "mount/mount.h"

#include <errno.h>
#include <sys/mount.h>

int mount_host_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	const struct boot_params *p = &plan->params;
	const char *type = plan->root.kind == ROOT_VIRTIOFS ? "virtiofs" : "9p";
	int e;

	if (!mount(plan->root.value, dir, type, read_only ? MS_RDONLY : 0, p->rootflags))
		return 0;
	e = -errno;
	err("cannot mount the %s tag %s on %s: %s", type, plan->root.value, dir, errtext(e));
	return e;
}
