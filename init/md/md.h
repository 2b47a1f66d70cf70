/*
 * md RAID without mdadm: the members' superblocks read (super.c, pure),
 * the choice of what to start from the members seen (assemble.c, pure),
 * and the md driver's ioctls that start and stop an array (array.c).
 * The stage that runs them as devices appear is storage/md.c. Constants
 * are the kernel's (include/uapi/linux/raid/md_p.h, md_u.h).
 */
#ifndef HANDOFF_MD_H
#define HANDOFF_MD_H

#include "find/probe.h"

#include <stdbool.h>
#include <stdint.h>

#define MD_MEMBERS_MAX 32	/* member devices remembered in a boot */
#define MD_ARRAYS_MAX 8		/* arrays remembered in a boot */
#define MD_WANT_MAX 8		/* rd.md.uuid= words kept */
#define MD_DEV_MAX 32		/* a member's kernel name: vdb, nvme0n1p3 */
#define MD_NAME_MAX 33		/* a 1.x set_name (32 bytes) and its NUL */
#define MD_SLOTS_MAX 1920	/* raid_disks at most: the roles a 1.x superblock's 4 KiB hold */

/* Where a superblock is, by its format. */
enum md_format {
	MD_FORMAT_090,	/* 0.90: the last 64 KiB-aligned 64 KiB of the device, host byte order */
	MD_FORMAT_10,	/* 1.0: 8 to 12 KiB from the end, 4 KiB aligned */
	MD_FORMAT_11,	/* 1.1: at 0 */
	MD_FORMAT_12,	/* 1.2: at 4 KiB */
};

/* Levels as the superblocks store them (md_u.h). */
#define MD_LEVEL_LINEAR (-1)
#define MD_LEVEL_MULTIPATH (-4)
#define MD_LEVEL_FAULTY (-5)

/* A member's role (1.x dev_roles[]; 0.90 mapped to the same), md_p.h. */
#define MD_ROLE_SPARE 0xffff
#define MD_ROLE_FAULTY 0xfffe
#define MD_ROLE_JOURNAL 0xfffd
#define MD_ROLE_MAX 0xff00	/* roles below are slots 0..raid_disks-1 */

/* 1.x feature_map bits (md_p.h) the init looks at. */
#define MD_FEATURE_BITMAP_OFFSET 1
#define MD_FEATURE_RESHAPE_ACTIVE 4
#define MD_FEATURE_REPLACEMENT 16
#define MD_FEATURE_CLUSTERED 256
#define MD_FEATURE_JOURNAL 512
#define MD_FEATURE_ALL 0x1fff	/* MD_FEATURE_ALL of md_p.h (6.1): bits 0 to 12 */

/* What one member's superblock says. */
struct md_super {
	uint8_t uuid[16];	/* the array's, in disk order (as blkid and mdadm print it) */
	char name[MD_NAME_MAX];	/* 1.x set_name, "host:name" or "name" (control bytes as '?'); "" for 0.90 */
	uint8_t format;		/* enum md_format */
	int32_t level;		/* 0, 1, 4, 5, 6, 10, MD_LEVEL_LINEAR... */
	uint32_t layout;
	uint32_t chunk_sectors;
	uint32_t raid_disks;
	uint32_t role;		/* slot, or MD_ROLE_SPARE / FAULTY / JOURNAL */
	uint32_t features;	/* 1.x feature_map; 0.90: MD_FEATURE_BITMAP_OFFSET if it has one */
	uint64_t events;
	uint64_t ctime;		/* seconds: which of two superblocks on a device is newer */
	uint64_t data_offset, data_size;	/* in 512-byte sectors */
	/* Why the array cannot be started from it (a reshape, a journal), or NULL. */
	const char *refuse;
};

/*
 * Reads the md superblock of d, trying every format (two valid ones: the
 * newer by creation time, as mdadm does). 0 and *s filled; -ENOENT: none
 * (no magic anywhere); -EINVAL: a magic with a superblock that is not
 * valid (checksum, version, offsets), *why says which (the kernel would
 * refuse it too); -errno from a read.
 */
int md_super_read(const struct probe_dev *d, struct md_super *s, const char **why);

/*
 * Whether the magic (either byte order) stands where 0.90 or 1.0 put the
 * superblock, at the end: such a member holds its array's data from its
 * first sector, so an LVM label seen there is the array's, not the
 * member's. The magic alone, as lvm2 decides: a damaged superblock still
 * says what the device is.
 */
bool md_magic_at_end(const struct probe_dev *d);

/* Parses one superblock from a buffer read at its place (pure; super.c). */
int md_super_parse(const uint8_t *buf, size_t len, enum md_format f, uint64_t sb_sector,
		   struct md_super *s, const char **why);

