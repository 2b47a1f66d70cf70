/* The init's own printf subset, and the number parsers it relies on. */
#include "check.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <limits.h>

/* Odd formats on purpose: the formatter must survive them. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"

int main(void)
{
	char b[64];
	unsigned long u;
	long l;

	TEST("fmt conversions");
	fmt_buf(b, sizeof(b), "%s|%d|%u|%x|%o|%c|%%", "a", -42, 42u, 255u, 8u, 'z');
	CHECK_STR(b, "a|-42|42|ff|10|z|%");
	fmt_buf(b, sizeof(b), "%ld %lu %lld %zu", LONG_MIN, ULONG_MAX, -1LL, (size_t)7);
	CHECK_STR(b, "-9223372036854775808 18446744073709551615 -1 7");
	fmt_buf(b, sizeof(b), "%s", (char *)NULL);
	CHECK_STR(b, "(null)");
	fmt_buf(b, sizeof(b), "%q%");
	CHECK_STR(b, "%q%");

	TEST("fmt truncates safely");
	CHECK_INT(fmt_buf(b, 5, "%s", "abcdefgh"), 4);
	CHECK_STR(b, "abcd");
	CHECK_INT(fmt_buf(b, 1, "x"), 0);
	CHECK_STR(b, "");

	TEST("parse_ulong");
	CHECK_INT(parse_ulong("123", 10, &u), 0);
	CHECK_INT(u, 123);
	CHECK_INT(parse_ulong("0x1F", 16, &u), 0);
	CHECK_INT(u, 31);
	CHECK_INT(parse_ulong("", 10, &u), -EINVAL);
	CHECK_INT(parse_ulong("0x", 16, &u), -EINVAL);
	CHECK_INT(parse_ulong("12a", 10, &u), -EINVAL);
	CHECK_INT(parse_ulong("99999999999999999999999", 10, &u), -ERANGE);

	TEST("parse_long");
	CHECK_INT(parse_long("-5", -10, 10, &l), 0);
	CHECK_INT(l, -5);
	CHECK_INT(parse_long("+5", -10, 10, &l), 0);
	CHECK_INT(l, 5);
	CHECK_INT(parse_long("11", -10, 10, &l), -ERANGE);
	CHECK_INT(parse_long("-9223372036854775808", LONG_MIN, LONG_MAX, &l), 0);
	CHECK_INT(l, LONG_MIN);
	CHECK_INT(parse_long("9223372036854775808", LONG_MIN, LONG_MAX, &l), -ERANGE);
	CHECK_INT(parse_long("--1", -10, 10, &l), -EINVAL);
	CHECK_INT(parse_long("-", -10, 10, &l), -EINVAL);

	TEST("str_copy never overflows");
	CHECK_INT(str_copy(b, "0123456789", 4), -E2BIG);
	CHECK_STR(b, "012");
	CHECK_INT(str_append(b, "abc", 6), -E2BIG);
	CHECK_STR(b, "012ab");
	return check_failed;
}
