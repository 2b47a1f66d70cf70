/* root= in every form the kernel and userspace tools accept. */
#include "check.h"
#include "plan/rootspec.h"

#include <errno.h>

static struct root_spec r;
static const char *why;

static int parse(const char *s)
{
	return rootspec_parse(s, &r, &why);
}

static void test_devname(void)
{
	TEST("/dev/NAME");
	CHECK_INT(parse("/dev/vda"), 0);
	CHECK_INT(r.kind, ROOT_DEVNAME);
	CHECK_STR(r.value, "vda");
	CHECK_INT(parse("/dev/nvme0n1p2"), 0);
	CHECK_STR(r.value, "nvme0n1p2");
	CHECK_INT(parse("/dev/cciss/c0d0p1"), 0);
	CHECK_STR(r.value, "cciss/c0d0p1");

	TEST("/dev/NAME refusals");
	CHECK_INT(parse("/dev/"), -EINVAL);
	CHECK_INT(parse("/dev/../etc/passwd"), -EINVAL);
	CHECK_INT(parse(""), -EINVAL);
	CHECK_INT(parse(NULL), -EINVAL);

	TEST("special roots are named, not guessed");
	CHECK_INT(parse("/dev/nfs"), 0);
	CHECK_INT(r.kind, ROOT_NFS);
	CHECK_STR(r.value, "nfs");
	CHECK_INT(parse("nfs:10.0.2.2:/srv/root:vers=3"), 0);
	CHECK_INT(r.kind, ROOT_NFS);
	CHECK_STR(r.value, "nfs:10.0.2.2:/srv/root:vers=3");
	CHECK_INT(parse("nfs4:10.0.2.2:/root"), 0);
	CHECK_INT(r.kind, ROOT_NFS);
	CHECK_INT(parse("/dev/nfsd0"), 0);
	CHECK_INT(r.kind, ROOT_DEVNAME);
	CHECK_INT(parse("/dev/ram"), 0);
	CHECK_INT(r.kind, ROOT_UNSUPPORTED);
	CHECK_INT(parse("/dev/ram0"), 0);
	CHECK_INT(r.kind, ROOT_UNSUPPORTED);
	CHECK_INT(parse("ubi0:rootfs"), 0);
	CHECK_INT(r.kind, ROOT_UBI);
	CHECK_STR(r.value, "ubi0:rootfs");
	CHECK_INT(parse("/dev/ubi0_1"), 0);
	CHECK_INT(r.kind, ROOT_UBI);
	CHECK_STR(r.value, "ubi0_1");
	CHECK_INT(parse("/dev/ubiblock0_1"), 0);
	CHECK_INT(r.kind, ROOT_DEVNAME);
	CHECK_INT(parse("mtd:rootfs"), 0);
	CHECK_INT(r.kind, ROOT_MTD);
	CHECK_INT(parse("/dev/mtd2"), 0);
	CHECK_INT(r.kind, ROOT_MTD);
	CHECK_STR(r.value, "mtd2");
	CHECK_INT(parse("/dev/mtdblock2"), 0);
	CHECK_INT(r.kind, ROOT_DEVNAME);
	CHECK_INT(parse("virtiofs:host0"), 0);
	CHECK_INT(r.kind, ROOT_VIRTIOFS);
	CHECK_STR(r.value, "host0");
	CHECK_INT(parse("virtiofs:"), -EINVAL);

	TEST("rootfstype=virtiofs or 9p: root= is a tag, even one that reads as hex");
	CHECK(rootspec_hostdir("cafe", "9p", &r));
	CHECK_INT(r.kind, ROOT_9P);
	CHECK_STR(r.value, "cafe");
	CHECK(rootspec_hostdir("virtiofs:share", "virtiofs", &r));
	CHECK_INT(r.kind, ROOT_VIRTIOFS);
	CHECK_STR(r.value, "share");
	CHECK(!rootspec_hostdir("cafe", "ext4", &r));
	CHECK(!rootspec_hostdir("cafe", NULL, &r));
	CHECK(!rootspec_hostdir("", "9p", &r));

	TEST("only the device forms are block devices");
	CHECK(rootspec_is_block(ROOT_DEVNAME) && rootspec_is_block(ROOT_PARTLABEL));
	CHECK(!rootspec_is_block(ROOT_NFS) && !rootspec_is_block(ROOT_UBI) &&
	      !rootspec_is_block(ROOT_TMPFS) && !rootspec_is_block(ROOT_GPT_AUTO));
}

