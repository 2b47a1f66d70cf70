/*
 * Inside the crypto folder only: the block functions behind struct hash_ctx
 * and the byte-order helpers they share. Each block function takes the
 * state as FIPS 180-4 writes it (H0 first) and any number of whole blocks.
 */
#ifndef HANDOFF_HASH_IMPL_H
#define HANDOFF_HASH_IMPL_H

#include <stddef.h>
#include <stdint.h>

void sha1_blocks(uint32_t h[5], const uint8_t *p, size_t n);
void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n);
void sha512_blocks(uint64_t h[8], const uint8_t *p, size_t n);

/* The portable versions, for the x86 paths' own tests and for fallback. */
void sha1_blocks_c(uint32_t h[5], const uint8_t *p, size_t n);
void sha256_blocks_c(uint32_t h[8], const uint8_t *p, size_t n);

/* BLAKE2b in parts (RFC 7693), for Argon2's H0 and H'. */
struct blake2b_ctx {
	uint64_t h[8];
	uint64_t t;		/* bytes compressed so far */
	uint8_t buf[128];
	size_t fill, outlen;
};

void blake2b_init(struct blake2b_ctx *c, size_t outlen);
void blake2b_update(struct blake2b_ctx *c, const void *data, size_t len);
void blake2b_final(struct blake2b_ctx *c, uint8_t *out);

/* Nonzero when the CPU has the SHA extensions (x86_64 only; 0 elsewhere). */
int cpu_has_sha_ni(void);

/* Set nonzero, the x86_64 paths (SHA-NI, AVX2) are left unused: for the
 * tests and the benchmark of the portable code on the same machine. */
extern int crypto_portable_only;

/* Compilers turn these byte patterns into one load and a byte swap. */
static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t load_be64(const uint8_t *p)
{
	return (uint64_t)load_be32(p) << 32 | load_be32(p + 4);
}

static inline uint64_t load_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
	store_be32(p, (uint32_t)(v >> 32));
	store_be32(p + 4, (uint32_t)v);
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
	store_le32(p, (uint32_t)v);
	store_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t rol32(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static inline uint64_t ror64(uint64_t x, unsigned int n)
{
	return x >> n | x << (64 - n);
}

#endif
