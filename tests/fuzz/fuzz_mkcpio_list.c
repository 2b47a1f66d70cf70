/*
 * fuzz-mkcpio_list: the list parser of tools/cpiolist.c (the keyword
 * handlers behind cpiolist_read_stream()), then the archive writer on what
 * it accepted. The list comes from the fuzz input (fmemopen); its file
 * locations are looked up inside a scratch directory made at start-up
 * (the fuzzer never opens the host's files or devices; "/dev/null" stands
 * for every device); its messages about bad lines go to /dev/null (unless
 * FUZZ_VERBOSE is set in the environment). Then the archive is written to
 * a memfd and read back as newc.
 */
#include "../../tools/cpiolist.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define LIST_NAME "<fuzz>"

static char sandbox[256];
static int sandbox_fd = -1;
static int out_fd = -1;
static FILE *fuzz_null;

static int fuzz_open(const char *path, int flags)
{
	const char *rel = path;

	FUZZ_CHECK((flags & O_ACCMODE) == O_RDONLY && !(flags & O_CREAT),
		   "mkcpio opened '%s' for writing", path);
	while (*rel == '/')
		rel++;
	if (strstr(rel, "..")) {
		errno = ENOENT;
		return -1;
	}
	if (!strcmp(rel, "dev/null"))
		return openat(AT_FDCWD, "/dev/null", flags);
	return openat(sandbox_fd, *rel ? rel : ".", flags);
}

static void put_file(const char *name, size_t len)
{
	int fd = openat(sandbox_fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[4096];
	size_t i, n;

	if (fd < 0)
		abort();
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		if (write(fd, buf, n) != (ssize_t)n)
			abort();
		len -= n;
	}
	close(fd);
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void cleanup(void)
{
	if (sandbox[0])
		nftw(sandbox, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(sandbox, sizeof(sandbox), "%s/fuzz-mkcpio.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(sandbox))
		abort();
	atexit(cleanup);
	sandbox_fd = openat(AT_FDCWD, sandbox, O_RDONLY | O_DIRECTORY);
	if (sandbox_fd < 0)
		abort();
	/* the files a list may name: /init, /bin/busybox, ... */
	put_file("init", 3000);
	put_file("empty", 0);
	put_file("big", CPIOLIST_BUF + 4321);
	mkdirat(sandbox_fd, "bin", 0755);
	put_file("bin/busybox", 777);
	mkdirat(sandbox_fd, "dir", 0755);
	mkfifoat(sandbox_fd, "fifo", 0644);
	symlinkat("init", sandbox_fd, "link");
	symlinkat("nowhere", sandbox_fd, "dangling");
	setenv("INIT", "/init", 1);
	setenv("FUZZDIR", "/bin", 1);
	/* FUZZ_VERBOSE=1 shows mkcpio's messages (to see why a list fails) */
	fuzz_null = getenv("FUZZ_VERBOSE") ? stderr : fopen("/dev/null", "w");
	out_fd = memfd_create("fuzz-cpio", MFD_CLOEXEC);
	if (!fuzz_null || out_fd < 0)
		abort();
	return 0;
}

/* What the list parser accepted must make sense as an archive. */
static void check_entries(const struct cpiolist *es)
{
	size_t i, j;

	for (i = 0; i < es->n; i++) {
		const struct cpiolist_entry *e = &es->v[i];
		const char *slash = strrchr(e->name, '/');
		uint32_t type = e->mode & S_IFMT;

		FUZZ_CHECK(e->name[0] && e->name[0] != '/' &&
				   strlen(e->name) <= NEWC_NAME_MAX,
			   "bad stored name '%s'", e->name);
		FUZZ_CHECK(!strstr(e->name, "//") &&
				   e->name[strlen(e->name) - 1] != '/',
			   "empty component in '%s'", e->name);
		FUZZ_CHECK(cpiolist_lookup(es, e->name) == e, "'%s' twice", e->name);
		FUZZ_CHECK(type == S_IFREG || type == S_IFDIR ||
				   type == S_IFCHR || type == S_IFBLK ||
				   type == S_IFLNK || type == S_IFIFO ||
				   type == S_IFSOCK,
			   "'%s': mode %o", e->name, e->mode);
		FUZZ_CHECK(e->nlink >= 1 && e->ino >= NEWC_FIRST_INO &&
				   e->ino < es->next_ino,
			   "'%s': nlink %u ino %u", e->name, e->nlink, e->ino);
		FUZZ_CHECK(e->rmajor <= NEWC_MAJOR_MAX && e->rminor <= NEWC_MINOR_MAX,
			   "'%s': rdev %u:%u", e->name, e->rmajor, e->rminor);
		if (type == S_IFLNK)
			FUZZ_CHECK(e->data && e->size == strlen(e->data) &&
					   e->size && e->size <= NEWC_TARGET_MAX,
				   "'%s': bad symlink target", e->name);
		else if (type != S_IFREG)
			FUZZ_CHECK(!e->data && !e->size, "'%s': data", e->name);
		if (slash) {
			/* the parent is a directory defined before it */
			for (j = 0; j < i; j++)
				if (!strncmp(es->v[j].name, e->name,
					     (size_t)(slash - e->name)) &&
				    !es->v[j].name[slash - e->name])
					break;
			FUZZ_CHECK(j < i && S_ISDIR(es->v[j].mode),
				   "'%s' has no directory before it", e->name);
		}
	}
}

static uint32_t hex8(const char *p)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = p[i];

		FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'),
			   "header field is not lowercase hex");
		v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : c - 'a' + 10);
	}
	return v;
}

