/* AES (FIPS 197) and the XTS and CBC sector modes, decryption (aes.h). */
#include "luks/aes.h"
#include "crypto/kdf.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

const bool aes_builtin = true;

/* The S-box and its inverse, made on first use (no 512-byte tables in the binary). */
static uint8_t sbox[256], inv_sbox[256];
static bool sbox_made;

static uint8_t rotl8(uint8_t x, unsigned int n)
{
	return (uint8_t)(x << n | x >> (8 - n));
}

static uint8_t xtime(uint8_t x)
{
	return (uint8_t)(x << 1 ^ ((x >> 7) * 0x1b));
}

/* Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
static uint8_t gmul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;

	while (b) {
		if (b & 1)
			r ^= a;
		a = xtime(a);
		b >>= 1;
	}
	return r;
}

/*
 * p walks the field's non-zero elements as powers of 3, q the same
 * powers of 3's inverse (0xf6), so q = 1/p: the S-box is the affine map
 * of the inverse (FIPS 197, 5.1.1).
 */
static void make_sbox(void)
{
	uint8_t p = 1, q = 1;

	do {
		p = (uint8_t)(p ^ xtime(p));
		q = gmul(q, 0xf6);
		sbox[p] = (uint8_t)(q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63);
	} while (p != 1);
	sbox[0] = 0x63;
	for (unsigned int i = 0; i < 256; i++)
		inv_sbox[sbox[i]] = (uint8_t)i;
	sbox_made = true;
}

int aes_setkey(struct aes_key *k, const uint8_t *key, size_t len)
{
	unsigned int nk = (unsigned int)len / 4, i, words;
	uint8_t rcon = 1;

	if (len != 16 && len != 24 && len != 32)
		return -EINVAL;
	if (!sbox_made)
		make_sbox();
	k->rounds = nk + 6;
	words = 4 * (k->rounds + 1);
	memcpy(k->rk, key, len);
	for (i = nk; i < words; i++) {
		uint8_t t[4];

		memcpy(t, k->rk + (size_t)4 * (i - 1), 4);
		if (i % nk == 0) {
			uint8_t t0 = t[0];

			t[0] = (uint8_t)(sbox[t[1]] ^ rcon);
			t[1] = sbox[t[2]];
			t[2] = sbox[t[3]];
			t[3] = sbox[t0];
			rcon = xtime(rcon);
		} else if (nk > 6 && i % nk == 4) {
			for (unsigned int j = 0; j < 4; j++)
				t[j] = sbox[t[j]];
		}
		for (unsigned int j = 0; j < 4; j++)
			k->rk[4 * i + j] = k->rk[4 * (i - nk) + j] ^ t[j];
	}
	return 0;
}

static void add_round_key(uint8_t *s, const uint8_t *rk)
{
	for (unsigned int i = 0; i < 16; i++)
		s[i] ^= rk[i];
}

/* The state is column-major as the input bytes are: s[4 * c + r]. Row r shifts left by r. */
static void shift_rows(uint8_t *s, bool inverse)
{
	uint8_t t[16];

	for (unsigned int c = 0; c < 4; c++)
		for (unsigned int r = 0; r < 4; r++) {
			unsigned int from = inverse ? (c + 4 - r) % 4 : (c + r) % 4;

			t[4 * c + r] = s[4 * from + r];
		}
	memcpy(s, t, 16);
}

static void mix_columns(uint8_t *s)
{
	for (unsigned int c = 0; c < 4; c++) {
		uint8_t *a = s + (size_t)4 * c, all = a[0] ^ a[1] ^ a[2] ^ a[3], a0 = a[0];

		a[0] ^= all ^ xtime(a[0] ^ a[1]);
		a[1] ^= all ^ xtime(a[1] ^ a[2]);
		a[2] ^= all ^ xtime(a[2] ^ a[3]);
		a[3] ^= all ^ xtime(a[3] ^ a0);
	}
}

