/*
 * root= as users write it: every form the kernel takes, plus the identity
 * forms of userspace tools (UUID=, LABEL=, /dev/disk/by-*).
 */
#ifndef HANDOFF_ROOTSPEC_H
#define HANDOFF_ROOTSPEC_H

#include <stdbool.h>

enum root_kind {
	ROOT_NONE,
	ROOT_DEVNAME,		/* /dev/NAME */
	ROOT_DEVNUM,		/* MAJ:MIN or HEX */
	ROOT_UUID,		/* filesystem UUID */
	ROOT_LABEL,		/* filesystem label */
	ROOT_PARTUUID,		/* GPT GUID or MBR SSSSSSSS-PP */
	ROOT_PARTLABEL,		/* GPT partition name */
	ROOT_UNSUPPORTED,	/* /dev/ram */
	ROOT_TMPFS,		/* root=tmpfs: filled from rd.image= */
	ROOT_GPT_AUTO,		/* root=gpt-auto, or no root=: find/gptauto.c */
	/*
	 * Roots that are no block device (net/, mount/hostdir.c, flash/): kept
	 * last, NFS first, as plan_resolve() compares kinds by range (so does
	 * rootspec_is_block() for ROOT_DEVNAME..ROOT_PARTLABEL).
	 */
	ROOT_NFS,		/* /dev/nfs, nfs:..., nfs4:...: value is root= after "/dev/" */
	ROOT_VIRTIOFS,		/* virtiofs:TAG, or rootfstype=virtiofs root=TAG: value is TAG */
	ROOT_9P,		/* rootfstype=9p root=TAG: value is TAG */
	ROOT_UBI,		/* ubiX:VOL, ubiX_Y, ubi:VOL, /dev/ubiX_Y: value as written, no /dev/ */
	ROOT_MTD,		/* mtd:NAME, mtdN, /dev/mtdN: value as written, no /dev/ */
};

#define ROOTSPEC_VALUE_MAX 256

struct root_spec {
	enum root_kind kind;
	char value[ROOTSPEC_VALUE_MAX];	/* name after /dev/, or the identity */
	unsigned int major, minor;	/* ROOT_DEVNUM */
	bool has_partnroff;
	int partnroff;			/* PARTUUID=.../PARTNROFF=N */
};

/* Returns 0, or -EINVAL with *why set to a reason for the user. */
int rootspec_parse(const char *s, struct root_spec *r, const char **why);
/*
 * A root= of the host-directory form: rootfstype=virtiofs or 9p with
 * root=TAG. Returns false (r untouched) for any other fstype.
 */
bool rootspec_hostdir(const char *tag, const char *fstype, struct root_spec *r);
/* Whether the kind names a block device (a form any device parameter takes). */
bool rootspec_is_block(enum root_kind k);
/* "UUID", "PARTUUID", ... for messages. */
const char *rootspec_kind_name(enum root_kind k);

#endif
