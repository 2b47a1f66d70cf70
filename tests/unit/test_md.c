/*
 * md RAID: the superblocks (every format, their checksums and the
 * kernel's checks), the roles, and the choice of members: events and
 * staleness, conflicting members, degraded starts per level, UUID forms.
 * Synthetic superblocks are written here, laid out as md_p.h says; real
 * ones made by mdadm are in tests/unit/md/ when the image maker has made
 * them (see md_fixtures()).
 */
#include "check.h"
#include "find/identify.h"
#include "md/md.h"
#include "plan/plan.h"
#include "storage/storage.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DEV_SECTORS 20480	/* a 10 MiB member */

static uint8_t disk[DEV_SECTORS * 512];

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	memcpy(buf, disk + off, len);
	return 0;
}

static struct probe_dev dev = { mem_read, NULL, sizeof(disk), 0 };

static void le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	le16(p, v);
	le16(p + 2, v >> 16);
}

static void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

static const uint8_t uuid_a[16] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				    0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00 };
static const uint8_t uuid_b[16] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
				    0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf };

struct sb1 {
	enum md_format f;
	const uint8_t *uuid;
	const char *name;
	int32_t level;
	uint32_t layout, chunk, raid_disks, dev_number, max_dev, features;
	uint64_t events, data_offset;
	uint16_t roles[8];
};

/* The 1.x checksum as md_p.h's comment and md.c compute it, written independently here. */
static uint32_t sum1(const uint8_t *b, uint32_t size)
{
	uint64_t s = 0;
	uint32_t i;

	for (i = 0; i + 4 <= size; i += 4)
		s += (uint32_t)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | (uint32_t)b[i + 3] << 24);
	if (size % 4)
		s += (uint32_t)(b[i] | b[i + 1] << 8);
	return (uint32_t)(s + (s >> 32));
}

/* Writes a 1.x superblock into disk at its format's place; returns that offset in bytes. */
static uint64_t put1(const struct sb1 *o)
{
	uint64_t at = o->f == MD_FORMAT_11 ? 0 : o->f == MD_FORMAT_12 ? 8 :
		      (DEV_SECTORS - 16) & ~7ull;
	uint8_t *b = disk + at * 512;
	uint32_t i, max_dev = o->max_dev ? o->max_dev : 8;

	memset(b, 0, 4096);
	le32(b, 0xa92b4efc);
	le32(b + 4, 1);
	le32(b + 8, o->features);
	memcpy(b + 16, o->uuid, 16);
	memcpy(b + 32, o->name, strlen(o->name));
	le64(b + 64, 1700000000);
	le32(b + 72, (uint32_t)o->level);
	le32(b + 76, o->layout);
	le64(b + 80, 16384);
	le32(b + 88, o->chunk);
	le32(b + 92, o->raid_disks);
	le64(b + 128, o->f == MD_FORMAT_10 ? 0 : o->data_offset ? o->data_offset : 2048);
	le64(b + 136, 16384);
	le64(b + 144, at);
	le32(b + 160, o->dev_number);
	le64(b + 200, o->events);
	le32(b + 220, max_dev);
	for (i = 0; i < max_dev; i++)
		le16(b + 256 + 2 * i, i < 8 ? o->roles[i] : 0xffff);
	le32(b + 216, sum1(b, 256 + 2 * max_dev));
	return at * 512;
}

/* A 0.90 superblock in host byte order at the end: number this disk, role slot. */
static uint64_t put090(const uint8_t *uuid, int32_t level, uint32_t raid_disks, uint32_t number,
		       uint32_t slot, uint32_t state, uint64_t events)
{
	uint64_t at = ((DEV_SECTORS & ~127ull) - 128) * 512, sum = 0;
	uint32_t w[1024], i;

	memset(w, 0, sizeof(w));
	w[0] = 0xa92b4efc;
	w[2] = 90;
	memcpy(&w[5], uuid, 4);
	w[6] = 1700000000;
	w[7] = (uint32_t)level;
	w[8] = 8000;
	w[10] = raid_disks;
	memcpy(&w[13], uuid + 4, 12);
	w[39] = (uint32_t)events;	/* little-endian host: events_lo first */
	w[40] = (uint32_t)(events >> 32);
	w[65] = 65536;
	w[128 + 32 * number] = number;
	w[128 + 32 * number + 3] = slot;
	w[128 + 32 * number + 4] = state;
	w[992] = number;
	w[992 + 3] = slot;
	w[992 + 4] = state;
	for (i = 0; i < 1024; i++)
		sum += w[i];
	w[38] = (uint32_t)(sum + (sum >> 32));
	memcpy(disk + at, w, sizeof(w));
	return at;
}

