/*
 * LVM2 physical volumes and their volume groups, read-only and without
 * lvm2: the label ("LABELONE" in one of the first four sectors), the PV
 * header, the metadata area's header and its newest committed text
 * (lib/format_text/layout.h, lib/label/label.h of lvm2), parsed by a
 * bounded reader of our own into fixed structs; then the device-mapper
 * tables of linear and striped logical volumes, named as lvm2 names them.
 * Pure but for the reads through struct probe_dev: shared with the unit
 * test, the fuzzer and handoff-probe. storage/lvm.c is the stage.
 */
#ifndef HANDOFF_LVM_H
#define HANDOFF_LVM_H

#include "find/probe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LVM_ID_LEN 32		/* an id without its dashes (lvm2's ID_LEN) */
#define LVM_ID_TEXT 39		/* with them ("6-4-4-4-4-4-6") and a NUL */
#define LVM_NAME_MAX 128	/* a VG or LV name and its NUL (lvm2's NAME_LEN) */
#define LVM_PV_KEY_MAX 16	/* "pv0": how the segments name a PV */
#define LVM_DEVICE_MAX 64	/* the device a PV was on, as the metadata recorded it */
#define LVM_TYPE_MAX 24		/* a segment type: "striped", "thin-pool", "raid1" */
#define LVM_MDAS 2		/* metadata areas read per PV (lvm2 writes at most 2) */
/* Bounds of one volume group; more is refused, named. */
#define LVM_VG_PVS 16
#define LVM_VG_LVS 64		/* a bit each in the stage's masks */
#define LVM_VG_SEGS 256
#define LVM_VG_AREAS 512	/* stripes of every segment together */
/* The metadata text read; lvm2 keeps it under half its area (1 MiB by default). */
#define LVM_TEXT_MAX (256 * 1024)
#define LVM_WHY_MAX 192

#define LVM_SECTOR 512
#define LVM_LABEL_SCAN 4	/* sectors where the label may be */

/* Status words of the metadata that matter here. */
enum {
	LVM_READ = 1 << 0,
	LVM_WRITE = 1 << 1,
	LVM_VISIBLE = 1 << 2,		/* LV: not a hidden component */
	LVM_EXPORTED = 1 << 3,		/* VG: vgexport'ed */
	LVM_SHARED = 1 << 4,		/* VG: SHARED, CLUSTERED or a lock_type (lvmlockd, clvmd) */
	LVM_MISSING = 1 << 5,		/* PV: recorded as missing */
	LVM_LOCKED = 1 << 6,		/* LV: a pvmove in progress */
	LVM_WRITE_LOCKED = 1 << 7,	/* WRITE for lvm2 >= 2.02.158 under a lock */
};

/* The label and PV header of a physical volume. */
struct lvm_label {
	char pv_id[LVM_ID_LEN + 1];
	uint64_t sector;	/* where the label was */
	uint64_t dev_size;	/* bytes, as pvcreate saw the device */
	int mdas;		/* metadata areas (0: a PV without metadata) */
	uint64_t mda_start[LVM_MDAS], mda_size[LVM_MDAS];	/* bytes */
};

/*
 * Reads the label and PV header: 0; -ENOENT, no LVM label; -EBADMSG, a
 * label that is damaged (its checksum, sector number or header), said in
 * why; -errno of a read.
 */
int lvm_label_read(const struct probe_dev *d, struct lvm_label *l, char *why, size_t size);

/*
 * The newest committed metadata text of the area at start (bytes) into
 * buf, NUL-terminated, *len its length: the area header's checksum, magic
 * and start checked, the text's checksum checked (read in two pieces when
 * it wraps round the end of the circular area). 0; -ENOENT, no metadata
 * there (an empty area, or one lvm2 marked ignored); -EBADMSG, damaged;
 * -EFBIG, larger than size - 1 bytes; why says which.
 */
int lvm_mda_read(const struct probe_dev *d, uint64_t start, char *buf, size_t size, size_t *len,
		 char *why, size_t whysize);

/* lvm2's CRC of the label, the area header and the text (lib/misc/crc.c's calc_crc). */
#define LVM_CRC_INITIAL 0xf597a6cfu
uint32_t lvm_crc(uint32_t crc, const void *buf, size_t len);

/* The metadata, parsed. */
struct lvm_pv {
	char key[LVM_PV_KEY_MAX];	/* "pv0" */
	char id[LVM_ID_LEN + 1];
	char device[LVM_DEVICE_MAX];	/* a hint: where lvm2 last saw it */
	unsigned int status;
	uint64_t pe_start;		/* sectors */
	uint64_t pe_count;
};

struct lvm_area {
	uint32_t pe;			/* the first extent on the PV */
	uint8_t pv;			/* index in vg->pv */
};

struct lvm_seg {
	uint32_t start, count;		/* extents of the LV */
	uint32_t stripes;		/* areas: 1 for linear */
	uint32_t stripe_size;		/* sectors */
	uint16_t area;			/* its first in vg->area */
	uint16_t areas;			/* stripes read */
	char type[LVM_TYPE_MAX];	/* "striped", or what is refused */
};

/* Why an LV is not mapped here. */
enum lvm_refusal {
	LVM_OK,
	LVM_REFUSE_TYPE,	/* a segment type other than striped: seg names it */
	LVM_REFUSE_ORIGIN,	/* the origin of a snapshot: its writes go through it */
	LVM_REFUSE_COW,		/* a snapshot's exception store */
	LVM_REFUSE_ON_LV,	/* a segment on another LV (pvmove) */
	LVM_REFUSE_HIDDEN,	/* a component, not VISIBLE */
	LVM_REFUSE_NO_READ,	/* no READ status */
	LVM_REFUSE_MOVING,	/* LOCKED: a pvmove in progress */
};

