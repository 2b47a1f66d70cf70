/* The command-line parser against the kernel's own rules. */
#include "check.h"
#include "plan/cmdline.h"

static struct boot_params p;
static char buf[8192];

static void parse(const char *line)
{
	snprintf(buf, sizeof(buf), "%s", line);
	cmdline_parse(buf, &p);
}

static void test_basics(void)
{
	TEST("defaults");
	parse("");
	CHECK(p.root == NULL);
	CHECK(p.read_only);
	CHECK_INT(p.wait, WAIT_DEFAULT);
	CHECK(!p.has_panic);

	TEST("typical line");
	parse("BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro console=ttyS0,115200n8 quiet\n");
	CHECK_STR(p.root, "/dev/vda1");
	CHECK(p.read_only);
	CHECK_INT(p.problems, 0);	/* quiet is the kernel's: the log reads its console level */

	TEST("last occurrence wins");
	parse("root=/dev/vda root=/dev/vdb init=/a init=/b rootfstype=ext4 rootfstype=xfs,ext4");
	CHECK_STR(p.root, "/dev/vdb");
	CHECK_STR(p.init, "/b");
	CHECK_STR(p.rootfstype, "xfs,ext4");

	TEST("ro and rw, last wins");
	parse("rw");
	CHECK(!p.read_only);
	parse("rw ro");
	CHECK(p.read_only);
	parse("ro rw");
	CHECK(!p.read_only);
	parse("rw=1");
	CHECK(p.read_only);

	TEST("rootflags kept verbatim");
	parse("rootflags=noatime,commit=7,data=journal");
	CHECK_STR(p.rootflags, "noatime,commit=7,data=journal");
}

static void test_quotes(void)
{
	TEST("quoted value");
	parse("root=\"/dev/disk/by-label/my disk\" init=\"/sbin/my init\" rw");
	CHECK_STR(p.root, "/dev/disk/by-label/my disk");
	CHECK_STR(p.init, "/sbin/my init");
	CHECK(!p.read_only);

	TEST("whole word quoted");
	parse("\"rootflags=a b\" root=/dev/vda");
	CHECK_STR(p.rootflags, "a b");
	CHECK_STR(p.root, "/dev/vda");

	TEST("unbalanced quote runs to the end, as in the kernel");
	parse("root=\"/dev/vda rw");
	CHECK_STR(p.root, "/dev/vda rw");
	CHECK(p.read_only);

	TEST("quote inside a value");
	parse("init=/bin/sh\"x\" root=/dev/vda");
	CHECK_STR(p.init, "/bin/sh\"x\"");
	CHECK_STR(p.root, "/dev/vda");

	TEST("an opening quote swallows the rest, as in the kernel");
	parse("root=/dev/vda \"  \t root=/dev/vdb \n");
	CHECK_STR(p.root, "/dev/vda");
	parse("\" root=/dev/vdc");
	CHECK(p.root == NULL);
}

static void test_dashdash(void)
{
	TEST("-- ends the kernel's part");
	parse("root=/dev/vda -- root=/dev/vdb single");
	CHECK_STR(p.root, "/dev/vda");
	parse("root=/dev/vda --=x root=/dev/vdb");
	CHECK_STR(p.root, "/dev/vdb");
}

static void test_wait(void)
{
	TEST("rootwait forever");
	parse("rootwait");
	CHECK_INT(p.wait, WAIT_FOREVER);

	TEST("rootwait=N bounds the wait");
	parse("rootwait=5");
	CHECK_INT(p.wait, WAIT_BOUNDED);
	CHECK_INT(p.wait_s, 5);

	TEST("rootdelay=N bounds the wait");
	parse("rootdelay=7");
	CHECK_INT(p.wait, WAIT_BOUNDED);
	CHECK_INT(p.wait_s, 7);

	TEST("the longer bound wins");
	parse("rootwait=3 rootdelay=9");
	CHECK_INT(p.wait_s, 9);
	parse("rootdelay=9 rootwait=3");
	CHECK_INT(p.wait_s, 9);

	TEST("rootwait beats a bound");
	parse("rootdelay=3 rootwait");
	CHECK_INT(p.wait, WAIT_FOREVER);
	parse("rootwait rootdelay=3");
	CHECK_INT(p.wait, WAIT_FOREVER);

	TEST("bad wait values are reported and ignored");
	parse("rootwait=abc rootdelay=-1 rootdelay=");
	CHECK_INT(p.wait, WAIT_DEFAULT);
	CHECK_INT(p.problems, 3);
	CHECK_STR(p.problem[0], "rootwait");
	CHECK_STR(p.problem[1], "rootdelay");
}

