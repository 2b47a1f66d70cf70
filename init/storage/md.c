/*
 * md RAID arrays, started as their members appear (scan.h): each block
 * device's superblock is read (md/super.c), the members are kept in the
 * plan, and an array whose slots all have a fresh member is started
 * through the md driver (md/array.c); an incomplete one after the
 * degraded wait, if its level can run without the missing. Which members
 * and when is md/assemble.c's choice. The kernel then announces mdN and
 * its partitions, which the root wait (and LVM) see like any disk.
 */
#include "storage/scan.h"
#include "storage/storage.h"
#include "base/log.h"
#include "base/util.h"
#include "find/identify.h"
#include "md/md.h"
#include "modules/modules.h"
#include "plan/plan.h"
#include "shutdown/shutdown.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MD_WAIT_FOREVER_MS 30000	/* the degraded wait when the root's is forever */
#define MD_MINOR_TOP 127		/* mdadm's first minor for an array without a config */

/* How the messages name an array: its name after "host:", else its UUID. */
static const char *array_name(const struct md_array *a, char *buf)
{
	if (a->name[0])
		return md_short_name(a->name);
	md_uuid_format(a->uuid, buf);
	return buf;
}

/* rd.md.waitdegraded=, or half the root's wait (30 s when that is forever). */
static long degraded_wait(const struct boot_plan *plan)
{
	long b = wait_bound_ms(plan->params.wait, plan->params.wait_s);

	if (plan->md.wait_ms >= 0)
		return plan->md.wait_ms;
	return b < 0 ? MD_WAIT_FOREVER_MS : b / 2;
}

/* rd.md.uuid= (every one) and rd.md.waitdegraded= into the md state; a bad one is a plan problem. */
void md_plan(struct boot_plan *plan)
{
	struct boot_params *p = &plan->params;
	struct md_state *s = &plan->md;
	long n;
	int i;

	s->wants = 0;
	s->wait_ms = -1;
	for (i = 0; i < p->volwords; i++) {
		if (strcmp(p->volword[i], "md.uuid"))
			continue;
		if (s->wants == MD_WANT_MAX)
			cmdline_problem(p, "rd.md.uuid", "is one past the 8 arrays kept");
		else if (md_uuid_parse(p->volval[i], s->want[s->wants]))
			cmdline_problem(p, "rd.md.uuid", "expects an array UUID: 32 hex digits, as mdadm (8:8:8:8) or blkid prints it");
		else
			s->wants++;
	}
	if (!p->md_waitdegraded)
		return;
	if (parse_long(p->md_waitdegraded, 0, 1000000, &n))
		cmdline_problem(p, "rd.md.waitdegraded", "expects a whole number of seconds");
	else
		s->wait_ms = n * 1000;
}

void storage_claim(const struct probe_dev *d, struct probe_fs *fs)
{
	struct md_super sb;
	const char *why;

	/* Also without a filesystem at 0 (1.1, 1.2): blkid and the device list say what it is. */
	if (md_super_read(d, &sb, &why))
		return;
	memset(fs, 0, sizeof(*fs));
	str_copy(fs->type, "linux_raid_member", sizeof(fs->type));
}

/*
 * After the first look (scan.h): md and its levels loaded now, while no
 * disk is there, rather than by the kernel at the first array's start
 * (between its last member and the array), when the image carries them:
 * md_mod is in no default set, so an image with it was made for an md
 * root (MODULES=host on one, or named).
 */
void md_prepare(struct boot_plan *plan)
{
	static const char *const levels[] = { "raid1", "raid456", "raid10", "raid0", "linear" };
	long t = log_ms();
	size_t i;

	(void)plan;
	if (!modules_has("md_mod") || modules_load_name("md_mod"))
		return;
	for (i = 0; i < ARRAY_SIZE(levels); i++)
		if (modules_has(levels[i]))
			modules_load_name(levels[i]);
	debug("md: md_mod and levels loaded first, in %ld ms", log_ms() - t);
}