/* "0.90", "1.0", "1.1", "1.2" */
const char *md_format_name(unsigned int f);
/* The superblock version the md driver takes in SET_ARRAY_INFO: 0.90 or 1.minor. */
void md_format_version(unsigned int f, int *major, int *minor);
/* "raid1", "linear", ...; "level N" for others, in buf (16 bytes). */
const char *md_level_name(int32_t level, char *buf);
/* The name after "host:", or the whole name. */
const char *md_short_name(const char *name);

/*
 * A UUID as rd.md.uuid= takes it: mdadm's 8:8:8:8 or the canonical
 * 8-4-4-4-12 (32 hex digits, ':', '-' and '.' ignored). 0 or -EINVAL.
 */
int md_uuid_parse(const char *s, uint8_t out[16]);
/* mdadm's form, xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx, into 36 bytes. */
void md_uuid_format(const uint8_t uuid[16], char *out);

/* A member seen, and the superblock it had. */
struct md_member {
	char dev[MD_DEV_MAX];
	unsigned int major, minor;
	struct md_super sb;
};

/* An array some member belongs to. */
struct md_array {
	uint8_t uuid[16];
	char name[MD_NAME_MAX];
	long first_ms;		/* when its first member was seen */
	int minor;		/* started as /dev/mdMINOR; -1 not (yet) */
	bool wanted;		/* rd.md.uuid= names it, or none is given */
	uint8_t said;		/* MD_SAID_* bits: each problem said once */
};
#define MD_SAID_REFUSED 1
#define MD_SAID_FAILED 2

/* What the scan learnt of md members, kept in the plan (storage/md.c). */
struct md_state {
	struct md_member m[MD_MEMBERS_MAX];
	int members;
	struct md_array a[MD_ARRAYS_MAX];
	int arrays;
	/* From the plan (storage/plan.c): rd.md.uuid= and rd.md.waitdegraded=. */
	uint8_t want[MD_WANT_MAX][16];
	int wants;
	long wait_ms;		/* rd.md.waitdegraded= in ms; -1: not given */
	bool full_said;		/* more members than fit, said once */
};

/*
 * Remembers dev with superblock sb, seen at now (ms): a device seen again
 * is updated. Returns the member's index, or -ENOSPC (more members or
 * arrays than fit). The array is wanted when rd.md.uuid= names it or
 * names none.
 */
int md_state_add(struct md_state *s, const char *dev, unsigned int major, unsigned int minor,
		 const struct md_super *sb, long now);
/* Forgets the member with that number: its superblock is gone. */
void md_state_forget(struct md_state *s, unsigned int major, unsigned int minor);
/* The array of uuid, or -1. */
int md_state_array(const struct md_state *s, const uint8_t uuid[16]);

enum md_verdict {
	MD_WAIT,	/* incomplete; due_ms says when a degraded start may be tried */
	MD_START,	/* every slot has a fresh member */
	MD_DEGRADED,	/* the wait is over and the level can run without the missing */
	MD_CANNOT,	/* the wait is over: too many missing for the level (why) */
	MD_REFUSED,	/* never: conflicting members (both named) or a refused feature (why) */
};

struct md_decision {
	enum md_verdict verdict;
	const char *why;	/* MD_CANNOT, MD_REFUSED */
	int a, b;		/* MD_REFUSED: the members it names (b may be -1) */
	uint64_t events;	/* the freshest member's */
	int use[MD_MEMBERS_MAX];	/* members to add: fresh, in slots or spares */
	int uses;
	int stale[MD_MEMBERS_MAX];	/* members left out: older events */
	int stales;
	uint32_t present;	/* slots with a fresh member */
	long due_ms;		/* MD_WAIT: ms until the wait is over; -1 never */
};

/*
 * What to do with array ai at now (ms), given the degraded wait (ms):
 * the freshest events win (a member one event behind is fresh, as for
 * the kernel and mdadm), older members are stale; two fresh members in
 * one slot, or another wanted array of the same name with as many members
 * or started, refuse it; complete starts, incomplete waits until
 * first_ms + wait, then starts degraded if its level allows (1, 4, 5, 6,
 * 10 within their redundancy; never 0 or linear). Pure.
 */
void md_decide(const struct md_state *s, int ai, long now, long wait, struct md_decision *d);

/* Whether the slot has a member in d->use (its index), else -1. */
int md_slot_member(const struct md_state *s, const struct md_decision *d, uint32_t slot);

/*
 * The md driver (array.c): creates /dev/mdMINOR, hands it the members
 * (the kernel reads their superblocks) and runs it. Returns 0 or -errno;
 * *step names what failed. Nothing is left behind on failure.
 */
int md_array_start(unsigned int minor, const struct md_super *sb, const unsigned int *majors,
		   const unsigned int *minors, int n, const char **step);
/* Stops /dev/NAME ("md127"): the way back's remover. 0 or -errno. */
int md_stop(const char *name);

#endif
