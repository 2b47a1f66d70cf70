/*
 * LVM volume groups, activated as their physical volumes appear (scan.h):
 * each block device's label and metadata read (lvm/), the newest
 * metadata of each VG kept by its id; once a VG has all its PVs, the
 * logical volumes the boot needs are mapped by device-mapper as lvm2
 * would map them (the same names and uuids, so the real system's lvm2
 * takes them over), with /dev/VG/LV beside /dev/mapper/VG-LV. Which LVs:
 * rd.lvm.vg=, rd.lvm.lv=, and those a device the plan waits for names by
 * path, or by identity (UUID=, LABEL=: the LVs' contents are read in
 * place through their PVs, and only the one that matches is activated).
 * PVs are only read.
 */
#include "storage/scan.h"
#include "base/log.h"
#include "base/util.h"
#include "dm/dm.h"
#include "find/blockdev.h"
#include "find/identify.h"
#include "lvm/lvm.h"
#include "md/md.h"
#include "modules/modules.h"
#include "plan/plan.h"
#include "shutdown/shutdown.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Scratch: one metadata area's text, read and parsed at once (PID 1 has one thread). */
static char text[LVM_TEXT_MAX];

#define SPECS_MAX (4 + PLAN_ASSEMBLIES_MAX * 2)

/* The devices the plan waits for, in the forms that can name an LV. */
struct specs {
	struct root_spec s[SPECS_MAX];
	int n;
	bool identity;		/* one is UUID= or LABEL= */
};

static void add_spec(struct specs *w, const struct root_spec *s)
{
	if (w->n >= SPECS_MAX)
		return;
	if (s->kind != ROOT_DEVNAME && s->kind != ROOT_UUID && s->kind != ROOT_LABEL)
		return;
	w->identity |= s->kind != ROOT_DEVNAME;
	w->s[w->n++] = *s;
}

static void add_text(struct specs *w, const char *value)
{
	struct root_spec s;
	const char *why;

	if (value && value[0] && !rootspec_parse(value, &s, &why))
		add_spec(w, &s);
}

static void plan_specs(const struct boot_plan *plan, struct specs *w)
{
	const struct boot_params *p = &plan->params;
	int i;

	w->n = 0;
	w->identity = false;
	if (!plan->root_error && !plan->layered)
		add_spec(w, &plan->root);
	if (plan->want_usr && !plan->usr_error)
		add_spec(w, &plan->usr);
	if (!p->noresume)
		add_text(w, p->resume);
	for (i = 0; i < plan->assemblies; i++) {
		add_text(w, plan->assemble[i].source);
		add_text(w, plan->assemble[i].keydev);
	}
	add_text(w, p->verity_data);
	add_text(w, p->verity_hash);
}

/* "VG/LV" into its names. */
static bool split_path(const char *s, char *vg, char *lv)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : 0;

	if (!slash || n >= LVM_NAME_MAX || str_copy(lv, slash + 1, LVM_NAME_MAX))
		return false;
	memcpy(vg, s, n);
	vg[n] = '\0';
	return lvm_name_valid(vg) && lvm_name_valid(lv);
}

/*
 * The VG and LV a word or spec names by path: rd.lvm.lv=VG/LV,
 * /dev/VG/LV, /dev/mapper/VG-LV (only as lvm2 would name it: not
 * "luks-UUID"). lv is "" for rd.lvm.vg=VG. false: none.
 */
static bool named(const char *word, const char *val, char *vg, char *lv)
{
	char dm[DM_NAME_MAX];

	lv[0] = '\0';
	if (!strcmp(word, "lvm.vg"))
		return !str_copy(vg, val, LVM_NAME_MAX) && lvm_name_valid(vg);
	if (!strcmp(word, "lvm.lv"))
		return split_path(val, vg, lv);
	if (str_starts(val, "mapper/"))
		return !lvm_dm_split(val + 7, vg, LVM_NAME_MAX, lv, LVM_NAME_MAX) &&
		       lvm_name_valid(vg) && lvm_name_valid(lv) &&
		       !lvm_dm_name(dm, sizeof(dm), vg, lv) && !strcmp(dm, val + 7);
	return split_path(val, vg, lv);
}

/*
 * Whether the plan names an LV of the VG by path or parameter: lvname,
 * or with NULL any; *whole when rd.lvm.vg= names the VG itself.
 */
