/*
 * md superblocks (include/uapi/linux/raid/md_p.h): 0.90 in the host's
 * byte order at the end of the device, 1.x little-endian at the end (1.0),
 * the start (1.1) or 4 KiB in (1.2). Checked as the kernel checks them
 * when it loads a member (drivers/md/md.c super_90_load, super_1_load):
 * a superblock the kernel would refuse is never handed to it.
 */
#define PROBE_INTERNAL
#include "md/md.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

#define MD_MAGIC 0xa92b4efcu
#define SB_BYTES 4096		/* read at each place: the largest 1.x superblock */
#define SB1_ROLES 256		/* dev_roles[] start in a 1.x superblock */
#define SB1_MAX_DEV MD_SLOTS_MAX	/* (SB_BYTES - SB1_ROLES) / 2 */
#define SB0_RESERVED_SECTORS 128	/* MD_RESERVED_SECTORS: 64 KiB */
#define SB0_DISKS 27		/* MD_SB_DISKS */
#define SB0_DISK_SYNC 2		/* MD_DISK_SYNC, MD_DISK_ACTIVE, MD_DISK_FAULTY */
#define SB0_DISK_ACTIVE 1
#define SB0_DISK_FAULTY 0
#define SB0_BITMAP_PRESENT 8	/* MD_SB_BITMAP_PRESENT in the state word */
#define RESHAPE "a reshape in progress: finish it with mdadm --assemble on a running system"

const char *md_format_name(unsigned int f)
{
	static const char names[][5] = { "0.90", "1.0", "1.1", "1.2" };

	return f <= MD_FORMAT_12 ? names[f] : "?";
}

void md_format_version(unsigned int f, int *major, int *minor)
{
	*major = f != MD_FORMAT_090;
	*minor = f == MD_FORMAT_090 ? 90 : (int)f - MD_FORMAT_10;
}

const char *md_level_name(int32_t level, char *buf)
{
	if (level == MD_LEVEL_LINEAR)
		return "linear";
	if (level == MD_LEVEL_MULTIPATH)
		return "multipath";
	fmt_buf(buf, 16, level >= 0 ? "raid%d" : "level %d", (int)level);
	return buf;
}

const char *md_short_name(const char *name)
{
	const char *c = strchr(name, ':');

	return c ? c + 1 : name;
}

int md_uuid_parse(const char *s, uint8_t out[16])
{
	int n = 0, v;

	for (; *s; s++) {
		if (*s == ':' || *s == '-' || *s == '.')
			continue;
		v = hex_digit(*s);
		if (v < 0 || n == 32)
			return -EINVAL;
		if (n % 2)
			out[n / 2] |= (uint8_t)v;
		else
			out[n / 2] = (uint8_t)(v << 4);
		n++;
	}
	return n == 32 ? 0 : -EINVAL;
}

void md_uuid_format(const uint8_t uuid[16], char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 16; i++) {
		if (i && !(i % 4))
			*out++ = ':';
		*out++ = hex[uuid[i] >> 4];
		*out++ = hex[uuid[i] & 15];
	}
	*out = '\0';
}

/* 0.90 words are the host's byte order: the kernel reads them as it wrote them. */
static uint32_t w0(const uint8_t *b, unsigned int word)
{
	uint32_t v;

	memcpy(&v, b + 4 * (size_t)word, 4);
	return v;
}

/* The 0.90 checksum: the words summed (the checksum's own as 0), carried once, then folded to 16 bits. */
static uint32_t fold(uint32_t c)
{
	c = (c & 0xffff) + (c >> 16);
	return (c & 0xffff) + (c >> 16);
}

