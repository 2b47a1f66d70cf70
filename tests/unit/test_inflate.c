/*
 * Our gzip reader against GNU gzip: every level, stored, fixed and dynamic
 * blocks, several members, odd read sizes on both sides; then every
 * truncation and byte flip of a small stream, which must fail cleanly or
 * (a flipped header byte that does not matter) give the same data.
 */
#include "check.h"
#include "arc_util.h"

static char dir[] = "/tmp/handoff-inflate.XXXXXX";
static uint8_t out[4 << 20];

/* Decompresses all of gzdata with the given source and reader chunks. */
static int gunzip_all(const uint8_t *p, size_t n, size_t src_chunk, size_t rd_chunk,
		      size_t *total)
{
	struct mem_src m = { p, n, 0, src_chunk };
	struct byte_src src = { mem_read, NULL, &m };
	size_t got;
	int e;

	gunzip_init(&gz, src);
	*total = 0;
	for (;;) {
		size_t want = rd_chunk ? rd_chunk : sizeof(out) - *total;

		if (*total + want > sizeof(out))
			return -E2BIG;
		e = gunzip_read(&gz, out + *total, want, &got);
		if (e)
			return e;
		if (!got)
			return 0;
		*total += got;
	}
}

static void roundtrip(const char *name, const char *make)
{
	char raw[512], gzp[512];
	uint8_t *orig, *z;
	size_t on, zn, total;
	static const size_t chunks[][2] = { { 0, 0 }, { 1, 3 }, { 7, 65536 }, { 4096, 1 } };
	size_t i;

	snprintf(raw, sizeof(raw), "%s/%s", dir, name);
	snprintf(gzp, sizeof(gzp), "%s/%s.gz", dir, name);
	if (sh("%s >'%s' && gzip -c -n %s '%s' >'%s'", make, raw,
	       strstr(name, "-1") ? "-1" : strstr(name, "-9") ? "-9" : "", raw, gzp)) {
		TEST("%s", name);
		CHECK(!"making the test data");
		return;
	}
	if (strstr(name, "multi"))
		sh("cat '%s' '%s' >'%s.2' && mv '%s.2' '%s' && cat '%s' '%s' >'%s.r' && mv '%s.r' '%s'",
		   gzp, gzp, gzp, gzp, gzp, raw, raw, raw, raw, raw);
	orig = slurp(raw, &on);
	z = slurp(gzp, &zn);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		TEST("%s (source chunks %zu, reads %zu)", name, chunks[i][0], chunks[i][1]);
		CHECK_INT(gunzip_all(z, zn, chunks[i][0], chunks[i][1], &total), 0);
		CHECK_INT(total, on);
		CHECK(total == on && !memcmp(out, orig, on));
	}
	free(orig);
	free(z);
}

static void hostile(void)
{
	uint8_t *orig, *z, *c;
	size_t on, zn, total, i;
	int bad = 0, same = 0, wrong = 0, e;
	char path[512];

	snprintf(path, sizeof(path), "%s/small-6", dir);
	orig = slurp(path, &on);
	snprintf(path, sizeof(path), "%s/small-6.gz", dir);
	z = slurp(path, &zn);
	c = malloc(zn);
	TEST("every truncation of a gzip stream fails");
	for (i = 0; i < zn; i++) {
		e = gunzip_all(z, i, 0, 0, &total);
		if (!e)
			wrong++;
	}
	CHECK_INT(wrong, 0);
	TEST("every byte flip fails or changes nothing");
	wrong = 0;
	for (i = 0; i < zn; i++) {
		memcpy(c, z, zn);
		c[i] ^= 0x55;
		e = gunzip_all(c, zn, 0, 0, &total);
		if (e) {
			bad++;
		} else if (total == on && !memcmp(out, orig, on)) {
			same++;
		} else {
			wrong++;
		}
	}
	CHECK_INT(wrong, 0);
	CHECK(bad > (int)zn / 2);
	TEST("a CRC mismatch is named");
	memcpy(c, z, zn);
	c[zn - 8] ^= 1;
	CHECK_INT(gunzip_all(c, zn, 0, 0, &total), -EINVAL);
	CHECK(gz.why && strstr(gz.why, "CRC"));
	TEST("not gzip");
	CHECK(!gunzip_magic((const uint8_t *)"BZh9", 4));
	CHECK(gunzip_magic(z, zn));
	free(orig);
	free(z);
	free(c);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	TEST("crc32");
	CHECK_INT(crc32_update(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
	roundtrip("empty", "printf ''");
	roundtrip("hello", "printf hello");
	roundtrip("text-6", "seq 1 20000");
	roundtrip("small-6", "seq 1 1500");
	roundtrip("text-1", "seq 1 50000");
	roundtrip("text-9", "seq 1 50000");
	roundtrip("random", "head -c 300000 /dev/urandom");
	roundtrip("mixed-9", "(seq 1 30000; head -c 70000 /dev/urandom; seq 5 40000; head -c 5000 /dev/zero)");
	roundtrip("zeros", "head -c 3000000 /dev/zero");
	roundtrip("multi", "seq 1 3000");
	hostile();
	sh("rm -rf '%s'", dir);
	return check_failed;
}
