/* depmod's files: modules.dep, modules.alias, modules.builtin, and alias globs. */
#include "check.h"
#include "modules/modparse.h"

#include <errno.h>

/* Lines as Debian's 6.1 cloud kernel has them (modules.dep order). */
static const char dep[] =
	"kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko\n"
	"kernel/lib/libcrc32c.ko:\n"
	"kernel/drivers/scsi/virtio_scsi.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko\n"
	"kernel/drivers/usb/storage/usb-storage.ko.xz: kernel/drivers/usb/core/usbcore.ko.xz\n"
	"bogus line without a colon\n"
	"kernel/drivers/block/virtio_blk.ko.zst:\tkernel/drivers/virtio/virtio.ko.zst";

static const char alias[] =
	"# Aliases extracted from modules themselves.\n"
	"alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci\n"
	"alias virtio:d00000002v* virtio_blk\n"
	"alias virtio:d00000008v* virtio_scsi\n"
	"alias fs-xfs xfs\n"
	"alias usb:v*p*d*dc*dsc*dp*ic08isc06ip50in* usb_storage\n"
	"alias scsi:t-0x00* sd_mod\n"
	"alias scsi:t-0x0[47e]* sd_mod\n"
	"alias acpi*:PNP0A0[38]:* pci_root\n"
	"alias bad-line-two-words\n"
	"notalias foo bar";

static const char builtin[] =
	"kernel/fs/ext4/ext4.ko\n"
	"kernel/crypto/crc32c_generic.ko\n"
	"kernel/drivers/nvme/host/nvme-core.ko\n";

static char matched[512];

static int collect(const char *name, void *ctx)
{
	(void)ctx;
	if (matched[0])
		strcat(matched, ",");
	strcat(matched, name);
	return 0;
}

static const char *matches(const char *buf, const char *s)
{
	matched[0] = '\0';
	modalias_each(buf, strlen(buf), s, collect, NULL);
	return matched;
}

/* The same strings through an index of the file: the same answer. */
static const char *matches_indexed(const char *buf, const char *s)
{
	static struct modalias_entry e[64];
	size_t n = modalias_index(buf, strlen(buf), e, 64);

	matched[0] = '\0';
	CHECK(n <= 64);
	modalias_each_entry(e, n, s, collect, NULL);
	return matched;
}

static int stop_first(const char *name, void *ctx)
{
	(void)name;
	++*(int *)ctx;
	return 7;
}

static bool glob(const char *pat, const char *s)
{
	return glob_match(pat, strlen(pat), s);
}

static const char *deps_of(const char *name)
{
	static char out[512];
	struct moddep d;
	const char *p;
	size_t off, pos = 0, n;

	out[0] = '\0';
	if (moddep_find(dep, sizeof(dep) - 1, name, &d, &off))
		return "(none)";
	while (moddep_next(&d, &pos, &p, &n)) {
		strncat(out, p, n);
		strcat(out, "|");
	}
	return out;
}

