/* probe: GPT and MBR ("dos") partition tables. */
#define PROBE_INTERNAL
#include "find/probe.h"

#include <errno.h>
#include <string.h>

#define GPT_MAX_ARRAY	(1U << 20)	/* entries array bytes we accept */
#define GPT_MAX_ESIZE	4096

static void table_reset(struct probe_table *t)
{
	memset(t, 0, sizeof(*t));
}

static struct probe_part *part_add(struct probe_table *t, uint32_t number,
				   uint64_t start, uint64_t size)
{
	struct probe_part *p;

	if (t->count >= PROBE_MAX_PARTS)
		return NULL;
	p = &t->part[t->count++];
	p->number = number;
	p->start = start;
	p->size = size;
	return p;
}

/* ---- GPT ---- */

struct gpt_hdr {
	uint64_t entries;	/* byte offset of the entries array */
	uint32_t n, esize, crc;
};

/* Reads and checks the header at lba: 1 valid, 0 not, -errno. */
static int gpt_header(const struct probe_dev *d, uint32_t ss, uint64_t lba,
		      struct probe_table *t, struct gpt_hdr *g)
{
	uint8_t h[512];
	uint64_t nsect = d->size / ss, elba;
	uint32_t hsize, crc;
	int r;

	r = probe_read(d, lba * ss, h, sizeof(h));
	if (r)
		return r == -ENOENT ? 0 : r;
	hsize = probe_le32(h + 12);
	if (!probe_memeq(h, "EFI PART", 8) || hsize < 92 || hsize > sizeof(h))
		return 0;
	crc = probe_le32(h + 16);
	memset(h + 16, 0, 4);
	if (probe_crc32(0, h, hsize) != crc || probe_le64(h + 24) != lba)
		return 0;
	elba = probe_le64(h + 72);
	g->n = probe_le32(h + 80);
	g->esize = probe_le32(h + 84);
	g->crc = probe_le32(h + 88);
	if (g->esize < 128 || g->esize > GPT_MAX_ESIZE || g->esize % 8 ||
	    (uint64_t)g->n * g->esize > GPT_MAX_ARRAY || elba < 1 ||
	    elba >= nsect)
		return 0;
	g->entries = elba * ss;
	if ((uint64_t)g->n * g->esize > d->size - g->entries)
		return 0;
	probe_uuid16(t->ptuuid, h + 56, 1);
	return 1;
}

static int gpt_entries_crc(const struct probe_dev *d, const struct gpt_hdr *g)
{
	uint8_t buf[1024];
	uint64_t off = g->entries, left = (uint64_t)g->n * g->esize;
	uint32_t crc = 0;
	int r;

	while (left) {
		size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);

		r = probe_read(d, off, buf, n);
		if (r)
			return r == -ENOENT ? 0 : r;
		crc = probe_crc32(crc, buf, n);
		off += n;
		left -= n;
	}
	return crc == g->crc;
}

static int gpt_entries(const struct probe_dev *d, uint32_t ss,
		       const struct gpt_hdr *g, struct probe_table *t)
{
	uint64_t nsect = d->size / ss, first, last;
	uint8_t e[128];
	struct probe_part *p;
	uint32_t i;
	int r;

	for (i = 0; i < g->n && i < PROBE_MAX_PARTS; i++) {
		r = probe_read(d, g->entries + (uint64_t)i * g->esize, e,
			       sizeof(e));
		if (r)
			return r;
		first = probe_le64(e + 32);
		last = probe_le64(e + 40);
		if (probe_is_zero(e, 16) || first > last || last >= nsect)
			continue;
		p = part_add(t, i + 1, first * ss, (last - first + 1) * ss);
		if (!p)
			break;
		probe_uuid16(p->type_guid, e, 1);
		probe_uuid16(p->partuuid, e + 16, 1);
		p->attrs = probe_le64(e + 48);
		probe_utf16(p->partlabel, sizeof(p->partlabel), e + 56, 36, 0);
	}
	return 0;
}

/* 1 found, 0 not, -errno. */
static int gpt_at(const struct probe_dev *d, uint32_t ss, uint64_t lba,
		  struct probe_table *t)
{
	struct gpt_hdr g = { 0 };
	int r;