void md_notice(struct boot_plan *plan, const struct scanned *d)
{
	struct md_state *s = &plan->md;
	struct md_super sb;
	const char *why;
	char uuid[40];
	int e = md_super_read(&d->dev, &sb, &why), ai;

	if (e == -EINVAL)
		warn("md: /dev/%s has %s: left alone", d->name, why);
	if (e) {
		md_state_forget(s, d->major, d->minor);
		return;
	}
	ai = md_state_array(s, sb.uuid);
	if (ai >= 0 && s->a[ai].minor >= 0) {
		int i;

		for (i = 0; i < s->members && (s->m[i].major != d->major || s->m[i].minor != d->minor); i++)
			;
		if (i == s->members)
			notice("md: /dev/%s came after /dev/md%d started without it (mdadm --re-add it on the running system)",
			       d->name, s->a[ai].minor);
	}
	if (md_state_add(s, d->name, d->major, d->minor, &sb, log_ms()) < 0) {
		if (!s->full_said)
			warn("md: more than %d members or %d arrays: /dev/%s and later ones left alone",
			     MD_MEMBERS_MAX, MD_ARRAYS_MAX, d->name);
		s->full_said = true;
		return;
	}
	md_uuid_format(sb.uuid, uuid);
	debug("md: /dev/%s: %s member of %s (%s), slot %u, events %llu", d->name,
	      md_format_name(sb.format), sb.name, uuid, (unsigned int)sb.role,
	      (unsigned long long)sb.events);
}

/* The members' names, "vdb vdc", into buf. */
static void member_list(const struct md_state *s, const int *idx, int n, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			str_append(buf, " ", size);
		str_append(buf, s->m[idx[i]].dev, size);
	}
}

/* The slots without a member, "1 3", into buf. */
static void missing_list(const struct md_state *s, const struct md_decision *d, uint32_t disks,
			 char *buf, size_t size)
{
	char num[12];
	uint32_t slot;

	buf[0] = '\0';
	for (slot = 0; slot < disks; slot++) {
		if (md_slot_member(s, d, slot) >= 0)
			continue;
		fmt_buf(num, sizeof(num), buf[0] ? " %u" : "%u", (unsigned int)slot);
		str_append(buf, num, size);
	}
}

/* /dev/md/NAME for a 1.x name, as mdadm makes it. */
static void link_name(const struct md_array *a, int minor)
{
	const char *name = md_short_name(a->name);
	char path[64], target[16];

	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return;
	fmt_buf(path, sizeof(path), "/dev/md/%s", name);
	fmt_buf(target, sizeof(target), "../md%d", minor);
	if ((mkdir("/dev/md", 0755) && errno != EEXIST) || (symlink(target, path) && errno != EEXIST))
		warn("md: cannot link %s to /dev/md%d: %s", path, minor, errtext(-errno));
}

/* Is minor free: no array of ours on it, and none the kernel knows. */
static bool minor_free(const struct md_state *s, int minor)
{
	char path[32];
	int i;

	for (i = 0; i < s->arrays; i++)
		if (s->a[i].minor == minor)
			return false;
	fmt_buf(path, sizeof(path), "/sys/block/md%d", minor);
	return access(path, F_OK) != 0;
}

static void start(struct boot_plan *plan, int ai, const struct md_decision *d, long wait)
{
	struct md_state *s = &plan->md;
	struct md_array *a = &s->a[ai];
	const struct md_super *sb = &s->m[d->use[0]].sb;
	unsigned int majors[MD_MEMBERS_MAX], minors[MD_MEMBERS_MAX];
	char uuid[40], level[16], used[MD_MEMBERS_MAX * 8], missing[96], name[16];
	const char *step = "choose a minor";
	int i, minor, e = -ENOSPC;

	for (i = 0; i < d->uses; i++) {
		majors[i] = s->m[d->use[i]].major;
		minors[i] = s->m[d->use[i]].minor;
	}
	/* As mdadm without a configuration: md127 down; a number taken meanwhile, the next. */
	for (minor = MD_MINOR_TOP; minor >= 0; minor--) {
		if (!minor_free(s, minor))
			continue;
		e = md_array_start((unsigned int)minor, sb, majors, minors, d->uses, &step);
		if (e != -EEXIST)
			break;
	}
	for (i = 0; i < d->stales; i++)
		warn("md: /dev/%s left out of %s: stale, events %llu, the others %llu (mdadm --re-add it on the running system)",
		     s->m[d->stale[i]].dev, array_name(a, uuid),
		     (unsigned long long)s->m[d->stale[i]].sb.events, (unsigned long long)d->events);
	member_list(s, d->use, d->uses, used, sizeof(used));
	md_level_name(sb->level, level);
	if (e) {
		a->said |= MD_SAID_FAILED;
		err("md: cannot start array %s (%s; members %s): cannot %s: %s", array_name(a, uuid),
		    level, used, step, errtext(e));
		err("hint: the kernel log (dmesg) says why the md driver refused it");
		return;
	}
	a->minor = minor;
	fmt_buf(name, sizeof(name), "md%d", minor);
	wayback_remember("md", name);
	link_name(a, minor);
	if (d->verdict == MD_DEGRADED) {
		missing_list(s, d, sb->raid_disks, missing, sizeof(missing));
		warn("md: started /dev/md%d (%s, %s) DEGRADED after waiting %ld s: slot %s missing; %u of %u members: %s",
		     minor, array_name(a, uuid), level, wait / 1000, missing, (unsigned int)d->present,
		     (unsigned int)sb->raid_disks, used);
		return;
	}
	info("md: started /dev/md%d (%s, %s, %u of %u members: %s)", minor, array_name(a, uuid), level,
	     (unsigned int)d->present, (unsigned int)sb->raid_disks, used);
}

