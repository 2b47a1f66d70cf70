/*
 * For builds without layered roots (the default; make LAYERS=1 has them):
 * the parameters are recognised and refused with a reason.
 */
#include "layers/layers.h"
#include "base/log.h"

#include <errno.h>

int build_layered_root(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	const struct root_spec *spec = &plan->root;

	err("%s: this init was built without layered and RAM roots", spec->kind == ROOT_TMPFS ?
	    "root=tmpfs" : p->overlay ? "rd.overlay" : p->loop ? "rd.loop" : "rd.copytoram");
	err("hint: build the image with make LAYERS=1 initramfs, or boot a device root without rd.overlay, rd.loop and rd.copytoram");
	return -EOPNOTSUPP;
}
