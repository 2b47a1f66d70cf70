/*
 * LUKS1 and LUKS2 containers, read-only: the headers (cryptsetup's
 * on-disk-format.pdf and on-disk-format-luks2.pdf), unlocking a keyslot
 * with a passphrase, and the dm-crypt table of the data segment. Nothing
 * here writes to the device. Shared with the host tool handoff-probe.
 */
#ifndef HANDOFF_LUKS_H
#define HANDOFF_LUKS_H

#include "crypto/kdf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUKS_SLOTS 32		/* LUKS2 has up to 32 keyslots, LUKS1 8 */
#define LUKS_DIGESTS 8
#define LUKS_KEY_MAX 64		/* volume and keyslot keys: 64 for aes-xts-plain64 with 512 bits */
#define LUKS_SALT_MAX 64
#define LUKS_CIPHER_MAX 64	/* "aes-xts-plain64", "aes-cbc-essiv:sha256" */
/* LUKS2 header copies (binary header and JSON) up to this size are read: 64 KiB. */
#define LUKS2_HDR_MAX 65536u
#define LUKS2_BIN_SIZE 4096
#define LUKS_WHY_MAX 256

enum luks_kdf { LUKS_KDF_PBKDF2 = 1, LUKS_KDF_ARGON2I, LUKS_KDF_ARGON2ID };

struct luks_keyslot {
	bool used;
	uint8_t priority;	/* LUKS2: 0 ignore (only when named), 1 normal, 2 high */
	uint32_t key_size;	/* bytes of the volume key it holds */
	enum luks_kdf kdf;
	enum hash_alg kdf_hash;	/* PBKDF2's */
	uint32_t iterations;	/* PBKDF2 iterations, or Argon2 passes */
	uint32_t memory;	/* Argon2, KiB */
	uint32_t cpus;		/* Argon2 lanes */
	uint8_t salt[LUKS_SALT_MAX];
	uint32_t salt_len;
	uint32_t stripes;	/* the anti-forensic split */
	enum hash_alg af_hash;
	uint64_t area_offset;	/* bytes from the start of the device */
	uint64_t area_size;	/* bytes */
	char cipher[LUKS_CIPHER_MAX];	/* the area's encryption */
	uint32_t area_key_size;	/* bytes: the KDF's output */
};

struct luks_digest {
	bool used;
	uint32_t keyslots;	/* bit N: keyslot N */
	uint32_t segments;	/* bit N: segment N */
	enum hash_alg hash;	/* PBKDF2 */
	uint32_t iterations;
	uint8_t salt[LUKS_SALT_MAX];
	uint32_t salt_len;
	uint8_t digest[HASH_MAX_DIGEST];
	uint32_t digest_len;
};

/* The config flags dm-crypt takes (LUKS2 config.flags, stored with --persistent). */
enum luks_flag {
	LUKS_FLAG_DISCARDS = 1 << 0,		/* allow-discards */
	LUKS_FLAG_SAME_CPU = 1 << 1,		/* same-cpu-crypt */
	LUKS_FLAG_SUBMIT_CPUS = 1 << 2,		/* submit-from-crypt-cpus */
	LUKS_FLAG_NO_READ_WQ = 1 << 3,		/* no-read-workqueue */
	LUKS_FLAG_NO_WRITE_WQ = 1 << 4,		/* no-write-workqueue */
};

struct luks_volume {
	int version;		/* 1 or 2 */
	char uuid[40];
	char label[48];		/* LUKS2; empty when none */
	char subsystem[48];	/* LUKS2 */
	uint64_t hdr_size;	/* LUKS2: one copy, binary header and JSON */
	uint64_t seqid;
	bool secondary;		/* LUKS2: the primary header is damaged, the secondary was used */
	bool detached;		/* read from a detached header: the data segment is on another device */
	char primary_why[LUKS_WHY_MAX];	/* then what was wrong with it */
	/* The data segment. */
	uint64_t offset;	/* bytes */
	uint64_t size;		/* bytes; 0 with dynamic */
	bool dynamic;		/* to the end of the device */
	uint64_t iv_tweak;	/* in sectors of sector_size */
	char cipher[LUKS_CIPHER_MAX];
	uint32_t sector_size;	/* 512 for LUKS1 */
	uint32_t key_size;	/* bytes of the volume key */
	uint32_t flags;		/* enum luks_flag */
	struct luks_keyslot slot[LUKS_SLOTS];
	struct luks_digest digest[LUKS_DIGESTS];	/* LUKS1: digest[0] */
	char why[LUKS_WHY_MAX];	/* set on failure: what was refused, naming the key or field */
};

