/*
 * Filling the tmpfs on NEW_ROOT: from an archive (checked to fit before a
 * byte is written), or by copying a mounted root. A failure leaves the
 * tmpfs to be unmounted by the caller: that is the whole cleanup.
 */
#include "layers/archive.h"
#include "layers/layers.h"
#include "base/log.h"
#include "mount/mount.h"
#include "layers/unpack.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define ARENA_SIZE (256u << 20)	/* reserved, not used: pages come as touched */
#define PAGE 4096u
#define MIB(x) ((unsigned long long)((x) >> 20))
/* tmpfs keeps symlink targets shorter than this in the inode. */
#define SHORT_SYMLINK 128

/*
 * The unpacker's scratch, one per process (the archive's read buffer, the
 * inflater, the names arena): static because it is large, not to carry
 * anything from one call to the next.
 */
static struct {
	uint8_t buf[1 << 17];
	struct gunzip gz;
	struct archive arc;
	struct arc_entry ent;
	struct arena arena;
	struct unpack un;
} work;

struct fd_src {
	int fd;
};

static int fd_read(void *ctx, uint8_t *p, size_t n, size_t *got)
{
	ssize_t r;

	do
		r = read(((struct fd_src *)ctx)->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*got = (size_t)r;
	return 0;
}

static int fd_skip(void *ctx, uint64_t n)
{
	if (n > INT64_MAX)	/* as an off_t it would seek backwards */
		return -EOVERFLOW;
	return lseek(((struct fd_src *)ctx)->fd, (off_t)n, SEEK_CUR) < 0 ? -errno : 0;
}

static int gz_read(void *ctx, uint8_t *p, size_t n, size_t *got)
{
	return gunzip_read(ctx, p, n, got);
}

struct room {
	unsigned long long bytes, inodes;
};

static const char *compression(const uint8_t *h, size_t n)
{
	if (n >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd)
		return "zstd";
	if (n >= 6 && !memcmp(h, "\xfd" "7zXZ", 6))
		return "xz";
	if (n >= 3 && !memcmp(h, "BZh", 3))
		return "bzip2";
	if (n >= 4 && !memcmp(h, "\x04\x22\x4d\x18", 4))
		return "lz4";
	return NULL;
}

/* Opens the archive from the start: through gunzip when it is compressed. */
static int open_chain(struct fd_src *raw, bool gzip)
{
	struct byte_src src = { fd_read, fd_skip, raw };

	if (lseek(raw->fd, 0, SEEK_SET) < 0)
		return -errno;
	if (gzip) {
		gunzip_init(&work.gz, src);
		src = (struct byte_src){ gz_read, NULL, &work.gz };
	}
	work.arena.used = 0;
	return archive_open(&work.arc, src, work.buf, sizeof(work.buf), &work.arena);
}

static void archive_error(const char *what, int e)
{
	const char *why = work.gz.why && work.arc.src.ctx == &work.gz ? work.gz.why : work.arc.why;

	err("rd.image=%s: %s archive: %s%s%s (after %llu entries)", what,
	    archive_format_name(work.arc.format), why ? why : errtext(e), why && e != -EINVAL ? ": " : "",
	    why && e != -EINVAL ? errtext(e) : "", (unsigned long long)work.arc.entries);
	err("hint: check the archive on the host (tar -tvf, cpio -tv); handoff reads tar (ustar, pax, GNU) and cpio newc, plain or gzip-compressed");
}

/* What the archive will take in the tmpfs: data in whole pages, and inodes. */
static int measure(struct room *need)
{
	int r;

	need->bytes = need->inodes = 0;
	while ((r = archive_next(&work.arc, &work.ent)) == 1) {
		if (!work.ent.hardlink)
			need->inodes++;
		/* Sizes are at most ARC_SIZE_MAX each; their sum saturates, never wraps. */
		need->bytes = arc_add(need->bytes, (work.ent.size + PAGE - 1) / PAGE * PAGE);
		if ((work.ent.mode & S_IFMT) == S_IFLNK && strlen(work.ent.link) >= SHORT_SYMLINK)
			need->bytes = arc_add(need->bytes, PAGE);
	}
	return r;
}

/*
 * A gzip file states its size at the end (modulo 4 GiB). A tar takes at most
 * four times its size in a tmpfs (a 1-byte file: 1 KiB of tar, one 4 KiB
 * page), so a small enough size proves it fits without inflating twice.
 */
static bool surely_fits(int fd, const struct statfs *fs)
{
	uint8_t t[4];
	struct stat st;
	unsigned long long isize;

	if (work.arc.format != ARC_TAR || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 32 ||
	    pread(fd, t, 4, st.st_size - 4) != 4)
		return false;
	isize = t[0] | t[1] << 8 | t[2] << 16 | (unsigned long long)t[3] << 24;
	return isize >= (unsigned long long)st.st_size / 2 &&
	       isize * 4 <= (unsigned long long)fs->f_bavail * fs->f_bsize &&
	       isize / 512 <= (unsigned long long)fs->f_ffree;
}

static int check_room(struct fd_src *raw, bool gzip, const struct boot_params *p,
		      const char *what, struct statfs *fs)
{
	unsigned long long avail;
	struct room need;
	int r;

	if (statfs(NEW_ROOT, fs)) {
		r = -errno;
		err("cannot statfs %s: %s", NEW_ROOT, errtext(r));
		return r;
	}
	avail = (unsigned long long)fs->f_bavail * fs->f_bsize;
	if (gzip && surely_fits(raw->fd, fs))
		return 0;
	r = measure(&need);
	if (r < 0) {
		archive_error(what, r);
		return r;
	}
	if (need.bytes <= avail && need.inodes <= (unsigned long long)fs->f_ffree)
		return 0;
	err("rd.image=%s needs %llu MiB (%llu files, directories and links) but the tmpfs on %s has %llu MiB (%llu inodes) free: not unpacking it",
	    what, MIB(arc_add(need.bytes, (1 << 20) - 1)), need.inodes, NEW_ROOT, MIB(avail),
	    (unsigned long long)fs->f_ffree);
	err("hint: %s%s%s, or give the machine more memory (a tmpfs is at most half of it unless sized)",
	    p->tmpfs_size ? "raise rd.tmpfs.size=" : "set rd.tmpfs.size= larger",
	    p->tmpfs_size ? p->tmpfs_size : "", p->tmpfs_size ? "" : " (e.g. 75%)");
	return -ENOSPC;
}

static void entry_error(const char *what, int e, const struct statfs *fs)
{
	if (e == -EPERM && work.un.why) {
		err("rd.image=%s: refusing entry \"%s\": %s", what, work.ent.path, work.un.why);
		err("hint: the archive is hostile or corrupt (it tries to write outside the new root, or into something not a file); nothing was switched into. Make archives from a directory, with relative names (tar -C DIR -cf IMAGE .)");
	} else if (e == -ENOSPC) {
		err("rd.image=%s: the tmpfs on %s (%llu MiB) is full after %llu MiB of data, at \"%s\": not switching into a half-filled root",
		    what, NEW_ROOT, MIB((unsigned long long)fs->f_blocks * fs->f_bsize),
		    MIB(work.un.bytes), work.ent.path);
		err("hint: raise rd.tmpfs.size=, or give the machine more memory");
	} else {
		err("rd.image=%s: cannot create \"%s\" in %s: %s", what, work.ent.path, NEW_ROOT,
		    errtext(e));
	}
}

static int unpack_all(const char *what, const struct statfs *fs)
{
	const uint8_t *data = NULL;
	size_t n;
	int r, e, fd;

	while ((r = archive_next(&work.arc, &work.ent)) == 1) {
		e = unpack_begin(&work.un, &work.ent, &fd);
		if (e) {
			entry_error(what, e, fs);
			return e;
		}
		if (fd < 0)
			continue;
		while (!(r = archive_data(&work.arc, &data, &n)) && n) {
			e = unpack_write(&work.un, fd, data, n);
			if (e)
				break;
		}
		if (!e)
			e = r < 0 ? r : unpack_end(&work.un, &work.ent, fd);
		else
			close(fd);
		if (e && r < 0) {
			archive_error(what, r);
			return r;
		}
		if (e) {
			entry_error(what, e, fs);
			return e;
		}
	}
	if (r < 0)
		archive_error(what, r);
	return r;
}

static int open_arena(void)
{
	int e;

	if (work.arena.base)
		return 0;
	e = arena_init(&work.arena, ARENA_SIZE);
	if (e)
		err("cannot reserve memory for unpacking: %s", errtext(e));
	return e;
}

int unpack_image(int fd, const char *what, const struct boot_params *p)
{
	struct fd_src raw = { fd };
	struct statfs fs;
	uint8_t head[8];
	const char *other;
	long start = log_ms();
	bool gzip;
	int root, e;

	e = open_arena();
	if (e)
		return e;
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head)) {
		err("rd.image=%s: cannot read it, or it is empty", what);
		return -EIO;
	}
	other = compression(head, sizeof(head));
	if (other) {
		err("rd.image=%s is %s-compressed: handoff unpacks gzip and uncompressed archives", what,
		    other);
		err("hint: recompress it with gzip, or store it uncompressed");
		return -EOPNOTSUPP;
	}
	gzip = gunzip_magic(head, sizeof(head));
	e = open_chain(&raw, gzip);
	if (!e)
		e = check_room(&raw, gzip, p, what, &fs);
	if (!e)
		e = open_chain(&raw, gzip);
	if (e) {
		if (e == -EINVAL)
			archive_error(what, e);
		return e;
	}
	root = open(NEW_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	unpack_init(&work.un, root, &work.arena);
	e = unpack_all(what, &fs);
	if (!e)
		e = unpack_finish(&work.un);
	else
		unpack_finish(&work.un);
	close(root);
	if (e)
		return e;
	info("unpacked %s (%s%s) into %s: %llu files, %llu directories, %llu links, %llu others, %llu MiB in %ld ms",
	     what, archive_format_name(work.arc.format), gzip ? ", gzip" : "", NEW_ROOT,
	     (unsigned long long)work.un.files, (unsigned long long)work.un.dirs,
	     (unsigned long long)work.un.links, (unsigned long long)work.un.others, MIB(work.un.bytes),
	     log_ms() - start);
	return 0;
}