static void say_refused(const struct boot_plan *plan, int ai, const struct md_decision *d)
{
	const struct md_state *s = &plan->md;
	char uuid[40], other[40], mine[40];

	md_uuid_format(s->a[ai].uuid, uuid);
	if (d->b >= 0) {
		md_uuid_format(s->m[d->b].sb.uuid, other);
		if (d->a >= 0)
			md_uuid_format(s->m[d->a].sb.uuid, uuid);
		err("md: array %s not started: %s: /dev/%s (UUID %s) and /dev/%s (UUID %s)",
		    array_name(&s->a[ai], mine), d->why, d->a >= 0 ? s->m[d->a].dev : "?", uuid,
		    s->m[d->b].dev, other);
		err("hint: wipe the stray one's superblock (mdadm --zero-superblock) on a running system, or name the array with rd.md.uuid=");
	} else {
		err("md: array %s (UUID %s) not started: /dev/%s has %s", array_name(&s->a[ai], mine),
		    uuid, d->a >= 0 ? s->m[d->a].dev : "?", d->why);
	}
}

long md_settle(struct boot_plan *plan)
{
	struct md_state *s = &plan->md;
	struct md_decision d;
	long now = log_ms(), wait = degraded_wait(plan), next = -1;
	int ai;

	for (ai = 0; ai < s->arrays; ai++) {
		struct md_array *a = &s->a[ai];

		if (!a->wanted || a->minor >= 0 || a->said & MD_SAID_FAILED)
			continue;
		md_decide(s, ai, now, wait, &d);
		if (d.verdict == MD_START || d.verdict == MD_DEGRADED)
			start(plan, ai, &d, wait);
		else if (d.verdict == MD_REFUSED && !(a->said & MD_SAID_REFUSED)) {
			a->said |= MD_SAID_REFUSED;
			say_refused(plan, ai, &d);
		} else if (d.verdict == MD_WAIT && d.due_ms >= 0 && (next < 0 || d.due_ms < next))
			next = d.due_ms;
	}
	return next;
}

void md_explain(const struct boot_plan *plan)
{
	const struct md_state *s = &plan->md;
	struct md_decision d;
	char uuid[40], level[16], used[MD_MEMBERS_MAX * 8], missing[96];
	int ai, i, m;

	for (ai = 0; ai < s->arrays; ai++) {
		const struct md_array *a = &s->a[ai];
		const struct md_super *sb = NULL;

		if (a->minor >= 0)
			continue;
		md_decide(s, ai, log_ms(), degraded_wait(plan), &d);
		for (i = 0; i < s->members && !sb; i++)
			if (!memcmp(s->m[i].sb.uuid, a->uuid, 16))
				sb = &s->m[i].sb;
		if (!sb)
			continue;
		md_uuid_format(a->uuid, uuid);
		used[0] = '\0';
		for (i = 0; i < (int)sb->raid_disks && i < 64; i++) {
			m = md_slot_member(s, &d, (uint32_t)i);
			if (m < 0)
				continue;
			fmt_buf(missing, sizeof(missing), "%s%d on %s", used[0] ? ", " : "", i, s->m[m].dev);
			str_append(used, missing, sizeof(used));
		}
		missing_list(s, &d, sb->raid_disks, missing, sizeof(missing));
		err("md: array %s (UUID %s, %s, %s) was not started: slots present: %s; missing: %s",
		    a->name[0] ? a->name : "(no name)", uuid, md_level_name(sb->level, level),
		    md_format_name(sb->format), used[0] ? used : "none", missing[0] ? missing : "none");
		if (!a->wanted)
			err("hint: rd.md.uuid= does not name it: add rd.md.uuid=%s to start it", uuid);
		else if (d.verdict == MD_REFUSED)
			say_refused(plan, ai, &d);
		else if (a->said & MD_SAID_FAILED)
			err("hint: the md driver refused it (above, and in dmesg)");
		else if (d.verdict == MD_CANNOT)
			err("hint: %s: attach the missing disks (the block devices the kernel knows are listed above)",
			    d.why);
		else
			err("hint: it starts degraded %ld s after its first member (rd.md.waitdegraded=)",
			    degraded_wait(plan) / 1000);
	}
}