	table_reset(t);
	r = gpt_header(d, ss, lba, t, &g);
	if (r <= 0)
		return r;
	r = gpt_entries_crc(d, &g);
	if (r <= 0)
		return r;
	memcpy(t->type, "gpt", 4);
	t->sector_size = ss;
	r = gpt_entries(d, ss, &g, t);
	return r ? r : 1;
}

static int gpt_probe(const struct probe_dev *d, uint32_t ss,
		     struct probe_table *t)
{
	int r;

	if (d->size / ss < 3)
		return 0;
	r = gpt_at(d, ss, 1, t);
	if (r)
		return r;
	return gpt_at(d, ss, d->size / ss - 1, t);
}

/* ---- MBR ---- */

/*
 * DOS partitions are numbered as the kernel's msdos parser numbers them
 * (block/partitions/msdos.c), since the kernel's partition devices are
 * what a PARTUUID names: primaries 1-4 by slot, logicals from 5 on in
 * the order the EBR chain lists them, up to the kernel's 255.
 */
#define DOS_MAX_NUMBER	255	/* DISK_MAX_PARTS - 1 */
#define EBR_MAX_EMPTY	100	/* links followed in a row without a partition */

static int is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static uint32_t ent_start(const uint8_t *e)
{
	return probe_le32(e + 8);
}

/* The kernel uses an entry whose size is not 0, whatever its type. */
static uint32_t ent_size(const uint8_t *e)
{
	return probe_le32(e + 12);
}

static const uint8_t *mbr_entry(const uint8_t *s, int i)
{
	return s + 446 + 16 * (size_t)i;
}

static void dos_partuuid(char *out, uint32_t sig, uint32_t number)
{
	probe_hex32(out, sig);
	out[8] = '-';
	probe_hex32(out + 9, number);
	memmove(out + 9, out + 15, 3);
}

/*
 * Like the kernel (block/partitions/core.c): a partition that starts
 * past the end of the disk is not created (its number stays used), one
 * that ends past it is cut at the end.
 */
static void dos_add(struct probe_table *t, uint64_t disk, uint32_t sig,
		    uint32_t number, uint64_t start, const uint8_t *e,
		    uint32_t ss)
{
	uint64_t off = start * ss, len = (uint64_t)ent_size(e) * ss;
	struct probe_part *p;

	if (off >= disk)
		return;
	if (len > disk - off)
		len = disk - off;
	p = part_add(t, number, off, len);
	if (!p)
		return;
	p->mbr_type = e[4];
	p->container = is_extended(e[4]);
	dos_partuuid(p->partuuid, sig, number);
}

struct ebr_walk {
	uint64_t first, first_size;	/* the extended partition (sectors) */
	uint64_t cur, cur_size;		/* this EBR and the link to it */
	uint32_t *number;		/* the next logical's number */
};

/* Entries 3 and 4 of an EBR often hold garbage: the kernel takes them
 * only when they end inside both the link that led to the EBR and the
 * extended partition (a link never starts before the latter). */
static int ebr_entry_fits(const struct ebr_walk *w, const uint8_t *e)
{
	uint64_t offs = ent_start(e), size = ent_size(e);

	return offs + size <= w->cur_size &&
	       w->cur + offs + size <= w->first + w->first_size;
}

/* The data partitions of one EBR: 1 if it had any, 0 if not. */
static int ebr_data(const struct probe_dev *d, uint32_t ss, uint32_t sig,
		    const uint8_t *s, struct ebr_walk *w, struct probe_table *t)
{
	const uint8_t *e;
	int i, found = 0;

	for (i = 0; i < 4 && *w->number <= DOS_MAX_NUMBER; i++) {
		e = mbr_entry(s, i);
		if (!ent_size(e) || is_extended(e[4]))
			continue;
		if (i >= 2 && !ebr_entry_fits(w, e))
			continue;
		dos_add(t, d->size, sig, (*w->number)++, w->cur + ent_start(e),
			e, ss);
		found = 1;
	}
	return found;
}

