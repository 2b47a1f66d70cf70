/* dm-verity's superblock, options and root digest (verity.h). Pure. */
#include "dm/verity.h"
#include "base/util.h"
#include "crypto/kdf.h"

#include <errno.h>
#include <string.h>

/*
 * The superblock, little-endian, as cryptsetup's veritysetup writes it at
 * the hash offset (checked against images it made: tests/unit/test_verity.c).
 */
#define SB_SIGNATURE "verity\0\0"
#define SB_VERSION 8		/* u32, 1 */
#define SB_HASH_TYPE 12		/* u32: the table's format */
#define SB_UUID 16		/* 16 bytes */
#define SB_ALG 32		/* 32 bytes, NUL-padded */
#define SB_DATA_BS 64		/* u32 */
#define SB_HASH_BS 68		/* u32 */
#define SB_DATA_BLOCKS 72	/* u64 */
#define SB_SALT_SIZE 80		/* u16, then 6 bytes of padding */
#define SB_SALT 88		/* 256 bytes */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

void verity_conf_init(struct verity_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->format = 1;
	str_copy(c->alg, "sha256", sizeof(c->alg));
	c->data_block_size = 4096;
	c->hash_block_size = 4096;
	c->superblock = true;
}

static bool block_size_ok(uint64_t n)
{
	return n >= VERITY_BLOCK_MIN && n <= VERITY_BLOCK_MAX && !(n & (n - 1));
}

int verity_unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s), i;

	if (n % 2)
		return -EINVAL;
	if (n / 2 > max)
		return -E2BIG;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/* 8-4-4-4-12 hex digits, the bytes in order (as veritysetup prints them). */
static int parse_uuid(const char *s, uint8_t *out)
{
	char hex[33];
	int i, n = 0;

	for (i = 0; s[i]; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
		} else if (n < 32) {
			hex[n++] = s[i];
		} else {
			return -EINVAL;
		}
	}
	hex[n] = '\0';
	return i == 36 && verity_unhex(hex, out, 16) == 16 ? 0 : -EINVAL;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i]))
			return *out = true, 0;
		if (!strcmp(v, no[i]))
			return *out = false, 0;
	}
	return -EINVAL;
}

/* The kernel's spelling of the flags systemd spells with dashes; one of the first three at most. */
static const char *const flag_names[][2] = {
	{ "ignore-corruption", "ignore_corruption" },
	{ "restart-on-corruption", "restart_on_corruption" },
	{ "panic-on-corruption", "panic_on_corruption" },
	{ "ignore-zero-blocks", "ignore_zero_blocks" },
	{ "check-at-most-once", "check_at_most_once" },
};

/* Options systemd knows that this init does not do: refused by name, not ignored. */
static const char *const unsupported[] = { "fec-device", "fec-offset", "fec-roots",
					   "root-hash-signature" };

