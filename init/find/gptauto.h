/*
 * GPT auto-discovery of the root (and /usr) when no root= is given, as the
 * Discoverable Partitions Specification (systemd-gpt-auto-generator) says:
 * the first partition of this architecture's root type on the disk the
 * boot loader booted from (LoaderDevicePartUUID), or on the only disk that
 * has one. Attribute bit 63 (no-auto) hides a partition, bit 60 mounts it
 * read-only.
 *
 * The choice (gptauto_scan_*, gptauto_choose) is pure, for the unit tests;
 * gptauto_find_root() does the I/O and the wait. A PROBES=none build links
 * gptauto_none.c, which refuses.
 */
#ifndef HANDOFF_GPTAUTO_H
#define HANDOFF_GPTAUTO_H

#include "find/probe.h"

#include <stdbool.h>
#include <stdint.h>

#define GPT_FLAG_READ_ONLY	(1ULL << 60)
#define GPT_FLAG_NO_AUTO	(1ULL << 63)

/* The architectures whose root and /usr types we know; _NATIVE is the build's. */
enum gptauto_arch { GPTAUTO_X86_64, GPTAUTO_ARM64, GPTAUTO_ARM, GPTAUTO_ARCHES };
extern const enum gptauto_arch gptauto_native;

/* "root-x86-64", "usr-arm"... for a type GUID we know, else NULL; *arch, *usr set. */
const char *gptauto_type_name(const char *type_guid, enum gptauto_arch *arch, bool *usr);

/* What one GPT disk offers, summed up from its table (the table itself is not kept). */
struct gptauto_disk {
	char name[64];			/* vda */
	uint32_t root, usr;		/* partition numbers of the first usable ones, 0 none */
	bool root_ro, usr_ro;		/* their flag 60 */
	char root_uuid[40], usr_uuid[40];
	uint32_t no_auto;		/* a root partition of ours marked no-auto (the first), 0 none */
	uint32_t foreign;		/* a root partition of another architecture (the first) */
	const char *foreign_type;
	bool has_esp;			/* holds the partition LoaderDevicePartUUID names */
};

#define GPTAUTO_MAX_DISKS 16

struct gptauto_scan {
	enum gptauto_arch arch;
	const char *loader;		/* the ESP's PARTUUID the boot loader set, or NULL */
	struct gptauto_disk disk[GPTAUTO_MAX_DISKS];	/* those with a partition of ours */
	int disks;			/* used in disk[] */
	int gpt_disks;			/* every GPT disk seen */
	int with_root;			/* disks with a usable root, past the array too */
};

void gptauto_scan_init(struct gptauto_scan *s, enum gptauto_arch arch, const char *loader);
/* Adds one whole disk and its partition table (a "dos" or empty one is skipped). */
void gptauto_scan_add(struct gptauto_scan *s, const char *disk, const struct probe_table *t);

/*
 * The choice: 0 and *out the disk (its root partition is out->root);
 * -ENOENT no disk with a root partition (or the loader's disk) yet;
 * -EEXIST several disks have one and no loader says which; -ENODEV the
 * loader's disk has none. Final answers are the caller's to decide: a disk
 * may still appear.
 */
int gptauto_choose(const struct gptauto_scan *s, const struct gptauto_disk **out);

struct boot_plan;
/*
 * Waits (as rootwait/rootdelay say) for the root partition the discovery
 * chooses, fills plan->found with it, and plan's /usr request with the /usr
 * partition of the same disk when mount.usr= is not given. Flag 60 makes
 * the root read-only (plan->params.read_only). Says what it chose, or why
 * nothing, and what the user can do.
 */
int gptauto_find_root(struct boot_plan *plan);

#endif
