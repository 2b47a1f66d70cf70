/*
 * handoff: the initramfs /init. It finds the real root, mounts it, hands
 * the kernel's API filesystems over, switches into it and execs its init.
 * PID 1 must never exit: every failure ends in boot_failed(), which may
 * offer a rescue shell and try again, or boot_stopped(), which never returns.
 */
#include "plan/cmdline.h"
#include "find/devices.h"
#include "find/identify.h"
#include "layers/layers.h"
#include "base/log.h"
#include "modules/modules.h"
#include "mount/mount.h"
#include "handover/realinit.h"
#include "rescue/rescue.h"
#include "plan/rootspec.h"
#include "handover/switch.h"
#include "base/timings.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static char cmdline[CMDLINE_MAX], builtin[CMDLINE_MAX], scratch[CMDLINE_MAX];
static char override[CMDLINE_MAX];
static struct boot_params params;

/* Returns the image's built-in command line, or NULL when it has none. */
static char *read_builtin_cmdline(void)
{
	long n = read_text(BUILTIN_CMDLINE, builtin, sizeof(builtin));

	if (n == -ENOENT)
		return NULL;
	if (n < 0) {
		err("cannot read the built-in command line %s: %s; booting without it",
		    BUILTIN_CMDLINE, errtext((int)n));
		return NULL;
	}
	return builtin;
}

/* Words a rescue shell left for the retry: parsed last, so each one wins. */
static void read_override(struct boot_params *p)
{
	long n = read_text(RESCUE_CMDLINE, override, sizeof(override)), i;

	if (n == -ENOENT)
		return;
	if (n < 0) {
		err("cannot read %s: %s; booting with the kernel's parameters", RESCUE_CMDLINE,
		    errtext((int)n));
		return;
	}
	for (i = 0; i < n; i++)
		if (override[i] == '\n')
			override[i] = ' ';
	while (n > 0 && override[n - 1] == ' ')
		override[--n] = '\0';
	notice("parameters from %s over the kernel's: %s", RESCUE_CMDLINE, override);
	cmdline_parse_more(override, p);
}

static void read_kernel_cmdline(struct boot_params *p)
{
	long n = read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	int i;

	if (n < 0) {
		err("cannot read /proc/cmdline: %s; booting with defaults", errtext((int)n));
		cmdline[0] = '\0';
	} else if (n == sizeof(cmdline) - 1) {
		warn("the kernel command line is longer than %d bytes: reading only those",
		     CMDLINE_MAX - 1);
	}
	cmdline_parse_default(cmdline, scratch, NULL, p);
	/* The image's own line matters only when the kernel's has no root=. */
	if (!p->root)
		cmdline_parse_default(cmdline, scratch, read_builtin_cmdline(), p);
	read_override(p);
	log_set_debug(p->debug);
	if (p->builtin)
		info("no root= from the kernel: using the built-in command line %s under the kernel's",
		     BUILTIN_CMDLINE);
	for (i = 0; i < p->problems; i++)
		warn("ignoring %s=: it %s", p->problem[i], p->problem_why[i]);
}

static int parse_root(const struct boot_params *p, struct root_spec *spec)
{
	const char *why;

	if (!p->root) {
		err("no root= on the kernel command line%s: nothing to boot",
		    p->builtin ? " nor in the built-in one" : "");
		err("hint: add root=/dev/NAME, root=UUID=... or root=PARTUUID=... to the kernel command line");
		return -EINVAL;
	}
	if (rootspec_parse(p->root, spec, &why)) {
		err("root=%s%s: %s", p->root, p->builtin ? " (from the built-in command line)" : "", why);
		return -EINVAL;
	}
	if (spec->kind == ROOT_UNSUPPORTED) {
		err("root=%s: NFS, RAM-disk and flash roots are not supported by handoff", p->root);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* A device root, or one built in layers or in RAM (layers.c). */
static int mount_new_root(const struct boot_params *p, const struct root_spec *spec,
			  struct root_dev *dev)
{
	int e;

	timing_mark(STEP_READY);
	memset(dev, 0, sizeof(*dev));
	if (layers_wanted(p, spec)) {
		e = build_layered_root(p, spec);
	} else {
		e = wait_for_root_device(spec, p, dev);
		if (!e)
			e = mount_real_root(p, dev);
	}
	release_root_device();
	return e;
}

typedef int (*personality_fn)(int argc, char **argv);

/*
 * Links in the image run this program under other names: the kernel's
 * request_module() runs /sbin/modprobe. PID 1 is always the init, whatever
 * name the kernel started it by (rdinit=/sbin/modprobe): a helper returns,
 * and PID 1 returning panics the kernel.
 */
static personality_fn other_personality(const char *name)
{
	if (getpid() == 1)
		return NULL;
	if (str_find(name, "modprobe"))
		return modprobe_main;
	/* The rescue shell's /bin/blkid links to us. */
	if (str_find(name, "blkid"))
		return blkid_main;
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	static char *no_args[2];
	char init[REALINIT_PATH_MAX];
	struct root_spec spec;
	personality_fn other;
	bool by_hand = false;	/* a root the rescue shell mounted on NEW_ROOT */
	struct root_dev dev;

	/* exec_real_init() writes argv[0]; make sure there is one. */
	if (argc < 1)
		argv = no_args;
	other = other_personality(argv[0] ? argv[0] : "");
	if (other)
		return other(argc, argv);

	timing_mark(STEP_START);
	mount_api_filesystems();
	open_console(true);
	log_open();
	for (;;) {
		read_kernel_cmdline(&params);
		load_modules(&params);
		if (by_hand || (!parse_root(&params, &spec) &&
				!mount_new_root(&params, &spec, &dev))) {
			if (!find_real_init(NEW_ROOT, params.init, init, sizeof(init)))
				break;
			if (!by_hand)
				report_root_mounted(&params, &dev);
		}
		by_hand = boot_failed(&params, by_hand);	/* a rescue shell ran: try again */
	}
	break_before_switch(&params, NEW_ROOT);
	settle_before_switch();
	if (switch_root(NEW_ROOT))
		boot_stopped(&params);
	timing_mark(STEP_SWITCHED);
	timing_report();
	exec_real_init(init, argv, envp);
	boot_stopped(&params);
}