static int one_option(char *o, struct verity_conf *c, const char **why)
{
	char *v = strchr(o, '=');
	uint64_t n;
	size_t i;
	int len;

	if (v)
		*v++ = '\0';
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (strcmp(o, flag_names[i][0]))
			continue;
		if (v)
			return *why = "takes no value", -EINVAL;
		if (str_find(c->flags, flag_names[i][1]))
			return 0;
		if (i < 3 && str_find(c->flags, "_corruption"))
			return *why = "only one of ignore-corruption, restart-on-corruption and panic-on-corruption may be given",
			       -EINVAL;
		if ((c->flags[0] && str_append(c->flags, " ", sizeof(c->flags))) ||
		    str_append(c->flags, flag_names[i][1], sizeof(c->flags)))
			return *why = "too many flags", -EINVAL;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (!strcmp(o, unsupported[i]))
			return *why = "is not supported by handoff (no forward error correction, no signed root hashes)",
			       -EOPNOTSUPP;
	if (!v)
		return *why = "is not a verity option (see docs/verity.md)", -EINVAL;
	if (!strcmp(o, "superblock"))
		return parse_bool(v, &c->superblock) ? (*why = "takes yes or no", -EINVAL) : 0;
	if (!strcmp(o, "hash")) {
		if (!v[0] || str_copy(c->alg, v, sizeof(c->alg)))
			return *why = "names no hash algorithm handoff knows", -EINVAL;
		c->set |= VERITY_SET_ALG;
		return 0;
	}
	if (!strcmp(o, "salt")) {
		len = strcmp(v, "-") ? verity_unhex(v, c->salt, sizeof(c->salt)) : 0;
		if (len < 0)
			return *why = "takes at most 256 bytes in hex, or - for none", -EINVAL;
		c->salt_len = (size_t)len;
		c->set |= VERITY_SET_SALT;
		return 0;
	}
	if (!strcmp(o, "uuid")) {
		if (parse_uuid(v, c->uuid))
			return *why = "takes a UUID (8-4-4-4-12 hex digits)", -EINVAL;
		c->set |= VERITY_SET_UUID;
		return 0;
	}
	if (parse_u64(v, 10, &n))
		return *why = "takes a decimal number", -EINVAL;
	if (!strcmp(o, "format")) {
		if (n > 1)
			return *why = "takes 1, or 0 for Chrome OS's format", -EINVAL;
		c->format = (unsigned int)n;
		c->set |= VERITY_SET_FORMAT;
	} else if (!strcmp(o, "data-block-size") || !strcmp(o, "hash-block-size")) {
		if (!block_size_ok(n))
			return *why = "takes a power of two from 512 to 65536", -EINVAL;
		if (o[0] == 'd')
			c->data_block_size = (uint32_t)n, c->set |= VERITY_SET_DATA_BS;
		else
			c->hash_block_size = (uint32_t)n, c->set |= VERITY_SET_HASH_BS;
	} else if (!strcmp(o, "data-blocks")) {
		if (!n || n > UINT64_MAX / VERITY_BLOCK_MAX)
			return *why = "takes a count of data blocks above 0", -EINVAL;
		c->data_blocks = n;
		c->set |= VERITY_SET_BLOCKS;
	} else if (!strcmp(o, "hash-offset")) {
		if (n % 512 || n > UINT64_MAX / 2)
			return *why = "takes a byte offset that is a multiple of 512", -EINVAL;
		c->hash_offset = n;
	} else {
		return *why = "is not a verity option (see docs/verity.md)", -EINVAL;
	}
	return 0;
}

int verity_options_parse(const char *s, struct verity_conf *c, char *bad, size_t badsize,
			 const char **why)
{
	char item[600];
	const char *p = s, *end;
	int e;

	if (badsize)
		bad[0] = '\0';
	*why = NULL;
	while (p && *p) {
		size_t n;

		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n >= sizeof(item)) {
			str_copy(bad, p, badsize < n + 1 ? badsize : n + 1);
			*why = "is too long";
			return -EINVAL;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (n) {
			str_copy(bad, item, badsize);
			e = one_option(item, c, why);
			if (e)
				return e;
		}
		p = end ? end + 1 : NULL;
	}
	if (badsize)
		bad[0] = '\0';
	return 0;
}

