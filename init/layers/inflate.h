/*
 * gzip streams (RFC 1952) and deflate (RFC 1951), written for handoff:
 * pulls compressed bytes from a byte source, hands out decompressed ones.
 * Every member's CRC-32 and length are checked; concatenated members are
 * read as one stream, as gzip does.
 */
#ifndef HANDOFF_INFLATE_H
#define HANDOFF_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A pull source: read gives 0 with *got bytes (0 at the end), or -errno;
 * skip (NULL when it cannot) passes over n bytes without reading them.
 */
struct byte_src {
	int (*read)(void *ctx, uint8_t *buf, size_t n, size_t *got);
	int (*skip)(void *ctx, uint64_t n);
	void *ctx;
};

#define INFLATE_FAST_BITS 10
#define INFLATE_WINDOW (1u << 17)	/* 32 KiB history + what is not yet read */

struct huff {
	uint16_t fast[1 << INFLATE_FAST_BITS];	/* symbol << 4 | length; 0: longer code */
	uint16_t count[16];
	uint16_t sym[288];
};

struct gunzip {
	struct byte_src src;
	uint8_t in[32768];
	size_t in_pos, in_len;
	bool in_eof;
	int src_err;
	uint64_t bits;
	unsigned nbits;
	uint8_t out[INFLATE_WINDOW];
	uint64_t wr, rd, crc_done, member_start;
	int state;
	bool last;
	uint32_t stored_left;
	uint32_t crc;
	struct huff lit, dist;
	const char *why;	/* on error: what is wrong with the stream */
};

/* True when the bytes start a gzip stream. */
bool gunzip_magic(const uint8_t *p, size_t n);
void gunzip_init(struct gunzip *g, struct byte_src src);
/*
 * Reads up to n decompressed bytes: 0 with *got (0 at the end of the
 * stream), -EINVAL for a corrupt or truncated stream (g->why says how),
 * or the source's -errno.
 */
int gunzip_read(struct gunzip *g, uint8_t *buf, size_t n, size_t *got);
/* CRC-32 as gzip computes it (IEEE 802.3, reflected). */
uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n);

#endif
