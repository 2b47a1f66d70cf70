/* plan_resolve(): what the parameters decide, before any device is looked at. */
#include "check.h"
#include "plan/plan.h"

#include <errno.h>

/* Large (the lines, the split words): one, not on the stack. */
static struct boot_plan plan;

/* The plan for one command line, as plan_read() makes it from /proc/cmdline. */
static const struct boot_plan *resolve(const char *line)
{
	snprintf(plan.kernel, sizeof(plan.kernel), "%s", line);
	cmdline_parse(plan.kernel, &plan.params);
	plan_resolve(&plan);
	return &plan;
}

static void test_root(void)
{
	const struct boot_plan *p;

	TEST("a device root: its spec, no error");
	p = resolve("console=ttyS0 root=/dev/vda2 ro");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_DEVNAME);
	CHECK_STR(p->root.value, "vda2");
	p = resolve("root=PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_PARTUUID);
	p = resolve("root=UUID=1234-ABCD root=LABEL=rootfs");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_LABEL);
	CHECK_STR(p->root.value, "rootfs");

	TEST("no root= and no GPT auto-discovery: -EINVAL and no reason (plan_has_root says it)");
	p = resolve("console=ttyS0 rd.debug systemd.gpt_auto=0");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why == NULL);
	p = resolve("root= rd.systemd.gpt_auto=0");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why == NULL);
	p = resolve("root=/dev/vda -- root=/dev/vdb");
	CHECK_INT(p->root_error, 0);
	CHECK_STR(p->root.value, "vda");
	p = resolve("systemd.gpt_auto=0 -- root=/dev/vdb");
	CHECK_INT(p->root_error, -EINVAL);

	TEST("no root=: GPT auto-discovery, every driver loaded first");
	p = resolve("console=ttyS0 rd.debug");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_GPT_AUTO);
	CHECK(p->root_implied);
	CHECK_STR(p->params.root, "gpt-auto");
	CHECK(p->coldplug_all && !p->layered && !p->want_usr);
	p = resolve("-- root=/dev/vdb");
	CHECK_INT(p->root.kind, ROOT_GPT_AUTO);
	p = resolve("root=gpt-auto");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_GPT_AUTO);
	CHECK(!p->root_implied);
	p = resolve("mount.usrfstype=ext4");
	CHECK_INT(p->root.kind, ROOT_GPT_AUTO);
	CHECK(!p->want_usr && !p->usr_error);

	TEST("root=gpt-auto: refused with systemd.gpt_auto=0 and with layers, saying why");
	p = resolve("root=gpt-auto systemd.gpt_auto=0");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why && strstr(p->root_why, "systemd.gpt_auto=0"));
	p = resolve("rd.overlay");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why && strstr(p->root_why, "plain device root"));

	TEST("an unusable root=: -EINVAL with rootspec_parse()'s reason");
	p = resolve("root=/dev/../etc/passwd");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why != NULL && p->root_why[0]);
	p = resolve("root=UUID=");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why != NULL && p->root_why[0]);

	TEST("RAM-disk roots: -EOPNOTSUPP; NFS, host-directory and flash roots are kinds of their own");
	p = resolve("root=/dev/ram");
	CHECK_INT(p->root_error, -EOPNOTSUPP);
	p = resolve("root=/dev/nfs nfsroot=10.0.0.1:/srv/root");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_NFS);
	p = resolve("nfsroot=10.0.0.1:/srv/root ip=dhcp");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_NFS);
	CHECK(!p->root_implied);
	p = resolve("root=/dev/mtdblock3");
	CHECK_INT(p->root.kind, ROOT_DEVNAME);
	p = resolve("root=ubi0:rootfs rootfstype=ubifs");
	CHECK_INT(p->root.kind, ROOT_UBI);
	p = resolve("rootfstype=virtiofs root=host0");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_VIRTIOFS);
	CHECK_STR(p->root.value, "host0");
	p = resolve("root=beef rootfstype=9p rootflags=trans=virtio");
	CHECK_INT(p->root.kind, ROOT_9P);
	CHECK(p->coldplug_all);

	TEST("flash roots (FLASH=1's flash_plan()): the forms it can mount");
	p = resolve("root=ubi0:rootfs rootfstype=ubifs");
	CHECK_INT(p->root_error, 0);
	p = resolve("root=/dev/ubi0_0");
	CHECK_INT(p->root_error, 0);
	p = resolve("root=mtd:rootfs");
	CHECK_INT(p->root.kind, ROOT_MTD);
	CHECK_INT(p->root_error, 0);
	p = resolve("root=/dev/mtd2 rootfstype=jffs2");
	CHECK_INT(p->root_error, 0);

	TEST("flash roots (FLASH=1's flash_plan()): what no UBI volume or MTD device is, refused with a reason");
	p = resolve("root=ubifoo");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why && p->root_why[0]);
	p = resolve("root=mtdfoo");
	CHECK_INT(p->root_error, -EINVAL);
	p = resolve("root=ubi0:rootfs rootfstype=squashfs");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why && p->root_why[0]);

	TEST("ubi.mtd= is a module word, every occurrence kept in order");
	p = resolve("ubi.mtd=0 root=ubi0_0 ubi.mtd=data,2048");
	CHECK_INT(p->params.modwords, 2);
	CHECK_STR(p->params.modword[0], "ubi.mtd");
	CHECK_STR(p->params.modval[1], "data,2048");

	TEST("a second resolve forgets the first's error");
	p = resolve("root=UUID=");
	CHECK_INT(p->root_error, -EINVAL);
	p = resolve("root=/dev/sda1");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_DEVNAME);
}

