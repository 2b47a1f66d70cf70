/*
 * cpio newc reading for handoff-lsinitramfs: see newc.h.
 */
#include "newc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const char *newc_kind(const unsigned char *p, size_t n)
{
	static const struct {
		const char *name;
		unsigned char len, magic[6];
	} kinds[] = {
		{ "cpio", 5, "07070" },
		{ "gzip", 2, { 0x1f, 0x8b } },
		{ "gzip", 2, { 0x1f, 0x9e } },
		{ "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
		{ "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
		{ "lzma", 3, { 0x5d, 0, 0 } },
		{ "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
		{ "lz4", 4, { 0x04, 0x22, 0x4d, 0x18 } },
		{ "bzip2", 3, { 'B', 'Z', 'h' } },
		{ "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (n >= kinds[i].len && !memcmp(p, kinds[i].magic, kinds[i].len))
			return kinds[i].name;
	return NULL;
}

void newc_mode(uint32_t mode, char *s)
{
	static const char types[] = "?pc?d?b?-?l?s???";
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = types[(mode >> 12) & 15];
	for (i = 0; i < 9; i++)
		s[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		s[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		s[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		s[9] = (mode & S_IXOTH) ? 't' : 'T';
	s[10] = '\0';
}

/*
 * Exactly n bytes, or -ENODATA at the end; *got says how many came. A
 * source may hand out fewer than asked (a pipe): only nothing is the end.
 */
static int take(struct newc_src *src, unsigned char *buf, size_t n, size_t *got)
{
	size_t k;
	int ret;

	for (*got = 0; *got < n; *got += k) {
		ret = src->read(src->ctx, buf + *got, n - *got, &k);
		if (ret)
			return ret;
		src->pos += k;
		if (k == 0)
			return -ENODATA;
	}
	return 0;
}

static int skip(struct newc_src *src, uint64_t n)
{
	unsigned char buf[4096];
	size_t got;
	int ret;

	while (n) {
		size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		ret = take(src, buf, k, &got);
		if (ret)
			return ret;
		n -= k;
	}
	return 0;
}

#define fail(ret, ...) (snprintf(err, errlen, __VA_ARGS__), (ret))

/* The name after the header at hdr_at: NUL-ended, no NUL inside. */
static int read_name(struct newc_src *src, const struct newc *h, uint64_t hdr_at,
		     char *name, char *err, size_t errlen)
{
	size_t got;
	int ret;

	/* newc_parse() bounds it (in another file): checked again where name is indexed. */
	if (!h->namesize || h->namesize > NEWC_NAME_MAX)
		return fail(-ERANGE, "the name size of the entry at offset %llu is out of range",
			    (unsigned long long)hdr_at);
	ret = take(src, (unsigned char *)name, h->namesize, &got);

	if (ret == -ENODATA)
		return fail(ret, "the name of the entry at offset %llu is cut short",
			    (unsigned long long)hdr_at);
	if (ret)
		return fail(ret, "reading at offset %llu: %s", (unsigned long long)src->pos,
			    strerror(-ret));
	if (name[h->namesize - 1] != '\0' || strlen(name) != h->namesize - 1)
		return fail(-EBADMSG, "the name of the entry at offset %llu is not one NUL-ended string",
			    (unsigned long long)hdr_at);
	/* The header and name are padded to a multiple of 4 bytes. */
	return skip(src, (4 - (NEWC_HDR_SIZE + h->namesize) % 4) % 4) == 0 ? 0 :
	       fail(-ENODATA, "the entry %s at offset %llu is cut short", name,
		    (unsigned long long)hdr_at);
}

/* The data: a symlink's target read into target, the rest skipped. */
static int read_data(struct newc_src *src, const struct newc *h, uint64_t hdr_at,
		     const char *name, char *target, char *err, size_t errlen)
{
	uint64_t pad = (4 - h->filesize % 4) % 4;
	size_t got;
	int ret;

	target[0] = '\0';
	if (S_ISLNK(h->mode) && h->filesize < NEWC_NAME_MAX) {
		ret = take(src, (unsigned char *)target, h->filesize, &got);
		target[h->filesize] = '\0';
		if (!ret)
			ret = skip(src, pad);
	} else {
		ret = skip(src, h->filesize + pad);
	}
	if (ret == -ENODATA)
		return fail(ret, "the data of %s (entry at offset %llu, %u bytes) runs past the end",
			    name, (unsigned long long)hdr_at, h->filesize);
	if (ret)
		return fail(ret, "reading at offset %llu: %s", (unsigned long long)src->pos,
			    strerror(-ret));
	return 0;
}

/*
 * The next header: zero padding skipped only before an archive's first
 * one. Returns 0, 1 at a clean end before any header, or -errno.
 */
static int next_header(struct newc_src *src, bool first, unsigned char *hdr, uint64_t *at,
		       char *err, size_t errlen)
{
	size_t got;
	int ret;

	for (;;) {
		*at = src->pos;
		ret = take(src, hdr, 4, &got);
		if (ret == -ENODATA && got == 0 && first)
			return 1;
		if (ret == -ENODATA)
			return fail(ret, "truncated header at offset %llu", (unsigned long long)*at);
		if (ret)
			return fail(ret, "reading at offset %llu: %s", (unsigned long long)*at,
				    strerror(-ret));
		if (!first || memcmp(hdr, "\0\0\0\0", 4))
			break;
	}
	ret = take(src, hdr + 4, NEWC_HDR_SIZE - 4, &got);
	if (ret == -ENODATA)
		return fail(ret, "truncated header at offset %llu", (unsigned long long)*at);
	if (ret)
		return fail(ret, "reading at offset %llu: %s", (unsigned long long)*at, strerror(-ret));
	return 0;
}

int newc_walk(struct newc_src *src, newc_entry_fn fn, void *arg, char *err, size_t errlen)
{
	unsigned char hdr[NEWC_HDR_SIZE];
	char name[NEWC_NAME_MAX], target[NEWC_NAME_MAX];
	bool first = true;
	struct newc h;
	uint64_t at;
	int ret;

	for (;; first = false) {
		ret = next_header(src, first, hdr, &at, err, errlen);
		if (ret)
			return ret;
		ret = newc_parse(hdr, sizeof(hdr), &h);
		if (ret == -EINVAL)
			return fail(ret, "bad magic at offset %llu (a newc header starts 070701)",
				    (unsigned long long)at);
		if (ret)
			return fail(ret, "bad header at offset %llu: a field is not hex, or the name size is 0 or over %d",
				    (unsigned long long)at, NEWC_NAME_MAX);
		ret = read_name(src, &h, at, name, err, errlen);
		if (ret)
			return ret;
		if (!strcmp(name, "TRAILER!!!"))
			return skip(src, (4 - (h.filesize % 4)) % 4 + h.filesize) == 0 ? 0 :
			       fail(-ENODATA, "the trailer at offset %llu is cut short", (unsigned long long)at);
		ret = read_data(src, &h, at, name, target, err, errlen);
		if (ret)
			return ret;
		ret = fn(arg, &h, name, S_ISLNK(h.mode) ? target : NULL);
		if (ret)
			return ret;
	}
}