/* --- copy to RAM ------------------------------------------------------- */

struct walk {
	char path[ARC_PATH_MAX];
	size_t len;
	dev_t dev;
	struct link_table *links;
	int err;
};

static int copy_data(int in, int out, uint64_t size)
{
	ssize_t n;

	while (size) {
		n = sendfile(out, in, NULL, size > (1u << 30) ? (1u << 30) : (size_t)size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;	/* the file shrank */
		size -= (uint64_t)n;
		work.un.bytes += (uint64_t)n;
	}
	return 0;
}

static int copy_entry(int dir, const char *name, unsigned char type, void *ctx);

static int copy_one(struct walk *w, int dir, const char *name, const struct stat *st)
{
	const char *first;
	int in = -1, out, e;
	ssize_t n;

	work.ent.mode = st->st_mode;
	work.ent.uid = st->st_uid;
	work.ent.gid = st->st_gid;
	work.ent.mtime = st->st_mtime;
	work.ent.size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
	work.ent.rdev_major = major(st->st_rdev);
	work.ent.rdev_minor = minor(st->st_rdev);
	work.ent.hardlink = false;
	work.ent.link[0] = '\0';
	str_copy(work.ent.path, w->path, sizeof(work.ent.path));
	if (S_ISLNK(st->st_mode)) {
		n = readlinkat(dir, name, work.ent.link, sizeof(work.ent.link) - 1);
		if (n < 0)
			return -errno;
		work.ent.link[n] = '\0';
	}
	if (!S_ISDIR(st->st_mode) && st->st_nlink > 1 && w->links) {
		first = links_find_or_add(w->links, st->st_dev, st->st_ino, w->path);
		if (first) {
			work.ent.hardlink = true;
			work.ent.size = 0;
			str_copy(work.ent.link, first, sizeof(work.ent.link));
		}
	}
	e = unpack_begin(&work.un, &work.ent, &out);
	if (e || out < 0)
		return e;
	in = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	e = in < 0 ? -errno : copy_data(in, out, work.ent.size);
	if (in >= 0)
		close(in);
	if (e) {
		close(out);
		return e;
	}
	return unpack_end(&work.un, &work.ent, out);
}

static int copy_entry(int dir, const char *name, unsigned char type, void *ctx)
{
	struct walk *w = ctx;
	size_t len = w->len, n = strlen(name);
	struct stat st;
	int sub, e;

	(void)type;
	if (len + n + 2 > sizeof(w->path))
		return -ENAMETOOLONG;
	if (len)
		w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, n + 1);
	w->len += n;
	e = fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
	if (!e)
		e = copy_one(w, dir, name, &st);
	/* Into directories of this filesystem only: another mount is not the root's. */
	if (!e && S_ISDIR(st.st_mode) && st.st_dev == w->dev) {
		sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = sub < 0 ? -errno : for_each_dirent(sub, copy_entry, w);
		if (sub >= 0)
			close(sub);
	}
	if (e && !w->err) {
		w->err = e;
		err("cannot copy %s/%s to RAM: %s", LOWER_DIR, w->path, errtext(e));
	}
	w->len = len;
	w->path[len] = '\0';
	return e;
}

