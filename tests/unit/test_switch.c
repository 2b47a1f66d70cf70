/*
 * switch_fallback_refusal(): when pivot_root is refused, whether the
 * move-and-chroot fallback may delete the initramfs, and if not, why.
 */
#include "check.h"
#include "handover/switch.h"

/* The kernel's statfs magics (include/uapi/linux/magic.h), written out here on purpose. */
#define RAMFS 0x858458f6u
#define TMPFS 0x01021994u
#define EXT4 0xef53u

/* Every fact as a safe deletion needs it: the initramfs as the kernel made it. */
static struct fallback_facts safe(void)
{
	struct fallback_facts f = { .pid1 = true, .root_fs_type = RAMFS,
				    .root_is_rootfs = true, .new_root_elsewhere = true };

	return f;
}

int main(void)
{
	struct fallback_facts f;

	TEST("the kernel's rootfs, PID 1, the new root elsewhere: may delete");
	f = safe();
	CHECK(switch_fallback_refusal(&f) == NULL);
	f.root_fs_type = TMPFS;	/* rootfs is a tmpfs when the kernel has one */
	CHECK(switch_fallback_refusal(&f) == NULL);

	TEST("not PID 1: refused");
	f = safe();
	f.pid1 = false;
	CHECK_STR(switch_fallback_refusal(&f), "we are not PID 1");

	TEST("/ on a disk filesystem, or unknown: refused");
	f = safe();
	f.root_fs_type = EXT4;
	CHECK_STR(switch_fallback_refusal(&f), "/ is not a ramfs or tmpfs");
	f.root_fs_type = 0;	/* statfs failed */
	CHECK_STR(switch_fallback_refusal(&f), "/ is not a ramfs or tmpfs");
	f.root_fs_type = RAMFS ^ 1;
	CHECK_STR(switch_fallback_refusal(&f), "/ is not a ramfs or tmpfs");

	TEST("a tmpfs mounted over /, not the kernel's rootfs: refused");
	f = safe();
	f.root_fs_type = TMPFS;
	f.root_is_rootfs = false;
	CHECK_STR(switch_fallback_refusal(&f), "/proc/self/mountinfo does not show / as rootfs");

	TEST("the new root on the same device as / (not mounted, or unknown): refused");
	f = safe();
	f.new_root_elsewhere = false;
	CHECK_STR(switch_fallback_refusal(&f), "the new root is on the same device as /");

	TEST("several unsafe: the first in order is named");
	f.pid1 = false;
	f.root_fs_type = EXT4;
	f.root_is_rootfs = false;
	CHECK_STR(switch_fallback_refusal(&f), "we are not PID 1");
	f.pid1 = true;
	CHECK_STR(switch_fallback_refusal(&f), "/ is not a ramfs or tmpfs");
	f.root_fs_type = RAMFS;
	CHECK_STR(switch_fallback_refusal(&f), "/proc/self/mountinfo does not show / as rootfs");
	return check_failed;
}
