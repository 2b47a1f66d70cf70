/*
 * The "required" baselines' common part (required-init.c, nfs-required-init.c,
 * lvm-required-init.c): the API filesystems and the command line read at
 * the start, the image's modules loaded in order (/m/NN.ko), and the
 * switch once the root is mounted on /sysroot: the mount and /sbin/init
 * checked, "/" checked to be rootfs (statfs and /proc/self/mountinfo), the
 * API mounts moved, pivot_root tried, the new root moved onto "/", the old
 * initramfs emptied, /sbin/init executed. No messages, no error handling:
 * what the steps every init must take cost. Not for real use.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

static const char *const api[] = { "/dev", "/proc", "/sys", "/run" };
static char buf[8192];

static void slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)!read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
}

static void wipe(int dirfd, dev_t dev)
{
	char ents[4096];
	long n, off;
	struct stat st;

	while ((n = syscall(SYS_getdents64, dirfd, ents, sizeof(ents))) > 0) {
		for (off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(ents + off);
			int fd;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
			    fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) || st.st_dev != dev)
				continue;
			if (!S_ISDIR(st.st_mode)) {
				unlinkat(dirfd, d->d_name, 0);
				continue;
			}
			fd = openat(dirfd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				continue;
			wipe(fd, dev);
			close(fd);
			unlinkat(dirfd, d->d_name, AT_REMOVEDIR);
		}
	}
}

/* Loads the image's module /m/NN.ko (NN = i); -1 when there is none (the end of the list). */
static inline int required_module(int i)
{
	char path[] = "/m/00.ko";
	int fd;

	path[3] = (char)('0' + i / 10);
	path[4] = (char)('0' + i % 10);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return 0;
}

/* The API filesystems mounted, the command line read. */
static void required_start(void)
{
	mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
	slurp("/proc/cmdline");
}

/* From the root mounted on /sysroot to its /sbin/init. */
static void required_switch(char **argv, char **envp)
{
	struct stat st, root;
	struct statfs sf;
	char dst[32];
	int old, i;

	stat("/sysroot", &st);
	stat("/", &root);
	stat("/sysroot/sbin/init", &st);
	statfs("/", &sf);
	slurp("/proc/self/mountinfo");
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	for (i = 0; i < 4; i++) {
		strcpy(dst, "/sysroot");
		strcat(dst, api[i]);
		mount(api[i], dst, NULL, MS_MOVE, NULL);
	}
	old = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	chdir("/sysroot");
	syscall(SYS_pivot_root, ".", ".");
	mount(".", "/", NULL, MS_MOVE, NULL);
	chroot(".");
	chdir("/");
	wipe(old, root.st_dev);
	argv[0] = "/sbin/init";
	execve("/sbin/init", argv, envp);
	for (;;)
		pause();
}
