/*
 * Shared by the libFuzzer targets in tests/fuzz/. An invariant that does
 * not hold is a bug: say which one and where, then abort so that libFuzzer
 * keeps the input as a crash artifact.
 */
#ifndef HANDOFF_FUZZ_H
#define HANDOFF_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "\nINVARIANT FAILED at %s:%d: %s\n  ", \
				__FILE__, __LINE__, #cond);                   \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			abort();                                              \
		}                                                             \
	} while (0)

/* A malloc'd NUL-terminated copy of at most max bytes of the input. */
static inline char *fuzz_string(const uint8_t *data, size_t size, size_t max)
{
	char *s;

	if (size > max)
		size = max;
	s = malloc(size + 1);
	if (!s)
		abort();
	for (size_t i = 0; i < size; i++)
		s[i] = (char)data[i];
	s[size] = '\0';
	return s;
}

/* 1 if [p, p + n) holds a NUL byte. */
static inline int fuzz_terminated(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!p[i])
			return 1;
	return 0;
}

/* 1 if p points into [lo, lo + n) and the string there ends before lo + n. */
static inline int fuzz_inside(const char *p, const char *lo, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)lo;

	return a >= b && a < b + n && fuzz_terminated(p, n - (a - b));
}

#endif
