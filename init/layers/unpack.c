#include "layers/unpack.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct open_how_v0 {
	uint64_t flags;		/* cppcheck-suppress unusedStructMember */
	uint64_t mode;		/* cppcheck-suppress unusedStructMember */
	uint64_t resolve;	/* cppcheck-suppress unusedStructMember */
};

struct dir_time {
	struct dir_time *next;
	int64_t mtime;
	char path[];
};

int openat_beneath(int dir, const char *path, int flags, unsigned resolve)
{
	struct open_how_v0 how = { .flags = (uint64_t)flags, .resolve = resolve };
	long fd = syscall(SYS_openat2, dir, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* A directory of the new root, reached without leaving it. */
static int open_beneath(int root, const char *path)
{
	return openat_beneath(root, path, O_PATH | O_DIRECTORY | O_CLOEXEC,
			      RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
}

void unpack_init(struct unpack *u, int root, struct arena *arena)
{
	memset(u, 0, sizeof(*u));
	u->root = root;
	u->arena = arena;
	u->parent_fd = -1;
}

int unpack_clean_path(const char *in, char *out, size_t size, const char **why)
{
	const char *s = in, *end;
	size_t n, len = 0;

	if (*in == '/') {
		*why = "it is an absolute name";
		return -EPERM;
	}
	while (*s) {
		end = strchr(s, '/');
		n = end ? (size_t)(end - s) : strlen(s);
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			*why = "it has a \"..\" component";
			return -EPERM;
		}
		if (n && !(n == 1 && s[0] == '.')) {
			if (len + n + 2 > size) {
				*why = "the name is too long";
				return -ENAMETOOLONG;
			}
			if (len)
				out[len++] = '/';
			memcpy(out + len, s, n);
			len += n;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	out[len] = '\0';
	return 0;
}

/*
 * Creates the missing directories of a parent path one at a time, each
 * below the previous one's fd, which was itself resolved beneath the root.
 */
static int make_parents(struct unpack *u, char *path)
{
	char *slash = path;
	int fd, next, e = 0;

	fd = dup(u->root);
	if (fd < 0)
		return -errno;
	for (;;) {
		slash = strchr(slash, '/');
		if (slash)
			*slash = '\0';
		next = open_beneath(u->root, path);
		if (next == -ENOENT) {
			const char *last = strrchr(path, '/');

			last = last ? last + 1 : path;
			if (mkdirat(fd, last, 0755) && errno != EEXIST)
				e = -errno;
			next = e ? e : open_beneath(u->root, path);
		}
		if (slash)
			*slash = '/';
		close(fd);
		if (next < 0 || !slash)
			return next;
		fd = next;
		slash++;
	}
}

/*
 * The directory that will hold name: resolved beneath the root, so a
 * symlink planted by an earlier entry cannot lead out of it.
 */
static int parent_of(struct unpack *u, char *path, const char **name)
{
	char *slash = strrchr(path, '/');
	int fd;

	if (!slash) {
		*name = path;
		return u->root;
	}
	*slash = '\0';
	*name = slash + 1;
	if (u->parent_fd >= 0 && !strcmp(u->parent, path)) {
		*slash = '/';
		return u->parent_fd;
	}
	fd = open_beneath(u->root, path);
	if (fd == -ENOENT) {
		/* mkdirat() through the root fd: still checked component by component. */
		fd = make_parents(u, path);
	}
	if (fd >= 0) {
		if (u->parent_fd >= 0)
			close(u->parent_fd);
		u->parent_fd = fd;
		str_copy(u->parent, path, sizeof(u->parent));
	} else if (fd == -EXDEV || fd == -ELOOP) {
		u->why = "its directory is reached through a symlink that leads outside the new root";
		fd = -EPERM;
	}
	*slash = '/';
	return fd;
}

/*
 * Makes room for a new entry where one exists (tar replaces). Only
 * non-directories and empty directories are removed, and only through a
 * parent fd resolved beneath the new root: nothing outside it is touched.
 */
static int replace(int dir, const char *name, bool want_dir)
{
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		if (want_dir)
			return 0;
		return unlinkat(dir, name, AT_REMOVEDIR) ? -errno : 1;
	}
	return unlinkat(dir, name, 0) ? -errno : 1;
}

/*
 * The writer's only open for writing. A device node would take the data to
 * the disk behind it, a FIFO would block PID 1 in open() for ever: so never
 * follow a symlink, never wait (O_NONBLOCK), and prove with fstat() that
 * what was opened is a regular file before a byte is written.
 */
static int open_regular(struct unpack *u, int dir, const char *name, int flags)
{
	struct stat st;
	int fd;

	fd = openat(dir, name, flags | O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		return fd;
	close(fd);
	u->why = "its data would be written into something that is not a regular file";
	return -EPERM;
}

static int create(struct unpack *u, int dir, const char *name, const struct arc_entry *e,
		  int *fd)
{
	dev_t rdev = makedev(e->rdev_major, e->rdev_minor);

	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		return mkdirat(dir, name, 0700) ? -errno : 0;
	case S_IFLNK:
		return symlinkat(e->link, dir, name) ? -errno : 0;
	case S_IFREG:
		*fd = open_regular(u, dir, name, O_CREAT | O_EXCL);
		return *fd < 0 ? *fd : 0;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return mknodat(dir, name, (e->mode & S_IFMT) | 0600, rdev) ? -errno : 0;
	default:
		u->why = "its type is unknown";
		return -EPERM;
	}
}

static int hard_link(struct unpack *u, int dir, const char *name, const struct arc_entry *e,
		     int *fd)
{
	char target[ARC_PATH_MAX], *slash;
	const char *tname = target;
	struct stat st;
	int tdir = u->root, r;

	r = unpack_clean_path(e->link, target, sizeof(target), &u->why);
	if (r)
		return r;
	if (!target[0]) {
		u->why = "it is a hard link to the root directory";
		return -EPERM;
	}
	/* The target's directory: beneath the root too, on an fd of its own. */
	slash = strrchr(target, '/');
	if (slash) {
		*slash = '\0';
		tname = slash + 1;
		tdir = open_beneath(u->root, target);
		if (tdir == -EXDEV || tdir == -ELOOP) {
			u->why = "its target is reached through a symlink that leads outside the new root";
			return -EPERM;
		}
		if (tdir < 0)
			return tdir;
	}
	/* Data only into a regular file: not even opened otherwise (a watchdog starts on open). */
	r = 0;
	if (e->size && (fstatat(tdir, tname, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))) {
		u->why = "it is a hard link carrying data to something that is not a regular file (a device node, fifo, socket, symlink or directory)";
		r = -EPERM;
	}
	if (!r && linkat(tdir, tname, dir, name, 0)) {
		r = -errno;
		/* The kernel's answer to a hard link to a directory: name it. */
		if (r == -EPERM)
			u->why = "its target is a directory, which cannot be hard-linked";
	}
	if (tdir != u->root)
		close(tdir);
	if (r || !e->size)
		return r;
	/* The data is the whole file: no tail of an earlier one stays. */
	*fd = open_regular(u, dir, name, O_TRUNC);
	return *fd < 0 ? *fd : 0;
}

static void forget_parent(struct unpack *u)
{
	if (u->parent_fd >= 0)
		close(u->parent_fd);
	u->parent_fd = -1;
	u->parent[0] = '\0';
}

/*
 * After a name is replaced, or a symlink made, a cached parent may no longer
 * be what its path resolves to (l -> d, l/x, l -> /etc, l/y): drop it, so
 * the next entry's directory is resolved beneath the root again.
 */
static int create_entry(struct unpack *u, int dir, const char *name, const struct arc_entry *e,
			int *fd)
{
	bool stale = S_ISLNK(e->mode) && !e->hardlink;
	int r, tries;

	for (tries = 0; tries < 2; tries++) {
		r = e->hardlink ? hard_link(u, dir, name, e, fd) : create(u, dir, name, e, fd);
		if (r != -EEXIST)
			break;
		r = replace(dir, name, S_ISDIR(e->mode) && !e->hardlink);
		if (r <= 0)
			break;
		stale = true;
		r = -EEXIST;
	}
	if (stale)
		forget_parent(u);
	return r;
}

static int remember_dir(struct unpack *u, const char *path, int64_t mtime)
{
	size_t n = strlen(path) + 1;
	struct dir_time *t = arena_alloc(u->arena, sizeof(*t) + n);

	if (!t)
		return -ENOMEM;
	t->mtime = mtime;
	memcpy(t->path, path, n);
	t->next = u->times;
	u->times = t;
	return 0;
}

static int root_entry(struct unpack *u, const struct arc_entry *e)
{
	if (!S_ISDIR(e->mode)) {
		u->why = "it would replace the root directory";
		return -EPERM;
	}
	if (fchown(u->root, e->uid, e->gid) || fchmod(u->root, e->mode & 07777))
		return -errno;
	return remember_dir(u, "", e->mtime);
}

int unpack_begin(struct unpack *u, const struct arc_entry *e, int *fd)
{
	char path[ARC_PATH_MAX];
	const char *name;
	int dir, r;

	*fd = -1;
	u->why = NULL;
	r = unpack_clean_path(e->path, path, sizeof(path), &u->why);
	if (r)
		return r;
	if (!path[0])
		return root_entry(u, e);
	dir = parent_of(u, path, &name);
	if (dir < 0)
		return dir;
	r = create_entry(u, dir, name, e, fd);
	if (r)
		return r;
	if (e->hardlink) {
		u->links++;
		return 0;
	}
	if (S_ISDIR(e->mode)) {
		u->dirs++;
		r = remember_dir(u, path, e->mtime);
	} else if (S_ISREG(e->mode)) {
		u->files++;
	} else {
		u->others++;
	}
	if (r || *fd >= 0)
		return r;
	return unpack_end(u, e, -1);
}

int unpack_write(struct unpack *u, int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (!w)
			return -ENOSPC;
		p += w;
		n -= (size_t)w;
		u->bytes += (uint64_t)w;
	}
	return 0;
}

static int set_times(int dir, const char *name, int64_t mtime)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)mtime, 0 } };

	return utimensat(dir, name, ts, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

/* Owner first: chown clears set-id bits, chmod puts them back. */
int unpack_end(struct unpack *u, const struct arc_entry *e, int fd)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)e->mtime, 0 } };
	char path[ARC_PATH_MAX];
	const char *name, *why;
	int dir, r = 0;

	if (fd >= 0) {
		if (fchown(fd, e->uid, e->gid) || fchmod(fd, e->mode & 07777) ||
		    futimens(fd, ts))
			r = -errno;
		if (close(fd) && !r)
			r = -errno;
		return r;
	}
	if (e->hardlink || unpack_clean_path(e->path, path, sizeof(path), &why) || !path[0])
		return 0;
	dir = parent_of(u, path, &name);
	if (dir < 0)
		return dir;
	if (fchownat(dir, name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISLNK(e->mode))
		return set_times(dir, name, e->mtime);
	if (fchmodat(dir, name, e->mode & 07777, 0))
		return -errno;
	return S_ISDIR(e->mode) ? 0 : set_times(dir, name, e->mtime);
}

int unpack_finish(struct unpack *u)
{
	struct dir_time *t;
	const char *name;
	int dir, r, first = 0;

	for (t = u->times; t; t = t->next) {
		if (!t->path[0]) {
			struct timespec ts[2] = { { 0, UTIME_OMIT }, { (time_t)t->mtime, 0 } };

			r = futimens(u->root, ts) ? -errno : 0;
		} else {
			dir = parent_of(u, t->path, &name);
			r = dir < 0 ? dir : set_times(dir, name, t->mtime);
		}
		if (r && !first)
			first = r;
	}
	u->times = NULL;
	forget_parent(u);
	return first;
}