static bool plan_names(const struct boot_plan *plan, const struct specs *w, const char *vgname,
		       const char *lvname, bool *whole)
{
	const struct boot_params *p = &plan->params;
	char vg[LVM_NAME_MAX], lv[LVM_NAME_MAX];
	bool one = false;
	int i;

	*whole = false;
	for (i = 0; i < p->volwords + w->n; i++) {
		if (i < p->volwords ? !str_starts(p->volword[i], "lvm.") ||
				      !named(p->volword[i], p->volval[i], vg, lv) :
				      w->s[i - p->volwords].kind != ROOT_DEVNAME ||
				      !named("", w->s[i - p->volwords].value, vg, lv))
			continue;
		if (strcmp(vg, vgname))
			continue;
		if (!lv[0])
			*whole = true;
		else if (!lvname || !strcmp(lv, lvname))
			one = true;
	}
	return one;
}

/* The device a PV of the VG is on, or NULL; *dup the other one when two carry its id. */
static const struct lvm_seen_pv *pv_device(const struct lvm_state *s, const struct lvm_pv *pv,
					   const struct lvm_seen_pv **dup)
{
	const struct lvm_seen_pv *found = NULL;
	int i;

	*dup = NULL;
	if (pv->status & LVM_MISSING)
		return NULL;
	for (i = 0; i < s->pvs; i++) {
		if (strcmp(s->pv[i].id, pv->id))
			continue;
		if (!found) {
			found = &s->pv[i];
		} else if (str_starts(s->pv[i].name, "dm-") != str_starts(found->name, "dm-")) {
			/* Multipath: the dm device over its paths is the PV. */
			if (str_starts(s->pv[i].name, "dm-"))
				found = &s->pv[i];
		} else {
			*dup = &s->pv[i];
		}
	}
	return found;
}

/* How many of the VG's PVs are present; when the last appeared (and which), when all are. */
static int present(const struct lvm_state *s, const struct lvm_vg *vg, long *last,
		   const struct lvm_seen_pv **which)
{
	const struct lvm_seen_pv *d, *dup;
	int i, n = 0;

	*last = 0;
	for (i = 0; i < vg->pvs; i++) {
		d = pv_device(s, &vg->pv[i], &dup);
		if (!d)
			continue;
		n++;
		if (d->seen_ms < *last)
			continue;
		*last = d->seen_ms;
		if (which)
			*which = d;
	}
	return n;
}

/* Two devices with one PV's id: which is the PV cannot be told; neither is used. */
static bool duplicated(const struct lvm_state *s, struct lvm_seen_vg *sv)
{
	const struct lvm_seen_pv *d, *dup;
	char id[LVM_ID_TEXT];
	int i;

	for (i = 0; i < sv->vg.pvs; i++) {
		d = pv_device(s, &sv->vg.pv[i], &dup);
		if (!dup)
			continue;
		if (!sv->said) {
			lvm_id_text(id, d->id);
			err("volume group %s: its physical volume %s is on both /dev/%s and /dev/%s: not activating it",
			    sv->vg.name, id, d->name, dup->name);
			err("hint: detach the copy (a cloned disk, or a snapshot of it), or give one a new id with vgimportclone on the real system");
			sv->said = true;
		}
		return true;
	}
	return false;
}

/* The PV's device made readable for an LV read in place. */
struct pv_open {
	int fd[LVM_VG_PVS];
	struct probe_dev dev[LVM_VG_PVS];
};

static void open_pvs(const struct lvm_state *s, const struct lvm_vg *vg, struct pv_open *o,
		     struct lvm_lv_dev *r)
{
	const struct lvm_seen_pv *d, *dup;
	struct blockdev b = { 0 };
	struct stat st;
	int i;

	for (i = 0; i < vg->pvs; i++) {
		o->fd[i] = -1;
		d = pv_device(s, &vg->pv[i], &dup);
		if (!d || str_copy(b.name, d->name, sizeof(b.name)))
			continue;
		o->fd[i] = blockdev_open(&b);
		/* The node is the device the label was read on, not one that took its name. */
		if (o->fd[i] >= 0 && (fstat(o->fd[i], &st) || st.st_rdev != makedev(d->major, d->minor))) {
			close(o->fd[i]);
			o->fd[i] = -1;
		}
		if (o->fd[i] < 0)
			continue;
		o->dev[i] = (struct probe_dev){ probe_fd_read, &o->fd[i], d->size, 0 };
		r->pv[i] = &o->dev[i];
	}
}

