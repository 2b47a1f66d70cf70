/* cpio "newc" (070701) and its CRC variant (070702), as the kernel reads them. */
#include "layers/archive.h"
#include "base/util.h"

#include <string.h>
#include <sys/stat.h>

#define CPIO_HDR 110

static bool hex8(const uint8_t *p, uint32_t *v)
{
	uint32_t r = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			d = (p[i] | 0x20) - 'a' + 10;
		else
			return false;
		r = r << 4 | (uint32_t)d;
	}
	*v = r;
	return true;
}

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_SIZE, F_MAJ, F_MIN,
       F_RMAJ, F_RMIN, F_NAMESIZE, F_CHECK, F_COUNT };

static int pad4(uint64_t n)
{
	return (int)((4 - (n & 3)) & 3);
}

/* Several names for one inode: the first keeps the name, later ones link to it. */
static void note_link(struct archive *a, struct arc_entry *e, const uint32_t *f)
{
	const char *first;

	if (!S_ISREG(e->mode) || f[F_NLINK] < 2 || !a->arena)
		return;
	if (!a->links)
		a->links = links_new(a->arena);
	if (!a->links)
		return;
	first = links_find_or_add(a->links, (uint64_t)f[F_MAJ] << 32 | f[F_MIN], f[F_INO],
				  e->path);
	if (!first)
		return;
	e->hardlink = true;
	str_copy(e->link, first, sizeof(e->link));
}

int cpio_next(struct archive *a, struct arc_entry *e)
{
	uint32_t f[F_COUNT];
	int i, r;

	r = arc_need(a, CPIO_HDR);
	if (r)
		return r;
	if (!cpio_magic(a->buf + a->pos, CPIO_HDR))
		return arc_fail(a, "bad cpio header magic (corrupt, or not newc)");
	for (i = 0; i < F_COUNT; i++)
		if (!hex8(a->buf + a->pos + 6 + (size_t)8 * (size_t)i, &f[i]))
			return arc_fail(a, "bad hex digit in a cpio header");
	a->pos += CPIO_HDR;
	if (f[F_NAMESIZE] < 2 || f[F_NAMESIZE] > ARC_PATH_MAX)
		return arc_fail(a, "cpio name size out of range");
	r = arc_copy(a, e->path, f[F_NAMESIZE]);
	if (r)
		return r;
	if (e->path[f[F_NAMESIZE] - 1] != '\0' || strlen(e->path) != f[F_NAMESIZE] - 1)
		return arc_fail(a, "cpio name is not NUL-terminated where its size says");
	r = arc_skip(a, (uint64_t)pad4(CPIO_HDR + f[F_NAMESIZE]));
	if (r)
		return r;
	if (!strcmp(e->path, "TRAILER!!!"))
		return 0;
	e->mode = f[F_MODE];
	switch (e->mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		return arc_fail(a, "cpio entry of an unknown file type");
	}
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->mtime = f[F_MTIME];
	e->rdev_major = f[F_RMAJ];
	e->rdev_minor = f[F_RMIN];
	a->left = f[F_SIZE];
	a->pad = (uint64_t)pad4(f[F_SIZE]);
	if (S_ISLNK(e->mode)) {
		if (!f[F_SIZE] || f[F_SIZE] >= ARC_PATH_MAX)
			return arc_fail(a, "cpio symlink target size out of range");
		r = arc_copy(a, e->link, f[F_SIZE]);
		if (r)
			return r;
		e->link[f[F_SIZE]] = '\0';
		a->left = 0;
		if (strlen(e->link) != f[F_SIZE])
			return arc_fail(a, "cpio symlink target holds a NUL byte");
		return 1;
	}
	if (!S_ISREG(e->mode) && f[F_SIZE])
		return arc_fail(a, "cpio entry that is not a file has data");
	e->size = f[F_SIZE];
	note_link(a, e, f);
	return 1;
}