/* The first link to a further EBR: 1 followed, 0 none. */
static int ebr_next(const uint8_t *s, struct ebr_walk *w)
{
	const uint8_t *e;
	int i;

	for (i = 0; i < 4; i++) {
		e = mbr_entry(s, i);
		if (ent_size(e) && is_extended(e[4])) {
			w->cur = w->first + ent_start(e);
			w->cur_size = ent_size(e);
			return 1;
		}
	}
	return 0;
}

/*
 * Follows the EBR chain of the extended partition at [first,
 * first + size) as the kernel does: no check that a link stays inside
 * the extended partition or does not loop; the walk ends after
 * EBR_MAX_EMPTY links in a row without a partition, at the last number,
 * or when the table is full.
 */
static int dos_logicals(const struct probe_dev *d, uint32_t ss, uint32_t sig,
			uint64_t first, uint64_t size, uint32_t *number,
			struct probe_table *t)
{
	struct ebr_walk w = { first, size, first, size, number };
	uint8_t s[512];
	int empty = 0, r;

	while (++empty <= EBR_MAX_EMPTY && *number <= DOS_MAX_NUMBER &&
	       t->count < PROBE_MAX_PARTS) {
		r = probe_read(d, w.cur * ss, s, sizeof(s));
		if (r)
			return r == -ENOENT ? 0 : r;
		if (s[510] != 0x55 || s[511] != 0xaa)
			return 0;
		if (ebr_data(d, ss, sig, s, &w, t))
			empty = 0;
		if (!ebr_next(s, &w))
			return 0;
	}
	return 0;
}

/* Sector 0 as an MBR: 1 plausible, 0 not, -1 protective (GPT) MBR. */
static int mbr_check(const uint8_t *s)
{
	const uint8_t *e;
	int i;

	if (s[510] != 0x55 || s[511] != 0xaa)
		return 0;
	for (i = 0; i < 4; i++) {
		e = mbr_entry(s, i);
		if (e[0] != 0 && e[0] != 0x80)
			return 0;
		if (e[4] == 0xee)
			return -1;
		/* not the kernel's test: a typed entry at sector 0 is taken
		 * for boot code rather than a table */
		if (e[4] && ent_size(e) && !ent_start(e))
			return 0;
	}
	return 1;
}

static int dos_probe(const struct probe_dev *d, uint32_t ss, const uint8_t *s,
		     struct probe_table *t)
{
	uint32_t sig = probe_le32(s + 440), number = 5;
	const uint8_t *e;
	int i, r;

	table_reset(t);
	memcpy(t->type, "dos", 4);
	t->sector_size = ss;
	probe_hex32(t->ptuuid, sig);
	for (i = 0; i < 4; i++) {
		e = mbr_entry(s, i);
		if (ent_size(e))
			dos_add(t, d->size, sig, (uint32_t)i + 1, ent_start(e),
				e, ss);
	}
	/* every extended partition, in slot order, numbering on */
	for (i = 0; i < 4; i++) {
		e = mbr_entry(s, i);
		if (!ent_size(e) || !is_extended(e[4]))
			continue;
		r = dos_logicals(d, ss, sig, ent_start(e), ent_size(e),
				 &number, t);
		if (r)
			return r;
	}
	return 1;
}

int probe_partitions(const struct probe_dev *d, struct probe_table *out)
{
	static const uint32_t sizes[] = { 512, 4096 };
	uint8_t s[512];
	uint32_t ss = d->sector_size;
	int i, r, m;

	table_reset(out);
	r = probe_read(d, 0, s, sizeof(s));
	if (r)
		return r;
	m = mbr_check(s);
	if (m < 0) {
		for (i = 0; i < 2; i++) {
			if (ss && ss != sizes[i])
				continue;
			r = gpt_probe(d, sizes[i], out);
			if (r)
				return r < 0 ? r : 0;
		}
		table_reset(out);
		return -ENOENT;
	}
	/* a filesystem boot sector, not a partition table */
	if (m == 0 || probe_fat_bpb(s) || probe_memeq(s + 3, "EXFAT   ", 8) ||
	    probe_memeq(s + 3, "NTFS    ", 8))
		return -ENOENT;
	r = dos_probe(d, ss ? ss : 512, s, out);
	if (r < 0)
		table_reset(out);
	return r < 0 ? r : 0;
}
