/*
 * One tag as util-linux blkid prints it: shared by the init's blkid (the
 * rescue shell's) and the host tool handoff-probe, so both say the same.
 */
#include "find/probe.h"

#include <string.h>

size_t probe_tag(char *buf, size_t size, const char *key, const char *val, int export)
{
	static const char hex[] = "0123456789abcdef";
	/* The characters blkid quotes: for a shell (export), in "" (plain). */
	const char *quote = export ? " \\\"'$`<>" : "\\\"";
	size_t n, k = strlen(key);
	unsigned char c;

	if (!*val || size < k + 5)
		return 0;
	n = !export;
	buf[0] = ' ';
	memcpy(buf + n, key, k);
	n += k;
	buf[n++] = '=';
	if (!export)
		buf[n++] = '"';
	/* A label comes from the disk: control characters must not reach the tty. */
	for (; (c = (unsigned char)*val) && n + 6 < size; val++) {
		if (c < 0x20 || c == 0x7f) {
			memcpy(buf + n, "\\x", 2);
			buf[n + 2] = hex[c >> 4];
			buf[n + 3] = hex[c & 15];
			n += 4;
			continue;
		}
		if (strchr(quote, c))
			buf[n++] = '\\';
		buf[n++] = (char)c;
	}
	buf[n++] = export ? '\n' : '"';
	buf[n] = '\0';
	return n;
}
