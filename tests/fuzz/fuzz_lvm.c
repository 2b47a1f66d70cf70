/*
 * fuzz-lvm: LVM2 metadata (init/lvm/). The first byte picks the input's
 * kind: 't', the rest is metadata text for lvm_meta_parse(); 'd', a disk
 * image read as a PV (lvm_label_read(), lvm_mda_read() of each area,
 * then the text parsed); 'c', the same with the label's, the area
 * header's and the text's checksums made right first, so that what
 * follows them is reached. For a VG parsed: every LV's table (a mappable
 * one always gets one), its dm name and uuid, and reads through the LV in
 * place, which must stay inside its PVs (the memory PVs abort otherwise).
 */
#define PROBE_INTERNAL
#include "fuzz.h"
#include "probe_mem.h"
#include "dm/dm.h"
#include "lvm/lvm.h"
#include "md/md.h"

#include <errno.h>
#include <string.h>

static struct lvm_vg vg;
static char text[LVM_TEXT_MAX];

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Right checksums where the structures are: the label's, then its first area's. */
static void fix(uint8_t *img, size_t size)
{
	uint64_t start, off, n, area;
	size_t s, i;

	for (s = 0; s < 4 && (s + 1) * 512 <= size; s++) {
		uint8_t *l = img + s * 512;

		if (memcmp(l, "LABELONE", 8))
			continue;
		wr32(l + 16, lvm_crc(LVM_CRC_INITIAL, l + 20, 512 - 20));
		if (probe_le32(l + 20) > 512 - 40)
			return;
		start = probe_le64(l + probe_le32(l + 20) + 40 + 16 + 16);	/* after one data area */
		if (start >= size || size - start < 512)
			return;
		area = probe_le64(img + start + 32);
		off = probe_le64(img + start + 40);
		n = probe_le64(img + start + 48);
		/* area <= size - start: start + area could wrap around (start < size above). */
		if (area >= 512 && off >= 512 && off < area && n && n <= area - 512 && n < 65536 &&
		    area <= size - start) {
			uint8_t t[65536];

			for (i = 0; i < n; i++)
				t[i] = img[start + (off + i < area ? off + i : off + i - area + 512)];
			wr32(img + start + 56, lvm_crc(LVM_CRC_INITIAL, t, (size_t)n));
		}
		wr32(img + start, lvm_crc(LVM_CRC_INITIAL, img + start + 4, 512 - 4));
		return;
	}
}

