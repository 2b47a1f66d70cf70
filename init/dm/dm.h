/*
 * device-mapper through its ioctls on /dev/mapper/control (no
 * libdevmapper, no udev): create a mapping, load its table, resume it and
 * make its nodes; remove it. Shared by LUKS, verity (and LVM).
 */
#ifndef HANDOFF_DM_H
#define HANDOFF_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DM_NAME_MAX 128		/* DM_NAME_LEN in the uapi header, with its NUL */
#define DM_PARAMS_MAX 1024	/* one target's parameters */

struct dm_target {
	uint64_t start;		/* in 512-byte sectors */
	uint64_t length;	/* in 512-byte sectors */
	const char *type;	/* "crypt", "verity", "linear", "striped" */
	const char *params;	/* the target's table line after type */
};

struct dm_device {
	char name[DM_NAME_MAX];
	unsigned int major, minor;
	char node[DM_NAME_MAX + 16];	/* /dev/mapper/NAME */
};

/*
 * Creates NAME with the targets (loads the table, resumes it) and makes
 * /dev/mapper/NAME and /dev/dm-N; read_only maps it read-only. uuid may be
 * NULL (systemd and cryptsetup use "CRYPT-LUKS2-<uuid>-NAME"). On failure
 * nothing is left behind. Returns 0 or -errno; says nothing (the caller
 * names the container).
 */
int dm_create(const char *name, const char *uuid, const struct dm_target *t, int n,
	      bool read_only, struct dm_device *out);

/* Removes NAME and its /dev/mapper node. 0, or -errno (-EBUSY while in use). */
int dm_remove(const char *name);

/*
 * Table strings (pure, unit-tested). The crypt key is written as hex into
 * buf: the caller wipes buf once the table is loaded.
 */
int dm_crypt_params(char *buf, size_t size, const char *cipher, const uint8_t *key,
		    size_t keylen, uint64_t iv_offset, const char *dev, uint64_t offset,
		    const char *flags);

#endif
