/*
 * rd.exitstatus=PORT (LAYERS=1, the image qemu/run boots): the command
 * init= names runs as PID 1's child after the switch, and its exit status
 * comes back to the host on a port of its own before the machine powers
 * off (switch.h). PID 1 stays ours, so the command's end is no kernel
 * panic and its status no guess from the console.
 */
#include "base/log.h"
#include "base/util.h"
#include "handover/realinit.h"
#include "handover/switch.h"
#include "rescue/rescue.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * As a shell finds a command: a name without "/" in each directory of
 * the usual PATH (the kernel gives init none), and the first error other
 * than "not there" is the one said.
 */
_Noreturn static void exec_command(const char *cmd, char **argv, char **envp)
{
	static const char path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	char file[REALINIT_PATH_MAX];
	const char *dir = path;
	size_t n;
	int e = ENOENT;

	console_as_terminal();
	if (strchr(cmd, '/')) {
		execve(cmd, argv, envp);
		e = errno;
	}
	for (; !strchr(cmd, '/') && *dir; dir += n + !!dir[n]) {
		n = strcspn(dir, ":");
		memcpy(file, dir, n);
		file[n] = '/';
		if (str_copy(file + n + 1, cmd, sizeof(file) - n - 1))
			break;	/* too long: ENOENT, as a shell says */
		execve(file, argv, envp);
		if (errno != ENOENT && e == ENOENT)
			e = errno;
	}
	err("cannot run %s: %s", cmd, errtext(e));
	_exit(e == ENOENT ? 127 : 126);
}

bool run_wanted(const struct boot_params *p)
{
	return p->exitstatus && p->init && !build_inits.locked;
}

void run_command(const struct boot_params *p, char **argv, char **envp)
{
	char line[16];
	int st = 126 << 8, fd;
	pid_t pid, got;

	if (!run_wanted(p))
		return;
	argv[0] = (char *)p->init;
	info("running %s (%ld ms since boot)", p->init, log_ms());
	/* fork() by its system call, as rescue.c does: the child only execs. */
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (!pid)
		exec_command(p->init, argv, envp);
	if (pid < 0)
		err("cannot start %s: %s", p->init, errtext(errno));
	/* Whatever else exits meanwhile is reaped too. */
	do
		got = wait(&st);
	while (pid > 0 && got != pid && got > 0);
	log_drain();	/* the command's last output is on its way */
	fmt_buf(line, sizeof(line), "exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	fd = open(p->exitstatus, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || write_all(fd, line, strlen(line)))
		err("cannot write the exit status to %s (rd.exitstatus=): %s", p->exitstatus,
		    errtext(errno));
	if (fd >= 0)
		close(fd);	/* a tty's close waits until it is sent */
	sync();
	reboot(RB_POWER_OFF);
	err("cannot power off: %s", errtext(errno));
	boot_stopped(p);
}
