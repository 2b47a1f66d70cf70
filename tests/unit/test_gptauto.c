/*
 * GPT auto-discovery (init/find/gptauto.c): the GPT parser's type GUIDs and
 * attribute bits on a table built here, and the choice among disks.
 */
#define PROBE_INTERNAL
#include "find/gptauto.h"
#include "check.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define ROOT_X86 "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"
#define USR_X86 "8484680c-9521-48c6-9c11-b0720656f69e"
#define ROOT_ARM64 "b921b045-1df0-41c3-af44-4c6f280d3fae"
#define USR_ARM64 "b0e01050-ee5f-4390-949a-9101b17104e9"
#define ROOT_ARM "69dad710-2ce4-4e3c-b16c-21a1d49abed3"
#define USR_ARM "7d0359a3-02b3-4f0a-865c-654403e70625"
#define LINUX "0fc63daf-8483-4772-8e79-3d69d8477de4"
#define ESP "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"

static uint8_t img[64 * 512];

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	if (off > sizeof(img) || len > sizeof(img) - off)
		return -EIO;
	memcpy(buf, img + off, len);
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A GUID string in GPT's mixed-endian on-disk form. */
static void put_guid(uint8_t *p, const char *s)
{
	static const int at[16] = { 6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34 };
	int i;
	unsigned int b;

	for (i = 0; i < 16; i++) {
		sscanf(s + at[i], "%2x", &b);
		p[i] = (uint8_t)b;
	}
}

struct ent {
	const char *type, *uuid;
	uint64_t attrs;
};

/* A protective MBR, the header at LBA 1, 4 entries at LBA 2; partitions of 2 sectors from 8. */
static void make_gpt(const struct ent *e, int n)
{
	uint8_t *h = img + 512, *a = img + 1024;
	int i;

	memset(img, 0, sizeof(img));
	img[446 + 4] = 0xee;
	put_le(img + 446 + 8, 1, 4);
	put_le(img + 446 + 12, 63, 4);
	img[510] = 0x55;
	img[511] = 0xaa;
	for (i = 0; i < n; i++) {
		put_guid(a + 128 * i, e[i].type);
		put_guid(a + 128 * i + 16, e[i].uuid);
		put_le(a + 128 * i + 32, 8 + 2 * (uint64_t)i, 8);
		put_le(a + 128 * i + 40, 9 + 2 * (uint64_t)i, 8);
		put_le(a + 128 * i + 48, e[i].attrs, 8);
	}
	memcpy(h, "EFI PART", 8);
	put_le(h + 8, 0x10000, 4);
	put_le(h + 12, 92, 4);
	put_le(h + 24, 1, 8);
	put_le(h + 32, 63, 8);
	put_le(h + 40, 6, 8);
	put_le(h + 48, 62, 8);
	put_guid(h + 56, "11111111-2222-3333-4444-555555555555");
	put_le(h + 72, 2, 8);
	put_le(h + 80, 4, 4);
	put_le(h + 84, 128, 4);
	put_le(h + 88, probe_crc32(0, a, 4 * 128), 4);
	put_le(h + 16, probe_crc32(0, h, 92), 4);
}

static struct probe_table tables[4];

static const struct probe_table *table_of(int k, const struct ent *e, int n)
{
	struct probe_dev d = { mem_read, NULL, sizeof(img), 512 };

	make_gpt(e, n);
	CHECK_INT(probe_partitions(&d, &tables[k]), 0);
	return &tables[k];
}

static void test_parser(void)
{
	const struct ent e[] = {
		{ ESP, "aaaaaaaa-0000-0000-0000-000000000001", 1 },
		{ ROOT_X86, "aaaaaaaa-0000-0000-0000-000000000002", GPT_FLAG_READ_ONLY },
		{ USR_X86, "aaaaaaaa-0000-0000-0000-000000000003", GPT_FLAG_NO_AUTO | 4 },
	};
	const struct probe_table *t = table_of(0, e, 3);

	TEST("gpt-entry-type-attrs");
	CHECK_INT(t->count, 3);
	CHECK_STR(t->part[0].type_guid, ESP);
	CHECK_STR(t->part[1].type_guid, ROOT_X86);
	CHECK_STR(t->part[2].type_guid, USR_X86);
	CHECK(t->part[0].attrs == 1);
	CHECK(t->part[1].attrs == GPT_FLAG_READ_ONLY);
	CHECK(t->part[2].attrs == (GPT_FLAG_NO_AUTO | 4));
	CHECK(GPT_FLAG_READ_ONLY == 0x1000000000000000ULL);
	CHECK(GPT_FLAG_NO_AUTO == 0x8000000000000000ULL);
}

