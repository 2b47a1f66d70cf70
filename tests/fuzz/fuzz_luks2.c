/*
 * fuzz-luks2: a LUKS2 header and its JSON. The input is a control byte,
 * then one header copy (binary header and JSON, the rest zeros). The
 * device is made of it: the primary at 0 and the secondary after it (magic
 * and offset set), each checksum made right unless the control byte says
 * otherwise, so that mutations reach the JSON; then luks_read(). The JSON
 * area alone goes through json_parse() (the tokens' invariants) and
 * luks2_parse_json(). Control bits: 1 and 2 keep the primary's and the
 * secondary's checksum as given, 4 unlocks (costs cut to 1), 8 leaves the
 * secondary out.
 */
#include "fuzz_luks.h"
#include "luks/json.h"

#define COPY_MAX (64 * 1024)

static uint8_t image[2 * COPY_MAX];
static struct json_tok toks[2048];

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The checksum as cryptsetup writes it: SHA-256 over the copy, its own field zeroed. */
static void seal(uint8_t *copy, size_t n)
{
	memset(copy + 448, 0, 64);
	hash_buf(HASH_SHA256, copy, n, copy + 448);
}

static void check_json(const char *text, size_t len)
{
	struct json_doc d;
	unsigned int i;
	int e = json_parse(&d, text, len, toks, 2048);

	if (e) {
		FUZZ_CHECK(d.why && d.at <= len, "refused without a reason or past the text");
		return;
	}
	FUZZ_CHECK(d.ntok >= 1 && d.ntok <= 2048, "%u tokens", d.ntok);
	for (i = 0; i < d.ntok; i++) {
		const struct json_tok *t = &d.tok[i];

		FUZZ_CHECK((size_t)t->start + t->len <= d.len, "token %u past the text", i);
		FUZZ_CHECK(t->next > i && t->next <= d.ntok, "token %u: next %u", i, t->next);
		FUZZ_CHECK(t->type >= JSON_OBJECT && t->type <= JSON_NULL, "token %u: type %u", i,
			   t->type);
		if (t->type != JSON_OBJECT && t->type != JSON_ARRAY)
			FUZZ_CHECK(t->next == i + 1, "scalar %u spans tokens", i);
	}
	FUZZ_CHECK(d.tok[0].next == d.ntok, "the outer value does not span the tokens");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t hdr = 16 * 1024, h;
	size_t n;
	uint8_t ctl;
	int fd, e;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	if (size >= 16) {
		h = get_be64(data + 8);
		if (h == 32 * 1024 || h == 64 * 1024)
			hdr = h;
	}
	n = size < hdr ? size : hdr;
	memset(image, 0, sizeof(image));
	memcpy(image, data, n);
	if (n > 4096)
		check_json((const char *)image + 4096, hdr - 4096);
	if (!(ctl & 1))
		seal(image, hdr);
	if (!(ctl & 8)) {
		memcpy(image + hdr, image, hdr);
		memcpy(image + hdr, "SKUL\xba\xbe", 6);
		put_be64(image + hdr + 256, hdr);
		if (!(ctl & 2))
			seal(image + hdr, hdr);
	}
	fd = fuzz_device(image, 2 * hdr, 2 * hdr + (1 << 20));
	e = luks_read(fd, false, &fuzz_vol);
	fuzz_check_volume(e, &fuzz_vol);
	if (!e) {
		FUZZ_CHECK(fuzz_vol.version == 2 || (image[6] == 0 && image[7] == 1),
			   "read as version %d", fuzz_vol.version);
		if (ctl & 4)
			fuzz_unlock(fd, &fuzz_vol);
	}
	close(fd);
	if (n > 4096) {
		e = luks2_parse_json((const char *)image + 4096, hdr - 4096, &fuzz_vol);
		FUZZ_CHECK(e <= 0 && (!e || fuzz_vol.why[0]), "JSON refused (%d) without a reason", e);
	}
	return 0;
}