static int parse_090(const uint8_t *b, struct md_super *s, const char **why)
{
	uint64_t sum = 0;
	uint32_t number, state, i;

	if (w0(b, 0) != MD_MAGIC) {
		/* Written by a host of the other byte order: this kernel cannot read it. */
		*why = "a 0.90 superblock of the other byte order (mdadm --assemble --update=byteorder on a host of that order)";
		return probe_be32(b) == MD_MAGIC || probe_le32(b) == MD_MAGIC ? -EINVAL : -ENOENT;
	}
	*why = "an invalid 0.90 superblock (its version, or no disks or more than 27)";
	if (w0(b, 1) != 0 || w0(b, 2) < 90 || w0(b, 2) > 91 || !w0(b, 10) || w0(b, 10) > SB0_DISKS)
		return -EINVAL;
	for (i = 0; i < SB_BYTES / 4; i++)
		sum += i == 38 ? 0 : w0(b, i);
	if (fold((uint32_t)sum + (uint32_t)(sum >> 32)) != fold(w0(b, 38))) {
		*why = "a bad 0.90 superblock checksum";
		return -EINVAL;
	}
	memcpy(s->uuid, b + 20, 4);	/* set_uuid0, word 5 */
	memcpy(s->uuid + 4, b + 52, 12);	/* set_uuid1..3, words 13-15 */
	s->format = MD_FORMAT_090;
	s->ctime = w0(b, 6);
	s->level = (int32_t)w0(b, 7);
	s->raid_disks = w0(b, 10);
	s->layout = w0(b, 64);
	s->chunk_sectors = w0(b, 65) >> 9;
	s->data_size = (uint64_t)w0(b, 8) * 2;
	s->features = w0(b, 33) >> SB0_BITMAP_PRESENT & 1 ? MD_FEATURE_BITMAP_OFFSET : 0;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	s->events = (uint64_t)w0(b, 39) << 32 | w0(b, 40);
#else
	s->events = (uint64_t)w0(b, 40) << 32 | w0(b, 39);
#endif
	/* The role, as the kernel takes it: this disk's entry in the table, by its number. */
	number = w0(b, 992);
	state = number < SB0_DISKS ? w0(b, 128 + 32 * number + 4) : 0;
	if (state >> SB0_DISK_FAULTY & 1)
		s->role = MD_ROLE_FAULTY;
	else if (state & (1u << SB0_DISK_SYNC | 1u << SB0_DISK_ACTIVE) &&
		 w0(b, 128 + 32 * number + 3) < s->raid_disks)
		s->role = w0(b, 128 + 32 * number + 3);
	else
		s->role = MD_ROLE_SPARE;
	if (w0(b, 2) == 91)
		s->refuse = RESHAPE;
	return 0;
}

/* The 1.x checksum: little-endian words over 256 + 2 * max_dev bytes (itself as 0), carried once. */
static uint32_t csum1(const uint8_t *b, uint32_t size)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i + 4 <= size; i += 4)
		sum += i == 216 ? 0 : probe_le32(b + i);
	if (size - i == 2)
		sum += probe_le16(b + i);
	return (uint32_t)sum + (uint32_t)(sum >> 32);
}

static int parse_1(const uint8_t *b, enum md_format f, uint64_t sb_sector, struct md_super *s,
		   const char **why)
{
	uint32_t max_dev = probe_le32(b + 220), features = probe_le32(b + 8), dev;
	uint64_t sb_sectors;

	if (probe_le32(b) != MD_MAGIC)
		return -ENOENT;
	sb_sectors = (SB1_ROLES + 2 * max_dev + 511) / 512;
	/* What md.c super_1_load() refuses, the data overlapping the superblock included. */
	*why = "an invalid 1.x superblock (its version, sizes or offsets; a stale copy inside another device?)";
	if (probe_le32(b + 4) != 1 || max_dev > SB1_MAX_DEV || probe_le64(b + 144) != sb_sector ||
	    probe_le64(b + 136) < 10 || probe_le32(b + 12) || !probe_is_zero(b + 224, 32) ||
	    !probe_le32(b + 92) || probe_le32(b + 92) > SB1_MAX_DEV ||
	    (f != MD_FORMAT_10 && probe_le64(b + 128) < sb_sector + sb_sectors))
		return -EINVAL;
	*why = "a 1.x superblock with features this kernel does not know";
	if (features & ~(uint32_t)MD_FEATURE_ALL)
		return -EINVAL;
	*why = "a bad 1.x superblock checksum";
	if (csum1(b, SB1_ROLES + 2 * max_dev) != probe_le32(b + 216))
		return -EINVAL;
	memcpy(s->uuid, b + 16, 16);
	probe_label(s->name, sizeof(s->name), b + 32, 32);
	/* The name is the disk's: it goes into messages and /dev/md/, never a control byte. */
	for (dev = 0; s->name[dev]; dev++)
		if ((uint8_t)s->name[dev] < 0x20 || s->name[dev] == 0x7f)
			s->name[dev] = '?';
	s->format = (uint8_t)f;
	s->ctime = probe_le64(b + 64) & ((1ull << 40) - 1);
	s->level = (int32_t)probe_le32(b + 72);
	s->layout = probe_le32(b + 76);
	s->chunk_sectors = probe_le32(b + 88);
	s->raid_disks = probe_le32(b + 92);
	s->data_offset = probe_le64(b + 128);
	s->data_size = probe_le64(b + 136);
	s->events = probe_le64(b + 200);
	s->features = features;
	dev = probe_le32(b + 160);
	s->role = dev < max_dev ? probe_le16(b + SB1_ROLES + 2 * (size_t)dev) : MD_ROLE_SPARE;
	if (s->role < MD_ROLE_MAX && s->role >= s->raid_disks)
		s->role = MD_ROLE_SPARE;	/* a slot past the array's: the kernel takes it as a spare */
	if (features & MD_FEATURE_RESHAPE_ACTIVE)
		s->refuse = RESHAPE;
	else if (features & MD_FEATURE_JOURNAL || s->role == MD_ROLE_JOURNAL)
		s->refuse = "a write journal (mdadm --assemble handles its replay)";
	else if (features & MD_FEATURE_CLUSTERED)
		s->refuse = "a clustered array (it needs the cluster's locking)";
	return 0;
}

