/*
 * handoff: the initramfs /init. It finds the real root, mounts it, hands
 * the kernel's API filesystems over, switches into it and execs its init.
 * Each step below is a stage with its own folder under init/; the plan
 * (plan/) is the state they share. PID 1 must never exit: every failure
 * ends in boot_failed(), which may offer a rescue shell and try again, or
 * boot_stopped(), which never returns.
 */
#include "base/log.h"
#include "base/timings.h"
#include "base/util.h"
#include "find/identify.h"
#include "handover/realinit.h"
#include "handover/switch.h"
#include "layers/layers.h"
#include "modules/modules.h"
#include "mount/mount.h"
#include "net/net.h"
#include "plan/plan.h"
#include "rescue/rescue.h"
#include "shutdown/shutdown.h"
#include "storage/storage.h"

#include <errno.h>
#include <unistd.h>

/*
 * Devices are announced by uevents, to the module loader first, then to
 * the storage scan (LVM, md). The plan's source opens on its first use
 * (find/uevent.h): before the first module loads, or when the root is not
 * there at the first look.
 */
static void listen_for_devices(struct boot_plan *plan)
{
	storage_listen(plan);
}

/* A root not built in layers: its filesystem on NEW_ROOT, then checked. */
static int mount_plain_root(struct boot_plan *plan)
{
	int e = mount_root_source(plan, NEW_ROOT, plan->params.read_only);

	return e ? e : check_new_root();
}

/*
 * The network first when the root is on it (net/); what must be unlocked
 * or verified (storage/); then the root: a device, an export, a host
 * directory or a flash volume (mount/source.c), or one built in layers or
 * in RAM (layers/); then /usr if it has its own.
 */
static int mount_new_root(struct boot_plan *plan)
{
	int e;

	if (!plan_has_root(plan))
		return plan->root_error;
	timing_mark(&plan->times, STEP_READY);
	e = bring_up_network(plan);	/* ip=: an NFS root, or rd.neednet */
	if (e)
		return e;
	e = assemble_storage(plan);	/* unlock, verify: the root may appear only after */
	if (e)
		return e;
	if (plan->layered) {
		plan->times.at[STEP_DEVICE] = plan->times.at[STEP_READY];
		e = build_layered_root(plan);
	} else {
		e = mount_plain_root(plan);
	}
	if (!e)
		e = mount_usr(plan);
	if (!e)
		timing_mark(&plan->times, STEP_MOUNTED);
	return e;
}

typedef int (*personality_fn)(int argc, char **argv);

/*
 * Links in the image run this program under other names: the kernel's
 * request_module() runs /sbin/modprobe. PID 1 is the init, whatever name
 * the kernel started it by (rdinit=/sbin/modprobe): a helper returns, and
 * PID 1 returning panics the kernel. The one other PID 1 is the way back:
 * systemd-shutdown runs our copy as /shutdown with its verb (shutdown/),
 * which never returns.
 */
static personality_fn other_personality(int argc, char **argv)
{
	const char *name = argv[0] ? argv[0] : "";

	if (shutdown_called(argc, argv))
		return shutdown_main;
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
	static struct boot_plan plan;	/* large: kept off the stack */
	static char *no_args[2];
	char init[REALINIT_PATH_MAX];
	personality_fn other;
	bool by_hand = false;	/* a root the rescue shell mounted on NEW_ROOT */

	/* exec_real_init() writes argv[0]; make sure there is one. */
	if (argc < 1)
		argv = no_args;
	other = other_personality(argc, argv);
	if (other)
		return other(argc, argv);

	plan_init(&plan);
	timing_mark(&plan.times, STEP_START);
	mount_api_filesystems();
	open_console(true);
	log_open();
	timing_mark(&plan.times, STEP_API);
	listen_for_devices(&plan);
	for (;;) {
		plan_read(&plan, true);
		timing_mark(&plan.times, STEP_PLANNED);
		load_modules(&plan);
		timing_mark(&plan.times, STEP_MODULES);
		if (by_hand || !mount_new_root(&plan)) {
			/* rd.exitstatus=: init= is a command, found after the switch. */
			if (run_wanted(&plan.params) ||
			    !find_real_init(NEW_ROOT, plan.params.init, init, sizeof(init)))
				break;
			if (!by_hand)
				report_root_mounted(plan.params.root, &plan.found);
		}
		by_hand = boot_failed(&plan.params, by_hand);	/* a rescue shell ran: try again */
	}
	timing_mark(&plan.times, STEP_CHECKED);
	break_before_switch(&plan.params, NEW_ROOT);
	settle_before_switch();
	resize_run(plan.params.run_size);
	leave_way_back(&plan.params);
	if (switch_root(NEW_ROOT))
		boot_stopped(&plan.params);
	timing_mark(&plan.times, STEP_SWITCHED);
	timing_report(&plan.times);
	run_command(&plan.params, argv, envp);
	exec_real_init(init, argv, envp);
	boot_stopped(&plan.params);
}
