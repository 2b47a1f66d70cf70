/*
 * tar: POSIX ustar (name prefix), pax extended headers (path, linkpath,
 * size, uid, gid, mtime) and GNU long names ('L', 'K') and base-256
 * numbers. Global pax headers and unknown pax keys are read and ignored.
 */
#include "layers/archive.h"
#include "base/util.h"

#include <string.h>
#include <sys/stat.h>

#define BLOCK 512

struct pending {
	bool path, link, size, uid, gid, mtime;
	uint64_t size_v, uid_v, gid_v;
	int64_t mtime_v;
};

/* An octal field (spaces and NULs around it), or GNU base-256. */
static bool number(const uint8_t *p, size_t n, uint64_t *v)
{
	uint64_t r = 0;
	size_t i = 0;

	if (p[0] & 0x80) {
		if (p[0] != 0x80)	/* negative, or more than 64 bits */
			return false;
		for (i = 1; i < n; i++) {
			if (r >> 56)
				return false;
			r = r << 8 | p[i];
		}
		*v = r;
		return true;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (r >> 60)
			return false;
		r = r << 3 | (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return false;
	*v = r;
	return true;
}

static bool checksum_ok(const uint8_t *h)
{
	uint64_t want;
	long sum_u = 0, sum_s = 0;
	int i;

	if (!number(h + 148, 8, &want))
		return false;
	for (i = 0; i < BLOCK; i++) {
		uint8_t c = i >= 148 && i < 156 ? ' ' : h[i];

		sum_u += c;
		sum_s += (signed char)c;
	}
	return (uint64_t)sum_u == want || (uint64_t)sum_s == want;
}

static bool all_zero(const uint8_t *h)
{
	int i;

	for (i = 0; i < BLOCK; i++)
		if (h[i])
			return false;
	return true;
}

/* Copies a fixed-width field that may fill its width without a NUL. */
static void field(char *dst, const uint8_t *src, size_t n)
{
	size_t len = strnlen((const char *)src, n);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

static bool dec(const char *s, const char *end, uint64_t *v)
{
	uint64_t r = 0;

	if (s == end)
		return false;
	for (; s < end && *s != '.'; s++) {
		if (*s < '0' || *s > '9' || r > (UINT64_MAX - 9) / 10)
			return false;
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*v = r;
	return true;
}

static int pax_value(struct archive *a, struct arc_entry *e, struct pending *p,
		     const char *key, size_t klen, const char *val, size_t vlen)
{
	uint64_t v;

#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(key, k, klen))
	if (KEY("path") || KEY("linkpath")) {
		if (vlen >= ARC_PATH_MAX || memchr(val, '\0', vlen))
			return arc_fail(a, "pax path too long, or holding a NUL byte");
		memcpy(KEY("path") ? e->path : e->link, val, vlen);
		(KEY("path") ? e->path : e->link)[vlen] = '\0';
		*(KEY("path") ? &p->path : &p->link) = true;
		return 0;
	}
	if (KEY("size") || KEY("uid") || KEY("gid")) {
		if (!dec(val, val + vlen, &v) || memchr(val, '.', vlen))
			return arc_fail(a, "pax number is not a whole decimal number");
		if (KEY("size")) {
			p->size = true;
			p->size_v = v;
		} else if (KEY("uid")) {
			p->uid = v <= UINT32_MAX;
			p->uid_v = v;
		} else {
			p->gid = v <= UINT32_MAX;
			p->gid_v = v;
		}
		return 0;
	}
	if (KEY("mtime")) {
		/* Seconds, perhaps with a fraction (dropped); negative ones are clamped to 0. */
		if (vlen && val[0] == '-') {
			p->mtime = true;
			p->mtime_v = 0;
			return 0;
		}
		if (!dec(val, val + vlen, &v) || v > INT64_MAX)
			return arc_fail(a, "pax mtime is not a number");
		p->mtime = true;
		p->mtime_v = (int64_t)v;
	}
#undef KEY
	return 0;
}

/* Records "LEN key=value\n", LEN counting the whole record. */
static int pax_parse(struct archive *a, struct arc_entry *e, struct pending *p, size_t n)
{
	const char *s = a->pax, *end = a->pax + n, *sp, *eq;
	uint64_t len;
	int r;

	while (s < end) {
		if (*s == '\0')		/* NUL padding after the last record */
			break;
		sp = memchr(s, ' ', (size_t)(end - s));
		if (!sp || !dec(s, sp, &len) || len < 5 || len > (uint64_t)(end - s) ||
		    s[len - 1] != '\n')
			return arc_fail(a, "malformed pax record");
		eq = memchr(sp + 1, '=', (size_t)(s + len - 1 - (sp + 1)));
		if (!eq || eq == sp + 1)
			return arc_fail(a, "pax record without key=value");
		r = pax_value(a, e, p, sp + 1, (size_t)(eq - sp - 1), eq + 1,
			      (size_t)(s + len - 1 - (eq + 1)));
		if (r)
			return r;
		s += len;
	}
	return 0;
}

/* Reads a meta entry's data (pax header, GNU long name) into a->pax. */
static int meta_data(struct archive *a, uint64_t size, size_t *n)
{
	int r;

	if (size >= ARC_PAX_MAX)
		return arc_fail(a, "pax header or GNU long name larger than 64 KiB");
	r = arc_copy(a, a->pax, (size_t)size);
	if (r)
		return r;
	a->pax[size] = '\0';
	*n = (size_t)size;
	return arc_skip(a, (BLOCK - size % BLOCK) % BLOCK);
}

static int long_name(struct archive *a, char *dst, uint64_t size)
{
	size_t n;
	int r = meta_data(a, size, &n);

	if (r)
		return r;
	if (strlen(a->pax) >= ARC_PATH_MAX)
		return arc_fail(a, "GNU long name longer than 4095 bytes");
	str_copy(dst, a->pax, ARC_PATH_MAX);
	return 0;
}

static uint32_t type_mode(uint8_t t)
{
	switch (t) {
	case '0': case '\0': case '7': case '1':
		return S_IFREG;
	case '2':
		return S_IFLNK;
	case '3':
		return S_IFCHR;
	case '4':
		return S_IFBLK;
	case '5':
		return S_IFDIR;
	case '6':
		return S_IFIFO;
	default:
		return 0;
	}
}

/* Fills the entry from a ustar header, keeping what pax or GNU already set. */
static int from_header(struct archive *a, const uint8_t *h, struct arc_entry *e,
		       const struct pending *p)
{
	uint64_t mode, uid, gid, size, mtime, maj, min;
	char name[101], prefix[156];

	if (!number(h + 100, 8, &mode) || !number(h + 108, 8, &uid) ||
	    !number(h + 116, 8, &gid) || !number(h + 124, 12, &size) ||
	    !number(h + 136, 12, &mtime) || !number(h + 329, 8, &maj) ||
	    !number(h + 337, 8, &min))
		return arc_fail(a, "bad number in a tar header");
	e->mode = type_mode(h[156]);
	if (!e->mode)
		return arc_fail(a, "unsupported tar entry type (sparse, volume, multi-volume or unknown)");
	e->mode |= (uint32_t)(mode & 07777);
	e->hardlink = h[156] == '1';
	e->uid = p->uid ? (uint32_t)p->uid_v : (uint32_t)uid;
	e->gid = p->gid ? (uint32_t)p->gid_v : (uint32_t)gid;
	e->mtime = p->mtime ? p->mtime_v : (int64_t)mtime;
	if (maj > 0xfff || min > 0xfffff)
		return arc_fail(a, "device number out of range");
	e->rdev_major = (uint32_t)maj;
	e->rdev_minor = (uint32_t)min;
	if (p->size)
		size = p->size_v;
	if (!p->path) {
		field(name, h, 100);
		prefix[0] = '\0';
		if (!memcmp(h + 257, "ustar\0", 6))	/* POSIX: a prefix; GNU: other fields */
			field(prefix, h + 345, 155);
		if (prefix[0]) {
			str_copy(e->path, prefix, ARC_PATH_MAX);
			str_append(e->path, "/", ARC_PATH_MAX);
			str_append(e->path, name, ARC_PATH_MAX);
		} else {
			str_copy(e->path, name, ARC_PATH_MAX);
		}
	}
	if (!p->link)
		field(e->link, h + 157, 100);
	/*
	 * Data follows files, and hard links that carry it (pax allows that); a
	 * directory's (GNU dumpdirs) is skipped with the padding, never handed
	 * out as the entry's data. archive_next() checks the sizes.
	 */
	if (size && !S_ISREG(e->mode) && !S_ISDIR(e->mode))
		return arc_fail(a, "tar entry that is not a file has data");
	a->pad = (BLOCK - size % BLOCK) % BLOCK;
	if (S_ISREG(e->mode)) {
		e->size = size;
		a->left = size;
	} else {
		a->pad = arc_add(a->pad, size);
	}
	if (!e->path[0])
		return arc_fail(a, "tar entry with an empty name");
	if ((e->hardlink || S_ISLNK(e->mode)) && !e->link[0])
		return arc_fail(a, "tar link with an empty target");
	return 1;
}

int tar_next(struct archive *a, struct arc_entry *e)
{
	struct pending p = { 0 };
	uint64_t size;
	const uint8_t *h;
	size_t n = 0;
	int r;

	for (;;) {
		r = arc_need(a, BLOCK);
		if (r)
			return r;
		h = a->buf + a->pos;
		if (all_zero(h))
			return 0;	/* the end marker */
		if (!checksum_ok(h))
			return arc_fail(a, "tar header checksum mismatch (corrupt, or not a tar)");
		if (!number(h + 124, 12, &size))
			return arc_fail(a, "bad size in a tar header");
		a->pos += BLOCK;
		switch (h[156]) {
		case 'x':
			r = meta_data(a, size, &n);
			if (!r)
				r = pax_parse(a, e, &p, n);
			break;
		case 'g':
			r = meta_data(a, size, &n);
			break;
		case 'L':
			r = long_name(a, e->path, size);
			p.path = true;
			break;
		case 'K':
			r = long_name(a, e->link, size);
			p.link = true;
			break;
		default:
			return from_header(a, h, e, &p);
		}
		if (r)
			return r;
	}
}
