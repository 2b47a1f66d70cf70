/*
 * The shutdown's pure parts: which call is systemd-shutdown's, its verb,
 * the mounts under the old root (as Linux 6.1 writes mountinfo after
 * systemd pivoted back), and the record of devices to take apart.
 */
#include "check.h"
#include "shutdown/shutdown.h"

#include <errno.h>

static int n_mounts;
static struct old_mount m[8];

static void mounts(const char *text)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s", text);
	n_mounts = mounts_under(buf, OLD_ROOT, m, 8);
}

static void test_verbs(void)
{
	char *sd[] = { "/shutdown", "poweroff", "--timeout=90000000us", "--log-level=6", NULL };
	char *opts_first[] = { "/shutdown", "--log-target=kmsg", "reboot", NULL };
	char *none[] = { "/shutdown", "--log-level=6", NULL };
	char *init[] = { "/init", "poweroff", NULL };
	char *other[] = { "/sbin/shutdownx", "halt", NULL };
	char *bare[] = { "shutdown", "kexec", NULL };

	TEST("systemd-shutdown's call: /shutdown VERB --options");
	CHECK(shutdown_called(4, sd));
	CHECK_STR(shutdown_verb(4, sd), "poweroff");
	CHECK_STR(shutdown_verb(3, opts_first), "reboot");
	CHECK_STR(shutdown_verb(2, bare), "kexec");
	CHECK(shutdown_called(2, bare));

	TEST("no verb, or another name: not the shutdown");
	CHECK(shutdown_verb(2, none) == NULL);
	CHECK(!shutdown_called(2, none));
	CHECK(!shutdown_called(2, init));	/* the kernel's init with a stray word */
	CHECK(!shutdown_called(2, other));
	CHECK(!shutdown_called(1, sd));
	CHECK(!shutdown_called(0, sd));
}

static void test_mounts(void)
{
	TEST("the old root and what is under it, in mountinfo's order");
	mounts("52 1 0:27 /initramfs / rw,nosuid,nodev - tmpfs tmpfs rw,size=20%\n"
	       "30 52 254:1 / /oldroot ro,relatime - ext4 /dev/vda1 ro\n"
	       "31 30 254:2 / /oldroot/usr ro,relatime - ext4 /dev/vda2 ro\n"
	       "33 30 0:27 / /oldroot/run rw,nosuid,nodev - tmpfs tmpfs rw\n"
	       "40 33 7:0 / /oldroot/run/handoff/lower ro - squashfs /dev/loop0 ro\n"
	       "41 52 0:5 / /dev rw - devtmpfs devtmpfs rw\n");
	CHECK_INT(n_mounts, 4);
	CHECK_STR(m[0].path, "/oldroot");
	CHECK_STR(m[0].source, "/dev/vda1");
	CHECK(m[0].read_only);
	CHECK_STR(m[0].fstype, "ext4");
	CHECK_STR(m[1].path, "/oldroot/usr");
	CHECK_STR(m[2].path, "/oldroot/run");
	CHECK_STR(m[2].source, "");
	CHECK(!m[2].read_only);	/* tmpfs rw */
	CHECK_STR(m[2].fstype, "tmpfs");
	CHECK_STR(m[3].path, "/oldroot/run/handoff/lower");
	CHECK_STR(m[3].source, "/dev/loop0");

	TEST("a whole component: /oldrootfs is not under /oldroot");
	mounts("30 1 254:1 / /oldrootfs rw - ext4 /dev/vda1 rw\n"
	       "31 1 254:1 / /old rw - ext4 /dev/vda1 rw\n");
	CHECK_INT(n_mounts, 0);

	TEST("escaped mount points are unescaped");
	mounts("30 1 254:1 / /oldroot/my\\040disk rw - ext4 /dev/vdb rw\n"
	       "31 1 254:1 / /oldroot/back\\134slash rw - vfat /dev/vdc rw\n");
	CHECK_INT(n_mounts, 2);
	CHECK_STR(m[0].path, "/oldroot/my disk");
	CHECK_STR(m[1].path, "/oldroot/back\\slash");

	TEST("optional fields, an overlay and a line without its separator");
	mounts("30 1 0:40 / /oldroot rw shared:1 master:2 - overlay overlay rw,lowerdir=/x\n"
	       "31 30 254:1 / /oldroot/boot rw\n");
	CHECK_INT(n_mounts, 1);
	CHECK_STR(m[0].fstype, "overlay");
	CHECK_STR(m[0].source, "");
	CHECK(!m[0].read_only);

	TEST("ro as the filesystem's first option (not the mount's), not somewhere in a word");
	mounts("30 1 8:1 / /oldroot rw,rootcontext=x - ext4 /dev/sda1 ro\n"
	       "31 1 8:1 / /oldroot/a ro - ext4 /dev/sda1 rw,errors=remount-ro\n"
	       "32 1 8:1 / /oldroot/b ro - ext4 /dev/sda1 rox\n"
	       "33 1 8:1 / /oldroot/c ro - ext4 /dev/sda1 ro,seclabel\n");
	CHECK_INT(n_mounts, 4);
	CHECK(m[0].read_only);
	CHECK(!m[1].read_only);
	CHECK(!m[2].read_only);
	CHECK(m[3].read_only);

	TEST("more than fit: counted, the first kept");
	mounts("1 1 8:1 / /oldroot/a rw - ext4 /dev/sda1 rw\n"
	       "2 1 8:1 / /oldroot/b rw - ext4 /dev/sda1 rw\n"
	       "3 1 8:1 / /oldroot/c rw - ext4 /dev/sda1 rw\n"
	       "4 1 8:1 / /oldroot/d rw - ext4 /dev/sda1 rw\n"
	       "5 1 8:1 / /oldroot/e rw - ext4 /dev/sda1 rw\n"
	       "6 1 8:1 / /oldroot/f rw - ext4 /dev/sda1 rw\n"
	       "7 1 8:1 / /oldroot/g rw - ext4 /dev/sda1 rw\n"
	       "8 1 8:1 / /oldroot/h rw - ext4 /dev/sda1 rw\n"
	       "9 1 8:1 / /oldroot/i rw - ext4 /dev/sda1 rw\n");
	CHECK_INT(n_mounts, 9);
	CHECK_STR(m[7].path, "/oldroot/h");

	TEST("a mount point too long to keep is skipped, not cut");
	{
		char line[600];

		snprintf(line, sizeof(line), "1 1 8:1 / /oldroot/%0300d rw - ext4 /dev/sda1 rw\n", 0);
		mounts(line);
		CHECK_INT(n_mounts, 0);
	}
}

static void test_record(void)
{
	char line[64], *kind, *name;

	TEST("record lines: KIND NAME");
	snprintf(line, sizeof(line), "dm luks-root");
	CHECK_INT(wayback_record_line(line, &kind, &name), 0);
	CHECK_STR(kind, "dm");
	CHECK_STR(name, "luks-root");
	snprintf(line, sizeof(line), "md md0 extra");
	CHECK_INT(wayback_record_line(line, &kind, &name), -EINVAL);
	snprintf(line, sizeof(line), "dm");
	CHECK_INT(wayback_record_line(line, &kind, &name), -EINVAL);
	snprintf(line, sizeof(line), " dm");
	CHECK_INT(wayback_record_line(line, &kind, &name), -EINVAL);
	snprintf(line, sizeof(line), "dm ");
	CHECK_INT(wayback_record_line(line, &kind, &name), -EINVAL);
}

int main(void)
{
	test_verbs();
	test_mounts();
	test_record();
	return check_failed;
}
