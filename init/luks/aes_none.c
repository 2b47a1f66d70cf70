/*
 * The init's stand-in for aes.c: the init decrypts keyslot areas with the
 * kernel's cipher only (AF_ALG), which a kernel that runs dm-crypt has or
 * can load (algif_skcipher); luks/unlock.c then says what the kernel
 * lacks. The host tools, tests and fuzzers, on hosts without AF_ALG, link
 * aes.c.
 */
#include "luks/aes.h"

#include <errno.h>

const bool aes_builtin = false;

int aes_setkey(struct aes_key *k, const uint8_t *key, size_t len)
{
	(void)k;
	(void)key;
	(void)len;
	return -ENOPKG;
}

void aes_encrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out)
{
	(void)k;
	(void)in;
	(void)out;
}

void aes_decrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out)
{
	(void)k;
	(void)in;
	(void)out;
}

int aes_sectors_decrypt(enum sector_mode mode, const uint8_t *key, size_t keylen, uint8_t *buf,
			size_t len, void (*iv)(uint64_t sector, uint8_t *iv, void *ctx), void *ctx)
{
	(void)mode;
	(void)key;
	(void)keylen;
	(void)buf;
	(void)len;
	(void)iv;
	(void)ctx;
	return -ENOPKG;
}
