/*
 * The LUKS reader and unlock (init/luks/). With no argument: the JSON
 * reader, the LUKS2 metadata's refusals, AES against FIPS 197 and the
 * crypt table, on text written here. With a directory (tests/unit/luks.sh
 * makes it with cryptsetup): each container NAME.img is read, opened with
 * NAME.pass to the key in NAME.key (cryptsetup's own dump), refused a
 * wrong passphrase, and read again with its primary header damaged and
 * with both damaged.
 */
#include "check.h"
#include "luks/aes.h"
#include "luks/json.h"
#include "luks/luks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static struct luks_volume vol;
static struct json_tok toks[256];

/* ---- the JSON reader ---- */

static int parse(const char *text, struct json_doc *d)
{
	return json_parse(d, text, strlen(text), toks, 256);
}

static void test_json(void)
{
	struct json_doc d;
	char buf[32];
	uint64_t n;
	unsigned int o, k, count;

	TEST("json: a document, its members and values");
	CHECK_INT(parse(" {\"a\": [1, 2, {\"b\": null}], \"s\": \"x\\/y\\u00e9\", \"n\": 18446744073709551615,"
			" \"t\": true, \"big\": 18446744073709551616, \"q\": \"42\"}\n", &d), 0);
	CHECK_INT(d.tok[0].type, JSON_OBJECT);
	CHECK_INT(d.tok[0].count, 6);
	o = json_member(&d, 0, "a");
	CHECK(o && d.tok[o].type == JSON_ARRAY && d.tok[o].count == 3);
	for (count = 0, k = json_first(&d, o); k; k = json_after(&d, o, k))
		count++;
	CHECK_INT(count, 3);
	CHECK_INT(json_string(&d, json_member(&d, 0, "s"), buf, sizeof(buf)), 5);
	CHECK_STR(buf, "x/y\xc3\xa9");
	CHECK(!json_uint(&d, json_member(&d, 0, "n"), &n) && n == UINT64_MAX);
	CHECK_INT(json_uint(&d, json_member(&d, 0, "big"), &n), -ERANGE);
	CHECK(!json_uint_str(&d, json_member(&d, 0, "q"), &n) && n == 42);
	CHECK_INT(json_uint(&d, json_member(&d, 0, "q"), &n), -EINVAL);
	CHECK_INT(json_member(&d, 0, "missing"), 0);
	CHECK_INT(json_string(&d, json_member(&d, 0, "s"), buf, 4), -E2BIG);

	TEST("json: bad text refused with a reason");
	CHECK_INT(parse("{\"a\":1,}", &d), -EINVAL);
	CHECK(d.why != NULL);
	CHECK_INT(parse("{\"a\":1} x", &d), -EINVAL);
	CHECK_INT(parse("{\"a\" 1}", &d), -EINVAL);
	CHECK_INT(parse("[01]", &d), -EINVAL);
	CHECK_INT(parse("[1.]", &d), -EINVAL);
	CHECK_INT(parse("\"a\x01\"", &d), -EINVAL);
	CHECK_INT(parse("\"\\x\"", &d), -EINVAL);
	CHECK_INT(parse("[tru]", &d), -EINVAL);
	CHECK_INT(parse("", &d), -EINVAL);
	CHECK_INT(parse("{\"a\":[}", &d), -EINVAL);
	TEST("json: nesting and size bounds");
	CHECK_INT(parse("[[[[[[[[1]]]]]]]]", &d), 0);
	CHECK_INT(parse("[[[[[[[[[1]]]]]]]]]", &d), -EINVAL);
	CHECK(strstr(d.why, "nested") != NULL);
	CHECK_INT(json_parse(&d, "[1,2,3,4]", 9, toks, 4), -E2BIG);
	TEST("json: a NUL ends the text, as the LUKS2 area's padding does");
	CHECK_INT(json_parse(&d, "{}\0garbage", 10, toks, 4), 0);
}

/* ---- LUKS2 metadata ---- */