static int read_sb(struct md_super *s, const char **why)
{
	return md_super_read(&dev, s, why);
}

static void formats(void)
{
	struct md_super s;
	const char *why;
	uint64_t at;
	char buf[40];
	static const enum md_format fs[] = { MD_FORMAT_10, MD_FORMAT_11, MD_FORMAT_12 };
	size_t i;

	for (i = 0; i < 3; i++) {
		memset(disk, 0, sizeof(disk));
		at = put1(&(struct sb1){ fs[i], uuid_a, "host:data", 1, 0, 0, 2, 1, 0, 0, 42, 0,
					 { 0, 1 } });
		TEST("1.x superblock %s at byte %llu", md_format_name(fs[i]), (unsigned long long)at);
		CHECK_INT(read_sb(&s, &why), 0);
		CHECK_INT(s.format, fs[i]);
		CHECK(!memcmp(s.uuid, uuid_a, 16));
		CHECK_STR(s.name, "host:data");
		CHECK_STR(md_short_name(s.name), "data");
		CHECK_INT(s.level, 1);
		CHECK_INT(s.raid_disks, 2);
		CHECK_INT(s.role, 1);
		CHECK_INT(s.events, 42);
		CHECK_INT(s.data_offset, fs[i] == MD_FORMAT_10 ? 0 : 2048);
		CHECK(s.refuse == NULL);

		TEST("1.x superblock %s: one flipped bit is a bad checksum", md_format_name(fs[i]));
		disk[at + 200] ^= 4;
		CHECK_INT(read_sb(&s, &why), -EINVAL);
		CHECK_STR(why, "a bad 1.x superblock checksum");
	}
	TEST("1.0: 8 to 12 KiB from the end, 4 KiB aligned");
	memset(disk, 0, sizeof(disk));
	at = put1(&(struct sb1){ MD_FORMAT_10, uuid_a, "x", 1, 0, 0, 2, 0, 0, 0, 1, 0, { 0, 1 } });
	CHECK_INT(at, (DEV_SECTORS - 16) * 512ull);

	TEST("1.x: a copy found where it does not say it is (super_offset) is refused");
	memset(disk, 0, sizeof(disk));
	at = put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 0, 1, 0, { 0, 1 } });
	memmove(disk, disk + at, 4096);
	memset(disk + at, 0, 4096);
	CHECK_INT(read_sb(&s, &why), -EINVAL);

	TEST("1.x: unknown feature bits, reserved bytes, data over the superblock: refused");
	memset(disk, 0, sizeof(disk));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 0x4000, 1, 0, { 0, 1 } });
	CHECK_INT(read_sb(&s, &why), -EINVAL);
	memset(disk, 0, sizeof(disk));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 0, 1, 8, { 0, 1 } });
	CHECK_INT(read_sb(&s, &why), -EINVAL);

	TEST("1.x: the role is dev_roles[dev_number]; spare, faulty, past raid_disks");
	memset(disk, 0, sizeof(disk));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 3, 0, 0, 7, 0, { 0, 2, 1, 0xffff } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_SPARE);
	CHECK_INT(s.chunk_sectors, 128);
	CHECK_INT(s.layout, 2);
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 2, 0, 0, 7, 0, { 0, 2, 1, 0xfffe } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, 1);
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 3, 0, 0, 7, 0, { 0, 2, 1, 0xfffe } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_FAULTY);
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 0, 0, 0, 7, 0, { 7 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_SPARE);
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 9, 0, 0, 7, 0, { 0 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_SPARE);

	TEST("1.x: control bytes in the name never reach a message");
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "h:\x1b[2Jx", 1, 0, 0, 2, 1, 0, 0, 7, 0, { 0, 1 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_STR(s.name, "h:?[2Jx");

	TEST("1.x: an odd max_dev sums its last role as 16 bits");
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 1, 3, 0, 7, 0, { 0, 1, 0xffff } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, 1);

	TEST("1.x: a reshape, a journal, a cluster are read and refused by name");
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 0, 0, 4, 7, 0, { 0, 1, 2 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK(s.refuse && strstr(s.refuse, "reshape"));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 5, 2, 128, 3, 0, 0, 512, 7, 0, { 0, 1, 2 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK(s.refuse && strstr(s.refuse, "journal"));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 256, 7, 0, { 0, 1 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK(s.refuse && strstr(s.refuse, "cluster"));

	TEST("1.x: a write-intent bitmap is fine (the kernel reads it)");
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 1, 7, 0, { 0, 1 } });
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK(s.refuse == NULL);

	TEST("0.90: at the last 64 KiB-aligned 64 KiB, host order, checksum, role");
	memset(disk, 0, sizeof(disk));
	at = put090(uuid_b, 1, 2, 1, 1, 6, 0x100000007ull);
	CHECK_INT(at, (DEV_SECTORS - 128) * 512ull);
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.format, MD_FORMAT_090);
	CHECK(!memcmp(s.uuid, uuid_b, 16));
	CHECK_STR(s.name, "");
	CHECK_INT(s.role, 1);
	CHECK_INT(s.events, 0x100000007ll);
	CHECK_INT(s.chunk_sectors, 128);
	disk[at + 4 * 39] ^= 1;
	CHECK_INT(read_sb(&s, &why), -EINVAL);
	CHECK_STR(why, "a bad 0.90 superblock checksum");

	TEST("0.90: a spare (neither active nor in sync), a faulty disk");
	put090(uuid_b, 1, 2, 2, 2, 0, 5);
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_SPARE);
	put090(uuid_b, 1, 2, 1, 1, 1, 5);
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.role, MD_ROLE_FAULTY);

	TEST("0.90 of the other byte order: named, not read");
	{
		uint32_t *w = (uint32_t *)(disk + at);

		put090(uuid_b, 1, 2, 0, 0, 6, 5);
		w[0] = __builtin_bswap32(w[0]);
		CHECK_INT(read_sb(&s, &why), -EINVAL);
		CHECK(why && strstr(why, "byte order"));
	}

	TEST("two valid superblocks: the newer by creation time");
	memset(disk, 0, sizeof(disk));
	put090(uuid_b, 1, 2, 0, 0, 6, 5);
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 2, 0, 0, 0, 1, 0, { 0, 1 } });
	le64(disk + 4096 + 64, 1800000000);
	le32(disk + 4096 + 216, 0);
	le32(disk + 4096 + 216, sum1(disk + 4096, 256 + 16));
	CHECK_INT(read_sb(&s, &why), 0);
	CHECK_INT(s.format, MD_FORMAT_12);

	TEST("no superblock, and a device too small for any");
	memset(disk, 0, sizeof(disk));
	CHECK_INT(read_sb(&s, &why), -ENOENT);
	{
		struct probe_dev tiny = { mem_read, NULL, 8192, 0 };

		CHECK_INT(md_super_read(&tiny, &s, &why), -ENOENT);
	}

	TEST("names and versions");
	CHECK_STR(md_format_name(MD_FORMAT_090), "0.90");
	CHECK_STR(md_level_name(MD_LEVEL_LINEAR, buf), "linear");
	CHECK_STR(md_level_name(6, buf), "raid6");
	{
		int maj, min;

		md_format_version(MD_FORMAT_090, &maj, &min);
		CHECK(maj == 0 && min == 90);
		md_format_version(MD_FORMAT_12, &maj, &min);
		CHECK(maj == 1 && min == 2);
	}
}

