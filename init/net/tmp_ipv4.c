/* TEMPORARY until i19-net's ipconf.c is merged (same functions there). */
#include "net/nfsroot.h"
#include "base/log.h"

#include <errno.h>
#include <string.h>

int ipv4_parse(const char *s, uint32_t *addr)
{
	uint8_t b[4];
	unsigned v;
	int i, digits;

	for (i = 0; i < 4; i++) {
		for (v = 0, digits = 0; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		if (!digits || digits > 3 || v > 255 || *s != (i < 3 ? '.' : '\0'))
			return -EINVAL;
		b[i] = (uint8_t)v;
		s++;
	}
	memcpy(addr, b, 4);
	return 0;
}

char *ipv4_format(uint32_t addr, char *buf)
{
	const uint8_t *b = (const uint8_t *)&addr;

	fmt_buf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}