/* As cryptsetup 2.6 writes it (luksFormat --sector-size 4096), with room for changes. */
static const char meta[] =
	"{\"keyslots\":{\"0\":{\"type\":\"luks2\",\"key_size\":64,\"af\":{\"type\":\"luks1\",\"stripes\":4000,"
	"\"hash\":\"sha256\"},\"area\":{\"type\":\"raw\",\"offset\":\"32768\",\"size\":\"258048\","
	"\"encryption\":\"aes-xts-plain64\",\"key_size\":64},\"kdf\":{\"type\":\"pbkdf2\",\"hash\":\"sha256\","
	"\"iterations\":1000,\"salt\":\"hVqRY+qonwdI3c5+b5C+TfgZdSq9H9c0TeU4nlb8xJA=\"}}},\"tokens\":{},"
	"\"segments\":{\"0\":{\"type\":\"crypt\",\"offset\":\"16777216\",\"size\":\"dynamic\",\"iv_tweak\":\"0\","
	"\"encryption\":\"aes-xts-plain64\",\"sector_size\":4096}},\"digests\":{\"0\":{\"type\":\"pbkdf2\","
	"\"keyslots\":[\"0\"],\"segments\":[\"0\"],\"hash\":\"sha256\",\"iterations\":1000,"
	"\"salt\":\"x5XCprmLJp2PUt3CRpSRwXGUL2VzfFBHw2JMhlwfETU=\","
	"\"digest\":\"XWn5STXVqX6+bmdB3NLNkbaRWXRE6wLj71P5+GfUjyA=\"}},\"config\":{\"json_size\":\"12288\","
	"\"keyslots_size\":\"16744448\"}}";

/* meta with the first "from" replaced by "to". */
static const char *edit(const char *from, const char *to)
{
	static char out[sizeof(meta) + 256];
	const char *at = strstr(meta, from);

	if (!at)
		return "(edit: not found)";
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(at - meta), meta, to, at + strlen(from));
	return out;
}

/* Refused with e and a reason naming what. */
static void refused(const char *json, int e, const char *what)
{
	int r = luks2_parse_json(json, strlen(json), &vol);

	CHECK_INT(r, e);
	if (!strstr(vol.why, what)) {
		printf("# why: %s\n", vol.why);
		CHECK(strstr(vol.why, what) != NULL);
	}
}