static void uuids(void)
{
	uint8_t u[16];
	char out[40];

	TEST("UUID: mdadm's 8:8:8:8 and the canonical form, either case");
	CHECK_INT(md_uuid_parse("11223344:55667788:99aabbcc:ddeeff00", u), 0);
	CHECK(!memcmp(u, uuid_a, 16));
	CHECK_INT(md_uuid_parse("11223344-5566-7788-99AA-BBCCDDEEFF00", u), 0);
	CHECK(!memcmp(u, uuid_a, 16));
	md_uuid_format(uuid_a, out);
	CHECK_STR(out, "11223344:55667788:99aabbcc:ddeeff00");
	TEST("UUID: too short, too long, not hex");
	CHECK_INT(md_uuid_parse("11223344:55667788:99aabbcc:ddeeff0", u), -EINVAL);
	CHECK_INT(md_uuid_parse("11223344:55667788:99aabbcc:ddeeff001", u), -EINVAL);
	CHECK_INT(md_uuid_parse("11223344:55667788:99aabbcc:ddeeffzz", u), -EINVAL);
	CHECK_INT(md_uuid_parse("", u), -EINVAL);
}

/* A member of uuid at slot role with events, as a superblock would say. */
static struct md_super member(const uint8_t *uuid, const char *name, int32_t level, uint32_t disks,
			      uint32_t role, uint64_t events)
{
	struct md_super s;

	memset(&s, 0, sizeof(s));
	memcpy(s.uuid, uuid, 16);
	snprintf(s.name, sizeof(s.name), "%s", name);
	s.format = MD_FORMAT_12;
	s.level = level;
	s.raid_disks = disks;
	s.role = role;
	s.events = events;
	s.layout = level == 10 ? 0x102 : 0;
	return s;
}

