/*
 * The mount's choice of types: rootfstype=, the probe's type, or every
 * one the kernel has; and whether the probe's type is among rootfstype='s.
 */
#include "check.h"
#include "mount/mount.h"

static struct root_dev dev = { .node = "/dev/vda2", .fd = -1 };

/* The types a request tries with rootfstype= types and the probe's type seen. */
static const char *wanted(const char *types, const char *seen)
{
	struct mount_req r = { "root", "root", "/dev/vda2", &dev, NEW_ROOT, types, NULL, true };

	snprintf(dev.fstype, sizeof(dev.fstype), "%s", seen);
	return mount_types_wanted(&r);
}

static void test_wanted(void)
{
	static char line[] = "root=/dev/vda2 rootfstype=btrfs,ext4 rootflags=compress=zstd";
	struct boot_params p;

	TEST("rootfstype= wins over the probe");
	CHECK_STR(wanted("ext4", "xfs"), "ext4");
	CHECK_STR(wanted("ext4,xfs", "xfs"), "ext4,xfs");
	CHECK_STR(wanted("ext4", ""), "ext4");

	TEST("without rootfstype=, the type the probe saw");
	CHECK_STR(wanted(NULL, "ext4"), "ext4");
	CHECK_STR(wanted(NULL, "vfat"), "vfat");

	TEST("neither: none named, every type the kernel has is tried");
	CHECK(wanted(NULL, "") == NULL);

	TEST("rootfstype= as the command line gives it");
	cmdline_parse(line, &p);
	CHECK_STR(wanted(p.rootfstype, "ext4"), "btrfs,ext4");
}

static void test_listed(void)
{
	TEST("a type in a list");
	CHECK(mount_type_listed("ext4", "ext4"));
	CHECK(mount_type_listed("xfs,ext4", "ext4"));
	CHECK(mount_type_listed("ext2,ext3,ext4", "ext3"));
	CHECK(mount_type_listed("ext4,xfs", "ext4"));

	TEST("empty items are skipped");
	CHECK(mount_type_listed(",ext4,", "ext4"));
	CHECK(mount_type_listed("xfs,,ext4", "ext4"));

	TEST("a prefix or an extension of a type is another type");
	CHECK(!mount_type_listed("ext4", "ext"));
	CHECK(!mount_type_listed("ext", "ext4"));
	CHECK(!mount_type_listed("ext4dev,xfs", "ext4"));
	CHECK(!mount_type_listed("xfs,ext4dev", "ext4"));
	CHECK(!mount_type_listed("btrfs", "fs"));

	TEST("not listed");
	CHECK(!mount_type_listed("", "ext4"));
	CHECK(!mount_type_listed("xfs", "ext4"));
	CHECK(!mount_type_listed("ext4", "EXT4"));	/* the kernel's names are lower case */
}

int main(void)
{
	test_wanted();
	test_listed();
	return check_failed;
}
