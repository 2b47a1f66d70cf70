/*
 * SHA-256 (FIPS 180-4, section 6.2): the portable block function, and on
 * x86_64 one on the SHA extensions (SHA-NI), chosen at run time. PBKDF2
 * with SHA-256 is two blocks per iteration, so this is where a PBKDF2
 * keyslot spends its time; cryptsetup's OpenSSL uses the same instructions.
 */
#include "crypto/hash_impl.h"

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t k256[64] __attribute__((aligned(16))) = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define S0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define S1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define s0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define s1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))

/* One round with the working variables named in place: sixteen rounds to a
 * loop turn rotate the names instead of moving the values. */
#define SHA2_NAME sha256_blocks_c
#define SHA2_WORD uint32_t
#define SHA2_K k256
#define SHA2_ROUNDS 64
#define SHA2_LOAD load_be32
#include "crypto/sha2_body.h"

#ifdef __x86_64__
#include <cpuid.h>
#include <immintrin.h>

int cpu_has_sha_ni(void)
{
	/* 0: not asked yet; 1: no; 2: yes. Asked once: cpuid traps in a VM. */
	static int known;
	unsigned int a, b, c, d;

	if (crypto_portable_only)
		return 0;
	if (!known) {
		int yes = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) &&
			  __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9));
		known = yes ? 2 : 1;
	}
	return known == 2;
}

/*
 * SHA256RNDS2 does two rounds on the state split as ABEF and CDGH (A in
 * the top lane); SHA256MSG1 and SHA256MSG2 do the sigma0 and sigma1 parts
 * of the message schedule, four words at a time.
 */
__attribute__((target("sha,sse4.1"))) static void sha256_blocks_ni(uint32_t st[8],
								   const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i dcba = _mm_loadu_si128((const __m128i *)st);
	__m128i hgfe = _mm_loadu_si128((const __m128i *)(st + 4));
	__m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
	__m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

	for (; n; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh, m[4];

#pragma GCC unroll 16
		for (size_t i = 0; i < 16; i++) {
			__m128i x;

			if (i < 4)
				m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)),
							bswap);
			else
				m[i & 3] = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]),
						      _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4)),
					m[(i + 3) & 3]);
			x = _mm_add_epi32(m[i & 3], _mm_load_si128((const __m128i *)(k256 + 4 * i)));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, x);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(x, 0x0e));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	/* Back to A..D and E..H. */
	cdab = _mm_shuffle_epi32(abef, 0x1b);
	efgh = _mm_shuffle_epi32(cdgh, 0xb1);
	dcba = _mm_blend_epi16(cdab, efgh, 0xf0);
	hgfe = _mm_alignr_epi8(efgh, cdab, 8);
	_mm_storeu_si128((__m128i *)st, dcba);
	_mm_storeu_si128((__m128i *)(st + 4), hgfe);
}

void sha256_blocks(uint32_t st[8], const uint8_t *p, size_t n)
{
	if (cpu_has_sha_ni())
		sha256_blocks_ni(st, p, n);
	else
		sha256_blocks_c(st, p, n);
}
#else
int cpu_has_sha_ni(void)
{
	return 0;
}

void sha256_blocks(uint32_t st[8], const uint8_t *p, size_t n)
{
	sha256_blocks_c(st, p, n);
}
#endif
