/*
 * The only code in handoff that deletes files. It runs once, on the old
 * initramfs after the new root has been moved over it, because an
 * initramfs (ramfs/tmpfs) cannot be unmounted and its files hold RAM
 * until deleted. The danger is walking into the real root or another
 * mount through a directory or a symlink, so:
 *  - entries are examined with AT_SYMLINK_NOFOLLOW and symlinks are only
 *    unlinked, never followed;
 *  - a directory on another device (a mount point) is never entered;
 *  - a directory is opened with O_NOFOLLOW and re-checked (device and
 *    inode) after opening, so it is the one we examined;
 *  - the depth is bounded, so hostile nesting cannot exhaust the stack.
 */
#include "handover/wipe.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define WIPE_MAX_DEPTH 48

struct wipe_ctx {
	dev_t dev;
	int depth;
	struct wipe_stats *st;
};

static int wipe_entry(int dirfd, const char *name, unsigned char type, void *arg);

static void wipe_dir(int dirfd, const char *name, const struct stat *st, struct wipe_ctx *c)
{
	struct stat again;
	int fd;

	if (st->st_dev != c->dev) {
		info("kept %s in the old initramfs: another filesystem is mounted there", name);
		c->st->kept++;
		return;
	}
	if (c->depth >= WIPE_MAX_DEPTH) {
		warn("kept %s in the old initramfs: nested deeper than %d", name, WIPE_MAX_DEPTH);
		c->st->kept++;
		return;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &again) || again.st_dev != st->st_dev ||
	    again.st_ino != st->st_ino) {
		warn("kept %s in the old initramfs: cannot open it safely", name);
		if (fd >= 0)
			close(fd);
		c->st->kept++;
		return;
	}
	c->depth++;
	for_each_dirent(fd, wipe_entry, c);
	c->depth--;
	close(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR)) {
		/* A non-empty directory already had its reason logged. */
		if (errno != ENOTEMPTY && errno != EEXIST)
			warn("cannot remove directory %s: %s", name, errtext(errno));
		c->st->kept++;
		return;
	}
	c->st->dirs++;
}

static int wipe_entry(int dirfd, const char *name, unsigned char type, void *arg)
{
	struct wipe_ctx *c = arg;
	struct stat st;

	(void)type;	/* d_type may be DT_UNKNOWN; trust only fstatat */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		warn("cannot examine %s in the old initramfs: %s", name, errtext(errno));
		c->st->kept++;
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		wipe_dir(dirfd, name, &st, c);
		return 0;
	}
	if (unlinkat(dirfd, name, 0)) {
		warn("cannot remove %s from the old initramfs: %s", name, errtext(errno));
		c->st->kept++;
		return 0;
	}
	c->st->files++;
	/* ramfs keeps no block counts: estimate from the size in pages. */
	c->st->kib += (unsigned long)((st.st_size + 4095) / 4096) * 4;
	return 0;
}

void wipe_tree(int dirfd, struct wipe_stats *stats)
{
	struct wipe_ctx c = { .st = stats };
	struct stat st;

	*stats = (struct wipe_stats){ 0 };
	if (fstat(dirfd, &st)) {
		warn("cannot examine the old initramfs: %s", errtext(errno));
		return;
	}
	c.dev = st.st_dev;
	for_each_dirent(dirfd, wipe_entry, &c);
}
