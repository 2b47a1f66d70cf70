/* The newc header (newc.h). */
#include "layers/newc.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

static int hex8(const unsigned char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		d = hex_digit((char)p[i]);
		if (d < 0)
			return -EBADMSG;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

bool newc_magic(const unsigned char *p, size_t n)
{
	return n >= 6 && !memcmp(p, "07070", 5) && (p[5] == '1' || p[5] == '2');
}

int newc_parse(const unsigned char *p, size_t n, struct newc *h)
{
	uint32_t *f[13] = { &h->ino, &h->mode, &h->uid, &h->gid, &h->nlink, &h->mtime,
			    &h->filesize, &h->devmajor, &h->devminor, &h->rdevmajor,
			    &h->rdevminor, &h->namesize, &h->check };
	size_t i;

	if (n < NEWC_HDR_SIZE)
		return -ENODATA;
	if (!newc_magic(p, n))
		return -EINVAL;
	for (i = 0; i < 13; i++)
		if (hex8(p + 6 + 8 * i, f[i]))
			return -EBADMSG;
	if (h->namesize == 0 || h->namesize > NEWC_NAME_MAX)
		return -ERANGE;
	return 0;
}
