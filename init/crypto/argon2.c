/*
 * Argon2d, Argon2i and Argon2id, version 0x13 (RFC 9106). The memory is one
 * mapping of 1 KiB blocks, lane after lane; the lanes of a slice are filled
 * on threads at once, as libargon2 (which cryptsetup uses) does, and meet
 * at the end of each slice. The compression G is written out for 64-bit
 * registers: nearly all the time of a keyslot is spent in it.
 */
#include "crypto/kdf.h"
#include "crypto/hash_impl.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#define QWORDS 128		/* 64-bit words in a 1 KiB block */
#define MAX_THREADS 8		/* lanes beyond this share threads */
#define HUGE_PAGE ((size_t)2 << 20)

struct block {
	uint64_t v[QWORDS];
};

struct argon2_run {
	struct block *mem;
	uint32_t lanes, lane_len, seg_len, blocks, passes, type;
	uint32_t pass, slice;	/* the slice being filled */
	uint32_t threads;
	void (*g)(const struct block *x, const struct block *y, struct block *out, int xor_out);
};

/* GB (section 3.6): BLAKE2b's G with each addition made a + b + 2 * lo(a) * lo(b). */
static inline uint64_t fbla(uint64_t a, uint64_t b)
{
	return a + b + 2 * (uint64_t)(uint32_t)a * (uint32_t)b;
}

#define GB(a, b, c, d)                    \
	do {                              \
		(a) = fbla((a), (b));       \
		(d) = ror64((d) ^ (a), 32); \
		(c) = fbla((c), (d));       \
		(b) = ror64((b) ^ (c), 24); \
		(a) = fbla((a), (b));       \
		(d) = ror64((d) ^ (a), 16); \
		(c) = fbla((c), (d));       \
		(b) = ror64((b) ^ (c), 63); \
	} while (0)

/* The permutation P on eight 16-byte registers, as sixteen words. */
#define PERM(v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15) \
	do {                                                                        \
		GB(v0, v4, v8, v12);                                                \
		GB(v1, v5, v9, v13);                                                \
		GB(v2, v6, v10, v14);                                               \
		GB(v3, v7, v11, v15);                                               \
		GB(v0, v5, v10, v15);                                               \
		GB(v1, v6, v11, v12);                                               \
		GB(v2, v7, v8, v13);                                                \
		GB(v3, v4, v9, v14);                                                \
	} while (0)

/*
 * G (section 3.5): R = X ^ Y; Q = P on R's rows, Z = P on Q's columns;
 * out = Z ^ R, or out ^= Z ^ R when a later pass overwrites a block.
 */
static void compress(const struct block *x, const struct block *y, struct block *out, int xor_out)
{
	uint64_t r[QWORDS], q[QWORDS];

	for (int i = 0; i < QWORDS; i++)
		q[i] = r[i] = x->v[i] ^ y->v[i];
	for (size_t i = 0; i < 8; i++) {
		uint64_t *s = q + 16 * i;

		PERM(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
		     s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]);
	}
	for (size_t i = 0; i < 8; i++) {
		uint64_t *s = q + 2 * i;

		PERM(s[0], s[1], s[16], s[17], s[32], s[33], s[48], s[49],
		     s[64], s[65], s[80], s[81], s[96], s[97], s[112], s[113]);
	}
	if (xor_out)
		for (int i = 0; i < QWORDS; i++)
			out->v[i] ^= q[i] ^ r[i];
	else
		for (int i = 0; i < QWORDS; i++)
			out->v[i] = q[i] ^ r[i];
}

#ifdef __x86_64__
#include <cpuid.h>
#include <immintrin.h>

/* AVX2, and the kernel saving the YMM registers (XCR0 bits 1 and 2). */
static int cpu_has_avx2(void)
{
	unsigned int a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)) || !(c & (1u << 28)))
		return 0;
	__asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 5));
}

/*
 * The same G on four words at a time: a row's sixteen words are four
 * vectors, GB runs on the four columns of the 4x4 matrix at once, and
 * rotating the lanes of B, C and D lines up the diagonals for the second
 * half of P. A column of the block is the same four vectors, each made of
 * two 16-byte halves from different rows.
 */
