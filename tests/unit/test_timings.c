/* timings_format(): the KEY=ms lines of /run/handoff/timings, from main()'s marks. */
#include "check.h"
#include "base/timings.h"

#include <stdlib.h>

static char out[512];

/* The value of KEY= in out; -1 when the key is missing or twice. */
static long value(const char *key)
{
	char want[32];
	const char *at, *line;
	long v = -1;
	int seen = 0;

	snprintf(want, sizeof(want), "%s=", key);
	for (line = out; *line; line = at ? at + 1 : line + strlen(line)) {
		at = strchr(line, '\n');
		if (strncmp(line, want, strlen(want)))
			continue;
		v = strtol(line + strlen(want), NULL, 10);
		seen++;
	}
	return seen == 1 ? v : -1;
}

static struct timings marks(long start, long api, long planned, long modules, long ready,
			    long device, long mounted, long checked, long switched)
{
	struct timings t = { .at = {
		[STEP_START] = start, [STEP_API] = api, [STEP_PLANNED] = planned,
		[STEP_MODULES] = modules, [STEP_READY] = ready, [STEP_DEVICE] = device,
		[STEP_MOUNTED] = mounted, [STEP_CHECKED] = checked, [STEP_SWITCHED] = switched,
	} };

	return t;
}

static const char *const keys[] = {
	"start_ms", "setup_ms", "wait_ms", "mount_ms", "check_ms", "switch_ms", "total_ms",
	"api_ms", "cmdline_ms", "modules_ms",
};

/* Every key once, and nothing below 0 (a span must never come out negative). */
static void check_keys(void)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		TEST("%s: present once, not negative", keys[i]);
		CHECK(value(keys[i]) >= 0);
	}
}

static size_t format(struct timings t)
{
	memset(out, 'X', sizeof(out));
	return timings_format(&t, out, sizeof(out));
}

static void test_boot(void)
{
	size_t n = format(marks(100, 110, 115, 300, 305, 900, 950, 960, 1000));

	TEST("a whole boot: the lines, in the order readers know");
	CHECK_STR(out, "start_ms=100\nsetup_ms=205\nwait_ms=595\nmount_ms=50\ncheck_ms=10\n"
		  "switch_ms=40\ntotal_ms=900\napi_ms=10\ncmdline_ms=5\nmodules_ms=185\n");
	CHECK_INT(n, strlen(out));
	check_keys();

	TEST("a whole boot: the stages add up to the total");
	CHECK_INT(value("setup_ms") + value("wait_ms") + value("mount_ms") + value("check_ms") +
		  value("switch_ms"), value("total_ms"));
	CHECK_INT(value("api_ms") + value("cmdline_ms") + value("modules_ms") + 5,
		  value("setup_ms"));	/* 5: from the modules to "ready" */
}

static void test_layered(void)
{
	/* main() sets the device mark to "ready": a layered root waits inside the mount. */
	format(marks(100, 110, 115, 300, 305, 305, 2000, 2010, 2050));
	check_keys();
	TEST("a layered root: no wait, the layers count as mounting");
	CHECK_INT(value("wait_ms"), 0);
	CHECK_INT(value("mount_ms"), 1695);
	CHECK_INT(value("total_ms"), 1950);
}

static void test_not_reached(void)
{
	format(marks(100, 110, 115, 300, 305, 0, 0, 0, 0));
	check_keys();
	TEST("stopped before the device: the spans after it count 0");
	CHECK_INT(value("setup_ms"), 205);
	CHECK_INT(value("wait_ms"), 0);
	CHECK_INT(value("mount_ms"), 0);
	CHECK_INT(value("check_ms"), 0);
	CHECK_INT(value("switch_ms"), 0);
	CHECK_INT(value("total_ms"), 0);

	/* A root the rescue shell mounted by hand: no ready, device or mounted mark. */
	format(marks(100, 110, 115, 300, 0, 0, 0, 40000, 40100));
	check_keys();
	TEST("a root mounted by hand: the steps skipped count 0");
	CHECK_INT(value("setup_ms"), 0);
	CHECK_INT(value("wait_ms"), 0);
	CHECK_INT(value("mount_ms"), 0);
	CHECK_INT(value("check_ms"), 0);
	CHECK_INT(value("switch_ms"), 100);
	CHECK_INT(value("total_ms"), 40000);

	format(marks(0, 0, 0, 0, 0, 0, 0, 0, 0));
	check_keys();
	TEST("no mark at all: every key 0");
	CHECK_STR(out, "start_ms=0\nsetup_ms=0\nwait_ms=0\nmount_ms=0\ncheck_ms=0\n"
		  "switch_ms=0\ntotal_ms=0\napi_ms=0\ncmdline_ms=0\nmodules_ms=0\n");
}

static void test_retry(void)
{
	/*
	 * The first try found the device (900) but could not mount it; the
	 * second marked "ready" again (30060) and found no device; the rescue
	 * shell then mounted the root by hand. "ready" is later than "device":
	 * that span counts 0, not a negative (or, unsigned, a huge) number.
	 */
	format(marks(100, 110, 60010, 60020, 30060, 900, 0, 60030, 60100));
	check_keys();
	TEST("a retry: marks out of order count 0");
	CHECK_INT(value("setup_ms"), 29960);
	CHECK_INT(value("wait_ms"), 0);
	CHECK_INT(value("mount_ms"), 0);
	CHECK_INT(value("check_ms"), 0);
	CHECK_INT(value("switch_ms"), 70);
	CHECK_INT(value("total_ms"), 60000);
	CHECK_INT(value("cmdline_ms"), 59900);
	CHECK_INT(value("modules_ms"), 10);
}

static void test_bounds(void)
{
	struct timings t = marks(1999999999, 1999999999, 1999999999, 1999999999, 1999999999,
				 1999999999, 1999999999, 1999999999, 1999999999);
	char small[40];
	size_t n;

	TEST("large times: whole, every key");
	n = format(t);
	CHECK_INT(n, strlen(out));
	CHECK_INT(value("start_ms"), 1999999999);
	check_keys();

	TEST("a small buffer: cut, terminated, the length written");
	memset(small, 'X', sizeof(small));
	n = timings_format(&t, small, sizeof(small));
	CHECK_INT(n, sizeof(small) - 1);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, "start_ms=1999999999\nsetup_ms=0\n", 31));
}

int main(void)
{
	test_boot();
	test_layered();
	test_not_reached();
	test_retry();
	test_bounds();
	return check_failed;
}
