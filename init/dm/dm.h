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
	long live_ms;			/* its table's resume returned (log_ms()), before the node */
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

/*
 * Makes NAME ahead of its table, so that the kernel's first table load
 * (which adds the disk: drivers/md/dm-ioctl.c table_load ->
 * dm_setup_md_queue -> add_disk) is done before the table is known: an
 * "error" table loaded and never resumed, so the disk is there with size
 * 0 and reads nothing (the scans pass over empty devices), with no uuid
 * and no /dev/mapper node. dm_finish() gives it its uuid (DM_DEV_RENAME
 * with DM_UUID_FLAG: the kernel sets a uuid once), loads the real table
 * and resumes it; dm_discard() removes it if that never comes. Returns
 * the control fd, kept for them (the window from the last PV to the
 * resume opens nothing; dm_finish() closes it, O_CLOEXEC otherwise), or
 * -errno; says nothing.
 */
int dm_prepare(const char *name);
/* dm_create() on fd for the device dm_prepare() made under name; removed on failure. */
int dm_finish(int fd, const char *name, const char *uuid, const struct dm_target *t, int n,
	      bool read_only, struct dm_device *out);

/*
 * Removes NAME on fd if it is still as dm_prepare() made it (no live
 * table): 0, -ENOENT when not, or -errno. fd stays open: a later
 * dm_finish() then creates the device anew.
 */
int dm_discard(int fd, const char *name);

/* Removes NAME and its /dev/mapper node. 0, or -errno (-EBUSY while in use). */
int dm_remove(const char *name);

/*
 * Table strings (pure, unit-tested). The crypt key is written as hex into
 * buf: the caller wipes buf once the table is loaded.
 */
int dm_crypt_params(char *buf, size_t size, const char *cipher, const uint8_t *key,
		    size_t keylen, uint64_t iv_offset, const char *dev, uint64_t offset,
		    const char *flags);

/*
 * The ioctl's buffer (include/uapi/linux/dm-ioctl.h, interface 4): the
 * header, then for DM_TABLE_LOAD one spec per target, each followed by its
 * NUL-terminated parameters padded to 8 bytes.
 */
struct dm_ioctl_hdr {
	uint32_t version[3];
	uint32_t data_size;	/* the whole buffer, header included */
	uint32_t data_start;	/* the first target spec, from the header's start */
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t padding;
	uint64_t dev;		/* huge_encode_dev(): major()/minor() decode it */
	char name[DM_NAME_MAX];
	char uuid[129];
	char data[7];
};

struct dm_target_spec {
	uint64_t sector_start;
	uint64_t length;
	int32_t status;
	uint32_t next;		/* bytes from this spec to the next */
	char target_type[16];
};

#define DM_READ_ONLY_FLAG 1u	/* DM_READONLY_FLAG */
/* A table load's buffer: the header and every target at its longest. */
#define DM_TABLE_BUF_MAX 8192

/*
 * Lays out the DM_TABLE_LOAD buffer for name's n targets in buf (pure:
 * tested). Returns its length, or -EINVAL (no target, a name, type or
 * parameters too long) or -ENOSPC (does not fit in size).
 */
long dm_table_layout(void *buf, size_t size, const char *name, const struct dm_target *t,
		     int n, bool read_only);

/*
 * A verity table line after "verity" (Documentation/admin-guide/
 * device-mapper/verity.rst): format, devices, block sizes, data blocks,
 * the hash tree's start in hash blocks, algorithm, root digest and salt in
 * hex ("-" for none), then the optional flags (kernel spelling, space
 * separated: "ignore_zero_blocks check_at_most_once"), counted. Pure.
 */
struct verity_table {
	unsigned int format;
	const char *data_dev, *hash_dev;	/* paths or MAJ:MIN */
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks, hash_start;
	const char *alg;
	const uint8_t *digest;
	size_t digest_len;
	const uint8_t *salt;
	size_t salt_len;
	const char *flags;	/* "" or NULL for none */
};
int dm_verity_params(char *buf, size_t size, const struct verity_table *v);

/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void dm_hex(char *out, const uint8_t *p, size_t len);

#endif
