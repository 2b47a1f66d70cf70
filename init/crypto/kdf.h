/*
 * Hashes and key derivation for unlocking LUKS keyslots: SHA-1, SHA-256,
 * SHA-512 (FIPS 180-4), HMAC (RFC 2104), PBKDF2 (RFC 8018), BLAKE2b
 * (RFC 7693) and Argon2i/Argon2id (RFC 9106). Pure and shared with the host
 * tools (the KDF benchmark runs this same code on the host). Written here
 * from the RFCs and checked against their test vectors (tests/unit/test_kdf.c).
 */
#ifndef HANDOFF_KDF_H
#define HANDOFF_KDF_H

#include <stddef.h>
#include <stdint.h>

enum hash_alg { HASH_SHA1, HASH_SHA256, HASH_SHA512 };

#define HASH_MAX_DIGEST 64
#define HASH_MAX_BLOCK 128

struct hash_ctx {
	enum hash_alg alg;
	union {
		uint32_t w32[8];
		uint64_t w64[8];
	} h;
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[HASH_MAX_BLOCK];
	unsigned int fill;
};

/* "sha1", "sha256", "sha512" (as LUKS headers spell them) to 0..2; -ENOENT otherwise. */
int hash_by_name(const char *name);
size_t hash_digest_len(enum hash_alg alg);

void hash_init(struct hash_ctx *c, enum hash_alg alg);
void hash_update(struct hash_ctx *c, const void *data, size_t len);
void hash_final(struct hash_ctx *c, uint8_t *out);
void hash_buf(enum hash_alg alg, const void *data, size_t len, uint8_t *out);

/* PBKDF2-HMAC with alg; iter >= 1. Returns 0 or -EINVAL. */
int pbkdf2(enum hash_alg alg, const void *pw, size_t pwlen, const void *salt,
	   size_t saltlen, uint32_t iter, uint8_t *out, size_t outlen);

/* BLAKE2b, unkeyed, outlen 1..64. */
void blake2b(const void *in, size_t inlen, uint8_t *out, size_t outlen);

enum argon2_type { ARGON2_D = 0, ARGON2_I = 1, ARGON2_ID = 2 };

struct argon2_params {
	enum argon2_type type;
	uint32_t t_cost;	/* passes, >= 1 */
	uint32_t m_cost;	/* memory in KiB, >= 8 * lanes */
	uint32_t lanes;		/* parallelism, 1..255; lanes run on threads where they can */
	const void *pw;
	size_t pwlen;
	const void *salt;
	size_t saltlen;
	const void *secret;	/* K, usually none (NULL, 0) */
	size_t secretlen;
	const void *ad;		/* X, usually none */
	size_t adlen;
};

/*
 * Argon2 version 0x13 into out (outlen >= 4). Its memory is mapped for the
 * call and wiped and unmapped before it returns. Returns 0, -EINVAL for
 * parameters out of range, or -ENOMEM when the memory cannot be had.
 */
int argon2(const struct argon2_params *a, uint8_t *out, size_t outlen);

/* Clears memory that held a secret, in a way the compiler cannot drop. */
void secret_wipe(void *p, size_t n);

#endif
