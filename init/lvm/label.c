/*
 * The on-disk side of an LVM2 physical volume, read-only: the label, the
 * PV header and the metadata area's text. Layouts from lvm2's
 * lib/label/label.h and lib/format_text/layout.h, all little-endian:
 *   label header (one of sectors 0-3): "LABELONE", its sector (u64), a
 *     CRC (u32) of the rest of the sector from the next field, the PV
 *     header's offset in the sector (u32), the type "LVM2 001";
 *   PV header: the PV id (32 bytes), the device size (u64), then lists of
 *     (offset, size) u64 pairs, each ended by a zero offset: data areas,
 *     then metadata areas;
 *   metadata area header (512 bytes at the area's start): a CRC (u32) of
 *     the rest, the magic, version 1 (u32), its own start and the area's
 *     size (u64), then locations (offset, size u64; checksum, flags u32)
 *     of which the first is the committed text, relative to the area; the
 *     text runs circularly over the area after its first 512 bytes.
 */
#define PROBE_INTERNAL
#include "lvm/lvm.h"
#include "base/log.h"

#include <errno.h>
#include <string.h>

#define LABEL_ID "LABELONE"
#define LABEL_TYPE "LVM2 001"
#define LABEL_CRC_FROM 20	/* the CRC covers the sector from the PV header's offset field */
#define PV_HEADER_MIN 40	/* the id and the size */
#define LOCN_SIZE 16
#define MDA_HEADER_SIZE 512
#define MDA_MAGIC " LVM2 x[5A%r0N*>"
#define MDA_VERSION 1
#define RLOCN_OFF 40		/* the first raw location in the area header */
#define RLOCN_IGNORED 1u

uint32_t lvm_crc(uint32_t crc, const void *buf, size_t len)
{
	/* lvm2's calc_crc is the CRC-32 loop without the inversions at each end. */
	return ~probe_crc32(~crc, buf, len);
}

/* One (offset, size) list of the PV header, from *at, ended by a zero offset inside the sector. */
static int locn_list(const uint8_t *s, size_t *at, struct lvm_label *l, bool mdas)
{
	uint64_t off, size;

	for (;;) {
		if (*at + LOCN_SIZE > LVM_SECTOR)
			return -EBADMSG;
		off = probe_le64(s + *at);
		size = probe_le64(s + *at + 8);
		*at += LOCN_SIZE;
		if (!off)
			return 0;
		if (mdas && l->mdas < LVM_MDAS) {
			l->mda_start[l->mdas] = off;
			l->mda_size[l->mdas] = size;
			l->mdas++;
		}
	}
}

static int pv_header(const uint8_t *s, struct lvm_label *l, char *why, size_t size)
{
	uint32_t off = probe_le32(s + 20);
	size_t at, i;

	if (off < 32 || off > LVM_SECTOR - PV_HEADER_MIN) {
		fmt_buf(why, size, "its PV header's offset %u is outside the label's sector", off);
		return -EBADMSG;
	}
	for (i = 0; i < LVM_ID_LEN; i++) {
		if (s[off + i] <= ' ' || s[off + i] >= 0x7f) {
			fmt_buf(why, size, "its PV id is not text");
			return -EBADMSG;
		}
		l->pv_id[i] = (char)s[off + i];
	}
	l->pv_id[LVM_ID_LEN] = '\0';
	l->dev_size = probe_le64(s + off + LVM_ID_LEN);
	at = off + PV_HEADER_MIN;
	if (locn_list(s, &at, l, false) || locn_list(s, &at, l, true)) {
		fmt_buf(why, size, "its PV header's area lists run past the label's sector");
		return -EBADMSG;
	}
	return 0;
}

int lvm_label_read(const struct probe_dev *d, struct lvm_label *l, char *why, size_t size)
{
	uint8_t buf[LVM_LABEL_SCAN * LVM_SECTOR];
	uint64_t n = d->size < sizeof(buf) ? d->size / LVM_SECTOR : LVM_LABEL_SCAN, i;
	const uint8_t *s;
	int e, bad = -ENOENT;

	memset(l, 0, sizeof(*l));
	if (!n)
		return -ENOENT;
	e = probe_read(d, 0, buf, (size_t)n * LVM_SECTOR);
	if (e)
		return e;
	/* As lvm2 does: the first good label wins; a damaged one is passed over. */
	for (i = 0; i < n; i++) {
		s = buf + i * LVM_SECTOR;
		if (memcmp(s, LABEL_ID, 8) || memcmp(s + 24, LABEL_TYPE, 8))
			continue;
		bad = -EBADMSG;
		if (probe_le64(s + 8) != i)
			fmt_buf(why, size, "the LVM label in sector %u says it belongs in sector %llu",
				(unsigned int)i, (unsigned long long)probe_le64(s + 8));
		else if (lvm_crc(LVM_CRC_INITIAL, s + LABEL_CRC_FROM, LVM_SECTOR - LABEL_CRC_FROM) !=
			 probe_le32(s + 16))
			fmt_buf(why, size, "the LVM label in sector %u has a wrong checksum",
				(unsigned int)i);
		else if (!pv_header(s, l, why, size))
			return l->sector = i, 0;
		memset(l, 0, sizeof(*l));
	}
	return bad;
}