#define GB4(a, b, c, d)                                                               \
	do {                                                                          \
		__m256i m_ = _mm256_mul_epu32((a), (b));                              \
		(a) = _mm256_add_epi64(_mm256_add_epi64((a), (b)), _mm256_add_epi64(m_, m_)); \
		(d) = _mm256_shuffle_epi32(_mm256_xor_si256((d), (a)), 0xb1);         \
		m_ = _mm256_mul_epu32((c), (d));                                      \
		(c) = _mm256_add_epi64(_mm256_add_epi64((c), (d)), _mm256_add_epi64(m_, m_)); \
		(b) = _mm256_shuffle_epi8(_mm256_xor_si256((b), (c)), ror24);         \
		m_ = _mm256_mul_epu32((a), (b));                                      \
		(a) = _mm256_add_epi64(_mm256_add_epi64((a), (b)), _mm256_add_epi64(m_, m_)); \
		(d) = _mm256_shuffle_epi8(_mm256_xor_si256((d), (a)), ror16);         \
		m_ = _mm256_mul_epu32((c), (d));                                      \
		(c) = _mm256_add_epi64(_mm256_add_epi64((c), (d)), _mm256_add_epi64(m_, m_)); \
		m_ = _mm256_xor_si256((b), (c));                                      \
		(b) = _mm256_or_si256(_mm256_add_epi64(m_, m_), _mm256_srli_epi64(m_, 63)); \
	} while (0)

#define PERM4(a, b, c, d)                                 \
	do {                                              \
		GB4(a, b, c, d);                          \
		(b) = _mm256_permute4x64_epi64((b), 0x39); \
		(c) = _mm256_permute4x64_epi64((c), 0x4e); \
		(d) = _mm256_permute4x64_epi64((d), 0x93); \
		GB4(a, b, c, d);                          \
		(b) = _mm256_permute4x64_epi64((b), 0x93); \
		(c) = _mm256_permute4x64_epi64((c), 0x4e); \
		(d) = _mm256_permute4x64_epi64((d), 0x39); \
	} while (0)

__attribute__((target("avx2"))) static void compress_avx2(const struct block *x,
							   const struct block *y,
							   struct block *out, int xor_out)
{
	/* Byte shuffles that rotate each 64-bit word right by 24 and by 16 bits. */
	const __m256i ror24 = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
					       3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
	const __m256i ror16 = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
					       2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
	__m256i r[32], q[32];

	for (size_t i = 0; i < 32; i++)
		q[i] = r[i] = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)x->v + i),
					       _mm256_loadu_si256((const __m256i *)y->v + i));
	for (size_t i = 0; i < 32; i += 4)
		PERM4(q[i], q[i + 1], q[i + 2], q[i + 3]);
	/* Columns 2m and 2m + 1: the low and the high halves of vectors m + 4k. */
	for (size_t m = 0; m < 4; m++) {
		__m256i v[8];

		for (size_t k = 0; k < 4; k++) {
			v[k] = _mm256_permute2x128_si256(q[m + 8 * k], q[m + 8 * k + 4], 0x20);
			v[k + 4] = _mm256_permute2x128_si256(q[m + 8 * k], q[m + 8 * k + 4], 0x31);
		}
		PERM4(v[0], v[1], v[2], v[3]);
		PERM4(v[4], v[5], v[6], v[7]);
		for (size_t k = 0; k < 4; k++) {
			q[m + 8 * k] = _mm256_permute2x128_si256(v[k], v[k + 4], 0x20);
			q[m + 8 * k + 4] = _mm256_permute2x128_si256(v[k], v[k + 4], 0x31);
		}
	}
	for (size_t i = 0; i < 32; i++) {
		__m256i z = _mm256_xor_si256(q[i], r[i]);

		if (xor_out)
			z = _mm256_xor_si256(z, _mm256_loadu_si256((const __m256i *)out->v + i));
		_mm256_storeu_si256((__m256i *)out->v + i, z);
	}
}
#endif