/* Module options from the command line, for finit_module. */
static void test_params(void)
{
	char out[32], full[MODPARAMS_MAX];
	size_t i;

	TEST("module options: NAME.PARAM words for this module only");
	CHECK_STR(modparam_for("virtio-blk.queue_depth", "virtio_blk"), "queue_depth");
	CHECK_STR(modparam_for("virtio_blk.queue_depth", "virtio_blk"), "queue_depth");
	CHECK_STR(modparam_for("usb-storage.quirks", "usb_storage"), "quirks");
	CHECK_STR(modparam_for("virtio_blk.queue_depth", "virtio_pci"), NULL);
	CHECK_STR(modparam_for("virtio_blk.", "virtio_blk"), NULL);
	CHECK_STR(modparam_for(".x", "virtio_blk"), NULL);
	CHECK_STR(modparam_for("rd.modules", "virtio_blk"), NULL);
	CHECK_STR(modparam_for("virtio_blk", "virtio_blk"), NULL);

	TEST("module options: joined, flags bare, spaced values quoted again");
	out[0] = '\0';
	CHECK_INT(modparam_append(out, sizeof(out), "a", "1"), 0);
	CHECK_INT(modparam_append(out, sizeof(out), "flag", NULL), 0);
	CHECK_INT(modparam_append(out, sizeof(out), "q", "x y"), 0);
	CHECK_STR(out, "a=1 flag q=\"x y\"");

	TEST("module options: one that does not fit is left out whole");
	CHECK_INT(modparam_append(out, sizeof(out), "long", "0123456789"), -E2BIG);
	CHECK_STR(out, "a=1 flag q=\"x y\"");
	/* 16 used: " bbb=" and 10 bytes make 31, the last byte the NUL's. */
	CHECK_INT(modparam_append(out, sizeof(out), "bbb", "0123456789"), 0);
	CHECK_INT((int)strlen(out), 31);
	CHECK_INT(modparam_append(out, sizeof(out), "c", NULL), -E2BIG);
	CHECK_INT(modparam_append(out, 0, "c", NULL), -E2BIG);

	TEST("module options: a long option after short ones is skipped, later ones kept");
	full[0] = '\0';
	CHECK_INT(modparam_append(full, sizeof(full), "first", "1"), 0);
	{
		static char big[MODPARAMS_MAX];

		for (i = 0; i < sizeof(big) - 1; i++)
			big[i] = 'x';
		big[sizeof(big) - 1] = '\0';
		CHECK_INT(modparam_append(full, sizeof(full), "huge", big), -E2BIG);
	}
	CHECK_INT(modparam_append(full, sizeof(full), "last", "2"), 0);
	CHECK_STR(full, "first=1 last=2");
}