int md_super_parse(const uint8_t *buf, size_t len, enum md_format f, uint64_t sb_sector,
		   struct md_super *s, const char **why)
{
	memset(s, 0, sizeof(*s));
	*why = NULL;
	if (len < SB_BYTES)
		return -ENOENT;
	return f == MD_FORMAT_090 ? parse_090(buf, s, why) : parse_1(buf, f, sb_sector, s, why);
}

/* Where format f's superblock is on a device of sectors sectors; 0 with none (too small). */
static uint64_t place(enum md_format f, uint64_t sectors)
{
	switch (f) {
	case MD_FORMAT_090:
		return sectors < 2ull * SB0_RESERVED_SECTORS ? 0 :
		       (sectors & ~(uint64_t)(SB0_RESERVED_SECTORS - 1)) - SB0_RESERVED_SECTORS;
	case MD_FORMAT_10:
		return sectors < 32 ? 0 : (sectors - 16) & ~(uint64_t)7;
	case MD_FORMAT_11:
		return 0;
	default:
		return 8;
	}
}

bool md_magic_at_end(const struct probe_dev *d)
{
	static const uint8_t end[] = { MD_FORMAT_090, MD_FORMAT_10 };
	uint64_t at;
	uint8_t m[4];
	size_t i;

	for (i = 0; i < sizeof(end); i++) {
		at = place(end[i], d->size / 512);
		if (at && !probe_read(d, at * 512, m, 4) &&
		    (probe_le32(m) == MD_MAGIC || probe_be32(m) == MD_MAGIC))
			return true;
	}
	return false;
}

int md_super_read(const struct probe_dev *d, struct md_super *s, const char **why)
{
	static const uint8_t order[] = { MD_FORMAT_12, MD_FORMAT_11, MD_FORMAT_10, MD_FORMAT_090 };
	uint8_t buf[SB_BYTES];
	struct md_super got;
	const char *w = NULL;
	uint64_t sectors = d->size / 512, at;
	int e, r = -ENOENT;
	size_t i;

	*why = NULL;
	if (sectors < 32)
		return -ENOENT;
	for (i = 0; i < sizeof(order); i++) {
		at = place(order[i], sectors);
		if (order[i] != MD_FORMAT_11 && !at)
			continue;
		e = probe_read(d, at * 512, buf, sizeof(buf));
		if (e)
			return e == -ENOENT ? r : e;
		e = md_super_parse(buf, sizeof(buf), order[i], at, &got, &w);
		if (e == -EINVAL && r == -ENOENT) {
			*why = w;
			r = -EINVAL;
		}
		/* Two valid ones (a device reused without wiping): the newer, as mdadm picks. */
		if (!e && (r || got.ctime > s->ctime)) {
			*s = got;
			*why = NULL;
			r = 0;
		}
	}
	return r;
}