static void close_pvs(const struct lvm_vg *vg, struct pv_open *o)
{
	int i;

	for (i = 0; i < vg->pvs; i++)
		if (o->fd[i] >= 0)
			close(o->fd[i]);
}

/* Whether what the LV holds is a device the plan waits for by identity. */
static bool lv_matches(const struct lvm_state *s, const struct lvm_vg *vg, const struct lvm_lv *lv,
		       const struct specs *w)
{
	struct lvm_lv_dev r;
	struct pv_open o;
	struct probe_fs fs;
	bool match = false;
	int i;

	lvm_lv_dev_init(&r, vg, lv);
	open_pvs(s, vg, &o, &r);
	if (!probe_filesystem(&r.dev, &fs))
		for (i = 0; i < w->n && !match; i++)
			match = w->s[i].kind != ROOT_DEVNAME && spec_matches_fs(&w->s[i], &fs);
	close_pvs(vg, &o);
	return match;
}

/* /dev/VG/LV -> ../mapper/NAME, as lvm2 (through udev) makes it. */
static void link_lv(const struct lvm_vg *vg, const struct lvm_lv *lv, const char *name)
{
	char dir[8 + LVM_NAME_MAX], path[8 + 2 * LVM_NAME_MAX], target[16 + DM_NAME_MAX];
	struct stat st;

	fmt_buf(dir, sizeof(dir), "/dev/%s", vg->name);
	fmt_buf(path, sizeof(path), "/dev/%s/%s", vg->name, lv->name);
	fmt_buf(target, sizeof(target), "../mapper/%s", name);
	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail;
	if (!lstat(path, &st) && S_ISLNK(st.st_mode))
		unlink(path);
	if (!symlink(target, path))
		return;
fail:
	warn("volume group %s: cannot make %s: %s (use /dev/mapper/%s)", vg->name, path,
	     errtext(-errno), name);
}

/* Maps one LV: its table loaded and resumed, its nodes made, recorded for the way back. */
static int activate(struct lvm_state *s, struct lvm_seen_vg *sv, int i, bool quiet)
{
	static struct dm_target t[LVM_VG_SEGS];
	static char params[DM_TABLE_BUF_MAX];
	const struct lvm_vg *vg = &sv->vg;
	const struct lvm_lv *lv = &vg->lv[i];
	char devs[LVM_VG_PVS][24], why[LVM_WHY_MAX], name[DM_NAME_MAX], uuid[DM_NAME_MAX];
	const char *dev[LVM_VG_PVS];
	const struct lvm_seen_pv *d, *dup;
	struct dm_device out;
	bool ro, ahead;
	long at;
	int j, n, e;

	sv->failed |= 1ull << i;	/* until it is done */
	if (lv->refusal != LVM_OK) {
		/* Made ahead for a root it cannot be: removed now. */
		if (s->ahead && !lvm_dm_name(name, sizeof(name), vg->name, lv->name) &&
		    !strcmp(name, s->ahead_name)) {
			s->ahead = false;
			if (!dm_discard(s->ahead_fd, name))
				debug("LVM: /dev/mapper/%s, made ahead, removed", name);
			close(s->ahead_fd);
		}
		lvm_refusal_text(vg, lv, why, sizeof(why));
		log_msg(quiet ? LOG_WARN : LOG_ERR, "volume group %s: not activating %s: %s", vg->name,
			lv->name, why);
		if (!quiet)
			err("hint: activate it on the real system, or keep the root on a linear or striped logical volume");
		return -EOPNOTSUPP;
	}
	if (lvm_dm_name(name, sizeof(name), vg->name, lv->name) || lvm_dm_uuid(uuid, sizeof(uuid), vg, lv)) {
		err("volume group %s: %s: the device-mapper name is longer than %d bytes: not activating it",
		    vg->name, lv->name, DM_NAME_MAX - 1);
		return -ENAMETOOLONG;
	}
	for (j = 0; j < vg->pvs; j++) {
		d = pv_device(s, &vg->pv[j], &dup);
		fmt_buf(devs[j], sizeof(devs[j]), "%u:%u", d ? d->major : 0, d ? d->minor : 0);
		dev[j] = devs[j];
	}
	n = lvm_lv_table(vg, lv, dev, t, LVM_VG_SEGS, params, sizeof(params));
	/* lvm2 maps an LV read-only when it or its VG lacks WRITE. */
	ro = !(lv->status & (LVM_WRITE | LVM_WRITE_LOCKED)) || !(vg->status & (LVM_WRITE | LVM_WRITE_LOCKED));
	ahead = s->ahead && !strcmp(name, s->ahead_name);
	at = log_ms();
	if (n < 0)
		e = n;
	else if (ahead)
		e = dm_finish(s->ahead_fd, name, uuid, t, n, ro, &out);	/* made ahead: lvm_prepare() */
	else
		e = dm_create(name, uuid, t, n, ro, &out);
	if (ahead)
		s->ahead = false;	/* taken, or removed by the failure */
	if (e) {
		err("volume group %s: cannot activate %s as /dev/mapper/%s: %s%s", vg->name, lv->name,
		    name, errtext(e),
		    e == -ENOENT || e == -ENODEV ?
		    " (a kernel without device-mapper: enable CONFIG_BLK_DEV_DM, or add dm_mod: make initramfs KVER=... MODULES=+dm_mod)" :
		    e == -EBUSY || e == -EEXIST ? " (a mapping of that name exists already)" :
		    e == -ENOSPC || e == -E2BIG ? " (too many segments for one table here: activate it on the real system)" : "");
		return e;
	}
	sv->resumed_ms = out.live_ms;	/* the table is live: what the timing measures */
	sv->dm_ms += sv->resumed_ms - at;
	sv->failed &= ~(1ull << i);
	sv->active |= 1ull << i;
	link_lv(vg, lv, name);
	wayback_remember("dm", name);
	info("volume group %s: activated %s (%s, %d segment%s%s) as %s", vg->name, lv->name,
	     lvm_lv_kind(vg, lv), lv->segs, lv->segs == 1 ? "" : "s", ro ? ", read-only" : "", out.node);
	return 0;
}

