/* /etc/fstab's /usr entry, as Debian's installer and users write fstab. */
#include "check.h"
#include "plan/fstab.h"

#include <errno.h>

static char text[4096];
static struct fstab_entry e;

static int find(const char *fstab, const char *dir)
{
	snprintf(text, sizeof(text), "%s", fstab);
	return fstab_find(text, dir, &e);
}

static const char *kernel_opts(const char *opts)
{
	static char out[128];

	return fstab_kernel_options(opts, out, sizeof(out)) ? "E2BIG" : out;
}

int main(void)
{
	TEST("Debian's installer: comments, UUID=, tabs, the last field pass");
	CHECK_INT(find("# /etc/fstab: static file system information.\n"
		       "#\n"
		       "# <file system> <mount point>   <type>  <options>       <dump>  <pass>\n"
		       "UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 /               ext4    errors=remount-ro 0       1\n"
		       "UUID=0b1d2c3e-0000-4000-8000-000000000055\t/usr\text4\tdefaults,noatime\t0\t2\n"
		       "/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0\n", "/usr"), 0);
	CHECK_STR(e.spec, "UUID=0b1d2c3e-0000-4000-8000-000000000055");
	CHECK_STR(e.type, "ext4");
	CHECK_STR(e.opts, "defaults,noatime");

	TEST("none for /usr, or only in a comment");
	CHECK_INT(find("UUID=a / ext4 defaults 0 1\n# UUID=b /usr ext4 defaults 0 2\n", "/usr"), -ENOENT);
	CHECK_INT(find("UUID=a /usr/local ext4 defaults 0 1\n/dev/vdb /usrx ext4 rw\n", "/usr"), -ENOENT);
	CHECK_INT(find("", "/usr"), -ENOENT);

	TEST("the last entry wins; missing fields take fstab's defaults");
	CHECK_INT(find("LABEL=one /usr ext4 ro\nLABEL=two /usr\n", "/usr"), 0);
	CHECK_STR(e.spec, "LABEL=two");
	CHECK_STR(e.type, "auto");
	CHECK_STR(e.opts, "defaults");

	TEST("escapes in the fields");
	CHECK_INT(find("LABEL=my\\040usr /usr xfs ro\n", "/usr"), 0);
	CHECK_STR(e.spec, "LABEL=my usr");
	CHECK_INT(find("LABEL=x /my\\040dir ext4 rw\n", "/my dir"), 0);
	CHECK_INT(find("LABEL=a\\011b\\134c /usr ext4 rw\n", "/usr"), 0);
	CHECK_STR(e.spec, "LABEL=a\tb\\c");

	TEST("only the four escapes: no NUL, no empty field (a fuzzer's find)");
	CHECK_INT(find("\\000usr /usr ext4 rw\n", "/usr"), 0);
	CHECK_STR(e.spec, "\\000usr");
	CHECK_INT(find("LABEL=\\101 /usr ext4 rw\n", "/usr"), 0);
	CHECK_STR(e.spec, "LABEL=\\101");

	TEST("no final newline, spaces before the first field");
	CHECK_INT(find("   PARTUUID=0a-02   /usr   btrfs   subvol=usr", "/usr"), 0);
	CHECK_STR(e.spec, "PARTUUID=0a-02");
	CHECK_STR(e.opts, "subvol=usr");

	TEST("options");
	CHECK(fstab_has_option("defaults,noauto,ro", "noauto"));
	CHECK(!fstab_has_option("defaults,noautox", "noauto"));
	CHECK(!fstab_has_option("", "ro"));
	CHECK(fstab_has_option("ro", "ro"));

	TEST("only what the kernel takes");
	CHECK_STR(kernel_opts("defaults"), "");
	CHECK_STR(kernel_opts("defaults,noatime,nofail,x-systemd.device-timeout=5,ro"), "noatime,ro");
	CHECK_STR(kernel_opts("user,noauto,_netdev,comment=x,subvol=usr,compress=zstd"), "subvol=usr,compress=zstd");
	CHECK_STR(kernel_opts(",,rw,,"), "rw");
	{
		char out[8];

		CHECK_INT(fstab_kernel_options("noatime,ro", out, sizeof(out)), -E2BIG);
		CHECK_INT(fstab_kernel_options("ro,rw", out, sizeof(out)), 0);
		CHECK_STR(out, "ro,rw");
	}
	return check_failed;
}