/* H' (section 3.3): BLAKE2b stretched to outlen bytes, of LE32(outlen) || in. */
static void hprime(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
	struct blake2b_ctx c;
	uint8_t len[4], v[64];

	store_le32(len, (uint32_t)outlen);
	blake2b_init(&c, outlen <= 64 ? outlen : 64);
	blake2b_update(&c, len, 4);
	blake2b_update(&c, in, inlen);
	if (outlen <= 64) {
		blake2b_final(&c, out);
		return;
	}
	/* V_1 .. V_r, of which the first half each is output, then V_{r+1} whole. */
	blake2b_final(&c, v);
	memcpy(out, v, 32);
	out += 32;
	outlen -= 32;
	while (outlen > 64) {
		blake2b(v, 64, v, 64);
		memcpy(out, v, 32);
		out += 32;
		outlen -= 32;
	}
	blake2b(v, 64, out, outlen);
	secret_wipe(v, sizeof(v));
}

static void block_from_bytes(struct block *b, const uint8_t *p)
{
	for (size_t i = 0; i < QWORDS; i++)
		b->v[i] = load_le64(p + 8 * i);
}

/* The index of the reference block within its lane (section 3.4.2). */
static uint32_t ref_index(const struct argon2_run *r, uint32_t i, uint32_t j1, int same_lane)
{
	uint64_t area, x, y, start = 0;

	if (r->pass == 0) {
		area = (uint64_t)r->slice * r->seg_len;
	} else {
		area = r->lane_len - r->seg_len;
		start = r->slice == 3 ? 0 : (uint64_t)(r->slice + 1) * r->seg_len;
	}
	/* The block before the current one is not a candidate: it is X already. */
	if (same_lane)
		area += i;
	if (same_lane || i == 0)
		area--;
	x = (uint64_t)j1 * j1 >> 32;
	y = area * x >> 32;
	return (uint32_t)((start + area - 1 - y) % r->lane_len);
}

static void fill_segment(const struct argon2_run *r, uint32_t lane)
{
	struct block addr, input, zero;
	int indep = r->type == ARGON2_I || (r->type == ARGON2_ID && r->pass == 0 && r->slice < 2);
	uint32_t first = r->pass == 0 && r->slice == 0 ? 2 : 0;
	uint32_t cur = lane * r->lane_len + r->slice * r->seg_len + first;

	if (indep) {
		memset(&zero, 0, sizeof(zero));
		memset(&input, 0, sizeof(input));
		input.v[0] = r->pass;
		input.v[1] = lane;
		input.v[2] = r->slice;
		input.v[3] = r->blocks;
		input.v[4] = r->passes;
		input.v[5] = r->type;
	}
	for (uint32_t i = first; i < r->seg_len; i++, cur++) {
		uint32_t prev = r->slice == 0 && i == 0 ? cur + r->lane_len - 1 : cur - 1;
		uint64_t rand;
		uint32_t ref_lane;

		if (indep) {
			/* Section 3.4.1.2: 128 pairs (J1, J2) per G(0, G(0, Z)). */
			if (i == first || i % QWORDS == 0) {
				input.v[6]++;
				r->g(&zero, &input, &addr, 0);
				r->g(&zero, &addr, &addr, 0);
			}
			rand = addr.v[i % QWORDS];
		} else {
			rand = r->mem[prev].v[0];
		}
		ref_lane = r->pass == 0 && r->slice == 0 ? lane : (uint32_t)(rand >> 32) % r->lanes;
		r->g(&r->mem[prev],
			 &r->mem[ref_lane * r->lane_len +
				 ref_index(r, i, (uint32_t)rand, ref_lane == lane)],
			 &r->mem[cur], r->pass > 0);
	}
}

struct worker {
	const struct argon2_run *run;
	uint32_t first_lane;
	pthread_t thread;
};

static void *fill_lanes(void *arg)
{
	const struct worker *w = arg;

	for (uint32_t l = w->first_lane; l < w->run->lanes; l += w->run->threads)
		fill_segment(w->run, l);
	return NULL;
}

/* One slice of every lane: worker 0 on the calling thread, the others on
 * threads of their own; a worker whose thread cannot start runs here. */
static void fill_slice(struct argon2_run *r)
{
	struct worker w[MAX_THREADS];
	uint32_t started = 1;	/* workers 1 .. started - 1 have threads */

	for (uint32_t t = 0; t < MAX_THREADS; t++) {
		w[t].run = r;
		w[t].first_lane = t;
	}
	for (uint32_t t = 1; t < r->threads; t++, started++)
		if (pthread_create(&w[t].thread, NULL, fill_lanes, &w[t]))
			break;
	fill_lanes(&w[0]);
	for (uint32_t t = 1; t < r->threads; t++)
		if (t < started)
			pthread_join(w[t].thread, NULL);
		else
			fill_lanes(&w[t]);
}