static void check_vg(void)
{
	static struct dm_target t[LVM_VG_SEGS];
	static char params[DM_TABLE_BUF_MAX];
	static uint8_t pvdata[LVM_VG_PVS][4096];
	const char *dev[LVM_VG_PVS];
	struct mem_dev pv[LVM_VG_PVS];
	char name[DM_NAME_MAX], uuid[DM_NAME_MAX], a[LVM_NAME_MAX], b[LVM_NAME_MAX], msg[256];
	struct lvm_lv_dev r;
	uint8_t buf[700];
	int i, j, n;

	FUZZ_CHECK(vg.pvs <= LVM_VG_PVS && vg.lvs <= LVM_VG_LVS && vg.segs <= LVM_VG_SEGS &&
		   vg.areas <= LVM_VG_AREAS, "counts past the bounds");
	FUZZ_CHECK(lvm_name_valid(vg.name) && strlen(vg.id) == LVM_ID_LEN && vg.extent_size,
		   "a VG taken without its name, id or extent size");
	for (i = 0; i < vg.pvs; i++) {
		dev[i] = "254:0";
		/* Each PV as large as its extents say, but only 4 KiB of bytes: reads past them are -EIO. */
		mem_dev_init(&pv[i], pvdata[i], sizeof(pvdata[i]),
			     (vg.pv[i].pe_start + vg.pv[i].pe_count * vg.extent_size) * 512, 0);
	}
	for (i = 0; i < vg.lvs; i++) {
		const struct lvm_lv *lv = &vg.lv[i];

		FUZZ_CHECK(lvm_name_valid(lv->name) && strlen(lv->id) == LVM_ID_LEN, "LV name or id");
		FUZZ_CHECK(lv->seg + lv->segs <= vg.segs && lv->refusal <= LVM_REFUSE_MOVING, "LV fields");
		lvm_refusal_text(&vg, lv, msg, sizeof(msg));
		FUZZ_CHECK(fuzz_terminated(msg, sizeof(msg)), "refusal text");
		if (!lvm_dm_name(name, sizeof(name), vg.name, lv->name)) {
			FUZZ_CHECK(!lvm_dm_split(name, a, sizeof(a), b, sizeof(b)) && !strcmp(a, vg.name) &&
				   !strcmp(b, lv->name), "dm name %s does not split back", name);
		}
		FUZZ_CHECK(!lvm_dm_uuid(uuid, sizeof(uuid), &vg, lv) && strlen(uuid) == 68, "uuid");
		n = lvm_lv_table(&vg, lv, dev, t, LVM_VG_SEGS, params, sizeof(params));
		if (lv->refusal != LVM_OK) {
			FUZZ_CHECK(n == -EINVAL, "a refused LV got a table: %d", n);
			continue;
		}
		FUZZ_CHECK(n == lv->segs || n == -ENOSPC, "table of a mappable LV: %d", n);
		for (j = 1; j > 0 && j < n; j++)
			FUZZ_CHECK(t[j].start == t[j - 1].start + t[j - 1].length, "targets not contiguous");
		if (n > 0)
			FUZZ_CHECK(t[n - 1].start + t[n - 1].length == (uint64_t)lv->extents * vg.extent_size,
				   "targets do not cover the LV");
		lvm_lv_dev_init(&r, &vg, lv);
		for (j = 0; j < vg.pvs; j++)
			r.pv[j] = &pv[j].dev;
		if (r.dev.size) {
			uint64_t at[] = { 0, r.dev.size - 1, r.dev.size / 2, r.dev.size > 4000 ? r.dev.size - 4000 : 0 };

			for (j = 0; j < 4; j++) {
				size_t len = r.dev.size - at[j] < sizeof(buf) ? (size_t)(r.dev.size - at[j]) : sizeof(buf);
				int e = r.dev.read(r.dev.ctx, at[j], buf, len);

				FUZZ_CHECK(e == 0 || e == -EIO, "read in place: %d", e);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t img[1 << 20];
	char why[LVM_WHY_MAX];
	struct lvm_label l;
	struct mem_dev m;
	size_t len;
	int e, i;

	if (!size)
		return 0;
	if (data[0] == 't') {
		why[0] = '\0';
		e = lvm_meta_parse((const char *)data + 1, size - 1, &vg, why, sizeof(why));
		FUZZ_CHECK(e == 0 || ((e == -EINVAL || e == -E2BIG) && why[0] && fuzz_terminated(why, sizeof(why))),
			   "parse returned %d without a reason", e);
		if (!e)
			check_vg();
		return 0;
	}
	size--;
	if (size > sizeof(img))
		size = sizeof(img);
	memcpy(img, data + 1, size);
	if (data[0] == 'c')
		fix(img, size);
	mem_dev_init(&m, img, size, size, 0);
	e = lvm_label_read(&m.dev, &l, why, sizeof(why));
	FUZZ_CHECK(e == 0 || e == -ENOENT || e == -EBADMSG || e == -EIO, "label: %d", e);
	if (e)
		return 0;
	FUZZ_CHECK(strlen(l.pv_id) == LVM_ID_LEN && l.mdas <= LVM_MDAS && l.sector < 4, "label fields");
	md_magic_at_end(&m.dev);
	for (i = 0; i < l.mdas; i++) {
		e = lvm_mda_read(&m.dev, l.mda_start[i], text, sizeof(text), &len, why, sizeof(why));
		FUZZ_CHECK(e == 0 || e == -ENOENT || e == -EBADMSG || e == -EFBIG || e == -EIO,
			   "area: %d", e);
		if (e)
			continue;
		FUZZ_CHECK(len < sizeof(text) && !text[len], "text not terminated");
		if (!lvm_meta_parse(text, len, &vg, why, sizeof(why)))
			check_vg();
	}
	return 0;
}
