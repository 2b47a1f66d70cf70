/*
 * The keyslot ciphers when the kernel has no AF_ALG (or not the
 * algorithm): AES (FIPS 197) and the sector modes LUKS keyslots use, XTS
 * (IEEE 1619), CBC and ESSIV, decryption only. Written from the standards,
 * byte-oriented and small: it decrypts one keyslot area (256 KB) once per
 * boot. Its S-box lookups depend on the key, so the kernel's cipher is
 * preferred where there is one (luks/unlock.c).
 */
#ifndef HANDOFF_AES_H
#define HANDOFF_AES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aes_key {
	uint8_t rk[240];	/* the round keys, 16 bytes a round */
	unsigned int rounds;	/* 10, 12 or 14 */
};

/* len 16, 24 or 32 bytes; -EINVAL otherwise. */
int aes_setkey(struct aes_key *k, const uint8_t *key, size_t len);
void aes_encrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out);
void aes_decrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out);

/* false in the init (aes_none.c), whose functions here then do nothing. */
extern const bool aes_builtin;

enum sector_mode { SECTOR_XTS, SECTOR_CBC };

/*
 * Decrypts len bytes (whole 512-byte sectors) in place; each sector's IV
 * is iv(sector) as the caller made it (16 bytes: plain64, or ESSIV's
 * already encrypted). XTS takes the key as two halves, data key first.
 * Returns 0 or -EINVAL (key size, length); -ENOPKG in the init, which has
 * no built-in AES (aes_none.c). Wipes its round keys.
 */
int aes_sectors_decrypt(enum sector_mode mode, const uint8_t *key, size_t keylen, uint8_t *buf,
			size_t len, void (*iv)(uint64_t sector, uint8_t *iv, void *ctx), void *ctx);

#endif
