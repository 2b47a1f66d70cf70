#include "layers/archive.h"
#include "layers/newc.h"

#include <errno.h>
#include <string.h>

int arc_fail(struct archive *a, const char *why)
{
	a->why = why;
	return -EINVAL;
}

/* Reads from the source until the buffer holds n bytes or it ends. */
static int fill(struct archive *a, size_t n)
{
	size_t got;
	int e;

	if (a->pos && a->len - a->pos < n) {
		memmove(a->buf, a->buf + a->pos, a->len - a->pos);
		a->len -= a->pos;
		a->pos = 0;
	}
	while (a->len - a->pos < n && !a->eof) {
		e = a->src.read(a->src.ctx, a->buf + a->len, a->cap - a->len, &got);
		if (e) {
			a->src_err = e;
			a->why = "cannot read the archive";
			return e;
		}
		if (!got)
			a->eof = true;
		a->len += got;
	}
	return 0;
}

/* Makes n (<= cap) bytes available at buf + pos. */
int arc_need(struct archive *a, size_t n)
{
	int e;

	if (a->len - a->pos >= n)
		return 0;
	e = fill(a, n);
	if (e)
		return e;
	if (a->len - a->pos < n)
		return arc_fail(a, "the archive ends too early (truncated)");
	return 0;
}

/* *k (1..max) bytes at buf + pos, reading more when the buffer is used up. */
static int arc_chunk(struct archive *a, uint64_t max, size_t *k)
{
	int e;

	if (a->pos == a->len) {
		a->pos = a->len = 0;
		e = arc_need(a, 1);
		if (e)
			return e;
	}
	*k = a->len - a->pos;
	if (*k > max)
		*k = (size_t)max;
	return 0;
}

int arc_skip(struct archive *a, uint64_t n)
{
	size_t k = a->len - a->pos;
	int e;

	/* Past the buffer, a seekable source skips without reading. */
	if (n > k && a->src.skip && !a->eof) {
		a->pos = a->len = 0;
		e = a->src.skip(a->src.ctx, n - k);
		if (e) {
			a->src_err = e;
			a->why = "cannot read the archive";
		}
		return e;
	}
	while (n) {
		e = arc_chunk(a, n, &k);
		if (e)
			return e;
		a->pos += k;
		n -= k;
	}
	return 0;
}

int arc_copy(struct archive *a, void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t k;
	int e;

	while (n) {
		e = arc_chunk(a, n, &k);
		if (e)
			return e;
		memcpy(d, a->buf + a->pos, k);
		a->pos += k;
		d += k;
		n -= k;
	}
	return 0;
}

bool tar_magic(const uint8_t *p, size_t n)
{
	return n >= 263 && !memcmp(p + 257, "ustar", 5);
}

int archive_open(struct archive *a, struct byte_src src, uint8_t *buf, size_t cap,
		 struct arena *arena)
{
	int e;

	memset(a, 0, offsetof(struct archive, pax));
	a->src = src;
	a->buf = buf;
	a->cap = cap;
	a->arena = arena;
	e = fill(a, 512);
	if (e)
		return e;
	if (tar_magic(a->buf, a->len))
		a->format = ARC_TAR;
	else if (newc_magic(a->buf, a->len))
		a->format = ARC_CPIO;
	else
		return arc_fail(a, "neither a tar (ustar, pax, GNU) nor a cpio (newc) archive");
	return 0;
}

int archive_next(struct archive *a, struct arc_entry *e)
{
	int r;

	r = arc_skip(a, arc_add(a->left, a->pad));
	if (r)
		return r;
	a->left = 0;
	a->pad = 0;
	e->path[0] = e->link[0] = '\0';
	e->mode = e->uid = e->gid = 0;
	e->hardlink = false;
	e->mtime = 0;
	e->size = 0;
	e->rdev_major = e->rdev_minor = 0;
	r = a->format == ARC_TAR ? tar_next(a, e) : cpio_next(a, e);
	if (r == 1 && (e->size > ARC_SIZE_MAX || a->left > ARC_SIZE_MAX || a->pad > ARC_SIZE_MAX))
		return arc_fail(a, "an entry's size is over 4 EiB, more than any file can be (corrupt or hostile)");
	if (r == 1)
		a->entries++;
	return r;
}

int archive_data(struct archive *a, const uint8_t **p, size_t *n)
{
	int e;

	*n = 0;
	if (!a->left)
		return 0;
	e = arc_chunk(a, a->left, n);
	if (e)
		return e;
	*p = a->buf + a->pos;
	a->pos += *n;
	a->left -= *n;
	return 0;
}

const char *archive_format_name(enum arc_format f)
{
	return f == ARC_TAR ? "tar" : f == ARC_CPIO ? "cpio" : "unknown";
}
