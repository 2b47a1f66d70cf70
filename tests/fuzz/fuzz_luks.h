/*
 * Shared by fuzz_luks1.c and fuzz_luks2.c: the device as a memfd, the
 * volume's invariants after luks_read(), and an unlock with the costs cut
 * to the least (the KDFs' speed is not what is fuzzed).
 */
#ifndef HANDOFF_FUZZ_LUKS_H
#define HANDOFF_FUZZ_LUKS_H

#include "fuzz.h"
#include "luks/luks.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct luks_volume fuzz_vol;

/* A memfd holding data at 0, size bytes long (zeros after the data). */
static int fuzz_device(const uint8_t *data, size_t n, size_t size)
{
	int fd = memfd_create("luks", MFD_CLOEXEC);

	if (fd < 0 || (n && write(fd, data, n) != (ssize_t)n) || ftruncate(fd, (off_t)size))
		abort();
	return fd;
}

static void fuzz_check_volume(int e, const struct luks_volume *v)
{
	int i;

	FUZZ_CHECK(fuzz_terminated(v->why, sizeof(v->why)), "why not terminated");
	if (e) {
		FUZZ_CHECK(e < 0 && e > -4096, "luks_read returned %d", e);
		FUZZ_CHECK(v->why[0], "refused (%d) without a reason", e);
		return;
	}
	FUZZ_CHECK(v->version == 1 || v->version == 2, "version %d", v->version);
	FUZZ_CHECK(fuzz_terminated(v->uuid, sizeof(v->uuid)) &&
			   fuzz_terminated(v->label, sizeof(v->label)) &&
			   fuzz_terminated(v->cipher, sizeof(v->cipher)) &&
			   fuzz_terminated(v->primary_why, sizeof(v->primary_why)),
		   "a string not terminated");
	FUZZ_CHECK(v->key_size >= 1 && v->key_size <= LUKS_KEY_MAX, "key size %u", v->key_size);
	FUZZ_CHECK(v->sector_size >= 512 && v->sector_size <= 4096 &&
			   !(v->sector_size & (v->sector_size - 1)),
		   "sector size %u", v->sector_size);
	FUZZ_CHECK(v->cipher[0] && !strchr(v->cipher, ' '), "cipher \"%s\"", v->cipher);
	for (i = 0; i < LUKS_SLOTS; i++) {
		const struct luks_keyslot *s = &v->slot[i];

		if (!s->used)
			continue;
		FUZZ_CHECK(i < 8 || v->version == 2, "LUKS1 keyslot %d", i);
		FUZZ_CHECK(s->salt_len <= LUKS_SALT_MAX && s->key_size <= LUKS_KEY_MAX &&
				   s->area_key_size <= LUKS_KEY_MAX && s->stripes == 4000,
			   "keyslot %d: salt %u key %u area key %u stripes %u", i, s->salt_len,
			   s->key_size, s->area_key_size, s->stripes);
		FUZZ_CHECK(s->area_size >= (uint64_t)s->key_size * s->stripes,
			   "keyslot %d: area %llu too small", i, (unsigned long long)s->area_size);
		FUZZ_CHECK(s->area_offset + s->area_size <= v->offset,
			   "keyslot %d: area reaches into the data", i);
	}
	for (i = 0; i < LUKS_DIGESTS; i++)
		FUZZ_CHECK(v->digest[i].salt_len <= LUKS_SALT_MAX &&
				   v->digest[i].digest_len <= HASH_MAX_DIGEST,
			   "digest %d: salt %u digest %u", i, v->digest[i].salt_len,
			   v->digest[i].digest_len);
}

/* Unlock with every cost cut to its least: the path, not the KDF, is fuzzed. */
static void fuzz_unlock(int fd, struct luks_volume *v)
{
	uint8_t key[LUKS_KEY_MAX];
	size_t keylen = 0;
	int i, e;

	bool one = false;

	/*
	 * One keyslot only, of 2 stripes: 4000 stripes are up to 256 KB for the
	 * built-in AES, slow under ASan; 2 still run the diffuse and the merge.
	 */
	for (i = 0; i < LUKS_SLOTS; i++) {
		struct luks_keyslot *s = &v->slot[i];

		if (s->used && one)
			s->used = false;
		one = one || s->used;
		s->iterations = 1;
		s->stripes = 2;
		if (s->memory)
			s->memory = 8 * s->cpus;
		if (s->cpus > 2)
			s->cpus = 2, s->memory = 16;
	}
	for (i = 0; i < LUKS_DIGESTS; i++)
		v->digest[i].iterations = 1;
	e = luks_unlock(fd, v, "fuzz", 4, key, &keylen, NULL);
	FUZZ_CHECK(e <= 0 && e > -4096, "luks_unlock returned %d", e);
	FUZZ_CHECK(e || keylen == v->key_size, "key length %zu, want %u", keylen, v->key_size);
	FUZZ_CHECK(e == 0 || v->why[0], "unlock failed (%d) without a reason", e);
}

#endif
