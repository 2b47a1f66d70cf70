/* probe: FAT12/16/32 ("vfat") and exFAT. */
#define PROBE_INTERNAL
#include "find/probe.h"

#include <errno.h>
#include <string.h>

#define DIR_MAX_CLUSTERS 100	/* root directory clusters searched */
/*
 * Root directory bytes searched: the label entry comes first in practice,
 * and crafted geometry (exFAT clusters of 32 MiB) must not make a probe
 * read gigabytes.
 */
#define DIR_MAX_BYTES (1U << 20)

struct fat_geo {
	uint64_t fat;		/* byte offset of the first FAT */
	uint64_t heap;		/* byte offset of cluster 2 */
	uint32_t csize;		/* cluster size in bytes */
	uint32_t count;		/* number of clusters */
	int exfat;
};

static int is_label_entry(const uint8_t *e, int exfat)
{
	if (exfat)
		return e[0] == 0x83;
	/* volume label: VOLUME_ID set, DIRECTORY clear; not a long name */
	return e[0] != 0xe5 && e[11] != 0x0f && (e[11] & 0x18) == 0x08;
}

/* 1 label entry copied to ent, 2 end of directory, 0 go on, -errno. */
static int scan_dir(const struct probe_dev *d, uint64_t off, uint64_t len,
		    int exfat, uint8_t *ent)
{
	uint8_t buf[512];
	size_t n, i;
	int r;

	while (len >= 32) {
		n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		r = probe_read(d, off, buf, n);
		if (r)
			return r == -ENOENT ? 2 : r;
		for (i = 0; i + 32 <= n; i += 32) {
			if (!buf[i])
				return 2;
			if (is_label_entry(buf + i, exfat)) {
				memcpy(ent, buf + i, 32);
				return 1;
			}
		}
		off += n;
		len -= n;
	}
	return 0;
}

/* Follows a cluster chain from c; 1 if a label entry was found. */
static int scan_chain(const struct probe_dev *d, const struct fat_geo *g,
		      uint32_t c, uint8_t *ent)
{
	uint8_t nb[4];
	uint32_t left = DIR_MAX_BYTES, len;
	int loops, r;

	for (loops = 0; loops < DIR_MAX_CLUSTERS && left; loops++) {
		if (c < 2 || c - 2 >= g->count)
			return 0;
		len = g->csize < left ? g->csize : left;
		left -= len;
		r = scan_dir(d, g->heap + (uint64_t)(c - 2) * g->csize,
			     len, g->exfat, ent);
		if (r)
			return r == 2 ? 0 : r;
		r = probe_read(d, g->fat + (uint64_t)c * 4, nb, 4);
		if (r)
			return r == -ENOENT ? 0 : r;
		c = probe_le32(nb);
		if (!g->exfat)
			c &= 0x0fffffff;
	}
	return 0;
}

static int has_fat_magic(const uint8_t *b)
{
	return probe_memeq(b + 0x52, "MSWIN", 5) ||
	       probe_memeq(b + 0x52, "FAT32   ", 8) ||
	       probe_memeq(b + 0x36, "MSDOS", 5) ||
	       probe_memeq(b + 0x36, "FAT16   ", 8) ||
	       probe_memeq(b + 0x36, "FAT12   ", 8) ||
	       probe_memeq(b + 0x36, "FAT     ", 8) ||
	       ((b[0] == 0xeb || b[0] == 0xe9) && b[510] == 0x55 &&
		b[511] == 0xaa);
}

static int pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

static uint32_t fat_total(const uint8_t *b)
{
	return probe_le16(b + 19) ? probe_le16(b + 19) : probe_le32(b + 32);
}

static uint32_t fat_length(const uint8_t *b)
{
	return probe_le16(b + 22) ? probe_le16(b + 22) : probe_le32(b + 36);
}

/* A plausible FAT boot sector (BIOS parameter block). */
int probe_fat_bpb(const uint8_t *b)
{
	return has_fat_magic(b) && pow2_in(probe_le16(b + 11), 512, 4096) &&
	       pow2_in(b[13], 1, 128) && probe_le16(b + 14) && b[16] &&
	       fat_length(b) && fat_total(b) && (b[21] == 0xf0 || b[21] >= 0xf8);
}

int probe_vfat(const struct probe_dev *d, const uint8_t *b, struct probe_fs *o)
{
	uint32_t ss = probe_le16(b + 11), spc = b[13], res = probe_le16(b + 14);
	uint32_t total = fat_total(b), fl16 = probe_le16(b + 22);
	uint64_t meta;
	struct fat_geo g = { 0 };
	uint8_t ent[32] = { 0 };
	int r;

	if (d->size < 512 || !probe_fat_bpb(b))
		return 0;
	meta = res + (uint64_t)b[16] * fat_length(b);
	g.fat = (uint64_t)res * ss;
	g.csize = ss * spc;
	if (fl16) {
		/* FAT12/16: fixed root directory after the FATs */
		r = scan_dir(d, meta * ss, probe_le16(b + 17) * 32ULL, 0, ent);
	} else {
		if (meta >= total)
			return 0;
		g.heap = meta * ss;
		g.count = (uint32_t)((total - meta) / spc);
		r = scan_chain(d, &g, probe_le32(b + 44), ent);
	}
	if (r < 0)
		return r;
	probe_set_type(o, "vfat");
	probe_serial4(o->uuid, b + (fl16 ? 0x27 : 0x43));
	if (r == 1) {
		if (ent[0] == 0x05)
			ent[0] = 0xe5;
		probe_label(o->label, sizeof(o->label), ent, 11);
	}
	return 1;
}

int probe_exfat(const struct probe_dev *d, const uint8_t *b,
		struct probe_fs *o)
{
	struct fat_geo g = { .exfat = 1 };
	uint32_t ss;
	uint8_t ent[32] = { 0 };
	int r;

	if (d->size < 512 || !probe_memeq(b + 3, "EXFAT   ", 8) ||
	    b[108] < 9 || b[108] > 12 || b[109] > 25 - b[108])
		return 0;
	ss = 1U << b[108];
	g.fat = (uint64_t)probe_le32(b + 80) * ss;
	g.heap = (uint64_t)probe_le32(b + 88) * ss;
	g.csize = ss << b[109];
	g.count = probe_le32(b + 92);
	r = scan_chain(d, &g, probe_le32(b + 96), ent);
	if (r < 0)
		return r;
	probe_set_type(o, "exfat");
	probe_serial4(o->uuid, b + 100);
	if (r == 1)
		probe_utf16(o->label, sizeof(o->label), ent + 2,
			    ent[1] < 11 ? ent[1] : 11, 0);
	return 1;
}