static void test_devnum(void)
{
	TEST("MAJ:MIN");
	CHECK_INT(parse("254:1"), 0);
	CHECK_INT(r.kind, ROOT_DEVNUM);
	CHECK_INT(r.major, 254);
	CHECK_INT(r.minor, 1);
	CHECK_INT(parse("8:17:999"), 0);
	CHECK_INT(r.major, 8);
	CHECK_INT(r.minor, 17);

	TEST("hex as new_decode_dev");
	CHECK_INT(parse("801"), 0);
	CHECK_INT(r.major, 8);
	CHECK_INT(r.minor, 1);
	CHECK_INT(parse("b302"), 0);
	CHECK_INT(r.major, 179);
	CHECK_INT(r.minor, 2);
	CHECK_INT(parse("0xfe00"), 0);
	CHECK_INT(r.major, 254);
	CHECK_INT(r.minor, 0);
	CHECK_INT(parse("FE01"), 0);
	CHECK_INT(r.major, 254);
	CHECK_INT(r.minor, 1);
	CHECK_INT(parse("10fe03"), 0);	/* minor's high bits above bit 20 */
	CHECK_INT(r.major, 254);
	CHECK_INT(r.minor, 0x103);

	TEST("device number refusals");
	CHECK_INT(parse("8:"), -EINVAL);
	CHECK_INT(parse(":1"), -EINVAL);
	CHECK_INT(parse("8:1x"), -EINVAL);
	CHECK_INT(parse("4096:0"), -EINVAL);
	CHECK_INT(parse("1:1048576"), -EINVAL);
	CHECK_INT(parse("0:0"), -EINVAL);
	CHECK_INT(parse("xyz"), -EINVAL);
	CHECK_INT(parse("vda"), -EINVAL);
	CHECK(why && *why);
	CHECK_INT(parse("123456789abc"), -EINVAL);
}

static void test_identity(void)
{
	TEST("UUID= and LABEL=");
	CHECK_INT(parse("UUID=3e6be9de-8139-11d1-9106-a43f08d823a6"), 0);
	CHECK_INT(r.kind, ROOT_UUID);
	CHECK_STR(r.value, "3e6be9de-8139-11d1-9106-a43f08d823a6");
	CHECK_INT(parse("LABEL=my root"), 0);
	CHECK_INT(r.kind, ROOT_LABEL);
	CHECK_STR(r.value, "my root");
	CHECK_INT(parse("UUID="), -EINVAL);

	TEST("PARTUUID=, with PARTNROFF");
	CHECK_INT(parse("PARTUUID=00112233-02"), 0);
	CHECK_INT(r.kind, ROOT_PARTUUID);
	CHECK_STR(r.value, "00112233-02");
	CHECK(!r.has_partnroff);
	CHECK_INT(parse("PARTUUID=6f0e1c0a-aaaa-bbbb-cccc-000000000001/PARTNROFF=-1"), 0);
	CHECK_STR(r.value, "6f0e1c0a-aaaa-bbbb-cccc-000000000001");
	CHECK(r.has_partnroff);
	CHECK_INT(r.partnroff, -1);
	CHECK_INT(parse("PARTUUID=abc/PARTNROFF=x"), -EINVAL);
	CHECK_INT(parse("PARTUUID=abc/FOO=1"), -EINVAL);
	CHECK_INT(parse("PARTUUID=/PARTNROFF=1"), -EINVAL);

	TEST("PARTLABEL=");
	CHECK_INT(parse("PARTLABEL=rootfs"), 0);
	CHECK_INT(r.kind, ROOT_PARTLABEL);
	CHECK_STR(r.value, "rootfs");

	TEST("/dev/disk/by-* paths");
	CHECK_INT(parse("/dev/disk/by-uuid/1234-ABCD"), 0);
	CHECK_INT(r.kind, ROOT_UUID);
	CHECK_STR(r.value, "1234-ABCD");
	CHECK_INT(parse("/dev/disk/by-label/my\\x20root"), 0);
	CHECK_INT(r.kind, ROOT_LABEL);
	CHECK_STR(r.value, "my root");
	CHECK_INT(parse("/dev/disk/by-partuuid/00112233-01"), 0);
	CHECK_INT(r.kind, ROOT_PARTUUID);
	CHECK_INT(parse("/dev/disk/by-partlabel/system"), 0);
	CHECK_INT(r.kind, ROOT_PARTLABEL);
	CHECK_INT(parse("/dev/disk/by-label/bad\\x00"), -EINVAL);
	CHECK_INT(parse("/dev/disk/by-label/bad\\xzz"), -EINVAL);

	TEST("values too long are refused, not cut");
	{
		char big[400];

		memset(big, 'a', sizeof(big) - 1);
		memcpy(big, "LABEL=", 6);
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(parse(big), -EINVAL);
	}
}

int main(void)
{
	TEST("root=tmpfs");
	CHECK_INT(parse("tmpfs"), 0);
	CHECK_INT(r.kind, ROOT_TMPFS);
	CHECK_STR(rootspec_kind_name(r.kind), "tmpfs");
	CHECK_INT(parse("tmpfsx"), -EINVAL);
	test_devname();
	test_devnum();
	test_identity();
	return check_failed;
}