struct lvm_lv {
	char name[LVM_NAME_MAX];
	char id[LVM_ID_LEN + 1];
	unsigned int status;
	uint16_t seg, segs;		/* vg->seg[seg .. seg + segs), in extent order */
	uint32_t extents;
	uint8_t refusal;		/* enum lvm_refusal */
	uint16_t refusal_seg;		/* LVM_REFUSE_TYPE: the segment */
};

struct lvm_vg {
	char name[LVM_NAME_MAX];
	char id[LVM_ID_LEN + 1];
	uint32_t seqno;
	uint32_t extent_size;		/* sectors */
	unsigned int status;
	int pvs, lvs, segs, areas;
	struct lvm_pv pv[LVM_VG_PVS];
	struct lvm_lv lv[LVM_VG_LVS];
	struct lvm_seg seg[LVM_VG_SEGS];
	struct lvm_area area[LVM_VG_AREAS];
};

/*
 * The text of one metadata area into vg: 0, or -EINVAL (a syntax error,
 * a field missing or out of range) or -E2BIG (beyond the bounds above),
 * said in why with the line. LVs that cannot be mapped are kept, with
 * their refusal.
 */
int lvm_meta_parse(const char *text, size_t len, struct lvm_vg *vg, char *why, size_t size);

/* What a refused LV is, for a message: "segment type thin", "the origin of a snapshot". */
void lvm_refusal_text(const struct lvm_vg *vg, const struct lvm_lv *lv, char *buf, size_t size);
/* "linear" or "striped" */
const char *lvm_lv_kind(const struct lvm_vg *vg, const struct lvm_lv *lv);

/* lvm2's name rules for a VG or LV name: [A-Za-z0-9._+-], no leading '-', not "." or "..". */
bool lvm_name_valid(const char *s);

/* The id with lvm2's dashes, for messages: "Xr2t1Q-...". */
void lvm_id_text(char *out, const char *id);

/*
 * The device-mapper name lvm2 gives an LV: "VG-LV", each '-' inside the
 * names doubled. 0, or -ENAMETOOLONG.
 */
int lvm_dm_name(char *buf, size_t size, const char *vg, const char *lv);
/* The reverse: "VG-LV" into its names; -EINVAL when it is not one, -ENAMETOOLONG. */
int lvm_dm_split(const char *name, char *vg, size_t vgsize, char *lv, size_t lvsize);
/* Its dm uuid: "LVM-" VG id, LV id, so that lvm2 owns it after the switch. */
int lvm_dm_uuid(char *buf, size_t size, const struct lvm_vg *vg, const struct lvm_lv *lv);

/*
 * The LV's table: a linear or striped target per segment, written into
 * t[] (at most max) with their parameters in params. dev[i] is vg->pv[i]'s
 * "MAJ:MIN". Returns the number of targets, or -E2BIG (more than max),
 * -ENOSPC (params too small), -EINVAL (a refused LV).
 */
struct dm_target;
int lvm_lv_table(const struct lvm_vg *vg, const struct lvm_lv *lv, const char *const dev[],
		 struct dm_target *t, int max, char *params, size_t size);

/*
 * An LV read in place through its PVs, as its table would map it: for
 * probing what it holds before choosing to activate it. pv[i] is
 * vg->pv[i]'s device (NULL when absent: reads there fail with -ENXIO).
 */
struct lvm_lv_dev {
	struct probe_dev dev;
	const struct lvm_vg *vg;
	const struct lvm_lv *lv;
	const struct probe_dev *pv[LVM_VG_PVS];
};
void lvm_lv_dev_init(struct lvm_lv_dev *r, const struct lvm_vg *vg, const struct lvm_lv *lv);

/*
 * What the scan learnt (storage/lvm.c), kept in the plan: every PV seen,
 * by its device, and the newest metadata of each volume group, by id.
 */
#define LVM_SEEN_PVS 32
#define LVM_SEEN_VGS 8

struct lvm_seen_pv {
	char id[LVM_ID_LEN + 1];
	char name[64];			/* the kernel's: vdb, dm-3 */
	unsigned int major, minor;
	uint64_t size;			/* bytes */
	long seen_ms;			/* when it appeared (log_ms()) */
	long open_ms, looked_ms, parse_ms;	/* its last look (rd.debug's steps) */
	bool said;			/* its metadata's problem was said */
};

struct lvm_seen_vg {
	struct lvm_vg vg;
	/* A bit per LV index: */
	uint64_t active;		/* mapped by us (or found mapped) */
	uint64_t failed;		/* refused or failed, said once */
	uint64_t probed;		/* its content looked at for an identity */
	uint64_t matched;		/* and it is one the plan waits for */
	bool said;			/* a VG-wide refusal was said */
	bool timed;			/* the activation time was said */
	long resumed_ms;		/* when its last table went live */
	long mapping_ms;		/* when its mapping began (for rd.debug's steps) */
	long dm_ms;			/* in device-mapper's ioctls (for rd.debug's steps) */
};

struct lvm_state {
	int pvs, vgs;
	struct lvm_seen_pv pv[LVM_SEEN_PVS];
	struct lvm_seen_vg vg[LVM_SEEN_VGS];
	struct lvm_vg scratch;		/* the text being parsed */
	uint32_t specs;			/* a sum of the identities wanted: probe again when it changes */
	bool full_said;
	bool ahead;			/* the root's mapping is made ahead (dm_prepare()), not taken */
	int ahead_fd;			/* then the control fd dm_prepare() kept, for dm_finish() or dm_discard() */
	char ahead_name[128];		/* its dm name */
};

#endif
