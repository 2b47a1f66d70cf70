/*
 * Which members an array starts with, and when (md.h). Pure: the stage
 * (storage/md.c) feeds it the members it saw and the clock. The rules are
 * mdadm's without --force, and the kernel's own when it assembles: the
 * freshest superblocks win, a member one event behind them still counts
 * (md.c super_1_validate: "ev1 + 1 < mddev->events" is refused), older
 * members are stale and left out; an array never starts from members that
 * disagree.
 */
#include "md/md.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

int md_state_array(const struct md_state *s, const uint8_t uuid[16])
{
	int i;

	for (i = 0; i < s->arrays; i++)
		if (!memcmp(s->a[i].uuid, uuid, 16))
			return i;
	return -1;
}

static bool wanted(const struct md_state *s, const uint8_t uuid[16])
{
	int i;

	for (i = 0; i < s->wants; i++)
		if (!memcmp(s->want[i], uuid, 16))
			return true;
	return !s->wants;
}

int md_state_add(struct md_state *s, const char *dev, unsigned int major, unsigned int minor,
		 const struct md_super *sb, long now)
{
	struct md_member *m;
	struct md_array *a;
	int i;

	if (md_state_array(s, sb->uuid) < 0) {
		if (s->arrays == MD_ARRAYS_MAX)
			return -ENOSPC;
		a = &s->a[s->arrays++];
		memset(a, 0, sizeof(*a));
		memcpy(a->uuid, sb->uuid, 16);
		memcpy(a->name, sb->name, sizeof(a->name));
		a->first_ms = now;
		a->minor = -1;
		a->wanted = wanted(s, sb->uuid);
	}
	for (i = 0; i < s->members && (s->m[i].major != major || s->m[i].minor != minor); i++)
		;
	if (i == MD_MEMBERS_MAX)
		return -ENOSPC;
	m = &s->m[i];
	if (i == s->members)
		s->members++;
	str_copy(m->dev, dev, sizeof(m->dev));
	m->major = major;
	m->minor = minor;
	m->sb = *sb;
	return i;
}

void md_state_forget(struct md_state *s, unsigned int major, unsigned int minor)
{
	int i;

	for (i = 0; i < s->members; i++) {
		if (s->m[i].major != major || s->m[i].minor != minor)
			continue;
		memmove(&s->m[i], &s->m[i + 1], (size_t)(s->members - i - 1) * sizeof(s->m[0]));
		s->members--;
		return;
	}
}

static bool in_array(const struct md_state *s, int mi, int ai)
{
	return !memcmp(s->m[mi].sb.uuid, s->a[ai].uuid, 16);
}

/* A member that may hold a slot: a slot role, not a replacement still rebuilding. */
static bool slotted(const struct md_super *sb)
{
	return sb->role < MD_ROLE_MAX && !(sb->features & MD_FEATURE_REPLACEMENT);
}

static uint32_t order(const struct md_state *s, int i)
{
	return slotted(&s->m[i].sb) ? s->m[i].sb.role : MD_ROLE_MAX;
}

int md_slot_member(const struct md_state *s, const struct md_decision *d, uint32_t slot)
{
	int i;

	for (i = 0; i < d->uses; i++)
		if (slotted(&s->m[d->use[i]].sb) && s->m[d->use[i]].sb.role == slot)
			return d->use[i];
	return -1;
}

/* raid10: every group of copies consecutive slots, stepped by the near copies, has one (raid10.c enough()). */
static bool raid10_enough(const struct md_state *s, const struct md_decision *d, uint32_t disks,
			  uint32_t layout)
{
	uint32_t near = layout & 0xff, copies = near * (layout >> 8 & 0xff), first = 0, k, n;
	uint8_t have[MD_SLOTS_MAX];

	if (!near || !copies || copies > disks || disks > MD_SLOTS_MAX)
		return false;
	for (k = 0; k < disks; k++)
		have[k] = md_slot_member(s, d, k) >= 0;
	do {
		for (n = 0, k = 0; k < copies; k++)
			n += have[(first + k) % disks];
		if (!n)
			return false;
		first = (first + near) % disks;
	} while (first);
	return true;
}

/* Whether the level runs with the slots present (the personalities' own limits). */
static bool can_degrade(const struct md_state *s, const struct md_decision *d,
			const struct md_super *sb)
{
	uint32_t missing = sb->raid_disks - d->present;

	if (!d->present)
		return false;
	switch (sb->level) {
	case 1:
		return d->present >= 1;
	case 4:
	case 5:
		return missing <= 1;
	case 6:
		return missing <= 2;
	case 10:
		return raid10_enough(s, d, sb->raid_disks, sb->layout);
	default:
		return false;	/* raid0 and linear have no redundancy */
	}
}

static bool known_level(int32_t level)
{
	return level == 0 || level == 1 || level == 4 || level == 5 || level == 6 || level == 10 ||
	       level == MD_LEVEL_LINEAR;
}

