/*
 * A minimal harness for host-built unit tests: each CHECK prints one
 * "ok NAME" or "not ok NAME: why" line (counted by tests/run); main()
 * returns nonzero when any failed.
 */
#ifndef HANDOFF_CHECK_H
#define HANDOFF_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed;
static char check_name[256];

/* Names the checks that follow, printf-style. */
#define TEST(...) snprintf(check_name, sizeof(check_name), __VA_ARGS__)

#define CHECK(cond) check_report(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)

static inline void check_report(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		printf("ok %s: %s\n", check_name, what);
		return;
	}
	printf("not ok %s: %s (%s:%d)\n", check_name, what, file, line);
	check_failed = 1;
}

static inline void check_str(const char *got, const char *want, const char *what,
			     const char *file, int line)
{
	if ((!got && !want) || (got && want && !strcmp(got, want))) {
		printf("ok %s: %s == \"%s\"\n", check_name, what, want ? want : "(null)");
		return;
	}
	printf("not ok %s: %s is \"%s\", want \"%s\" (%s:%d)\n", check_name, what,
	       got ? got : "(null)", want ? want : "(null)", file, line);
	check_failed = 1;
}

static inline void check_int(long long got, long long want, const char *what,
			     const char *file, int line)
{
	if (got == want) {
		printf("ok %s: %s == %lld\n", check_name, what, want);
		return;
	}
	printf("not ok %s: %s is %lld, want %lld (%s:%d)\n", check_name, what, got, want,
	       file, line);
	check_failed = 1;
}

#endif
