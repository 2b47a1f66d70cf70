/* handoff-modules' own parsers: modules.softdep, vermagic, a bzImage's version. */
#include "check.h"
#include "../../tools/hostparse.h"

#include <errno.h>

static char got[256];

static int collect(const char *name, void *ctx)
{
	(void)ctx;
	if (got[0])
		strcat(got, ",");
	strcat(got, name);
	return 0;
}

static const char *pre(const char *buf, const char *name)
{
	got[0] = '\0';
	softdep_each_pre(buf, strlen(buf), name, collect, NULL);
	return got;
}

static void test_softdep(void)
{
	static const char sd[] =
		"# Soft dependencies extracted from modules themselves.\n"
		"softdep crc32c pre: crc32c-intel post: x\n"
		"softdep zfs pre: a b\tpost: c pre: d\n"
		"softdep zfs\n"
		"softdeps zfs pre: nope\n"
		"softdep ext4 post: crc32c\n"
		"softdep usb-storage pre: ehci-pci";

	TEST("softdep: the pre: modules of the module's lines, normalised");
	CHECK_STR(pre(sd, "crc32c"), "crc32c_intel");
	CHECK_STR(pre(sd, "zfs"), "a,b,d");
	CHECK_STR(pre(sd, "ext4"), "");
	CHECK_STR(pre(sd, "usb_storage"), "ehci_pci");
	CHECK_STR(pre(sd, "nope"), "");
	CHECK_STR(pre("", "zfs"), "");
	CHECK_STR(pre("softdep zfs pre:", "zfs"), "");
}

static void test_vermagic(void)
{
	static const char mi[] = "license=GPL\0xvermagic=9.9.9-no\0vermagic=6.1.0-56-cloud-amd64 SMP mod_unload \0name=x";
	static const char end[] = "vermagic=6.1.0-56";	/* at the very end, no NUL */
	const char *v;
	size_t n;

	TEST("vermagic: the first word of the field, not a value that contains the key");
	CHECK_INT(vermagic_release(mi, sizeof(mi) - 1, &v, &n), 0);
	CHECK_INT((int)n, 20);
	CHECK(!memcmp(v, "6.1.0-56-cloud-amd64", n));
	TEST("vermagic: bounded by the buffer");
	CHECK_INT(vermagic_release(end, sizeof(end) - 1, &v, &n), 0);
	CHECK_INT((int)n, 8);
	CHECK_INT(vermagic_release(end, 8, &v, &n), -ENOENT);
	CHECK_INT(vermagic_release("name=x\0vermagi", 14, &v, &n), -ENOENT);
}

static void test_bzimage(void)
{
	static unsigned char img[0x400];
	const char *v;
	size_t n;

	TEST("bzImage: the version at 0x200 + the u16 at 0x20e");
	CHECK_INT(bzimage_version(img, sizeof(img), &v, &n), -ENOEXEC);
	memcpy(img + 0x202, "HdrS", 4);
	CHECK_INT(bzimage_version(img, sizeof(img), &v, &n), -ENOENT);
	img[0x20e] = 0x00;
	img[0x20f] = 0x01;
	memcpy(img + 0x300, "6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1", 57);
	CHECK_INT(bzimage_version(img, sizeof(img), &v, &n), 0);
	CHECK_INT((int)n, 20);
	CHECK(!memcmp(v, "6.1.0-56-cloud-amd64", n));
	TEST("bzImage: a version past the bytes given, or a short header");
	CHECK_INT(bzimage_version(img, 0x300, &v, &n), -ENOENT);
	CHECK_INT(bzimage_version(img, 0x20f, &v, &n), -ENOEXEC);
	CHECK_INT(bzimage_version(img, 0x304, &v, &n), 0);
	CHECK_INT((int)n, 4);
}

int main(void)
{
	test_softdep();
	test_vermagic();
	test_bzimage();
	return check_failed;
}
