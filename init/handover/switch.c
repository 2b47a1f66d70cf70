#include "handover/switch.h"
#include "base/log.h"
#include "mount/mount.h"
#include "handover/realinit.h"
#include "base/util.h"
#include "handover/wipe.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

const char *switch_fallback_refusal(const struct fallback_facts *f)
{
	if (!f->pid1)
		return "we are not PID 1";
	if (f->root_fs_type != RAMFS_MAGIC && f->root_fs_type != TMPFS_MAGIC)
		return "/ is not a ramfs or tmpfs";
	if (!f->root_is_rootfs)
		return "/proc/self/mountinfo does not show / as rootfs";
	if (!f->new_root_elsewhere)
		return "the new root is on the same device as /";
	return NULL;
}

static bool root_is_rootfs(void)
{
	char buf[8192];

	if (read_text("/proc/self/mountinfo", buf, sizeof(buf)) < 0)
		return false;
	return mountinfo_root_is_rootfs(buf);
}

/* Read before the API filesystems move: mountinfo needs /proc. */
static void gather_fallback_facts(const char *newroot, struct fallback_facts *f)
{
	struct statfs sf;
	struct stat root, nr;

	f->pid1 = getpid() == 1;
	f->root_fs_type = statfs("/", &sf) ? 0 : (uint32_t)sf.f_type;
	f->root_is_rootfs = root_is_rootfs();
	f->new_root_elsewhere = !stat("/", &root) && !stat(newroot, &nr) &&
				root.st_dev != nr.st_dev;
}

/*
 * A failed move is logged, never fatal: the real init can mount it again.
 * Returns whether src moved.
 */
static bool move_api_mount(const char *newroot, const char *src)
{
	char dst[128];
	struct stat st;

	if (!is_mounted(src))
		return false;
	fmt_buf(dst, sizeof(dst), "%s%s", newroot, src);
	if (stat(dst, &st) || !S_ISDIR(st.st_mode)) {
		warn("%s is missing in the new root: unmounting %s instead of moving it", dst, src);
		if (umount2(src, MNT_DETACH))
			warn("cannot unmount %s: %s", src, errtext(errno));
		return false;
	}
	if (mount(src, dst, NULL, MS_MOVE, NULL)) {
		warn("cannot move %s to %s: %s", src, dst, errtext(errno));
		return false;
	}
	return true;
}

static int pivot(void)
{
	if (syscall(SYS_pivot_root, ".", "."))
		return -errno;
	/* The old root now sits on top of the new one: detach it. */
	if (umount2(".", MNT_DETACH))
		warn("cannot detach the old root after pivot_root: %s", errtext(errno));
	if (chdir("/"))
		return -errno;
	info("switched root with pivot_root");
	return 0;
}

static int move_and_chroot(int oldroot, const struct fallback_facts *f)
{
	const char *refusal = switch_fallback_refusal(f);
	struct wipe_stats ws;
	int e;

	if (refusal) {
		err("pivot_root is not possible here and the fallback is unsafe: %s; nothing was deleted",
		    refusal);
		return -EPERM;
	}
	if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/")) {
		e = -errno;
		err("cannot move the new root onto /: %s; nothing was deleted", errtext(e));
		return e;
	}
	wipe_tree(oldroot, &ws);
	info("switched root by moving it onto /; freed %lu KiB of the initramfs (%lu files, %lu directories, %lu kept)",
	     ws.kib, ws.files, ws.dirs, ws.kept);
	return 0;
}

int switch_root(const char *newroot)
{
	bool dev_moved = false;
	struct fallback_facts facts;
	int oldroot, e;
	size_t i;

	gather_fallback_facts(newroot, &facts);
	/* MS_MOVE and pivot_root refuse a shared parent mount. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		warn("cannot make / private: %s", errtext(errno));
	for (i = 0; i < api_fs_count; i++)
		if (move_api_mount(newroot, api_fs[i].dir) && !strcmp(api_fs[i].dir, "/dev"))
			dev_moved = true;
	oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0 || chdir(newroot)) {
		e = -errno;
		err("cannot enter the new root %s: %s", newroot, errtext(e));
		if (oldroot >= 0)
			close(oldroot);
		return e;
	}
	e = pivot();
	if (e == -EINVAL)
		e = move_and_chroot(oldroot, &facts);
	else if (e)
		err("pivot_root into %s failed: %s", newroot, errtext(e));
	close(oldroot);
	/*
	 * Our fds 0-2 are on the devtmpfs that moved with /dev: still right.
	 * When /dev could not move, reopen the console of the new root.
	 */
	if (!e && !dev_moved)
		open_console(false);
	return e;
}

void exec_real_init(const char *init, char **argv, char **envp)
{
	int i;

	argv[0] = (char *)init;
	info("starting %s (%ld ms since boot)", init, log_ms());
	execve(init, argv, envp);
	err("cannot execute %s: %s", init, errtext(errno));
	/* Only this build's list: a locked one never reaches a shell here either. */
	for (i = 0; build_inits.paths[i]; i++) {
		if (!strcmp(build_inits.paths[i], init))
			continue;
		argv[0] = (char *)build_inits.paths[i];
		execve(argv[0], argv, envp);
		debug("cannot execute %s: %s", argv[0], errtext(errno));
	}
	err("no init could be started in the new root");
}