/* One line's decisions: the root's error, whether layered, whether coldplug loads all. */
struct decision {
	const char *why, *line;
	int error;
	bool layered, coldplug_all;
};

static const struct decision decisions[] = {
	{ "a plain device root: coldplug stops at it", "root=/dev/vda", 0, false, false },
	{ "a plain device root", "root=UUID=1234-ABCD rootwait", 0, false, false },
	{ "layering turned off is not layering", "root=/dev/vda rd.overlay=0", 0, false, false },
	{ "layering turned off is not layering", "root=/dev/vda rd.copytoram=0", 0, false, false },
	{ "a tmpfs size alone layers nothing", "root=/dev/vda rd.tmpfs.size=50%", 0, false, false },
	{ "rd.coldplug=all: every driver", "root=/dev/vda rd.coldplug=all", 0, false, true },
	{ "rd.coldplug= has one value", "root=/dev/vda rd.coldplug=some", 0, false, false },
	/* Layers need more devices than root= names: every driver. */
	{ "root=tmpfs is layered", "root=tmpfs rd.image=/rootfs.tar", 0, true, true },
	{ "root=tmpfs (layers.c says rd.image= is missing)", "root=tmpfs", 0, true, true },
	{ "rd.overlay in RAM", "root=/dev/vda rd.overlay", 0, true, true },
	{ "rd.overlay in RAM", "root=/dev/vda rd.overlay=1", 0, true, true },
	{ "rd.overlay on a device", "root=/dev/vda rd.overlay=/dev/vdb", 0, true, true },
	{ "rd.loop", "root=/dev/vda rd.loop=/images/root.img", 0, true, true },
	{ "rd.copytoram", "root=/dev/vda rd.copytoram", 0, true, true },
	{ "rd.loop and rd.copytoram", "root=LABEL=l rd.loop=/l.img rd.copytoram", 0, true, true },
	{ "the last occurrence decides", "root=/dev/vda rd.overlay rd.overlay=0", 0, false, false },
	{ "the last occurrence decides", "root=/dev/vda rd.copytoram=0 rd.copytoram", 0, true,
	  true },
	/* rd.image= on a device root is ignored with a warning (layers/); its coldplug loads all. */
	{ "rd.image= does not layer a device root", "root=/dev/vda rd.image=/dev/vdb", 0, false,
	  true },
	/* No device to stop at: every driver. */
	{ "no root=: not layered", "rd.overlay rd.copytoram", -EINVAL, false, true },
	{ "no root=: not layered", "console=ttyS0 systemd.gpt_auto=0", -EINVAL, false, true },
	{ "no root=: GPT auto-discovery", "console=ttyS0", 0, false, true },
	{ "an unusable root=: not layered", "root=/dev/../x rd.copytoram", -EINVAL, false, true },
	{ "an unusable root=: not layered", "root=UUID=", -EINVAL, false, true },
	{ "a RAM-disk root: not layered", "root=/dev/ram0 rd.overlay", -EOPNOTSUPP, false, true },
	{ "an NFS root under an overlay", "root=/dev/nfs rd.overlay", 0, true, true },
};

