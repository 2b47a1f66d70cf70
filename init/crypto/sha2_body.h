/*
 * Inside the crypto folder only: the block function of SHA-256 and of
 * SHA-512 (FIPS 180-4, sections 6.2.2 and 6.4.2), the same steps on 32- or
 * 64-bit words. The file that includes it defines SHA2_NAME, SHA2_WORD,
 * SHA2_K (the round constants), SHA2_ROUNDS, SHA2_LOAD (a big-endian word)
 * and the functions S0, S1, s0, s1.
 *
 * One round to a loop turn, the schedule sixteen words kept in place: the
 * init is built for size, and there this is as fast as sixteen rounds
 * written out (measured: 1.3 KiB instead of 2.9 KiB for SHA-512 on
 * x86_64, 11 % slower; SHA-256 runs on the SHA extensions on x86_64).
 */
void SHA2_NAME(SHA2_WORD st[8], const uint8_t *p, size_t n)
{
	SHA2_WORD w[16];

	for (; n; n--, p += 16 * sizeof(SHA2_WORD)) {
		SHA2_WORD v[8];

		for (size_t j = 0; j < 8; j++)
			v[j] = st[j];
		for (size_t j = 0; j < 16; j++)
			w[j] = SHA2_LOAD(p + sizeof(SHA2_WORD) * j);
		for (size_t i = 0; i < SHA2_ROUNDS; i++) {
			SHA2_WORD t1, t2;

			if (i >= 16)
				w[i & 15] += s1(w[(i + 14) & 15]) + w[(i + 9) & 15] + s0(w[(i + 1) & 15]);
			t1 = v[7] + S1(v[4]) + (v[6] ^ (v[4] & (v[5] ^ v[6]))) + SHA2_K[i] + w[i & 15];
			t2 = S0(v[0]) + ((v[0] & v[1]) | (v[2] & (v[0] | v[1])));
			/* h = g, g = f, f = e, e = d + T1, d = c, c = b, b = a, a = T1 + T2 */
			v[7] = v[6];
			v[6] = v[5];
			v[5] = v[4];
			v[4] = v[3] + t1;
			v[3] = v[2];
			v[2] = v[1];
			v[1] = v[0];
			v[0] = t1 + t2;
		}
		for (size_t j = 0; j < 8; j++)
			st[j] += v[j];
	}
}
