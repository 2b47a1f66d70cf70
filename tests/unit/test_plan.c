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

	TEST("no root=: -EINVAL and no reason (plan_has_root says it)");
	p = resolve("console=ttyS0 rd.debug");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why == NULL);
	p = resolve("root=");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why == NULL);
	p = resolve("root=/dev/vda -- root=/dev/vdb");
	CHECK_INT(p->root_error, 0);
	CHECK_STR(p->root.value, "vda");
	p = resolve("-- root=/dev/vdb");
	CHECK_INT(p->root_error, -EINVAL);

	TEST("an unusable root=: -EINVAL with rootspec_parse()'s reason");
	p = resolve("root=/dev/../etc/passwd");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why != NULL && p->root_why[0]);
	p = resolve("root=UUID=");
	CHECK_INT(p->root_error, -EINVAL);
	CHECK(p->root_why != NULL && p->root_why[0]);

	TEST("NFS, RAM-disk and flash roots: -EOPNOTSUPP");
	p = resolve("root=/dev/nfs nfsroot=10.0.0.1:/srv/root");
	CHECK_INT(p->root_error, -EOPNOTSUPP);
	p = resolve("root=/dev/ram");
	CHECK_INT(p->root_error, -EOPNOTSUPP);
	p = resolve("root=/dev/mtdblock3");
	CHECK_INT(p->root_error, -EOPNOTSUPP);
	p = resolve("root=ubi0:rootfs");
	CHECK_INT(p->root_error, -EOPNOTSUPP);

	TEST("a second resolve forgets the first's error");
	p = resolve("root=UUID=");
	CHECK_INT(p->root_error, -EINVAL);
	p = resolve("root=/dev/sda1");
	CHECK_INT(p->root_error, 0);
	CHECK_INT(p->root.kind, ROOT_DEVNAME);
}

static void test_layered(void)
{
	const struct boot_plan *p;

	TEST("a plain device root is not layered");
	CHECK(!resolve("root=/dev/vda")->layered);
	CHECK(!resolve("root=/dev/vda rd.overlay=0")->layered);
	CHECK(!resolve("root=/dev/vda rd.copytoram=0")->layered);
	CHECK(!resolve("root=/dev/vda rd.tmpfs.size=50%")->layered);

	TEST("each layering parameter makes the root layered");
	p = resolve("root=tmpfs rd.image=/rootfs.tar");
	CHECK_INT(p->root.kind, ROOT_TMPFS);
	CHECK(p->layered);
	CHECK(resolve("root=tmpfs")->layered);	/* layers.c says rd.image= is missing */
	CHECK(resolve("root=/dev/vda rd.overlay")->layered);
	CHECK(resolve("root=/dev/vda rd.overlay=1")->layered);
	CHECK(resolve("root=/dev/vda rd.overlay=/dev/vdb")->layered);
	CHECK(resolve("root=/dev/vda rd.loop=/images/root.img")->layered);
	CHECK(resolve("root=/dev/vda rd.copytoram")->layered);
	CHECK(resolve("root=LABEL=live rd.loop=/live.img rd.copytoram")->layered);

	TEST("the last occurrence decides");
	CHECK(!resolve("root=/dev/vda rd.overlay rd.overlay=0")->layered);
	CHECK(resolve("root=/dev/vda rd.copytoram=0 rd.copytoram")->layered);

	TEST("rd.image= alone does not layer a device root");
	CHECK(!resolve("root=/dev/vda rd.image=/rootfs.tar")->layered);

	TEST("no root to layer: not layered");
	CHECK(!resolve("rd.overlay rd.copytoram")->layered);
	CHECK(!resolve("root=/dev/nfs rd.overlay")->layered);
	CHECK(!resolve("root=/dev/../x rd.copytoram")->layered);
}

static void test_coldplug(void)
{
	TEST("coldplug stops at the root device for a plain device root");
	CHECK(!resolve("root=/dev/vda")->coldplug_all);
	CHECK(!resolve("root=UUID=1234-ABCD rootwait")->coldplug_all);

	TEST("rd.coldplug=all loads every driver");
	CHECK(resolve("root=/dev/vda rd.coldplug=all")->coldplug_all);
	CHECK(!resolve("root=/dev/vda rd.coldplug=some")->coldplug_all);

	TEST("a layered root needs more devices than root= names");
	CHECK(resolve("root=/dev/vda rd.overlay=/dev/vdb")->coldplug_all);
	CHECK(resolve("root=/dev/vda rd.overlay")->coldplug_all);
	CHECK(resolve("root=/dev/vda rd.loop=/root.img")->coldplug_all);
	CHECK(resolve("root=/dev/vda rd.copytoram")->coldplug_all);
	CHECK(resolve("root=tmpfs rd.image=/rootfs.tar")->coldplug_all);

	TEST("rd.image= on a device root (ignored there) still loads every driver");
	CHECK(resolve("root=/dev/vda rd.image=/dev/vdb")->coldplug_all);

	TEST("no usable root: no device to stop at, so every driver");
	CHECK(resolve("console=ttyS0")->coldplug_all);
	CHECK(resolve("root=UUID=")->coldplug_all);
	CHECK(resolve("root=/dev/nfs")->coldplug_all);
}

static void test_assemblies(void)
{
	TEST("no assembly stage asked for yet");
	plan.assemblies = 3;
	CHECK_INT(resolve("root=/dev/vda")->assemblies, 0);
}

int main(void)
{
	test_root();
	test_layered();
	test_coldplug();
	test_assemblies();
	return check_failed;
}