static void test_decisions(void)
{
	const struct boot_plan *p;
	size_t i;

	for (i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
		const struct decision *d = &decisions[i];

		TEST("%s: %s", d->why, d->line);
		p = resolve(d->line);
		CHECK_INT(p->root_error, d->error);
		CHECK_INT(p->layered, d->layered);
		CHECK_INT(p->coldplug_all, d->coldplug_all);
	}
	TEST("root=tmpfs: its kind");
	CHECK_INT(resolve("root=tmpfs rd.image=/rootfs.tar")->root.kind, ROOT_TMPFS);
}

#define U1 "0b2f6c1e-57b1-4f5e-a3c4-9d6b8a1e2f30"
#define U2 "f00dcafe-0000-4000-8000-0123456789ab"

static void test_assemblies(void)
{
	const struct boot_plan *p;

	TEST("nothing to unlock without rd.luks words");
	plan.assemblies = 3;
	CHECK_INT(resolve("root=/dev/vda")->assemblies, 0);

	TEST("rd.luks.uuid=: luks-UUID, with the global key and options");
	p = resolve("root=/dev/mapper/luks-" U1 " rd.luks.key=/etc/k:LABEL=KEYS rd.luks.uuid=" U1
		    " rd.luks.options=discard,tries=2");
	CHECK_INT(p->assemblies, 1);
	CHECK_INT(p->assemble[0].kind, ASSEMBLE_LUKS);
	CHECK_STR(p->assemble[0].source, "UUID=" U1);
	CHECK_STR(p->assemble[0].name, "luks-" U1);
	CHECK_STR(p->assemble[0].key, "/etc/k");
	CHECK_STR(p->assemble[0].keydev, "LABEL=KEYS");
	CHECK_STR(p->assemble[0].options, "discard,tries=2");
	CHECK_INT(p->coldplug_all, true);

	TEST("rd.luks.name= names the mapping; UUID= settings go to one container");
	p = resolve("rd.luks.uuid=luks-" U2 " rd.luks.name=" U1 "=cryptroot rd.luks.key=" U2
		    "=/k2 rd.luks.options=" U1 "=no-read-workqueue root=/dev/mapper/cryptroot");
	CHECK_INT(p->assemblies, 2);
	CHECK_STR(p->assemble[0].name, "luks-" U2);
	CHECK_STR(p->assemble[0].key, "/k2");
	CHECK_STR(p->assemble[0].options, "");
	CHECK_STR(p->assemble[1].name, "cryptroot");
	CHECK_STR(p->assemble[1].param, "rd.luks.name");
	CHECK_STR(p->assemble[1].key, "");
	CHECK_STR(p->assemble[1].options, "no-read-workqueue");

	TEST("the same UUID twice is one container; rd.luks=0 unlocks nothing");
	CHECK_INT(resolve("rd.luks.uuid=" U1 " rd.luks.uuid=" U1 " root=/dev/vda")->assemblies, 1);
	CHECK_INT(resolve("rd.luks.uuid=" U1 " rd.luks=0 root=/dev/vda")->assemblies, 0);
	CHECK_INT(resolve("luks.uuid=" U1 " root=/dev/vda")->assemblies, 1);

	TEST("the image's crypttab: every line without rd.luks.uuid=");
	strcpy(plan.crypttab, "# the image's\nroot UUID=" U1 " none discard\n"
	       "data /dev/vdb /k.key:LABEL=KEYS luks\nlater UUID=" U2 " none noauto\n");
	p = resolve("root=/dev/mapper/root");
	CHECK_INT(p->assemblies, 2);
	CHECK_STR(p->assemble[0].name, "root");
	CHECK_STR(p->assemble[0].param, "crypttab");
	CHECK_STR(p->assemble[0].options, "discard");
	CHECK_STR(p->assemble[1].source, "/dev/vdb");
	CHECK_STR(p->assemble[1].key, "/k.key");
	CHECK_STR(p->assemble[1].keydev, "LABEL=KEYS");

	TEST("with rd.luks.uuid=, only that one, named and keyed by its crypttab line");
	p = resolve("rd.luks.uuid=" U1 " root=/dev/mapper/root");
	CHECK_INT(p->assemblies, 1);
	CHECK_STR(p->assemble[0].name, "root");
	CHECK_STR(p->assemble[0].options, "discard");
	p = resolve("rd.luks.name=" U1 "=mine rd.luks.options=no-read-workqueue root=/dev/mapper/mine");
	CHECK_STR(p->assemble[0].name, "mine");
	CHECK_STR(p->assemble[0].options, "no-read-workqueue");
	CHECK_INT(resolve("rd.luks=0 root=/dev/vda")->assemblies, 0);
	plan.crypttab[0] = '\0';

	TEST("a value that is no UUID is a problem, named");
	p = resolve("rd.luks.uuid=nope rd.luks.name=" U1 " root=/dev/vda");
	CHECK_INT(p->assemblies, 0);
	CHECK_INT(p->params.problems, 2);
	CHECK_STR(p->params.problem[0], "rd.luks.uuid");
	CHECK_STR(p->params.problem[1], "rd.luks.name");

	TEST("rd.luks.data=UUID=DEVICE: a detached header's data device, the settings still by UUID");
	p = resolve("rd.luks.data=" U1 "=PARTLABEL=secret rd.luks.uuid=" U1 " rd.luks.options=" U1
		    "=header=/etc/h.img rd.luks.uuid=" U2 " root=/dev/mapper/luks-" U1);
	CHECK_INT(p->assemblies, 2);
	CHECK_STR(p->assemble[0].source, "PARTLABEL=secret");
	CHECK_STR(p->assemble[0].options, "header=/etc/h.img");
	CHECK_STR(p->assemble[0].name, "luks-" U1);
	CHECK_STR(p->assemble[0].param, "rd.luks.data");
	CHECK_STR(p->assemble[1].source, "UUID=" U2);
	CHECK_INT(p->params.problems, 0);

	TEST("rd.luks.options= is checked as crypttab's options: a refused one is a problem, not applied");
	p = resolve("rd.luks.uuid=" U1 " rd.luks.options=" U1 "=discard,tmp=ext4 root=/dev/vda");
	CHECK_INT(p->params.problems, 1);
	CHECK_STR(p->params.problem[0], "rd.luks.options");
	CHECK_STR(p->assemble[0].options, "");

	TEST("rd.luks.data= of no named container, or without a UUID, is a problem");
	p = resolve("rd.luks.data=" U2 "=/dev/vdb rd.luks.uuid=" U1 " rd.luks.data=/dev/vdb root=/dev/vda");
	CHECK_INT(p->params.problems, 2);
	CHECK_STR(p->params.problem[0], "rd.luks.data");
	CHECK_STR(p->assemble[0].source, "UUID=" U1);
	CHECK_STR(p->assemble[0].param, "rd.luks.uuid");
}

