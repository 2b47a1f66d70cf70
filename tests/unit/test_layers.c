/* layers_check(): which layering parameters go together, before any device is touched. */
#include "check.h"
#include "layers/layers.h"

static char line[CMDLINE_MAX];
static struct boot_params params;
static struct root_spec spec;
static const char *clash;

/* The verdict on one command line; clash is what cannot be combined, or NULL. */
static enum layers_verdict check(const char *cmdline)
{
	const char *why;

	snprintf(line, sizeof(line), "%s", cmdline);
	cmdline_parse(line, &params);
	if (rootspec_parse(params.root, &spec, &why))
		printf("# %s: %s\n", cmdline, why);
	clash = "(not set)";
	return layers_check(&params, &spec, &clash);
}

static void test_tmpfs(void)
{
	TEST("root=tmpfs needs rd.image=");
	CHECK_INT(check("root=tmpfs"), LAYERS_NO_IMAGE);
	CHECK_INT(check("root=tmpfs rd.tmpfs.size=1G"), LAYERS_NO_IMAGE);
	CHECK_INT(check("root=tmpfs rd.image="), LAYERS_NO_IMAGE);	/* ignored: no value */
	/* Said first: the missing archive is the bigger mistake. */
	CHECK_INT(check("root=tmpfs rd.overlay"), LAYERS_NO_IMAGE);

	TEST("root=tmpfs with its archive");
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar"), LAYERS_OK);
	CHECK(clash == NULL);
	CHECK_INT(check("root=tmpfs rd.image=UUID=1234-ABCD:/rootfs.tar.gz rd.tmpfs.size=50%"),
		  LAYERS_OK);
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar rd.overlay=0 rd.copytoram=0"), LAYERS_OK);

	TEST("root=tmpfs is in RAM and writable already");
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar rd.overlay"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay");
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar rd.overlay=/dev/vdb"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay");
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar rd.loop=/root.img"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.loop");
	CHECK_INT(check("root=tmpfs rd.image=/rootfs.tar rd.copytoram"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.copytoram");

	TEST("root=tmpfs with several: the first of overlay, loop, copytoram is named");
	CHECK_INT(check("root=tmpfs rd.image=/r.tar rd.copytoram rd.loop=/r.img rd.overlay"),
		  LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay");
	CHECK_INT(check("root=tmpfs rd.image=/r.tar rd.copytoram rd.loop=/r.img"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.loop");
}

static void test_device(void)
{
	TEST("a device root's layers that go together");
	CHECK_INT(check("root=/dev/vda rd.overlay"), LAYERS_OK);
	CHECK(clash == NULL);
	CHECK_INT(check("root=/dev/vda rd.overlay=LABEL=upper"), LAYERS_OK);
	CHECK_INT(check("root=/dev/vda rd.copytoram"), LAYERS_OK);
	CHECK_INT(check("root=LABEL=live rd.loop=/live/root.img"), LAYERS_OK);
	CHECK_INT(check("root=LABEL=live rd.loop=/live/root.img rd.overlay"), LAYERS_OK);
	CHECK_INT(check("root=LABEL=live rd.loop=/live/root.img rd.copytoram"), LAYERS_OK);
	CHECK_INT(check("root=/dev/vda rd.overlay rd.copytoram=0"), LAYERS_OK);

	TEST("an overlay over a root copied to RAM: refused");
	CHECK_INT(check("root=/dev/vda rd.overlay rd.copytoram"), LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay with rd.copytoram");
	CHECK_INT(check("root=/dev/vda rd.overlay=/dev/vdb rd.loop=/r.img rd.copytoram"),
		  LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay with rd.copytoram");

	TEST("rd.image= is for root=tmpfs: a warning on a device root");
	CHECK_INT(check("root=/dev/vda rd.overlay rd.image=/rootfs.tar"), LAYERS_IMAGE_IGNORED);
	CHECK(clash == NULL);
	CHECK_INT(check("root=/dev/vda rd.copytoram rd.image=/dev/vdb"), LAYERS_IMAGE_IGNORED);

	TEST("a clash outweighs the warning");
	CHECK_INT(check("root=/dev/vda rd.overlay rd.copytoram rd.image=/rootfs.tar"),
		  LAYERS_CLASH);
	CHECK_STR(clash, "rd.overlay with rd.copytoram");
}

int main(void)
{
	test_tmpfs();
	test_device();
	return check_failed;
}
