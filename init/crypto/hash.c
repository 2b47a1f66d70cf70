/*
 * The hash interface over the block functions (FIPS 180-4 padding), HMAC
 * (RFC 2104) and PBKDF2 (RFC 8018, section 5.2). PBKDF2 hashes the HMAC
 * key's inner and outer blocks once; each iteration is then one block on
 * each of the two states, with the padding of the one-digest message
 * written once, since the inner and the outer message have the same length.
 * The blocks of a long output run on threads at once.
 */
#include "crypto/kdf.h"
#include "crypto/hash_impl.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

static const uint32_t iv1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
/* The first 32 or 64 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint32_t iv256[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};
static const uint64_t iv512[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

int crypto_portable_only;

int hash_by_name(const char *name)
{
	static const char *const names[] = { "sha1", "sha256", "sha512" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -ENOENT;
}

size_t hash_digest_len(enum hash_alg alg)
{
	return alg == HASH_SHA1 ? 20 : alg == HASH_SHA256 ? 32 : 64;
}

static size_t block_len(enum hash_alg alg)
{
	return alg == HASH_SHA512 ? 128 : 64;
}

static void blocks(struct hash_ctx *c, const uint8_t *p, size_t n)
{
	if (c->alg == HASH_SHA1)
		sha1_blocks(c->h.w32, p, n);
	else if (c->alg == HASH_SHA256)
		sha256_blocks(c->h.w32, p, n);
	else
		sha512_blocks(c->h.w64, p, n);
}

/* The state as the digest's bytes (big-endian words). */
static void put_state(const struct hash_ctx *c, uint8_t *out)
{
	if (c->alg == HASH_SHA512) {
		for (size_t i = 0; i < 8; i++)
			store_be64(out + 8 * i, c->h.w64[i]);
		return;
	}
	for (size_t i = 0; i < hash_digest_len(c->alg) / 4; i++)
		store_be32(out + 4 * i, c->h.w32[i]);
}

void hash_init(struct hash_ctx *c, enum hash_alg alg)
{
	memset(c, 0, sizeof(*c));
	c->alg = alg;
	if (alg == HASH_SHA1)
		memcpy(c->h.w32, iv1, sizeof(iv1));
	else if (alg == HASH_SHA256)
		memcpy(c->h.w32, iv256, sizeof(iv256));
	else
		memcpy(c->h.w64, iv512, sizeof(iv512));
}

void hash_update(struct hash_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t bl = block_len(c->alg);

	if (!len)
		return;
	c->len += len;
	if (c->fill) {
		size_t take = bl - c->fill < len ? bl - c->fill : len;

		memcpy(c->buf + c->fill, p, take);
		c->fill += (unsigned int)take;
		p += take;
		len -= take;
		if (c->fill < bl)
			return;
		blocks(c, c->buf, 1);
		c->fill = 0;
	}
	if (len >= bl) {
		blocks(c, p, len / bl);
		p += len / bl * bl;
		len %= bl;
	}
	if (len) {
		memcpy(c->buf, p, len);
		c->fill = (unsigned int)len;
	}
}

void hash_final(struct hash_ctx *c, uint8_t *out)
{
	size_t bl = block_len(c->alg), lenpos = bl - 8;
	uint64_t bits = c->len << 3;

	c->buf[c->fill++] = 0x80;
	if (c->fill > bl - (bl == 128 ? 16 : 8)) {
		memset(c->buf + c->fill, 0, bl - c->fill);
		blocks(c, c->buf, 1);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, bl - c->fill);
	if (bl == 128)
		store_be64(c->buf + lenpos - 8, c->len >> 61);
	store_be64(c->buf + lenpos, bits);
	blocks(c, c->buf, 1);
	put_state(c, out);
	secret_wipe(c, sizeof(*c));
}

void hash_buf(enum hash_alg alg, const void *data, size_t len, uint8_t *out)
{
	struct hash_ctx c;

	hash_init(&c, alg);
	hash_update(&c, data, len);
	hash_final(&c, out);
}

/* HMAC's two keyed states: each has hashed one block, the key XOR its pad. */
struct hmac {
	struct hash_ctx inner, outer;
};

