/*
 * What an LV maps to: its device-mapper name and uuid as lvm2 sets them
 * (libdm's dm_build_dm_name(), "LVM-" and the VG and LV ids), its table
 * (one linear or striped target per segment, as lvm2's striped segment
 * type loads it), and the same mapping done in place, for reading what an
 * LV holds without activating it.
 */
#include "lvm/lvm.h"
#include "base/log.h"
#include "dm/dm.h"

#include <errno.h>
#include <string.h>

int lvm_dm_name(char *buf, size_t size, const char *vg, const char *lv)
{
	const char *s;
	size_t n = 0;
	int part;

	/* Each '-' inside a name doubled: the one between VG and LV is the only single one. */
	for (part = 0; part < 2; part++) {
		for (s = part ? lv : vg; *s; s++) {
			if (n + (*s == '-' ? 2 : 1) >= size)
				goto too_long;
			if (*s == '-')
				buf[n++] = '-';
			buf[n++] = *s;
		}
		if (part)
			break;
		if (n + 1 >= size)
			goto too_long;
		buf[n++] = '-';
	}
	buf[n] = '\0';
	return 0;
too_long:
	if (size)
		buf[0] = '\0';
	return -ENAMETOOLONG;
}

int lvm_dm_uuid(char *buf, size_t size, const struct lvm_vg *vg, const struct lvm_lv *lv)
{
	if (fmt_buf(buf, size, "LVM-%s%s", vg->id, lv->id) != 4 + 2 * LVM_ID_LEN) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

/* A stripe's start on its PV, in sectors. */
static uint64_t area_sector(const struct lvm_vg *vg, const struct lvm_area *a)
{
	return vg->pv[a->pv].pe_start + (uint64_t)a->pe * vg->extent_size;
}

int lvm_lv_table(const struct lvm_vg *vg, const struct lvm_lv *lv, const char *const dev[],
		 struct dm_target *t, int max, char *params, size_t size)
{
	const struct lvm_seg *s;
	const struct lvm_area *a;
	size_t used = 0, n;
	int i, j;

	if (lv->refusal != LVM_OK || !lv->segs)
		return -EINVAL;
	if (lv->segs > max)
		return -E2BIG;
	for (i = 0; i < lv->segs; i++) {
		s = vg->seg + lv->seg + i;
		a = vg->area + s->area;
		t[i].start = (uint64_t)s->start * vg->extent_size;
		t[i].length = (uint64_t)s->count * vg->extent_size;
		t[i].params = params + used;
		/* lvm2 maps one area with linear, more with striped. */
		if (s->stripes == 1) {
			t[i].type = "linear";
			n = fmt_buf(params + used, size - used, "%s %llu", dev[a->pv],
				    (unsigned long long)area_sector(vg, a));
		} else {
			t[i].type = "striped";
			n = fmt_buf(params + used, size - used, "%u %u", s->stripes, s->stripe_size);
			for (j = 0; j < (int)s->stripes && used + n + 1 < size; j++)
				n += fmt_buf(params + used + n, size - used - n, " %s %llu",
					     dev[a[j].pv], (unsigned long long)area_sector(vg, a + j));
		}
		if (used + n + 1 >= size)
			return -ENOSPC;
		used += n + 1;
	}
	return lv->segs;
}

/* Reads of the LV mapped onto its PVs, one stripe chunk at a time. */
static int lv_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct lvm_lv_dev *r = ctx;
	const struct lvm_vg *vg = r->vg;
	const uint64_t ext = (uint64_t)vg->extent_size * LVM_SECTOR;
	const struct lvm_seg *s;
	const struct lvm_area *a;
	const struct probe_dev *pv;
	uint64_t in, chunk, at, n;
	uint8_t *out = buf;
	int i, e;

	if (off > r->dev.size || len > r->dev.size - off)
		return -EIO;
	while (len) {
		s = NULL;
		for (i = 0; i < r->lv->segs; i++) {
			s = vg->seg + r->lv->seg + i;
			if (off < ((uint64_t)s->start + s->count) * ext)
				break;
		}
		if (!s || i == r->lv->segs)
			return -EIO;
		in = off - (uint64_t)s->start * ext;	/* bytes into the segment */
		n = (uint64_t)s->count * ext - in;
		a = vg->area + s->area;
		if (s->stripes > 1) {
			/* Chunk c of the segment is on stripe c % stripes, as its (c / stripes)th. */
			chunk = (uint64_t)s->stripe_size * LVM_SECTOR;
			a += (in / chunk) % s->stripes;
			at = (in / chunk / s->stripes) * chunk + in % chunk;
			if (n > chunk - in % chunk)
				n = chunk - in % chunk;
		} else {
			at = in;
		}
		if (n > len)
			n = len;
		pv = r->pv[a->pv];
		if (!pv)
			return -ENXIO;
		at += vg->pv[a->pv].pe_start * LVM_SECTOR + (uint64_t)a->pe * ext;
		if (at > pv->size || n > pv->size - at)
			return -EIO;
		e = pv->read(pv->ctx, at, out, (size_t)n);
		if (e)
			return e;
		off += n;
		out += n;
		len -= (size_t)n;
	}
	return 0;
}

void lvm_lv_dev_init(struct lvm_lv_dev *r, const struct lvm_vg *vg, const struct lvm_lv *lv)
{
	memset(r, 0, sizeof(*r));
	r->vg = vg;
	r->lv = lv;
	r->dev.read = lv_read;
	r->dev.ctx = r;
	r->dev.size = (uint64_t)lv->extents * vg->extent_size * LVM_SECTOR;
}

int lvm_dm_split(const char *name, char *vg, size_t vgsize, char *lv, size_t lvsize)
{
	char *out = vg;
	size_t n = 0, size = vgsize;

	for (; *name; name++) {
		if (*name == '-' && name[1] == '-') {
			name++;
		} else if (*name == '-' && out == vg) {
			/* The single '-': the LV's name follows. */
			vg[n] = '\0';
			out = lv;
			n = 0;
			size = lvsize;
			continue;
		}
		if (n + 1 >= size)
			return -ENAMETOOLONG;
		out[n++] = *name;
	}
	out[n] = '\0';
	return out == lv && vg[0] && lv[0] ? 0 : -EINVAL;
}
