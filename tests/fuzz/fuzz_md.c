/*
 * fuzz-md: md superblocks (md_super_read() on the input as a device, every
 * read bounded by its size) and the choice of members (md_decide()) over
 * the superblocks the input holds.
 * Input: a byte of flags, then 4 KiB superblocks. Flags: bits 0-1 the
 * format each block is parsed as, bit 2: fix each block's checksum (and a
 * 1.x block's own offset) first, so the fuzzer reaches what the checksum
 * guards; bits 3-7 the clock, in seconds.
 */
#include "probe_mem.h"
#include "md/md.h"

#include <errno.h>

#define BLOCK 4096

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The checksum each format wants, written in (the parser's own checks stay what they are). */
static void fix(uint8_t *b, enum md_format f, uint64_t sector)
{
	uint64_t sum = 0;
	uint32_t i, w, size;

	if (f == MD_FORMAT_090) {
		memset(b + 4 * 38, 0, 4);
		for (i = 0; i < BLOCK / 4; i++) {
			memcpy(&w, b + 4 * i, 4);
			sum += w;
		}
		w = (uint32_t)(sum + (sum >> 32));
		memcpy(b + 4 * 38, &w, 4);
		return;
	}
	for (i = 0; i < 8; i++)
		b[144 + i] = (uint8_t)(sector >> 8 * i);
	memcpy(&w, b + 220, 4);
	w %= (BLOCK - 256) / 2 + 1;
	le32(b + 220, w);
	size = 256 + 2 * w;
	memset(b + 216, 0, 4);
	for (i = 0; i + 4 <= size; i += 4)
		sum += (uint32_t)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | (uint32_t)b[i + 3] << 24);
	if (size % 4)
		sum += (uint32_t)(b[i] | b[i + 1] << 8);
	le32(b + 216, (uint32_t)(sum + (sum >> 32)));
}

static void check_decision(const struct md_state *s, int ai, const struct md_decision *d)
{
	const struct md_super *sb = NULL;
	uint32_t slot, n = 0;
	int i;

	FUZZ_CHECK(d->verdict >= MD_WAIT && d->verdict <= MD_REFUSED, "verdict %d", d->verdict);
	FUZZ_CHECK(d->uses + d->stales <= s->members, "%d used and %d stale of %d", d->uses, d->stales,
		   s->members);
	FUZZ_CHECK(d->a < s->members && d->b < s->members, "named members %d %d", d->a, d->b);
	if (d->verdict == MD_REFUSED || d->verdict == MD_CANNOT)
		FUZZ_CHECK(d->why && *d->why, "no reason");
	if (d->verdict == MD_WAIT)
		return;
	for (i = 0; i < d->uses; i++) {
		FUZZ_CHECK(d->use[i] >= 0 && d->use[i] < s->members, "use %d", d->use[i]);
		FUZZ_CHECK(!memcmp(s->m[d->use[i]].sb.uuid, s->a[ai].uuid, 16), "a member of another array");
		sb = &s->m[d->use[i]].sb;
	}
	if (d->verdict != MD_START && d->verdict != MD_DEGRADED)
		return;
	FUZZ_CHECK(sb, "started without members");
	for (slot = 0; sb && slot < sb->raid_disks && slot < 4096; slot++)
		n += md_slot_member(s, d, slot) >= 0;
	FUZZ_CHECK(n == d->present, "present %u, counted %u", d->present, n);
	if (d->verdict == MD_START)
		FUZZ_CHECK(n == sb->raid_disks, "started with %u of %u", n, sb->raid_disks);
	else
		FUZZ_CHECK(sb->level == 1 || sb->level == 4 || sb->level == 5 || sb->level == 6 ||
			   sb->level == 10, "degraded level %d", sb->level);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t block[BLOCK];
	static struct md_state s;
	struct md_decision d;
	struct md_super sb;
	struct mem_dev m;
	const char *why;
	enum md_format f;
	size_t off;
	long now;
	int e, i;

	if (!size)
		return 0;
	f = (enum md_format)(data[0] & 3);
	now = (long)(data[0] >> 3) * 1000;
	mem_dev_init(&m, data + 1, size - 1, size - 1, 0);
	e = md_super_read(&m.dev, &sb, &why);
	FUZZ_CHECK(e == 0 || e == -ENOENT || (e == -EINVAL && why), "read returned %d", e);
	FUZZ_CHECK(fuzz_terminated(sb.name, sizeof(sb.name)) || e, "name not terminated");
	if (!e)
		check_tag(sb.name);	/* a name from the disk, as blkid would print it */

	memset(&s, 0, sizeof(s));
	s.wait_ms = -1;
	for (off = 1, i = 0; off < size; off += BLOCK, i++) {
		size_t n = size - off < BLOCK ? size - off : BLOCK;

		memset(block, 0, sizeof(block));
		memcpy(block, data + off, n);
		if (data[0] & 4)
			fix(block, f, f == MD_FORMAT_12 ? 8 : f == MD_FORMAT_11 ? 0 : 1000);
		e = md_super_parse(block, sizeof(block), f, f == MD_FORMAT_12 ? 8 : f == MD_FORMAT_11 ? 0 : 1000,
				   &sb, &why);
		FUZZ_CHECK(e == 0 || e == -ENOENT || (e == -EINVAL && why), "parse returned %d", e);
		if (e)
			continue;
		FUZZ_CHECK(fuzz_terminated(sb.name, sizeof(sb.name)), "name not terminated");
		for (n = 0; sb.name[n]; n++)
			FUZZ_CHECK((uint8_t)sb.name[n] >= 0x20 && sb.name[n] != 0x7f, "a control byte in the name");
		FUZZ_CHECK(sb.role >= MD_ROLE_MAX || sb.role < sb.raid_disks, "slot %u of %u", sb.role,
			   sb.raid_disks);
		md_state_add(&s, "vdx", 254, (unsigned int)i % 40, &sb, (long)i * 300);
	}
	for (i = 0; i < s.arrays; i++) {
		md_decide(&s, i, now, 2000, &d);
		check_decision(&s, i, &d);
	}
	return 0;
}
