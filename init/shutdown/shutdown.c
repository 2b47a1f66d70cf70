/*
 * The shutdown personality: PID 1 again, run by systemd-shutdown from
 * /run/initramfs after it killed every process and unmounted what it
 * could. The old root is on OLD_ROOT. Each step is said on the console in
 * a line or two (a serial line costs milliseconds); a failure is said and
 * never stops the power-off.
 */
#include "shutdown/shutdown.h"
#include "base/log.h"
#include "base/util.h"
#include "dm/dm.h"
#include "md/md.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOOP_CLR_FD 0x4C01	/* linux/loop.h */
#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 0x28121969
#define REBOOT_CMD_RESTART2 0xA1B2C3D4
#define OLD_MOUNTS_MAX 128
#define PASSES_MAX 8
#define SAID_MAX 600
#define DISKS_MAX 16

struct teardown {
	const char *verb;
	char reboot_arg[256];	/* systemd's /run/systemd/reboot-param, if any */
	char info[64 * 1024];	/* /proc/self/mountinfo */
	char record[4096];	/* WAYBACK_RECORD */
	struct old_mount m[OLD_MOUNTS_MAX];
	int n;
	/* The disks under the old root at the start, checked at the end. */
	char disk[DISKS_MAX][64];
	int disks;
	/* What was done, said once at the end (space-separated). */
	char remounted[SAID_MAX], loops[SAID_MAX], detached[96];
	char pending[SAID_MAX];	/* the loops attached at the start: "loop0 loop3" */
	int progress;		/* loops detached by the last detach_loops() */
};

/* Removers for the devices the boot assembled: the storage stages add theirs. */
struct remover {
	const char *kind;
	int (*remove)(const char *name);
};
static const struct remover removers[] = {
	{ "dm", dm_remove },
	{ "md", md_stop },
};

static void said(char *list, const char *what)
{
	if (list[0])
		str_append(list, " ", SAID_MAX);
	str_append(list, what, SAID_MAX);
}