void aes_encrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out)
{
	uint8_t s[16];
	unsigned int round, i;

	memcpy(s, in, 16);
	add_round_key(s, k->rk);
	for (round = 1; round <= k->rounds; round++) {
		for (i = 0; i < 16; i++)
			s[i] = sbox[s[i]];
		shift_rows(s, false);
		if (round < k->rounds)
			mix_columns(s);
		add_round_key(s, k->rk + (size_t)16 * round);
	}
	memcpy(out, s, 16);
	secret_wipe(s, sizeof(s));
}

void aes_decrypt(const struct aes_key *k, const uint8_t *in, uint8_t *out)
{
	uint8_t s[16];
	unsigned int round, i, c;

	memcpy(s, in, 16);
	add_round_key(s, k->rk + (size_t)16 * k->rounds);
	for (round = k->rounds; round >= 1; round--) {
		shift_rows(s, true);
		for (i = 0; i < 16; i++)
			s[i] = inv_sbox[s[i]];
		add_round_key(s, k->rk + (size_t)16 * (round - 1));
		if (round > 1) {
			/*
			 * InvMixColumns as a multiplication by {04}x^2 + {05}
			 * (every column), then MixColumns: {0b}, {0d}, {09}, {0e}
			 * without a general multiply.
			 */
			for (c = 0; c < 4; c++) {
				uint8_t *a = s + (size_t)4 * c, u = xtime(xtime(a[0] ^ a[2])),
					v = xtime(xtime(a[1] ^ a[3]));

				a[0] ^= u;
				a[1] ^= v;
				a[2] ^= u;
				a[3] ^= v;
			}
			mix_columns(s);
		}
	}
	memcpy(out, s, 16);
	secret_wipe(s, sizeof(s));
}

/* XTS's tweak times alpha in GF(2^128), little-endian (IEEE 1619, 5.2). */
static void xts_next(uint8_t *t)
{
	uint8_t carry = 0;

	for (unsigned int i = 0; i < 16; i++) {
		uint8_t c = t[i] >> 7;

		t[i] = (uint8_t)(t[i] << 1 | carry);
		carry = c;
	}
	if (carry)
		t[0] ^= 0x87;
}

int aes_sectors_decrypt(enum sector_mode mode, const uint8_t *key, size_t keylen, uint8_t *buf,
			size_t len, void (*iv)(uint64_t sector, uint8_t *iv, void *ctx), void *ctx)
{
	struct aes_key k1, k2;
	uint8_t t[16], x[16], prev[16];
	size_t half = mode == SECTOR_XTS ? keylen / 2 : keylen, off, b;
	uint64_t sector;
	int e;

	if (len % 512 || (mode == SECTOR_XTS && keylen % 2))
		return -EINVAL;
	e = aes_setkey(&k1, key, half);
	if (!e && mode == SECTOR_XTS)
		e = aes_setkey(&k2, key + half, half);
	if (e)
		goto out;
	for (sector = 0, off = 0; off < len; sector++, off += 512) {
		iv(sector, t, ctx);
		if (mode == SECTOR_XTS) {
			aes_encrypt(&k2, t, t);
			for (b = off; b < off + 512; b += 16) {
				for (unsigned int i = 0; i < 16; i++)
					x[i] = buf[b + i] ^ t[i];
				aes_decrypt(&k1, x, x);
				for (unsigned int i = 0; i < 16; i++)
					buf[b + i] = x[i] ^ t[i];
				xts_next(t);
			}
		} else {
			memcpy(prev, t, 16);
			for (b = off; b < off + 512; b += 16) {
				memcpy(x, buf + b, 16);
				aes_decrypt(&k1, x, buf + b);
				for (unsigned int i = 0; i < 16; i++)
					buf[b + i] ^= prev[i];
				memcpy(prev, x, 16);
			}
		}
	}
out:
	secret_wipe(&k1, sizeof(k1));
	secret_wipe(&k2, sizeof(k2));
	secret_wipe(t, sizeof(t));
	secret_wipe(x, sizeof(x));
	return e;
}
