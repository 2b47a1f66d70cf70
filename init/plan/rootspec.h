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
	ROOT_UNSUPPORTED,	/* /dev/nfs, /dev/ram, mtd, ubi */
	ROOT_TMPFS,		/* root=tmpfs: filled from rd.image= */
	ROOT_GPT_AUTO,		/* root=gpt-auto, or no root=: find/gptauto.c */
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
/* "UUID", "PARTUUID", ... for messages. */
const char *rootspec_kind_name(enum root_kind k);

#endif
