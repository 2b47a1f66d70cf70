/*
 * fuzz-probe_fs: probe_filesystem() on a disk image in memory. Each input
 * is probed three times: as a device of exactly its length, as the head of
 * a larger device (reads past the input fail with -EIO), and as the head of
 * a huge one (offsets near 2^62).
 */
#include "probe_mem.h"

static void check_fs(const struct probe_fs *fs, int r, int short_dev)
{
	FUZZ_CHECK(fuzz_terminated(fs->type, sizeof(fs->type)) &&
			   fuzz_terminated(fs->uuid, sizeof(fs->uuid)) &&
			   fuzz_terminated(fs->label, sizeof(fs->label)),
		   "an output string is not NUL-terminated");
	if (!r) {
		FUZZ_CHECK(fs->type[0], "found, but the type is empty");
		check_tag(fs->uuid);
		check_tag(fs->label);
		return;
	}
	/* with every byte there, the only failure is "not recognised" */
	FUZZ_CHECK(r == -ENOENT || (short_dev && r == -EIO),
		   "returned %d (%s device)", r, short_dev ? "short" : "whole");
	FUZZ_CHECK(!fs->type[0] && !fs->uuid[0] && !fs->label[0],
		   "failed (%d) but left type '%s' uuid '%s'", r, fs->type,
		   fs->uuid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t sizes[] = {
		size,
		(uint64_t)size * 2 + 65536,
		(uint64_t)1 << 62,
	};
	struct mem_dev m;
	struct probe_fs fs;
	size_t i;
	int r;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		mem_dev_init(&m, data, size, sizes[i], 0);
		memset(&fs, 0x5a, sizeof(fs));
		r = probe_filesystem(&m.dev, &fs);
		check_fs(&fs, r, i > 0);
	}
	return 0;
}
