/*
 * The cpio newc reader: GNU cpio's output of a tree with one of everything
 * (hard links carry their data on the last name), plain and gzip, unpacked
 * and compared with the tree; hostile names refused; truncated and
 * corrupted archives refused without a crash.
 */
#include "check.h"
#include "arc_util.h"

static char top[] = "/tmp/handoff-cpio.XXXXXX";

static void newc(bool gzip, size_t chunk)
{
	char img[700], dir[700], name[64];
	snprintf(name, sizeof(name), "newc%s%s", gzip ? ".gz" : "", chunk ? " (small reads)" : "");
	snprintf(img, sizeof(img), "%s/root.cpio%s", top, gzip ? ".gz" : "");
	snprintf(dir, sizeof(dir), "%s/out%s%zu", top, gzip ? "-gz" : "", chunk);
	sh("mkdir -p '%s' && cd '%s' && find . | cpio --quiet -o -H newc | %s >'%s'", dir, src,
	   gzip ? "gzip -n" : "cat", img);
	check_unpacked(name, img, dir, chunk, ARC_CPIO);
}

/* A newc header by hand: for names GNU cpio would not write. */
static size_t add(uint8_t *p, const char *name, unsigned mode, const char *data)
{
	size_t len = data ? strlen(data) : 0, nl = strlen(name) + 1, n;

	n = (size_t)sprintf((char *)p, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
			    1u, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, nl, 0u);
	memcpy(p + n, name, nl);
	n += nl;
	while (n % 4)
		p[n++] = 0;
	if (len)
		memcpy(p + n, data, len);
	n += len;
	while (n % 4)
		p[n++] = 0;
	return n;
}

static void hostile(void)
{
	static uint8_t buf[4096];
	char dir[700];
	struct result r;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/hostile", top);
	sh("mkdir -p '%s'", dir);
	n = add(buf, "../pwned", 0100644, "x");
	n += add(buf + n, "TRAILER!!!", 0, NULL);
	r = unpack_mem(buf, n, dir, 0);
	TEST("cpio: a \"..\" name is refused");
	CHECK_INT(r.rc, -EPERM);
	CHECK(access("/tmp/pwned", F_OK) != 0);
	n = add(buf, "/tmp/handoff-pwned", 0100644, "x");
	n += add(buf + n, "TRAILER!!!", 0, NULL);
	r = unpack_mem(buf, n, dir, 0);
	TEST("cpio: an absolute name is refused");
	CHECK_INT(r.rc, -EPERM);
	CHECK(access("/tmp/handoff-pwned", F_OK) != 0);
	n = add(buf, "evil", 0120777, "/tmp");
	n += add(buf + n, "evil/handoff-pwned", 0100644, "x");
	n += add(buf + n, "TRAILER!!!", 0, NULL);
	r = unpack_mem(buf, n, dir, 0);
	TEST("cpio: a file through a symlink out of the root is refused");
	CHECK_INT(r.rc, -EPERM);
	CHECK(access("/tmp/handoff-pwned", F_OK) != 0);
	TEST("cpio: a missing trailer is a truncated archive");
	n = add(buf, "fine", 0100644, "x");
	r = unpack_mem(buf, n, dir, 0);
	CHECK_INT(r.rc, -EINVAL);
}

static void broken(void)
{
	char img[700], dir[700];
	uint8_t *p, *c;
	size_t n, cut, step;
	int wrong = 0;
	struct result r;

	snprintf(img, sizeof(img), "%s/root.cpio", top);
	snprintf(dir, sizeof(dir), "%s/broken", top);
	sh("mkdir -p '%s'", dir);
	p = slurp(img, &n);
	c = malloc(n);
	/* GNU cpio pads to 512 bytes after the trailer. */
	while (n > 0 && !p[n - 1])
		n--;
	step = n / 50 | 1;
	TEST("truncated cpio archives are refused (%zu cuts)", n / step);
	for (cut = 0; cut + 4 < n; cut += step) {
		r = unpack_mem(p, cut, dir, 0);
		wrong += !r.rc;
	}
	CHECK_INT(wrong, 0);
	TEST("corrupted cpio archives are refused, or read without harm");
	CHECK(flipped_refusals(p, c, n, dir, 13, 0x21) > 0);
	free(p);
	free(c);
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	make_tree(top);
	newc(false, 0);
	newc(false, 333);
	newc(true, 0);
	hostile();
	broken();
	if (!getenv("KEEP_WORK"))
		sh("rm -rf '%s'", top);
	return check_failed;
}