static struct md_state st;

static void fresh(void)
{
	memset(&st, 0, sizeof(st));
	st.wait_ms = -1;
}

static int add(const char *dev, unsigned int minor, struct md_super s, long now)
{
	return md_state_add(&st, dev, 254, minor, &s, now);
}

static void decisions(void)
{
	struct md_decision d;

	TEST("complete RAID1: started at once");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 10), 100);
	md_decide(&st, 0, 100, 5000, &d);
	CHECK_INT(d.verdict, MD_WAIT);
	CHECK_INT(d.due_ms, 5000);
	add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 10), 300);
	md_decide(&st, 0, 300, 5000, &d);
	CHECK_INT(d.verdict, MD_START);
	CHECK_INT(d.uses, 2);
	CHECK_INT(d.present, 2);
	TEST("a device seen again is updated, not added");
	CHECK_INT(add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 10), 400), 1);
	CHECK_INT(st.members, 2);

	TEST("the wait counts from the first member");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 10), 1000);
	md_decide(&st, 0, 3000, 2500, &d);
	CHECK_INT(d.verdict, MD_WAIT);
	CHECK_INT(d.due_ms, 500);
	md_decide(&st, 0, 3500, 2500, &d);
	CHECK_INT(d.verdict, MD_DEGRADED);
	CHECK_INT(md_slot_member(&st, &d, 0), 0);
	CHECK_INT(md_slot_member(&st, &d, 1), -1);

	TEST("stale member (older events) left out, named; one event behind is fresh");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 12), 0);
	add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 9), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_WAIT);
	CHECK_INT(d.stales, 1);
	CHECK_INT(d.stale[0], 1);
	CHECK_INT(d.events, 12);
	md_decide(&st, 0, 6000, 5000, &d);
	CHECK_INT(d.verdict, MD_DEGRADED);
	CHECK_INT(d.uses, 1);
	add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 11), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_START);
	CHECK_INT(d.stales, 0);

	TEST("two fresh members in one slot: refused, both named");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 12), 0);
	add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 12), 0);
	add("vdd", 48, member(uuid_a, "h:data", 1, 2, 1, 12), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_REFUSED);
	CHECK(d.a == 1 && d.b == 2);
	TEST("one slot, one newer by an event: the newer holds it, the other is stale");
	add("vdd", 48, member(uuid_a, "h:data", 1, 2, 1, 11), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_START);
	CHECK_INT(d.stales, 1);
	CHECK_INT(d.stale[0], 2);

	TEST("another array with the same name: the smaller one is refused, both named");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 12), 0);
	add("vdc", 32, member(uuid_a, "h:data", 1, 2, 1, 12), 0);
	add("vdd", 48, member(uuid_b, "other:data", 1, 2, 0, 3), 0);
	st.a[1].name[0] = 'h';
	memcpy(st.a[1].name, "h:data", 7);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_START);
	md_decide(&st, 1, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_REFUSED);
	CHECK(d.a == 2 && d.b == 0);
	TEST("same name, but rd.md.uuid= names only one: no clash");
	st.a[0].wanted = false;
	md_decide(&st, 1, 9000, 5000, &d);
	CHECK_INT(d.verdict, MD_DEGRADED);

	TEST("members that disagree on the shape: refused");
	fresh();
	add("vdb", 16, member(uuid_a, "h:data", 1, 2, 0, 12), 0);
	add("vdc", 32, member(uuid_a, "h:data", 5, 2, 1, 12), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_REFUSED);

	TEST("a refused feature is refused by its reason");
	fresh();
	{
		struct md_super s = member(uuid_a, "h:data", 5, 3, 0, 1);

		s.refuse = "a reshape in progress";
		add("vdb", 16, s, 0);
	}
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_REFUSED);
	CHECK_STR(d.why, "a reshape in progress");

	TEST("spares are added, not counted as slots");
	fresh();
	add("vdb", 16, member(uuid_a, "h:d", 1, 2, 0, 4), 0);
	add("vdc", 32, member(uuid_a, "h:d", 1, 2, MD_ROLE_SPARE, 4), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_WAIT);
	CHECK_INT(d.uses, 2);
	CHECK_INT(d.present, 1);

	TEST("the members in slot order, spares last, whatever order they came in");
	fresh();
	add("vdd", 48, member(uuid_a, "h:data", 5, 3, MD_ROLE_SPARE, 10), 0);
	add("vdc", 32, member(uuid_a, "h:data", 5, 3, 2, 10), 0);
	add("vdb", 16, member(uuid_a, "h:data", 5, 3, 0, 10), 0);
	add("vde", 64, member(uuid_a, "h:data", 5, 3, 1, 10), 0);
	md_decide(&st, 0, 0, 5000, &d);
	CHECK_INT(d.verdict, MD_START);
	CHECK_INT(d.uses, 4);
	CHECK(d.use[0] == 2 && d.use[1] == 3 && d.use[2] == 1 && d.use[3] == 0);

}

