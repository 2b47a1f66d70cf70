/*
 * The tar reader and the unpacker: GNU tar's ustar, pax and gnu formats
 * (long names, symlinks, hard links, device nodes, fifos, modes, owners,
 * mtimes), plain and gzip, unpacked and compared with the tree they came
 * from; hostile archives (absolute names, "..", symlinks leading out, hard
 * links to outside files) refused with nothing written outside; truncated
 * and corrupted archives refused without a crash.
 */
#include "check.h"
#include "arc_util.h"

static char top[] = "/tmp/handoff-tar.XXXXXX";

static void format(const char *fmt, bool gzip, size_t chunk)
{
	char tar[700], dir[700], name[64];
	snprintf(name, sizeof(name), "%s%s%s", fmt, gzip ? ".gz" : "", chunk ? " (small reads)" : "");
	snprintf(tar, sizeof(tar), "%s/%s.tar%s", top, fmt, gzip ? ".gz" : "");
	snprintf(dir, sizeof(dir), "%s/out-%s%s%zu", top, fmt, gzip ? "-gz" : "", chunk);
	sh("mkdir -p '%s' && tar --format=%s -C '%s' -cf - . | %s >'%s'", dir, fmt, src,
	   gzip ? "gzip -n" : "cat", tar);
	check_unpacked(name, tar, dir, chunk, ARC_TAR);
}

/* ustar keeps names up to 255 bytes as prefix + "/" + name. */
static void ustar_prefix(void)
{
	char tar[700], dir[700], path[900];
	const char *deep = "0123456789012345678901234567890123456789/0123456789012345678901234567890123456789/"
			   "012345678901234567890123456789";
	struct result r;
	uint8_t *p;
	size_t n;

	snprintf(tar, sizeof(tar), "%s/ustar.tar", top);
	snprintf(dir, sizeof(dir), "%s/ustar-out", top);
	sh("mkdir -p '%s' '%s/ustar-src/%s' && printf u >'%s/ustar-src/%s/name-of-sixty-bytes-0123456789012345678901234567890123456' &&"
	   "tar --format=ustar -C '%s/ustar-src' -cf '%s' .", dir, top, deep, top, deep, top, tar);
	p = slurp(tar, &n);
	r = unpack_mem(p, n, dir, 0);
	TEST("ustar with a prefix: unpacks");
	CHECK_INT(r.rc, 0);
	snprintf(path, sizeof(path), "%s/%s/name-of-sixty-bytes-0123456789012345678901234567890123456", dir, deep);
	CHECK(access(path, F_OK) == 0);
	free(p);
}

/* Unpacks a hand-made archive into a fresh directory. */
static struct result hostile(const char *name, struct tarbuf *t)
{
	char dir[700];

	tar_end(t);
	snprintf(dir, sizeof(dir), "%s/h-%s", top, name);
	sh("mkdir -p '%s'", dir);
	return unpack_mem(t->p, t->n, dir, 0);
}

static void outside_untouched(const char *name)
{
	char path[700];
	struct stat st;
	uint8_t *p;
	size_t n;

	snprintf(path, sizeof(path), "%s/passwd", outside);
	p = slurp(path, &n);
	TEST("%s: the file outside is unchanged", name);
	CHECK(n == 7 && !memcmp(p, "secret\n", 7));
	CHECK(!stat(path, &st) && st.st_nlink == 1);
	free(p);
	snprintf(path, sizeof(path), "%s/pwned", outside);
	TEST("%s: nothing new outside", name);
	CHECK(access(path, F_OK) != 0);
	snprintf(path, sizeof(path), "%s/pwned", top);
	CHECK(access(path, F_OK) != 0);
}

static void refused(const char *name, struct tarbuf *t, const char *why)
{
	struct result r = hostile(name, t);

	TEST("%s: refused", name);
	CHECK_INT(r.rc, -EPERM);
	CHECK(r.why && strstr(r.why, why));
	outside_untouched(name);
}