/* Reads the archive back: one newc record per entry, then the trailer. */
static void check_archive(const struct cpiolist *es, size_t len)
{
	char *a = mmap(NULL, len, PROT_READ, MAP_SHARED, out_fd, 0);
	size_t off = 0, i;

	FUZZ_CHECK(a != MAP_FAILED, "mmap of the archive");
	for (i = 0; i <= es->n; i++) {
		const struct cpiolist_entry *e = i < es->n ? &es->v[i] : NULL;
		const char *name = e ? e->name : "TRAILER!!!";
		uint32_t namesize, filesize;

		FUZZ_CHECK(off % 4 == 0 && len - off >= NEWC_HDR_LEN,
			   "record %zu: header at %zu of %zu", i, off, len);
		FUZZ_CHECK(!memcmp(a + off, NEWC_MAGIC, 6), "record %zu: magic",
			   i);
		namesize = hex8(a + off + 94);
		filesize = hex8(a + off + 54);
		FUZZ_CHECK(namesize == strlen(name) + 1 &&
				   len - off - NEWC_HDR_LEN >= namesize &&
				   !memcmp(a + off + NEWC_HDR_LEN, name, namesize),
			   "record %zu: name is not '%s'", i, name);
		if (e) {
			FUZZ_CHECK(hex8(a + off + 6) == e->ino &&
					   hex8(a + off + 14) == e->mode &&
					   hex8(a + off + 38) == e->nlink &&
					   filesize == e->size &&
					   hex8(a + off + 78) == e->rmajor &&
					   hex8(a + off + 86) == e->rminor,
				   "record %zu ('%s'): header fields", i, name);
		}
		off += (NEWC_HDR_LEN + namesize + 3) & ~3UL;
		FUZZ_CHECK(len - off >= filesize, "record %zu: data cut", i);
		if (e && S_ISLNK(e->mode))
			FUZZ_CHECK(!memcmp(a + off, e->data, filesize),
				   "record %zu: symlink target", i);
		off += ((size_t)filesize + 3) & ~3UL;
	}
	FUZZ_CHECK(off == len, "%zu bytes after the trailer", len - off);
	munmap(a, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpiolist es;
	int werr = 0, r;
	off_t len;
	FILE *fp = fmemopen((void *)data, size, "r");

	FUZZ_CHECK(fp, "fmemopen: %s", strerror(errno));
	cpiolist_init(&es);
	es.msgs = fuzz_null;
	es.open_file = fuzz_open;
	r = cpiolist_read_stream(&es, fp, LIST_NAME);
	fclose(fp);
	FUZZ_CHECK(r == 0 || r == -EINVAL, "cpiolist_read_stream returned %d", r);
	check_entries(&es);
	if (!r) {
		FUZZ_CHECK(!ftruncate(out_fd, 0) && !lseek(out_fd, 0, SEEK_SET),
			   "reset the memfd");
		r = cpiolist_write(&es, out_fd, 0, &werr);
		FUZZ_CHECK(!r && !werr, "cpiolist_write: %d (write error %d)", r,
			   werr);
		len = lseek(out_fd, 0, SEEK_CUR);
		FUZZ_CHECK(len > 0, "empty archive");
		check_archive(&es, (size_t)len);
	}
	cpiolist_free(&es);
	return 0;
}