/* Level, disks, the slots present (bits): may it start degraded once the wait is over? */
static enum md_verdict degraded(int32_t level, uint32_t disks, uint32_t layout, unsigned int slots)
{
	struct md_decision d;
	uint32_t i;

	fresh();
	for (i = 0; i < disks; i++) {
		struct md_super s = member(uuid_a, "", level, disks, i, 5);

		s.layout = layout;
		if (slots >> i & 1)
			add("vdx", i, s, 0);
	}
	md_decide(&st, 0, 10000, 1000, &d);
	return d.verdict;
}

static void levels(void)
{
	TEST("raid1: runs on any one member");
	CHECK_INT(degraded(1, 3, 0, 4), MD_DEGRADED);
	CHECK_INT(degraded(1, 2, 0, 3), MD_START);
	TEST("raid4/5: one missing at most");
	CHECK_INT(degraded(5, 3, 2, 5), MD_DEGRADED);
	CHECK_INT(degraded(5, 3, 2, 4), MD_CANNOT);
	CHECK_INT(degraded(4, 4, 0, 7), MD_DEGRADED);
	TEST("raid6: two missing at most");
	CHECK_INT(degraded(6, 4, 2, 3), MD_DEGRADED);
	CHECK_INT(degraded(6, 4, 2, 1), MD_CANNOT);
	TEST("raid0 and linear: never degraded");
	CHECK_INT(degraded(0, 2, 0, 1), MD_CANNOT);
	CHECK_INT(degraded(MD_LEVEL_LINEAR, 2, 0, 2), MD_CANNOT);
	CHECK_INT(degraded(0, 2, 0, 3), MD_START);
	TEST("raid10 near=2 on 4: one of each mirror pair");
	CHECK_INT(degraded(10, 4, 0x102, 0x5), MD_DEGRADED);	/* slots 0 and 2 */
	CHECK_INT(degraded(10, 4, 0x102, 0x3), MD_CANNOT);	/* 0 and 1: pair 2-3 gone */
	TEST("raid10 far=2 on 2: either member");
	CHECK_INT(degraded(10, 2, 0x201, 0x2), MD_DEGRADED);
	TEST("raid10 near=2 on 3 disks: neighbours hold the copies");
	CHECK_INT(degraded(10, 3, 0x102, 0x5), MD_DEGRADED);
	CHECK_INT(degraded(10, 3, 0x102, 0x1), MD_CANNOT);
	TEST("no member in a slot (all faulty): never started");
	fresh();
	add("vdb", 16, member(uuid_a, "", 5, 3, MD_ROLE_FAULTY, 5), 0);
	{
		struct md_decision d;

		md_decide(&st, 0, 10000, 1000, &d);
		CHECK_INT(d.verdict, MD_CANNOT);
		CHECK_INT(d.uses, 0);
	}
	TEST("raid_disks past what a superblock holds: refused when read");
	memset(disk, 0, sizeof(disk));
	put1(&(struct sb1){ MD_FORMAT_12, uuid_a, "x", 1, 0, 0, 1921, 0, 0, 0, 1, 0, { 0 } });
	{
		struct md_super s;
		const char *why;

		CHECK_INT(read_sb(&s, &why), -EINVAL);
	}
	TEST("multipath and unknown levels: refused");
	CHECK_INT(degraded(MD_LEVEL_MULTIPATH, 2, 0, 3), MD_REFUSED);
	CHECK_INT(degraded(7, 2, 0, 3), MD_REFUSED);
}

