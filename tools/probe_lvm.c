/*
 * handoff-probe lvm FILE...: LVM physical volumes as the init reads them
 * (init/lvm/): each file's label and metadata, then the newest metadata's
 * volume group, its LVs with their dm names, uuids and tables, and, when
 * the files hold every PV an LV is on, what the LV holds (read in place,
 * as the init does for root=UUID=). Exit: 0 read, 1 an error.
 */
#include "probe_lvm.h"
#include "dm/dm.h"
#include "lvm/lvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES_MAX LVM_VG_PVS

static struct lvm_vg vg, best;	/* large: keep off the stack */
static char text[LVM_TEXT_MAX];

struct pvfile {
	const char *name;
	int fd;
	struct probe_dev dev;
	struct lvm_label label;
};

static int open_file(struct pvfile *f)
{
	struct stat st;
	char why[LVM_WHY_MAX], id[LVM_ID_TEXT];
	size_t len;
	int e, i;

	f->fd = open(f->name, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st)) {
		fprintf(stderr, "handoff-probe: %s: %s\n", f->name, strerror(errno));
		return -1;
	}
	f->dev = (struct probe_dev){ probe_fd_read, &f->fd, (uint64_t)st.st_size, 0 };
	e = lvm_label_read(&f->dev, &f->label, why, sizeof(why));
	if (e) {
		fprintf(stderr, "handoff-probe: %s: %s\n", f->name,
			e == -ENOENT ? "no LVM label" : e == -EBADMSG ? why : strerror(-e));
		return -1;
	}
	lvm_id_text(id, f->label.pv_id);
	printf("PV=%s PV_UUID=%s LABEL_SECTOR=%llu DEV_SIZE=%llu MDAS=%d\n", f->name, id,
	       (unsigned long long)f->label.sector, (unsigned long long)f->label.dev_size,
	       f->label.mdas);
	for (i = 0; i < f->label.mdas; i++) {
		e = lvm_mda_read(&f->dev, f->label.mda_start[i], text, sizeof(text), &len, why, sizeof(why));
		if (!e)
			e = lvm_meta_parse(text, len, &vg, why, sizeof(why));
		if (e) {
			printf("MDA%d=%llu ERROR=\"%s\"\n", i + 1, (unsigned long long)f->label.mda_start[i],
			       e == -ENOENT ? "no metadata" : why);
			continue;
		}
		printf("MDA%d=%llu VG=%s SEQNO=%u TEXT=%zu\n", i + 1,
		       (unsigned long long)f->label.mda_start[i], vg.name, vg.seqno, len);
		if (!best.name[0] || vg.seqno > best.seqno)
			best = vg;
	}
	return 0;
}

static void show_lv(const struct lvm_lv *lv, struct pvfile *files, int n)
{
	static struct dm_target t[LVM_VG_SEGS];
	static char params[DM_TABLE_BUF_MAX];
	char name[DM_NAME_MAX], uuid[DM_NAME_MAX], why[200], devs[LVM_VG_PVS][16];
	const char *dev[LVM_VG_PVS];
	struct lvm_lv_dev r;
	struct probe_fs fs;
	int i, j, k, missing = 0;

	lvm_dm_name(name, sizeof(name), best.name, lv->name);
	lvm_dm_uuid(uuid, sizeof(uuid), &best, lv);
	printf("LV=%s DM_NAME=%s DM_UUID=%s SEGMENTS=%d EXTENTS=%u", lv->name, name, uuid, lv->segs,
	       lv->extents);
	if (lv->refusal != LVM_OK) {
		lvm_refusal_text(&best, lv, why, sizeof(why));
		printf(" REFUSED=\"%s\"\n", why);
		return;
	}
	printf(" KIND=%s", lvm_lv_kind(&best, lv));
	lvm_lv_dev_init(&r, &best, lv);
	for (i = 0; i < best.pvs; i++) {
		snprintf(devs[i], sizeof(devs[i]), "%s", best.pv[i].key);
		dev[i] = devs[i];
		for (j = 0; j < n; j++)
			if (!strcmp(files[j].label.pv_id, best.pv[i].id))
				r.pv[i] = &files[j].dev;
	}
	for (i = 0; i < lv->segs; i++)
		for (k = 0; k < best.seg[lv->seg + i].areas; k++)
			missing |= !r.pv[best.area[best.seg[lv->seg + i].area + k].pv];
	if (!missing && !probe_filesystem(&r.dev, &fs))
		printf(" TYPE=%s UUID=%s LABEL=\"%s\"", fs.type, fs.uuid, fs.label);
	putchar('\n');
	k = lvm_lv_table(&best, lv, dev, t, LVM_VG_SEGS, params, sizeof(params));
	for (i = 0; i < k; i++)
		printf("TABLE %s %llu %llu %s %s\n", name, (unsigned long long)t[i].start,
		       (unsigned long long)t[i].length, t[i].type, t[i].params);
}

int probe_lvm_show(int n, char **names)
{
	static struct pvfile files[FILES_MAX];
	char id[LVM_ID_TEXT];
	int i, j, e = 0;

	if (n > FILES_MAX) {
		fprintf(stderr, "handoff-probe: at most %d PVs\n", FILES_MAX);
		return 1;
	}
	for (i = 0; i < n; i++) {
		files[i].name = names[i];
		e |= open_file(&files[i]);
	}
	if (!best.name[0]) {
		fprintf(stderr, "handoff-probe: no readable LVM metadata\n");
		e = -1;
		goto out;
	}
	lvm_id_text(id, best.id);
	printf("VG=%s VG_UUID=%s SEQNO=%u EXTENT_SIZE=%u PVS=%d LVS=%d%s%s\n", best.name, id, best.seqno,
	       best.extent_size, best.pvs, best.lvs, best.status & LVM_EXPORTED ? " EXPORTED" : "",
	       best.status & LVM_SHARED ? " SHARED" : "");
	for (i = 0; i < best.pvs; i++) {
		lvm_id_text(id, best.pv[i].id);
		for (j = 0; j < n && strcmp(files[j].label.pv_id, best.pv[i].id); j++)
			;
		printf("VG_PV=%s PV_UUID=%s DEVICE=%s PE_START=%llu PE_COUNT=%llu%s%s\n", best.pv[i].key, id,
		       best.pv[i].device, (unsigned long long)best.pv[i].pe_start,
		       (unsigned long long)best.pv[i].pe_count, j < n ? " FILE=" : " MISSING",
		       j < n ? files[j].name : "");
	}
	for (i = 0; i < best.lvs; i++)
		show_lv(&best.lv[i], files, n);
out:
	for (i = 0; i < n; i++)
		if (files[i].fd >= 0)
			close(files[i].fd);
	return e ? 1 : 0;
}