static void hostile_archives(void)
{
	static struct tarbuf t;
	char target[700], path[800];
	struct result r;
	uint8_t *p;
	size_t n;

	snprintf(target, sizeof(target), "%s/passwd", outside);

	t.n = 0;
	tar_add(&t, target, '0', NULL, "pwned");
	refused("absolute name", &t, "absolute");

	t.n = 0;
	tar_add(&t, "../pwned", '0', NULL, "pwned");
	refused("dot-dot name", &t, "\"..\"");

	t.n = 0;
	tar_add(&t, "a/b/../../../pwned", '0', NULL, "pwned");
	refused("dot-dot inside a name", &t, "\"..\"");

	t.n = 0;
	tar_add(&t, "evil", '2', outside, NULL);
	tar_add(&t, "evil/pwned", '0', NULL, "pwned");
	refused("file through an absolute symlink", &t, "symlink");

	t.n = 0;
	tar_add(&t, "up", '2', "../..", NULL);
	tar_add(&t, "up/pwned", '0', NULL, "pwned");
	refused("file through a symlink to ..", &t, "symlink");

	t.n = 0;
	tar_add(&t, "d", '5', NULL, NULL);
	tar_add(&t, "d/up", '2', "../../outside", NULL);
	tar_add(&t, "d/up/x/pwned", '0', NULL, "pwned");
	refused("new directory through a symlink", &t, "symlink");

	t.n = 0;
	tar_add(&t, "h", '1', target, NULL);
	refused("hard link to an absolute path", &t, "absolute");

	t.n = 0;
	tar_add(&t, "evil", '2', outside, NULL);
	tar_add(&t, "h", '1', "evil/passwd", NULL);
	refused("hard link through a symlink", &t, "symlink");

	t.n = 0;
	tar_add(&t, "h", '1', "../outside/passwd", NULL);
	refused("hard link to ..", &t, "\"..\"");

	/* A file over a symlink replaces the symlink: it never writes through it. */
	t.n = 0;
	tar_add(&t, "ln", '2', target, NULL);
	tar_add(&t, "ln", '0', NULL, "pwned");
	r = hostile("file over a symlink", &t);
	TEST("file over a symlink: replaced, not written through");
	CHECK_INT(r.rc, 0);
	snprintf(path, sizeof(path), "%s/h-file over a symlink/ln", top);
	p = slurp(path, &n);
	CHECK(n == 5 && !memcmp(p, "pwned", 5));
	free(p);
	outside_untouched("file over a symlink");

	/* A symlink inside the root is followed, within it (merged /usr). */
	t.n = 0;
	tar_add(&t, "usr/lib/", '5', NULL, NULL);
	tar_add(&t, "lib", '2', "usr/lib", NULL);
	tar_add(&t, "lib/x", '0', NULL, "fine");
	tar_add(&t, "./usr//lib/./y", '0', NULL, "fine");
	r = hostile("merged usr", &t);
	TEST("a relative symlink inside the root is followed");
	CHECK_INT(r.rc, 0);
	snprintf(path, sizeof(path), "%s/h-merged usr/usr/lib/x", top);
	CHECK(access(path, F_OK) == 0);
	snprintf(path, sizeof(path), "%s/h-merged usr/usr/lib/y", top);
	CHECK(access(path, F_OK) == 0);

	/* Parents the archive does not list are made. */
	t.n = 0;
	tar_add(&t, "no/such/dir/file", '0', NULL, "x");
	r = hostile("missing parents", &t);
	TEST("missing parent directories are created");
	CHECK_INT(r.rc, 0);
	snprintf(path, sizeof(path), "%s/h-missing parents/no/such/dir/file", top);
	CHECK(access(path, F_OK) == 0);
	outside_untouched("missing parents");
}

/* Data into anything but a regular file: refused, named, and no hang. */
static void hard_link_data(void)
{
	static struct tarbuf t;
	struct result r;

	t.n = 0;
	tar_add(&t, "fifo", '6', NULL, NULL);
	tar_add(&t, "h", '1', "fifo", "pwned");
	alarm(5);
	r = hostile("hard link with data to a fifo", &t);
	alarm(0);
	TEST("hard link with data to a fifo: refused at that entry, no hang");
	CHECK_INT(r.rc, -EPERM);
	CHECK(r.why && strstr(r.why, "not a regular file"));
	CHECK_STR(r.entry, "h");
	if (getuid()) {
		printf("# skip hard link with data to a device node: not root\n");
		return;
	}
	/* 1:3 is /dev/null: the test writes to no disk even if the writer did. */
	t.n = 0;
	tar_add(&t, "null", '3', NULL, NULL);
	memcpy(t.p + 329, "0000001\0" "0000003", 16);
	tar_sum(t.p);
	tar_add(&t, "h", '1', "null", "pwned");
	r = hostile("hard link with data to a device node", &t);
	TEST("hard link with data to a device node: refused at that entry");
	CHECK_INT(r.rc, -EPERM);
	CHECK(r.why && strstr(r.why, "not a regular file"));
	CHECK_STR(r.entry, "h");
}

/* Walks the archive without reading data, as the fit check does. */
static int walk(const uint8_t *p, size_t n, bool *hidden)
{
	struct mem_src m = { p, n, 0, 0 };
	struct byte_src s = { mem_read, NULL, &m };
	int r = archive_open(&arc, s, arcbuf, sizeof(arcbuf), &arena);

	*hidden = false;
	if (r)
		return r;
	while ((r = archive_next(&arc, &ent)) == 1)
		*hidden |= !strcmp(ent.path, "hidden");
	return r;
}

/* t, a hidden entry after it: the walk must refuse t's size and never see it. */
static void walk_refused(const char *name, struct tarbuf *t)
{
	bool hidden;
	int r;

	tar_add(t, "hidden", '0', NULL, NULL);
	tar_end(t);
	r = walk(t->p, t->n, &hidden);
	TEST("%s: refused, the data not read as headers", name);
	CHECK_INT(r, -EINVAL);
	CHECK(arc.why && strstr(arc.why, "4 EiB"));
	CHECK(!hidden);
}

