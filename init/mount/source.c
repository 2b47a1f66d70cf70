/*
 * Where the root's filesystem comes from, one place for main() and for
 * the layers (an overlay's lower layer, a copy to RAM): a block device,
 * or one of the sources that are none (an export, a host directory, a
 * flash volume), each mounted by its own stage.
 */
#include "flash/flash.h"
#include "find/gptauto.h"
#include "mount/mount.h"
#include "net/net.h"
#include "storage/storage.h"

#include <errno.h>

/* A device root: wait for it (unless coldplug found it), then mount it. */
static int mount_device_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	struct device_req want;
	int e;

	device_req_root(&want, &plan->params, &plan->root);
	if (plan->root.kind == ROOT_GPT_AUTO) {
		e = gptauto_find_root(plan);	/* no root=: by partition type */
		read_only |= plan->params.read_only;	/* its GPT flag 60 makes it so */
	} else {
		e = wait_for_device(&want, &plan->events, &plan->found);
	}
	if (e == -ETIMEDOUT)
		explain_storage(plan);	/* a volume group or an array it waited for */
	if (e)
		return e;
	timing_mark(&plan->times, STEP_DEVICE);
	return mount_root(&plan->params, &plan->found, dir, read_only);
}

int mount_root_source(struct boot_plan *plan, const char *dir, bool read_only)
{
	int e;

	switch (plan->root.kind) {
	case ROOT_NFS:
		e = mount_nfs_root(plan, dir, read_only);
		break;
	case ROOT_VIRTIOFS:
	case ROOT_9P:
		e = mount_host_root(plan, dir, read_only);
		break;
	case ROOT_UBI:
	case ROOT_MTD:
		e = mount_flash_root(plan, dir, read_only);
		break;
	default:
		return mount_device_root(plan, dir, read_only);
	}
	if (!e)
		timing_mark(&plan->times, STEP_DEVICE);
	return e;
}