/* The area header: checked as lvm2's raw_parse_mda_header() does. */
static int mda_header(const uint8_t *h, uint64_t start, uint64_t *area, char *why, size_t size)
{
	if (lvm_crc(LVM_CRC_INITIAL, h + 4, MDA_HEADER_SIZE - 4) != probe_le32(h)) {
		fmt_buf(why, size, "the metadata area at byte %llu has a wrong header checksum",
			(unsigned long long)start);
		return -EBADMSG;
	}
	if (memcmp(h + 4, MDA_MAGIC, 16) || probe_le32(h + 20) != MDA_VERSION ||
	    probe_le64(h + 24) != start) {
		fmt_buf(why, size, "the metadata area at byte %llu has a wrong magic, version or start",
			(unsigned long long)start);
		return -EBADMSG;
	}
	*area = probe_le64(h + 32);
	if (*area < MDA_HEADER_SIZE) {
		fmt_buf(why, size, "the metadata area at byte %llu is %llu bytes, smaller than its header",
			(unsigned long long)start, (unsigned long long)*area);
		return -EBADMSG;
	}
	return 0;
}

int lvm_mda_read(const struct probe_dev *d, uint64_t start, char *buf, size_t size, size_t *len,
		 char *why, size_t whysize)
{
	uint8_t h[MDA_HEADER_SIZE];
	uint64_t area, off, n, wrap = 0;
	uint32_t sum;
	int e;

	*len = 0;
	e = probe_read(d, start, h, sizeof(h));
	if (e) {
		fmt_buf(why, whysize, "the metadata area at byte %llu cannot be read: %s",
			(unsigned long long)start, errtext(e));
		return e;
	}
	e = mda_header(h, start, &area, why, whysize);
	if (e)
		return e;
	/* The first location is the committed text; the second, a precommit, is not ours. */
	off = probe_le64(h + RLOCN_OFF);
	n = probe_le64(h + RLOCN_OFF + 8);
	sum = probe_le32(h + RLOCN_OFF + 16);
	if (!off || (probe_le32(h + RLOCN_OFF + 20) & RLOCN_IGNORED)) {
		fmt_buf(why, whysize, "the metadata area at byte %llu holds no metadata%s",
			(unsigned long long)start,
			off ? " (lvm2 marked it ignored)" : "");
		return -ENOENT;
	}
	if (off < MDA_HEADER_SIZE || off >= area || !n || n > area - MDA_HEADER_SIZE) {
		fmt_buf(why, whysize, "the metadata area at byte %llu places its text outside itself",
			(unsigned long long)start);
		return -EBADMSG;
	}
	if (n >= size) {
		fmt_buf(why, whysize, "the metadata text of %llu bytes is larger than the %llu this reads",
			(unsigned long long)n, (unsigned long long)size - 1);
		return -EFBIG;
	}
	if (off + n > area)
		wrap = off + n - area;
	/* Bounded by the device: start and area come from the disk. */
	if (start > d->size || area > d->size - start) {
		fmt_buf(why, whysize, "the metadata area at byte %llu runs past the device's end",
			(unsigned long long)start);
		return -EBADMSG;
	}
	off += start;	/* from here, on the device */
	e = probe_read(d, off, buf, (size_t)(n - wrap));
	if (!e && wrap)
		e = probe_read(d, start + MDA_HEADER_SIZE, buf + (n - wrap), (size_t)wrap);
	if (e) {
		fmt_buf(why, whysize, "the metadata text at byte %llu cannot be read: %s",
			(unsigned long long)off, errtext(e));
		return e;
	}
	if (lvm_crc(LVM_CRC_INITIAL, buf, (size_t)n) != sum) {
		fmt_buf(why, whysize, "the metadata text at byte %llu has a wrong checksum",
			(unsigned long long)off);
		return -EBADMSG;
	}
	buf[n] = '\0';
	*len = strlen(buf);	/* lvm2 ends it with a NUL */
	return 0;
}
