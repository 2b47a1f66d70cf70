/*
 * fuzz-fmt: fmt_buf() with fuzzed arguments, fuzzed buffer sizes and a
 * fixed set of formats (a fuzzed format with varargs would only test the
 * fuzzer). For the conversions fmt_buf implements its output must be
 * snprintf's, cut at size - 1; for the others, only bounds are checked.
 *
 * Input: [0] buffer size, [1] which format, [2..9] a number (LE),
 * then two strings separated by a NUL byte.
 */
#include "fuzz.h"
#include "base/log.h"

#include <string.h>

/* The odd formats are on purpose. */
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-extra-args"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"

struct args {
	char *buf, *ref;
	size_t size, refsz;
	const char *what;
	int exact;		/* compare with snprintf */
};

static void compare(const struct args *a, size_t n, int r)
{
	size_t want;

	FUZZ_CHECK(r >= 0 && (size_t)r < a->refsz, "snprintf gave %d", r);
	if (!a->size) {
		FUZZ_CHECK(n == 0, "%s: size 0 but returned %zu", a->what, n);
		return;
	}
	FUZZ_CHECK(n < a->size, "%s: returned %zu for a %zu-byte buffer",
		   a->what, n, a->size);
	FUZZ_CHECK(a->buf[n] == '\0', "%s: not terminated at %zu", a->what, n);
	if (!a->exact)
		return;
	want = (size_t)r < a->size - 1 ? (size_t)r : a->size - 1;
	FUZZ_CHECK(n == want, "%s: length %zu, snprintf says %zu", a->what, n,
		   want);
	FUZZ_CHECK(!memcmp(a->buf, a->ref, n),
		   "%s: output differs from snprintf:\n  fmt_buf:  '%.*s'\n  snprintf: '%.*s'",
		   a->what, (int)n, a->buf, (int)n, a->ref);
}

/* Both formatters, same format and arguments. */
#define TRY(a, ...)                                                           \
	do {                                                                  \
		size_t n_;                                                    \
		int r_;                                                       \
		(a)->what = #__VA_ARGS__;                                     \
		n_ = fmt_buf((a)->buf, (a)->size, __VA_ARGS__);               \
		r_ = snprintf((a)->ref, (a)->refsz, __VA_ARGS__);             \
		compare((a), n_, r_);                                         \
	} while (0)

/* Formats outside the implemented subset: bounds only. */
#define TRY_ODD(a, ...)                                                       \
	do {                                                                  \
		size_t n_;                                                    \
		(a)->what = #__VA_ARGS__;                                     \
		(a)->exact = 0;                                               \
		n_ = fmt_buf((a)->buf, (a)->size, __VA_ARGS__);               \
		compare((a), n_, 0);                                          \
		(a)->exact = 1;                                               \
	} while (0)

static void one(struct args *a, unsigned which, uint64_t v, const char *s1,
		const char *s2)
{
	switch (which % 26) {
	case 0: TRY(a, "%s", s1); break;
	case 1: TRY(a, "[%s]", s1); break;
	case 2: TRY(a, "%s%s", s1, s2); break;
	case 3: TRY(a, "%s=%s\n", s1, s2); break;
	case 4: TRY(a, "%c%c", (int)(char)v, (int)(char)(v >> 8)); break;
	case 5: TRY(a, "%d", (int)v); break;
	case 6: TRY(a, "%i|%u", (int)v, (unsigned int)(v >> 32)); break;
	case 7: TRY(a, "%x %o", (unsigned int)v, (unsigned int)(v >> 32)); break;
	case 8: TRY(a, "%ld", (long)v); break;
	case 9: TRY(a, "%lu %lx", (unsigned long)v, (unsigned long)v); break;
	case 10: TRY(a, "%lld", (long long)v); break;
	case 11: TRY(a, "%llu/%llx/%llo", (unsigned long long)v,
		     (unsigned long long)v, (unsigned long long)v); break;
	case 12: TRY(a, "%zu %zx", (size_t)v, (size_t)v); break;
	case 13: TRY(a, "100%% %s", s1); break;
	case 14: TRY(a, "%s: %d (%x) %c", s1, (int)v, (unsigned int)v,
		     (int)(char)(v >> 16)); break;
	case 15: TRY(a, "<%d>handoff: %s%s", (int)(v % 8), s1, s2); break;
	case 16: TRY(a, "%s %s %s %s", s1, s2, s1, s2); break;
	case 17: TRY(a, "%s|%s", (const char *)NULL, s1); break;
	case 18: TRY(a, "%ld ms %s", (long)(int32_t)v, s2); break;
	case 19: TRY(a, "%i%i%i", (int)(int8_t)v, (int)(int16_t)v, (int)(v >> 40)); break;
	/*
	 * Not implemented: printed as they stand and take no argument, so
	 * only the %s after them takes one (the arguments passed here are the
	 * ones fmt_buf reads, not the ones printf would).
	 */
	case 20: TRY_ODD(a, "%5d %s", s1); break;
	case 21: TRY_ODD(a, "%.*s|%s", s2); break;
	case 22: TRY_ODD(a, "%q%s%", s1); break;
	case 23: TRY_ODD(a, "%-s%#x%p"); break;
	case 24: TRY_ODD(a, "%l%z%ll"); break;
	default: TRY_ODD(a, "%s%", s2); break;
	}
}

/*
 * fmt_printable: bounded and terminated, no control byte in the output, and
 * when the escaped text fits, exactly it (a reference escaper, written out).
 */
static void printable(const struct args *a, const char *s)
{
	size_t n = fmt_printable(a->buf, a->size, s), full = 0, i;

	if (!a->size) {
		FUZZ_CHECK(n == 0, "fmt_printable: size 0 but returned %zu", n);
		return;
	}
	FUZZ_CHECK(n < a->size && a->buf[n] == '\0', "fmt_printable: %zu for %zu bytes", n,
		   a->size);
	for (i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)a->buf[i] >= 0x20 && a->buf[i] != 0x7f,
			   "fmt_printable: control byte 0x%02x at %zu", (unsigned char)a->buf[i], i);
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			a->ref[full++] = (char)c;
		else
			full += (size_t)snprintf(a->ref + full, 5, "\\x%02x", c);
	}
	if (full < a->size)
		FUZZ_CHECK(n == full && !memcmp(a->buf, a->ref, n),
			   "fmt_printable: '%.*s', want '%.*s'", (int)n, a->buf, (int)full, a->ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t big[] = { 1024, 4096 };
	struct args a = { 0 };
	unsigned which;
	uint64_t v = 0;
	char *strs, *s1, *s2, *nul;
	size_t rest, i;

	if (size < 10)
		return 0;
	which = data[1];
	for (i = 0; i < 8; i++)
		v |= (uint64_t)data[2 + i] << (8 * i);
	rest = size - 10;
	strs = malloc(rest + 2);
	if (!strs)
		abort();
	memcpy(strs, data + 10, rest);
	strs[rest] = strs[rest + 1] = '\0';
	s1 = strs;
	nul = memchr(strs, 0, rest + 1);
	s2 = nul + 1;

	a.exact = 1;
	a.refsz = 4 * rest + 512;
	a.ref = malloc(a.refsz);
	if (!a.ref)
		abort();
	/* the fuzzed size, exactly allocated so ASan sees an overflow */
	for (i = 0; i < 3; i++) {
		a.size = i ? big[i - 1] : data[0];
		a.buf = malloc(a.size);
		if (!a.buf && a.size)
			abort();
		one(&a, which, v, s1, s2);
		printable(&a, s1);
		free(a.buf);
	}
	free(a.ref);
	free(strs);
	return 0;
}