static void test_types(void)
{
	enum gptauto_arch a;
	bool usr;

	TEST("type-names");
	CHECK_STR(gptauto_type_name(ROOT_X86, &a, &usr), "root-x86-64");
	CHECK(a == GPTAUTO_X86_64 && !usr);
	CHECK_STR(gptauto_type_name("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", &a, &usr),
		  "root-x86-64");
	CHECK_STR(gptauto_type_name(USR_X86, &a, &usr), "usr-x86-64");
	CHECK(a == GPTAUTO_X86_64 && usr);
	CHECK_STR(gptauto_type_name(ROOT_ARM64, &a, &usr), "root-arm64");
	CHECK(a == GPTAUTO_ARM64 && !usr);
	CHECK_STR(gptauto_type_name(USR_ARM64, &a, &usr), "usr-arm64");
	CHECK(a == GPTAUTO_ARM64 && usr);
	CHECK_STR(gptauto_type_name(ROOT_ARM, &a, &usr), "root-arm");
	CHECK(a == GPTAUTO_ARM && !usr);
	CHECK_STR(gptauto_type_name(USR_ARM, &a, &usr), "usr-arm");
	CHECK(a == GPTAUTO_ARM && usr);
	CHECK(!gptauto_type_name(LINUX, &a, &usr));
	CHECK(!gptauto_type_name(ESP, &a, &usr));
	CHECK(!gptauto_type_name("", &a, &usr));
#if defined(__x86_64__)
	CHECK(gptauto_native == GPTAUTO_X86_64);
#elif defined(__aarch64__)
	CHECK(gptauto_native == GPTAUTO_ARM64);
#elif defined(__arm__)
	CHECK(gptauto_native == GPTAUTO_ARM);
#endif
}

static struct gptauto_scan s;

