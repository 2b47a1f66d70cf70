/*
 * Unlocking a LUKS keyslot with a passphrase (luks.h): the KDF, the
 * keyslot area decrypted (the kernel's cipher through AF_ALG where there
 * is one, else luks/aes.c; the init has only the kernel's), the
 * anti-forensic merge and the digest check.
 */
#include "luks/luks.h"
#include "luks/aes.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif
/* From the kernel's uapi <linux/if_alg.h> (musl's headers have no linux/). */
struct alg_addr {
	uint16_t family;
	uint8_t type[14];
	uint32_t feat, mask;
	uint8_t name[64];
};
struct alg_iv {
	uint32_t ivlen;
	uint8_t iv[16];
};
#define ALG_KEY 1
#define ALG_IV 2
#define ALG_OP 3
#define ALG_DECRYPT 0

/* The largest split key: 4000 stripes of a 512-bit key, in whole sectors. */
#define SPLIT_MAX (((size_t)LUKS_KEY_MAX * 4000 + 511) / 512 * 512)

/* A keyslot area cipher: "aes-xts-plain64" and the like. */
struct area_cipher {
	enum sector_mode mode;
	bool essiv;		/* essiv:sha256 */
	bool plain32;		/* plain: the sector number cut to 32 bits */
	const char *kernel;	/* the kernel's name for it */
};

static int parse_cipher(const char *spec, size_t keylen, struct area_cipher *c)
{
	static const struct {
		const char *spec, *kernel;
		enum sector_mode mode;
		bool essiv, plain32;
	} known[] = {
		{ "aes-xts-plain64", "xts(aes)", SECTOR_XTS, false, false },
		{ "aes-xts-plain", "xts(aes)", SECTOR_XTS, false, true },
		{ "aes-cbc-essiv:sha256", "essiv(cbc(aes),sha256)", SECTOR_CBC, true, false },
		{ "aes-cbc-plain64", "cbc(aes)", SECTOR_CBC, false, false },
		{ "aes-cbc-plain", "cbc(aes)", SECTOR_CBC, false, true },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (strcmp(spec, known[i].spec))
			continue;
		c->mode = known[i].mode;
		c->essiv = known[i].essiv;
		c->plain32 = known[i].plain32;
		c->kernel = known[i].kernel;
		if (c->mode == SECTOR_XTS ? keylen != 32 && keylen != 48 && keylen != 64 :
					    keylen != 16 && keylen != 24 && keylen != 32)
			return -EINVAL;
		return 0;
	}
	return -ENOTSUP;
}

struct iv_ctx {
	const struct area_cipher *c;
	struct aes_key essiv;	/* ESSIV's key: SHA-256 of the area key */
};

/* plain64 or plain: the sector's number, little-endian, in a zeroed block. */
static void plain_iv(uint64_t sector, uint8_t *iv, bool plain32)
{
	unsigned int i;

	memset(iv, 0, 16);
	if (plain32)
		sector &= 0xffffffffu;
	for (i = 0; i < 8; i++)
		iv[i] = (uint8_t)(sector >> (8 * i));
}

static void soft_iv(uint64_t sector, uint8_t *iv, void *ctx)
{
	struct iv_ctx *x = ctx;

	plain_iv(sector, iv, x->c->plain32);
	if (x->c->essiv)
		aes_encrypt(&x->essiv, iv, iv);
}

static int soft_decrypt(const struct area_cipher *c, const uint8_t *key, size_t keylen,
			uint8_t *buf, size_t len)
{
	struct iv_ctx x = { .c = c };
	uint8_t h[32];
	int e;

	if (c->essiv) {
		hash_buf(HASH_SHA256, key, keylen, h);
		aes_setkey(&x.essiv, h, sizeof(h));
		secret_wipe(h, sizeof(h));
	}
	e = aes_sectors_decrypt(c->mode, key, keylen, buf, len, soft_iv, &x);
	secret_wipe(&x, sizeof(x));
	return e;
}

/*
 * The kernel's skcipher through AF_ALG (Documentation/crypto/userspace-if.rst),
 * one 512-byte sector per request with its IV. -EAFNOSUPPORT or -ENOENT
 * when the kernel has no AF_ALG or not the algorithm.
 */
