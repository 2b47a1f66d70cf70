/*
 * The flash roots' grammar (flash/flashparse.c): ubi.mtd= as the kernel's
 * UBI reads it, the UBI and MTD root= forms, /sys/class/ubi entries,
 * /proc/mtd, the UBI_IOCATT request against the kernel's header
 * (flash_plan()'s refusals are in test_plan.c).
 */
#include "check.h"
#include "flash/flashparse.h"

#include <errno.h>
#include <sys/ioctl.h>
/* The kernel's header where the toolchain has it (the host's); the cross builds' musl has none. */
#if __has_include(<mtd/ubi-user.h>)
#include <mtd/ubi-user.h>
#define HAVE_UBI_USER 1
#endif
#include <stddef.h>

static void test_ubi_mtd(void)
{
	struct ubi_mtd m;
	const char *why;

	TEST("ubi.mtd=: a number, with the kernel's defaults");
	CHECK_INT(ubi_mtd_parse("0", &m, &why), 0);
	CHECK(m.by_number);
	CHECK_INT(m.mtd_num, 0);
	CHECK_INT(m.vid_hdr_offs, 0);
	CHECK_INT(m.max_beb_per1024, 0);
	CHECK_INT(m.ubi_num, -1);
	CHECK_INT(m.enable_fm, 0);
	TEST("ubi.mtd=: a number in the kernel's base 0 (0x hex, 0 octal)");
	CHECK_INT(ubi_mtd_parse("0x10", &m, &why), 0);
	CHECK(m.by_number && m.mtd_num == 16);
	CHECK_INT(ubi_mtd_parse("010", &m, &why), 0);
	CHECK(m.by_number && m.mtd_num == 8);

	TEST("ubi.mtd=: a name, every field (the kernel's Example 2 and 4)");
	CHECK_INT(ubi_mtd_parse("content,1984", &m, &why), 0);
	CHECK(!m.by_number);
	CHECK_STR(m.mtd, "content");
	CHECK_INT(m.vid_hdr_offs, 1984);
	CHECK_INT(ubi_mtd_parse("/dev/mtd1,0,0,5", &m, &why), 0);
	CHECK_STR(m.mtd, "/dev/mtd1");
	CHECK(!m.by_number);
	CHECK_INT(m.ubi_num, 5);
	CHECK_INT(ubi_mtd_parse("rootfs,2K,25,3,1,1", &m, &why), 0);
	CHECK_INT(m.vid_hdr_offs, 2048);
	CHECK_INT(m.max_beb_per1024, 25);
	CHECK_INT(m.ubi_num, 3);
	CHECK_INT(m.enable_fm, 1);
	CHECK_INT(m.need_resv_pool, 1);
	CHECK_INT(ubi_mtd_parse("1a", &m, &why), 0);
	CHECK(!m.by_number);	/* not a whole number: a name */

	TEST("ubi.mtd=: empty is ignored, as the kernel does");
	CHECK_INT(ubi_mtd_parse("", &m, &why), -ENODATA);
	CHECK_INT(ubi_mtd_parse(NULL, &m, &why), -ENODATA);

	TEST("ubi.mtd=: refusals, each with a reason");
	CHECK_INT(ubi_mtd_parse("0,0,0,0,0,0,0", &m, &why), -EINVAL);
	CHECK(why[0]);
	CHECK_INT(ubi_mtd_parse(",2048", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,2X", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,,", &m, &why), -EINVAL);	/* empty fields: the kernel's kstrtoint refuses */
	CHECK_INT(ubi_mtd_parse("0,", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,0,769", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,0,-1", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,0,0,32", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,0,0,-2", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,0,0,-1", &m, &why), 0);
	CHECK_INT(ubi_mtd_parse("0,0,0,0,x", &m, &why), -EINVAL);
	CHECK_INT(ubi_mtd_parse("0,3G", &m, &why), -EINVAL);	/* past INT_MAX */
	CHECK_INT(ubi_mtd_parse("0,1G", &m, &why), 0);
	CHECK_INT(m.vid_hdr_offs, 1 << 30);
	TEST("ubi.mtd=: 63 characters at most (MTD_PARAM_LEN_MAX)");
	CHECK_INT(ubi_mtd_parse("123456789012345678901234567890123456789012345678901234567890abc", &m,
				&why), 0);
	CHECK_INT(ubi_mtd_parse("123456789012345678901234567890123456789012345678901234567890abcd", &m,
				&why), -EINVAL);
}

static void test_root_forms(void)
{
	struct flash_root r;
	const char *why;

	TEST("root=: UBI volumes by name, on a device or on any");
	CHECK_INT(flash_root_parse("ubi0:rootfs", &r, &why), 0);
	CHECK_INT(r.form, FLASH_UBI_NAME);
	CHECK_INT(r.ubi, 0);
	CHECK_STR(r.name, "rootfs");
	CHECK_INT(flash_root_parse("ubi12!data:x", &r, &why), 0);
	CHECK_INT(r.ubi, 12);
	CHECK_STR(r.name, "data:x");
	CHECK_INT(flash_root_parse("ubi:rootfs", &r, &why), 0);
	CHECK_INT(r.form, FLASH_UBI_NAME);
	CHECK_INT(r.ubi, -1);
	CHECK_STR(r.name, "rootfs");

	TEST("root=: UBI volumes by number (/dev/ ubiX_Y; ubiY is volume Y of ubi0, as UBIFS reads it)");
	CHECK_INT(flash_root_parse("ubi1_3", &r, &why), 0);
	CHECK_INT(r.form, FLASH_UBI_ID);
	CHECK_INT(r.ubi, 1);
	CHECK_INT(r.vol, 3);
	CHECK_INT(flash_root_parse("ubi2", &r, &why), 0);
	CHECK_INT(r.form, FLASH_UBI_ID);
	CHECK_INT(r.ubi, 0);
	CHECK_INT(r.vol, 2);

	TEST("root=: what no UBI volume is");
	CHECK_INT(flash_root_parse("ubi", &r, &why), -EINVAL);
	CHECK(why[0]);
	CHECK_INT(flash_root_parse("ubi:", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubi0:", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubi0_", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubi0_1x", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubix", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubi0-1", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("ubi0:12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678", &r, &why), -EINVAL);

	TEST("root=: MTD devices by name and number");
	CHECK_INT(flash_root_parse("mtd:rootfs", &r, &why), 0);
	CHECK_INT(r.form, FLASH_MTD_NAME);
	CHECK_STR(r.name, "rootfs");
	CHECK_INT(flash_root_parse("mtd4", &r, &why), 0);
	CHECK_INT(r.form, FLASH_MTD_NUM);
	CHECK_INT(r.mtd, 4);
	CHECK_INT(flash_root_parse("mtd:", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("mtd", &r, &why), -EINVAL);
	CHECK_INT(flash_root_parse("mtdx", &r, &why), -EINVAL);
	CHECK(why[0]);
}

static void test_sysfs_entries(void)
{
	int ubi = -1, vol = -1;

	TEST("/sys/class/ubi: volumes ubiX_Y, devices ubiX, nothing else");
	CHECK(ubi_volume_entry("ubi0_0", &ubi, &vol) && ubi == 0 && vol == 0);
	CHECK(ubi_volume_entry("ubi10_25", &ubi, &vol) && ubi == 10 && vol == 25);
	CHECK(!ubi_volume_entry("ubi0", &ubi, &vol));
	CHECK(!ubi_volume_entry("ubi0_", &ubi, &vol));
	CHECK(!ubi_volume_entry("version", &ubi, &vol));
	CHECK(ubi_device_entry("ubi3", &ubi) && ubi == 3);
	CHECK(!ubi_device_entry("ubi3_0", &ubi));
	CHECK(!ubi_device_entry("ubi", &ubi));
	CHECK(!ubi_device_entry("version", &ubi));
}

static void test_proc_mtd(void)
{
	/* As drivers/mtd/mtdcore.c mtd_proc_show() writes it. */
	static const char text[] = "dev:    size   erasesize  name\n"
				   "mtd0: 04000000 00040000 \"0000:00:00.0\"\n"
				   "mtd1: 00800000 00020000 \"root fs\"\n"
				   "garbage line\n"
				   "mtd2: 00800000 00020000 \"with \"quotes\"\"\n"
				   "mtd10: 100000000 00020000 \"big\"";
	struct mtd_entry e;
	unsigned int num = 99;
	size_t pos = 0;

	TEST("/proc/mtd: each entry, the header and bad lines skipped");
	CHECK(proc_mtd_next(text, &pos, &e));
	CHECK_INT(e.num, 0);
	CHECK(e.size == 0x4000000);
	CHECK_INT(e.erasesize, 0x40000);
	CHECK_STR(e.name, "0000:00:00.0");
	CHECK(proc_mtd_next(text, &pos, &e));
	CHECK_STR(e.name, "root fs");
	CHECK(proc_mtd_next(text, &pos, &e));
	CHECK_STR(e.name, "with \"quotes\"");
	CHECK(proc_mtd_next(text, &pos, &e));
	CHECK_INT(e.num, 10);
	CHECK(e.size == 0x100000000ULL);
	CHECK(!proc_mtd_next(text, &pos, &e));

	TEST("/proc/mtd: a name to its number");
	CHECK_INT(proc_mtd_find(text, "root fs", &num), 0);
	CHECK_INT(num, 1);
	CHECK_INT(proc_mtd_find(text, "big", &num), 0);
	CHECK_INT(num, 10);
	CHECK_INT(proc_mtd_find(text, "root", &num), -ENOENT);
	CHECK_INT(proc_mtd_find("", "root", &num), -ENOENT);
	CHECK_INT(proc_mtd_find("mtd0: 1 1 \"\n", "", &num), -ENOENT);
}

static void test_attach_request(void)
{
	struct ubi_attach_rq req;
	struct ubi_mtd m;
	const char *why;

#ifdef HAVE_UBI_USER
	TEST("UBI_IOCATT: the kernel header's number and layout");
	CHECK(UBI_IOCATT_NR == (unsigned)UBI_IOCATT);
	CHECK_INT(sizeof(struct ubi_attach_rq), sizeof(struct ubi_attach_req));
	CHECK_INT(offsetof(struct ubi_attach_rq, mtd_num), offsetof(struct ubi_attach_req, mtd_num));
	CHECK_INT(offsetof(struct ubi_attach_rq, vid_hdr_offset),
		  offsetof(struct ubi_attach_req, vid_hdr_offset));
	CHECK_INT(offsetof(struct ubi_attach_rq, max_beb_per1024),
		  offsetof(struct ubi_attach_req, max_beb_per1024));
	CHECK_INT(offsetof(struct ubi_attach_rq, disable_fm), offsetof(struct ubi_attach_req, disable_fm));
#else
	TEST("UBI_IOCATT: this architecture's _IOW('o', 64, 24 bytes), the ABI's layout");
	CHECK(UBI_IOCATT_NR == (unsigned)_IOW('o', 64, struct ubi_attach_rq));
	CHECK_INT(sizeof(struct ubi_attach_rq), 24);
	CHECK_INT(offsetof(struct ubi_attach_rq, disable_fm), 14);
#endif

	TEST("UBI_IOCATT: the request from ubi.mtd=, as the kernel's own attach makes it");
	CHECK_INT(ubi_mtd_parse("root,2048,20,4", &m, &why), 0);
	memset(&req, 0x5a, sizeof(req));
	ubi_attach_request(&m, 7, &req);
	CHECK_INT(req.ubi_num, 4);
	CHECK_INT(req.mtd_num, 7);
	CHECK_INT(req.vid_hdr_offset, 2048);
	CHECK_INT(req.max_beb_per1024, 20);
	CHECK_INT(req.disable_fm, 1);	/* enable_fm 0: fastmap off */
	CHECK(!req.padding[0] && !req.padding[8]);
	CHECK_INT(ubi_mtd_parse("0,0,0,-1,1", &m, &why), 0);
	ubi_attach_request(&m, 0, &req);
	CHECK_INT(req.ubi_num, -1);	/* UBI_DEV_NUM_AUTO */
	CHECK_INT(req.disable_fm, 0);
}

int main(void)
{
	test_ubi_mtd();
	test_root_forms();
	test_sysfs_entries();
	test_proc_mtd();
	test_attach_request();
	return check_failed;
}