/*
 * A size near 2^64 wrapped when its padding was added: the walk skipped
 * nothing and read the file's data as the next header ("hidden").
 */
static void huge_sizes(void)
{
	static struct tarbuf t;
	uint64_t v = UINT64_MAX - 100;	/* 2^64 - 101: its padding is 101 */
	bool hidden;
	int i, r;

	t.n = 0;
	tar_add(&t, "big", '0', NULL, NULL);
	memset(t.p + 124, 0, 12);
	t.p[124] = 0x80;
	for (i = 0; i < 8; i++)
		t.p[135 - i] = (uint8_t)(v >> (8 * i));
	tar_sum(t.p);
	walk_refused("base-256 size 2^64-101", &t);

	t.n = 0;
	tar_add(&t, "././@PaxHeader", 'x', NULL, "29 size=18446744073709551515\n");
	tar_add(&t, "big", '0', NULL, NULL);
	walk_refused("pax size=2^64-101", &t);

	t.n = 0;
	tar_add(&t, "././@PaxHeader", 'x', NULL, "13 size=1024\n");
	tar_add(&t, "d", '5', NULL, NULL);
	memset(t.p + t.n, 'x', 1024);
	t.n += 1024;
	tar_add(&t, "hidden", '0', NULL, NULL);
	tar_end(&t);
	r = walk(t.p, t.n, &hidden);
	TEST("a directory's pax size is skipped like any data");
	CHECK_INT(r, 0);
	CHECK(hidden);
}

/* A directory's data (a GNU dumpdir) is skipped, never read as the entry's (fuzz-tar). */
static void dir_data(void)
{
	static struct tarbuf t;
	struct mem_src m;
	struct byte_src s = { mem_read, NULL, &m };
	const uint8_t *d;
	size_t k, got = 0;
	int r;

	tar_add(&t, "d", '5', NULL, NULL);
	memcpy(t.p + t.n - 512 + 124, "00000000010", 11);
	tar_sum(t.p + t.n - 512);
	memset(t.p + t.n, 'x', 512);
	t.n += 512;
	tar_add(&t, "hidden", '0', NULL, NULL);
	tar_end(&t);
	m = (struct mem_src){ t.p, t.n, 0, 0 };
	TEST("a directory's data is skipped, not handed out as its data");
	CHECK_INT(archive_open(&arc, s, arcbuf, sizeof(arcbuf), &arena), 0);
	CHECK_INT(archive_next(&arc, &ent), 1);
	CHECK_INT((int)ent.size, 0);
	while (!(r = archive_data(&arc, &d, &k)) && k)
		got += k;
	CHECK_INT(r, 0);
	CHECK_INT((int)got, 0);
	CHECK_INT(archive_next(&arc, &ent), 1);
	CHECK_STR(ent.path, "hidden");
}

static void broken_archives(void)
{
	char tar[700], dir[700];
	uint8_t *p, *c;
	size_t n, cut, end, step;
	int wrong = 0;
	struct result r;

	snprintf(tar, sizeof(tar), "%s/pax.tar", top);
	p = slurp(tar, &n);
	c = malloc(n);
	/* Every cut before the end marker must fail: data may be missing. */
	end = n;
	while (end > 0 && !p[end - 1])
		end--;
	end = (end + 511) / 512 * 512 + 512;
	step = end / 50 | 1;
	TEST("truncated tar archives are refused (%zu cuts)", end / step);
	for (cut = 0; cut < end; cut += step) {
		snprintf(dir, sizeof(dir), "%s/cut", top);
		sh("rm -rf '%s' && mkdir '%s'", dir, dir);
		r = unpack_mem(p, cut, dir, 0);
		wrong += !r.rc;
	}
	CHECK_INT(wrong, 0);
	TEST("corrupted tar headers are refused, or read without harm");
	snprintf(dir, sizeof(dir), "%s/flip", top);
	sh("mkdir '%s'", dir);
	CHECK(flipped_refusals(p, c, n, dir, 29, 0x5a) > 0);
	TEST("not an archive");
	memset(c, 'x', n);
	r = unpack_mem(c, n, top, 0);
	CHECK_INT(r.rc, -EINVAL);
	CHECK(r.why && strstr(r.why, "neither"));
	free(p);
	free(c);
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	make_tree(top);
	ustar_prefix();
	format("pax", false, 0);
	format("pax", false, 777);
	format("gnu", false, 0);
	format("pax", true, 0);
	format("gnu", true, 333);
	hostile_archives();
	no_hang();
	hard_link_data();
	huge_sizes();
	dir_data();
	broken_archives();
	if (!getenv("KEEP_WORK"))
		sh("rm -rf '%s'", top);
	return check_failed;
}