#define HASH64 "0123456789ABCDEF0123456789abcdef00112233445566778899aabbccddeeff"

static void test_verity(void)
{
	const struct boot_plan *p;
	const struct assembly *a = &plan.assemble[0];

	TEST("roothash= with both devices: one verity assembly; the root is /dev/mapper/root, read-only");
	p = resolve("root=/dev/vda rw roothash=" HASH64 " systemd.verity_root_data=/dev/vdb "
		    "systemd.verity_root_hash=LABEL=hashes systemd.verity_root_options=hash-offset=4096");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->assemblies, 1);
	CHECK_INT(a->kind, ASSEMBLE_VERITY);
	CHECK_STR(a->param, "roothash");
	CHECK_STR(a->name, "root");
	CHECK_STR(a->source, "/dev/vdb");
	CHECK_STR(a->keydev, "LABEL=hashes");
	CHECK_STR(a->options, "hash-offset=4096");
	CHECK_INT(p->root.kind, ROOT_DEVNAME);
	CHECK_STR(p->root.value, "mapper/root");
	CHECK_STR(p->params.root, "/dev/mapper/root");
	CHECK(p->params.read_only && p->coldplug_all && !p->layered);

	TEST("roothash=: root= names the data device when systemd.verity_root_data= does not");
	p = resolve("root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 roothash=" HASH64
		    " systemd.verity_root_hash=/dev/vdb");
	CHECK_INT(p->root_error, 0);
	CHECK_STR(a->source, "UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66");
	CHECK_STR(a->keydev, "/dev/vdb");
	CHECK_STR(a->options, "");

	TEST("roothash= alone: systemd's GPT partition UUIDs from its halves");
	p = resolve("roothash=" HASH64);
	CHECK_INT(p->root_error, 0);
	CHECK(!p->root_implied);
	CHECK_STR(a->source, "PARTUUID=01234567-89ab-cdef-0123-456789abcdef");
	CHECK_STR(a->keydev, "PARTUUID=00112233-4455-6677-8899-aabbccddeeff");
	p = resolve("root=/dev/mapper/root roothash=" HASH64);
	CHECK_STR(a->source, "PARTUUID=01234567-89ab-cdef-0123-456789abcdef");

	TEST("roothash=: refused when not hex, or too short to name the partitions");
	p = resolve("root=/dev/vda roothash=xyz");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK_INT(p->assemblies, 0);
	CHECK(p->root_why != NULL);
	p = resolve("roothash=abcd");
	CHECK_INT(p->root_error, -EINVAL);
	p = resolve("root=/dev/vda roothash=abcd systemd.verity_root_hash=/dev/vdb");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->assemblies, 1);

	TEST("systemd.verity=0: roothash= is not acted on");
	p = resolve("root=/dev/vda roothash=" HASH64 " systemd.verity=0");
	CHECK_INT(p->assemblies, 0);
	CHECK_STR(p->root.value, "vda");
}

