/*
 * Reading LUKS headers (luks.h): LUKS1's one binary header, LUKS2's two
 * copies of a binary header and its JSON metadata. What cryptsetup's
 * luksFormat, luksAddKey and luksConvertKey write is read; anything else
 * is refused with the key that was not understood.
 */
#include "luks/luks.h"
#include "luks/json.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define LUKS1_HDR_SIZE 592
#define LUKS1_SLOTS 8
#define LUKS1_SLOT_ACTIVE 0x00ac71f3u
#define LUKS1_SLOT_INACTIVE 0x0000deadu
#define LUKS_STRIPES 4000	/* what cryptsetup writes, LUKS1 and LUKS2 */
#define LUKS2_HDR_MIN 16384u		/* 16 KiB */
#define LUKS2_HDR_LARGEST 4194304u	/* the format's largest copy */
#define JSON_TOKENS 2048
#define ARGON2_MEMORY_MAX (4ull * 1024 * 1024)	/* KiB: cryptsetup's own bound */

static const uint8_t luks_magic[6] = { 'L', 'U', 'K', 'S', 0xba, 0xbe };
static const uint8_t luks2_magic2[6] = { 'S', 'K', 'U', 'L', 0xba, 0xbe };

/* One LUKS2 header copy being checked or read (binary header and JSON), and its tokens. */
static char hdr_buf[LUKS2_HDR_MAX];
static struct json_tok json_toks[JSON_TOKENS];

int luks_why(struct luks_volume *v, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vbuf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	return e;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* All of n bytes at off: 0, -ENODATA past the end, or -errno. */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -ENODATA;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* A fixed-size text field of a binary header, ended and made printable. */
static void copy_field(char *dst, size_t size, const uint8_t *src, size_t n)
{
	char tmp[64];

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, src, n);
	tmp[n] = '\0';
	fmt_printable(dst, size, tmp);
}

/* A cipher spec goes into a dm table and names kernel algorithms: a plain charset only. */
static bool cipher_chars(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_:()", *s)))
			return false;
	return true;
}

const char *luks_kdf_name(enum luks_kdf k)
{
	return k == LUKS_KDF_ARGON2ID ? "argon2id" : k == LUKS_KDF_ARGON2I ? "argon2i" : "pbkdf2";
}

/* ---- LUKS1 ---- */

static int read_luks1(const uint8_t *h, struct luks_volume *v)
{
	char name[32], mode[32], hash[32];
	uint32_t i, key_bytes, payload;
	int alg;

	copy_field(name, sizeof(name), h + 8, 32);
	copy_field(mode, sizeof(mode), h + 40, 32);
	copy_field(hash, sizeof(hash), h + 72, 32);
	payload = be32(h + 104);
	key_bytes = be32(h + 108);
	copy_field(v->uuid, sizeof(v->uuid), h + 168, 40);
	alg = hash_by_name(hash);
	if (alg < 0)
		return luks_why(v, -ENOTSUP,
			   "LUKS1 header: hash \"%s\" is not supported (sha1, sha256 and sha512 are)",
			   hash);
	if (!key_bytes || key_bytes > LUKS_KEY_MAX)
		return luks_why(v, -EINVAL, "LUKS1 header: key size %u bytes (1 to %u are read)",
			   key_bytes, LUKS_KEY_MAX);
	if (fmt_buf(v->cipher, sizeof(v->cipher), "%s-%s", name, mode) >= sizeof(v->cipher) - 1 ||
	    !*name || !*mode || !cipher_chars(v->cipher))
		return luks_why(v, -EINVAL, "LUKS1 header: cipher \"%s\" mode \"%s\" is not valid", name,
			   mode);
	v->offset = (uint64_t)payload * 512;
	v->dynamic = true;
	v->sector_size = 512;
	v->key_size = key_bytes;
	v->digest[0].used = true;
	v->digest[0].hash = (enum hash_alg)alg;
	memcpy(v->digest[0].digest, h + 112, 20);
	v->digest[0].digest_len = 20;
	memcpy(v->digest[0].salt, h + 132, 32);
	v->digest[0].salt_len = 32;
	v->digest[0].iterations = be32(h + 164);
	v->digest[0].segments = 1;
	if (!v->digest[0].iterations)
		return luks_why(v, -EINVAL, "LUKS1 header: the digest's iteration count is 0");
	for (i = 0; i < LUKS1_SLOTS; i++) {
		const uint8_t *k = h + 208 + (size_t)48 * i;
		struct luks_keyslot *s = &v->slot[i];
		uint32_t active = be32(k), start = be32(k + 40), stripes = be32(k + 44);

		if (active == LUKS1_SLOT_INACTIVE)
			continue;
		if (active != LUKS1_SLOT_ACTIVE)
			return luks_why(v, -EINVAL, "LUKS1 header: keyslot %u: state 0x%x is neither active nor inactive",
				   i, active);
		if (stripes != LUKS_STRIPES)
			return luks_why(v, -ENOTSUP, "LUKS1 header: keyslot %u: %u stripes (cryptsetup writes %u)",
				   i, stripes, LUKS_STRIPES);
		s->used = true;
		s->priority = 1;
		s->key_size = key_bytes;
		s->kdf = LUKS_KDF_PBKDF2;
		s->kdf_hash = (enum hash_alg)alg;
		s->iterations = be32(k + 4);
		memcpy(s->salt, k + 8, 32);
		s->salt_len = 32;
		s->stripes = stripes;
		s->af_hash = (enum hash_alg)alg;
		s->area_offset = (uint64_t)start * 512;
		s->area_size = ((uint64_t)key_bytes * stripes + 511) / 512 * 512;
		s->area_key_size = key_bytes;
		memcpy(s->cipher, v->cipher, sizeof(s->cipher));
		if (!s->iterations)
			return luks_why(v, -EINVAL, "LUKS1 header: keyslot %u: iteration count 0", i);
		if (s->area_offset < LUKS1_HDR_SIZE ||
		    (s->area_offset + s->area_size > v->offset && !v->detached))
			return luks_why(v, -EINVAL,
				   "LUKS1 header: keyslot %u: its key material (sector %u) overlaps the header or the data (sector %u)",
				   i, start, payload);
		v->digest[0].keyslots |= 1u << i;
	}
	return 0;
}

