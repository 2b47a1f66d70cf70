/*
 * The key derivations of a LUKS keyslot, timed on the host with the init's
 * own code (init/crypto): tests/bench/kdf runs it beside
 * `cryptsetup open --test-passphrase` for the same header's parameters.
 *   kdf-bench PASSFILE STEP...      each STEP one of
 *     pbkdf2:HASH:ITERATIONS[:KEYBYTES]
 *     argon2i:T:M_KIB:LANES[:KEYBYTES]  argon2id:T:M_KIB:LANES[:KEYBYTES]
 * KDF_PORTABLE=1 leaves the x86_64 paths (SHA-NI, AVX2) unused.
 * Prints the milliseconds the steps took together: wall clock, then CPU
 * time (all threads).
 */
#include "crypto/kdf.h"
#include "crypto/hash_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int step(const char *s, const char *pw, size_t pwlen)
{
	static const uint8_t salt[32] = "handoff kdf benchmark salt 32 b";
	uint8_t key[128];
	char name[16];
	unsigned long a = 0, b = 0, c = 0, n = 32;
	int fields, r;

	if (sscanf(s, "pbkdf2:%15[^:]:%lu:%lu", name, &a, &n) >= 2) {
		r = hash_by_name(name);
		if (r < 0 || n > sizeof(key))
			return -EINVAL;
		return pbkdf2((enum hash_alg)r, pw, pwlen, salt, sizeof(salt), (uint32_t)a, key, n);
	}
	fields = sscanf(s, "%15[^:]:%lu:%lu:%lu:%lu", name, &a, &b, &c, &n);
	if (fields >= 4 && n <= sizeof(key) &&
	    (!strcmp(name, "argon2i") || !strcmp(name, "argon2id"))) {
		struct argon2_params p = {
			.type = strcmp(name, "argon2i") ? ARGON2_ID : ARGON2_I,
			.t_cost = (uint32_t)a, .m_cost = (uint32_t)b, .lanes = (uint32_t)c,
			.pw = pw, .pwlen = pwlen, .salt = salt, .saltlen = sizeof(salt),
		};

		return argon2(&p, key, n);
	}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	char pw[256];
	const char *portable;
	size_t pwlen;
	FILE *f;
	double t0, c0;

	if (argc < 3) {
		fprintf(stderr, "usage: kdf-bench PASSFILE STEP...\n");
		return 2;
	}
	portable = getenv("KDF_PORTABLE");
	crypto_portable_only = portable && *portable == '1';
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "kdf-bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	pwlen = fread(pw, 1, sizeof(pw), f);
	fclose(f);
	t0 = now_ms(CLOCK_MONOTONIC);
	c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	for (int i = 2; i < argc; i++) {
		int r = step(argv[i], pw, pwlen);

		if (r) {
			fprintf(stderr, "kdf-bench: %s: %s\n", argv[i], strerror(-r));
			return 1;
		}
	}
	printf("%.1f %.1f\n", now_ms(CLOCK_MONOTONIC) - t0, now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0);
	return 0;
}