static void wanted(void)
{
	TEST("rd.md.uuid=: only the arrays it names are wanted");
	fresh();
	md_uuid_parse("b0b1b2b3:b4b5b6b7:b8b9babb:bcbdbebf", st.want[0]);
	st.wants = 1;
	add("vdb", 16, member(uuid_a, "h:a", 1, 1, 0, 1), 0);
	add("vdc", 32, member(uuid_b, "h:b", 1, 1, 0, 1), 0);
	CHECK(!st.a[0].wanted);
	CHECK(st.a[1].wanted);
	TEST("the table is bounded: the member past it is refused");
	fresh();
	{
		unsigned int i;

		for (i = 0; i < MD_MEMBERS_MAX; i++)
			CHECK(add("vdx", i, member(uuid_a, "", 1, 2, 0, 1), 0) >= 0);
		CHECK_INT(add("vdy", 999, member(uuid_a, "", 1, 2, 0, 1), 0), -ENOSPC);
	}
	TEST("a member whose superblock is gone is forgotten");
	md_state_forget(&st, 254, 0);
	CHECK_INT(st.members, MD_MEMBERS_MAX - 1);
}

/*
 * Real superblocks made by mdadm (tools/mkstorage, in a guest): the 4 KiB
 * at the superblock's place of a member, cut into tests/unit/md/MEMBER-FORMAT.sb.
 * Each is put where its device had it (1.0: it says its own sector) and
 * read as the init reads a device.
 */
/* A large device of zeros but for the 4 KiB of disk[] at at. */
static struct {
	struct probe_dev dev;
	uint64_t at;
} sparse;

static int sparse_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++)
		b[i] = off + i >= sparse.at && off + i < sparse.at + 4096 ? disk[off + i - sparse.at] : 0;
	return 0;
}

static void fixtures(const char *dir)
{
	static const struct {
		const char *file;
		enum md_format f;
		int level;
		unsigned int disks, role;
		const char *uuid, *name;
	} fx[] = {
		{ "raid1-0-1.2", MD_FORMAT_12, 1, 2, 0, "6d640000:00000000:00000000:72616964", "mkstorage:data" },
		{ "raid1-1-1.2", MD_FORMAT_12, 1, 2, 1, "6d640000:00000000:00000000:72616964", "mkstorage:data" },
		{ "raid5-2-1.2", MD_FORMAT_12, 5, 3, 2, "6d640000:00000000:00000005:72616964", "mkstorage:r5" },
		{ "foreign-0-1.2", MD_FORMAT_12, 1, 2, 0, "6d640000:00000000:0000f0f0:72616964", "mkstorage:data" },
		{ "raid1-10-0-1.0", MD_FORMAT_10, 1, 2, 0, "6d640000:00000000:00000010:72616964", "mkstorage:data10" },
	};
	char path[512], uuid[40];
	size_t i, n;
	FILE *f;

	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		struct md_super s;
		const char *why;
		uint64_t at = 4096;
		uint8_t u[16];

		sparse.dev.read = sparse_read;
		snprintf(path, sizeof(path), "%s/%s.sb", dir, fx[i].file);
		TEST("mdadm's %s", fx[i].file);
		f = fopen(path, "rb");
		CHECK(f != NULL);
		if (!f)
			continue;
		memset(disk, 0, sizeof(disk));
		n = fread(disk, 1, 4096, f);
		fclose(f);
		CHECK_INT(n, 4096);
		if (fx[i].f == MD_FORMAT_10)
			at = (disk[144] | disk[145] << 8 | (uint64_t)disk[146] << 16) * 512;
		sparse.at = at;
		sparse.dev.size = fx[i].f == MD_FORMAT_10 ? at + 8192 : 25 << 20;
		CHECK_INT(md_super_read(&sparse.dev, &s, &why), 0);
		CHECK_INT(s.format, fx[i].f);
		CHECK_INT(s.level, fx[i].level);
		CHECK_INT(s.raid_disks, fx[i].disks);
		CHECK_INT(s.role, fx[i].role);
		CHECK_STR(s.name, fx[i].name);
		CHECK(s.refuse == NULL);
		md_uuid_format(s.uuid, uuid);
		CHECK_STR(uuid, fx[i].uuid);
		/* The form mdadm printed (and rd.md.uuid= takes) reads back as the superblock's bytes. */
		CHECK(!md_uuid_parse(fx[i].uuid, u) && !memcmp(u, s.uuid, 16));
		TEST("mdadm's %s: one bit flipped fails its checksum", fx[i].file);
		disk[200] ^= 1;
		CHECK_INT(md_super_read(&sparse.dev, &s, &why), -EINVAL);
	}
}

