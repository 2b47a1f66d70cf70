/*
 * A memory-backed struct probe_dev for the probe fuzzers. The device may
 * claim to be larger than the bytes we have: reads past them fail with
 * -EIO, as a short read of a real device does. A read past the claimed
 * size is a bug in the prober (every read is meant to be bounded by
 * d->size), so it aborts.
 */
#ifndef HANDOFF_PROBE_MEM_H
#define HANDOFF_PROBE_MEM_H

#include "fuzz.h"
#include "find/probe.h"

#include <errno.h>
#include <string.h>

struct mem_dev {
	struct probe_dev dev;
	const uint8_t *data;
	size_t len;		/* bytes we really have */
	unsigned long reads;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem_dev *m = ctx;

	FUZZ_CHECK(off <= m->dev.size && len <= m->dev.size - off,
		   "read of %zu bytes at %llu past the device size %llu", len,
		   (unsigned long long)off, (unsigned long long)m->dev.size);
	m->reads++;
	if (off > m->len || len > m->len - off) {
		memset(buf, 0xe1, len);	/* garbage nobody should use */
		return -EIO;
	}
	memcpy(buf, m->data + off, len);
	return 0;
}

static void mem_dev_init(struct mem_dev *m, const uint8_t *data, size_t len,
			 uint64_t size, uint32_t sector_size)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->len = len;
	m->dev.read = mem_read;
	m->dev.ctx = m;
	m->dev.size = size;
	m->dev.sector_size = sector_size;
}

/*
 * A string from the disk formatted as blkid's tag, both ways: nothing for
 * an empty one; else it fits PROBE_TAG_MAX whole (never cut), ends where
 * it says, and carries no control character but the export form's final
 * newline.
 */
static void check_tag(const char *val)
{
	char out[PROBE_TAG_MAX];
	size_t n, i;
	int export;

	for (export = 0; export < 2; export++) {
		memset(out, 0x5a, sizeof(out));
		n = probe_tag(out, sizeof(out), "PARTLABEL", val, export);
		if (!*val) {
			FUZZ_CHECK(!n, "a tag of %zu bytes for an empty value", n);
			continue;
		}
		FUZZ_CHECK(n < sizeof(out) && out[n] == '\0' && strlen(out) == n,
			   "tag of %zu bytes not ended where it says", n);
		FUZZ_CHECK(out[n - 1] == (export ? '\n' : '"'), "tag cut short");
		for (i = 0; i + export < n; i++)
			FUZZ_CHECK((unsigned char)out[i] >= 0x20 && out[i] != 0x7f,
				   "control byte 0x%02x in a tag", (unsigned char)out[i]);
	}
}

#endif
