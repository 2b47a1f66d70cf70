/*
 * fuzz-mountinfo: mountinfo_root_is_rootfs() on arbitrary text, against a
 * second reading written differently (fields by strsep): the last line
 * whose fifth field is "/" and which has " - " decides, by whether the
 * first field after its first " - " is "rootfs".
 */
#include "fuzz.h"
#include "handover/switch.h"

#include <string.h>

/* The n-th field (from 0) of line split at every single space, or NULL. */
static char *nth_field(char *line, int n)
{
	char *f;

	do
		f = strsep(&line, " ");
	while (f && n-- > 0);
	return f;
}

static int reference(char *text)
{
	char copy[8192], *line, *rest = text, *sep, *f;
	int rootfs = 0;

	while ((line = strsep(&rest, "\n"))) {
		sep = strstr(line, " - ");
		snprintf(copy, sizeof(copy), "%s", line);
		f = nth_field(copy, 4);
		if (!sep || !f || strcmp(f, "/"))
			continue;
		snprintf(copy, sizeof(copy), "%s", sep + 3);
		f = nth_field(copy, 0);
		rootfs = f && !strcmp(f, "rootfs");
	}
	return rootfs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size, 8191), *again = fuzz_string(data, size, 8191);
	int got = mountinfo_root_is_rootfs(text), want = reference(again);

	FUZZ_CHECK(got == want, "parser says %d, the reference %d", got, want);
	free(text);
	free(again);
	return 0;
}
