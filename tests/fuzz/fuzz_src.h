/*
 * The fuzz input as a byte source for the archive and gzip readers, handed
 * out in odd pieces so that refills must not lose or repeat bytes.
 */
#ifndef HANDOFF_FUZZ_SRC_H
#define HANDOFF_FUZZ_SRC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fuzz_src {
	const uint8_t *p;
	size_t n, pos, piece;
};

static inline int fuzz_read(void *ctx, uint8_t *buf, size_t n, size_t *got)
{
	struct fuzz_src *m = ctx;
	size_t k = m->n - m->pos;

	if (k > n)
		k = n;
	if (k > m->piece)
		k = m->piece;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	*got = k;
	return 0;
}

#endif
