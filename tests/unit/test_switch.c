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

#define NOT_PID1 "we are not PID 1"
#define NOT_RAM "/ is not a ramfs or tmpfs"
#define NOT_ROOTFS "/proc/self/mountinfo does not show / as rootfs"
#define SAME_DEV "the new root is on the same device as /"

/* PID 1, the type of /, / shown as rootfs, the new root on another device. */
#define FACTS(p, t, r, e) \
	{ .pid1 = p, .root_fs_type = t, .root_is_rootfs = r, .new_root_elsewhere = e }

static const struct {
	const char *why;
	struct fallback_facts facts;
	const char *refusal;
} cases[] = {
	{ "the kernel's rootfs (ramfs), PID 1, the new root elsewhere: may delete",
	  FACTS(true, RAMFS, true, true), NULL },
	{ "rootfs is a tmpfs when the kernel has one: may delete",
	  FACTS(true, TMPFS, true, true), NULL },
	{ "not PID 1", FACTS(false, RAMFS, true, true), NOT_PID1 },
	{ "/ on a disk filesystem", FACTS(true, EXT4, true, true), NOT_RAM },
	{ "statfs failed", FACTS(true, 0, true, true), NOT_RAM },
	{ "a magic one bit off", FACTS(true, RAMFS ^ 1, true, true), NOT_RAM },
	{ "a tmpfs mounted over /, not the kernel's rootfs", FACTS(true, TMPFS, false, true),
	  NOT_ROOTFS },
	{ "the new root not a mount of its own (or not stat'ed)", FACTS(true, RAMFS, true, false),
	  SAME_DEV },
	/* Several unsafe: the first in this order is named. */
	{ "all unsafe", FACTS(false, EXT4, false, false), NOT_PID1 },
	{ "all but PID 1 unsafe", FACTS(true, EXT4, false, false), NOT_RAM },
	{ "rootfs not shown, same device", FACTS(true, RAMFS, false, false), NOT_ROOTFS },
};

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TEST("%s", cases[i].why);
		CHECK_STR(switch_fallback_refusal(&cases[i].facts), cases[i].refusal);
	}
	return check_failed;
}
