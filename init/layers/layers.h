/*
 * Layered and RAM roots: root=tmpfs filled from an archive (rd.image=), a
 * root filesystem image file on the root device (rd.loop=), a read-only
 * root under a writable layer (rd.overlay) and a root copied into RAM
 * (rd.copytoram). Whatever is built ends up mounted on NEW_ROOT; the
 * layers it stands on are under /run/handoff, which moves into the new root.
 * A build without LAYERS=1 links layers_none.c, which refuses them.
 */
#ifndef HANDOFF_LAYERS_H
#define HANDOFF_LAYERS_H

#include "plan/plan.h"
#include "base/util.h"

#include <stdbool.h>

#define LAYERS_DIR RUN_DIR
#define MEDIUM_DIR LAYERS_DIR "/medium"	/* the filesystem holding an image file */
#define LOWER_DIR LAYERS_DIR "/lower"	/* the read-only root under an overlay */
#define RW_DIR LAYERS_DIR "/rw"		/* the overlay's upper and work directories */


/* What is wrong with the layering parameters, if anything. */
enum layers_verdict {
	LAYERS_OK,
	LAYERS_NO_IMAGE,	/* root=tmpfs without rd.image= */
	LAYERS_CLASH,		/* two layerings that cannot be combined */
	LAYERS_IMAGE_IGNORED,	/* rd.image= with a device root: a warning */
};

/*
 * The verdict on the plan's layering (pure: no I/O, no messages); with
 * LAYERS_CLASH, *clash names the parameters ("rd.loop", "rd.overlay with
 * rd.copytoram"), else it is NULL. build_layered_root() says it.
 */
enum layers_verdict layers_check(const struct boot_params *p, const struct root_spec *spec,
				 const char **clash);

/*
 * Builds the root the plan describes on NEW_ROOT, waiting for its devices
 * on the plan's uevents; reports failures and leaves nothing half-built.
 */
int build_layered_root(struct boot_plan *plan);

/* ramroot.c: the archive on fd unpacked into the tmpfs on NEW_ROOT. */
int unpack_image(int fd, const char *what, const struct boot_params *p);
/* ramroot.c: the tree on from copied into the tmpfs on NEW_ROOT. */
int copy_to_ram(const char *from, const struct boot_params *p);

#endif