static void test_choice(void)
{
	const struct ent plain[] = {
		{ ESP, "aaaaaaaa-0000-0000-0000-000000000001", 0 },
		{ LINUX, "aaaaaaaa-0000-0000-0000-000000000002", 0 },
		{ ROOT_X86, "aaaaaaaa-0000-0000-0000-000000000003", 0 },
		{ USR_X86, "aaaaaaaa-0000-0000-0000-000000000004", GPT_FLAG_READ_ONLY },
	};
	const struct ent noauto[] = {
		{ ROOT_X86, "bbbbbbbb-0000-0000-0000-000000000001", GPT_FLAG_NO_AUTO },
		{ ROOT_X86, "bbbbbbbb-0000-0000-0000-000000000002", GPT_FLAG_READ_ONLY },
	};
	const struct ent foreign[] = {
		{ ESP, "cccccccc-0000-0000-0000-000000000001", 0 },
		{ ROOT_ARM64, "cccccccc-0000-0000-0000-000000000002", 0 },
	};
	const struct probe_table *t1 = table_of(0, plain, 4), *t2 = table_of(1, noauto, 2),
				 *t3 = table_of(2, foreign, 2);
	const struct gptauto_disk *d;
	struct probe_table dos = { .type = "dos" };
	const struct ent none[] = { { LINUX, "eeeeeeee-0000-0000-0000-000000000001", 0 } };

	table_of(3, none, 1);

	TEST("one-disk");
	gptauto_scan_init(&s, GPTAUTO_X86_64, NULL);
	gptauto_scan_add(&s, "vda", t1);
	gptauto_scan_add(&s, "vdb", &dos);
	CHECK_INT(gptauto_choose(&s, &d), 0);
	CHECK(d && !strcmp(d->name, "vda") && d->root == 3 && !d->root_ro);
	CHECK(d && d->usr == 4 && d->usr_ro);
	CHECK_STR(d ? d->root_uuid : NULL, "aaaaaaaa-0000-0000-0000-000000000003");
	CHECK_STR(d ? d->usr_uuid : NULL, "aaaaaaaa-0000-0000-0000-000000000004");

	TEST("no-auto-skipped-read-only");
	gptauto_scan_init(&s, GPTAUTO_X86_64, NULL);
	gptauto_scan_add(&s, "sda", t2);
	CHECK_INT(gptauto_choose(&s, &d), 0);
	CHECK(d && d->root == 2 && d->root_ro && d->no_auto == 1);

	TEST("two-disks-refused");
	gptauto_scan_add(&s, "vda", t1);
	CHECK_INT(gptauto_choose(&s, &d), -EEXIST);

	TEST("loader-picks-the-esp-disk");
	gptauto_scan_init(&s, GPTAUTO_X86_64, "AAAAAAAA-0000-0000-0000-000000000001");
	gptauto_scan_add(&s, "sda", t2);
	gptauto_scan_add(&s, "vda", t1);
	CHECK_INT(gptauto_choose(&s, &d), 0);
	CHECK(d && !strcmp(d->name, "vda") && d->root == 3);

	TEST("loader-disk-not-there-yet");
	gptauto_scan_init(&s, GPTAUTO_X86_64, "dddddddd-0000-0000-0000-000000000001");
	gptauto_scan_add(&s, "vda", t1);
	CHECK_INT(gptauto_choose(&s, &d), -ENOENT);

	TEST("loader-disk-without-root");
	gptauto_scan_init(&s, GPTAUTO_X86_64, "cccccccc-0000-0000-0000-000000000001");
	gptauto_scan_add(&s, "vda", t1);
	gptauto_scan_add(&s, "vdb", t3);
	CHECK_INT(gptauto_choose(&s, &d), -ENODEV);
	CHECK(d && !strcmp(d->name, "vdb") && d->foreign == 2);

	TEST("other-architecture-not-chosen");
	gptauto_scan_init(&s, GPTAUTO_X86_64, NULL);
	gptauto_scan_add(&s, "vdb", t3);
	CHECK_INT(gptauto_choose(&s, &d), -ENOENT);
	CHECK(s.disks == 1 && s.disk[0].foreign == 2);
	CHECK_STR(s.disk[0].foreign_type, "root-arm64");

	TEST("arm64-table");
	gptauto_scan_init(&s, GPTAUTO_ARM64, NULL);
	gptauto_scan_add(&s, "vda", t1);
	gptauto_scan_add(&s, "vdb", t3);
	CHECK_INT(gptauto_choose(&s, &d), 0);
	CHECK(d && !strcmp(d->name, "vdb") && d->root == 2 && !d->usr);
	CHECK(s.disk[0].foreign == 3);

	TEST("arm-table");
	gptauto_scan_init(&s, GPTAUTO_ARM, NULL);
	gptauto_scan_add(&s, "vda", t1);
	gptauto_scan_add(&s, "vdb", t3);
	CHECK_INT(gptauto_choose(&s, &d), -ENOENT);

	TEST("too-many-disks-refused");
	gptauto_scan_init(&s, GPTAUTO_X86_64, NULL);
	for (int i = 0; i < GPTAUTO_MAX_DISKS + 1; i++)
		gptauto_scan_add(&s, "vdx", t1);
	CHECK(s.disks == GPTAUTO_MAX_DISKS && s.with_root == GPTAUTO_MAX_DISKS + 1);
	CHECK_INT(gptauto_choose(&s, &d), -EEXIST);

	TEST("plain-gpt-disks-take-no-room");
	gptauto_scan_init(&s, GPTAUTO_X86_64, NULL);
	for (int i = 0; i < GPTAUTO_MAX_DISKS + 4; i++)
		gptauto_scan_add(&s, "vdx", &tables[3]);
	gptauto_scan_add(&s, "vdz", t1);
	CHECK(s.gpt_disks == GPTAUTO_MAX_DISKS + 5 && s.disks == 1);
	CHECK_INT(gptauto_choose(&s, &d), 0);
}

int main(void)
{
	test_parser();
	test_types();
	test_choice();
	return check_failed;
}