static int kernel_decrypt(const struct area_cipher *c, const uint8_t *key, size_t keylen,
			  uint8_t *buf, size_t len)
{
	struct alg_addr sa = { .family = AF_ALG, .type = "skcipher" };
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t)) + CMSG_SPACE(sizeof(struct alg_iv))];
		struct cmsghdr align;
	} cbuf;
	int tfm, op = -1, e = 0;
	size_t off;

	tfm = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (tfm < 0)
		return -errno;
	str_copy((char *)sa.name, c->kernel, sizeof(sa.name));
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(tfm, SOL_ALG, ALG_KEY, key, (socklen_t)keylen)) {
		e = -errno;
		goto out;
	}
	/* The raw calls: musl's accept4() and sendmsg() wrappers cost the init 0.5 KiB. */
	op = (int)syscall(SYS_accept4, tfm, NULL, NULL, SOCK_CLOEXEC);
	if (op < 0) {
		e = -errno;
		goto out;
	}
	for (off = 0; off < len && !e; off += 512) {
		struct iovec iov = { .iov_base = buf + off, .iov_len = 512 };
		struct msghdr msg = { .msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *cm;
		struct alg_iv *aiv;
		uint32_t opv = ALG_DECRYPT;
		ssize_t n;

		memset(cbuf.buf, 0, sizeof(cbuf.buf));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_ALG;
		cm->cmsg_type = ALG_OP;
		cm->cmsg_len = CMSG_LEN(sizeof(opv));
		memcpy(CMSG_DATA(cm), &opv, sizeof(opv));
		/* The second header right after the first (musl's CMSG_NXTHDR() trips clang's -Wsign-compare). */
		cm = (struct cmsghdr *)(void *)(cbuf.buf + CMSG_SPACE(sizeof(opv)));
		cm->cmsg_level = SOL_ALG;
		cm->cmsg_type = ALG_IV;
		cm->cmsg_len = CMSG_LEN(sizeof(*aiv));
		aiv = (struct alg_iv *)(void *)CMSG_DATA(cm);
		aiv->ivlen = 16;
		/* ESSIV is the kernel's template here: it encrypts the plain IV itself. */
		plain_iv(off / 512, aiv->iv, c->plain32);
		n = syscall(SYS_sendmsg, op, &msg, 0);
		if (n != 512) {
			e = n < 0 ? -errno : -EIO;
			break;
		}
		do
			n = read(op, buf + off, 512);
		while (n < 0 && errno == EINTR);
		if (n != 512)
			e = n < 0 ? -errno : -EIO;
	}
out:
	if (op >= 0)
		close(op);
	close(tfm);
	return e;
}

/*
 * The kernel's cipher, and the built-in AES when the kernel has no AF_ALG
 * or not the algorithm (the buffer is then unchanged). The init has no
 * built-in AES (aes_builtin): the kernel's error stands.
 */
static int area_decrypt(const struct area_cipher *c, const uint8_t *key, size_t keylen,
			uint8_t *buf, size_t len, enum luks_cipher_by by, bool *kernel)
{
	int e = -EAFNOSUPPORT;

	*kernel = by != LUKS_CIPHER_BUILTIN;
	if (*kernel)
		e = kernel_decrypt(c, key, keylen, buf, len);
	if (by == LUKS_CIPHER_BUILTIN ||
	    (by == LUKS_CIPHER_ANY && (e == -EAFNOSUPPORT || e == -ENOENT))) {
		/* A constant: the init's build drops the built-in path whole. */
		if (!aes_builtin)
			return by == LUKS_CIPHER_BUILTIN ? -ENOPKG : e;
		*kernel = false;
		e = soft_decrypt(c, key, keylen, buf, len);
	}
	return e;
}

int luks_area_decrypt(const char *cipher, const uint8_t *key, size_t keylen, uint8_t *buf,
		      size_t len, enum luks_cipher_by by)
{
	struct area_cipher c;
	bool kernel;
	int e = parse_cipher(cipher, keylen, &c);

	if (e)
		return e;
	if (len % 512)
		return -EINVAL;
	return area_decrypt(&c, key, keylen, buf, len, by, &kernel);
}

/* d = H(be32(j) || d block j) over each digest-sized block (the AF splitter's diffuse). */
static void diffuse(enum hash_alg alg, uint8_t *d, size_t len)
{
	size_t ds = hash_digest_len(alg), off;
	uint8_t out[HASH_MAX_DIGEST];
	struct hash_ctx hc;
	uint32_t j;

	for (j = 0, off = 0; off < len; j++, off += ds) {
		uint8_t iv[4] = { (uint8_t)(j >> 24), (uint8_t)(j >> 16), (uint8_t)(j >> 8), (uint8_t)j };
		size_t n = len - off < ds ? len - off : ds;

		hash_init(&hc, alg);
		hash_update(&hc, iv, 4);
		hash_update(&hc, d + off, n);
		hash_final(&hc, out);
		memcpy(d + off, out, n);
	}
	secret_wipe(out, sizeof(out));
	secret_wipe(&hc, sizeof(hc));
}

