/*
 * The one question switch.c asks /proc/self/mountinfo, apart from the I/O
 * so that it can be tested and fuzzed alone.
 */
#include "handover/switch.h"
#include "base/util.h"

#include <string.h>

/* Whether the n-th space-separated field of line (from 0) is want. */
static bool field_is(const char *line, int n, const char *want)
{
	size_t len = strlen(want);

	while (n-- > 0) {
		line = strchr(line, ' ');
		if (!line)
			return false;
		line++;
	}
	return !strncmp(line, want, len) && (line[len] == ' ' || !line[len]);
}

/* Lines: id parent maj:min root MOUNTPOINT options... - FSTYPE source ... */
bool mountinfo_root_is_rootfs(char *text)
{
	char *line, *next, *sep;
	bool rootfs = false;

	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		sep = (char *)str_find(line, " - ");
		/* The last entry for "/" is the one on top. */
		if (sep && field_is(line, 4, "/"))
			rootfs = field_is(sep + 3, 0, "rootfs");
	}
	return rootfs;
}
