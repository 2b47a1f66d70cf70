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

#define KEYS 10
static const char *const keys[KEYS] = {
	"start_ms", "setup_ms", "wait_ms", "mount_ms", "check_ms", "switch_ms", "total_ms",
	"api_ms", "cmdline_ms", "modules_ms",
};

/* Marks as main() sets them (0: not reached), and every key's value from them. */
static const struct {
	const char *why;
	long at[STEP_COUNT];	/* in the order of enum boot_step */
	long want[KEYS];	/* in the order of keys[] */
} cases[] = {
	{ "a whole boot",
	  { 100, 110, 115, 300, 305, 900, 950, 960, 1000 },
	  { 100, 205, 595, 50, 10, 40, 900, 10, 5, 185 } },
	/* main() sets the device mark to "ready": a layered root waits inside the mount. */
	{ "a layered root: no wait, the layers count as mounting",
	  { 100, 110, 115, 300, 305, 305, 2000, 2010, 2050 },
	  { 100, 205, 0, 1695, 10, 40, 1950, 10, 5, 185 } },
	{ "stopped before the device: the spans after it count 0",
	  { 100, 110, 115, 300, 305, 0, 0, 0, 0 },
	  { 100, 205, 0, 0, 0, 0, 0, 10, 5, 185 } },
	/* The rescue shell mounted the root: no ready, device or mounted mark. */
	{ "a root mounted by hand: the steps skipped count 0",
	  { 100, 110, 115, 300, 0, 0, 0, 40000, 40100 },
	  { 100, 0, 0, 0, 0, 100, 40000, 10, 5, 185 } },
	/*
	 * The first try found the device (900) but could not mount it; the
	 * second marked "ready" again (30060) and found no device; the rescue
	 * shell then mounted the root by hand. "ready" is later than "device":
	 * that span counts 0, not a negative (or, unsigned, a huge) number.
	 */
	{ "a retry: marks out of order count 0",
	  { 100, 110, 60010, 60020, 30060, 900, 0, 60030, 60100 },
	  { 100, 29960, 0, 0, 0, 70, 60000, 10, 59900, 10 } },
	{ "no mark at all: every key 0", { 0 }, { 0 } },
	{ "large times: whole",
	  { 1999999999, 1999999999, 1999999999, 1999999999, 1999999999, 1999999999, 1999999999,
	    1999999999, 2000000000 },
	  { 1999999999, 0, 0, 0, 0, 1, 1, 0, 0, 0 } },
};

static void test_cases(void)
{
	struct timings t;
	size_t i, k, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(t.at, cases[i].at, sizeof(t.at));
		memset(out, 'X', sizeof(out));
		n = timings_format(&t, out, sizeof(out));
		TEST("%s: the length written", cases[i].why);
		CHECK_INT(n, strlen(out));
		for (k = 0; k < KEYS; k++) {
			TEST("%s: %s present once", cases[i].why, keys[k]);
			CHECK_INT(value(keys[k]), cases[i].want[k]);
		}
	}
}

static void test_text(void)
{
	struct timings t;

	memcpy(t.at, cases[0].at, sizeof(t.at));
	timings_format(&t, out, sizeof(out));
	/* Readers know the first seven keys in this order; new keys come after them. */
	TEST("a whole boot: the lines, in order");
	CHECK_STR(out, "start_ms=100\nsetup_ms=205\nwait_ms=595\nmount_ms=50\ncheck_ms=10\n"
		  "switch_ms=40\ntotal_ms=900\napi_ms=10\ncmdline_ms=5\nmodules_ms=185\n");
}

static void test_small_buffer(void)
{
	char small[40];
	struct timings t;
	size_t n;

	memcpy(t.at, cases[6].at, sizeof(t.at));
	memset(small, 'X', sizeof(small));
	n = timings_format(&t, small, sizeof(small));
	TEST("a small buffer: cut, terminated, the length written");
	CHECK_INT(n, sizeof(small) - 1);
	CHECK_INT(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, "start_ms=1999999999\nsetup_ms=0\n", 31));
}

int main(void)
{
	test_cases();
	test_text();
	test_small_buffer();
	return check_failed;
}