/* systemd binds /dev, /proc and /sys here when the directories exist; if not, mount them. */
static void api_for_shutdown(void)
{
	if (access("/proc/self/mountinfo", R_OK))
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/dev/console", F_OK))
		mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	if (access("/sys/block", F_OK))
		mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static void read_old_mounts(struct teardown *t)
{
	long n = read_text("/proc/self/mountinfo", t->info, sizeof(t->info));

	t->n = 0;
	if (n < 0) {
		warn("shutdown: cannot read /proc/self/mountinfo: %s; the old root is detached as a whole",
		     errtext((int)n));
		return;
	}
	t->n = mounts_under(t->info, OLD_ROOT, t->m, OLD_MOUNTS_MAX);
	if (t->n > OLD_MOUNTS_MAX)
		t->n = OLD_MOUNTS_MAX;
}

/*
 * A loop device whose filesystem is gone lets go of its file (and so of
 * the filesystem holding it). The kernel answers a loop still in use by
 * marking it to let go when its last user does: only one really gone is
 * counted and said.
 */
static int detach_loop(int dirfd, const char *name, unsigned char type, void *ctx)
{
	struct teardown *t = ctx;
	char backing[96], node[32], file[8];
	int fd;

	(void)dirfd;
	(void)type;
	if (!str_starts(name, "loop"))
		return 0;
	fmt_buf(backing, sizeof(backing), "/sys/block/%s/loop/backing_file", name);
	if (read_text(backing, file, sizeof(file)) < 0)
		return 0;	/* not attached */
	fmt_buf(node, sizeof(node), "/dev/%s", name);
	fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, LOOP_CLR_FD, 0)) {
		if (errno != ENXIO)
			warn("shutdown: cannot detach %s: %s", node, errtext(errno));
	} else if (read_text(backing, file, sizeof(file)) < 0) {
		t->progress++;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/* The loops attached now: each is to be let go of, by the detach or by detach_loop(). */
static int note_loop(int dirfd, const char *name, unsigned char type, void *ctx)
{
	struct teardown *t = ctx;
	char backing[96], file[8];

	(void)dirfd;
	(void)type;
	fmt_buf(backing, sizeof(backing), "/sys/block/%s/loop/backing_file", name);
	if (str_starts(name, "loop") && read_text(backing, file, sizeof(file)) >= 0)
		said(t->pending, name);
	return 0;
}

static void note_loops(struct teardown *t)
{
	int dirfd = open("/sys/block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0)
		return;
	for_each_dirent(dirfd, note_loop, t);
	close(dirfd);
}

/* Returns how many went. */
static int detach_loops(struct teardown *t)
{
	int dirfd = open("/sys/block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	t->progress = 0;
	if (dirfd < 0)
		return 0;
	for_each_dirent(dirfd, detach_loop, t);
	close(dirfd);
	return t->progress;
}

/*
 * The devices the boot recorded, last first: the stack comes apart from
 * the top. A device without a remover is said once, on the first pass.
 */
static int remove_recorded(struct teardown *t, bool first)
{
	char *text = t->record, *line, *kind, *name;
	long n = read_text("/" WAYBACK_RECORD, text, sizeof(t->record));
	char what[80];
	int removed = 0, e;
	size_t i;

	while (n > 0) {
		text[n] = '\0';
		while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\0'))
			text[--n] = '\0';
		line = strrchr(text, '\n');
		line = line ? line + 1 : text;
		n = line - text;
		if (wayback_record_line(line, &kind, &name))
			continue;
		for (i = 0; i < ARRAY_SIZE(removers) && strcmp(removers[i].kind, kind); i++)
			;
		/* A build without STORAGE=1 has the stub: -EOPNOTSUPP, as no remover. */
		e = i == ARRAY_SIZE(removers) || !removers[i].remove ? -EOPNOTSUPP :
								      removers[i].remove(name);
		if (e == -EOPNOTSUPP && first) {
			warn("shutdown: cannot remove %s device %s: this build has no remover for it",
			     kind, name);
		} else if (!e) {
			fmt_buf(what, sizeof(what), "%s:%s", kind, name);
			said(t->loops, what);
			removed++;
		}
	}
	return removed;
}

/* Every disk filesystem still writable, flushed and marked clean: remounted read-only. */
static int remount_disks_ro(struct teardown *t)
{
	int i, busy = 0;

	for (i = t->n - 1; i >= 0; i--) {
		if (!t->m[i].source[0] || t->m[i].read_only)
			continue;
		if (!mount(NULL, t->m[i].path, NULL, MS_REMOUNT | MS_RDONLY, NULL)) {
			said(t->remounted, t->m[i].path);
			continue;
		}
		warn("shutdown: %s (%s) is busy and cannot be made read-only: %s", t->m[i].path,
		     t->m[i].source, errtext(errno));
		busy++;
	}
	return busy;
}

/*
 * The old root and everything under it, as one tree. Unmounting them one
 * by one waits for an RCU grace period each (namespace_unlock() in Linux
 * 6.1): for the 15 API and cgroup mounts systemd leaves, 20-30 ms under
 * TCG. Detached at once, what a filesystem held goes as it goes: a loop
 * device (it detaches itself), the filesystem holding its file.
 */
static void detach_old_root(struct teardown *t)
{
	if (umount2(OLD_ROOT, MNT_DETACH))
		warn("shutdown: cannot detach %s: %s", OLD_ROOT, errtext(errno));
	else
		fmt_buf(t->detached, sizeof(t->detached), "%s and the %d mounts under it", OLD_ROOT,
			t->n > 0 ? t->n - 1 : 0);
}

/* The loops attached at the start: gone (said), or still attached (warned). */
static void check_pending_loops(struct teardown *t)
{
	char *name, *next, path[96], node[32], file[8];

	for (name = t->pending; *name; name = next) {
		next = name + strcspn(name, " ");
		if (*next)
			*next++ = '\0';
		fmt_buf(path, sizeof(path), "/sys/block/%s/loop/backing_file", name);
		fmt_buf(node, sizeof(node), "/dev/%s", name);
		if (read_text(path, file, sizeof(file)) < 0)
			said(t->loops, node);
		else
			warn("shutdown: %s is still attached to its file", node);
	}
}

/* The mounts under the old root now, and their disks (not loops: they go with their file). */
static void note_disks(struct teardown *t)
{
	int i, k;

	read_old_mounts(t);
	for (i = 0; i < t->n && t->disks < DISKS_MAX; i++) {
		if (!t->m[i].source[0] || str_starts(t->m[i].source, "/dev/loop"))
			continue;
		for (k = 0; k < t->disks && strcmp(t->disk[k], t->m[i].source); k++)
			;
		if (k == t->disks)
			str_copy(t->disk[t->disks++], t->m[i].source, sizeof(t->disk[0]));
	}
}

/*
 * A filesystem holds its disk exclusively until it is really gone; a disk
 * that cannot be opened exclusively after all this still has one (the
 * lazy detach leaves it to whoever holds it): said, so a dirty disk at
 * the next boot has its explanation.
 */
static void check_disks_let_go(const struct teardown *t)
{
	int i, fd;

	for (i = 0; i < t->disks; i++) {
		fd = open(t->disk[i], O_RDONLY | O_EXCL | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		else if (errno == EBUSY)
			warn("shutdown: %s is still in use after the old root was let go of", t->disk[i]);
	}
}

/*
 * Disks read-only first, then the tree at once; then loops and recorded
 * devices, again while anything goes (a device-mapper device on md goes
 * once the mapping above it has); then what is still held is said.
 */
static void release_old_root(struct teardown *t)
{
	int pass, busy;

	note_disks(t);
	note_loops(t);
	busy = remount_disks_ro(t);
	if (t->remounted[0])
		notice("shutdown: remounted read-only %s", t->remounted);
	/*
	 * Every disk read-only and clean, no loop device, nothing assembled:
	 * there is nothing to let go of, and tearing down the API filesystems
	 * systemd leaves would only cost time (40 ms under TCG). The disks are
	 * as an unmount leaves them; systemd powers off so without us too.
	 */
	if (!busy && !t->pending[0] && access("/" WAYBACK_RECORD, F_OK)) {
		notice("shutdown: every disk under %s is read-only, nothing stacked on one: nothing more to let go of",
		       OLD_ROOT);
		return;
	}
	detach_old_root(t);
	for (pass = 0; pass < PASSES_MAX; pass++)
		if (!(detach_loops(t) + remove_recorded(t, !pass)))
			break;
	check_pending_loops(t);
	check_disks_let_go(t);
	if (t->detached[0])
		notice("shutdown: detached %s", t->detached);
	if (t->loops[0])
		notice("shutdown: let go of %s", t->loops);
}

/* systemd leaves a reboot argument (for the firmware or bootloader) in /run. */
static void read_reboot_arg(struct teardown *t)
{
	long n;

	t->reboot_arg[0] = '\0';
	if (strcmp(t->verb, "reboot"))
		return;
	n = read_text(OLD_ROOT "/run/systemd/reboot-param", t->reboot_arg, sizeof(t->reboot_arg));
	while (n > 0 && (t->reboot_arg[n - 1] == '\n' || t->reboot_arg[n - 1] == ' '))
		t->reboot_arg[--n] = '\0';
	if (n < 0)
		t->reboot_arg[0] = '\0';
}

/* The verb; if the kernel refuses it, the nearest that works. PID 1 never returns. */
static _Noreturn void do_verb(const struct teardown *t)
{
	if (!strcmp(t->verb, "kexec")) {
		reboot(RB_KEXEC);
		warn("shutdown: kexec failed: %s (was a kernel loaded?); rebooting instead",
		     errtext(errno));
	} else if (!strcmp(t->verb, "poweroff")) {
		reboot(RB_POWER_OFF);
	} else if (!strcmp(t->verb, "halt")) {
		reboot(RB_HALT_SYSTEM);
	} else if (t->reboot_arg[0]) {
		syscall(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_RESTART2, t->reboot_arg);
		warn("shutdown: reboot with argument '%s' failed: %s; rebooting without it",
		     t->reboot_arg, errtext(errno));
	}
	reboot(RB_AUTOBOOT);
	err("shutdown: the kernel refused to %s: %s; halting here", t->verb, errtext(errno));
	reboot(RB_HALT_SYSTEM);
	for (;;)
		pause();
}

int shutdown_main(int argc, char **argv)
{
	static struct teardown t;	/* large: kept off the stack */
	long start;

	t.verb = shutdown_verb(argc, argv);
	/*
	 * Only systemd-shutdown, as PID 1 with every other process gone, may
	 * end the system so; a hand-run copy would power off a live system.
	 */
	if (getpid() != 1) {
		log_open();
		err("shutdown: refusing to %s from process %d: systemd-shutdown runs this as PID 1 at power-off; use systemctl %s",
		    t.verb, (int)getpid(), t.verb);
		return 1;
	}
	api_for_shutdown();
	open_console(true);
	log_open();
	start = log_ms();
	notice("shutdown: back in the initramfs to %s", t.verb);
	read_reboot_arg(&t);
	release_old_root(&t);
	sync();
	notice("shutdown: synced in %ld ms; %s", log_ms() - start, t.verb);
	do_verb(&t);
}