int main(void)
{
	char name[MODNAME_MAX];
	const char *line, *pat, *mod;
	size_t pos, n, pn, mn, off;
	struct moddep d;
	int count;

	TEST("lines, with and without a final newline");
	pos = 0;
	CHECK(text_line("a\n\nb", 4, &pos, &line, &n) && n == 1 && line[0] == 'a');
	CHECK(text_line("a\n\nb", 4, &pos, &line, &n) && n == 0);
	CHECK(text_line("a\n\nb", 4, &pos, &line, &n) && n == 1 && line[0] == 'b');
	CHECK(!text_line("a\n\nb", 4, &pos, &line, &n));
	pos = 0;
	CHECK(!text_line("", 0, &pos, &line, &n));

	TEST("module names from paths");
	CHECK_INT(modname_from_path("kernel/fs/xfs/xfs.ko", 20, name, sizeof(name)), 0);
	CHECK_STR(name, "xfs");
	CHECK_INT(modname_from_path("a/usb-storage.ko.xz", 19, name, sizeof(name)), 0);
	CHECK_STR(name, "usb_storage");
	CHECK_INT(modname_from_path("x/nvme-core.ko.zst", 18, name, sizeof(name)), 0);
	CHECK_STR(name, "nvme_core");
	CHECK_INT(modname_from_path("vfat.ko.gz", 10, name, sizeof(name)), 0);
	CHECK_STR(name, "vfat");
	CHECK_INT(modname_from_path("kernel/fs/xfs/xfs.o", 19, name, sizeof(name)), -EINVAL);
	CHECK_INT(modname_from_path("kernel/.ko", 10, name, sizeof(name)), -EINVAL);
	CHECK_INT(modname_from_path("a.ko.bz2", 8, name, sizeof(name)), -EINVAL);
	CHECK_INT(modname_from_path("abcdefgh.ko", 11, name, 8), -E2BIG);
	CHECK_INT(modname_normalize("a\0b", 3, name, sizeof(name)), -EINVAL);
	CHECK_INT(modname_normalize("", 0, name, sizeof(name)), -EINVAL);

	TEST("modules.dep lines");
	CHECK_INT(moddep_parse("a.ko: b.ko c.ko", 15, &d), 0);
	CHECK_INT(d.path_len, 4);
	CHECK_INT(d.deps_len, 10);
	CHECK_INT(moddep_parse(": b.ko", 6, &d), -EINVAL);
	CHECK_INT(moddep_parse("no colon", 8, &d), -EINVAL);

	TEST("modules.dep: a module's dependencies, by name in either spelling");
	CHECK_STR(deps_of("xfs"), "kernel/lib/libcrc32c.ko|");
	CHECK_STR(deps_of("libcrc32c"), "");
	CHECK_STR(deps_of("virtio_scsi"),
		  "kernel/drivers/scsi/scsi_mod.ko|kernel/drivers/scsi/scsi_common.ko|kernel/drivers/virtio/virtio.ko|kernel/drivers/virtio/virtio_ring.ko|");
	CHECK_STR(deps_of("usb-storage"), "kernel/drivers/usb/core/usbcore.ko.xz|");
	CHECK_STR(deps_of("usb_storage"), "kernel/drivers/usb/core/usbcore.ko.xz|");
	CHECK_STR(deps_of("virtio_blk"), "kernel/drivers/virtio/virtio.ko.zst|");
	CHECK_STR(deps_of("ext4"), "(none)");
	CHECK_STR(deps_of("bogus line without a colon"), "(none)");
	CHECK_STR(deps_of(""), "(none)");

	TEST("modules.dep: the offset is the line's start, a key that stays");
	CHECK_INT(moddep_find(dep, sizeof(dep) - 1, "xfs", &d, &off), 0);
	CHECK_INT(off, 0);
	CHECK_INT(moddep_find(dep, sizeof(dep) - 1, "libcrc32c", &d, &off), 0);
	CHECK_INT(off, strlen("kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko\n"));
	CHECK_INT(moddep_find(dep, 10, "libcrc32c", &d, &off), -ENOENT);

	TEST("modules.alias lines");
	CHECK_INT(modalias_parse("alias fs-xfs xfs", 16, &pat, &pn, &mod, &mn), 0);
	CHECK(pn == 6 && !memcmp(pat, "fs-xfs", 6) && mn == 3 && !memcmp(mod, "xfs", 3));
	CHECK_INT(modalias_parse("alias\tp\t m", 10, &pat, &pn, &mod, &mn), 0);
	CHECK_INT(modalias_parse("alias only", 10, &pat, &pn, &mod, &mn), -EINVAL);
	CHECK_INT(modalias_parse("aliasx a b", 10, &pat, &pn, &mod, &mn), -EINVAL);
	CHECK_INT(modalias_parse("# alias a b", 11, &pat, &pn, &mod, &mn), -EINVAL);
	CHECK_INT(modalias_parse("", 0, &pat, &pn, &mod, &mn), -EINVAL);

	TEST("globs: literal, * and ?");
	CHECK(glob("abc", "abc"));
	CHECK(!glob("abc", "abcd"));
	CHECK(!glob("abcd", "abc"));
	CHECK(glob("", ""));
	CHECK(!glob("", "a"));
	CHECK(glob("*", ""));
	CHECK(glob("a*", "a"));
	CHECK(glob("a*c", "abbbc"));
	CHECK(!glob("a*c", "abbbd"));
	CHECK(glob("*b*b*", "abcbd"));
	CHECK(glob("a?c", "abc"));
	CHECK(!glob("a?c", "ac"));
	CHECK(glob("**a**", "a"));
	CHECK(glob("a*b*c", "aXbYbZc"));
	CHECK(!glob("a*b*c", "aXbYbZ"));

	TEST("globs: classes");
	CHECK(glob("x[abc]", "xb"));
	CHECK(!glob("x[abc]", "xd"));
	CHECK(glob("x[a-f]y", "xey"));
	CHECK(!glob("x[a-f]y", "xgy"));
	CHECK(glob("x[!a-f]", "xg"));
	CHECK(glob("x[^a-f]", "xg"));
	CHECK(!glob("x[!a-f]", "xa"));
	CHECK(glob("[]]", "]"));
	CHECK(glob("[!]]", "a"));
	CHECK(glob("[a-]", "-"));
	CHECK(glob("x[", "x["));
	CHECK(!glob("x[ab", "xa"));
	CHECK(glob("x[ab", "x[ab"));
	CHECK(glob("[\\]]", "]"));

	TEST("globs: escapes");
	CHECK(glob("a\\*", "a*"));
	CHECK(!glob("a\\*", "ab"));
	CHECK(glob("a\\", "a\\"));

	TEST("globs: a length-bounded pattern stops at its length");
	CHECK(glob_match("abcdef", 3, "abc"));
	CHECK(!glob_match("a*", 1, "ab"));

	TEST("aliases: real modaliases find their drivers");
	CHECK_STR(matches(alias, "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"),
		  "virtio_pci");
	CHECK_STR(matches(alias, "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80"), "");
	CHECK_STR(matches(alias, "virtio:d00000002v00001AF4"), "virtio_blk");
	CHECK_STR(matches(alias, "virtio:d00000008v00001AF4"), "virtio_scsi");
	CHECK_STR(matches(alias, "virtio:d00000012v00001AF4"), "");
	CHECK_STR(matches(alias, "scsi:t-0x00"), "sd_mod");
	CHECK_STR(matches(alias, "scsi:t-0x0e"), "sd_mod");
	CHECK_STR(matches(alias, "scsi:t-0x05"), "");
	CHECK_STR(matches(alias, "usb:v0781p5581d0100dc00dsc00dp00ic08isc06ip50in00"),
		  "usb_storage");
	CHECK_STR(matches(alias, "acpi:PNP0A08:PNP0A03:"), "pci_root");
	CHECK_STR(matches(alias, "fs-xfs"), "xfs");
	CHECK_STR(matches(alias, "fs-xfsx"), "");
	CHECK_STR(matches(alias, ""), "");
	CHECK_STR(matches("alias * every\nalias s* second", "sd"), "every,second");

	TEST("aliases: an index of the file matches as the text does");
	{
		static const char *const probes[] = {
			"pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00",
			"virtio:d00000002v00001AF4", "virtio:d00000012v00001AF4", "scsi:t-0x00",
			"usb:v0781p5581d0100dc00dsc00dp00ic08isc06ip50in00",
			"acpi:PNP0A08:PNP0A03:", "fs-xfs", "fs-xfsx", "",
		};
		struct modalias_entry e[4];
		char text[512];
		size_t i;

		for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			strcpy(text, matches(alias, probes[i]));
			CHECK_STR(matches_indexed(alias, probes[i]), text);
		}
		CHECK_STR(matches_indexed("alias * every\n# c\nalias s* second", "sd"), "every,second");
		/* More lines than room: the count says so. */
		CHECK_INT((int)modalias_index("alias a x\nalias b y\nalias c z\nalias d w\nalias e v\n",
					      50, e, 4), 5);
		CHECK(e[3].mod_len == 1 && e[3].mod[0] == 'w');
		count = 0;
		CHECK_INT(modalias_each_entry(e, 4, "q", stop_first, &count), 0);
		CHECK_INT(modalias_each_entry(e, 4, "a", stop_first, &count), 7);
		CHECK_INT(count, 1);
	}

	TEST("aliases: the callback can stop the walk");
	count = 0;
	CHECK_INT(modalias_each("alias * a\nalias * b\n", 20, "x", stop_first, &count), 7);
	CHECK_INT(count, 1);

	TEST("modules.builtin");
	CHECK(modbuiltin_has(builtin, strlen(builtin), "ext4"));
	CHECK(modbuiltin_has(builtin, strlen(builtin), "nvme-core"));
	CHECK(modbuiltin_has(builtin, strlen(builtin), "nvme_core"));
	CHECK(!modbuiltin_has(builtin, strlen(builtin), "xfs"));
	CHECK(!modbuiltin_has(builtin, strlen(builtin), "ext"));
	CHECK(!modbuiltin_has(NULL, 0, "ext4"));
	test_params();
	return check_failed;
}
