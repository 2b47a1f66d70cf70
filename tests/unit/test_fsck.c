/*
 * The check before a read-write mount: when it applies, the checker's
 * arguments from fsck.mode= and fsck.repair=, and what each exit code
 * (e2fsck(8), a sum of 1, 2, 4, 8, 16, 32, 128) makes the boot do.
 */
#include "check.h"
#include "mount/fsck.h"

static struct root_dev dev = { .node = "/dev/vda", .fstype = "ext4", .fd = -1 };

static bool applies(const char *line_in, const char *fstype, bool read_only)
{
	char line[256];
	struct boot_params p;
	struct mount_req r = { "root", "root", "/dev/vda", &dev, NEW_ROOT, NULL, NULL, read_only };

	snprintf(line, sizeof(line), "%s", line_in);
	snprintf(dev.fstype, sizeof(dev.fstype), "%s", fstype);
	cmdline_parse(line, &p);
	return fsck_applies(&r, &p);
}

static void test_applies(void)
{
	TEST("read-write ext2, ext3 and ext4 are checked");
	CHECK(applies("root=/dev/vda rw", "ext4", false));
	CHECK(applies("root=/dev/vda rw", "ext3", false));
	CHECK(applies("root=/dev/vda rw", "ext2", false));
	CHECK(applies("root=/dev/vda rw fsck.mode=force", "ext4", false));
	CHECK(applies("root=/dev/vda rw fsck.mode=auto", "ext4", false));

	TEST("read-only: the real init checks");
	CHECK(!applies("root=/dev/vda", "ext4", true));
	CHECK(!applies("root=/dev/vda fsck.mode=force", "ext4", true));

	TEST("fsck.mode=skip: never");
	CHECK(!applies("root=/dev/vda rw fsck.mode=skip", "ext4", false));
	CHECK(!applies("root=/dev/vda rw fsck.mode=force fsck.mode=skip", "ext4", false));

	TEST("other or unknown types: e2fsck is not their checker");
	CHECK(!applies("root=/dev/vda rw", "xfs", false));
	CHECK(!applies("root=/dev/vda rw", "vfat", false));
	CHECK(!applies("root=/dev/vda rw", "", false));
	CHECK(!applies("root=/dev/vda rw", "ext", false));
	CHECK(!applies("root=/dev/vda rw", "ext44", false));
}

/* The arguments joined by spaces. */
static const char *args(const char *line_in)
{
	static char out[128];
	char line[256];
	const char *argv[FSCK_ARGV_MAX];
	struct boot_params p;
	int i;

	snprintf(line, sizeof(line), "%s", line_in);
	cmdline_parse(line, &p);
	fsck_argv("/dev/vda2", &p, argv);
	out[0] = '\0';
	for (i = 0; i < FSCK_ARGV_MAX && argv[i]; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "", argv[i]);
	return i < FSCK_ARGV_MAX ? out : "(not terminated)";
}

static void test_argv(void)
{
	TEST("fsck.repair=: preen (the default) -p, yes -y, no -n");
	CHECK_STR(args("rw"), "e2fsck -p /dev/vda2");
	CHECK_STR(args("rw fsck.repair=preen"), "e2fsck -p /dev/vda2");
	CHECK_STR(args("rw fsck.repair=yes"), "e2fsck -y /dev/vda2");
	CHECK_STR(args("rw fsck.repair=no"), "e2fsck -n /dev/vda2");

	TEST("fsck.mode=force adds -f; auto does not");
	CHECK_STR(args("rw fsck.mode=force"), "e2fsck -p -f /dev/vda2");
	CHECK_STR(args("rw fsck.mode=force fsck.repair=yes"), "e2fsck -y -f /dev/vda2");
	CHECK_STR(args("rw fsck.mode=force fsck.repair=no"), "e2fsck -n -f /dev/vda2");
	CHECK_STR(args("rw fsck.mode=force fsck.mode=auto"), "e2fsck -p /dev/vda2");

	TEST("a bad value keeps the default (the parser reports it)");
	CHECK_STR(args("rw fsck.repair=maybe fsck.mode=often"), "e2fsck -p /dev/vda2");
}

static const struct {
	int code;
	const char *meaning;
} meanings[] = {
	{ 0, "clean" },
	{ 1, "errors corrected" },
	{ 2, "errors corrected, reboot needed" },
	{ 3, "errors corrected, reboot needed" },
	{ 4, "errors left uncorrected" },
	{ 5, "errors left uncorrected" },
	{ 12, "errors left uncorrected" },
	{ 8, "operational error" },
	{ 16, "usage or syntax error" },
	{ 32, "canceled by user request" },
	{ 128, "shared library error" },
	{ 129, "shared library error" },
	{ 64, "a code e2fsck does not document" },
};

static void test_verdict(void)
{
	int c;

	TEST("0 goes on, 1 goes on (corrected), 2 and 3 reboot");
	CHECK_INT(fsck_verdict(0), FSCK_CLEAN);
	CHECK_INT(fsck_verdict(1), FSCK_CORRECTED);
	CHECK_INT(fsck_verdict(2), FSCK_REBOOT);
	CHECK_INT(fsck_verdict(3), FSCK_REBOOT);

	TEST("4 and up, any sum: the failure policy");
	for (c = 4; c < 256; c++)
		if (fsck_verdict(c) != FSCK_FAILED)
			break;
	CHECK_INT(c, 256);

	TEST("the meanings, by the lowest bit of 4 and up");
	for (c = 0; c < (int)(sizeof(meanings) / sizeof(meanings[0])); c++)
		CHECK_STR(fsck_meaning(meanings[c].code), meanings[c].meaning);
}

int main(void)
{
	test_applies();
	test_argv();
	test_verdict();
	return check_failed;
}