/* The copy needs at most what the source filesystem has in use. */
static int check_copy_room(const char *from, const struct boot_params *p)
{
	struct statfs src, dst;
	unsigned long long used, avail;

	if (statfs(from, &src) || statfs(NEW_ROOT, &dst))
		return -errno;
	used = (unsigned long long)(src.f_blocks - src.f_bfree) * src.f_bsize;
	avail = (unsigned long long)dst.f_bavail * dst.f_bsize;
	if (used <= avail)
		return 0;
	err("rd.copytoram: the root has %llu MiB in use but the tmpfs on %s has %llu MiB free: not copying",
	    MIB(used), NEW_ROOT, MIB(avail));
	err("hint: %s rd.tmpfs.size=%s, or give the machine more memory", p->tmpfs_size ?
	    "raise" : "set a larger", p->tmpfs_size ? p->tmpfs_size : "");
	return -ENOSPC;
}

int copy_to_ram(const char *from, const struct boot_params *p)
{
	static struct walk w;
	struct stat st;
	long start = log_ms();
	int src, root, fd, e;

	e = open_arena();
	if (!e)
		e = check_copy_room(from, p);
	if (e)
		return e;
	src = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	root = open(NEW_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0 || root < 0 || fstat(src, &st)) {
		e = -errno;
		err("cannot open %s or %s to copy the root: %s", from, NEW_ROOT, errtext(e));
		goto out;
	}
	work.arena.used = 0;
	memset(&w, 0, sizeof(w));
	w.dev = st.st_dev;
	w.links = links_new(&work.arena);
	unpack_init(&work.un, root, &work.arena);
	/* The root directory's own owner, mode and time. */
	work.ent.path[0] = '\0';
	work.ent.mode = st.st_mode;
	work.ent.uid = st.st_uid;
	work.ent.gid = st.st_gid;
	work.ent.mtime = st.st_mtime;
	e = unpack_begin(&work.un, &work.ent, &fd);
	if (!e)
		e = for_each_dirent(src, copy_entry, &w);
	if (e == -ENOSPC)
		err("rd.copytoram: the tmpfs on %s is full after %llu MiB", NEW_ROOT, MIB(work.un.bytes));
	if (unpack_finish(&work.un) && !e)
		warn("rd.copytoram: some directory times were not kept");
	if (!e)
		info("copied %s to RAM: %llu files, %llu directories, %llu links, %llu others, %llu MiB in %ld ms",
		     from, (unsigned long long)work.un.files, (unsigned long long)work.un.dirs,
		     (unsigned long long)work.un.links, (unsigned long long)work.un.others, MIB(work.un.bytes),
		     log_ms() - start);
out:
	if (src >= 0)
		close(src);
	if (root >= 0)
		close(root);
	return e;
}
