/*
 * Inside the crypto folder only: the block function of SHA-256 and of
 * SHA-512 (FIPS 180-4, sections 6.2.2 and 6.4.2), the same steps on 32- or
 * 64-bit words. The file that includes it defines SHA2_NAME, SHA2_WORD,
 * SHA2_K (the round constants), SHA2_ROUNDS, SHA2_LOAD (a big-endian word)
 * and the functions S0, S1, s0, s1.
 */

/* Unrolled, the schedule is a quarter faster for 1.5 KiB more: not in a
 * build for size (the init), which keeps it a loop. */
#ifndef SHA2_UNROLL_16
#ifdef __OPTIMIZE_SIZE__
#define SHA2_UNROLL_16
#else
#define SHA2_UNROLL_16 _Pragma("GCC unroll 16")
#endif
#endif

/* One round with the working variables named in place: sixteen rounds to a
 * loop turn rotate the names instead of moving the values, and the
 * schedule's indices are constants. */
#define SHA2_ROUND(a, b, c, d, e, f, g, h, j)                                                 \
	do {                                                                                  \
		SHA2_WORD t1 = (h) + S1(e) + ((g) ^ ((e) & ((f) ^ (g)))) + SHA2_K[i + (j)] + w[j]; \
		(d) += t1;                                                                    \
		(h) = t1 + S0(a) + (((a) & (b)) | ((c) & ((a) | (b))));                       \
	} while (0)

void SHA2_NAME(SHA2_WORD st[8], const uint8_t *p, size_t n)
{
	SHA2_WORD w[16];

	for (; n; n--, p += 16 * sizeof(SHA2_WORD)) {
		SHA2_WORD a = st[0], b = st[1], c = st[2], d = st[3];
		SHA2_WORD e = st[4], f = st[5], g = st[6], h = st[7];

		for (size_t j = 0; j < 16; j++)
			w[j] = SHA2_LOAD(p + sizeof(SHA2_WORD) * j);
		for (size_t i = 0; i < SHA2_ROUNDS; i += 16) {
			/* The next sixteen words of the schedule, in place. */
			if (i) {
				SHA2_UNROLL_16
				for (size_t j = 0; j < 16; j++)
					w[j] += s1(w[(j + 14) & 15]) + w[(j + 9) & 15] + s0(w[(j + 1) & 15]);
			}
			SHA2_ROUND(a, b, c, d, e, f, g, h, 0);
			SHA2_ROUND(h, a, b, c, d, e, f, g, 1);
			SHA2_ROUND(g, h, a, b, c, d, e, f, 2);
			SHA2_ROUND(f, g, h, a, b, c, d, e, 3);
			SHA2_ROUND(e, f, g, h, a, b, c, d, 4);
			SHA2_ROUND(d, e, f, g, h, a, b, c, 5);
			SHA2_ROUND(c, d, e, f, g, h, a, b, 6);
			SHA2_ROUND(b, c, d, e, f, g, h, a, 7);
			SHA2_ROUND(a, b, c, d, e, f, g, h, 8);
			SHA2_ROUND(h, a, b, c, d, e, f, g, 9);
			SHA2_ROUND(g, h, a, b, c, d, e, f, 10);
			SHA2_ROUND(f, g, h, a, b, c, d, e, 11);
			SHA2_ROUND(e, f, g, h, a, b, c, d, 12);
			SHA2_ROUND(d, e, f, g, h, a, b, c, 13);
			SHA2_ROUND(c, d, e, f, g, h, a, b, 14);
			SHA2_ROUND(b, c, d, e, f, g, h, a, 15);
		}
		st[0] += a;
		st[1] += b;
		st[2] += c;
		st[3] += d;
		st[4] += e;
		st[5] += f;
		st[6] += g;
		st[7] += h;
	}
}

#undef SHA2_ROUND
