/*
 * Helpers for the archive tests: memory byte sources, a scratch directory,
 * hand-made tar entries for hostile cases, and unpacking a whole archive
 * as the init does (archive -> unpack).
 */
#ifndef HANDOFF_ARC_UTIL_H
#define HANDOFF_ARC_UTIL_H

#include "layers/archive.h"
#include "layers/inflate.h"
#include "layers/unpack.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mem_src {
	const uint8_t *p;
	size_t n, pos, chunk;	/* chunk: at most this much per read (odd sizes test refills) */
};

static inline int mem_read(void *ctx, uint8_t *buf, size_t n, size_t *got)
{
	struct mem_src *m = ctx;
	size_t k = m->n - m->pos;

	if (k > n)
		k = n;
	if (m->chunk && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	*got = k;
	return 0;
}

static inline int gz_src_read(void *ctx, uint8_t *buf, size_t n, size_t *got)
{
	return gunzip_read(ctx, buf, n, got);
}

/* Reads a whole file into memory (malloc'd); exits on failure. */
static inline uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	p = malloc((size_t)len + 1);
	if (!p || fread(p, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*n = (size_t)len;
	return p;
}

static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/*
 * An alarm that interrupts a blocked open() (no SA_RESTART) instead of
 * killing the test: a FIFO opened for writing must fail, not hang.
 */
static void arc_alarm(int sig)
{
	(void)sig;
}

static inline void no_hang(void)
{
	struct sigaction sa = { .sa_handler = arc_alarm };

	sigaction(SIGALRM, &sa, NULL);
}

/* --- hand-made tar ------------------------------------------------------ */

struct tarbuf {
	uint8_t p[1 << 16];
	size_t n;
};

/* Writes the checksum of a header (after a test changed a field). */
static inline void tar_sum(uint8_t *h)
{
	unsigned sum = 0;
	int i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

static inline void tar_add(struct tarbuf *t, const char *name, char type, const char *link,
		    const char *data)
{
	uint8_t *h = t->p + t->n;
	size_t len = data ? strlen(data) : 0;

	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", (unsigned)getuid());
	snprintf((char *)h + 116, 8, "%07o", (unsigned)getgid());
	snprintf((char *)h + 124, 12, "%011o", (unsigned)(len & 07777777));
	snprintf((char *)h + 136, 12, "%011o", 1000000000);
	h[156] = (uint8_t)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257, "ustar\0" "00", 8);
	tar_sum(h);
	t->n += 512;
	if (len) {
		memcpy(t->p + t->n, data, len);
		t->n += (len + 511) / 512 * 512;
	}
}

static inline void tar_end(struct tarbuf *t)
{
	memset(t->p + t->n, 0, 1024);
	t->n += 1024;
}

/* --- unpacking a whole archive ------------------------------------------ */

static struct archive arc;
static struct arc_entry ent;
static struct arena arena;
static struct gunzip gz;
static uint8_t arcbuf[1 << 16];

struct result {
	int rc;			/* 0, or the first error */
	const char *why;	/* the refusal or parse error */
	char entry[ARC_PATH_MAX];
};

/* Unpacks data (gzip or not) into dir, as the init does. */
static inline struct result unpack_mem(const uint8_t *data, size_t n, const char *dir, size_t chunk)
{
	struct mem_src m = { data, n, 0, chunk };
	struct byte_src src = { mem_read, NULL, &m };
	struct result res = { 0, NULL, "" };
	struct unpack u;
	const uint8_t *d;
	size_t k;
	int root, fd, r;

	if (!arena.base && arena_init(&arena, 64 << 20))
		exit(1);
	arena.used = 0;
	gz.why = NULL;
	if (gunzip_magic(data, n)) {
		gunzip_init(&gz, src);
		src = (struct byte_src){ gz_src_read, NULL, &gz };
	}
	r = archive_open(&arc, src, arcbuf, sizeof(arcbuf), &arena);
	if (r) {
		res.rc = r;
		res.why = arc.why;
		return res;
	}
	root = open(dir, O_RDONLY | O_DIRECTORY);
	unpack_init(&u, root, &arena);
	while ((r = archive_next(&arc, &ent)) == 1) {
		snprintf(res.entry, sizeof(res.entry), "%s", ent.path);
		r = unpack_begin(&u, &ent, &fd);
		if (r) {
			res.why = u.why;
			break;
		}
		if (fd < 0)
			continue;
		while (!(r = archive_data(&arc, &d, &k)) && k) {
			r = unpack_write(&u, fd, d, k);
			if (r)
				break;
		}
		if (r) {
			close(fd);
			res.why = arc.why;
			break;
		}
		r = unpack_end(&u, &ent, fd);
		if (r)
			break;
	}
	if (r < 0 && !res.why)
		res.why = gz.why ? gz.why : arc.why;
	unpack_finish(&u);
	close(root);
	res.rc = r < 0 ? r : 0;
	return res;
}

/* --- a tree with one of everything ------------------------------------- */

static char src[600], outside[600];
static const char long_dir[] =
	"a-directory-name-that-is-quite-long-0123456789/and-another-one-that-is-also-long-0123456789/"
	"and-a-third-one-to-pass-the-ustar-limits-0123456789";
static const char long_file[] =
	"a-file-name-longer-than-one-hundred-bytes-which-ustar-cannot-hold-in-its-name-field-alone-0123456789.txt";

/* A tree with one of everything tar can hold. */
static inline void make_tree(const char *top)
{
	bool root = getuid() == 0;


	snprintf(src, sizeof(src), "%s/src", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	sh("mkdir -p '%s/%s' '%s/etc' '%s/usr/lib' '%s' && cd '%s' &&"
	   "printf 'secret\\n' >'%s/passwd' && chmod 600 '%s/passwd' &&"
	   "printf hello >etc/motd && chmod 640 etc/motd &&"
	   "head -c 200000 /dev/urandom >usr/lib/big && chmod 755 usr/lib/big &&"
	   "printf x >usr/lib/suid && chmod 4755 usr/lib/suid &&"
	   "ln usr/lib/big usr/lib/big-link && ln -s usr/lib lib && ln -s /etc/motd etc/abs-link &&"
	   "printf deep >'%s/%s' && mkfifo run-fifo && mkdir -m 700 private &&"
	   "printf '' >empty",
	   src, long_dir, src, src, outside, src, outside, outside, long_dir, long_file);
	if (root)
		sh("cd '%s' && mknod dev-null c 1 3 && mknod dev-sda b 8 0 && chown 1234:5678 etc/motd &&"
		   "chown -h 42:43 lib", src);
	sh("cd '%s' && find . -exec touch -h -d @1234567890 {} +", src);
}

/* A listing of what matters, to compare two trees. */
static inline void listing(const char *dir, char *out, size_t size)
{
	char path[700];
	uint8_t *p;
	size_t n;

	snprintf(path, sizeof(path), "%s.list", dir);
	sh("cd '%s' && find . -mindepth 1 -printf '%%p %%y %%m %%U %%G %%T@ %%n %%s %%l\\n' | "
	   "sed 's/ [0-9]* \\(\\S*\\)$/ \\1/;' | sort >'%s'", dir, path);
	p = slurp(path, &n);
	snprintf(out, size, "%.*s", (int)n, (const char *)p);
	free(p);
}

static inline void same_tree(const char *name, const char *dir)
{
	static char a[1 << 16], b[1 << 16];

	listing(src, a, sizeof(a));
	listing(dir, b, sizeof(b));
	TEST("%s: the unpacked tree is the original (names, types, modes, owners, mtimes, links)", name);
	CHECK(!strcmp(b, a));
	if (strcmp(b, a))
		printf("# want:\n%s# got:\n%s", a, b);
	TEST("%s: file contents", name);
	CHECK_INT(sh("cd '%s' && find . -type f | while read -r f; do cmp -s \"$f\" '%s'/\"$f\" || exit 1; done",
		     src, dir), 0);
}

/*
 * Unpacks copies of the archive p (n bytes, into the scratch buffer c)
 * with the byte at every stride-th offset of the first 4 KiB XORed with
 * mask; returns how many copies were refused. Any copy may be read (the
 * flip may hit file data); none may crash.
 */
static inline int flipped_refusals(const uint8_t *p, uint8_t *c, size_t n, const char *dir,
				   size_t stride, uint8_t mask)
{
	int refusals = 0;
	size_t i;

	for (i = 0; i < n && i < 4096; i += stride) {
		memcpy(c, p, n);
		c[i] ^= mask;
		refusals += unpack_mem(c, n, dir, 0).rc != 0;
	}
	return refusals;
}

/* Unpacks the archive file img into dir and compares the result with src. */
static inline void check_unpacked(const char *name, const char *img, const char *dir, size_t chunk,
				  enum arc_format want)
{
	struct result r;
	uint8_t *p;
	size_t n;

	p = slurp(img, &n);
	r = unpack_mem(p, n, dir, chunk);
	TEST("%s: unpacks", name);
	CHECK_INT(r.rc, 0);
	if (r.rc)
		printf("# %s at %s\n", r.why ? r.why : "?", r.entry);
	TEST("%s: format", name);
	CHECK_INT(arc.format, want);
	same_tree(name, dir);
	free(p);
}

#endif
