#include "hostparse.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* The next word of s[0, n) separated by blanks, from *pos. */
static bool word(const char *s, size_t n, size_t *pos, const char **w, size_t *wn)
{
	size_t i = *pos;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	*w = s + i;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
		i++;
	*wn = (size_t)(s + i - *w);
	*pos = i;
	return *wn > 0;
}

static bool is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(w, lit, n);
}

/* One softdep line: fn for its "pre:" modules if it is name's. */
static int softdep_line(const char *line, size_t n, const char *name, modalias_fn fn, void *ctx)
{
	char got[MODNAME_MAX];
	const char *w;
	size_t pos = 0, wn;
	bool pre = false;
	int r;

	if (!word(line, n, &pos, &w, &wn) || !is(w, wn, "softdep") ||
	    !word(line, n, &pos, &w, &wn) || modname_normalize(w, wn, got, sizeof(got)) ||
	    strcmp(got, name))
		return 0;
	while (word(line, n, &pos, &w, &wn)) {
		if (is(w, wn, "pre:") || is(w, wn, "post:")) {
			pre = is(w, wn, "pre:");
			continue;
		}
		if (!pre || modname_normalize(w, wn, got, sizeof(got)))
			continue;
		r = fn(got, ctx);
		if (r)
			return r;
	}
	return 0;
}

int softdep_each_pre(const char *buf, size_t len, const char *name, modalias_fn fn, void *ctx)
{
	const char *line;
	size_t pos = 0, n;
	int r;

	while (text_line(buf, len, &pos, &line, &n)) {
		r = softdep_line(line, n, name, fn, ctx);
		if (r)
			return r;
	}
	return 0;
}

/* The first word at p (up to a space or NUL, within end). */
static size_t first_word(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ' && *q != '\0')
		q++;
	return (size_t)(q - p);
}

int vermagic_release(const char *buf, size_t len, const char **v, size_t *vn)
{
	static const char key[] = "vermagic=";
	const size_t kn = sizeof(key) - 1;
	size_t i;

	for (i = 0; i + kn <= len; i++) {
		if ((i && buf[i - 1]) || memcmp(buf + i, key, kn))
			continue;
		*v = buf + i + kn;
		*vn = first_word(*v, buf + len);
		return 0;
	}
	return -ENOENT;
}

int bzimage_version(const unsigned char *img, size_t len, const char **v, size_t *vn)
{
	size_t off;

	if (len < 0x210 || memcmp(img + 0x202, "HdrS", 4))
		return -ENOEXEC;
	off = (size_t)(img[0x20e] | img[0x20f] << 8);
	/* 0: the image names no version; the string is then NUL-terminated. */
	if (!off || 0x200 + off >= len)
		return -ENOENT;
	*v = (const char *)img + 0x200 + off;
	*vn = first_word(*v, (const char *)img + len);
	return 0;
}
