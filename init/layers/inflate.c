#include "layers/inflate.h"

#include <errno.h>
#include <string.h>

enum { GZ_HEADER, GZ_BLOCK, GZ_STORED, GZ_HUFF, GZ_TRAILER, GZ_DONE, GZ_ERROR };

/* Decoding pauses when this much is waiting to be read: room for a match. */
#define OUT_LIMIT (INFLATE_WINDOW - 32768 - 258)
#define OUT_MASK (INFLATE_WINDOW - 1)

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
static const uint8_t clen_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* Four tables: four bytes per step (slice-by-4), a third of the time of one. */
static uint32_t crc_table[4][256];

static void crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 4; k++)
			crc_table[k][i] = crc_table[0][crc_table[k - 1][i] & 0xff] ^
					  (crc_table[k - 1][i] >> 8);
}

uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	if (!crc_table[0][1])
		crc_init();
	crc = ~crc;
	for (; n >= 4; n -= 4, p += 4) {
		crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24;
		crc = crc_table[3][crc & 0xff] ^ crc_table[2][(crc >> 8) & 0xff] ^
		      crc_table[1][(crc >> 16) & 0xff] ^ crc_table[0][crc >> 24];
	}
	while (n--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

bool gunzip_magic(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

void gunzip_init(struct gunzip *g, struct byte_src src)
{
	g->src = src;
	g->in_pos = g->in_len = 0;
	g->in_eof = false;
	g->src_err = 0;
	g->bits = 0;
	g->nbits = 0;
	g->wr = g->rd = g->crc_done = g->member_start = 0;
	g->state = GZ_HEADER;
	g->why = NULL;
}

static int fail(struct gunzip *g, const char *why)
{
	g->why = why;
	g->state = GZ_ERROR;
	return -EINVAL;
}

/* Reads more compressed bytes into in[]; false at the end (or an error). */
static bool more_input(struct gunzip *g)
{
	size_t got;
	int e;

	if (g->in_eof)
		return false;
	e = g->src.read(g->src.ctx, g->in, sizeof(g->in), &got);
	if (e || !got) {
		g->src_err = e;
		g->in_eof = true;
		return false;
	}
	g->in_pos = 0;
	g->in_len = got;
	return true;
}

/* Tops the bit buffer up to at least 57 bits, or to what the input has. */
static void refill(struct gunzip *g)
{
	while (g->nbits <= 56) {
		if (g->in_pos == g->in_len && !more_input(g))
			return;
		g->bits |= (uint64_t)g->in[g->in_pos++] << g->nbits;
		g->nbits += 8;
	}
}

/* Reads n (<= 32) bits; false when the input ended first. */
static bool getbits(struct gunzip *g, unsigned n, uint32_t *v)
{
	if (g->nbits < n)
		refill(g);
	if (g->nbits < n)
		return false;
	*v = (uint32_t)(g->bits & ((1ull << n) - 1));
	g->bits >>= n;
	g->nbits -= n;
	return true;
}

static int truncated(struct gunzip *g)
{
	if (g->src_err) {
		g->state = GZ_ERROR;
		g->why = "cannot read the compressed data";
		return g->src_err;
	}
	return fail(g, "the compressed data ends too early (truncated)");
}

static unsigned reverse_bits(unsigned code, unsigned len)
{
	unsigned r = 0;

	while (len--) {
		r = (r << 1) | (code & 1);
		code >>= 1;
	}
	return r;
}

/* Builds the canonical code from lengths; -1 if over-subscribed. */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned n)
{
	uint16_t offs[16];
	unsigned len, sym, code, i, k, stride;
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	memset(h->fast, 0, sizeof(h->fast));
	for (sym = 0; sym < n; sym++)
		h->count[lens[sym]]++;
	h->count[0] = 0;
	for (len = 1; len < 16; len++) {
		left = (left << 1) - h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (len = 1; len < 15; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (sym = 0; sym < n; sym++)
		if (lens[sym])
			h->sym[offs[lens[sym]]++] = (uint16_t)sym;
	/* Fill the fast table for codes up to FAST_BITS long. */
	code = 0;
	k = 0;
	for (len = 1; len <= INFLATE_FAST_BITS; len++) {
		for (i = 0; i < h->count[len]; i++, k++, code++) {
			stride = 1u << len;
			for (sym = reverse_bits(code, len); sym < (1u << INFLATE_FAST_BITS); sym += stride)
				h->fast[sym] = (uint16_t)(h->sym[k] << 4 | len);
		}
		code <<= 1;
	}
	return 0;
}

/* The next symbol, or -1 (bad code) or -2 (input ended). */
static int decode(struct gunzip *g, const struct huff *h)
{
	unsigned entry, len, code = 0, first = 0, index = 0, count;

	if (g->nbits < 15)
		refill(g);
	entry = h->fast[g->bits & ((1u << INFLATE_FAST_BITS) - 1)];
	if (entry) {
		len = entry & 15;
		if (len > g->nbits)
			return -2;
		g->bits >>= len;
		g->nbits -= len;
		return entry >> 4;
	}
	for (len = 1; len < 16; len++) {
		if (len > g->nbits)
			return -2;
		code |= (unsigned)(g->bits >> (len - 1)) & 1;
		count = h->count[len];
		if (code - first < count) {
			g->bits >>= len;
			g->nbits -= len;
			return h->sym[index + code - first];
		}
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -1;
}

static int read_header(struct gunzip *g)
{
	uint32_t id1, id2, cm, flags, v, n;
	int i;

	if (!getbits(g, 8, &id1) || !getbits(g, 8, &id2) || !getbits(g, 8, &cm) ||
	    !getbits(g, 8, &flags))
		return truncated(g);
	if (id1 != 0x1f || id2 != 0x8b)
		return fail(g, "not a gzip stream (bad magic)");
	if (cm != 8)
		return fail(g, "gzip compression method is not deflate");
	if (flags & 0xe0)
		return fail(g, "gzip header has reserved flags set");
	for (i = 0; i < 6; i++)		/* mtime, xfl, os */
		if (!getbits(g, 8, &v))
			return truncated(g);
	if (flags & 4) {		/* FEXTRA */
		if (!getbits(g, 16, &n))
			return truncated(g);
		while (n--)
			if (!getbits(g, 8, &v))
				return truncated(g);
	}
	for (i = 3; i <= 4; i++) {	/* FNAME, FCOMMENT: NUL-ended */
		if (!(flags & (1u << i)))
			continue;
		do {
			if (!getbits(g, 8, &v))
				return truncated(g);
		} while (v);
	}
	if ((flags & 2) && !getbits(g, 16, &v))	/* FHCRC */
		return truncated(g);
	g->member_start = g->wr;
	g->crc = 0;
	g->state = GZ_BLOCK;
	return 0;
}

static int fixed_tables(struct gunzip *g)
{
	uint8_t lens[288];
	int i;

	for (i = 0; i < 144; i++)
		lens[i] = 8;
	for (; i < 256; i++)
		lens[i] = 9;
	for (; i < 280; i++)
		lens[i] = 7;
	for (; i < 288; i++)
		lens[i] = 8;
	huff_build(&g->lit, lens, 288);
	for (i = 0; i < 30; i++)
		lens[i] = 5;
	huff_build(&g->dist, lens, 30);
	return 0;
}

static int code_lengths(struct gunzip *g, uint8_t *lens, unsigned total)
{
	unsigned i = 0, rep;
	uint32_t v;
	uint8_t fill;
	int sym;

	while (i < total) {
		sym = decode(g, &g->lit);	/* the code-length code lives in lit here */
		if (sym == -2)
			return truncated(g);
		if (sym < 0)
			return fail(g, "bad code-length code");
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (!i)
				return fail(g, "repeat of a length before the first");
			fill = lens[i - 1];
			if (!getbits(g, 2, &v))
				return truncated(g);
			rep = 3 + v;
		} else {
			fill = 0;
			if (!getbits(g, sym == 17 ? 3 : 7, &v))
				return truncated(g);
			rep = (sym == 17 ? 3 : 11) + v;
		}
		if (i + rep > total)
			return fail(g, "code lengths run past the table");
		while (rep--)
			lens[i++] = fill;
	}
	return 0;
}

static int dynamic_tables(struct gunzip *g)
{
	uint8_t lens[288 + 32];
	uint32_t hlit, hdist, hclen, v;
	unsigned i;
	int e;

	if (!getbits(g, 5, &hlit) || !getbits(g, 5, &hdist) || !getbits(g, 4, &hclen))
		return truncated(g);
	hlit += 257;
	hdist += 1;
	hclen += 4;
	if (hlit > 286 || hdist > 30)
		return fail(g, "too many length or distance codes");
	memset(lens, 0, 19);
	for (i = 0; i < hclen; i++) {
		if (!getbits(g, 3, &v))
			return truncated(g);
		lens[clen_order[i]] = (uint8_t)v;
	}
	if (huff_build(&g->lit, lens, 19))
		return fail(g, "bad code-length code");
	e = code_lengths(g, lens, hlit + hdist);
	if (e)
		return e;
	if (!lens[256])
		return fail(g, "no end-of-block code");
	if (huff_build(&g->lit, lens, hlit) || huff_build(&g->dist, lens + hlit, hdist))
		return fail(g, "over-subscribed literal or distance code");
	return 0;
}

static int block_header(struct gunzip *g)
{
	uint32_t last, type, len, nlen;

	if (!getbits(g, 1, &last) || !getbits(g, 2, &type))
		return truncated(g);
	g->last = last;
	if (type == 0) {
		g->bits >>= g->nbits & 7;	/* to a byte boundary */
		g->nbits -= g->nbits & 7;
		if (!getbits(g, 16, &len) || !getbits(g, 16, &nlen))
			return truncated(g);
		if ((len ^ 0xffff) != nlen)
			return fail(g, "stored block length check failed");
		g->stored_left = len;
		g->state = GZ_STORED;
		return 0;
	}
	if (type == 3)
		return fail(g, "invalid block type 3");
	g->state = GZ_HUFF;
	return type == 1 ? fixed_tables(g) : dynamic_tables(g);
}

static void end_block(struct gunzip *g)
{
	g->state = g->last ? GZ_TRAILER : GZ_BLOCK;
}

static int stored(struct gunzip *g)
{
	size_t k, at;
	uint32_t v;

	/* Whole bytes still in the bit buffer first, then straight from in[]. */
	while (g->stored_left && g->nbits >= 8 && g->wr - g->rd < OUT_LIMIT) {
		getbits(g, 8, &v);
		g->out[g->wr++ & OUT_MASK] = (uint8_t)v;
		g->stored_left--;
	}
	while (g->stored_left && g->wr - g->rd < OUT_LIMIT) {
		if (g->in_pos == g->in_len && !more_input(g))
			return truncated(g);
		at = g->wr & OUT_MASK;
		k = g->in_len - g->in_pos;
		if (k > g->stored_left)
			k = g->stored_left;
		if (k > INFLATE_WINDOW - at)
			k = INFLATE_WINDOW - at;
		if (k > OUT_LIMIT - (g->wr - g->rd))
			k = (size_t)(OUT_LIMIT - (g->wr - g->rd));
		memcpy(g->out + at, g->in + g->in_pos, k);
		g->in_pos += k;
		g->wr += k;
		g->stored_left -= (uint32_t)k;
	}
	if (!g->stored_left)
		end_block(g);
	return 0;
}

static int copy_match(struct gunzip *g, int sym)
{
	uint8_t *out;
	uint64_t wr;
	uint32_t extra, dist;
	unsigned len;
	int d;

	sym -= 257;
	if (sym >= 29)
		return fail(g, "bad length code");
	if (!getbits(g, len_extra[sym], &extra))
		return truncated(g);
	len = len_base[sym] + extra;
	d = decode(g, &g->dist);
	if (d == -2)
		return truncated(g);
	if (d < 0 || d >= 30)
		return fail(g, "bad distance code");
	if (!getbits(g, dist_extra[d], &extra))
		return truncated(g);
	dist = dist_base[d] + extra;
	if (dist > g->wr - g->member_start)
		return fail(g, "distance reaches back before the start of the data");
	/* Locals: stores to out[] would make the compiler reload g->wr each byte. */
	out = g->out;
	wr = g->wr;
	if (dist >= len && ((wr - dist) & OUT_MASK) + len <= INFLATE_WINDOW &&
	    (wr & OUT_MASK) + len <= INFLATE_WINDOW) {
		memcpy(out + (wr & OUT_MASK), out + ((wr - dist) & OUT_MASK), len);
		wr += len;
	} else {
		while (len--) {
			out[wr & OUT_MASK] = out[(wr - dist) & OUT_MASK];
			wr++;
		}
	}
	g->wr = wr;
	return 0;
}

static int huffman(struct gunzip *g)
{
	uint8_t *out = g->out;
	uint64_t wr = g->wr, limit = g->rd + OUT_LIMIT;
	int sym, e = 0;

	while (wr < limit) {
		sym = decode(g, &g->lit);
		if (sym < 256) {
			if (sym < 0) {
				e = sym == -2 ? truncated(g) : fail(g, "bad literal/length code");
				break;
			}
			out[wr++ & OUT_MASK] = (uint8_t)sym;
			continue;
		}
		if (sym == 256) {
			end_block(g);
			break;
		}
		g->wr = wr;
		e = copy_match(g, sym);
		wr = g->wr;
		if (e)
			break;
	}
	g->wr = wr;
	return e;
}

/* The CRC of what was produced since the last call. */
static void update_crc(struct gunzip *g)
{
	uint64_t from = g->crc_done;
	size_t start, n;

	while (from < g->wr) {
		start = from & OUT_MASK;
		n = INFLATE_WINDOW - start;
		if (n > g->wr - from)
			n = (size_t)(g->wr - from);
		g->crc = crc32_update(g->crc, g->out + start, n);
		from += n;
	}
	g->crc_done = g->wr;
}

static int trailer(struct gunzip *g)
{
	uint32_t crc, size;
	uint8_t next[2];

	update_crc(g);
	g->bits >>= g->nbits & 7;
	g->nbits -= g->nbits & 7;
	if (!getbits(g, 32, &crc) || !getbits(g, 32, &size))
		return truncated(g);
	if (crc != g->crc)
		return fail(g, "CRC-32 mismatch: the data is corrupt");
	if (size != (uint32_t)(g->wr - g->member_start))
		return fail(g, "length mismatch: the data is corrupt");
	/* Another member follows, or the stream ends (padding is ignored). */
	refill(g);
	next[0] = (uint8_t)g->bits;
	next[1] = (uint8_t)(g->bits >> 8);
	g->state = g->nbits >= 16 && next[0] == 0x1f && next[1] == 0x8b ? GZ_HEADER : GZ_DONE;
	return 0;
}

static int step(struct gunzip *g)
{
	switch (g->state) {
	case GZ_HEADER:
		return read_header(g);
	case GZ_BLOCK:
		return block_header(g);
	case GZ_STORED:
		return stored(g);
	case GZ_HUFF:
		return huffman(g);
	case GZ_TRAILER:
		return trailer(g);
	default:
		return -EINVAL;
	}
}

int gunzip_read(struct gunzip *g, uint8_t *buf, size_t n, size_t *got)
{
	size_t start, k;
	int e;

	*got = 0;
	if (g->state == GZ_ERROR)
		return g->src_err ? g->src_err : -EINVAL;
	while (g->wr == g->rd && g->state != GZ_DONE) {
		e = step(g);
		if (e)
			return e;
	}
	if (g->crc_done < g->wr)
		update_crc(g);
	while (*got < n && g->rd < g->wr) {
		start = g->rd & OUT_MASK;
		k = INFLATE_WINDOW - start;
		if (k > g->wr - g->rd)
			k = (size_t)(g->wr - g->rd);
		if (k > n - *got)
			k = n - *got;
		memcpy(buf + *got, g->out + start, k);
		*got += k;
		g->rd += k;
	}
	return 0;
}
