/* device-mapper: the crypt and verity table strings and the DM_TABLE_LOAD buffer's layout. */
#include "check.h"
#include "dm/dm.h"

#include <errno.h>
#include <stdint.h>

static const uint8_t key[4] = { 0x00, 0x1f, 0xa0, 0xff };

static void crypt_strings(void)
{
	char buf[256], small[24];
	size_t i;
	int zero = 1;

	TEST("crypt: cipher, key in hex, iv offset, device, offset");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-xts-plain64", key, sizeof(key), 0,
				  "/dev/vda2", 32768, NULL), 0);
	CHECK_STR(buf, "aes-xts-plain64 001fa0ff 0 /dev/vda2 32768");

	TEST("crypt: flags counted, one word or several");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-cbc-essiv:sha256", key, 2, 7, "8:3", 4096,
				  "allow_discards"), 0);
	CHECK_STR(buf, "aes-cbc-essiv:sha256 001f 7 8:3 4096 1 allow_discards");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-xts-plain64", key, 1, 0, "/dev/vda", 0,
				  "allow_discards sector_size:4096 no_read_workqueue"), 0);
	CHECK_STR(buf, "aes-xts-plain64 00 0 /dev/vda 0 3 allow_discards sector_size:4096 no_read_workqueue");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-xts-plain64", key, 1, 0, "/dev/vda", 0,
				  ""), 0);
	CHECK_STR(buf, "aes-xts-plain64 00 0 /dev/vda 0");

	TEST("crypt: no key is \"-\"");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "cipher_null-ecb", NULL, 0, 0, "/dev/vda", 0,
				  NULL), 0);
	CHECK_STR(buf, "cipher_null-ecb - 0 /dev/vda 0");

	TEST("crypt: flags with stray spaces would miscount: refused");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-xts-plain64", key, 1, 0, "/dev/vda", 0,
				  "a  b"), -EINVAL);
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes-xts-plain64", key, 1, 0, "/dev/vda", 0,
				  " a"), -EINVAL);

	TEST("crypt: a space in the cipher or device, or none given, is refused");
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes xts", key, 1, 0, "/dev/vda", 0, NULL),
		  -EINVAL);
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "aes", key, 1, 0, "/dev/v da", 0, NULL),
		  -EINVAL);
	CHECK_INT(dm_crypt_params(buf, sizeof(buf), "", key, 1, 0, "/dev/vda", 0, NULL), -EINVAL);

	TEST("crypt: too small a buffer is refused, never cut, and holds no key after");
	CHECK_INT(dm_crypt_params(small, sizeof(small), "aes-xts-plain64", key, 4, 0, "/dev/vda",
				  0, NULL), -ENOSPC);
	for (i = 0; i < sizeof(small); i++)
		zero &= small[i] == 0;
	CHECK(zero);
	/* 42 characters: 43 bytes fit, 42 do not; 17 more for the flag. */
	CHECK_INT(dm_crypt_params(buf, 42, "aes-xts-plain64", key, 4, 0, "/dev/vda2", 32768, NULL),
		  -ENOSPC);
	CHECK_INT(dm_crypt_params(buf, 43, "aes-xts-plain64", key, 4, 0, "/dev/vda2", 32768, NULL),
		  0);
	CHECK_INT(dm_crypt_params(buf, 59, "aes-xts-plain64", key, 4, 0, "/dev/vda2", 32768,
				  "allow_discards"), -ENOSPC);
	CHECK_INT(dm_crypt_params(buf, 60, "aes-xts-plain64", key, 4, 0, "/dev/vda2", 32768,
				  "allow_discards"), 0);
}

static void verity_strings(void)
{
	static const uint8_t digest[4] = { 0xde, 0xad, 0xbe, 0xef }, salt[2] = { 0x01, 0x02 };
	struct verity_table v = { 1, "254:1", "254:2", 4096, 4096, 300, 1, "sha256", digest, 4,
				  salt, 2, NULL };
	char buf[256];

	TEST("verity: the table line as verity.rst lists it");
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), 0);
	CHECK_STR(buf, "1 254:1 254:2 4096 4096 300 1 sha256 deadbeef 0102");

	TEST("verity: no salt is \"-\"; flags counted");
	v.salt_len = 0;
	v.flags = "ignore_zero_blocks check_at_most_once";
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), 0);
	CHECK_STR(buf, "1 254:1 254:2 4096 4096 300 1 sha256 deadbeef - 2 ignore_zero_blocks check_at_most_once");

	TEST("verity: format 0, large counts");
	v.format = 0;
	v.flags = NULL;
	v.data_blocks = 4294967296ULL * 3;
	v.hash_start = 4294967297ULL;
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), 0);
	CHECK_STR(buf, "0 254:1 254:2 4096 4096 12884901888 4294967297 sha256 deadbeef -");

	TEST("verity: refused: format 2, no digest, a space in a device, a short buffer");
	v.format = 2;
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), -EINVAL);
	v.format = 1;
	v.digest_len = 0;
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), -EINVAL);
	v.digest_len = 4;
	v.data_dev = "/dev/a b";
	CHECK_INT(dm_verity_params(buf, sizeof(buf), &v), -EINVAL);
	v.data_dev = "254:1";
	CHECK_INT(dm_verity_params(buf, 20, &v), -ENOSPC);
}