int verity_sb_parse(const uint8_t *sb, size_t len, struct verity_conf *c, const char **why)
{
	char alg[VERITY_ALG_MAX];
	uint32_t dbs, hbs, type;
	uint64_t blocks;
	size_t salt_len, i;

	if (len < VERITY_SB_SIZE)
		return *why = "is cut short", -EINVAL;
	if (memcmp(sb, SB_SIGNATURE, 8))
		return *why = "has no verity superblock (signature \"verity\")", -EINVAL;
	if (le32(sb + SB_VERSION) != 1)
		return *why = "has a verity superblock of a version other than 1", -EINVAL;
	type = le32(sb + SB_HASH_TYPE);
	if (type > 1)
		return *why = "has a verity superblock with a hash type other than 0 or 1", -EINVAL;
	memcpy(alg, sb + SB_ALG, sizeof(alg));
	if (!alg[0] || !memchr(alg, '\0', sizeof(alg)))
		return *why = "has a verity superblock whose algorithm name is empty or unterminated",
		       -EINVAL;
	for (i = 0; alg[i]; i++)
		if (!((alg[i] >= 'a' && alg[i] <= 'z') || (alg[i] >= '0' && alg[i] <= '9') ||
		      alg[i] == '-' || alg[i] == '_'))
			return *why = "has a verity superblock whose algorithm name is not a name",
			       -EINVAL;
	dbs = le32(sb + SB_DATA_BS);
	hbs = le32(sb + SB_HASH_BS);
	if (!block_size_ok(dbs) || !block_size_ok(hbs))
		return *why = "has a verity superblock whose block sizes are not powers of two from 512 to 65536",
		       -EINVAL;
	blocks = le64(sb + SB_DATA_BLOCKS);
	if (!blocks || blocks > UINT64_MAX / dbs)
		return *why = "has a verity superblock with no data blocks, or too many", -EINVAL;
	salt_len = (size_t)sb[SB_SALT_SIZE] | (size_t)sb[SB_SALT_SIZE + 1] << 8;
	if (salt_len > VERITY_SALT_MAX)
		return *why = "has a verity superblock with a salt longer than 256 bytes", -EINVAL;
	/* What the options said must be what the superblock says. */
	if ((c->set & VERITY_SET_FORMAT) && c->format != type)
		return *why = "has a superblock whose format differs from format=", -EINVAL;
	if ((c->set & VERITY_SET_ALG) && strcmp(c->alg, alg))
		return *why = "has a superblock whose hash differs from hash=", -EINVAL;
	if ((c->set & VERITY_SET_DATA_BS) && c->data_block_size != dbs)
		return *why = "has a superblock whose data block size differs from data-block-size=",
		       -EINVAL;
	if ((c->set & VERITY_SET_HASH_BS) && c->hash_block_size != hbs)
		return *why = "has a superblock whose hash block size differs from hash-block-size=",
		       -EINVAL;
	if ((c->set & VERITY_SET_BLOCKS) && c->data_blocks != blocks)
		return *why = "has a superblock whose data block count differs from data-blocks=",
		       -EINVAL;
	if ((c->set & VERITY_SET_SALT) &&
	    (c->salt_len != salt_len || memcmp(c->salt, sb + SB_SALT, salt_len)))
		return *why = "has a superblock whose salt differs from salt=", -EINVAL;
	if ((c->set & VERITY_SET_UUID) && memcmp(c->uuid, sb + SB_UUID, 16))
		return *why = "has a superblock whose UUID differs from uuid=", -EINVAL;
	c->format = type;
	str_copy(c->alg, alg, sizeof(c->alg));
	c->data_block_size = dbs;
	c->hash_block_size = hbs;
	c->data_blocks = blocks;
	c->salt_len = salt_len;
	memcpy(c->salt, sb + SB_SALT, salt_len);
	memcpy(c->uuid, sb + SB_UUID, 16);
	return 0;
}

int verity_hash_start(const struct verity_conf *c, uint64_t *start)
{
	uint64_t at = c->hash_offset;

	/* The tree follows the superblock, padded to the next hash block. */
	if (c->superblock)
		at += (uint64_t)((VERITY_SB_SIZE + c->hash_block_size - 1) / c->hash_block_size) *
		      c->hash_block_size;
	if (at % c->hash_block_size)
		return -EINVAL;
	*start = at / c->hash_block_size;
	return 0;
}

int verity_digest_len(const struct verity_conf *c)
{
	int a = hash_by_name(c->alg);

	return a < 0 ? -ENOENT : (int)hash_digest_len((enum hash_alg)a);
}

int verity_root_digest(const struct verity_conf *c, const uint8_t *block, uint8_t *out)
{
	struct hash_ctx h;
	int a = hash_by_name(c->alg);

	if (a < 0)
		return -ENOENT;
	hash_init(&h, (enum hash_alg)a);
	if (c->format == 1)
		hash_update(&h, c->salt, c->salt_len);
	hash_update(&h, block, c->hash_block_size);
	if (c->format == 0)
		hash_update(&h, c->salt, c->salt_len);
	hash_final(&h, out);
	return 0;
}