static void test_panic(void)
{
	TEST("panic values");
	parse("panic=5");
	CHECK(p.has_panic);
	CHECK_INT(p.panic_s, 5);
	parse("panic=-1");
	CHECK_INT(p.panic_s, -1);
	parse("panic=0");
	CHECK(p.has_panic);
	CHECK_INT(p.panic_s, 0);
	parse("panic=soon");
	CHECK(!p.has_panic);
	CHECK_INT(p.problems, 1);
	parse("panic");
	CHECK(!p.has_panic);
}

static void test_rd_flags(void)
{
	TEST("rd.* switches");
	parse("rd.debug rd.shell rd.break");
	CHECK(p.debug);
	CHECK(p.shell);
	CHECK(p.brk);
	parse("rd.shell=0 rd.debug=1 rd.break=no");
	CHECK(!p.shell);
	CHECK(p.debug);
	CHECK(!p.brk);
	parse("rd.shell rd.shell=off");
	CHECK(!p.shell);

	TEST("rd.exitstatus= names the port for qemu/run's status");
	parse("rd.exitstatus=/dev/ttyS1 init=sh -- -c \"exit 3\"");
	CHECK_STR(p.exitstatus, "/dev/ttyS1");
	CHECK_STR(p.init, "sh");
	parse("rd.exitstatus=");
	CHECK(p.exitstatus == NULL);
	CHECK_INT(p.problems, 1);

	TEST("rd.* bad values are reported");
	parse("rd.shell=maybe");
	CHECK(!p.shell);
	CHECK_INT(p.problems, 1);
	CHECK_STR(p.problem[0], "rd.shell");
}

static void test_empty_values(void)
{
	TEST("empty values do not clear earlier ones");
	parse("root=/dev/vda root= init= rootfstype=");
	CHECK_STR(p.root, "/dev/vda");
	CHECK(p.init == NULL);
	CHECK(p.rootfstype == NULL);
	CHECK_INT(p.problems, 3);
}

static void test_next(void)
{
	char line[] = "a b=c \"d=e f\" g=\"h i\"";
	char *param, *val, *rest = line;

	TEST("cmdline_next words");
	rest = cmdline_next(rest, &param, &val);
	CHECK_STR(param, "a");
	CHECK(val == NULL);
	rest = cmdline_next(rest, &param, &val);
	CHECK_STR(param, "b");
	CHECK_STR(val, "c");
	rest = cmdline_next(rest, &param, &val);
	CHECK_STR(param, "d");
	CHECK_STR(val, "e f");
	rest = cmdline_next(rest, &param, &val);
	CHECK_STR(param, "g");
	CHECK_STR(val, "h i");
	CHECK(cmdline_next(rest, &param, &val) == NULL);
}

static char kbuf[CMDLINE_MAX], dbuf[CMDLINE_MAX];
static struct cmdline_words words;

/* The kernel's line over a built-in default (NULL: the image has none). */
static void parse_default(const char *kernel, const char *deflt)
{
	snprintf(kbuf, sizeof(kbuf), "%s", kernel);
	if (deflt)
		snprintf(dbuf, sizeof(dbuf), "%s", deflt);
	cmdline_parse_default(kbuf, &words, deflt ? dbuf : NULL, &p);
}

