#include "rescue/rescue.h"
#include "base/log.h"
#include "mount/mount.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A locked-down build (make LOCKDOWN=1) never starts a shell. */
#ifdef HANDOFF_LOCKDOWN
#define SHELL_BUILT_IN 0
#else
#define SHELL_BUILT_IN 1
#endif

#define SHELL_MIN_MS 1000

/* Whether a shell ran: what it wrote must reach the disks before we go. */
static int shell_ran;

/* Collects exited children (helpers, what a rescue shell left behind). */
static void reap_children(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Sleeps ms while reaping any children we may have. */
static void wait_reaping(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	reap_children();
	while (nanosleep(&ts, &ts) && errno == EINTR)
		reap_children();
}

_Noreturn static void reboot_now(void)
{
	log_drain();
	sync();
	reboot(RB_AUTOBOOT);
	err("reboot failed: %s; staying up", errtext(errno));
	for (;;)
		wait_reaping(60000);
}

_Noreturn void boot_stopped(const struct boot_params *p)
{
	long left;

	if (p->has_panic && p->panic_s < 0) {
		err("boot failed: rebooting now (panic=%ld)", p->panic_s);
		reboot_now();
	}
	if (p->has_panic && p->panic_s > 0) {
		err("boot failed: rebooting in %ld s (panic=%ld)", p->panic_s, p->panic_s);
		for (left = p->panic_s * 1000; left > 0; left -= 1000)
			wait_reaping(left < 1000 ? left : 1000);
		reboot_now();
	}
	err("boot failed: staying here so the messages above stay readable; fix the kernel command line and reboot (panic=SECONDS reboots by itself)");
	for (;;)
		wait_reaping(60000);
}

/* The shell gets the console's own tty, so it can have job control. */
static void shell_child(void)
{
	char *const argv[] = { "sh", "-i", NULL };
	char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin:/usr/sbin",
			       "PS1=(handoff) # ", NULL };

	console_as_terminal();
	execve(RESCUE_SHELL, argv, envp);
	_exit(127);
}

/*
 * Runs the shell and waits for it, reaping whatever else exits meanwhile.
 * Returns how long it ran, in ms.
 */
static long run_shell(void)
{
	long start = log_ms();
	/*
	 * fork() by its system call: musl's wrapper brings a kilobyte of
	 * thread bookkeeping that a single-threaded PID 1 does not need, and
	 * the child only makes system calls before it execs.
	 */
	pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0), got;

	if (pid < 0) {
		err("cannot start %s: %s", RESCUE_SHELL, errtext(errno));
		return 0;
	}
	if (!pid)
		shell_child();
	shell_ran = 1;
	do
		got = waitpid(-1, NULL, 0);
	while (got != pid && !(got < 0 && errno == ECHILD));
	reap_children();
	return log_ms() - start;
}

/* Whether a shell may start; says why not when it was asked for. */
static int shell_possible(const char *asked_by)
{
	if (!SHELL_BUILT_IN) {
		err("%s: this init was built with LOCKDOWN=1: no shell", asked_by);
		return 0;
	}
	if (access(RESCUE_SHELL, X_OK)) {
		err("%s: no %s in the image (add one with make initramfs RESCUE=busybox)",
		    asked_by, RESCUE_SHELL);
		return 0;
	}
	return 1;
}

void settle_before_switch(void)
{
	/*
	 * Only a shell leaves children or orphans behind (we start no other
	 * process), and nothing of ours is dirty: what it wrote must be synced.
	 */
	if (!shell_ran)
		return;
	reap_children();
	sync();
}

/* NEW_ROOT's device when something is mounted there, else 0. */
static dev_t new_root_dev(void)
{
	struct stat st;

	return is_mounted(NEW_ROOT) && !stat(NEW_ROOT, &st) ? st.st_dev : 0;
}

bool boot_failed(const struct boot_params *p, bool by_hand)
{
	dev_t before, after;

	reap_children();
	if (!p->shell || !shell_possible("rd.shell"))
		boot_stopped(p);
	err("starting a rescue shell: /dev, /proc, /sys and /run are mounted; fix what is wrong and exit the shell to try the boot again");
	err("hint: to retry with other parameters, write them to " RESCUE_CMDLINE " (echo root=/dev/sda2 >" RESCUE_CMDLINE "); or mount the root on " NEW_ROOT " yourself");
	if (mkdir(RUN_DIR, 0755) && errno != EEXIST)
		warn("cannot make %s: %s; %s cannot be written", RUN_DIR, errtext(errno), RESCUE_CMDLINE);
	/* A mount our failed attempt left there is not one made by hand. */
	before = by_hand ? 0 : new_root_dev();
	/* A shell that ends at once has no console to read: do not spin. */
	if (run_shell() < SHELL_MIN_MS) {
		err("the rescue shell exited at once (no input on the console?): not trying again");
		boot_stopped(p);
	}
	after = new_root_dev();
	if (after && after != before) {
		notice("the rescue shell left a root mounted on " NEW_ROOT " (device %u:%u): booting it as it is",
		       major(after), minor(after));
		return true;
	}
	notice("the rescue shell exited: trying the boot again");
	return false;
}

void break_before_switch(const struct boot_params *p, const char *newroot)
{
	if (!p->brk || !shell_possible("rd.break"))
		return;
	err("rd.break: the new root is mounted on %s; exit the shell to switch to it", newroot);
	run_shell();
	notice("rd.break: the shell exited: switching");
}
