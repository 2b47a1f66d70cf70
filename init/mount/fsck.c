#include "mount/fsck.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

bool fsck_applies(const struct mount_req *r, const struct boot_params *p)
{
	const char *t = r->dev->fstype;

	return !r->read_only && p->fsck_mode != FSCK_SKIP &&
	       (!strcmp(t, "ext2") || !strcmp(t, "ext3") || !strcmp(t, "ext4"));
}

void fsck_argv(const char *node, const struct boot_params *p, const char *argv[FSCK_ARGV_MAX])
{
	static const char *const repair[] = { [FSCK_PREEN] = "-p", [FSCK_YES] = "-y",
					      [FSCK_NO] = "-n" };
	int n = 0;

	argv[n++] = "e2fsck";
	argv[n++] = repair[p->fsck_repair];
	if (p->fsck_mode == FSCK_FORCE)
		argv[n++] = "-f";
	argv[n++] = node;
	argv[n] = NULL;
}

enum fsck_verdict fsck_verdict(int code)
{
	if (code <= 0)
		return FSCK_CLEAN;
	if (code == 1)
		return FSCK_CORRECTED;
	return code < 4 ? FSCK_REBOOT : FSCK_FAILED;
}

const char *fsck_meaning(int code)
{
	/* The code is a sum of these; the lowest bit of 4 and up says the most. */
	static const char *const bits[] = { "errors left uncorrected", "operational error",
					    "usage or syntax error", "canceled by user request" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (code & (4 << i))
			return bits[i];
	if (code & 128)
		return "shared library error";
	if (code >= 4)
		return "a code e2fsck does not document";
	return code == 1 ? "errors corrected" : code ? "errors corrected, reboot needed" : "clean";
}

/*
 * Runs the checker with the console (fds 0-2) as its terminal and waits
 * for it, not for other children (PID 1 reaps those elsewhere). A pipe
 * closed on exec tells a failed exec from the checker's own exit code.
 */
static int run_checker(const char *const argv[], int *status)
{
	static char *const envp[] = { "PATH=/sbin:/bin", NULL };
	int fds[2], child_err = 0;
	ssize_t n;
	pid_t pid, got;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	/* fork() by its system call, as rescue.c does: the child only execs. */
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (!pid) {
		execve(FSCK_PATH, (char *const *)argv, envp);
		child_err = errno;
		write_all(fds[1], (const char *)&child_err, sizeof(child_err));
		_exit(127);
	}
	child_err = pid < 0 ? errno : 0;
	close(fds[1]);
	n = pid < 0 ? 0 : read_some(fds[0], &child_err, sizeof(child_err));
	close(fds[0]);
	if (pid < 0)
		return -child_err;
	do
		got = waitpid(pid, status, 0);
	while (got < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_err))
		return -child_err;
	return got < 0 ? -errno : 0;
}

/*
 * e2fsck's exit code 2: it changed the filesystem so that the system
 * should start afresh. Nothing is mounted read-write yet: say so loudly,
 * sync, reboot. If the reboot fails, the failure policy takes over.
 */
static int reboot_after_check(const struct mount_req *r, int code)
{
	err("%s: e2fsck corrected errors on %s and asks for a reboot (exit code %d): rebooting now",
	    r->purpose, r->dev->node, code);
	log_drain();
	sync();
	reboot(RB_AUTOBOOT);
	err("%s: reboot after the check failed: %s; reboot by hand", r->purpose, errtext(errno));
	return -EUCLEAN;
}

static int report_failed(const struct mount_req *r, const struct boot_params *p, int code)
{
	if (code < 0)
		err("%s: e2fsck on %s (%s=%s) was killed by signal %d: not mounting it read-write",
		    r->purpose, r->dev->node, r->param, r->value, -code);
	else
		err("%s: e2fsck on %s (%s=%s) exited with %d (%s): not mounting it read-write",
		    r->purpose, r->dev->node, r->param, r->value, code, fsck_meaning(code));
	err("hint: repair it by hand in rd.shell (e2fsck %s, with an image made with RESCUE=busybox FSCK=1)%s, or boot anyway with fsck.mode=skip",
	    r->dev->node, p->fsck_repair != FSCK_YES ? ", or let it answer yes with fsck.repair=yes" : "");
	return -EUCLEAN;
}

int fsck_before_rw(const struct mount_req *r, const struct boot_params *p)
{
	const char *argv[FSCK_ARGV_MAX];
	long start;
	int e, status = 0, code;

	if (!fsck_applies(r, p))
		return 0;
	if (access(FSCK_PATH, X_OK)) {
		debug("%s: no %s in the image (make initramfs FSCK=1 adds it): %s not checked",
		      r->purpose, FSCK_PATH, r->dev->node);
		return 0;
	}
	/* A retry after a rescue shell may find the last attempt's mount of it. */
	mount_clear(r->dir);
	fsck_argv(r->dev->node, p, argv);
	notice("%s: checking %s (%s) with e2fsck %s%s before mounting it read-write", r->purpose,
	       r->dev->node, r->dev->fstype, argv[1], p->fsck_mode == FSCK_FORCE ? " -f" : "");
	start = log_ms();
	e = run_checker(argv, &status);
	if (e) {
		warn("%s: cannot start %s: %s; mounting %s without a check", r->purpose, FSCK_PATH,
		     errtext(e), r->dev->node);
		return 0;
	}
	debug("%s: e2fsck took %ld ms", r->purpose, log_ms() - start);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	switch (code < 0 ? FSCK_FAILED : fsck_verdict(code)) {
	case FSCK_CLEAN:
		return 0;
	case FSCK_CORRECTED:
		notice("%s: e2fsck corrected errors on %s: going on", r->purpose, r->dev->node);
		return 0;
	case FSCK_REBOOT:
		return reboot_after_check(r, code);
	default:
		return report_failed(r, p, code);
	}
}