static void test_builtin_default(void)
{
	TEST("built-in line: unused when the kernel gives root=");
	parse_default("console=ttyAMA0 root=/dev/vda", "root=PARTUUID=5eedbeef-02 rootwait rd.debug init=/x");
	CHECK_STR(p.root, "/dev/vda");
	CHECK(!p.builtin);
	CHECK_INT(p.wait, WAIT_DEFAULT);
	CHECK(!p.debug);
	CHECK(p.init == NULL);

	TEST("built-in line: used when the kernel has no root=");
	parse_default("console=ttyAMA0 rd.shell", "root=PARTUUID=5eedbeef-02 rootwait rootfstype=ext4 rw");
	CHECK(p.builtin);
	CHECK_STR(p.root, "PARTUUID=5eedbeef-02");
	CHECK_INT(p.wait, WAIT_FOREVER);
	CHECK_STR(p.rootfstype, "ext4");
	CHECK(!p.read_only);
	CHECK(p.shell);

	TEST("built-in line: the kernel's parameters win one by one");
	parse_default("init=/sbin/other ro rootfstype=xfs rd.debug=0 panic=5",
		      "root=LABEL=board init=/sbin/init rw rootfstype=ext4 rd.debug panic=-1");
	CHECK(p.builtin);
	CHECK_STR(p.root, "LABEL=board");
	CHECK_STR(p.init, "/sbin/other");
	CHECK(p.read_only);
	CHECK_STR(p.rootfstype, "xfs");
	CHECK(!p.debug);
	CHECK_INT(p.panic_s, 5);

	TEST("built-in line: an empty root= from the kernel is no root=");
	parse_default("root=", "root=/dev/mmcblk0p2");
	CHECK(p.builtin);
	CHECK_STR(p.root, "/dev/mmcblk0p2");
	CHECK_INT(p.problems, 1);

	TEST("built-in line: the kernel's words after -- stay the init's");
	parse_default("-- root=/dev/vdb", "root=/dev/vda");
	CHECK_STR(p.root, "/dev/vda");
	parse_default("root=/dev/vda", "rootwait -- root=/dev/vdb");
	CHECK(!p.builtin);

	TEST("built-in line: quotes in it, as on the kernel's");
	parse_default("", "root=\"LABEL=my root\" init=\"/sbin/my init\"");
	CHECK_STR(p.root, "LABEL=my root");
	CHECK_STR(p.init, "/sbin/my init");

	TEST("no built-in line: the kernel's alone");
	parse_default("rootwait", NULL);
	CHECK(p.root == NULL);
	CHECK(!p.builtin);
	CHECK_INT(p.wait, WAIT_FOREVER);

	TEST("built-in line: bad values in it are reported like the kernel's");
	parse_default("", "root=/dev/vda rootwait=soon");
	CHECK_INT(p.problems, 1);
	CHECK_STR(p.problem[0], "rootwait");
}

/* The words modules.c uses, from the built-in line too (issue 14, item 10). */
static void test_module_words(void)
{
	char line[CMDLINE_MAX];
	size_t at = 0;
	int i;

	TEST("module words: NAME.PARAM=, rd.modules=, module_blacklist=; rd.coldplug=all is a flag");
	parse("root=/dev/vda virtio-blk.queue_depth=17 virtio_pci.force_legacy rd.debug "
	      "rd.modules=a,b rd.coldplug=all module_blacklist=c rd.image=/x quiet");
	CHECK_INT(p.modwords, 4);
	CHECK_STR(p.modword[0], "virtio-blk.queue_depth");
	CHECK_STR(p.modval[0], "17");
	CHECK_STR(p.modword[1], "virtio_pci.force_legacy");
	CHECK(p.modval[1] == NULL);
	CHECK_STR(p.modword[2], "rd.modules");
	CHECK_STR(p.modword[3], "module_blacklist");
	CHECK(p.coldplug_all);
	CHECK_INT(p.problems, 0);

	TEST("rd.coldplug=: any other value is a problem, and no flag");
	parse("root=/dev/vda rd.coldplug=some");
	CHECK(!p.coldplug_all);
	CHECK_INT(p.problems, 1);
	CHECK_STR(p.problem[0], "rd.coldplug");

	TEST("module words: the built-in line's first, then the kernel's");
	parse_default("virtio_blk.queue_depth=9 rd.modules=k",
		      "root=/dev/vda virtio_blk.queue_depth=17 rd.modules=isofs rd.coldplug=all");
	CHECK(p.builtin);
	CHECK_INT(p.modwords, 4);
	CHECK_STR(p.modval[0], "17");
	CHECK_STR(p.modval[1], "isofs");
	CHECK_STR(p.modval[2], "9");
	CHECK_STR(p.modval[3], "k");
	CHECK(p.coldplug_all);

	TEST("module words: not the built-in line's when the kernel gives root=");
	parse_default("root=/dev/vda", "root=/dev/vdb rd.modules=isofs");
	CHECK_INT(p.modwords, 0);

	TEST("module words: past 64, each one more is a problem, not dropped silently");
	for (i = 0; i < CMDLINE_MAX_MODWORDS + 2; i++)
		at += (size_t)snprintf(line + at, sizeof(line) - at, "m%d.p=1 ", i);
	parse(line);
	CHECK_INT(p.modwords, CMDLINE_MAX_MODWORDS);
	CHECK_INT(p.problems, 2);
	CHECK_STR(p.problem[0], "m64.p");
}

