/* The init's own printf subset, and the number parsers it relies on. */
#include "check.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>

/* Odd formats on purpose: the formatter must survive them. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"

int main(void)
{
	char b[64], want[64];
	unsigned long u;
	long l;

	TEST("fmt conversions");
	fmt_buf(b, sizeof(b), "%s|%d|%u|%x|%o|%c|%%", "a", -42, 42u, 255u, 8u, 'z');
	CHECK_STR(b, "a|-42|42|ff|10|z|%");
	/* long is 32-bit on arm: the C library says what to expect. */
	fmt_buf(b, sizeof(b), "%ld %lu %lld %zu", LONG_MIN, ULONG_MAX, -1LL, (size_t)7);
	snprintf(want, sizeof(want), "%ld %lu %lld %zu", LONG_MIN, ULONG_MAX, -1LL, (size_t)7);
	CHECK_STR(b, want);
	fmt_buf(b, sizeof(b), "%s", (char *)NULL);
	CHECK_STR(b, "(null)");
	fmt_buf(b, sizeof(b), "%q%");
	CHECK_STR(b, "%q%");

	TEST("fmt truncates safely");
	CHECK_INT(fmt_buf(b, 5, "%s", "abcdefgh"), 4);
	CHECK_STR(b, "abcd");
	CHECK_INT(fmt_buf(b, 1, "x"), 0);
	CHECK_STR(b, "");

	TEST("fmt_printable escapes control characters");
	CHECK_INT(fmt_printable(b, sizeof(b), "a\x1b[2Jb\tc\x7f\xc3\xa9"), 20);
	CHECK_STR(b, "a\\x1b[2Jb\\x09c\\x7f\xc3\xa9");
	CHECK_INT(fmt_printable(b, 6, "ab\x01"), 2);
	CHECK_STR(b, "ab");
	CHECK_INT(fmt_printable(b, 7, "ab\x01"), 6);
	CHECK_STR(b, "ab\\x01");
	CHECK_INT(fmt_printable(b, 1, "x"), 0);
	CHECK_STR(b, "");

	TEST("hex_same: hex letters in either case, nothing else");
	CHECK(hex_same("575112D4-aBcD", "575112d4-AbCd", 13));
	CHECK(hex_same("abcdef12", "ABCDEF12zz", 8));
	CHECK(!hex_same("abcdef12", "abcdef13", 8));
	CHECK(!hex_same("xyz", "XYZ", 3));
	CHECK(!hex_same("ab", "abc", 3));
	CHECK(hex_same("ab", "ab", 8));

	TEST("parse_ulong");
	CHECK_INT(parse_ulong("123", 10, &u), 0);
	CHECK_INT(u, 123);
	CHECK_INT(parse_ulong("0x1F", 16, &u), 0);
	CHECK_INT(u, 31);
	CHECK_INT(parse_ulong("", 10, &u), -EINVAL);
	CHECK_INT(parse_ulong("0x", 16, &u), -EINVAL);
	CHECK_INT(parse_ulong("12a", 10, &u), -EINVAL);
	CHECK_INT(parse_ulong("99999999999999999999999", 10, &u), -ERANGE);
#if ULONG_MAX < ULLONG_MAX
	/* 32-bit long: a 64-bit number is out of range, not cut short. */
	snprintf(want, sizeof(want), "%llu", (unsigned long long)ULONG_MAX + 1);
	CHECK_INT(parse_ulong(want, 10, &u), -ERANGE);
#endif

	TEST("parse_u64: 64 bits on every arch");
	{
		uint64_t v;

		CHECK_INT(parse_u64("18446744073709551615", 10, &v), 0);
		CHECK(v == UINT64_MAX);
		CHECK_INT(parse_u64("18446744073709551616", 10, &v), -ERANGE);
		CHECK_INT(parse_u64("8589934592", 10, &v), 0);
		CHECK(v == 8589934592ULL);
	}

	TEST("parse_long");
	CHECK_INT(parse_long("-5", -10, 10, &l), 0);
	CHECK_INT(l, -5);
	CHECK_INT(parse_long("+5", -10, 10, &l), 0);
	CHECK_INT(l, 5);
	CHECK_INT(parse_long("11", -10, 10, &l), -ERANGE);
	snprintf(want, sizeof(want), "%ld", LONG_MIN);
	CHECK_INT(parse_long(want, LONG_MIN, LONG_MAX, &l), 0);
	CHECK_INT(l, LONG_MIN);
	snprintf(want, sizeof(want), "%lu", (unsigned long)LONG_MAX + 1);
	CHECK_INT(parse_long(want, LONG_MIN, LONG_MAX, &l), -ERANGE);
	CHECK_INT(parse_long("--1", -10, 10, &l), -EINVAL);
	CHECK_INT(parse_long("-", -10, 10, &l), -EINVAL);

	TEST("str_copy never overflows");
	CHECK_INT(str_copy(b, "0123456789", 4), -E2BIG);
	CHECK_STR(b, "012");
	CHECK_INT(str_append(b, "abc", 6), -E2BIG);
	CHECK_STR(b, "012ab");
	return check_failed;
}