/* ---- LUKS2: the JSON metadata ---- */

struct ctx {
	struct json_doc d;
	struct luks_volume *v;
	uint64_t keyslots_end;	/* where the keyslot areas end (bytes) */
	bool any_json_size;	/* the JSON alone (luks2_parse_json): no area to match */
};

static int meta_why(struct luks_volume *v, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* luks_why() for the JSON metadata: the prefix written once. */
static int meta_why(struct luks_volume *v, int e, const char *fmt, ...)
{
	static const char prefix[] = "LUKS2 metadata: ";
	va_list ap;

	memcpy(v->why, prefix, sizeof(prefix) - 1);
	va_start(ap, fmt);
	fmt_vbuf(v->why + sizeof(prefix) - 1, sizeof(v->why) - sizeof(prefix) + 1, fmt, ap);
	va_end(ap);
	return e;
}

/* The text of string token i for a message: decoded, printable, cut to fit. */
static const char *shown(const struct ctx *c, unsigned int i, char *buf, size_t size)
{
	char raw[64];

	if (c->d.tok[i].type != JSON_STRING) {
		fmt_buf(buf, size, "(a %s)", c->d.tok[i].type == JSON_NUMBER ? "number" :
				   c->d.tok[i].type == JSON_OBJECT ? "object" :
				   c->d.tok[i].type == JSON_ARRAY ? "array" : "literal");
		return buf;
	}
	if (json_string(&c->d, i, raw, sizeof(raw)) < 0) {
		uint32_t n = c->d.tok[i].len < sizeof(raw) - 4 ? c->d.tok[i].len : sizeof(raw) - 4;

		memcpy(raw, c->d.text + c->d.tok[i].start, n);
		memcpy(raw + n, "...", 4);
	}
	fmt_printable(buf, size, raw);
	return buf;
}

/* Refuses any member of obj not named in keys (a NULL-ended list). */
static int only_keys(struct ctx *c, unsigned int obj, const char *path, const char *const *keys)
{
	unsigned int k;
	char name[72];

	for (k = json_first(&c->d, obj); k; k = json_after(&c->d, obj, k)) {
		const char *const *a;

		for (a = keys; *a && !json_is(&c->d, k, *a); a++)
			;
		if (!*a)
			return meta_why(c->v, -ENOTSUP,
				   "%s: key \"%s\" is not one cryptsetup writes there; handoff refuses what it does not know",
				   path, shown(c, k, name, sizeof(name)));
	}
	return 0;
}

/* The member key of obj, of type type; refused by name when missing or of another type. */
static int member(struct ctx *c, unsigned int obj, const char *path, const char *key, int type,
		  unsigned int *out)
{
	unsigned int i = json_member(&c->d, obj, key);

	if (!i)
		return meta_why(c->v, -EINVAL, "%s.%s is missing", path, key);
	if (c->d.tok[i].type != type)
		return meta_why(c->v, -EINVAL, "%s.%s is not %s", path, key,
			   type == JSON_OBJECT ? "an object" : type == JSON_ARRAY ? "an array" :
			   type == JSON_STRING ? "a string" : "a number");
	*out = i;
	return 0;
}

static int get_str(struct ctx *c, unsigned int obj, const char *path, const char *key, char *buf,
		   size_t size)
{
	unsigned int i = 0;
	int e = member(c, obj, path, key, JSON_STRING, &i);

	if (e)
		return e;
	if (json_string(&c->d, i, buf, size) <= 0)
		return meta_why(c->v, -EINVAL, "%s.%s is empty or longer than %zu bytes",
			   path, key, size - 1);
	return 0;
}

static int get_num(struct ctx *c, unsigned int obj, const char *path, const char *key,
		   uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned int i = 0;
	int e = member(c, obj, path, key, JSON_NUMBER, &i);

	if (e)
		return e;
	if (json_uint(&c->d, i, out) || *out < min || *out > max)
		return meta_why(c->v, -EINVAL, "%s.%s is not a whole number from %llu to %llu",
			   path, key, (unsigned long long)min, (unsigned long long)max);
	return 0;
}

/* A 64-bit size or offset, which LUKS2 writes as a decimal string. */
static int get_u64s(struct ctx *c, unsigned int obj, const char *path, const char *key,
		    uint64_t *out)
{
	unsigned int i = 0;
	int e = member(c, obj, path, key, JSON_STRING, &i);

	if (e)
		return e;
	if (json_uint_str(&c->d, i, out) || *out > INT64_MAX)
		return meta_why(c->v, -EINVAL, "%s.%s is not a size in bytes", path, key);
	return 0;
}

static int get_hash(struct ctx *c, unsigned int obj, const char *path, const char *key,
		    enum hash_alg *out)
{
	char name[32];
	int e = get_str(c, obj, path, key, name, sizeof(name)), alg;

	if (e)
		return e;
	alg = hash_by_name(name);
	if (alg < 0) {
		char tmp[64];

		fmt_printable(tmp, sizeof(tmp), name);
		return meta_why(c->v, -ENOTSUP,
			   "%s.%s \"%s\" is not supported (sha1, sha256 and sha512 are)",
			   path, key, tmp);
	}
	*out = (enum hash_alg)alg;
	return 0;
}

/* RFC 4648 base64 with padding, as LUKS2 writes salts and digests. Returns the length or -1. */
static int unbase64(const char *s, uint8_t *out, size_t size)
{
	uint32_t acc = 0;
	size_t n = 0, len = strlen(s), i;
	int bits = 0, pad = 0;

	if (len % 4)
		return -1;
	for (i = 0; i < len; i++) {
		char ch = s[i];
		int val;

		if (ch == '=') {
			if (++pad > 2 || i < len - 2)
				return -1;
			continue;
		}
		if (pad)
			return -1;
		if (ch >= 'A' && ch <= 'Z')
			val = ch - 'A';
		else if (ch >= 'a' && ch <= 'z')
			val = ch - 'a' + 26;
		else if (ch >= '0' && ch <= '9')
			val = ch - '0' + 52;
		else if (ch == '+')
			val = 62;
		else if (ch == '/')
			val = 63;
		else
			return -1;
		acc = acc << 6 | (uint32_t)val;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= size)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return (int)n;
}

static int get_b64(struct ctx *c, unsigned int obj, const char *path, const char *key,
		   uint8_t *out, size_t size, uint32_t *len)
{
	char text[LUKS_SALT_MAX * 2];
	int e = get_str(c, obj, path, key, text, sizeof(text)), n;

	if (e)
		return e;
	n = unbase64(text, out, size);
	if (n <= 0)
		return meta_why(c->v, -EINVAL, "%s.%s is not base64 of at most %zu bytes",
			   path, key, size);
	*len = (uint32_t)n;
	return 0;
}

/* A member name that is a number in [0, max) ("0" to "31"), as keyslot and digest ids are. */
static int id_of(struct ctx *c, unsigned int k, const char *path, unsigned int max)
{
	uint64_t n = 0;
	char name[72];

	if (json_uint_str(&c->d, k, &n) || n >= max)
		return meta_why(c->v, -ENOTSUP, "%s: \"%s\" is not an id from 0 to %u", path,
			   shown(c, k, name, sizeof(name)), max - 1);
	return (int)n;
}

static int get_cipher(struct ctx *c, unsigned int obj, const char *path, char *buf, size_t size)
{
	int e = get_str(c, obj, path, "encryption", buf, size);

	if (e)
		return e;
	if (!cipher_chars(buf))
		return meta_why(c->v, -EINVAL, "%s.encryption has a character no cipher spec has",
				path);
	if (!strchr(buf, '-') || str_starts(buf, "capi:") || str_starts(buf, "cipher_null"))
		return meta_why(c->v, -ENOTSUP,
			   "%s.encryption \"%s\" is not a cipher handoff reads (cipher-mode-iv, such as aes-xts-plain64)",
			   path, buf);
	return 0;
}

static const char *const keyslot_keys[] = { "type", "key_size", "af", "area", "kdf", "priority", NULL };
static const char *const af_keys[] = { "type", "stripes", "hash", NULL };
static const char *const area_keys[] = { "type", "offset", "size", "encryption", "key_size", NULL };
static const char *const pbkdf2_keys[] = { "type", "hash", "iterations", "salt", NULL };
static const char *const argon2_keys[] = { "type", "time", "memory", "cpus", "salt", NULL };

static int read_kdf(struct ctx *c, unsigned int kdf, const char *path, struct luks_keyslot *s)
{
	char type[32];
	uint64_t n = 0;
	int e = get_str(c, kdf, path, "type", type, sizeof(type));

	if (e)
		return e;
	if (!strcmp(type, "pbkdf2")) {
		s->kdf = LUKS_KDF_PBKDF2;
		e = only_keys(c, kdf, path, pbkdf2_keys);
		if (!e)
			e = get_hash(c, kdf, path, "hash", &s->kdf_hash);
		if (!e)
			e = get_num(c, kdf, path, "iterations", 1, UINT32_MAX, &n);
		s->iterations = (uint32_t)n;
	} else if (!strcmp(type, "argon2i") || !strcmp(type, "argon2id")) {
		s->kdf = type[7] ? LUKS_KDF_ARGON2ID : LUKS_KDF_ARGON2I;
		e = only_keys(c, kdf, path, argon2_keys);
		if (!e)
			e = get_num(c, kdf, path, "time", 1, UINT32_MAX, &n);
		s->iterations = (uint32_t)n;
		if (!e)
			e = get_num(c, kdf, path, "memory", 8, ARGON2_MEMORY_MAX, &n);
		s->memory = (uint32_t)n;
		if (!e)
			e = get_num(c, kdf, path, "cpus", 1, 255, &n);
		s->cpus = (uint32_t)n;
		if (!e && s->memory < 8 * s->cpus)
			e = meta_why(c->v, -EINVAL, "%s.memory is less than 8 KiB per cpu", path);
	} else {
		char tmp[24];

		fmt_printable(tmp, sizeof(tmp), type);
		return meta_why(c->v, -ENOTSUP,
			   "%s.type \"%s\" is not supported (pbkdf2, argon2i and argon2id are)",
			   path, tmp);
	}
	if (!e)
		e = get_b64(c, kdf, path, "salt", s->salt, sizeof(s->salt), &s->salt_len);
	return e;
}

static int read_keyslot(struct ctx *c, unsigned int obj, int id)
{
	struct luks_keyslot *s = &c->v->slot[id];
	char path[32], sub[40], type[16];
	unsigned int o = 0, pr;
	uint64_t n = 0;
	int e;

	fmt_buf(path, sizeof(path), "keyslots.%d", id);
	if (c->d.tok[obj].type != JSON_OBJECT)
		return meta_why(c->v, -EINVAL, "%s is not an object", path);
	e = get_str(c, obj, path, "type", type, sizeof(type));
	if (e)
		return e;
	if (strcmp(type, "luks2")) {
		char tmp[24];

		fmt_printable(tmp, sizeof(tmp), type);
		return meta_why(c->v, -ENOTSUP,
			   "%s.type \"%s\" is not supported (only luks2 keyslots are; a reencrypt keyslot means a reencryption is unfinished: finish it with cryptsetup)",
			   path, tmp);
	}
	e = only_keys(c, obj, path, keyslot_keys);
	if (!e)
		e = get_num(c, obj, path, "key_size", 1, LUKS_KEY_MAX, &n);
	if (e)
		return e;
	s->key_size = (uint32_t)n;
	s->priority = 1;
	pr = json_member(&c->d, obj, "priority");
	if (pr) {
		e = get_num(c, obj, path, "priority", 0, 2, &n);
		if (e)
			return e;
		s->priority = (uint8_t)n;
	}

	fmt_buf(sub, sizeof(sub), "%s.af", path);
	e = member(c, obj, path, "af", JSON_OBJECT, &o);
	if (!e)
		e = only_keys(c, o, sub, af_keys);
	if (!e)
		e = get_str(c, o, sub, "type", type, sizeof(type));
	if (!e && strcmp(type, "luks1"))
		e = meta_why(c->v, -ENOTSUP, "%s.type is not luks1, the only splitter there is", sub);
	if (!e)
		e = get_num(c, o, sub, "stripes", LUKS_STRIPES, LUKS_STRIPES, &n);
	s->stripes = (uint32_t)n;
	if (!e)
		e = get_hash(c, o, sub, "hash", &s->af_hash);
	if (e)
		return e;

	fmt_buf(sub, sizeof(sub), "%s.area", path);
	e = member(c, obj, path, "area", JSON_OBJECT, &o);
	if (!e)
		e = only_keys(c, o, sub, area_keys);
	if (!e)
		e = get_str(c, o, sub, "type", type, sizeof(type));
	if (!e && strcmp(type, "raw"))
		e = meta_why(c->v, -ENOTSUP,
			"%s.type is not raw (other areas belong to a reencryption: finish it with cryptsetup)",
			sub);
	if (!e)
		e = get_u64s(c, o, sub, "offset", &s->area_offset);
	if (!e)
		e = get_u64s(c, o, sub, "size", &s->area_size);
	if (!e)
		e = get_cipher(c, o, sub, s->cipher, sizeof(s->cipher));
	if (!e)
		e = get_num(c, o, sub, "key_size", 1, LUKS_KEY_MAX, &n);
	s->area_key_size = (uint32_t)n;
	if (e)
		return e;
	if (s->area_offset < 2 * c->v->hdr_size || s->area_offset % 512 ||
	    s->area_size > c->keyslots_end || s->area_offset > c->keyslots_end - s->area_size)
		return meta_why(c->v, -EINVAL,
			   "%s: offset %llu and size %llu lie outside the keyslots area",
			   sub, (unsigned long long)s->area_offset, (unsigned long long)s->area_size);
	if (s->area_size < (uint64_t)s->key_size * s->stripes)
		return meta_why(c->v, -EINVAL, "%s.size %llu is smaller than %u stripes of %u bytes",
			   sub, (unsigned long long)s->area_size, s->stripes, s->key_size);

	fmt_buf(sub, sizeof(sub), "%s.kdf", path);
	e = member(c, obj, path, "kdf", JSON_OBJECT, &o);
	if (!e)
		e = read_kdf(c, o, sub, s);
	if (!e)
		s->used = true;
	return e;
}

static const char *const segment_keys[] = { "type", "offset", "size", "iv_tweak", "encryption",
					    "sector_size", "integrity", "flags", NULL };

static int read_segment(struct ctx *c, unsigned int obj)
{
	struct luks_volume *v = c->v;
	const char *path = "segments.0";
	char type[16];
	unsigned int i = 0;
	uint64_t n = 0;
	int e;

	if (c->d.tok[obj].type != JSON_OBJECT)
		return meta_why(v, -EINVAL, "%s is not an object", path);
	e = get_str(c, obj, path, "type", type, sizeof(type));
	if (e)
		return e;
	if (strcmp(type, "crypt")) {
		char tmp[24];

		fmt_printable(tmp, sizeof(tmp), type);
		return meta_why(v, -ENOTSUP,
			   "%s.type \"%s\" is not supported (only crypt segments are)",
			   path, tmp);
	}
	e = only_keys(c, obj, path, segment_keys);
	if (e)
		return e;
	if (json_member(&c->d, obj, "integrity"))
		return meta_why(v, -ENOTSUP,
			   "%s.integrity: authenticated encryption (dm-integrity) is not supported",
			   path);
	i = json_member(&c->d, obj, "flags");
	if (i && (c->d.tok[i].type != JSON_ARRAY || c->d.tok[i].count)) {
		char name[72];

		return meta_why(v, -ENOTSUP,
			   "%s.flags: \"%s\" is not supported (segment flags belong to a reencryption: finish it with cryptsetup)",
			   path, c->d.tok[i].type == JSON_ARRAY ? shown(c, i + 1, name, sizeof(name)) : "?");
	}
	e = get_u64s(c, obj, path, "offset", &v->offset);
	if (!e)
		e = member(c, obj, path, "size", JSON_STRING, &i);
	if (e)
		return e;
	if (json_is(&c->d, i, "dynamic")) {
		v->dynamic = true;
	} else {
		e = get_u64s(c, obj, path, "size", &v->size);
		if (e)
			return e;
	}
	e = get_u64s(c, obj, path, "iv_tweak", &v->iv_tweak);
	if (!e)
		e = get_cipher(c, obj, path, v->cipher, sizeof(v->cipher));
	if (!e)
		e = get_num(c, obj, path, "sector_size", 512, 4096, &n);
	if (e)
		return e;
	v->sector_size = (uint32_t)n;
	if (n & (n - 1))
		return meta_why(v, -EINVAL, "%s.sector_size %u is not a power of two", path,
			   v->sector_size);
	if (v->offset % 512 || v->size % v->sector_size)
		return meta_why(v, -EINVAL, "%s: offset or size is not whole sectors", path);
	/* A detached header's offset is on the data device: nothing there to overlap. */
	if (v->offset < c->keyslots_end && !v->detached)
		return meta_why(v, -EINVAL, "%s.offset %llu lies inside the header", path,
			   (unsigned long long)v->offset);
	return 0;
}

static const char *const digest_keys[] = { "type", "keyslots", "segments", "hash", "iterations",
					   "salt", "digest", NULL };

/* A digest's list of keyslot or segment ids as a bit mask. */
static int id_list(struct ctx *c, unsigned int obj, const char *path, const char *key,
		   unsigned int max, uint32_t *mask)
{
	char sub[48];
	unsigned int arr = 0, k;
	int e = member(c, obj, path, key, JSON_ARRAY, &arr), id;

	if (e)
		return e;
	fmt_buf(sub, sizeof(sub), "%s.%s", path, key);
	*mask = 0;
	for (k = json_first(&c->d, arr); k; k = json_after(&c->d, arr, k)) {
		id = id_of(c, k, sub, max);
		if (id < 0)
			return id;
		*mask |= 1u << id;
	}
	return 0;
}

static int read_digest(struct ctx *c, unsigned int obj, int id)
{
	struct luks_digest *g = &c->v->digest[id];
	char path[32], type[16];
	uint64_t n = 0;
	int e;

	fmt_buf(path, sizeof(path), "digests.%d", id);
	if (c->d.tok[obj].type != JSON_OBJECT)
		return meta_why(c->v, -EINVAL, "%s is not an object", path);
	e = get_str(c, obj, path, "type", type, sizeof(type));
	if (!e && strcmp(type, "pbkdf2"))
		e = meta_why(c->v, -ENOTSUP, "%s.type is not pbkdf2, the only digest there is",
			path);
	if (!e)
		e = only_keys(c, obj, path, digest_keys);
	if (!e)
		e = id_list(c, obj, path, "keyslots", LUKS_SLOTS, &g->keyslots);
	if (!e)
		e = id_list(c, obj, path, "segments", 1, &g->segments);
	if (!e)
		e = get_hash(c, obj, path, "hash", &g->hash);
	if (!e)
		e = get_num(c, obj, path, "iterations", 1, UINT32_MAX, &n);
	g->iterations = (uint32_t)n;
	if (!e)
		e = get_b64(c, obj, path, "salt", g->salt, sizeof(g->salt), &g->salt_len);
	if (!e)
		e = get_b64(c, obj, path, "digest", g->digest, sizeof(g->digest), &g->digest_len);
	if (!e)
		g->used = true;
	return e;
}

static const char *const config_keys[] = { "json_size", "keyslots_size", "flags", "requirements",
					   NULL };
static const struct {
	const char *name;
	uint32_t flag;
} config_flags[] = {
	{ "allow-discards", LUKS_FLAG_DISCARDS },
	{ "same-cpu-crypt", LUKS_FLAG_SAME_CPU },
	{ "submit-from-crypt-cpus", LUKS_FLAG_SUBMIT_CPUS },
	{ "no-read-workqueue", LUKS_FLAG_NO_READ_WQ },
	{ "no-write-workqueue", LUKS_FLAG_NO_WRITE_WQ },
	{ "no-journal", 0 },	/* dm-integrity's: nothing here */
};

static int read_config(struct ctx *c, unsigned int obj, uint64_t json_size)
{
	const char *path = "config";
	char name[72];
	unsigned int i, k;
	uint64_t n = 0;
	int e;

	if (c->d.tok[obj].type != JSON_OBJECT)
		return meta_why(c->v, -EINVAL, "config is not an object");
	e = only_keys(c, obj, path, config_keys);
	if (!e)
		e = get_u64s(c, obj, path, "json_size", &n);
	if (!e && n != json_size && !c->any_json_size)
		e = meta_why(c->v, -EINVAL, "config.json_size %llu is not the header's %llu",
			(unsigned long long)n, (unsigned long long)json_size);
	if (!e)
		e = get_u64s(c, obj, path, "keyslots_size", &n);
	if (e)
		return e;
	if (n % 4096 || n > (uint64_t)INT64_MAX - 2 * c->v->hdr_size)
		return meta_why(c->v, -EINVAL, "config.keyslots_size %llu is not whole 4 KiB blocks",
			   (unsigned long long)n);
	c->keyslots_end = 2 * c->v->hdr_size + n;
	i = json_member(&c->d, obj, "flags");
	if (i) {
		if (c->d.tok[i].type != JSON_ARRAY)
			return meta_why(c->v, -EINVAL, "config.flags is not an array");
		for (k = json_first(&c->d, i); k; k = json_after(&c->d, i, k)) {
			unsigned int f;

			for (f = 0; f < ARRAY_SIZE(config_flags); f++)
				if (json_is(&c->d, k, config_flags[f].name))
					break;
			if (f == ARRAY_SIZE(config_flags))
				return meta_why(c->v, -ENOTSUP,
					   "config.flags: \"%s\" is not a flag handoff knows",
					   shown(c, k, name, sizeof(name)));
			c->v->flags |= config_flags[f].flag;
		}
	}
	i = json_member(&c->d, obj, "requirements");
	if (i) {
		static const char *const req_keys[] = { "mandatory", NULL };

		if (c->d.tok[i].type != JSON_OBJECT)
			return meta_why(c->v, -EINVAL, "config.requirements is not an object");
		e = only_keys(c, i, "config.requirements", req_keys);
		if (e)
			return e;
		k = json_member(&c->d, i, "mandatory");
		if (k && (c->d.tok[k].type != JSON_ARRAY || c->d.tok[k].count))
			return meta_why(c->v, -ENOTSUP,
				   "config.requirements.mandatory: \"%s\" is required and handoff does not have it (a reencryption in progress: finish it with cryptsetup)",
				   c->d.tok[k].type == JSON_ARRAY ? shown(c, k + 1, name, sizeof(name)) : "?");
	}
	return 0;
}

/* Each member of a section (keyslots, digests) through fn with its id. */
static int each_id(struct ctx *c, unsigned int top, const char *key, unsigned int max,
		   int (*fn)(struct ctx *, unsigned int, int))
{
	unsigned int o = 0, k;
	int e = member(c, top, "(top)", key, JSON_OBJECT, &o), id;

	if (e)
		return e;
	for (k = json_first(&c->d, o); k; k = json_after(&c->d, o, k)) {
		id = id_of(c, k, key, max);
		if (id < 0)
			return id;
		e = fn(c, k + 1, id);
		if (e)
			return e;
	}
	return 0;
}

static const char *const top_keys[] = { "keyslots", "tokens", "segments", "digests", "config", NULL };

static int parse_json(struct ctx *c, const char *json, size_t len)
{
	struct luks_volume *v = c->v;
	unsigned int o = 0, k;
	uint32_t bound = 0;
	int e, i, data = -1;

	e = json_parse(&c->d, json, len, json_toks, JSON_TOKENS);
	if (e)
		return meta_why(v, e == -E2BIG ? -ENOTSUP : -EINVAL,
			   "not JSON handoff reads: %s at byte %zu", c->d.why, c->d.at);
	if (c->d.tok[0].type != JSON_OBJECT)
		return meta_why(v, -EINVAL, "not a JSON object");
	e = only_keys(c, 0, "(top)", top_keys);
	if (!e)
		e = member(c, 0, "(top)", "config", JSON_OBJECT, &o);
	if (!e)
		e = read_config(c, o, len);
	/* The tokens (systemd-cryptenroll's TPM2, FIDO2, ...) unlock nothing here: not read. */
	if (!e && json_member(&c->d, 0, "tokens"))
		e = member(c, 0, "(top)", "tokens", JSON_OBJECT, &o);
	if (!e)
		e = member(c, 0, "(top)", "segments", JSON_OBJECT, &o);
	if (e)
		return e;
	k = json_first(&c->d, o);
	if (!k || c->d.tok[o].count != 1 || !json_is(&c->d, k, "0"))
		return meta_why(v, -ENOTSUP,
			   "segments: %u segments, handoff reads one (\"0\"); more belong to a reencryption in progress: finish it with cryptsetup",
			   c->d.tok[o].count);
	e = read_segment(c, k + 1);
	if (!e)
		e = each_id(c, 0, "keyslots", LUKS_SLOTS, read_keyslot);
	if (!e)
		e = each_id(c, 0, "digests", LUKS_DIGESTS, read_digest);
	if (e)
		return e;
	for (i = 0; i < LUKS_DIGESTS; i++) {
		if (!v->digest[i].used || !(v->digest[i].segments & 1))
			continue;
		if (data >= 0)
			return meta_why(v, -EINVAL, "digests %d and %d both name segment 0",
				   data, i);
		data = i;
	}
	if (data < 0)
		return meta_why(v, -EINVAL, "no digest names segment 0: its key cannot be checked");
	for (i = 0; i < LUKS_DIGESTS; i++)
		if (v->digest[i].used)
			bound |= v->digest[i].keyslots;
	for (i = 0; i < LUKS_SLOTS; i++) {
		struct luks_keyslot *s = &v->slot[i];

		if (bound & (1u << i) && !s->used)
			return meta_why(v, -EINVAL, "a digest names keyslot %d, which does not exist",
				   i);
		if (!(v->digest[data].keyslots & (1u << i)))
			continue;
		if (!v->key_size)
			v->key_size = s->key_size;
		else if (s->key_size != v->key_size)
			return meta_why(v, -EINVAL,
				   "keyslots.%d.key_size %u differs from the other keyslots' %u",
				   i, s->key_size, v->key_size);
	}
	if (!v->key_size)
		return meta_why(v, -EINVAL, "no keyslot holds the key of segment 0");
	return 0;
}

int luks2_parse_json(const char *json, size_t len, struct luks_volume *v)
{
	struct ctx c = { .v = v, .any_json_size = true };

	memset(v, 0, sizeof(*v));
	v->version = 2;
	v->hdr_size = LUKS2_HDR_MIN;
	return parse_json(&c, json, len);
}

/* ---- LUKS2: the two header copies ---- */

struct copy {
	int e;
	uint64_t hdr_size, seqid;
	char why[LUKS_WHY_MAX];
};

static bool valid_hdr_size(uint64_t n)
{
	return n >= LUKS2_HDR_MIN && n <= LUKS2_HDR_LARGEST && !(n & (n - 1));
}

static int copy_bad(struct copy *cp, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int copy_bad(struct copy *cp, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vbuf(cp->why, sizeof(cp->why), fmt, ap);
	va_end(ap);
	return cp->e = e;
}

/*
 * Reads the copy at off into hdr_buf and checks it; size is what the
 * other copy says (0 when unknown). Sets cp->e (0 when valid) and why.
 */
static int check_copy(int fd, uint64_t off, const char *name, struct copy *cp)
{
	const uint8_t *h = (const uint8_t *)hdr_buf;
	uint8_t sum[HASH_MAX_DIGEST], zero[64] = { 0 };
	struct hash_ctx hc;
	char alg_name[32];
	int e, alg;

	memset(cp, 0, sizeof(*cp));
	e = read_at(fd, hdr_buf, LUKS2_BIN_SIZE, off);
	if (e)
		return copy_bad(cp, e, "the %s header at byte %llu cannot be read (%s)", name,
				(unsigned long long)off, e == -ENODATA ? "past the end" : "read error");
	if (memcmp(h, off ? luks2_magic2 : luks_magic, 6))
		return copy_bad(cp, -ENOENT, "the %s header has no LUKS2 magic", name);
	if (be16(h + 6) != 2)
		return copy_bad(cp, -EINVAL, "the %s header's version is %u, not 2", name, be16(h + 6));
	cp->hdr_size = be64(h + 8);
	cp->seqid = be64(h + 16);
	if (!valid_hdr_size(cp->hdr_size))
		return copy_bad(cp, -EINVAL, "the %s header's size %llu is not one LUKS2 has", name,
				(unsigned long long)cp->hdr_size);
	if (be64(h + 256) != off)
		return copy_bad(cp, -EINVAL, "the %s header says it lies at byte %llu, not %llu", name,
				(unsigned long long)be64(h + 256), (unsigned long long)off);
	if (off && off != cp->hdr_size)
		return copy_bad(cp, -EINVAL, "the %s header's size %llu does not match its place", name,
				(unsigned long long)cp->hdr_size);
	if (cp->hdr_size > LUKS2_HDR_MAX)
		return copy_bad(cp, -ENOTSUP,
				"the %s header's metadata is %llu KiB; handoff reads up to %u KiB (cryptsetup --luks2-metadata-size)",
				name, (unsigned long long)cp->hdr_size / 1024, LUKS2_HDR_MAX / 1024);
	copy_field(alg_name, sizeof(alg_name), h + 72, 32);
	alg = hash_by_name(alg_name);
	if (alg < 0)
		return copy_bad(cp, -ENOTSUP, "the %s header's checksum \"%s\" is not supported", name,
				alg_name);
	e = read_at(fd, hdr_buf + LUKS2_BIN_SIZE, cp->hdr_size - LUKS2_BIN_SIZE,
		    off + LUKS2_BIN_SIZE);
	if (e)
		return copy_bad(cp, e, "the %s header's JSON area cannot be read (%s)", name,
				e == -ENODATA ? "past the end" : "read error");
	/* The checksum covers the whole copy with its own field zeroed. */
	hash_init(&hc, (enum hash_alg)alg);
	hash_update(&hc, hdr_buf, 448);
	hash_update(&hc, zero, sizeof(zero));
	hash_update(&hc, hdr_buf + 512, cp->hdr_size - 512);
	hash_final(&hc, sum);
	if (memcmp(sum, h + 448, hash_digest_len((enum hash_alg)alg)))
		return copy_bad(cp, -EINVAL, "the %s header's checksum does not match", name);
	return cp->e = 0;
}

static void take_binary(struct luks_volume *v, const struct copy *cp)
{
	const uint8_t *h = (const uint8_t *)hdr_buf;

	v->version = 2;
	v->hdr_size = cp->hdr_size;
	v->seqid = cp->seqid;
	copy_field(v->label, sizeof(v->label), h + 24, 48);
	copy_field(v->uuid, sizeof(v->uuid), h + 168, 40);
	copy_field(v->subsystem, sizeof(v->subsystem), h + 208, 48);
}

static int read_luks2(int fd, struct luks_volume *v)
{
	struct copy p, s;
	struct ctx c = { .v = v };
	uint64_t off;
	bool use_secondary;
	int e;

	check_copy(fd, 0, "primary", &p);
	if (p.hdr_size && valid_hdr_size(p.hdr_size)) {
		check_copy(fd, p.hdr_size, "secondary", &s);
	} else {
		/* The primary does not say where the secondary is: look at every place it can be. */
		for (off = LUKS2_HDR_MIN; off <= LUKS2_HDR_LARGEST; off *= 2) {
			check_copy(fd, off, "secondary", &s);
			if (s.e != -ENOENT && s.e != -ENODATA)
				break;
		}
	}
	if (p.e && s.e) {
		if (p.e == -ENOENT && (s.e == -ENOENT || s.e == -ENODATA))
			return luks_why(v, -ENOENT, "no LUKS header");
		if (p.e == -ENOTSUP || s.e == -ENOTSUP)
			return luks_why(v, -ENOTSUP, "%s", p.e == -ENOTSUP ? p.why : s.why);
		return luks_why(v, -EINVAL,
			   "both LUKS2 headers are damaged: %s; %s (restore a header backup with cryptsetup luksHeaderRestore)",
			   p.why, s.why);
	}
	use_secondary = p.e || (!s.e && s.seqid > p.seqid);
	if (use_secondary) {
		v->secondary = true;
		if (p.e)
			str_copy(v->primary_why, p.why, sizeof(v->primary_why));
		else
			fmt_buf(v->primary_why, sizeof(v->primary_why),
				"the primary header is older (seqid %llu) than the secondary (%llu)",
				(unsigned long long)p.seqid, (unsigned long long)s.seqid);
	}
	/* hdr_buf holds the copy checked last: read the chosen one again when that was the other. */
	e = check_copy(fd, use_secondary ? s.hdr_size : 0, use_secondary ? "secondary" : "primary",
		       use_secondary ? &s : &p);
	if (e)
		return luks_why(v, e, "%s (it changed while it was read)", use_secondary ? s.why : p.why);
	take_binary(v, use_secondary ? &s : &p);
	return parse_json(&c, hdr_buf + LUKS2_BIN_SIZE, v->hdr_size - LUKS2_BIN_SIZE);
}

int luks_read(int fd, bool detached, struct luks_volume *v)
{
	uint8_t h[LUKS1_HDR_SIZE];
	int e;

	memset(v, 0, sizeof(*v));
	v->detached = detached;
	e = read_at(fd, h, sizeof(h), 0);
	if (e == -ENODATA)
		return luks_why(v, -ENOENT, "no LUKS header: the device is smaller than one");
	if (e)
		return luks_why(v, e, "the LUKS header cannot be read");
	if (!memcmp(h, luks_magic, 6) && be16(h + 6) == 1) {
		v->version = 1;
		return read_luks1(h, v);
	}
	e = read_luks2(fd, v);
	if (e && v->version)
		v->version = 0;
	return e;
}
