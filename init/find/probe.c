/* probe: shared helpers (bounded reads, byte order, strings, CRC32). */
#define PROBE_INTERNAL
#include "find/probe.h"

#include <errno.h>
#include <unistd.h>

int probe_read(const struct probe_dev *d, uint64_t off, void *buf, size_t len)
{
	if (off > d->size || len > d->size - off)
		return -ENOENT;
	if (!len)
		return 0;
	return d->read(d->ctx, off, buf, len);
}

int probe_fd_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	char *p = buf;

	if (off > (uint64_t)INT64_MAX - len)
		return -EINVAL;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (size_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int window_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct probe_window *w = ctx;

	if (off > w->dev.size || len > w->dev.size - off)
		return -EIO;
	return w->parent->read(w->parent->ctx, w->off + off, buf, len);
}

void probe_window_init(struct probe_window *w, const struct probe_dev *parent,
		       uint64_t off, uint64_t len)
{
	w->parent = parent;
	w->off = off;
	if (off > parent->size)
		off = parent->size;
	if (len > parent->size - off)
		len = parent->size - off;
	w->dev.read = window_read;
	w->dev.ctx = w;
	w->dev.size = len;
	w->dev.sector_size = parent->sector_size;
}

uint16_t probe_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t probe_le32(const uint8_t *p)
{
	return (uint32_t)probe_le16(p) | (uint32_t)probe_le16(p + 2) << 16;
}

uint64_t probe_le64(const uint8_t *p)
{
	return (uint64_t)probe_le32(p) | (uint64_t)probe_le32(p + 4) << 32;
}

uint32_t probe_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

int probe_is_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

int probe_memeq(const void *a, const char *b, size_t n)
{
	const uint8_t *p = a;

	while (n--)
		if (*p++ != (uint8_t)*b++)
			return 0;
	return 1;
}

static char *hex8(char *o, unsigned int v, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	*o++ = digits[v >> 4 & 15];
	*o++ = digits[v & 15];
	return o;
}

/*
 * 16 bytes as a canonical UUID. guid: the first three fields are
 * little-endian (GPT, exFAT-style GUIDs). All-zero gives "" as blkid
 * does not report empty UUIDs.
 */
void probe_uuid16(char *out, const uint8_t *b, int guid)
{
	static const uint8_t order[2][16] = {
		{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
		{ 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 },
	};
	char *o = out;
	int i;

	*o = 0;
	if (probe_is_zero(b, 16))
		return;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		o = hex8(o, b[order[!!guid][i]], 0);
	}
	*o = 0;
}

/* A 32-bit little-endian serial as "XXXX-XXXX" (vfat, exfat). */
void probe_serial4(char *out, const uint8_t *b)
{
	char *o = out;

	*o = 0;
	if (probe_is_zero(b, 4))
		return;
	o = hex8(hex8(o, b[3], 1), b[2], 1);
	*o++ = '-';
	o = hex8(hex8(o, b[1], 1), b[0], 1);
	*o = 0;
}

/* 32-bit value as 8 lowercase hex digits. */
void probe_hex32(char *out, uint32_t v)
{
	char *o = out;
	int s;

	for (s = 24; s >= 0; s -= 8)
		o = hex8(o, v >> s & 0xff, 0);
	*o = 0;
}

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static void rtrim(char *s, size_t n)
{
	while (n && is_space(s[n - 1]))
		n--;
	s[n] = 0;
}

/* Copies a byte label up to its first NUL, without trailing white space. */
void probe_label(char *out, size_t outsz, const uint8_t *src, size_t len)
{
	size_t n = 0;

	if (!outsz)
		return;
	while (n < len && n + 1 < outsz && src[n]) {
		out[n] = (char)src[n];
		n++;
	}
	rtrim(out, n);
}

static size_t put_utf8(char *o, size_t room, uint32_t c)
{
	size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	size_t i;

	if (n > room)
		return 0;
	if (n == 1) {
		o[0] = (char)c;
		return 1;
	}
	for (i = n - 1; i > 0; i--) {
		o[i] = (char)(0x80 | (c & 0x3f));
		c >>= 6;
	}
	o[0] = (char)((0xf00 >> n) | c);
	return n;
}

/*
 * UTF-16 (LE, or BE if be) to UTF-8, up to the first NUL unit, without
 * trailing white space. Unpaired surrogates become U+FFFD.
 */
void probe_utf16(char *out, size_t outsz, const uint8_t *src, size_t units,
		 int be)
{
	size_t i, o = 0, k;

	if (!outsz)
		return;
	for (i = 0; i < units; i++) {
		uint32_t c = be ? (uint32_t)(src[2 * i] << 8 | src[2 * i + 1]) :
				  probe_le16(src + 2 * i);

		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
			uint32_t l = be ? (uint32_t)(src[2 * i + 2] << 8 |
						     src[2 * i + 3]) :
					  probe_le16(src + 2 * i + 2);

			if (l >= 0xdc00 && l < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (l - 0xdc00);
				i++;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		k = put_utf8(out + o, outsz - 1 - o, c);
		if (!k)
			break;
		o += k;
	}
	rtrim(out, o);
}

/* CRC-32 (IEEE 802.3, reflected), bitwise to stay small. */
uint32_t probe_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

int probe_uuid_equal(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
}
