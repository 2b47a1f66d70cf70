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
#include "probe.h"

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

#endif