static void test_more(void)
{
	static char more[256];

	TEST("more words over a parsed line: each parameter is replaced, the rest kept");
	parse("root=/dev/vdz rootfstype=xfs rd.shell panic=-1 -- init-arg");
	snprintf(more, sizeof(more), "%s", "root=/dev/vda\nrw rootfstype=ext4\n");
	cmdline_parse_more(more, &p);
	CHECK_STR(p.root, "/dev/vda");
	CHECK_STR(p.rootfstype, "ext4");
	CHECK(!p.read_only);
	CHECK(p.shell);
	CHECK_INT(p.panic_s, -1);

	TEST("more words: bad values reported, the earlier value kept");
	parse("root=/dev/vda rootwait=5");
	snprintf(more, sizeof(more), "%s", "root= rootwait=soon");
	cmdline_parse_more(more, &p);
	CHECK_STR(p.root, "/dev/vda");
	CHECK_INT(p.wait_s, 5);
	CHECK_INT(p.problems, 2);
}

static void test_consoles(void)
{
	TEST("console= with a high baud rate leaves the rest alone");
	parse("console=ttyS2,1500000 root=/dev/mmcblk0p2 rootwait console=ttyAMA0,115200n8 earlycon=uart8250,mmio32,0xff1a0000");
	CHECK_STR(p.root, "/dev/mmcblk0p2");
	CHECK_INT(p.wait, WAIT_FOREVER);
	CHECK_INT(p.problems, 0);
	CHECK(p.read_only);

	TEST("console= words between the root parameters");
	parse("root=/dev/vda console=ttyS2,1500000n8 rootfstype=ext4 console=tty0 rw");
	CHECK_STR(p.root, "/dev/vda");
	CHECK_STR(p.rootfstype, "ext4");
	CHECK(!p.read_only);
	CHECK_INT(p.problems, 0);
}

static void test_long_line(void)
{
	size_t i;

	TEST("a long line of junk");
	for (i = 0; i < sizeof(buf) - 1; i++)
		buf[i] = "a= \"b"[i % 5];
	buf[sizeof(buf) - 1] = '\0';
	cmdline_parse(buf, &p);
	CHECK(1);
}

static void test_layers(void)
{
	TEST("layered and RAM roots");
	parse("root=tmpfs rd.image=UUID=1234-ABCD:/root.tar.gz rd.tmpfs.size=512M");
	CHECK_STR(p.root, "tmpfs");
	CHECK_STR(p.image, "UUID=1234-ABCD:/root.tar.gz");
	CHECK_STR(p.tmpfs_size, "512M");
	CHECK(p.overlay == NULL && p.loop == NULL && !p.copytoram);
	parse("root=/dev/vda rd.overlay rd.loop=/images/root.sqfs rd.copytoram");
	CHECK_STR(p.overlay, "");
	CHECK_STR(p.loop, "/images/root.sqfs");
	CHECK(p.copytoram);
	parse("rd.overlay=LABEL=persist");
	CHECK_STR(p.overlay, "LABEL=persist");
	parse("rd.overlay rd.overlay=0");
	CHECK(p.overlay == NULL);
	parse("rd.overlay=1 rd.tmpfs.size=50%");
	CHECK_STR(p.overlay, "");
	CHECK_STR(p.tmpfs_size, "50%");

	TEST("layered and RAM roots: bad values");
	parse("rd.tmpfs.size=lots rd.image= rd.tmpfs.size=5Q");
	CHECK(p.tmpfs_size == NULL && p.image == NULL);
	CHECK_INT(p.problems, 3);
}