/* A volume group's wanted LVs, once it is whole. */
static void settle_vg(struct lvm_state *s, const struct boot_plan *plan, struct lvm_seen_vg *sv,
		      const struct specs *w)
{
	const struct lvm_vg *vg = &sv->vg;
	uint64_t want = 0, quiet = 0, bit, done = sv->active | sv->failed;
	const struct lvm_seen_pv *lp = NULL;
	bool whole, did = false;
	long last;
	int i;

	for (i = 0; i < vg->lvs; i++) {
		if (plan_names(plan, w, vg->name, vg->lv[i].name, &whole))
			want |= 1ull << i;
		else if (whole && (vg->lv[i].status & LVM_VISIBLE))
			want |= 1ull << i, quiet |= 1ull << i;	/* rd.lvm.vg=: every LV, as lvm2 does */
	}
	if (!(want & ~done) && !w->identity)
		return;
	if (present(s, vg, &last, &lp) < vg->pvs)
		return;		/* lvm_explain() says what is missing after the wait */
	if (vg->status & (LVM_EXPORTED | LVM_SHARED)) {
		if (!sv->said && (want & ~done)) {
			err("volume group %s is %s: not activating it", vg->name,
			    vg->status & LVM_EXPORTED ? "exported (vgexport)" : "shared (lvmlockd or clvmd)");
			err("hint: %s", vg->status & LVM_EXPORTED ? "vgimport it on the real system" :
			    "make it a local volume group (vgchange --locktype none) to boot from it");
			sv->said = true;
		}
		return;
	}
	if (duplicated(s, sv))
		return;
	/* Identities: each mappable LV looked at once, in place; only a match is activated. */
	for (i = 0; w->identity && i < vg->lvs; i++) {
		bit = 1ull << i;
		if ((done | sv->probed) & bit || vg->lv[i].refusal != LVM_OK)
			continue;
		sv->probed |= bit;
		if (lv_matches(s, vg, &vg->lv[i], w))
			sv->matched |= bit;
	}
	want |= sv->matched;
	sv->mapping_ms = log_ms();
	for (i = 0; i < vg->lvs; i++)
		if ((want & ~done) & (1ull << i))
			did |= !activate(s, sv, i, (quiet & (1ull << i)) != 0);
	if (did && !sv->timed) {
		sv->timed = true;
		debug("volume group %s: active %ld ms after its last physical volume appeared (resumed at %ld ms since boot)",
		      vg->name, sv->resumed_ms - last, sv->resumed_ms);
		debug("volume group %s: steps (ms): %s %ld, read %ld, parse %ld, decide %ld, device-mapper %ld",
		      vg->name, lp->name, lp->open_ms, lp->looked_ms - lp->open_ms - lp->parse_ms,
		      lp->parse_ms, sv->mapping_ms - last - lp->looked_ms, sv->dm_ms);
	}
}

