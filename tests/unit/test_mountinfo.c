/*
 * mountinfo_root_is_rootfs(): the fallback switch deletes only when
 * /proc/self/mountinfo shows "/" as the kernel's rootfs. Lines as the
 * kernel writes them (Linux 6.1), and what must not be taken for it.
 */
#include "check.h"
#include "handover/switch.h"

static int rootfs(const char *text)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", text);
	return mountinfo_root_is_rootfs(buf);
}

int main(void)
{
	TEST("the initramfs: / is rootfs");
	CHECK_INT(rootfs("1 1 0:2 / / rw - rootfs rootfs rw,size=1010000k,nr_inodes=252500\n"
			 "22 1 0:5 / /dev rw,relatime - devtmpfs devtmpfs rw,size=4k,mode=755\n"
			 "23 1 0:21 / /proc rw,relatime - proc proc rw\n"
			 "25 1 254:0 / /sysroot ro,relatime - ext4 /dev/vda ro\n"), 1);
	CHECK_INT(rootfs("1 1 0:2 / / rw - rootfs rootfs rw"), 1);

	TEST("optional fields before the separator");
	CHECK_INT(rootfs("1 1 0:2 / / rw shared:1 master:3 - rootfs rootfs rw\n"), 1);

	TEST("the last entry for / is the one on top");
	CHECK_INT(rootfs("1 1 0:2 / / rw - rootfs rootfs rw\n"
			 "30 1 254:0 / / ro,relatime - ext4 /dev/vda ro\n"), 0);
	CHECK_INT(rootfs("30 1 254:0 / / ro - ext4 /dev/vda ro\n"
			 "31 30 0:2 / / rw - rootfs rootfs rw\n"), 1);

	TEST("a disk root, or a pivoted one");
	CHECK_INT(rootfs("21 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"), 0);
	CHECK_INT(rootfs("21 1 0:24 / / rw - tmpfs none rw\n"), 0);

	TEST("rootfs elsewhere, or only looking like it");
	CHECK_INT(rootfs("25 1 0:2 / /sysroot rw - rootfs rootfs rw\n"), 0);
	CHECK_INT(rootfs("25 1 0:2 /x / rw - rootfsx rootfs rw\n"), 0);
	CHECK_INT(rootfs("25 1 0:2 / / rw - tmpfs rootfs rw\n"), 0);
	CHECK_INT(rootfs("25 1 0:2 / /rootfs rw - tmpfs x rw\n"), 0);
	CHECK_INT(rootfs("1 1 0:2 / / rw rootfs rootfs rw\n"), 0);

	TEST("short, empty and odd text");
	CHECK_INT(rootfs(""), 0);
	CHECK_INT(rootfs("\n\n\n"), 0);
	CHECK_INT(rootfs("1 1 0:2 /"), 0);
	CHECK_INT(rootfs(" - rootfs"), 0);
	CHECK_INT(rootfs("1 1 0:2 / / - rootfs"), 1);
	return check_failed;
}