/* The anti-forensic merge: key = S[n-1] ^ diffuse(... diffuse(S[0]) ^ S[1] ...). */
static void af_merge(const uint8_t *src, size_t keylen, uint32_t stripes, enum hash_alg alg,
		     uint8_t *key)
{
	uint32_t i;
	size_t k;

	memset(key, 0, keylen);
	for (i = 0; i < stripes; i++) {
		for (k = 0; k < keylen; k++)
			key[k] ^= src[(size_t)i * keylen + k];
		if (i + 1 < stripes)
			diffuse(alg, key, keylen);
	}
}

static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	while (n--)
		d |= *a++ ^ *b++;
	return !d;
}

/* MemAvailable in KiB, or 0 when it cannot be read. */
static uint64_t mem_available(void)
{
	char text[4096];
	const char *p;
	uint64_t kib = 0;

	if (read_text("/proc/meminfo", text, sizeof(text)) < 0)
		return 0;
	p = str_find(text, "MemAvailable:");
	if (!p)
		return 0;
	for (p += 13; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		kib = kib * 10 + (uint64_t)(*p - '0');
	return kib;
}

/* The keyslot key from the passphrase into dk (s->area_key_size bytes). */
static int derive(struct luks_volume *v, int n, const struct luks_keyslot *s, const void *pass,
		  size_t passlen, uint8_t *dk)
{
	struct argon2_params a;
	uint64_t avail;
	int e;

	if (s->kdf == LUKS_KDF_PBKDF2) {
		e = pbkdf2(s->kdf_hash, pass, passlen, s->salt, s->salt_len, s->iterations, dk,
			   s->area_key_size);
		return e ? luks_why(v, e, "keyslot %d: PBKDF2 failed", n) : 0;
	}
	avail = mem_available();
	if (avail && s->memory > avail)
		return luks_why(v, -ENOMEM,
			   "keyslot %d: Argon2 needs %u KiB of memory and the machine has %llu KiB available; add a keyslot with less (cryptsetup luksAddKey --pbkdf-memory)",
			   n, s->memory, (unsigned long long)avail);
	memset(&a, 0, sizeof(a));
	a.type = s->kdf == LUKS_KDF_ARGON2ID ? ARGON2_ID : ARGON2_I;
	a.t_cost = s->iterations;
	a.m_cost = s->memory;
	a.lanes = s->cpus;
	a.pw = pass;
	a.pwlen = passlen;
	a.salt = s->salt;
	a.saltlen = s->salt_len;
	e = argon2(&a, dk, s->area_key_size);
	if (e == -ENOMEM)
		return luks_why(v, e, "keyslot %d: Argon2's %u KiB of memory cannot be had (%llu KiB available)",
			   n, s->memory, (unsigned long long)avail);
	return e ? luks_why(v, e, "keyslot %d: Argon2 failed", n) : 0;
}

/*
 * Keyslot n's area cipher, and whether its key material fits: 0, or -errno
 * with v->why. Always inlined: the init's code stays what it was (its size floor).
 */
static inline __attribute__((always_inline)) int
slot_cipher(struct luks_volume *v, int n, struct area_cipher *c)
{
	const struct luks_keyslot *s = &v->slot[n];
	size_t len = ((size_t)s->key_size * s->stripes + 511) / 512 * 512;
	int e = parse_cipher(s->cipher, s->area_key_size, c);

	/* e itself is returned, not luks_why()'s: the compiler then knows c is set when it is 0. */
	if (e == -ENOTSUP)
		luks_why(v, e,
			 "keyslot %d: cipher %s is not supported: handoff decrypts keyslots in aes-xts-plain64, aes-xts-plain, aes-cbc-essiv:sha256, aes-cbc-plain64, aes-cbc-plain (add such a keyslot with cryptsetup luksAddKey)",
			 n, s->cipher);
	else if (e)
		luks_why(v, e = -EINVAL, "keyslot %d: a %u-byte key does not fit cipher %s", n,
			 s->area_key_size, s->cipher);
	else if (len > SPLIT_MAX || len > s->area_size || s->key_size > LUKS_KEY_MAX)
		luks_why(v, e = -EINVAL, "keyslot %d: its key material does not fit its area", n);
	return e;
}

int luks_slot_check(struct luks_volume *v, int n)
{
	struct area_cipher c;

	return slot_cipher(v, n, &c);
}

/* One keyslot: 0 and the key, -EPERM for a wrong passphrase, or -errno with v->why. */
static int try_slot(int fd, struct luks_volume *v, int n, const struct luks_digest *g,
		    const void *pass, size_t passlen, uint8_t *area, uint8_t *key, bool *kernel)
{
	const struct luks_keyslot *s = &v->slot[n];
	size_t len = ((size_t)s->key_size * s->stripes + 511) / 512 * 512;
	uint8_t dk[LUKS_KEY_MAX], check[HASH_MAX_DIGEST];
	struct area_cipher c;
	ssize_t r;
	size_t got;
	int e;

	e = slot_cipher(v, n, &c);
	if (e)
		return e;
	e = derive(v, n, s, pass, passlen, dk);
	if (e)
		goto out;
	for (got = 0; got < len; got += (size_t)r) {
		r = pread(fd, area + got, len - got, (off_t)(s->area_offset + got));
		if (r < 0 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0) {
			e = luks_why(v, r ? -errno : -EIO, "keyslot %d: its area at byte %llu cannot be read",
				n, (unsigned long long)s->area_offset);
			goto out;
		}
	}
	e = area_decrypt(&c, dk, s->area_key_size, area, len, LUKS_CIPHER_ANY, kernel);
	if (e == -EAFNOSUPPORT || (e == -ENOENT && *kernel)) {
		/* Only the init, which has no built-in AES, gets here. */
		luks_why(v, e,
			 "keyslot %d: the kernel has no %s%s for its area: enable CONFIG_CRYPTO_USER_API_SKCIPHER, or add algif_skcipher and the cipher's modules to the image",
			 n, e == -ENOENT ? "AF_ALG skcipher or no " : "AF_ALG", e == -ENOENT ? c.kernel : "");
		goto out;
	}
	if (e) {
		luks_why(v, e, "keyslot %d: the keyslot area cannot be decrypted (%s)", n,
			 *kernel ? c.kernel : "built-in AES");
		goto out;
	}
	af_merge(area, s->key_size, s->stripes, s->af_hash, key);
	e = pbkdf2(g->hash, key, s->key_size, g->salt, g->salt_len, g->iterations, check,
		   g->digest_len);
	if (e)
		luks_why(v, e, "keyslot %d: the digest cannot be computed", n);
	else if (!same(check, g->digest, g->digest_len))
		e = -EPERM;
out:
	secret_wipe(dk, sizeof(dk));
	secret_wipe(check, sizeof(check));
	secret_wipe(area, len <= SPLIT_MAX ? len : SPLIT_MAX);
	if (e)
		secret_wipe(key, LUKS_KEY_MAX);
	return e;
}

int luks_unlock(int fd, struct luks_volume *v, const void *pass, size_t passlen, uint8_t *key,
		size_t *keylen, struct luks_unlocked *how)
{
	const struct luks_digest *g = NULL;
	char first[LUKS_WHY_MAX] = "";
	int i, pr, e, result = -EPERM;
	bool tried = false, kernel = false;
	uint8_t *area;

	g = luks_segment_digest(v);
	if (!g || !v->key_size || v->key_size > LUKS_KEY_MAX)
		return luks_why(v, -EINVAL, "no digest for the data segment: read the header first");
	area = mmap(NULL, SPLIT_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return luks_why(v, -ENOMEM, "no memory for a keyslot area (%zu KiB)", SPLIT_MAX / 1024);
	v->why[0] = '\0';
	/* High priority first, then normal; priority 0 is only for a keyslot asked for by number. */
	for (pr = 2; pr >= 1; pr--) {
		for (i = 0; i < LUKS_SLOTS; i++) {
			if (LUKS_SLOT_SKIPPED(v, g, i, pr))
				continue;
			tried = true;
			e = try_slot(fd, v, i, g, pass, passlen, area, key, &kernel);
			if (!e) {
				*keylen = v->key_size;
				if (how) {
					how->slot = i;
					how->kernel_cipher = kernel;
				}
				v->why[0] = '\0';
				munmap(area, SPLIT_MAX);
				return 0;
			}
			/* A keyslot that cannot be tried is said; the first such reason is kept. */
			if (e != -EPERM && result == -EPERM) {
				result = e;
				str_copy(first, v->why, sizeof(first));
			}
		}
	}
	munmap(area, SPLIT_MAX);
	if (!tried)
		return luks_why(v, -ENOKEY, "no keyslot holds the volume key (all have priority 0?)");
	if (result == -EPERM)
		return luks_why(v, -EPERM, "no keyslot opens with this passphrase");
	str_copy(v->why, first, sizeof(v->why));
	return result;
}