/* net_plan() (init/net/stage.c): ip= checked when the network is needed, and only then. */
static void test_network(void)
{
	const struct boot_plan *p;

	TEST("rd.neednet or an NFS root: ip= parsed into the plan");
	p = resolve("root=/dev/vda rd.neednet=1 ip=10.0.2.20::10.0.2.2:255.255.255.0::eth0:off");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->net.want.method, IP_STATIC);
	CHECK_STR(p->net.want.dev, "eth0");
	p = resolve("root=/dev/nfs nfsaddrs=dhcp");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->net.want.method, IP_DHCP);
	p = resolve("root=/dev/vda rd.neednet=1");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->net.want.method, IP_DHCP);
	CHECK(p->coldplug_all);	/* the NIC's driver is no root device's */
	TEST("a bad field refuses the root, naming it");
	p = resolve("root=/dev/vda rd.neednet=1 ip=10.0.2.300");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK_STR(p->root_why, "ip=: CLIENT (field 1) is not an IPv4 address: 10.0.2.300");
	TEST("ip=off with rd.neednet or an NFS root: a contradiction, refused");
	p = resolve("root=/dev/vda rd.neednet=1 ip=off");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(strstr(p->root_why, "rd.neednet asks for it"));
	p = resolve("root=/dev/nfs ip=none");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(strstr(p->root_why, "the root is on NFS"));
	TEST("without them, ip= is not looked at");
	p = resolve("root=/dev/vda ip=bad");
	CHECK_INT(p->root_error, 0);
	CHECK(!p->coldplug_all);
}

int main(void)
{
	plan_init(&plan);	/* empty, as main() and modprobe start it */
	test_root();
	test_decisions();
	test_assemblies();
	test_verity();
	test_network();
	return check_failed;
}
