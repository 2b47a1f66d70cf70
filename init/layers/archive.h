/*
 * Reading root filesystem archives: tar (ustar, pax, GNU long names) and
 * cpio newc, from any byte source (a file, a device, a gzip stream). The
 * readers only parse, bounds-checked; what a name may do to the disk is
 * decided by unpack.c.
 */
#ifndef HANDOFF_ARCHIVE_H
#define HANDOFF_ARCHIVE_H

#include "base/arena.h"
#include "layers/inflate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARC_PATH_MAX 4096
#define ARC_PAX_MAX 65536
/*
 * Larger sizes are refused: no disk or RAM holds 4 EiB, and below this a
 * size plus its padding, or rounded up to pages, fits in 64 bits and in an
 * off_t (a wrapped sum would skip nothing, or seek backwards for ever).
 */
#define ARC_SIZE_MAX ((uint64_t)1 << 62)

enum arc_format { ARC_NONE, ARC_TAR, ARC_CPIO };

struct arc_entry {
	char path[ARC_PATH_MAX];	/* as stored: unpack.c checks it */
	char link[ARC_PATH_MAX];	/* symlink target, or the earlier name of a hard link */
	uint32_t mode;			/* type and permission bits, as st_mode */
	bool hardlink;			/* link names an earlier entry */
	uint32_t uid, gid;
	int64_t mtime;
	uint64_t size;			/* data bytes that follow */
	uint32_t rdev_major, rdev_minor;
};

struct archive {
	struct byte_src src;
	uint8_t *buf;			/* the caller's buffer, at least 64 KiB */
	size_t cap, pos, len;
	bool eof;
	int src_err;
	enum arc_format format;
	uint64_t left;			/* data of the current entry not yet read */
	uint64_t pad;			/* skipped after it: padding, a directory's data */
	uint64_t entries;
	const char *why;		/* on error: what is wrong */
	struct arena *arena;		/* cpio: hard-link names */
	struct link_table *links;
	char pax[ARC_PAX_MAX];		/* tar: extended header being read */
};

/* a + b, or UINT64_MAX when that does not fit: sums of sizes never wrap. */
static inline uint64_t arc_add(uint64_t a, uint64_t b)
{
	uint64_t s;

	return __builtin_add_overflow(a, b, &s) ? UINT64_MAX : s;
}

/* Detects the format from the first bytes; -EINVAL (why set) if neither. */
int archive_open(struct archive *a, struct byte_src src, uint8_t *buf, size_t cap,
		 struct arena *arena);
/* 1: *e is the next entry; 0: the end; -EINVAL (why set) or -errno. */
int archive_next(struct archive *a, struct arc_entry *e);
/* The next piece of the entry's data (*n == 0 when all is read). */
int archive_data(struct archive *a, const uint8_t **p, size_t *n);
/* "tar", "cpio" */
const char *archive_format_name(enum arc_format f);

/* Internal to the readers (archive.c, tar.c, cpio.c). */
int arc_need(struct archive *a, size_t n);
int arc_skip(struct archive *a, uint64_t n);
int arc_copy(struct archive *a, void *dst, size_t n);
int arc_fail(struct archive *a, const char *why);
int tar_next(struct archive *a, struct arc_entry *e);
int cpio_next(struct archive *a, struct arc_entry *e);
bool tar_magic(const uint8_t *p, size_t n);

#endif