static void test_metadata(void)
{
	TEST("LUKS2 metadata as cryptsetup writes it");
	CHECK_INT(luks2_parse_json(meta, sizeof(meta), &vol), 0);
	CHECK_STR(vol.cipher, "aes-xts-plain64");
	CHECK_INT(vol.sector_size, 4096);
	CHECK_INT(vol.offset, 16777216);
	CHECK(vol.dynamic);
	CHECK_INT(vol.key_size, 64);
	CHECK(vol.slot[0].used && vol.slot[0].kdf == LUKS_KDF_PBKDF2);
	CHECK_INT(vol.slot[0].iterations, 1000);
	CHECK_INT(vol.slot[0].salt_len, 32);
	CHECK_INT(vol.slot[0].area_offset, 32768);
	CHECK_INT(vol.digest[0].digest_len, 32);
	CHECK_INT(vol.digest[0].keyslots, 1);

	TEST("LUKS2 metadata: Argon2id, priority and config flags read");
	CHECK_INT(luks2_parse_json(edit("\"kdf\":{\"type\":\"pbkdf2\",\"hash\":\"sha256\",\"iterations\":1000,",
					"\"priority\":2,\"kdf\":{\"type\":\"argon2id\",\"time\":4,\"memory\":1048576,\"cpus\":2,"),
				   sizeof(meta) + 64, &vol), 0);
	CHECK(vol.slot[0].kdf == LUKS_KDF_ARGON2ID && vol.slot[0].memory == 1048576 &&
	      vol.slot[0].cpus == 2 && vol.slot[0].iterations == 4 && vol.slot[0].priority == 2);
	CHECK_INT(luks2_parse_json(edit("\"keyslots_size\":\"16744448\"",
					"\"keyslots_size\":\"16744448\",\"flags\":[\"allow-discards\",\"no-read-workqueue\"]"),
				   sizeof(meta) + 64, &vol), 0);
	CHECK_INT(vol.flags, LUKS_FLAG_DISCARDS | LUKS_FLAG_NO_READ_WQ);

	TEST("LUKS2 metadata: what cryptsetup does not write is refused by name");
	refused(edit("\"type\":\"luks2\"", "\"type\":\"reencrypt\""), -ENOTSUP,
		"keyslots.0.type \"reencrypt\"");
	refused(edit("\"type\":\"crypt\"", "\"type\":\"linear\""), -ENOTSUP,
		"segments.0.type \"linear\"");
	refused(edit("\"keyslots_size\":\"16744448\"",
		     "\"keyslots_size\":\"16744448\",\"requirements\":{\"mandatory\":[\"online-reencrypt-v2\"]}"),
		-ENOTSUP, "online-reencrypt-v2");
	refused(edit("\"sector_size\":4096", "\"sector_size\":4096,\"integrity\":{\"type\":\"hmac(sha256)\"}"),
		-ENOTSUP, "segments.0.integrity");
	refused(edit("\"type\":\"pbkdf2\",\"hash\"", "\"type\":\"scrypt\",\"hash\""), -ENOTSUP,
		"keyslots.0.kdf.type \"scrypt\"");
	refused(edit("\"iterations\":1000,\"salt\"", "\"iterations\":1000,\"pepper\":1,\"salt\""), -ENOTSUP,
		"keyslots.0.kdf: key \"pepper\"");
	refused(edit("\"stripes\":4000", "\"stripes\":8"), -EINVAL, "keyslots.0.af.stripes");
	refused(edit("\"hash\":\"sha256\"},\"area\"", "\"hash\":\"ripemd160\"},\"area\""), -ENOTSUP,
		"keyslots.0.af.hash \"ripemd160\"");
	refused(edit("\"segments\":[\"0\"]", "\"segments\":[]"), -EINVAL, "no digest names segment 0");
	refused(edit("\"keyslots\":[\"0\"]", "\"keyslots\":[\"5\"]"), -EINVAL, "keyslot 5");
	refused(edit("\"offset\":\"32768\"", "\"offset\":\"0\""), -EINVAL, "keyslots.0.area");
	refused(edit("\"salt\":\"hVqRY", "\"salt\":\"*VqRY"), -EINVAL, "keyslots.0.kdf.salt");
	refused(edit("\"tokens\":{}", "\"tokens\":{},\"extra\":1"), -ENOTSUP, "key \"extra\"");
	refused(edit("{\"0\":{\"type\":\"crypt\"", "{\"1\":{\"type\":\"crypt\""), -ENOTSUP,
		"segments");
	refused(edit("\"encryption\":\"aes-xts-plain64\",\"sector_size\"",
		     "\"encryption\":\"aes xts\",\"sector_size\""), -EINVAL, "segments.0.encryption");
	refused("{\"keyslots\":", -EINVAL, "not JSON");
}

/* ---- AES (FIPS 197, appendix C) ---- */