int argon2(const struct argon2_params *a, uint8_t *out, size_t outlen)
{
	struct argon2_run r = { 0 };
	struct blake2b_ctx c;
	uint8_t h0[72], word[4], bytes[1024];
	size_t size, map_len;
	void *map;

	if ((unsigned int)a->type > ARGON2_ID || !a->t_cost || !a->lanes || a->lanes > 255 ||
	    a->m_cost < 8 * a->lanes || outlen < 4 || outlen > 0xffffffffu ||
	    (!a->pw && a->pwlen) || (!a->salt && a->saltlen) ||
	    (!a->secret && a->secretlen) || (!a->ad && a->adlen))
		return -EINVAL;
	r.lanes = a->lanes;
	r.seg_len = a->m_cost / (4 * a->lanes);
	r.lane_len = 4 * r.seg_len;
	r.blocks = r.lane_len * r.lanes;
	r.passes = a->t_cost;
	r.type = a->type;
	r.threads = r.lanes < MAX_THREADS ? r.lanes : MAX_THREADS;
	r.g = compress;
#ifdef __x86_64__
	if (!crypto_portable_only && cpu_has_avx2())
		r.g = compress_avx2;
#endif
	size = (size_t)r.blocks * sizeof(struct block);
	if (size / sizeof(struct block) != r.blocks || size > SIZE_MAX - HUGE_PAGE)
		return -ENOMEM;
	/*
	 * Room to start on a 2 MiB boundary, and huge pages where the kernel
	 * gives them: the reference blocks are read at random, and with 4 KiB
	 * pages nearly every one of them missed the TLB.
	 */
	map_len = size + HUGE_PAGE;
	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return -ENOMEM;
	r.mem = (struct block *)((char *)map + (HUGE_PAGE - (uintptr_t)map % HUGE_PAGE) % HUGE_PAGE);
	madvise(r.mem, size, MADV_HUGEPAGE);

	/* H0 (section 3.2): the parameters and inputs, each length first. */
	blake2b_init(&c, 64);
#define LE32(v) (store_le32(word, (uint32_t)(v)), blake2b_update(&c, word, 4))
	LE32(a->lanes);
	LE32(outlen);
	LE32(a->m_cost);
	LE32(a->t_cost);
	LE32(0x13);
	LE32(a->type);
	LE32(a->pwlen);
	blake2b_update(&c, a->pw, a->pwlen);
	LE32(a->saltlen);
	blake2b_update(&c, a->salt, a->saltlen);
	LE32(a->secretlen);
	blake2b_update(&c, a->secret, a->secretlen);
	LE32(a->adlen);
	blake2b_update(&c, a->ad, a->adlen);
#undef LE32
	blake2b_final(&c, h0);

	/* The first two blocks of each lane: H'(H0 || LE32(column) || LE32(lane)). */
	for (uint32_t l = 0; l < r.lanes; l++)
		for (uint32_t col = 0; col < 2; col++) {
			store_le32(h0 + 64, col);
			store_le32(h0 + 68, l);
			hprime(bytes, sizeof(bytes), h0, sizeof(h0));
			block_from_bytes(&r.mem[l * r.lane_len + col], bytes);
		}
	for (r.pass = 0; r.pass < r.passes; r.pass++)
		for (r.slice = 0; r.slice < 4; r.slice++)
			fill_slice(&r);

	/* The tag: H' of the XOR of the lanes' last blocks. */
	for (uint32_t l = 1; l < r.lanes; l++)
		for (int i = 0; i < QWORDS; i++)
			r.mem[r.lane_len - 1].v[i] ^= r.mem[l * r.lane_len + r.lane_len - 1].v[i];
	for (size_t i = 0; i < QWORDS; i++)
		store_le64(bytes + 8 * i, r.mem[r.lane_len - 1].v[i]);
	hprime(out, outlen, bytes, sizeof(bytes));
	secret_wipe(bytes, sizeof(bytes));
	secret_wipe(h0, sizeof(h0));
	secret_wipe(r.mem, size);
	munmap(map, map_len);
	return 0;
}
