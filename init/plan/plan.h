/*
 * The boot plan: everything main() decided from the command lines, read
 * once (the kernel's, the image's built-in one, and the words a rescue
 * shell left for a retry). The stages read it; nothing else reads
 * /proc/cmdline.
 */
#ifndef HANDOFF_PLAN_H
#define HANDOFF_PLAN_H

#include "base/timings.h"
#include "find/devices.h"
#include "find/uevent.h"
#include "lvm/lvm.h"
#include "md/md.h"
#include "net/net.h"
#include "plan/cmdline.h"
#include "plan/rootspec.h"

#include <stdbool.h>

/* Words a rescue shell leaves for the retry (rescue/): read over the kernel's. */
#define RESCUE_CMDLINE RUN_DIR "/cmdline"

/*
 * A device that must be assembled before the root can appear: unlocked,
 * activated or brought up by a stage between "devices appear" and "the
 * root appears" (storage/). The root named by root= may exist only after.
 */
enum assembly_kind {
	ASSEMBLE_NONE,
	ASSEMBLE_LUKS,		/* rd.luks.uuid=, rd.luks.name=, a crypttab line */
	ASSEMBLE_VERITY,	/* roothash= with the root's data and hash devices */
};

struct assembly {
	enum assembly_kind kind;
	const char *param;	/* what asked for it, for messages: "rd.luks.uuid", "crypttab" */
	char source[128];	/* the container: UUID=..., or any root= form */
	char name[64];		/* the mapping: /dev/mapper/NAME */
	char key[128];		/* a key file's path, "" to ask for a passphrase */
	char keydev[128];	/* the device the key file is on (any root= form), "" for the image */
	char options[256];	/* crypttab's or rd.luks.options=: discard, no-read-workqueue, ... */
};

#define PLAN_ASSEMBLIES_MAX 16

struct boot_plan {
	struct boot_params params;	/* every parameter, pointing into the lines below */
	struct root_spec root;		/* valid when root_error is 0 */
	int root_error;			/* -errno: no root=, unusable or unsupported */
	const char *root_why;		/* rootspec_parse()'s reason, with -EINVAL */
	bool root_implied;		/* no root= given: params.root is "gpt-auto" (find/gptauto.c) */
	bool layered;			/* layers/ builds the root: tmpfs, overlay, loop, RAM */
	/*
	 * /usr on its own filesystem (mount/usr.c): mount.usr= (or root= when
	 * only mount.usrfstype= or mount.usrflags= is given), or the /usr
	 * partition GPT auto-discovery found; usr_read_only forces ro (GPT
	 * flag 60).
	 */
	bool want_usr;
	struct root_spec usr;	/* valid when want_usr and usr_error is 0 */
	int usr_error;
	const char *usr_why;
	bool usr_read_only;
	char fstab[4096];	/* the new root's /etc/fstab, when /usr is taken from it */
	/* Coldplug stops once the root device is there, unless this is set. */
	bool coldplug_all;
	struct assembly assemble[PLAN_ASSEMBLIES_MAX];
	int assemblies;
	char crypttab[4096];	/* the image's /etc/crypttab (make initramfs LUKS=...) */
	/* What the scan of appearing devices learnt (storage/scan.h). */
	struct lvm_state lvm;
	struct md_state md;
	bool scanned;		/* every block device present was looked at once */
	struct net_state net;	/* what the network stage configured (net/) */

	struct uevents events;		/* one source, opened on first use, read by whoever waits */
	struct root_dev found;		/* the root device, held from the first look to its mount */
	struct timings times;		/* one mark per stage, written to TIMINGS_FILE */

	/* The lines the parameters point into; the kernel's split once into words. */
	char kernel[CMDLINE_MAX], builtin[CMDLINE_MAX], override[CMDLINE_MAX];
	struct cmdline_words words;
};

/*
 * What the parameters decide (pure: no I/O, no messages): the root spec
 * or its error, whether the root is layered, whether coldplug loads every
 * driver. Called by plan_read() once the lines are parsed.
 */
void plan_resolve(struct boot_plan *plan);

/* A zeroed plan (a static one) made empty: no socket, no device held. */
void plan_init(struct boot_plan *plan);

/*
 * Reads the kernel's line, the built-in one and a retry's words into plan
 * and parses them. With report, says what it could not read, what it
 * ignored and which line it used (modprobe, a helper process, is silent).
 */
void plan_read(struct boot_plan *plan, bool report);

/* Whether the plan has a root to look for; if not, says why (once per try). */
bool plan_has_root(const struct boot_plan *plan);

#endif
