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

/* A newc header by hand, with its inode, link count and device number. */
static size_t add_inode(uint8_t *p, const char *name, unsigned mode, unsigned ino, unsigned nlink,
			unsigned rdev_minor, const char *data)
{
	size_t len = data ? strlen(data) : 0, nl = strlen(name) + 1, n;

	n = (size_t)sprintf((char *)p, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
			    ino, mode, 0u, 0u, nlink, 0u, len, 0u, 0u, rdev_minor ? 1u : 0u,
			    rdev_minor, nl, 0u);
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

/* A newc header by hand: for names GNU cpio would not write. */
static size_t add(uint8_t *p, const char *name, unsigned mode, const char *data)
{
	return add_inode(p, name, mode, 1, 1, 0, data);
}

/*
 * A file with two names, the first replaced by a fifo or a device node
 * (1:3, /dev/null: no disk even if written): the second name's data must
 * not go there. Refused at that entry, and no hang.
 */
static void hard_link_data(const char *what, unsigned mode, unsigned rdev_minor)
{
	static uint8_t buf[4096];
	char dir[700];
	struct result r;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/link-%o", top, mode);
	sh("mkdir -p '%s'", dir);
	n = add_inode(buf, "a", 0100644, 7, 2, 0, NULL);
	n += add_inode(buf + n, "a", mode, 8, 1, rdev_minor, NULL);
	n += add_inode(buf + n, "b", 0100644, 7, 2, 0, "pwned");
	n += add(buf + n, "TRAILER!!!", 0, NULL);
	alarm(5);
	r = unpack_mem(buf, n, dir, 0);
	alarm(0);
	TEST("cpio: the second name of a file replaced by a %s, with data: refused, no hang", what);
	CHECK_INT(r.rc, -EPERM);
	CHECK(r.why && strstr(r.why, "not a regular file"));
	CHECK_STR(r.entry, "b");
}

/* Sizes are 32 bits: the largest with its padding is just data that is missing. */
static void huge_size(void)
{
	static uint8_t buf[512];
	char dir[700];
	struct result r;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/huge", top);
	sh("mkdir -p '%s'", dir);
	n = add(buf, "big", 0100644, NULL);
	memcpy(buf + 54, "FFFFFFFF", 8);
	n += add(buf + n, "TRAILER!!!", 0, NULL);
	r = unpack_mem(buf, n, dir, 0);
	TEST("cpio: a file size of 2^32-1 with no data is a truncated archive");
	CHECK_INT(r.rc, -EINVAL);
	CHECK(r.why && strstr(r.why, "truncated"));
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
	no_hang();
	hard_link_data("fifo", 010644, 0);
	if (!getuid())
		hard_link_data("device node", 020644, 3);
	huge_size();
	broken();
	if (!getenv("KEEP_WORK"))
		sh("rm -rf '%s'", top);
	return check_failed;
}