/* /dev/mapper/NAME that a LUKS or verity stage makes, not LVM. */
static bool assembly_named(const struct boot_plan *plan, const char *val)
{
	int i;

	for (i = 0; i < plan->assemblies; i++)
		if (str_starts(val, "mapper/") && !strcmp(plan->assemble[i].name, val + 7))
			return true;
	return str_starts(val, "mapper/") && !strcmp(val + 7, "root") && plan->params.roothash;
}

/*
 * The root's LV when root= names one by path: /dev/mapper/VG-LV or
 * /dev/VG/LV, not a LUKS or verity mapping, nor /dev/md/NAME (an
 * array's link). Its dm name into dm. Only a name nothing but this stage
 * makes can be made ahead: the root found means it was activated.
 */
static bool root_lv(const struct boot_plan *plan, char *dm)
{
	char vg[LVM_NAME_MAX], lv[LVM_NAME_MAX];

	if (plan->root_error || plan->layered || plan->root.kind != ROOT_DEVNAME ||
	    !named("", plan->root.value, vg, lv) || !lv[0] || !strcmp(vg, "md") ||
	    assembly_named(plan, plan->root.value))
		return false;
	return !lvm_dm_name(dm, DM_NAME_MAX, vg, lv);
}

/* Whether the plan names an LV by path or with rd.lvm.vg=, rd.lvm.lv=. */
static bool plan_names_lvm(const struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	char dm[DM_NAME_MAX];
	int i;

	for (i = 0; i < p->volwords; i++)
		if (str_starts(p->volword[i], "lvm."))
			return true;
	return root_lv(plan, dm);
}

/* Whether the VG of the LV dm names is whole already: nothing to make ahead of it. */
static bool vg_whole(const struct lvm_state *s, const char *dm)
{
	char vg[LVM_NAME_MAX], lv[LVM_NAME_MAX];
	long last;
	int i;

	if (lvm_dm_split(dm, vg, sizeof(vg), lv, sizeof(lv)))
		return false;
	for (i = 0; i < s->vgs; i++)
		if (!strcmp(s->vg[i].vg.name, vg))
			return present(s, &s->vg[i].vg, &last, NULL) == s->vg[i].vg.pvs;
	return false;
}

/*
 * After the first look (scan.h): device-mapper loaded now, while no disk is
 * there, rather than at the first table (between the last PV and the
 * root), when the image carries dm_mod for LVM: without dm_crypt (dm_mod
 * alone is taken for an LVM root: MODULES=host, or named), or with it (a
 * LUKS set, or any machine's) when the plan names an LV. Then the root's
 * mapping made ahead (dm_prepare()) unless its VG is whole already: the
 * kernel adds its disk now, not at its first table.
 */
void lvm_prepare(struct boot_plan *plan)
{
	char dm[DM_NAME_MAX];
	long t = log_ms();
	int e;

	if (modules_has("dm_mod") && (!modules_has("dm_crypt") || plan_names_lvm(plan)) &&
	    !modules_load_name("dm_mod"))
		debug("LVM: dm_mod loaded first, in %ld ms", log_ms() - t);
	if (!root_lv(plan, dm) || vg_whole(&plan->lvm, dm))
		return;
	t = log_ms();
	e = dm_prepare(dm);
	plan->lvm.ahead = e >= 0;
	plan->lvm.ahead_fd = e;
	str_copy(plan->lvm.ahead_name, dm, sizeof(plan->lvm.ahead_name));
	debug("LVM: /dev/mapper/%s made ahead: %s, in %ld ms", dm, e < 0 ? errtext(e) : "done", log_ms() - t);
}

long lvm_settle(struct boot_plan *plan)
{
	struct lvm_state *s = &plan->lvm;
	struct specs w;
	uint32_t sum = LVM_CRC_INITIAL;
	int i;

	if (!s->vgs)
		return -1;
	plan_specs(plan, &w);
	/* Other identities (a rescue shell's retry): every LV is looked at again. */
	for (i = 0; i < w.n; i++)
		if (w.s[i].kind != ROOT_DEVNAME)
			sum = lvm_crc(sum, w.s[i].value, strlen(w.s[i].value) + 1);
	if (sum != s->specs)
		for (i = 0; i < s->vgs; i++)
			s->vg[i].probed = s->vg[i].matched = 0;
	s->specs = sum;
	for (i = 0; i < s->vgs; i++)
		settle_vg(s, plan, &s->vg[i], &w);
	return -1;
}