static uint32_t u32_at(const char *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static uint64_t u64_at(const char *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static void layout(void)
{
	static union {
		uint64_t align;
		char b[DM_TABLE_BUF_MAX];
	} u;
	struct dm_target t[2] = { { 0, 2400, "verity", "1 8:1 8:2 4096 4096 300 1 sha256 ab -" },
				  { 2400, 16, "linear", "8:3 0" } };
	char big[DM_PARAMS_MAX + 1];
	long len;
	size_t first = 312 + ((40 + strlen(t[0].params) + 1 + 7) & ~(size_t)7);

	TEST("layout: the header (interface 4, sizes, count, read-only, name)");
	len = dm_table_layout(u.b, sizeof(u.b), "root", t, 2, true);
	CHECK_INT(len, first + ((40 + strlen(t[1].params) + 1 + 7) & ~(size_t)7));
	CHECK_INT(u32_at(u.b, 0), 4);
	CHECK_INT(u32_at(u.b, 12), len);	/* data_size */
	CHECK_INT(u32_at(u.b, 16), 312);	/* data_start */
	CHECK_INT(u32_at(u.b, 20), 2);		/* target_count */
	CHECK_INT(u32_at(u.b, 28), 1);		/* flags: DM_READONLY_FLAG */
	CHECK_STR(u.b + 48, "root");		/* name */

	TEST("layout: each spec, its parameters after it, the next one 8-byte aligned");
	CHECK_INT(u64_at(u.b, 312), 0);
	CHECK_INT(u64_at(u.b, 320), 2400);
	CHECK_INT(u32_at(u.b, 332), first - 312);	/* next: from this spec */
	CHECK_INT((first - 312) % 8, 0);
	CHECK_STR(u.b + 336, "verity");
	CHECK_STR(u.b + 352, t[0].params);
	CHECK_INT(u64_at(u.b, first), 2400);
	CHECK_INT(u64_at(u.b, first + 8), 16);
	CHECK_STR(u.b + first + 24, "linear");
	CHECK_STR(u.b + first + 40, "8:3 0");
	CHECK_INT(u32_at(u.b, first + 20) % 8, 0);

	TEST("layout: writable when asked");
	CHECK(dm_table_layout(u.b, sizeof(u.b), "root", t, 1, false) > 0);
	CHECK_INT(u32_at(u.b, 28), 0);
	CHECK_INT(u32_at(u.b, 20), 1);

	TEST("layout: refused: no target, no name, a long type or parameters, no room");
	CHECK_INT(dm_table_layout(u.b, sizeof(u.b), "root", t, 0, true), -EINVAL);
	CHECK_INT(dm_table_layout(u.b, sizeof(u.b), "", t, 1, true), -EINVAL);
	t[1].type = "a-type-of-16-chr";
	CHECK_INT(dm_table_layout(u.b, sizeof(u.b), "root", t, 2, true), -EINVAL);
	t[1].type = "linear";
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	t[1].params = big;
	CHECK_INT(dm_table_layout(u.b, sizeof(u.b), "root", t, 2, true), -EINVAL);
	t[1].params = "8:3 0";
	CHECK_INT(dm_table_layout(u.b, first, "root", t, 2, true), -ENOSPC);
	CHECK_INT(dm_table_layout(u.b, 100, "root", t, 1, true), -ENOSPC);
	memset(big, 'n', 128);
	big[128] = '\0';
	CHECK_INT(dm_table_layout(u.b, sizeof(u.b), big, t, 1, true), -EINVAL);
}

int main(void)
{
	crypt_strings();
	verity_strings();
	layout();
	return check_failed;
}
