/*
 * fuzz-probe_part: probe_partitions() on a disk image in memory.
 *
 * Input: one control byte, then the image.
 *   bits 0-1  logical sector size: 0 guess, 1 512, 2 4096, 3 guess
 *   bits 2-7  s: 0 the device is exactly the image; otherwise it claims
 *             2^(s+8) bytes (at most 2^63) and reads past the image fail
 *             with -EIO, like a short device (or it is a prefix of the
 *             image when that is smaller).
 * tests/fuzz/make-corpus writes seeds in this form.
 */
#include "probe_mem.h"
#include "find/gptauto.h"

static const uint32_t sector_sizes[4] = { 0, 512, 4096, 0 };

/*
 * DOS numbers as the kernel's: primaries 1-4, then logicals from 5 in
 * chain order up to 255; only a primary is an extended partition; the
 * PARTUUID is the disk signature and the number in two hex digits.
 */
static void check_dos(const struct probe_table *t, uint32_t i)
{
	const struct probe_part *p = &t->part[i];
	char want[16];

	FUZZ_CHECK(p->number <= 255, "dos partition number %u", p->number);
	FUZZ_CHECK(!p->container || p->number <= 4,
		   "logical %u is an extended partition", p->number);
	FUZZ_CHECK(!i || p->number > t->part[i - 1].number,
		   "dos partition %u listed after %u", p->number,
		   t->part[i - 1].number);
	snprintf(want, sizeof(want), "%s-%02x", t->ptuuid, p->number);
	FUZZ_CHECK(!strcmp(p->partuuid, want), "partition %u: PARTUUID %s, want %s",
		   p->number, p->partuuid, want);
}

static void check_table(const struct probe_table *t, int r, uint64_t devsize,
			uint32_t want_ss, int short_dev)
{
	uint32_t i, j;

	FUZZ_CHECK(fuzz_terminated(t->type, sizeof(t->type)) &&
			   fuzz_terminated(t->ptuuid, sizeof(t->ptuuid)),
		   "table strings not NUL-terminated");
	FUZZ_CHECK(t->count <= PROBE_MAX_PARTS, "count %u", t->count);
	if (r) {
		FUZZ_CHECK(r == -ENOENT || (short_dev && r == -EIO),
			   "returned %d (%s device)", r,
			   short_dev ? "short" : "whole");
		FUZZ_CHECK(!t->type[0] && !t->count,
			   "failed (%d) but left type '%s' and %u partitions",
			   r, t->type, t->count);
		return;
	}
	FUZZ_CHECK(!strcmp(t->type, "gpt") || !strcmp(t->type, "dos"),
		   "type '%s'", t->type);
	FUZZ_CHECK(t->sector_size == 512 || t->sector_size == 4096,
		   "sector size %u", t->sector_size);
	FUZZ_CHECK(!want_ss || t->sector_size == want_ss,
		   "asked for %u-byte sectors, read with %u", want_ss,
		   t->sector_size);
	for (i = 0; i < t->count; i++) {
		const struct probe_part *p = &t->part[i];

		FUZZ_CHECK(p->number >= 1, "partition %u has number 0", i);
		FUZZ_CHECK(p->start < devsize, "%s partition %u starts at %llu, past the %llu-byte device",
			   t->type, p->number, (unsigned long long)p->start,
			   (unsigned long long)devsize);
		/* like the kernel: cut at the end of the disk, never empty */
		FUZZ_CHECK(p->size && p->size <= devsize - p->start,
			   "%s partition %u: start %llu size %llu is not within the %llu-byte device",
			   t->type, p->number, (unsigned long long)p->start,
			   (unsigned long long)p->size,
			   (unsigned long long)devsize);
		if (!strcmp(t->type, "dos"))
			check_dos(t, i);
		FUZZ_CHECK(fuzz_terminated(p->type_guid, sizeof(p->type_guid)) &&
				   strlen(p->type_guid) == (strcmp(t->type, "gpt") ? 0 : 36),
			   "partition %u: type GUID '%.40s'", p->number, p->type_guid);
		FUZZ_CHECK(!strcmp(t->type, "gpt") || !p->attrs,
			   "dos partition %u has GPT attributes", p->number);
		FUZZ_CHECK(fuzz_terminated(p->partuuid, sizeof(p->partuuid)) &&
				   fuzz_terminated(p->partlabel,
						   sizeof(p->partlabel)),
			   "partition %u: strings not NUL-terminated",
			   p->number);
		check_tag(p->partuuid);
		check_tag(p->partlabel);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(t->part[j].number != p->number,
				   "partition number %u twice", p->number);
	}
}

/*
 * GPT auto-discovery on this table, for each architecture: a chosen root
 * is a partition of the table, of that architecture's root type, not
 * marked no-auto; its read-only mark is the entry's bit 60.
 */
static void check_gptauto(const struct probe_table *t)
{
	static struct gptauto_scan s;
	const struct gptauto_disk *d;
	enum gptauto_arch arch;
	uint32_t i;
	bool usr;
	int a, r;

	for (a = 0; a < GPTAUTO_ARCHES; a++) {
		gptauto_scan_init(&s, (enum gptauto_arch)a, NULL);
		gptauto_scan_add(&s, "vda", t);
		r = gptauto_choose(&s, &d);
		FUZZ_CHECK(r == 0 || r == -ENOENT, "gptauto_choose on one disk: %d", r);
		if (r)
			continue;
		for (i = 0; i < t->count && t->part[i].number != d->root; i++)
			;
		FUZZ_CHECK(i < t->count, "chose partition %u, not in the table", d->root);
		FUZZ_CHECK(gptauto_type_name(t->part[i].type_guid, &arch, &usr) && arch == a && !usr,
			   "chose partition %u of type %s", d->root, t->part[i].type_guid);
		FUZZ_CHECK(!(t->part[i].attrs & GPT_FLAG_NO_AUTO), "chose no-auto partition %u",
			   d->root);
		FUZZ_CHECK(d->root_ro == !!(t->part[i].attrs & GPT_FLAG_READ_ONLY),
			   "partition %u: read-only mark", d->root);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct probe_table t;	/* 40 KiB: keep it off the stack */
	struct mem_dev m;
	uint64_t devsize;
	uint32_t ss;
	unsigned int s;
	int r;

	if (size < 1)
		return 0;
	ss = sector_sizes[data[0] & 3];
	s = data[0] >> 2;
	data++;
	size--;
	devsize = !s ? size : (uint64_t)1 << (s + 8 > 63 ? 63 : s + 8);
	mem_dev_init(&m, data, size, devsize, ss);
	memset(&t, 0x5a, sizeof(t));
	r = probe_partitions(&m.dev, &t);
	check_table(&t, r, devsize, ss, devsize > size);
	if (!r)
		check_gptauto(&t);
	return 0;
}