/* The newest metadata wins, by seqno; an LV's state follows it by name. */
static void merge(struct lvm_state *s, const struct lvm_vg *vg, const char *from)
{
	struct lvm_seen_vg *sv;
	uint64_t active = 0;
	int i, j;

	for (i = 0; i < s->vgs && strcmp(s->vg[i].vg.id, vg->id); i++)
		;
	if (i == s->vgs) {
		if (s->vgs == LVM_SEEN_VGS) {
			if (!s->full_said)
				warn("/dev/%s: volume group %s not looked at: more than %d volume groups",
				     from, vg->name, LVM_SEEN_VGS);
			s->full_said = true;
			return;
		}
		memset(&s->vg[s->vgs], 0, sizeof(s->vg[0]));
		s->vgs++;
	} else if (vg->seqno <= s->vg[i].vg.seqno) {
		return;
	}
	sv = &s->vg[i];
	if (sv->vg.name[0])
		debug("volume group %s: newer metadata (seqno %u) on /dev/%s", vg->name, vg->seqno, from);
	for (j = 0; j < vg->lvs; j++) {
		int k;

		for (k = 0; k < sv->vg.lvs; k++)
			if ((sv->active >> k & 1) && !strcmp(sv->vg.lv[k].name, vg->lv[j].name))
				active |= 1ull << j;
	}
	sv->vg = *vg;
	sv->active = active;
	sv->failed = sv->probed = sv->matched = 0;
	sv->said = sv->timed = false;
}

/* A device that is not (or no longer) a PV. */
static void forget(struct lvm_state *s, const struct scanned *d)
{
	int i;

	for (i = 0; i < s->pvs; i++)
		if (s->pv[i].major == d->major && s->pv[i].minor == d->minor) {
			memmove(&s->pv[i], &s->pv[i + 1], (size_t)(s->pvs - i - 1) * sizeof(s->pv[0]));
			s->pvs--;
			return;
		}
}

static struct lvm_seen_pv *remember(struct lvm_state *s, const struct scanned *d,
				    const struct lvm_label *l, long now)
{
	struct lvm_seen_pv *pv;
	int i;

	for (i = 0; i < s->pvs; i++)
		if (s->pv[i].major == d->major && s->pv[i].minor == d->minor)
			break;
	if (i == LVM_SEEN_PVS) {
		if (!s->full_said)
			warn("/dev/%s: physical volume not looked at: more than %d of them", d->name,
			     LVM_SEEN_PVS);
		s->full_said = true;
		return NULL;
	}
	pv = &s->pv[i];
	if (i == s->pvs) {
		memset(pv, 0, sizeof(*pv));
		s->pvs++;
		pv->seen_ms = now;
		pv->major = d->major;
		pv->minor = d->minor;
	}
	str_copy(pv->id, l->pv_id, sizeof(pv->id));
	str_copy(pv->name, d->name, sizeof(pv->name));
	pv->size = d->dev.size;
	return pv;
}

/* Metadata area i read and parsed into s->scratch; its parse's time added to *parse. */
static int look_area(struct lvm_state *s, const struct scanned *d, const struct lvm_label *l,
		     int i, char *why, long *parse)
{
	size_t len;
	long p;
	int e = lvm_mda_read(&d->dev, l->mda_start[i], text, sizeof(text), &len, why, LVM_WHY_MAX);

	if (e)
		return e;
	p = log_ms();
	e = lvm_meta_parse(text, len, &s->scratch, why, LVM_WHY_MAX);
	*parse += log_ms() - p;
	return e;
}

