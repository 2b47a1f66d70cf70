/* cpio "newc" (070701) and its CRC variant (070702), as the kernel reads them. */
#include "layers/archive.h"
#include "layers/newc.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int pad4(uint64_t n)
{
	return (int)((4 - (n & 3)) & 3);
}

/* Several names for one inode: the first keeps the name, later ones link to it. */
static void note_link(struct archive *a, struct arc_entry *e, const struct newc *h)
{
	const char *first;

	if (!S_ISREG(e->mode) || h->nlink < 2 || !a->arena)
		return;
	if (!a->links)
		a->links = links_new(a->arena);
	if (!a->links)
		return;
	first = links_find_or_add(a->links, (uint64_t)h->devmajor << 32 | h->devminor, h->ino,
				  e->path);
	if (!first)
		return;
	e->hardlink = true;
	str_copy(e->link, first, sizeof(e->link));
}

int cpio_next(struct archive *a, struct arc_entry *e)
{
	struct newc h;
	int r;

	r = arc_need(a, NEWC_HDR_SIZE);
	if (r)
		return r;
	r = newc_parse(a->buf + a->pos, NEWC_HDR_SIZE, &h);
	if (r == -EINVAL)
		return arc_fail(a, "bad cpio header magic (corrupt, or not newc)");
	if (r == -EBADMSG)
		return arc_fail(a, "bad hex digit in a cpio header");
	a->pos += NEWC_HDR_SIZE;
	if (r || h.namesize < 2 || h.namesize > ARC_PATH_MAX)
		return arc_fail(a, "cpio name size out of range");
	r = arc_copy(a, e->path, h.namesize);
	if (r)
		return r;
	if (e->path[h.namesize - 1] != '\0' || strlen(e->path) != h.namesize - 1)
		return arc_fail(a, "cpio name is not NUL-terminated where its size says");
	r = arc_skip(a, (uint64_t)pad4(NEWC_HDR_SIZE + h.namesize));
	if (r)
		return r;
	if (!strcmp(e->path, "TRAILER!!!"))
		return 0;
	e->mode = h.mode;
	switch (e->mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR: case S_IFBLK: case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		return arc_fail(a, "cpio entry of an unknown file type");
	}
	e->uid = h.uid;
	e->gid = h.gid;
	e->mtime = h.mtime;
	e->rdev_major = h.rdevmajor;
	e->rdev_minor = h.rdevminor;
	a->left = h.filesize;
	a->pad = (uint64_t)pad4(h.filesize);
	if (S_ISLNK(e->mode)) {
		if (!h.filesize || h.filesize >= ARC_PATH_MAX)
			return arc_fail(a, "cpio symlink target size out of range");
		r = arc_copy(a, e->link, h.filesize);
		if (r)
			return r;
		e->link[h.filesize] = '\0';
		a->left = 0;
		if (strlen(e->link) != h.filesize)
			return arc_fail(a, "cpio symlink target holds a NUL byte");
		return 1;
	}
	if (!S_ISREG(e->mode) && h.filesize)
		return arc_fail(a, "cpio entry that is not a file has data");
	e->size = h.filesize;
	note_link(a, e, &h);
	return 1;
}