/*
 * Reads the header of a LUKS1 or LUKS2 container from fd (opened
 * read-only; read with pread). LUKS2: both copies are checked (magic,
 * version, checksum, seqid), the newer valid one used; a damaged primary
 * sets v->secondary and v->primary_why. Returns 0, -ENOENT when fd holds
 * no LUKS header, -EINVAL (damaged or refused), -ENOTSUP (a feature
 * handoff does not read), or -errno from the reads; v->why says which.
 * detached: fd is a detached header (cryptsetup --header), whose data
 * segment's offset is on the data device, so it may lie "inside" the header.
 */
int luks_read(int fd, bool detached, struct luks_volume *v);

/*
 * The JSON metadata of a LUKS2 header, alone (for the tests and the
 * fuzzer): fills v's segment, keyslots, digests and flags. Returns 0,
 * -EINVAL or -ENOTSUP with v->why naming the key.
 */
int luks2_parse_json(const char *json, size_t len, struct luks_volume *v);

struct luks_unlocked {
	int slot;		/* the keyslot that opened */
	bool kernel_cipher;	/* decrypted by the kernel (AF_ALG), not the built-in AES */
};

/*
 * Tries the passphrase on the keyslots of the data segment (LUKS2: by
 * priority, high first; priority 0 is skipped), deriving each keyslot key,
 * decrypting its area (the kernel's cipher through AF_ALG, else the
 * built-in AES), merging the anti-forensic stripes and checking the
 * digest. On success the volume key (v->key_size bytes) is in key,
 * *keylen set. Returns 0, -EPERM when no keyslot opens with it, -ENOMEM
 * when a keyslot needs more Argon2 memory than MemAvailable (v->why says
 * both numbers), -ENOTSUP for a cipher it does not decrypt, other -errno.
 * Every buffer that held key material is wiped before return.
 */
int luks_unlock(int fd, struct luks_volume *v, const void *pass, size_t passlen, uint8_t *key,
		size_t *keylen, struct luks_unlocked *how);

/*
 * The dm-crypt parameters of the data segment into buf (for a dm_target
 * of type "crypt"), and its length in 512-byte sectors (device_size in
 * bytes, for a dynamic segment). options: crypttab's or rd.luks.options=
 * (comma-separated; discard, same-cpu-crypt, submit-from-crypt-cpus,
 * no-read-workqueue, no-write-workqueue; the others ignored here). The key
 * is written as hex: the caller wipes buf. Returns 0, -ENOSPC, -EINVAL
 * (the device is smaller than the data offset) with v->why set.
 */
int luks_table(struct luks_volume *v, const uint8_t *key, size_t keylen, const char *dev,
	       uint64_t device_size, const char *options, char *buf, size_t size,
	       uint64_t *sectors);

/* The digest of the data segment (the one luks_unlock() checks keys with), or NULL. */
static inline const struct luks_digest *luks_segment_digest(const struct luks_volume *v)
{
	const struct luks_digest *g = NULL;
	int i;

	for (i = 0; i < LUKS_DIGESTS && !g; i++)
		if (v->digest[i].used && v->digest[i].segments & 1)
			g = &v->digest[i];
	return g;
}

/* Whether luks_unlock() skips keyslot n in its pass over priority pr (2, then 1). */
#define LUKS_SLOT_SKIPPED(v, g, n, pr)                                                     \
	(!(v)->slot[n].used || (v)->slot[n].priority != (pr) || !((g)->keyslots & (1u << (n))) || \
	 (v)->slot[n].key_size != (v)->key_size)

/*
 * Whether luks_unlock() could try keyslot n (its area cipher is one it
 * decrypts, its key fits it and its area): 0, or -ENOTSUP, -EINVAL with
 * v->why, the words luks_unlock() would say. For the host's check.
 */
int luks_slot_check(struct luks_volume *v, int n);

enum luks_cipher_by { LUKS_CIPHER_ANY, LUKS_CIPHER_KERNEL, LUKS_CIPHER_BUILTIN };

/*
 * Decrypts len bytes (whole 512-byte sectors, IVs counted from 0) in place
 * with a keyslot cipher ("aes-xts-plain64", ...): the kernel's (AF_ALG),
 * the built-in AES, or the kernel's and else the built-in (ANY), as
 * luks_unlock() does. For the tests that compare the two. Returns 0,
 * -ENOTSUP (cipher), -EINVAL (key size, length), -EAFNOSUPPORT or -ENOENT
 * (the kernel has no AF_ALG, or not the algorithm), other -errno.
 */
int luks_area_decrypt(const char *cipher, const uint8_t *key, size_t keylen, uint8_t *buf,
		      size_t len, enum luks_cipher_by by);

/* Sets v->why (fmt_buf's formats) and returns e: for init/luks/ itself. */
int luks_why(struct luks_volume *v, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "pbkdf2", "argon2i", "argon2id". */
const char *luks_kdf_name(enum luks_kdf k);

#endif
