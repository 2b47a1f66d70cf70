/* probe: filesystem dispatch and the Linux-native superblocks. */
#define PROBE_INTERNAL
#include "find/probe.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

void probe_set_type(struct probe_fs *o, const char *type)
{
	size_t n = strlen(type);

	if (n >= sizeof(o->type))
		n = sizeof(o->type) - 1;
	memcpy(o->type, type, n);
	o->type[n] = 0;
}

/* The common end of a probe: a type, a 16-byte UUID and a label of n bytes. Returns 1. */
static int found(struct probe_fs *o, const char *type, const uint8_t *uuid, const uint8_t *label,
		 size_t n)
{
	probe_set_type(o, type);
	probe_uuid16(o->uuid, uuid, 0);
	probe_label(o->label, sizeof(o->label), label, n);
	return 1;
}

static int is_pow2(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

/* ext2/3/4: superblock at 1024; the type follows the feature flags. */
#define EXT_JOURNAL	0x0004	/* compat */
#define EXT_JOURNAL_DEV	0x0008	/* incompat */
#define EXT3_INCOMPAT	0x0016	/* filetype, recover, meta_bg */
#define EXT2_INCOMPAT	0x0012	/* filetype, meta_bg */
#define EXT_RO_COMPAT	0x0007	/* sparse_super, large_file, btree_dir */

int probe_ext(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	const uint8_t *s = h + 1024;
	uint32_t compat, incompat, ro;
	const char *t;

	if (d->size < 2048 || probe_le16(s + 0x38) != 0xef53)
		return 0;
	compat = probe_le32(s + 0x5c);
	incompat = probe_le32(s + 0x60);
	ro = probe_le32(s + 0x64);
	if (incompat & EXT_JOURNAL_DEV)
		t = "jbd";
	else if ((incompat & ~EXT3_INCOMPAT) || (ro & ~EXT_RO_COMPAT))
		t = probe_le32(s + 0x160) & 4 ? "ext4dev" : "ext4";
	else if (compat & EXT_JOURNAL)
		t = "ext3";
	else if (!(incompat & ~EXT2_INCOMPAT))
		t = "ext2";
	else
		return 0;
	return found(o, t, s + 0x68, s + 0x78, 16);
}

/* XFS: big-endian superblock at 0. */
int probe_xfs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	if (d->size < 512 || !probe_memeq(h, "XFSB", 4))
		return 0;
	if (!is_pow2(probe_be32(h + 4), 512, 65536) ||
	    !is_pow2((uint32_t)(h[102] << 8 | h[103]), 512, 32768) ||
	    !probe_be32(h + 88))
		return 0;
	return found(o, "xfs", h + 32, h + 108, 12);
}

/* Btrfs: superblock at 64 KiB, magic at +0x40, label at +0x12b. */
int probe_btrfs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	uint8_t s[0x12b + 256];
	int r;

	(void)h;
	r = probe_read(d, 0x10000, s, sizeof(s));
	if (r)
		return r == -ENOENT ? 0 : r;
	if (!probe_memeq(s + 0x40, "_BHRfS_M", 8))
		return 0;
	return found(o, "btrfs", s + 0x20, s + 0x12b, 256);
}

/* F2FS: superblock at 1024; UTF-16LE volume name. */
int probe_f2fs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	const uint8_t *s = h + 1024;

	if (d->size < 4096 || probe_le32(s) != 0xf2f52010)
		return 0;
	probe_set_type(o, "f2fs");
	if (probe_le16(s + 4) == 1 && probe_le16(s + 6) == 0)
		return 1;
	probe_uuid16(o->uuid, s + 108, 0);
	probe_utf16(o->label, sizeof(o->label), s + 124, 512, 0);
	return 1;
}

/* EROFS: superblock at 1024. */
int probe_erofs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	const uint8_t *s = h + 1024;

	if (d->size < 2048 || probe_le32(s) != 0xe0f5e1e2)
		return 0;
	if (s[12] < 9 || s[12] > 16)
		return 0;
	return found(o, "erofs", s + 48, s + 64, 16);
}