static void test_aes(void)
{
	static const uint8_t want128[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
					     0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	static const uint8_t want256[16] = { 0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
					     0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89 };
	uint8_t key[32], pt[16], ct[16], back[16];
	struct aes_key k;
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		pt[i] = (uint8_t)(i * 0x11);
	TEST("AES-128 and AES-256, FIPS 197 C.1 and C.3");
	CHECK_INT(aes_setkey(&k, key, 16), 0);
	aes_encrypt(&k, pt, ct);
	CHECK(!memcmp(ct, want128, 16));
	aes_decrypt(&k, ct, back);
	CHECK(!memcmp(back, pt, 16));
	CHECK_INT(aes_setkey(&k, key, 32), 0);
	aes_encrypt(&k, pt, ct);
	CHECK(!memcmp(ct, want256, 16));
	aes_decrypt(&k, ct, back);
	CHECK(!memcmp(back, pt, 16));
	CHECK_INT(aes_setkey(&k, key, 20), -EINVAL);
}

/* ---- keyslot ciphers: IEEE 1619's first XTS vector, and the kernel against the built-in AES ---- */

static void test_ciphers(void)
{
	static const uint8_t xts1[32] = { 0x91, 0x7c, 0xf6, 0x9e, 0xbd, 0x68, 0xb2, 0xec,
					  0x9b, 0x9f, 0xe9, 0xa3, 0xea, 0xdd, 0xa6, 0x92,
					  0xcd, 0x43, 0xd2, 0xf5, 0x95, 0x98, 0xed, 0x85,
					  0x8c, 0x02, 0xc2, 0x65, 0x2f, 0xbf, 0x92, 0x2e };
	static const struct {
		const char *spec;
		size_t keylen;
	} ciphers[] = { { "aes-xts-plain64", 64 }, { "aes-xts-plain64", 32 }, { "aes-xts-plain", 64 },
			{ "aes-cbc-essiv:sha256", 32 }, { "aes-cbc-plain64", 16 }, { "aes-cbc-plain", 32 } };
	static uint8_t a[8 * 512], b[8 * 512];
	uint8_t key[64] = { 0 };
	unsigned int i, k;
	int e;

	TEST("aes-xts-plain64: IEEE 1619 vector 1 (all-zero keys, sector 0)");
	memset(a, 0, 512);
	memcpy(a, xts1, sizeof(xts1));
	CHECK_INT(luks_area_decrypt("aes-xts-plain64", key, 32, a, 512, LUKS_CIPHER_BUILTIN), 0);
	for (k = 0; k < 32 && !a[k]; k++)
		;
	CHECK_INT(k, 32);
	TEST("keyslot ciphers refused by name and size");
	CHECK_INT(luks_area_decrypt("serpent-xts-plain64", key, 64, a, 512, LUKS_CIPHER_ANY), -ENOTSUP);
	CHECK_INT(luks_area_decrypt("aes-xts-plain64", key, 20, a, 512, LUKS_CIPHER_ANY), -EINVAL);
	CHECK_INT(luks_area_decrypt("aes-xts-plain64", key, 64, a, 100, LUKS_CIPHER_ANY), -EINVAL);
	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		TEST("%s, %zu-byte key: the kernel's cipher (AF_ALG) and the built-in AES agree",
		     ciphers[i].spec, ciphers[i].keylen);
		for (k = 0; k < sizeof(key); k++)
			key[k] = (uint8_t)(k * 7 + i);
		for (k = 0; k < sizeof(a); k++)
			a[k] = b[k] = (uint8_t)(k * 13 + (k >> 9));
		CHECK_INT(luks_area_decrypt(ciphers[i].spec, key, ciphers[i].keylen, a, sizeof(a),
					    LUKS_CIPHER_BUILTIN), 0);
		e = luks_area_decrypt(ciphers[i].spec, key, ciphers[i].keylen, b, sizeof(b),
				      LUKS_CIPHER_KERNEL);
		if (e == -EAFNOSUPPORT) {
			printf("# skip %s: this kernel has no AF_ALG (tests/unit/luks.sh runs it under QEMU)\n", check_name);
			continue;
		}
		CHECK_INT(e, 0);
		CHECK(!memcmp(a, b, sizeof(a)));
	}
}

/* ---- the crypt table ---- */

static void test_table(void)
{
	uint8_t key[64];
	char buf[512], want[512], hex[129];
	uint64_t sectors = 0;
	int i;

	for (i = 0; i < 64; i++) {
		key[i] = (uint8_t)(0xa0 + i);
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	}
	TEST("crypt table: 4096-byte sectors, a config flag and options");
	CHECK_INT(luks2_parse_json(edit("\"keyslots_size\":\"16744448\"",
					"\"keyslots_size\":\"16744448\",\"flags\":[\"no-read-workqueue\"]"),
				   sizeof(meta) + 64, &vol), 0);
	CHECK_INT(luks_table(&vol, key, 64, "/dev/vda2", 64 << 20, "discard,luks,no-write-workqueue",
			     buf, sizeof(buf), &sectors), 0);
	snprintf(want, sizeof(want),
		 "aes-xts-plain64 %s 0 /dev/vda2 32768 4 allow_discards no_read_workqueue no_write_workqueue sector_size:4096",
		 hex);
	CHECK_STR(buf, want);
	CHECK_INT(sectors, (64 << 20) / 512 - 32768);
	TEST("crypt table: 512-byte sectors, no options, a size that is not whole sectors of 4 KiB");
	CHECK_INT(luks2_parse_json(edit("\"sector_size\":4096", "\"sector_size\":512"), sizeof(meta),
				   &vol), 0);
	CHECK_INT(luks_table(&vol, key, 64, "/dev/sda", (20 << 20) + 1000, NULL, buf, sizeof(buf),
			     &sectors), 0);
	snprintf(want, sizeof(want), "aes-xts-plain64 %s 0 /dev/sda 32768", hex);
	CHECK_STR(buf, want);
	CHECK_INT(sectors, (20 << 20) / 512 - 32768 + 1);
	TEST("crypt table: a device that ends before the data");
	CHECK_INT(luks_table(&vol, key, 64, "/dev/sda", 16 << 20, NULL, buf, sizeof(buf), &sectors),
		  -EINVAL);
	CHECK(strstr(vol.why, "ends before") != NULL);
}

