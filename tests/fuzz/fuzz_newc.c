/*
 * fuzz-newc: the reader of handoff-lsinitramfs (tools/newc.c): the kind
 * of a segment by its magic, the 110-byte header, and the walk of the
 * archives in a decompressed segment (newc_walk() until it stops), fed
 * once whole and once in small pieces, which must agree: same members,
 * same end, same offset. Names must end where their header says, targets
 * only for symlinks, the source never read past its end.
 */
#include "fuzz.h"
#include "fuzz_src.h"
#include "../../tools/newc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

struct tally {
	unsigned long n;
	uint64_t names; /* a sum over the names, to compare the two walks */
};

static int entry(void *arg, const struct newc *h, const char *name, const char *target)
{
	struct tally *t = arg;
	size_t len = strnlen(name, NEWC_NAME_MAX);

	FUZZ_CHECK(len < NEWC_NAME_MAX && len + 1 == h->namesize, "name of %zu bytes, namesize %u",
		   len, h->namesize);
	FUZZ_CHECK(strcmp(name, "TRAILER!!!"), "the trailer handed out as a member");
	FUZZ_CHECK(!target == !S_ISLNK(h->mode), "a target for a non-symlink, or none for a symlink");
	if (target)
		FUZZ_CHECK(strnlen(target, NEWC_NAME_MAX) < NEWC_NAME_MAX, "target not terminated");
	t->n++;
	for (size_t i = 0; i < len; i++)
		t->names = t->names * 31 + (unsigned char)name[i];
	return 0;
}

static int walk(const uint8_t *data, size_t size, size_t piece, struct tally *t, uint64_t *pos)
{
	struct fuzz_src m = { data, size, 0, piece };
	struct newc_src src = { fuzz_read, &m, 0 };
	char err[256];
	int ret;

	memset(t, 0, sizeof(*t));
	do {
		uint64_t before = src.pos;

		err[0] = '\0';
		ret = newc_walk(&src, entry, t, err, sizeof(err));
		FUZZ_CHECK(src.pos == m.pos && src.pos <= size, "position %llu, source at %zu of %zu",
			   (unsigned long long)src.pos, m.pos, size);
		FUZZ_CHECK(ret != 0 || src.pos >= before + NEWC_HDR_SIZE, "an archive of under 110 bytes");
		FUZZ_CHECK(ret >= 0 || err[0], "error %d without a message", ret);
		FUZZ_CHECK(ret != 1 || src.pos == size, "clean end before the end of the source");
	} while (ret == 0);
	*pos = src.pos;
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *kind = newc_kind(data, size);
	struct tally a, b;
	struct newc h;
	uint64_t pa, pb;
	int ra, rb, ret;

	FUZZ_CHECK(!kind || !strcmp(kind, "cpio") || size >= 2, "a kind from %zu bytes", size);
	ret = newc_parse(data, size, &h);
	FUZZ_CHECK(ret == 0 || ret == -ENODATA || ret == -EINVAL || ret == -EBADMSG || ret == -ERANGE,
		   "parse %d", ret);
	if (!ret)
		FUZZ_CHECK(kind && !strcmp(kind, "cpio") && h.namesize >= 1 && h.namesize <= NEWC_NAME_MAX,
			   "a header taken with kind %s, namesize %u", kind ? kind : "none", h.namesize);
	ra = walk(data, size, size ? size : 1, &a, &pa);
	rb = walk(data, size, size ? (size_t)data[0] % 7 + 1 : 1, &b, &pb);
	FUZZ_CHECK(ra == rb && pa == pb && a.n == b.n && a.names == b.names,
		   "whole: %d at %llu, %lu members; in pieces: %d at %llu, %lu members", ra,
		   (unsigned long long)pa, a.n, rb, (unsigned long long)pb, b.n);
	return 0;
}
