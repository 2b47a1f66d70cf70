/*
 * resume=: bring a hibernated system back. It must run before any
 * filesystem is mounted: the hibernated kernel holds those filesystems'
 * state in its image, and mounting one first (even to replay a journal)
 * would change it under the resumed system. The kernel tries resume= on
 * its own before the init runs, but only for /dev/NAME, PARTUUID= and
 * MAJ:MIN of a device already there; UUID=, LABEL=, a late device, an LV
 * or a container unlocked here are for the init, which hands the device
 * to the kernel through /sys/power/resume (Documentation/power/swsusp.rst).
 */
#include "storage/storage.h"
#include "base/log.h"
#include "base/util.h"
#include "find/devices.h"
#include "plan/plan.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define SYS_RESUME "/sys/power/resume"
#define SYS_RESUME_OFFSET "/sys/power/resume_offset"

/* resume_offset= first: the kernel reads the image where both point. */
static int set_offset(const char *offset)
{
	uint64_t v;
	int e;

	if (!offset)
		return 0;
	if (parse_u64(offset, 10, &v)) {
		err("resume_offset=%s is not a number of pages: booting without resuming", offset);
		return -EINVAL;
	}
	e = write_file(SYS_RESUME_OFFSET, offset);
	if (e)
		err("resume_offset=%s: cannot write %s: %s; booting without resuming", offset,
		    SYS_RESUME_OFFSET, errtext(-e));
	return e;
}

void resume_from_hibernation(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	struct device_req r = { "resume", "resume", p->resume, NULL, p->wait, p->wait_s, true };
	struct root_dev d = { .fd = -1 };
	struct root_spec spec;
	const char *why;
	char num[24];
	int e;

	if (!p->resume || p->noresume)
		return;
	if (access(SYS_RESUME, F_OK)) {
		warn("resume=%s: this kernel cannot resume (no %s: CONFIG_HIBERNATION); booting",
		     p->resume, SYS_RESUME);
		return;
	}
	if (rootspec_parse(p->resume, &spec, &why)) {
		err("resume=%s: %s; booting without resuming", p->resume, why);
		return;
	}
	r.spec = &spec;
	/* A missing swap must not hold a machine forever: rootwait is the root's. */
	if (r.wait == WAIT_FOREVER)
		r.wait = WAIT_DEFAULT;
	if (wait_for_device(&r, &plan->events, &d)) {
		warn("resume=%s: booting without resuming", p->resume);
		return;
	}
	device_release(&d);
	if (set_offset(p->resume_offset))
		return;
	fmt_buf(num, sizeof(num), "%u:%u", d.major, d.minor);
	info("resume=%s is %s: resuming from it if it holds a hibernated image", p->resume, d.node);
	/* A valid image never comes back from this write. */
	e = write_file(SYS_RESUME, num);
	if (e)
		err("resume=%s: cannot write %s to %s: %s; booting without resuming", p->resume,
		    num, SYS_RESUME, errtext(-e));
	else
		info("resume=%s: no hibernated image there; booting", p->resume);
}
