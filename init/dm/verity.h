/*
 * dm-verity's side that is pure: the hash device's superblock as
 * `veritysetup format` writes it, systemd.verity_root_options= as
 * systemd-veritysetup-generator spells them, and the root digest of the
 * top hash block (checked before mapping: the kernel would only find a
 * wrong roothash= on the first read). Fuzzed and unit-tested.
 */
#ifndef HANDOFF_VERITY_H
#define HANDOFF_VERITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERITY_SB_SIZE 512
#define VERITY_SALT_MAX 256
#define VERITY_DIGEST_MAX 64
#define VERITY_ALG_MAX 32
/* Block sizes, powers of two: the kernel takes at most a page. */
#define VERITY_BLOCK_MIN 512
#define VERITY_BLOCK_MAX 65536

/* What an option set, so the superblock may not say otherwise. */
enum {
	VERITY_SET_FORMAT = 1 << 0,
	VERITY_SET_ALG = 1 << 1,
	VERITY_SET_DATA_BS = 1 << 2,
	VERITY_SET_HASH_BS = 1 << 3,
	VERITY_SET_BLOCKS = 1 << 4,
	VERITY_SET_SALT = 1 << 5,
	VERITY_SET_UUID = 1 << 6,
};

struct verity_conf {
	unsigned int format;		/* hash type: 1, or 0 (Chrome OS's) */
	char alg[VERITY_ALG_MAX];	/* "sha256" */
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;		/* 0: the data device's size decides (no superblock) */
	uint8_t salt[VERITY_SALT_MAX];
	size_t salt_len;
	uint8_t uuid[16];
	bool superblock;		/* superblock= (default yes): read at hash_offset */
	uint64_t hash_offset;		/* hash-offset=, bytes into the hash device */
	char flags[128];		/* the table's optional words, kernel spelling */
	unsigned int set;		/* VERITY_SET_*: what the options gave */
};

/* veritysetup's defaults: format 1, sha256, 4096-byte blocks, a superblock at 0. */
void verity_conf_init(struct verity_conf *c);

/*
 * systemd.verity_root_options= (comma-separated) over c. Returns 0, or
 * -EINVAL with the offending option copied to bad and *why set; an
 * option handoff does not do (fec-*, root-hash-signature) is -EOPNOTSUPP.
 */
int verity_options_parse(const char *s, struct verity_conf *c, char *bad, size_t badsize,
			 const char **why);

/*
 * The superblock (VERITY_SB_SIZE bytes) over c: every field checked and
 * bounded; a field an option also gave must agree. Returns 0 or -EINVAL
 * with *why (naming the field) set.
 */
int verity_sb_parse(const uint8_t *sb, size_t len, struct verity_conf *c, const char **why);

/* The tree's first (top) block, in hash blocks: the table's hash_start. -EINVAL if unaligned. */
int verity_hash_start(const struct verity_conf *c, uint64_t *start);

/* The digest size of c's algorithm (sha1, sha256, sha512), or -ENOENT for another. */
int verity_digest_len(const struct verity_conf *c);

/*
 * The root digest of the top hash block (hash_block_size bytes):
 * H(salt || block) in format 1, H(block || salt) in format 0. Writes
 * verity_digest_len() bytes; -ENOENT for an algorithm handoff cannot hash.
 */
int verity_root_digest(const struct verity_conf *c, const uint8_t *block, uint8_t *out);

/* Hex (either case, whole string, even length) into out; the byte count, or -EINVAL / -E2BIG. */
int verity_unhex(const char *s, uint8_t *out, size_t max);

#endif