/* STORAGE=1's hook in the identity search: a member's filesystem is not an identity. */
static void claims(void)
{
	struct probe_fs fs;

	TEST("identity: a 1.0 member's ext4 becomes linux_raid_member, with no UUID");
	memset(disk, 0, sizeof(disk));
	put1(&(struct sb1){ MD_FORMAT_10, uuid_a, "h:data", 1, 0, 0, 2, 0, 0, 0, 3, 0, { 0, 1 } });
	memset(&fs, 0, sizeof(fs));
	strcpy(fs.type, "ext4");
	strcpy(fs.uuid, "5e1f0c0d-7a6e-4d3b-9f00-68616e646f66");
	storage_claim(&dev, &fs);
	CHECK_STR(fs.type, "linux_raid_member");
	CHECK_STR(fs.uuid, "");
	TEST("identity: a device without a superblock keeps its filesystem");
	memset(disk, 0, sizeof(disk));
	strcpy(fs.type, "ext4");
	strcpy(fs.uuid, "5e1f0c0d-7a6e-4d3b-9f00-68616e646f66");
	storage_claim(&dev, &fs);
	CHECK_STR(fs.type, "ext4");
	CHECK_STR(fs.uuid, "5e1f0c0d-7a6e-4d3b-9f00-68616e646f66");
}

/* rd.md.uuid= and rd.md.waitdegraded= as the plan takes them; a bad one is a problem named. */
static void params(void)
{
	static struct boot_plan plan;
	char line[] = "root=/dev/md127 rd.md.uuid=11223344:55667788:99aabbcc:ddeeff00 "
		      "rd.md.uuid=b0b1b2b3-b4b5-b6b7-b8b9-babbbcbdbebf rd.md.waitdegraded=7";
	char bad[] = "rd.md.uuid=1122 rd.md.waitdegraded=soon";

	TEST("rd.md.uuid= in both forms, rd.md.waitdegraded= in seconds");
	memset(&plan, 0, sizeof(plan));
	cmdline_parse(line, &plan.params);
	storage_plan(&plan);
	CHECK_INT(plan.params.problems, 0);
	CHECK_INT(plan.md.wants, 2);
	CHECK(!memcmp(plan.md.want[0], uuid_a, 16) && !memcmp(plan.md.want[1], uuid_b, 16));
	CHECK_INT(plan.md.wait_ms, 7000);
	TEST("a bad UUID and a bad wait are plan problems, by name");
	memset(&plan, 0, sizeof(plan));
	cmdline_parse(bad, &plan.params);
	storage_plan(&plan);
	CHECK_INT(plan.params.problems, 2);
	CHECK_STR(plan.params.problem[0], "rd.md.uuid");
	CHECK_STR(plan.params.problem[1], "rd.md.waitdegraded");
	CHECK_INT(plan.md.wants, 0);
	CHECK_INT(plan.md.wait_ms, -1);
}

int main(int argc, char **argv)
{
	params();
	claims();
	formats();
	uuids();
	decisions();
	levels();
	wanted();
	fixtures(argc > 1 ? argv[1] : "tests/unit/md");
	return check_failed;
}
