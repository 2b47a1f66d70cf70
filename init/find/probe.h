/*
 * probe: identify filesystems and partition tables by reading the disk.
 *
 * No malloc, no stdio, a few KiB of stack: usable from a static PID 1,
 * from a host tool and from a fuzzer. Every read goes through
 * struct probe_dev, which is bounded by its size: an offset or length
 * taken from the disk is checked against the size before it is read.
 *
 * All functions return 0 on success or a negative errno.
 */
#ifndef HANDOFF_PROBE_H
#define HANDOFF_PROBE_H

#include <stddef.h>
#include <stdint.h>

struct probe_dev {
	/* Read len bytes at off: 0 or -errno; a short read is -EIO. */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint64_t size;		/* bytes */
	/* Logical sector size for partition tables; 0 = guess (512 first,
	 * then 4096 for GPT). */
	uint32_t sector_size;
};

/* One filesystem (or swap). Strings are NUL-terminated, "" if absent;
 * names and formats as util-linux blkid prints them. */
struct probe_fs {
	char type[24];		/* "ext4", "vfat", "swap", "linux_raid_member"... */
	char uuid[40];		/* 16-byte UUIDs lowercase canonical, XXXX-XXXX for
				 * vfat/exfat, iso9660 date form */
	char label[256];	/* UTF-8, trailing white space removed */
};

/* 0 found, -ENOENT not recognised, other -errno on read errors. */
int probe_filesystem(const struct probe_dev *d, struct probe_fs *out);

#define PROBE_MAX_PARTS 128

struct probe_part {
	uint32_t number;	/* 1-based, as the kernel numbers it */
	uint8_t mbr_type;	/* dos: partition type byte; gpt: 0 */
	uint8_t container;	/* dos: extended partition (holds logicals) */
	uint64_t start, size;	/* bytes from the start of the disk */
	char partuuid[40];	/* lowercase; dos form "ssssssss-pp" */
	char partlabel[72 * 3 + 1];	/* gpt name, UTF-8 */
	char type_guid[40];	/* gpt: partition type GUID, lowercase; dos: "" */
	uint64_t attrs;		/* gpt: attribute bits (bit 60 read-only, 63 no-auto
				 * for the Discoverable Partitions); dos: 0 */
};

struct probe_table {
	char type[8];		/* "gpt", "dos", "" */
	char ptuuid[40];	/* gpt: disk GUID; dos: 8-hex disk signature */
	uint32_t sector_size;	/* the one the table was read with */
	uint32_t count;		/* entries used in part[] */
	struct probe_part part[PROBE_MAX_PARTS];
};

/* 0 found, -ENOENT no (valid) table, other -errno on read errors. */
int probe_partitions(const struct probe_dev *d, struct probe_table *out);

/* 1 if the UUID strings are equal ignoring ASCII case, else 0. */
int probe_uuid_equal(const char *a, const char *b);

/*
 * Helpers for callers.
 * probe_fd_read: a read callback for a file descriptor; ctx points to
 * the int fd.
 * probe_window_init: makes *w a view of len bytes at off in parent
 * (clamped to the parent's size); w->dev is then usable as a device.
 */
int probe_fd_read(void *ctx, uint64_t off, void *buf, size_t len);

struct probe_window {
	struct probe_dev dev;
	const struct probe_dev *parent;
	uint64_t off;
};

void probe_window_init(struct probe_window *w, const struct probe_dev *parent,
		       uint64_t off, uint64_t len);

/*
 * Formats KEY=value as util-linux blkid prints it, escaped the same way:
 * with export, a line of `blkid -o export` (shell-quoted); else
 * ' KEY="value"' for a plain `blkid` line. Control characters become \xNN.
 * Returns the length written (0, nothing, for an empty value); a value too
 * long for size is cut, never in the middle of an escape.
 */
#define PROBE_TAG_MAX 1100	/* enough for any tag of ours */
size_t probe_tag(char *buf, size_t size, const char *key, const char *val, int export);

#ifdef PROBE_INTERNAL
/* Shared by init/probe*.c only. */

/* Bounded read: -ENOENT if [off, off+len) is not inside the device. */
int probe_read(const struct probe_dev *d, uint64_t off, void *buf, size_t len);
uint16_t probe_le16(const uint8_t *p);
uint32_t probe_le32(const uint8_t *p);
uint64_t probe_le64(const uint8_t *p);
uint32_t probe_be32(const uint8_t *p);
int probe_is_zero(const uint8_t *p, size_t n);
int probe_memeq(const void *a, const char *b, size_t n);
void probe_uuid16(char *out, const uint8_t *b, int guid);
void probe_serial4(char *out, const uint8_t *b);
void probe_hex32(char *out, uint32_t v);
void probe_label(char *out, size_t outsz, const uint8_t *src, size_t len);
void probe_utf16(char *out, size_t outsz, const uint8_t *src, size_t units,
		 int be);
uint32_t probe_crc32(uint32_t crc, const void *buf, size_t len);
void probe_set_type(struct probe_fs *o, const char *type);
int probe_fat_bpb(const uint8_t *b);

/* Filesystem probes: 1 found (*o filled), 0 not this type, -errno.
 * head: the first PROBE_HEAD bytes of the device (zero past its end). */
#define PROBE_HEAD 4096
typedef int (*probe_fs_fn)(const struct probe_dev *d, const uint8_t *head,
			   struct probe_fs *o);
int probe_ext(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_xfs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_btrfs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_vfat(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_exfat(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_f2fs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_iso9660(const struct probe_dev *d, const uint8_t *h,
		  struct probe_fs *o);
int probe_squashfs(const struct probe_dev *d, const uint8_t *h,
		   struct probe_fs *o);
int probe_erofs(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_swap(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
int probe_container(const struct probe_dev *d, const uint8_t *h, struct probe_fs *o);
#endif

#endif
