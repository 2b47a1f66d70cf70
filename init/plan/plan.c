#include "plan/plan.h"
#include "flash/flash.h"
#include "net/net.h"
#include "base/log.h"
#include "base/util.h"
#include "storage/storage.h"

#include <errno.h>
#include <string.h>

/* A file read whole into buf (empty on failure); its length, or -errno. */
static long read_line(const char *path, char *buf, size_t size)
{
	long n = read_text(path, buf, size);

	if (n < 0)
		buf[0] = '\0';
	return n;
}

/*
 * mount.usr= names /usr's device; with only mount.usrfstype= or
 * mount.usrflags= it is root='s (systemd-fstab-generator's rule).
 */
static void resolve_usr(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	const char *what = p->usr ? p->usr : p->root;

	plan->usr_why = NULL;
	plan->usr_error = 0;
	plan->usr_read_only = false;
	plan->want_usr = p->usr || p->usrfstype || p->usrflags;
	if (!plan->want_usr)
		return;
	if (!what) {
		plan->usr_error = -EINVAL;
		plan->usr_why = "names no device, and there is no root= to take instead";
	} else if (rootspec_parse(what, &plan->usr, &plan->usr_why)) {
		plan->usr_error = -EINVAL;
	} else if (plan->usr.kind == ROOT_GPT_AUTO && !p->usr) {
		plan->want_usr = false;	/* the discovery finds /usr with the root */
	} else if (!rootspec_is_block(plan->usr.kind)) {
		plan->usr_error = -EOPNOTSUPP;
		plan->usr_why = "must name a block device";
	}
}

void plan_resolve(struct boot_plan *plan)
{
	struct boot_params *p = &plan->params;

	plan->root_why = NULL;
	plan->root_error = 0;
	/* nfsroot= alone is an NFS root, as for the kernel (its nfsroot= sets Root_NFS). */
	if (!p->root && p->nfsroot)
		p->root = "/dev/nfs";
	/* No root= anywhere: systemd's GPT auto-discovery, named as its root=gpt-auto. */
	plan->root_implied = !p->root && p->gpt_auto;
	if (plan->root_implied)
		p->root = "gpt-auto";
	if (!p->root)
		plan->root_error = -EINVAL;
	else if (rootspec_hostdir(p->root, p->rootfstype, &plan->root))
		;	/* rootfstype=virtiofs or 9p: root= is the tag */
	else if (rootspec_parse(p->root, &plan->root, &plan->root_why))
		plan->root_error = -EINVAL;
	else if (plan->root.kind == ROOT_UNSUPPORTED)
		plan->root_error = -EOPNOTSUPP;
	else if (plan->root.kind == ROOT_GPT_AUTO && (!p->gpt_auto || p->overlay || p->loop ||
						      p->copytoram)) {
		plan->root_error = -EINVAL;
		plan->root_why = !p->gpt_auto ?
			"systemd.gpt_auto=0 (or rd.systemd.gpt_auto=0) turns GPT auto-discovery off" :
			"GPT auto-discovery finds a plain device root only: name the root for rd.overlay, rd.loop or rd.copytoram";
	}
	resolve_usr(plan);
	plan->assemblies = 0;
	storage_plan(plan);
	net_plan(plan);
	flash_plan(plan);
	plan->layered = !plan->root_error && (plan->root.kind == ROOT_TMPFS || p->overlay ||
					      p->loop || p->copytoram);
	/*
	 * Coldplug may stop once the root device is there only for a plain
	 * device root: layers need more devices than root= names.
	 */
	/* GPT auto-discovery: "the only disk" is known only once every driver is in. */
	/* A container's device is not the root: every driver, as for layers. */
	/*
	 * A virtio transport, a flash chip: not the root's block device. An
	 * NFS root's coldplug stops at the first network interface instead
	 * (modules.c); rd.neednet's NIC is no root to stop at.
	 */
	plan->coldplug_all = p->coldplug_all || plan->layered || p->image || plan->root_error ||
			     plan->root.kind == ROOT_GPT_AUTO || plan->assemblies ||
			     plan->root.kind > ROOT_NFS || p->neednet;
}

