/*
 * fuzz-mountopts: mountopts_parse() on arbitrary rootflags= values, from
 * two starting flag sets; then a 9p root's completion (hostdir_options()).
 */
#include "plan/cmdline.h"
#include "fuzz.h"
#include "mount/mount.h"
#include "plan/mountopts.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

/* Every flag the parser may set or clear. */
#define KNOWN_FLAGS                                                           \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |      \
	 MS_DIRSYNC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME |              \
	 MS_STRICTATIME | MS_LAZYTIME | MS_SILENT)

/* Each item of the data was an item of the input, in the same order. */
static void check_items(const char *data, const char *in)
{
	const char *d = data, *end;
	size_t len;

	while (*d) {
		end = strchr(d, ',');
		len = end ? (size_t)(end - d) : strlen(d);
		for (;;) {
			const char *c = strchr(in, ',');
			size_t n = c ? (size_t)(c - in) : strlen(in);

			if (n == len && !memcmp(in, d, len)) {
				in = c ? c + 1 : in + n;
				break;
			}
			FUZZ_CHECK(c, "data item '%.*s' is not in the input",
				   (int)len, d);
			in = c + 1;
		}
		d = end ? end + 1 : d + len;
	}
}

static void run(const char *s, unsigned long start)
{
	struct mount_opts o;
	size_t n;
	int e;

	memset(&o, 0xa5, sizeof(o));
	o.flags = start;
	e = mountopts_parse(s, &o);
	FUZZ_CHECK(e == 0 || e == -E2BIG, "returned %d", e);
	FUZZ_CHECK(fuzz_terminated(o.data, sizeof(o.data)),
		   "data does not fit in %zu bytes", sizeof(o.data));
	FUZZ_CHECK(!(o.flags & ~(start | KNOWN_FLAGS)),
		   "unknown flags %#lx appeared", o.flags & ~(start | KNOWN_FLAGS));
	if (e)
		return;
	n = strlen(o.data);
	FUZZ_CHECK(!strstr(o.data, ",,"), "empty item in data '%s'", o.data);
	FUZZ_CHECK(!n || (o.data[0] != ',' && o.data[n - 1] != ','),
		   "leading or trailing comma in data '%s'", o.data);
	check_items(o.data, s);
	/* 9p: what was there stays first and whole; the rest is the defaults. */
	{
		char before[MOUNTOPTS_DATA_MAX];

		memcpy(before, o.data, n + 1);
		e = hostdir_options(true, o.data, sizeof(o.data));
		FUZZ_CHECK(e == 0 || e == -E2BIG, "9p: returned %d", e);
		FUZZ_CHECK(fuzz_terminated(o.data, sizeof(o.data)), "9p: data not terminated");
		FUZZ_CHECK(!strncmp(o.data, before, n), "9p: '%s' lost its start '%s'", o.data, before);
		FUZZ_CHECK(e || strstr(o.data, "trans="), "9p: no transport in '%s'", o.data);
		FUZZ_CHECK(e || strstr(o.data, "version=") || strstr(o.data, "noextend"),
			   "9p: no protocol in '%s'", o.data);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mount_opts o;
	char *s;

	s = fuzz_string(data, size, CMDLINE_MAX - 1);
	run(s, 0);
	run(s, MS_RDONLY | MS_RELATIME);
	/* rootflags= with no value at all */
	o.flags = 0;
	FUZZ_CHECK(mountopts_parse(NULL, &o) == 0 && !o.data[0], "NULL string");
	free(s);
	return 0;
}
