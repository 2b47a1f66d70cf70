/*
 * BLAKE2b (RFC 7693), unkeyed: Argon2's hash for H0, H' and the tag. Little
 * data goes through it (the 1 KiB blocks go through Argon2's own G), so it
 * is written small.
 */
#include "crypto/kdf.h"
#include "crypto/hash_impl.h"

#include <string.h>

/* The same words as SHA-512's initial hash value (RFC 7693, section 2.6). */
static const uint64_t b2iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

/* The message schedule SIGMA (section 2.7); rounds 10 and 11 reuse rows 0 and 1. */
static const uint8_t sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

/* The mixing function G on v[a], v[b], v[c], v[d] (section 3.1). */
static void mix(uint64_t *v, int a, int b, int c, int d, uint64_t x, uint64_t y)
{
	v[a] += v[b] + x;
	v[d] = ror64(v[d] ^ v[a], 32);
	v[c] += v[d];
	v[b] = ror64(v[b] ^ v[c], 24);
	v[a] += v[b] + y;
	v[d] = ror64(v[d] ^ v[a], 16);
	v[c] += v[d];
	v[b] = ror64(v[b] ^ v[c], 63);
}

/* The compression function F (section 3.2); the counter never passes 2^64 here. */
static void compress(struct blake2b_ctx *c, const uint8_t *p, int last)
{
	uint64_t v[16], m[16];

	for (size_t i = 0; i < 16; i++)
		m[i] = load_le64(p + 8 * i);
	memcpy(v, c->h, sizeof(c->h));
	memcpy(v + 8, b2iv, sizeof(b2iv));
	v[12] ^= c->t;
	if (last)
		v[14] = ~v[14];
	for (int r = 0; r < 12; r++) {
		const uint8_t *s = sigma[r % 10];

		mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
		mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
		mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
		mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
		mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
		mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
		mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
		mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
	}
	for (int i = 0; i < 8; i++)
		c->h[i] ^= v[i] ^ v[i + 8];
	secret_wipe(v, sizeof(v));
	secret_wipe(m, sizeof(m));
}

void blake2b_init(struct blake2b_ctx *c, size_t outlen)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->h, b2iv, sizeof(b2iv));
	/* The parameter block: digest length, no key, fanout 1, depth 1. */
	c->h[0] ^= 0x01010000 ^ (uint64_t)outlen;
	c->outlen = outlen;
}

void blake2b_update(struct blake2b_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		size_t take;

		/* A full buffer is compressed only when more data follows: the
		 * last block must be compressed with the final flag. */
		if (c->fill == 128) {
			c->t += 128;
			compress(c, c->buf, 0);
			c->fill = 0;
		}
		take = 128 - c->fill < len ? 128 - c->fill : len;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take;
		p += take;
		len -= take;
	}
}

void blake2b_final(struct blake2b_ctx *c, uint8_t *out)
{
	uint8_t h[64];

	c->t += c->fill;
	memset(c->buf + c->fill, 0, 128 - c->fill);
	compress(c, c->buf, 1);
	for (size_t i = 0; i < 8; i++)
		store_le64(h + 8 * i, c->h[i]);
	memcpy(out, h, c->outlen);
	secret_wipe(h, sizeof(h));
	secret_wipe(c, sizeof(*c));
}

void blake2b(const void *in, size_t inlen, uint8_t *out, size_t outlen)
{
	struct blake2b_ctx c;

	blake2b_init(&c, outlen);
	blake2b_update(&c, in, inlen);
	blake2b_final(&c, out);
}
