/*
 * SHA-1 (FIPS 180-4, section 6.1), for PBKDF2 keyslots of old LUKS
 * containers: the portable block function, and on x86_64 one on the SHA
 * extensions, chosen at run time like SHA-256's. The init (HANDOFF_INIT)
 * has the portable one only: 0.6 KiB for the old LUKS1 headers that name
 * SHA-1; the host tools and the benchmark keep both.
 */
#include "crypto/hash_impl.h"

static const uint32_t k1[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };

void sha1_blocks_c(uint32_t st[5], const uint8_t *p, size_t n)
{
	uint32_t w[16];

	for (; n; n--, p += 64) {
		uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];

		for (size_t i = 0; i < 80; i++) {
			uint32_t f, t;

			if (i < 16)
				w[i] = load_be32(p + 4 * i);
			else
				w[i & 15] = rol32(w[(i - 3) & 15] ^ w[(i - 8) & 15] ^
						  w[(i - 14) & 15] ^ w[i & 15], 1);
			if (i < 20)
				f = d ^ (b & (c ^ d));
			else if (i < 40 || i >= 60)
				f = b ^ c ^ d;
			else
				f = (b & c) | (d & (b | c));
			t = rol32(a, 5) + f + e + k1[i / 20] + w[i & 15];
			e = d;
			d = c;
			c = rol32(b, 30);
			b = a;
			a = t;
		}
		st[0] += a;
		st[1] += b;
		st[2] += c;
		st[3] += d;
		st[4] += e;
	}
}

#if defined(__x86_64__) && !defined(HANDOFF_INIT)
#include <immintrin.h>

/*
 * SHA1RNDS4 does four rounds on ABCD (A in the top lane) with the round
 * function its immediate names; SHA1NEXTE makes the next E from the ABCD
 * of four rounds before; SHA1MSG1 and SHA1MSG2 extend the message.
 */
__attribute__((target("sha,sse4.1"))) static void sha1_blocks_ni(uint32_t st[5],
								 const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)st), 0x1b);
	__m128i e0 = _mm_set_epi32((int)st[4], 0, 0, 0);

	for (; n; n--, p += 64) {
		__m128i abcd0 = abcd, e_first = e0, saved = abcd, m[4];

#pragma GCC unroll 20
		for (size_t i = 0; i < 20; i++) {
			__m128i e_in, prev = abcd;

			if (i < 4)
				m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)),
							bswap);
			else
				m[i & 3] = _mm_sha1msg2_epu32(
					_mm_xor_si128(_mm_sha1msg1_epu32(m[i & 3], m[(i + 1) & 3]),
						      m[(i + 2) & 3]),
					m[(i + 3) & 3]);
			e_in = i ? _mm_sha1nexte_epu32(saved, m[i & 3]) : _mm_add_epi32(e0, m[0]);
			/* The immediate must be a constant: one call per round function. */
			switch (i / 5) {
			case 0:
				abcd = _mm_sha1rnds4_epu32(abcd, e_in, 0);
				break;
			case 1:
				abcd = _mm_sha1rnds4_epu32(abcd, e_in, 1);
				break;
			case 2:
				abcd = _mm_sha1rnds4_epu32(abcd, e_in, 2);
				break;
			default:
				abcd = _mm_sha1rnds4_epu32(abcd, e_in, 3);
				break;
			}
			saved = prev;
		}
		e0 = _mm_sha1nexte_epu32(saved, e_first);
		abcd = _mm_add_epi32(abcd, abcd0);
	}
	_mm_storeu_si128((__m128i *)st, _mm_shuffle_epi32(abcd, 0x1b));
	st[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

void sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n)
{
	if (cpu_has_sha_ni())
		sha1_blocks_ni(st, p, n);
	else
		sha1_blocks_c(st, p, n);
}
#else
void sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n)
{
	sha1_blocks_c(st, p, n);
}
#endif
