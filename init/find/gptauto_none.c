/* For a build without disk probes (make PROBES=none): no partition tables to read. */
#include "find/gptauto.h"
#include "base/log.h"
#include "plan/plan.h"

#include <errno.h>

int gptauto_find_root(struct boot_plan *plan)
{
	if (plan->root_implied)
		err("no root= on the kernel command line%s: nothing to boot",
		    plan->params.builtin ? " nor in the built-in one" : "");
	err("GPT auto-discovery (root=gpt-auto, or no root=) needs the disk probes, and this init was built with PROBES=none");
	err("hint: add root=/dev/NAME to the kernel command line, or build the image with the probes");
	return -EOPNOTSUPP;
}