/* systemd's initrd words: not module words, each checked. */
static void test_systemd_words(void)
{
	TEST("systemd contract defaults");
	parse("root=/dev/vda");
	CHECK(p.gpt_auto);
	CHECK(!p.noshutdown);
	CHECK(p.run_size == NULL);
	CHECK(p.usr == NULL);
	CHECK_INT(p.fsck_mode, FSCK_AUTO);
	CHECK_INT(p.fsck_repair, FSCK_PREEN);

	TEST("mount.usr= and friends are not module words");
	parse("mount.usr=PARTUUID=0a mount.usrfstype=ext4 mount.usrflags=ro,noatime");
	CHECK_STR(p.usr, "PARTUUID=0a");
	CHECK_STR(p.usrfstype, "ext4");
	CHECK_STR(p.usrflags, "ro,noatime");
	CHECK_INT(p.modwords, 0);
	CHECK_INT(p.problems, 0);

	TEST("fsck.mode= and fsck.repair=");
	parse("fsck.mode=force fsck.repair=yes");
	CHECK_INT(p.fsck_mode, FSCK_FORCE);
	CHECK_INT(p.fsck_repair, FSCK_YES);
	CHECK_INT(p.modwords, 0);
	parse("fsck.mode=skip fsck.repair=no");
	CHECK_INT(p.fsck_mode, FSCK_SKIP);
	CHECK_INT(p.fsck_repair, FSCK_NO);
	parse("fsck.mode=sometimes fsck.repair");
	CHECK_INT(p.fsck_mode, FSCK_AUTO);
	CHECK_INT(p.problems, 2);
	CHECK_STR(p.problem[0], "fsck.mode");
	CHECK_STR(p.problem[1], "fsck.repair");

	TEST("gpt_auto off, either spelling, last wins");
	parse("systemd.gpt_auto=0");
	CHECK(!p.gpt_auto);
	parse("rd.systemd.gpt_auto=no");
	CHECK(!p.gpt_auto);
	parse("systemd.gpt_auto=0 rd.systemd.gpt_auto=1");
	CHECK(p.gpt_auto);
	CHECK_INT(p.modwords, 0);

	TEST("rd.run.size= and rd.noshutdown");
	parse("rd.run.size=10% rd.noshutdown");
	CHECK_STR(p.run_size, "10%");
	CHECK(p.noshutdown);
	CHECK_INT(p.modwords, 0);
	parse("rd.run.size=lots rd.noshutdown=0");
	CHECK(p.run_size == NULL);
	CHECK(!p.noshutdown);
	CHECK_INT(p.problems, 1);
	CHECK_STR(p.problem[0], "rd.run.size");
}

static void test_volume_words(void)
{
	int i;

	TEST("LVM, md and resume: defaults on, nothing named");
	parse("root=/dev/vg0/root");
	CHECK(p.lvm && p.md && !p.noresume);
	CHECK_INT(p.volwords, 0);
	CHECK(p.resume == NULL && p.resume_offset == NULL && p.md_waitdegraded == NULL);

	TEST("rd.lvm.vg, rd.lvm.lv and rd.md.uuid repeat, kept in order without rd.");
	parse("rd.lvm.vg=vg0 rd.md.uuid=a:b:c:d rd.lvm.lv=vg0/root rd.lvm.vg=vg1");
	CHECK_INT(p.volwords, 4);
	CHECK_STR(p.volword[0], "lvm.vg");
	CHECK_STR(p.volval[0], "vg0");
	CHECK_STR(p.volword[1], "md.uuid");
	CHECK_STR(p.volval[1], "a:b:c:d");
	CHECK_STR(p.volword[2], "lvm.lv");
	CHECK_STR(p.volval[2], "vg0/root");
	CHECK_STR(p.volval[3], "vg1");
	CHECK_INT(p.problems, 0);

	TEST("rd.lvm=0 and rd.md=0 turn the kinds off; an empty rd.lvm.vg= is named");
	parse("rd.lvm=0 rd.md=0 rd.lvm.vg=");
	CHECK(!p.lvm && !p.md);
	CHECK_INT(p.volwords, 0);
	CHECK_INT(p.problems, 1);
	CHECK_STR(p.problem[0], "rd.lvm.vg");

	TEST("the 17th volume word is named, the 16 kept");
	parse("rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a "
	      "rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a "
	      "rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=a rd.lvm.vg=b");
	CHECK_INT(p.volwords, 16);
	for (i = 0; i < 16; i++)
		CHECK_STR(p.volval[i], "a");
	CHECK_INT(p.problems, 1);

	TEST("resume=, resume_offset=, noresume, rd.md.waitdegraded=");
	parse("resume=UUID=0d3b1e5f-5953-4dae-9a6f-737761700000 resume_offset=34816 "
	      "rd.md.waitdegraded=5");
	CHECK_STR(p.resume, "UUID=0d3b1e5f-5953-4dae-9a6f-737761700000");
	CHECK_STR(p.resume_offset, "34816");
	CHECK_STR(p.md_waitdegraded, "5");
	CHECK(!p.noresume);
	parse("resume=/dev/vdb noresume");
	CHECK(p.noresume);
	parse("resume=");
	CHECK(p.resume == NULL);
	CHECK_INT(p.problems, 1);
}

int main(void)
{
	test_volume_words();
	test_systemd_words();
	test_layers();
	test_basics();
	test_quotes();
	test_dashdash();
	test_wait();
	test_panic();
	test_rd_flags();
	test_empty_values();
	test_next();
	test_builtin_default();
	test_module_words();
	test_more();
	test_consoles();
	test_long_line();
	return check_failed;
}