/* ---- containers made by cryptsetup ---- */

static const char *dir;

/* A file of the test directory into buf (NUL-terminated); its length, or -1. */
static long slurp(const char *name, const char *ext, char *buf, size_t size)
{
	char path[512];
	long n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* A writable copy of NAME.img in memory (a memfd), for damaging; or -1. */
static int copy_of(const char *name)
{
	char path[512];
	static char chunk[1 << 16];
	int in, out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s.img", dir, name);
	in = open(path, O_RDONLY);
	out = memfd_create("luks", 0);
	if (in < 0 || out < 0)
		return -1;
	/* The headers and keyslots are in the first 16 MiB; the rest is data. */
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n)
			return -1;
	close(in);
	return out;
}

static void flip(int fd, off_t off)
{
	uint8_t b;

	if (pread(fd, &b, 1, off) == 1) {
		b ^= 0x5a;
		if (pwrite(fd, &b, 1, off) != 1)
			printf("# pwrite failed\n");
	}
}

struct expect {
	const char *name;
	int version;
	const char *cipher;
	enum luks_kdf kdf;
	int slot;		/* the keyslot the passphrase opens */
	const char *pass;	/* another passphrase than NAME.pass (the added key) */
	bool detached;		/* NAME.img is a detached header (cryptsetup --header) */
};

