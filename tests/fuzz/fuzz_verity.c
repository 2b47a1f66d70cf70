/*
 * fuzz-verity: the verity superblock (verity_sb_parse()) under options
 * (verity_options_parse()), then what the init does with a superblock it
 * took: the tree's start, the root digest, the table line.
 * Input: a systemd.verity_root_options= value up to the first NUL (none:
 * no options), then the superblock, then the top hash block.
 */
#include "fuzz.h"
#include "dm/dm.h"
#include "dm/verity.h"

#include <errno.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t block[VERITY_BLOCK_MAX];
	const uint8_t *nul = memchr(data, 0, size);
	size_t olen = nul ? (size_t)(nul - data) : 0, rest;
	struct verity_conf c;
	uint8_t digest[VERITY_DIGEST_MAX];
	char *opts = fuzz_string(data, olen, 700), bad[64], line[DM_PARAMS_MAX];
	const char *why = NULL;
	uint64_t start;
	int e, len;

	data += nul ? olen + 1 : 0;
	size -= nul ? olen + 1 : 0;
	verity_conf_init(&c);
	e = verity_options_parse(opts, &c, bad, sizeof(bad), &why);
	FUZZ_CHECK(e == 0 || e == -EINVAL || e == -EOPNOTSUPP, "options returned %d", e);
	FUZZ_CHECK(fuzz_terminated(bad, sizeof(bad)), "bad is not terminated");
	FUZZ_CHECK(e == 0 || why, "an error without a reason");
	FUZZ_CHECK(fuzz_terminated(c.flags, sizeof(c.flags)) &&
		   fuzz_terminated(c.alg, sizeof(c.alg)), "flags or algorithm not terminated");
	free(opts);
	if (e)
		return 0;
	why = NULL;
	e = verity_sb_parse(data, size, &c, &why);
	FUZZ_CHECK(e == 0 || (e == -EINVAL && why), "superblock returned %d without a reason", e);
	if (e)
		return 0;
	FUZZ_CHECK(c.format <= 1 && c.salt_len <= VERITY_SALT_MAX, "format %u or salt %zu out of range", c.format,
		   c.salt_len);
	FUZZ_CHECK(c.data_block_size >= VERITY_BLOCK_MIN && c.data_block_size <= VERITY_BLOCK_MAX &&
		   !(c.data_block_size & (c.data_block_size - 1)), "data block size %u",
		   c.data_block_size);
	FUZZ_CHECK(c.hash_block_size >= VERITY_BLOCK_MIN && c.hash_block_size <= VERITY_BLOCK_MAX &&
		   !(c.hash_block_size & (c.hash_block_size - 1)), "hash block size %u",
		   c.hash_block_size);
	FUZZ_CHECK(c.data_blocks && c.data_blocks <= UINT64_MAX / c.data_block_size,
		   "data blocks %llu", (unsigned long long)c.data_blocks);
	FUZZ_CHECK(c.alg[0] && fuzz_terminated(c.alg, sizeof(c.alg)), "algorithm name");
	if (verity_hash_start(&c, &start))
		return 0;
	FUZZ_CHECK(start >= c.hash_offset / c.hash_block_size, "the tree starts before its offset");
	rest = size > VERITY_SB_SIZE ? size - VERITY_SB_SIZE : 0;
	memset(block, 0, c.hash_block_size);
	memcpy(block, data + VERITY_SB_SIZE, rest < c.hash_block_size ? rest : c.hash_block_size);
	len = verity_digest_len(&c);
	FUZZ_CHECK(len == -ENOENT || len == 20 || len == 32 || len == 64, "digest length %d", len);
	if (len < 0)
		return 0;
	FUZZ_CHECK(!verity_root_digest(&c, block, digest), "no digest for a known algorithm");
	{
		struct verity_table v = { c.format, "254:0", "254:1", c.data_block_size,
					  c.hash_block_size, c.data_blocks, start, c.alg,
					  digest, (size_t)len, c.salt, c.salt_len, c.flags };

		e = dm_verity_params(line, sizeof(line), &v);
		FUZZ_CHECK(e == 0, "the table of a good superblock was refused: %d", e);
		FUZZ_CHECK(fuzz_terminated(line, sizeof(line)) && !strchr(line, '\n'),
			   "table line");
	}
	return 0;
}