void lvm_notice(struct boot_plan *plan, const struct scanned *d)
{
	struct lvm_state *s = &plan->lvm;
	struct lvm_seen_pv *pv;
	struct lvm_label l;
	char why[LVM_WHY_MAX];
	long now = d->seen_ms;	/* its arrival, before anything is said */
	long at = log_ms(), parse = 0;
	int e, i, first = -EAGAIN;

	e = lvm_label_read(&d->dev, &l, why, sizeof(why));
	if (e) {
		if (e == -EBADMSG)
			warn("/dev/%s: %s: not used as an LVM physical volume", d->name, why);
		forget(s, d);
		return;
	}
	/*
	 * The first area is read and parsed before the end of the device is
	 * looked at: the end was asked for with the start (scan.c) and often
	 * comes later, so the parse runs while it is on its way. Nothing is
	 * kept until the end says the device is no md member.
	 */
	if (l.mdas)
		first = look_area(s, d, &l, 0, why, &parse);
	if (md_magic_at_end(&d->dev)) {
		debug("/dev/%s: an md RAID member; its array is the LVM physical volume", d->name);
		forget(s, d);
		return;
	}
	pv = remember(s, d, &l, now);
	if (!pv)
		return;
	for (i = 0; i < l.mdas; i++) {
		e = i ? look_area(s, d, &l, i, why, &parse) : first;
		if (!e)
			merge(s, &s->scratch, d->name);
		else if (e != -ENOENT && !pv->said)
			warn("/dev/%s: LVM metadata area %d: %s; using another copy", d->name, i + 1, why);
		pv->said |= e && e != -ENOENT;
	}
	/* For rd.debug's steps: from its arrival, the look until now, and the parse in it. */
	pv->looked_ms = log_ms() - now;
	pv->parse_ms = parse;
	pv->open_ms = at - now;
}

void lvm_explain(const struct boot_plan *plan)
{
	const struct lvm_state *s = &plan->lvm;
	const struct boot_params *p = &plan->params;
	const struct lvm_seen_pv *d, *dup;
	char vg[LVM_NAME_MAX], lv[LVM_NAME_MAX], id[LVM_ID_TEXT];
	struct specs w;
	bool whole;
	long last;
	int i, j, n;

	/* The root's mapping made ahead, never activated: nothing left behind. */
	if (s->ahead && !dm_discard(s->ahead_fd, s->ahead_name))
		debug("LVM: /dev/mapper/%s, made ahead, removed", s->ahead_name);
	plan_specs(plan, &w);
	for (i = 0; i < s->vgs; i++) {
		const struct lvm_vg *v = &s->vg[i].vg;

		if (!plan_names(plan, &w, v->name, NULL, &whole) && !whole && !w.identity)
			continue;
		n = present(s, v, &last, NULL);
		if (n == v->pvs)
			continue;
		err("volume group %s is incomplete: %d of its %d physical volumes are present; missing:",
		    v->name, n, v->pvs);
		for (j = 0; j < v->pvs; j++) {
			d = pv_device(s, &v->pv[j], &dup);
			if (d)
				continue;
			lvm_id_text(id, v->pv[j].id);
			err("  %s: PV %s, last seen as %s%s", v->pv[j].key, id,
			    v->pv[j].device[0] ? v->pv[j].device : "(no device recorded)",
			    v->pv[j].status & LVM_MISSING ? " (the metadata marks it missing)" : "");
		}
		err("hint: attach the disk that holds it (and its driver); handoff does not activate incomplete volume groups: repair it from the real system (vgreduce --removemissing) or a rescue system");
	}
	/* A VG or LV named by path that was never seen. */
	for (i = 0; i < w.n + p->volwords; i++) {
		const char *word = i < w.n ? "" : p->volword[i - w.n];
		const char *val = i < w.n ? w.s[i].value : p->volval[i - w.n];

		if ((i < w.n && w.s[i].kind != ROOT_DEVNAME) || (i >= w.n && !str_starts(word, "lvm.")) ||
		    !named(word, val, vg, lv))
			continue;
		for (j = 0; j < s->vgs && strcmp(s->vg[j].vg.name, vg); j++)
			;
		if (j == s->vgs) {
			if (!assembly_named(plan, val))
				err("no LVM volume group %s was seen (%d volume group%s, %d physical volume%s found)",
				    vg, s->vgs, s->vgs == 1 ? "" : "s", s->pvs, s->pvs == 1 ? "" : "s");
			continue;
		}
		for (n = 0; lv[0] && n < s->vg[j].vg.lvs && strcmp(s->vg[j].vg.lv[n].name, lv); n++)
			;
		if (lv[0] && n == s->vg[j].vg.lvs)
			err("volume group %s has no logical volume %s (lvs on the real system lists them)", vg, lv);
		else if (lv[0] && (s->vg[j].failed >> n & 1))
			err("volume group %s: %s was not activated (said above)", vg, lv);
	}
}
