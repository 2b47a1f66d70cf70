/*
 * fuzz-modparse: the readers of depmod's files and the alias glob. The
 * input is a query (a modalias or module name) up to the first newline,
 * then a file (modules.dep, modules.alias or modules.builtin), kept in a
 * buffer of its exact size without a NUL so an over-read is caught.
 * Patterns without '[' or '\' must match exactly as fnmatch(3) does; the
 * alias index must match as the text does.
 */
#include "fuzz.h"
#include "modules/modparse.h"

#include <errno.h>
#include <fnmatch.h>
#include <string.h>

static const char *buf_lo;
static size_t buf_n;

static int check_name(const char *name, void *ctx)
{
	(void)ctx;
	FUZZ_CHECK(fuzz_terminated(name, MODNAME_MAX), "alias module name not terminated");
	FUZZ_CHECK(*name && !strchr(name, '-'), "bad module name '%s'", name);
	return 0;
}

static int inside(const char *p, size_t n)
{
	return p >= buf_lo && n <= buf_n && (size_t)(p - buf_lo) <= buf_n - n;
}

static void check_dep(const char *q)
{
	struct moddep d;
	const char *p;
	size_t off, pos = 0, n;
	char name[MODNAME_MAX];

	if (moddep_find(buf_lo, buf_n, q, &d, &off))
		return;
	FUZZ_CHECK(off < buf_n, "offset %zu past %zu", off, buf_n);
	FUZZ_CHECK(inside(d.path, d.path_len) && inside(d.deps, d.deps_len), "line outside");
	FUZZ_CHECK(!modname_from_path(d.path, d.path_len, name, sizeof(name)),
		   "found a line that names no module");
	while (moddep_next(&d, &pos, &p, &n)) {
		FUZZ_CHECK(n > 0 && inside(p, n), "dependency outside the line");
		FUZZ_CHECK(p >= d.deps && p + n <= d.deps + d.deps_len, "dependency past the line");
	}
}

static void check_lines(void)
{
	const char *line;
	size_t pos = 0, n, total = 0, lines = 0;

	while (text_line(buf_lo, buf_n, &pos, &line, &n)) {
		FUZZ_CHECK(inside(line, n), "line outside the buffer");
		total += n;
		lines++;
	}
	FUZZ_CHECK(total + lines >= buf_n && total <= buf_n, "lines do not cover the buffer");
}

/* The alias index: inside the buffer, and the same matches as the text. */
static char text_hits[4096], index_hits[4096];

static int record(const char *name, void *ctx)
{
	char *out = ctx;
	size_t used = strlen(out);

	if (used + strlen(name) + 2 < sizeof(text_hits)) {
		strcpy(out + used, name);
		strcat(out, ",");
	}
	return 0;
}

static void check_index(const char *q)
{
	static struct modalias_entry e[256];
	size_t n = modalias_index(buf_lo, buf_n, e, 256), i;

	if (n > 256)
		return;
	for (i = 0; i < n; i++)
		FUZZ_CHECK(inside(e[i].pat, e[i].pat_len) && inside(e[i].mod, e[i].mod_len),
			   "alias entry outside the buffer");
	text_hits[0] = index_hits[0] = '\0';
	modalias_each(buf_lo, buf_n, q, record, text_hits);
	modalias_each_entry(e, n, q, record, index_hits);
	FUZZ_CHECK(!strcmp(text_hits, index_hits), "index matched '%s', the text '%s'", index_hits,
		   text_hits);
}

static void check_glob(const char *q)
{
	size_t n = buf_n < 64 ? buf_n : 64;
	char pat[65];
	bool ours;

	ours = glob_match(buf_lo, n, q);
	if (memchr(buf_lo, '\0', n) || memchr(buf_lo, '[', n) || memchr(buf_lo, '\\', n))
		return;
	memcpy(pat, buf_lo, n);
	pat[n] = '\0';
	FUZZ_CHECK(ours == !fnmatch(pat, q, 0), "glob '%s' on '%s': ours %d, fnmatch %d", pat, q,
		   ours, !fnmatch(pat, q, 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t qn = nl ? (size_t)(nl - data) : size;
	char *q, *file;

	if (qn > 512)
		return 0;
	q = fuzz_string(data, qn, qn);
	buf_n = size - qn - (nl ? 1 : 0);
	file = malloc(buf_n ? buf_n : 1);
	if (!file)
		abort();
	memcpy(file, data + size - buf_n, buf_n);
	buf_lo = file;

	check_lines();
	check_dep(q);
	modalias_each(buf_lo, buf_n, q, check_name, NULL);
	check_index(q);
	(void)modbuiltin_has(buf_lo, buf_n, q);
	check_glob(q);
	free(file);
	free(q);
	return 0;
}