/* The image's line, when the kernel's has no root=: its words go first. */
static void use_builtin(struct boot_plan *plan, bool report)
{
	struct boot_params *p = &plan->params;
	long n = read_line(BUILTIN_CMDLINE, plan->builtin, sizeof(plan->builtin));

	if (n < 0) {
		if (report && n != -ENOENT)
			err("cannot read the built-in command line %s: %s; booting without it",
			    BUILTIN_CMDLINE, errtext((int)n));
		return;
	}
	cmdline_parse_under(plan->builtin, &plan->words, p);
}

/* Words a rescue shell left for the retry: parsed last, so each one wins. */
static void use_override(struct boot_plan *plan, bool report)
{
	long n = read_line(RESCUE_CMDLINE, plan->override, sizeof(plan->override)), i;

	if (n == -ENOENT)
		return;
	if (n < 0) {
		if (report)
			err("cannot read %s: %s; booting with the kernel's parameters",
			    RESCUE_CMDLINE, errtext((int)n));
		return;
	}
	for (i = 0; i < n; i++)
		if (plan->override[i] == '\n')
			plan->override[i] = ' ';
	while (n > 0 && plan->override[n - 1] == ' ')
		plan->override[--n] = '\0';
	if (report)
		notice("parameters from %s over the kernel's: %s", RESCUE_CMDLINE, plan->override);
	cmdline_parse_more(plan->override, &plan->params);
}

void plan_init(struct boot_plan *plan)
{
	plan->events.fd = -1;
	plan->found.fd = -1;
}

void plan_read(struct boot_plan *plan, bool report)
{
	struct boot_params *p = &plan->params;
	long n = read_line("/proc/cmdline", plan->kernel, sizeof(plan->kernel));
	int i;

	if (n < 0 && report)
		err("cannot read /proc/cmdline: %s; booting with defaults", errtext((int)n));
	else if (n == sizeof(plan->kernel) - 1 && report)
		warn("the kernel command line is longer than %d bytes: reading only those",
		     CMDLINE_MAX - 1);
	/* Split once: with the built-in line the kernel's words apply again over it. */
	cmdline_parse_default(plan->kernel, &plan->words, NULL, p);
	if (!p->root)
		use_builtin(plan, report);
	use_override(plan, report);
	storage_read(plan, report);
	plan_resolve(plan);
	/* A retry looks for its root afresh. */
	device_release(&plan->found);
	memset(&plan->found, 0, sizeof(plan->found));
	plan->found.fd = -1;
	if (!report)
		return;
	log_set_debug(p->debug);
	if (p->builtin)
		info("no root= from the kernel: using the built-in command line %s under the kernel's",
		     BUILTIN_CMDLINE);
	for (i = 0; i < p->problems; i++)
		warn("ignoring %s=: it %s", p->problem[i], p->problem_why[i]);
}

bool plan_has_root(const struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;

	if (!plan->root_error)
		return true;
	if (!p->root) {
		err("no root= on the kernel command line%s: nothing to boot",
		    p->builtin ? " nor in the built-in one" : "");
		err("hint: add root=/dev/NAME, root=UUID=... or root=PARTUUID=... to the kernel command line%s",
		    p->gpt_auto ? "" : ", or drop systemd.gpt_auto=0 to find a GPT root partition by its type");
	} else if (plan->root_error == -EOPNOTSUPP) {
		err("root=%s: RAM-disk roots (the old initrd) are not supported by handoff", p->root);
		err("hint: give the image to the kernel as an initramfs, or use root=tmpfs rd.image=IMAGE");
	} else {
		err("root=%s%s: %s", p->root, p->builtin ? " (from the built-in command line)" : "",
		    plan->root_why);
	}
	return false;
}