static const struct expect containers[] = {
	{ "luks2-pbkdf2", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-argon2id", 2, "aes-xts-plain64", LUKS_KDF_ARGON2ID, 0, NULL, false },
	{ "luks2-sha512", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks1", 1, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks1-essiv", 1, "aes-cbc-essiv:sha256", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-essiv", 2, "aes-cbc-essiv:sha256", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-4k", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-meta64k", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-slot3", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, false },
	{ "luks2-slot3", 2, "aes-xts-plain64", LUKS_KDF_ARGON2ID, 3, "second key", false },
	{ "luks2-convert", 2, "aes-xts-plain64", LUKS_KDF_ARGON2I, 0, NULL, false },
	{ "luks2-detached", 2, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, true },
	{ "luks1-detached", 1, "aes-xts-plain64", LUKS_KDF_PBKDF2, 0, NULL, true },
};

static void to_hex(const uint8_t *k, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", k[i]);
}

/* Opens fd with pass; the key in hex, or "" and the error. */
static int open_with(int fd, const char *pass, char *hex, struct luks_unlocked *how)
{
	uint8_t key[LUKS_KEY_MAX];
	size_t keylen = 0;
	int e = luks_unlock(fd, &vol, pass, strlen(pass), key, &keylen, how);

	hex[0] = '\0';
	if (!e)
		to_hex(key, keylen, hex);
	return e;
}

static void test_container(const struct expect *x)
{
	char pass[256], want[256], hex[2 * LUKS_KEY_MAX + 1];
	struct luks_unlocked how = { .slot = -1 };
	int fd, slot = x->slot;

	TEST("%s%s: read and opened to cryptsetup's volume key", x->name, x->pass ? " (added key)" : "");
	if (slurp(x->name, ".pass", pass, sizeof(pass)) < 0 ||
	    slurp(x->name, ".key", want, sizeof(want)) <= 0) {
		CHECK(!"NAME.pass and NAME.key made by tests/unit/luks.sh");
		return;
	}
	if (x->pass)
		snprintf(pass, sizeof(pass), "%s", x->pass);
	fd = copy_of(x->name);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(luks_read(fd, x->detached, &vol), 0);
	CHECK_INT(vol.version, x->version);
	CHECK_STR(vol.cipher, x->cipher);
	CHECK(!vol.secondary);
	CHECK(vol.slot[slot].used && vol.slot[slot].kdf == x->kdf);
	CHECK_INT(open_with(fd, pass, hex, &how), 0);
	CHECK_STR(hex, want);
	CHECK_INT(how.slot, slot);
	if (x->detached) {
		TEST("%s: read as an attached header, its data at 0 overlaps it: refused", x->name);
		CHECK_INT(luks_read(fd, false, &vol), -EINVAL);
		CHECK(strstr(vol.why, "inside the header") || strstr(vol.why, "overlaps the header or the data"));
		CHECK_INT(luks_read(fd, true, &vol), 0);
		CHECK_INT((int)vol.offset, 0);
		CHECK_INT(open_with(fd, pass, hex, &how), 0);
	}

	TEST("%s: a wrong passphrase", x->name);
	CHECK_INT(open_with(fd, "not the passphrase", hex, &how), -EPERM);
	CHECK_STR(hex, "");

	if (x->version == 2) {
		uint64_t hdr = vol.hdr_size;

		TEST("%s: a damaged primary header falls back to the secondary", x->name);
		flip(fd, 4096 + 100);	/* in the primary's JSON: its checksum fails */
		CHECK_INT(luks_read(fd, x->detached, &vol), 0);
		CHECK(vol.secondary);
		CHECK(strstr(vol.primary_why, "primary header's checksum") != NULL);
		CHECK_INT(open_with(fd, pass, hex, &how), 0);
		CHECK_STR(hex, want);
		TEST("%s: the primary's magic gone too: the secondary found by looking", x->name);
		flip(fd, 0);
		CHECK_INT(luks_read(fd, x->detached, &vol), 0);
		CHECK(vol.secondary);
		TEST("%s: both headers damaged: refused, naming both", x->name);
		flip(fd, (off_t)hdr + 4096 + 100);
		CHECK_INT(luks_read(fd, x->detached, &vol), -EINVAL);
		CHECK(strstr(vol.why, "both LUKS2 headers are damaged") &&
		      strstr(vol.why, "secondary header's checksum"));
	} else {
		TEST("%s: a damaged keyslot area opens nothing", x->name);
		flip(fd, (off_t)vol.slot[0].area_offset + 1000);
		CHECK_INT(luks_read(fd, x->detached, &vol), 0);
		CHECK_INT(open_with(fd, pass, hex, &how), -EPERM);
	}
	close(fd);
}

static void test_argon2_memory(void)
{
	char hex[2 * LUKS_KEY_MAX + 1], pass[256];
	struct luks_unlocked how;
	int fd = copy_of("luks2-argon2id");

	TEST("Argon2 memory beyond MemAvailable: -ENOMEM naming both numbers");
	if (fd < 0 || slurp("luks2-argon2id", ".pass", pass, sizeof(pass)) < 0) {
		CHECK(!"luks2-argon2id made by tests/unit/luks.sh");
		return;
	}
	CHECK_INT(luks_read(fd, false, &vol), 0);
	vol.slot[0].memory = 4u * 1024 * 1024 * 1024 - 1;	/* ~4 TiB in KiB */
	CHECK_INT(open_with(fd, pass, hex, &how), -ENOMEM);
	CHECK(strstr(vol.why, "4294967295 KiB") && strstr(vol.why, "available"));
	close(fd);
}

int main(int argc, char **argv)
{
	size_t i;

	test_json();
	test_metadata();
	test_aes();
	test_ciphers();
	test_table();
	if (argc > 1) {
		dir = argv[1];
		for (i = 0; i < sizeof(containers) / sizeof(containers[0]); i++)
			test_container(&containers[i]);
		test_argon2_memory();
	} else {
		printf("# the containers made by cryptsetup are checked by tests/unit/luks.sh\n");
	}
	return check_failed;
}
