/*
 * dm-verity: superblocks and root hashes of trees `veritysetup format`
 * makes here, at test time (a missing veritysetup fails the test), and
 * systemd.verity_root_options=.
 */
#include "check.h"
#include "dm/dm.h"
#include "dm/verity.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/handoff-test-verity.XXXXXX";

/* What veritysetup printed for the last format. */
static char root_hex[160], salt_hex[600], uuid_text[64];

static void field(const char *text, const char *name, char *out, size_t size)
{
	const char *p = strstr(text, name);
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += strlen(name);
	while (*p == ' ' || *p == '\t')
		p++;
	while (p[n] && p[n] != '\n' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* veritysetup format OPTIONS DATA HASH; 0 when it ran and printed a root hash. */
static int format(const char *options, const char *data, const char *hash)
{
	char cmd[1024], text[4096], path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/format.out", dir);
	snprintf(cmd, sizeof(cmd), "veritysetup format %s %s/%s %s/%s >%s 2>&1", options, dir,
		 data, dir, hash, path);
	if (system(cmd))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	field(text, "Root hash:", root_hex, sizeof(root_hex));
	field(text, "Salt:", salt_hex, sizeof(salt_hex));
	field(text, "UUID:", uuid_text, sizeof(uuid_text));
	return root_hex[0] ? 0 : -1;
}

static int read_file(const char *name, uint64_t off, void *buf, size_t len)
{
	char path[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* A data file of blocks * 4096 bytes of a fixed pattern. */
static void make_data(const char *name, int blocks)
{
	static uint8_t b[4096];
	char path[256];
	FILE *f;
	int i, j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	for (i = 0; f && i < blocks; i++) {
		for (j = 0; j < 4096; j++)
			b[j] = (uint8_t)(i * 7 + j * 13 + (j >> 8));
		fwrite(b, 1, sizeof(b), f);
	}
	if (f)
		fclose(f);
}

static uint8_t sb[VERITY_SB_SIZE], block[VERITY_BLOCK_MAX];

/*
 * The superblock at offset of hash, parsed with options; then the top
 * block's digest against the root hash veritysetup printed.
 */
static int check_tree(const char *hash, uint64_t offset, const char *options,
		      struct verity_conf *c, uint64_t want_start)
{
	uint8_t digest[VERITY_DIGEST_MAX];
	char hex[2 * VERITY_DIGEST_MAX + 1], salt[2 * VERITY_SALT_MAX + 1], bad[64];
	const char *why = NULL;
	uint64_t start = 0;
	char uuid[40];
	int len;

	verity_conf_init(c);
	CHECK_INT(verity_options_parse(options, c, bad, sizeof(bad), &why), 0);
	CHECK_INT(c->hash_offset, offset);
	CHECK_INT(read_file(hash, offset, sb, sizeof(sb)), 0);
	CHECK_INT(verity_sb_parse(sb, sizeof(sb), c, &why), 0);
	CHECK_STR(why, NULL);
	dm_hex(salt, c->salt, c->salt_len);
	CHECK_STR(c->salt_len ? salt : "-", salt_hex);	/* "-": no salt */
	dm_hex(uuid, c->uuid, 16);
	/* veritysetup prints it 8-4-4-4-12. */
	CHECK(!strncmp(uuid, uuid_text, 8) && !strncmp(uuid + 8, uuid_text + 9, 4) &&
	      !strncmp(uuid + 20, uuid_text + 24, 12));
	CHECK_INT(verity_hash_start(c, &start), 0);
	CHECK_INT(start, want_start);
	len = verity_digest_len(c);
	CHECK(len > 0);
	if (len <= 0)
		return -1;
	CHECK_INT(read_file(hash, start * c->hash_block_size, block, c->hash_block_size), 0);
	CHECK_INT(verity_root_digest(c, block, digest), 0);
	dm_hex(hex, digest, (size_t)len);
	CHECK_STR(hex, root_hex);
	return 0;
}

static void made_by_veritysetup(void)
{
	struct verity_conf c;

	make_data("data", 300);
	TEST("veritysetup is installed (cryptsetup-bin): these checks need it");
	CHECK_INT(system("veritysetup --version >/dev/null 2>&1"), 0);

	TEST("default format: sha256, 4096-byte blocks, the tree after the superblock");
	if (!format("", "data", "hash")) {
		check_tree("hash", 0, "", &c, 1);
		CHECK_INT(c.format, 1);
		CHECK_STR(c.alg, "sha256");
		CHECK_INT(c.data_block_size, 4096);
		CHECK_INT(c.hash_block_size, 4096);
		CHECK_INT(c.data_blocks, 300);
		CHECK_INT(c.salt_len, 32);
	} else {
		CHECK(!"veritysetup format ran");
	}

	TEST("sha1, 1024-byte data and 512-byte hash blocks, no salt (several levels)");
	if (!format("--hash sha1 --data-block-size 1024 --hash-block-size 512 --salt -", "data",
		    "hash1")) {
		check_tree("hash1", 0, "", &c, 1);
		CHECK_STR(c.alg, "sha1");
		CHECK_INT(c.data_blocks, 1200);
		CHECK_INT(c.salt_len, 0);
	} else {
		CHECK(!"veritysetup format ran");
	}

	TEST("Chrome OS's format 0, sha512: the salt after the block");
	if (!format("--format 0 --hash sha512", "data", "hash0")) {
		check_tree("hash0", 0, "format=0,hash=sha512", &c, 1);
		CHECK_INT(c.format, 0);
	} else {
		CHECK(!"veritysetup format ran");
	}

	TEST("the tree on the data device, after the data (hash-offset=)");
	make_data("both", 300);
	if (!format("--hash-offset 1228800", "both", "both")) {
		check_tree("both", 1228800, "hash-offset=1228800,ignore-zero-blocks", &c,
			   1228800 / 4096 + 1);
		CHECK_STR(c.flags, "ignore_zero_blocks");
	} else {
		CHECK(!"veritysetup format ran");
	}

	TEST("options that agree with the superblock are taken; one that differs is refused");
	if (!format("", "data", "hash")) {
		char opts[800], bad[64];
		const char *why;

		snprintf(opts, sizeof(opts), "format=1,hash=sha256,data-block-size=4096,hash-block-size=4096,data-blocks=300,salt=%s,uuid=%s",
			 salt_hex, uuid_text);
		check_tree("hash", 0, opts, &c, 1);
		verity_conf_init(&c);
		CHECK_INT(verity_options_parse("data-blocks=299", &c, bad, sizeof(bad), &why), 0);
		CHECK_INT(verity_sb_parse(sb, sizeof(sb), &c, &why), -EINVAL);
		CHECK_STR(why, "has a superblock whose data block count differs from data-blocks=");
		verity_conf_init(&c);
		verity_options_parse("uuid=00000000-0000-0000-0000-000000000000", &c, bad,
				     sizeof(bad), &why);
		CHECK_INT(verity_sb_parse(sb, sizeof(sb), &c, &why), -EINVAL);
		verity_conf_init(&c);
		verity_options_parse("salt=-", &c, bad, sizeof(bad), &why);
		CHECK_INT(verity_sb_parse(sb, sizeof(sb), &c, &why), -EINVAL);
		verity_conf_init(&c);
		verity_options_parse("hash=sha1", &c, bad, sizeof(bad), &why);
		CHECK_INT(verity_sb_parse(sb, sizeof(sb), &c, &why), -EINVAL);
	}
}

/* One field of a good superblock (sb, from the last format) changed: refused. */
static void damaged(void)
{
	static const struct {
		const char *what;
		size_t off;
		uint8_t value;
	} cases[] = {
		{ "signature", 0, 'V' },
		{ "version", 8, 2 },
		{ "hash type", 12, 2 },
		{ "algorithm empty", 32, 0 },
		{ "algorithm not a name", 33, '/' },
		{ "data block size not a power of two", 65, 0x11 },
		{ "hash block size too small", 69, 0x01 },
		{ "hash block size too large", 70, 0x01 },
		{ "no data blocks", 72, 0 },
		{ "salt size over 256", 81, 0x01 },
	};
	uint8_t copy[VERITY_SB_SIZE];
	struct verity_conf c;
	const char *why;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		TEST("damaged superblock: %s", cases[i].what);
		memcpy(copy, sb, sizeof(copy));
		copy[cases[i].off] = cases[i].value;
		if (cases[i].off == 72)
			memset(copy + 72, 0, 8);
		verity_conf_init(&c);
		why = NULL;
		CHECK_INT(verity_sb_parse(copy, sizeof(copy), &c, &why), -EINVAL);
		CHECK(why != NULL);
	}
	TEST("damaged superblock: an unterminated algorithm name");
	memcpy(copy, sb, sizeof(copy));
	memset(copy + 32, 'a', 32);
	CHECK_INT(verity_sb_parse(copy, sizeof(copy), &c, &why), -EINVAL);
	TEST("damaged superblock: cut short");
	CHECK_INT(verity_sb_parse(sb, 511, &c, &why), -EINVAL);
	TEST("an algorithm the init cannot hash has no digest length");
	memcpy(copy, sb, sizeof(copy));
	memset(copy + 32, 0, 32);
	memcpy(copy + 32, "blake2b-256", 11);
	verity_conf_init(&c);
	CHECK_INT(verity_sb_parse(copy, sizeof(copy), &c, &why), 0);
	CHECK_INT(verity_digest_len(&c), -ENOENT);
	CHECK_INT(verity_root_digest(&c, block, block), -ENOENT);
}

static int opts(const char *s, struct verity_conf *c, char *bad, const char **why)
{
	verity_conf_init(c);
	return verity_options_parse(s, c, bad, 64, why);
}

static void options(void)
{
	struct verity_conf c;
	char bad[64];
	const char *why;
	uint64_t start;

	TEST("options: defaults");
	CHECK_INT(opts("", &c, bad, &why), 0);
	CHECK_INT(c.superblock, 1);
	CHECK_INT(c.hash_offset, 0);
	CHECK_STR(c.flags, "");
	CHECK_INT(c.set, 0);

	TEST("options: the flags in the kernel's spelling, each once");
	CHECK_INT(opts("ignore-zero-blocks,check-at-most-once,restart-on-corruption,ignore-zero-blocks",
		       &c, bad, &why), 0);
	CHECK_STR(c.flags, "ignore_zero_blocks check_at_most_once restart_on_corruption");
	CHECK_INT(opts("panic-on-corruption", &c, bad, &why), 0);
	CHECK_STR(c.flags, "panic_on_corruption");
	CHECK_INT(opts("ignore-corruption,,", &c, bad, &why), 0);
	CHECK_STR(c.flags, "ignore_corruption");

	TEST("options: one corruption policy at most");
	CHECK_INT(opts("ignore-corruption,panic-on-corruption", &c, bad, &why), -EINVAL);
	CHECK_STR(bad, "panic-on-corruption");

	TEST("options: without a superblock, the layout from the options");
	CHECK_INT(opts("superblock=no,format=0,hash=sha1,data-block-size=512,hash-block-size=1024,data-blocks=8,hash-offset=2048,salt=00ff,uuid=01234567-89ab-cdef-0123-456789abcdef",
		       &c, bad, &why), 0);
	CHECK_INT(c.superblock, 0);
	CHECK_INT(c.format, 0);
	CHECK_STR(c.alg, "sha1");
	CHECK_INT(c.data_block_size, 512);
	CHECK_INT(c.hash_block_size, 1024);
	CHECK_INT(c.data_blocks, 8);
	CHECK_INT(c.salt_len, 2);
	CHECK_INT(c.salt[1], 0xff);
	CHECK_INT(c.uuid[0], 0x01);
	CHECK_INT(c.uuid[15], 0xef);
	CHECK_INT(verity_hash_start(&c, &start), 0);
	CHECK_INT(start, 2);
	CHECK_INT(opts("superblock=no,hash-offset=512", &c, bad, &why), 0);
	CHECK_INT(verity_hash_start(&c, &start), -EINVAL);
	TEST("options: with a superblock, the tree starts a hash block after it");
	CHECK_INT(opts("hash-block-size=512,hash-offset=512", &c, bad, &why), 0);
	CHECK_INT(verity_hash_start(&c, &start), 0);
	CHECK_INT(start, 2);

	TEST("options: refused by name");
	CHECK_INT(opts("ignore-zero-blocks,frobnicate", &c, bad, &why), -EINVAL);
	CHECK_STR(bad, "frobnicate");
	CHECK_STR(why, "is not a verity option (see docs/verity.md)");
	CHECK_INT(opts("frob=1", &c, bad, &why), -EINVAL);
	CHECK_STR(bad, "frob=1");
	CHECK_INT(opts("fec-device=/dev/vdc", &c, bad, &why), -EOPNOTSUPP);
	CHECK_STR(bad, "fec-device=/dev/vdc");
	CHECK_INT(opts("root-hash-signature=/x", &c, bad, &why), -EOPNOTSUPP);
	CHECK_INT(opts("ignore-zero-blocks=1", &c, bad, &why), -EINVAL);

	TEST("options: bad values");
	CHECK_INT(opts("format=2", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("data-block-size=4095", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("data-block-size=256", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("hash-block-size=131072", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("data-blocks=0", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("data-blocks=x", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("hash-offset=100", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("salt=abc", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("salt=zz", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("uuid=0123456789abcdef0123456789abcdef", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("uuid=01234567-89ab-cdef-0123-456789abcdeg", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("superblock=maybe", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("hash=", &c, bad, &why), -EINVAL);
	CHECK_INT(opts("hash=an-algorithm-name-longer-than-31-bytes", &c, bad, &why), -EINVAL);
}

static void unhex(void)
{
	uint8_t b[4];

	TEST("hex: either case, whole, even, bounded");
	CHECK_INT(verity_unhex("00aBcDfF", b, sizeof(b)), 4);
	CHECK_INT(b[1], 0xab);
	CHECK_INT(b[3], 0xff);
	CHECK_INT(verity_unhex("", b, sizeof(b)), 0);
	CHECK_INT(verity_unhex("0", b, sizeof(b)), -EINVAL);
	CHECK_INT(verity_unhex("0g", b, sizeof(b)), -EINVAL);
	CHECK_INT(verity_unhex("0011223344", b, sizeof(b)), -E2BIG);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	made_by_veritysetup();
	damaged();
	options();
	unhex();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return check_failed;
}