/* SquashFS: no UUID or label. Versions before 4 are "squashfs3". */
int probe_squashfs(const struct probe_dev *d, const uint8_t *h,
		   struct probe_fs *o)
{
	int le = probe_memeq(h, "hsqs", 4);
	unsigned int major;

	if (d->size < 96 || (!le && !probe_memeq(h, "sqsh", 4)))
		return 0;
	major = le ? probe_le16(h + 28) : (unsigned int)(h[28] << 8 | h[29]);
	if (major >= 4 && le)
		probe_set_type(o, "squashfs");
	else if (major < 4)
		probe_set_type(o, "squashfs3");
	else
		return 0;
	return 1;
}

/*
 * Swap: signature at the end of the first page, for any page size. A
 * hibernation image replaces only the signature: the swap header with its
 * UUID and label stays, and resume=UUID= must still find the device.
 */
int probe_swap(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	bool hibernated = false;
	uint8_t m[10];
	uint32_t ps, v;
	int r;

	for (ps = 4096; ps <= 65536; ps <<= 1) {
		if (d->size < ps)
			return 0;
		if (ps == 4096) {
			memcpy(m, h + ps - 10, 10);
		} else {
			r = probe_read(d, ps - 10, m, 10);
			if (r)
				return r;
		}
		if (probe_memeq(m, "SWAPSPACE2", 10))
			break;
		if (probe_memeq(m, "SWAP-SPACE", 10)) {
			probe_set_type(o, "swap");
			return 1;
		}
		if (probe_memeq(m, "S1SUSPEND", 9) ||
		    probe_memeq(m, "S2SUSPEND", 9) ||
		    probe_memeq(m, "ULSUSPEND", 9) ||
		    probe_memeq(m, "LINHIB0001", 10)) {
			hibernated = true;
			break;
		}
	}
	if (ps > 65536)
		return 0;
	v = probe_le32(h + 1024);
	if (v != 1 && v != 0x01000000) {
		if (!hibernated)
			return 0;
		probe_set_type(o, "swsuspend");	/* on no swap header we know */
		return 1;
	}
	return found(o, hibernated ? "swsuspend" : "swap", h + 1036, h + 1052, 16);
}

/*
 * Containers that hold a filesystem rather than being one, found by
 * UUID= (rd.luks.uuid=, systemd.verity_root_hash=UUID=): LUKS1 and LUKS2
 * keep the UUID as text at 168, LUKS2 a label at 24; a verity hash
 * device as veritysetup formats it, its UUID binary at 16.
 */
int probe_container(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o)
{
	if (d->size < 592)
		return 0;
	if (probe_memeq(h, "LUKS\xba\xbe", 6) && (h[7] == 1 || h[7] == 2) && !h[6]) {
		probe_set_type(o, "crypto_LUKS");
		probe_label(o->uuid, sizeof(o->uuid), h + 168, 39);
		if (h[7] == 2)
			probe_label(o->label, sizeof(o->label), h + 24, 47);
		return 1;
	}
	if (probe_memeq(h, "verity\0\0", 8) && probe_le32(h + 8) == 1)
		return found(o, "DM_verity_hash", h + 16, h, 0);
	return 0;
}

static const probe_fs_fn fs_probes[] = {
	probe_xfs,	probe_ext,	probe_f2fs,	probe_erofs,
	probe_squashfs,	probe_btrfs,	probe_iso9660,	probe_exfat,
	probe_vfat,	probe_swap,	probe_container,
};

int probe_filesystem(const struct probe_dev *d, struct probe_fs *out)
{
	uint8_t head[PROBE_HEAD];
	size_t n = d->size < sizeof(head) ? (size_t)d->size : sizeof(head);
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	memset(head, 0, sizeof(head));
	r = probe_read(d, 0, head, n);
	if (r)
		return r;
	for (i = 0; i < sizeof(fs_probes) / sizeof(fs_probes[0]); i++) {
		r = fs_probes[i](d, head, out);
		if (r > 0)
			return 0;
		memset(out, 0, sizeof(*out));
		if (r < 0)
			return r;
	}
	return -ENOENT;
}