static void hmac_init(struct hmac *m, enum hash_alg alg, const void *key, size_t keylen)
{
	uint8_t k[HASH_MAX_BLOCK] = { 0 };
	size_t bl = block_len(alg);

	if (keylen > bl)
		hash_buf(alg, key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);
	for (size_t i = 0; i < bl; i++)
		k[i] ^= 0x36;
	hash_init(&m->inner, alg);
	hash_update(&m->inner, k, bl);
	for (size_t i = 0; i < bl; i++)
		k[i] ^= 0x36 ^ 0x5c;
	hash_init(&m->outer, alg);
	hash_update(&m->outer, k, bl);
	secret_wipe(k, sizeof(k));
}

/* One block T_i of PBKDF2's output (RFC 8018, section 5.2, step 3). */
struct pbkdf2_block {
	const struct hmac *m;
	const void *salt;
	size_t saltlen;
	uint32_t iter, index;
	uint8_t *out;
	size_t n;
	pthread_t thread;
};

static void *pbkdf2_block(void *arg)
{
	const struct pbkdf2_block *b = arg;
	enum hash_alg alg = b->m->inner.alg;
	size_t dl = hash_digest_len(alg), bl = block_len(alg);
	struct hash_ctx c;
	uint8_t u[HASH_MAX_BLOCK], t[HASH_MAX_DIGEST], num[4];

	/* U_1 = PRF(P, S || INT(i)) */
	store_be32(num, b->index);
	c = b->m->inner;
	hash_update(&c, b->salt, b->saltlen);
	hash_update(&c, num, 4);
	hash_final(&c, u);
	c = b->m->outer;
	hash_update(&c, u, dl);
	hash_final(&c, u);
	memcpy(t, u, dl);
	/* u holds U_j and, after it, the padding of a block-plus-digest message. */
	memset(u + dl, 0, sizeof(u) - dl);
	u[dl] = 0x80;
	store_be64(u + bl - 8, (uint64_t)(bl + dl) << 3);
	c.alg = alg;
	for (uint32_t j = 1; j < b->iter; j++) {
		c.h = b->m->inner.h;
		blocks(&c, u, 1);
		put_state(&c, u);
		c.h = b->m->outer.h;
		blocks(&c, u, 1);
		put_state(&c, u);
		for (size_t k = 0; k < dl; k++)
			t[k] ^= u[k];
	}
	memcpy(b->out, t, b->n);
	secret_wipe(&c, sizeof(c));
	secret_wipe(u, sizeof(u));
	secret_wipe(t, sizeof(t));
	return NULL;
}

/*
 * The output's blocks are independent: a key longer than the digest (a
 * 512-bit XTS key from SHA-256 or SHA-1) has its blocks on threads of
 * their own, each block started here and run here when no thread starts.
 */
#define PBKDF2_THREADS 8

int pbkdf2(enum hash_alg alg, const void *pw, size_t pwlen, const void *salt,
	   size_t saltlen, uint32_t iter, uint8_t *out, size_t outlen)
{
	struct pbkdf2_block b[PBKDF2_THREADS];
	struct hmac m;
	size_t dl;
	uint32_t index = 1;

	if ((unsigned int)alg > HASH_SHA512 || !iter || (!pw && pwlen) || (!salt && saltlen))
		return -EINVAL;
	dl = hash_digest_len(alg);
	/* RFC 8018: dkLen at most (2^32 - 1) * hLen. */
	if (outlen / dl >= 0xffffffffu)
		return -EINVAL;
	hmac_init(&m, alg, pw, pwlen);
	while (outlen) {
		size_t k, started;

		for (k = 0; k < PBKDF2_THREADS && outlen; k++, index++) {
			b[k] = (struct pbkdf2_block){ &m, salt, saltlen, iter, index, out,
						      outlen < dl ? outlen : dl, 0 };
			out += b[k].n;
			outlen -= b[k].n;
		}
		/* Blocks 1 .. started - 1 run on threads, block 0 here. */
		for (started = 1; started < k; started++)
			if (pthread_create(&b[started].thread, NULL, pbkdf2_block, &b[started]))
				break;
		pbkdf2_block(&b[0]);
		for (size_t i = 1; i < k; i++)
			if (i < started)
				pthread_join(b[i].thread, NULL);
			else
				pbkdf2_block(&b[i]);
	}
	secret_wipe(&m, sizeof(m));
	return 0;
}

void secret_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	/* The compiler must assume the asm reads the zeros: the memset stays. */
	__asm__ __volatile__("" : : "r"(p) : "memory");
}