static void refuse(struct md_decision *d, const char *why, int a, int b)
{
	d->verdict = MD_REFUSED;
	d->why = why;
	d->a = a;
	d->b = b;
}

/* Fresh members counted, as md_decide() would (for comparing two arrays). */
static int fresh_count(const struct md_state *s, int ai)
{
	uint64_t top = 0;
	int i, n = 0;

	for (i = 0; i < s->members; i++)
		if (in_array(s, i, ai) && s->m[i].sb.events > top)
			top = s->m[i].sb.events;
	for (i = 0; i < s->members; i++)
		n += in_array(s, i, ai) && s->m[i].sb.events + 1 >= top;
	return n;
}

/* Another wanted array with the same name: the one with fewer members (or not started) gives way. */
static bool name_clash(const struct md_state *s, int ai, struct md_decision *d)
{
	const struct md_array *a = &s->a[ai];
	int j, i, mine, theirs;

	if (!a->name[0])
		return false;
	for (j = 0; j < s->arrays; j++) {
		if (j == ai || !s->a[j].wanted || strcmp(s->a[j].name, a->name))
			continue;
		mine = fresh_count(s, ai);
		theirs = fresh_count(s, j);
		if (s->a[j].minor < 0 && theirs < mine)
			continue;
		for (i = 0; i < s->members && !in_array(s, i, j); i++)
			;
		refuse(d, "another array has the same name and a different UUID", d->uses ? d->use[0] : -1,
		       i < s->members ? i : -1);
		return true;
	}
	return false;
}

void md_decide(const struct md_state *s, int ai, long now, long wait, struct md_decision *d)
{
	const struct md_super *ref = NULL;
	uint64_t top = 0;
	uint32_t slot;
	int i, j, k, r = -1;

	memset(d, 0, sizeof(*d));
	d->a = d->b = -1;
	d->due_ms = -1;
	for (i = 0; i < s->members; i++)
		if (in_array(s, i, ai) && (r < 0 || s->m[i].sb.events > top)) {
			r = i;
			top = s->m[i].sb.events;
		}
	if (r < 0) {
		d->verdict = MD_WAIT;
		return;
	}
	ref = &s->m[r].sb;
	d->events = top;
	if (!known_level(ref->level)) {
		refuse(d, "its level is not one the init starts (0, 1, 4, 5, 6, 10, linear)", r, -1);
		return;
	}
	for (i = 0; i < s->members; i++) {
		const struct md_super *sb = &s->m[i].sb;

		if (!in_array(s, i, ai))
			continue;
		if (sb->refuse) {
			refuse(d, sb->refuse, i, -1);
			return;
		}
		/* The kernel refuses members whose shape differs from the first (super_1_load). */
		if (sb->level != ref->level || sb->layout != ref->layout ||
		    sb->chunk_sectors != ref->chunk_sectors || sb->raid_disks != ref->raid_disks ||
		    sb->format != ref->format) {
			refuse(d, "its members disagree on the array's level, layout, chunk size or format", i, r);
			return;
		}
		if (sb->events + 1 < top || sb->role == MD_ROLE_FAULTY) {
			d->stale[d->stales++] = i;
			continue;
		}
		/* Two fresh members in one slot: the newer holds it; the same events, refused. */
		for (k = slotted(sb) ? 0 : d->uses; k < d->uses; k++) {
			j = d->use[k];
			if (!slotted(&s->m[j].sb) || s->m[j].sb.role != sb->role)
				continue;
			if (s->m[j].sb.events == sb->events) {
				refuse(d, "two members claim the same slot", j, i);
				return;
			}
			break;
		}
		if (k < d->uses && s->m[d->use[k]].sb.events > sb->events) {
			d->stale[d->stales++] = i;
			continue;
		}
		if (k < d->uses) {
			d->stale[d->stales++] = d->use[k];
			d->use[k] = i;
			continue;
		}
		d->use[d->uses++] = i;
	}
	/* In slot order, spares last: the order they are added and named in. */
	for (i = 1; i < d->uses; i++)
		for (j = i; j > 0 && order(s, d->use[j]) < order(s, d->use[j - 1]); j--) {
			k = d->use[j];
			d->use[j] = d->use[j - 1];
			d->use[j - 1] = k;
		}
	for (slot = 0; slot < ref->raid_disks; slot++)
		d->present += md_slot_member(s, d, slot) >= 0;
	if (name_clash(s, ai, d))
		return;
	if (d->present == ref->raid_disks) {
		d->verdict = MD_START;
		return;
	}
	if (now - s->a[ai].first_ms < wait) {
		d->verdict = MD_WAIT;
		d->due_ms = s->a[ai].first_ms + wait - now;
		return;
	}
	if (can_degrade(s, d, ref)) {
		d->verdict = MD_DEGRADED;
		return;
	}
	d->verdict = MD_CANNOT;
	d->why = ref->level == 0 || ref->level == MD_LEVEL_LINEAR ?
		 "its level has no redundancy: every member is needed" :
		 "more members are missing than its level can run without";
}
