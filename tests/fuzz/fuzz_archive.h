/*
 * Shared by fuzz_tar and fuzz_cpio: reads every entry and all its data
 * from the input (through gunzip when it starts like gzip), with odd read
 * sizes, and checks what the reader promises: strings end within their
 * buffers, data is exactly the size announced, and every failure has a
 * reason. Then walks it again without reading data, skipping it as the
 * fit check does (with a seek when plain): the same entries, the same end.
 * No file is written here: fuzz_unpack drives the writer.
 */
#include "layers/archive.h"
#include "fuzz.h"
#include "fuzz_src.h"

#include <errno.h>
#include <string.h>

static int fuzz_gz_read(void *ctx, uint8_t *buf, size_t n, size_t *got)
{
	return gunzip_read(ctx, buf, n, got);
}

/* Like lseek(SEEK_CUR): past the end is allowed, reads then give 0 bytes. */
static int fuzz_skip(void *ctx, uint64_t n)
{
	struct fuzz_src *m = ctx;

	m->pos = n > m->n - m->pos ? m->n : m->pos + (size_t)n;
	return 0;
}

static struct archive arc;
static struct arc_entry ent;
static struct gunzip gz;
static struct arena arena;
static uint8_t buf[1 << 16];

/* The fit check's walk: entries only, data skipped. */
static int skip_walk(const uint8_t *data, size_t size, uint64_t *entries)
{
	struct fuzz_src m = { data, size, 0, 4093 };
	struct byte_src src = { fuzz_read, fuzz_skip, &m };
	int r;

	arena.used = 0;
	if (gunzip_magic(data, size)) {
		gunzip_init(&gz, (struct byte_src){ fuzz_read, NULL, &m });
		src = (struct byte_src){ fuzz_gz_read, NULL, &gz };
	}
	r = archive_open(&arc, src, buf, sizeof(buf), &arena);
	while (!r && (r = archive_next(&arc, &ent)) == 1)
		r = 0;
	FUZZ_CHECK(r <= 0, "skip walk returned %d", r);
	if (r < 0)
		FUZZ_CHECK(arc.why != NULL, "skip walk failed (%d) without a reason", r);
	*entries = arc.entries;
	return r;
}

static int read_walk(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t read_entries, skip_entries;
	int r = read_walk(data, size), s;

	read_entries = arc.entries;
	s = skip_walk(data, size, &skip_entries);
	FUZZ_CHECK(skip_entries == read_entries && (s < 0) == (r < 0),
		   "skipping data saw %llu entries (%d), reading it %llu (%d)",
		   (unsigned long long)skip_entries, s, (unsigned long long)read_entries, r);
	return 0;
}

/* Every entry and all its data; the result of archive_next() (<= 0), or of archive_data(). */
static int read_walk(const uint8_t *data, size_t size)
{
	struct fuzz_src m = { data, size, 0, 4093 };
	struct byte_src src = { fuzz_read, NULL, &m };
	const uint8_t *p;
	uint64_t got;
	size_t n;
	int r, entries = 0;

	if (!arena.base && arena_init(&arena, 64 << 20))
		abort();
	arena.used = 0;
	if (gunzip_magic(data, size)) {
		gunzip_init(&gz, src);
		src = (struct byte_src){ fuzz_gz_read, NULL, &gz };
	}
	r = archive_open(&arc, src, buf, sizeof(buf), &arena);
	if (r) {
		FUZZ_CHECK(arc.why != NULL, "open failed (%d) without a reason", r);
		return r;
	}
	FUZZ_CHECK(arc.format == ARC_TAR || arc.format == ARC_CPIO, "format %d", arc.format);
	while ((r = archive_next(&arc, &ent)) == 1) {
		FUZZ_CHECK(fuzz_terminated(ent.path, sizeof(ent.path)), "path not terminated");
		FUZZ_CHECK(fuzz_terminated(ent.link, sizeof(ent.link)), "link not terminated");
		FUZZ_CHECK(ent.path[0], "an entry with an empty name");
		FUZZ_CHECK(ent.mode & 0170000, "an entry without a type");
		got = 0;
		while (!(r = archive_data(&arc, &p, &n)) && n) {
			FUZZ_CHECK(p >= buf && p + n <= buf + sizeof(buf), "data outside the buffer");
			got += n;
		}
		if (r)
			break;
		FUZZ_CHECK(got == ent.size, "read %llu bytes of data, announced %llu",
			   (unsigned long long)got, (unsigned long long)ent.size);
		entries++;
	}
	FUZZ_CHECK(r <= 1, "returned %d", r);
	if (r < 0)
		FUZZ_CHECK(arc.why != NULL, "failed (%d) without a reason", r);
	FUZZ_CHECK(arc.entries >= (uint64_t)entries, "entry count");
	return r;
}
