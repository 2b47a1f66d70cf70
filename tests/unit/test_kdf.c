/*
 * The hashes and KDFs that unlock LUKS keyslots, against the published
 * vectors: FIPS 180-4's examples (NIST's "abc", 448- and 896-bit messages
 * and the million 'a'), RFC 6070 (PBKDF2-HMAC-SHA1), RFC 7693 (BLAKE2b),
 * RFC 9106 section 5 (Argon2d, Argon2i, Argon2id). The other expected
 * values were computed on the host by Python's hashlib (PBKDF2-HMAC-SHA256
 * and -SHA512, padding boundaries, BLAKE2b lengths) and by the argon2 tool
 * of Debian's argon2 package (more lanes, odd memory sizes, long tags).
 */
#include "check.h"
#include "crypto/kdf.h"
#include "crypto/hash_impl.h"

#include <errno.h>
#include <stdlib.h>

static char hex[1024];

static const char *tohex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && 2 * i + 2 < sizeof(hex); i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * n < sizeof(hex) ? 2 * n : sizeof(hex) - 1] = 0;
	return hex;
}

static const char *hash_hex(enum hash_alg alg, const void *p, size_t n)
{
	uint8_t d[HASH_MAX_DIGEST];

	hash_buf(alg, p, n, d);
	return tohex(d, hash_digest_len(alg));
}

/* The million 'a' in uneven pieces, so that the buffering is tested too. */
static const char *million_a(enum hash_alg alg)
{
	static char a[1000];
	struct hash_ctx c;
	uint8_t d[HASH_MAX_DIGEST];
	size_t done = 0, step = 1;

	memset(a, 'a', sizeof(a));
	hash_init(&c, alg);
	while (done < 1000000) {
		size_t n = 1000000 - done < step ? 1000000 - done : step;

		hash_update(&c, a, n);
		done += n;
		step = step * 7 % 997 + 1;
	}
	hash_final(&c, d);
	return tohex(d, hash_digest_len(alg));
}

static const char *pbkdf2_hex(enum hash_alg alg, const char *pw, size_t pwlen,
			      const char *salt, size_t saltlen, uint32_t iter, size_t outlen)
{
	uint8_t out[200];

	if (pbkdf2(alg, pw, pwlen, salt, saltlen, iter, out, outlen))
		return "(error)";
	return tohex(out, outlen);
}

static const char *argon2_hex(enum argon2_type type, uint32_t t, uint32_t m, uint32_t lanes,
			      size_t outlen)
{
	static const char pw[] = "correct horse", salt[] = "saltsaltsalt1234";
	struct argon2_params a = {
		.type = type, .t_cost = t, .m_cost = m, .lanes = lanes,
		.pw = pw, .pwlen = sizeof(pw) - 1, .salt = salt, .saltlen = sizeof(salt) - 1,
	};
	uint8_t out[128];

	if (argon2(&a, out, outlen))
		return "(error)";
	return tohex(out, outlen);
}

static const char *rfc9106(enum argon2_type type)
{
	uint8_t pw[32], salt[16], secret[8], ad[12], out[32];
	struct argon2_params a = {
		.type = type, .t_cost = 3, .m_cost = 32, .lanes = 4,
		.pw = pw, .pwlen = sizeof(pw), .salt = salt, .saltlen = sizeof(salt),
		.secret = secret, .secretlen = sizeof(secret), .ad = ad, .adlen = sizeof(ad),
	};

	memset(pw, 1, sizeof(pw));
	memset(salt, 2, sizeof(salt));
	memset(secret, 3, sizeof(secret));
	memset(ad, 4, sizeof(ad));
	if (argon2(&a, out, sizeof(out)))
		return "(error)";
	return tohex(out, sizeof(out));
}

#define S448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define S896 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

/* Every vector, on the code path the CPU picks and on the portable one. */
static void vectors(const char *path)
{
	static const struct {
		size_t len;
		const char *sha1, *sha256, *sha512;	/* first 8 bytes of each */
	} edges[] = {
		{ 55, "8ae2d46729cfe68f", "463eb28e72f82e0a", "6856647f269c2ee3" },
		{ 56, "636e2ec698dac903", "da2ae4d6b36748f2", "8b12b2f6fe400a51" },
		{ 63, "6d942da0c4392b12", "29af2686fd53374a", "9dc9c5598e55dc42" },
		{ 64, "c6138d514ffa2135", "fdeab9acf3710362", "ee4320ebaf3fdb4f" },
		{ 111, "bc544e24573d5922", "60780e9451bdc43c", "a1a111449b198d9b" },
		{ 112, "e4ce142d09a84a86", "09373f127d34e61d", "c5fbd731d19d2ae1" },
		{ 127, "89d7312a903f65cd", "92ca0fa6651ee2f9", "eab89674feaa34e2" },
		{ 128, "e6434bc401f98603", "471fb943aa23c511", "1dffd5e3adb71d45" },
		{ 129, "3352e41cc30b40ae", "5099c6a56203f968", "1d9da57fbbdab09a" },
	};
	uint8_t seq[200], out[64];
	char k100[101], s70[71], k200[201], s130[131];

	for (size_t i = 0; i < sizeof(seq); i++)
		seq[i] = (uint8_t)i;

	TEST("hash_by_name [%s]", path);
	CHECK_INT(hash_by_name("sha1"), HASH_SHA1);
	CHECK_INT(hash_by_name("sha256"), HASH_SHA256);
	CHECK_INT(hash_by_name("sha512"), HASH_SHA512);
	CHECK_INT(hash_by_name("sha384"), -ENOENT);
	CHECK_INT(hash_by_name("SHA256"), -ENOENT);
	CHECK_INT(hash_digest_len(HASH_SHA1), 20);
	CHECK_INT(hash_digest_len(HASH_SHA512), 64);

	TEST("SHA-1 (FIPS 180-4 examples) [%s]", path);
	CHECK_STR(hash_hex(HASH_SHA1, "abc", 3), "a9993e364706816aba3e25717850c26c9cd0d89d");
	CHECK_STR(hash_hex(HASH_SHA1, S448, 56), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	CHECK_STR(hash_hex(HASH_SHA1, "", 0), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	CHECK_STR(million_a(HASH_SHA1), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");

	TEST("SHA-256 (FIPS 180-4 examples) [%s]", path);
	CHECK_STR(hash_hex(HASH_SHA256, "abc", 3),
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_STR(hash_hex(HASH_SHA256, S448, 56),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	CHECK_STR(hash_hex(HASH_SHA256, "", 0),
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_STR(million_a(HASH_SHA256),
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	TEST("SHA-512 (FIPS 180-4 examples) [%s]", path);
	CHECK_STR(hash_hex(HASH_SHA512, "abc", 3),
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	CHECK_STR(hash_hex(HASH_SHA512, S448, 56),
		  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
		  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
	CHECK_STR(hash_hex(HASH_SHA512, S896, 112),
		  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
	CHECK_STR(million_a(HASH_SHA512),
		  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
		  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");

	TEST("SHA padding at the block edges [%s]", path);
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		hash_buf(HASH_SHA1, seq, edges[i].len, out);
		CHECK_STR(tohex(out, 8), edges[i].sha1);
		hash_buf(HASH_SHA256, seq, edges[i].len, out);
		CHECK_STR(tohex(out, 8), edges[i].sha256);
		hash_buf(HASH_SHA512, seq, edges[i].len, out);
		CHECK_STR(tohex(out, 8), edges[i].sha512);
	}

	TEST("SHA extensions and portable code agree (SHA-NI %s) [%s]",
	     cpu_has_sha_ni() ? "present" : "absent or unused: both are the portable code", path);
	{
		uint8_t data[64 * 9];
		uint32_t a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, b[8];

		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 131 + 7);
		memcpy(b, a, sizeof(a));
		sha256_blocks(a, data, 9);
		sha256_blocks_c(b, data, 9);
		CHECK(!memcmp(a, b, sizeof(a)));
		memcpy(b, a, sizeof(a));
		sha1_blocks(a, data, 9);
		sha1_blocks_c(b, data, 9);
		CHECK(!memcmp(a, b, 20));
	}

	TEST("PBKDF2-HMAC-SHA1 (RFC 6070) [%s]", path);
	CHECK_STR(pbkdf2_hex(HASH_SHA1, "password", 8, "salt", 4, 1, 20),
		  "0c60c80f961f0e71f3a9b524af6012062fe037a6");
	CHECK_STR(pbkdf2_hex(HASH_SHA1, "password", 8, "salt", 4, 2, 20),
		  "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
	CHECK_STR(pbkdf2_hex(HASH_SHA1, "password", 8, "salt", 4, 4096, 20),
		  "4b007901b765489abead49d926f721d065a429c1");
	CHECK_STR(pbkdf2_hex(HASH_SHA1, "passwordPASSWORDpassword", 24,
			     "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096, 25),
		  "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
	CHECK_STR(pbkdf2_hex(HASH_SHA1, "pass\0word", 9, "sa\0lt", 5, 4096, 16),
		  "56fa6aa75548099dcc37d7f03425e0c3");

	TEST("PBKDF2-HMAC-SHA256 and -SHA512 [%s]", path);
	CHECK_STR(pbkdf2_hex(HASH_SHA256, "password", 8, "salt", 4, 1, 32),
		  "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
	CHECK_STR(pbkdf2_hex(HASH_SHA256, "password", 8, "salt", 4, 2, 32),
		  "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
	CHECK_STR(pbkdf2_hex(HASH_SHA256, "password", 8, "salt", 4, 4096, 32),
		  "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
	CHECK_STR(pbkdf2_hex(HASH_SHA256, "passwordPASSWORDpassword", 24,
			     "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096, 40),
		  "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
	CHECK_STR(pbkdf2_hex(HASH_SHA512, "password", 8, "salt", 4, 1, 64),
		  "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
		  "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce");
	CHECK_STR(pbkdf2_hex(HASH_SHA512, "password", 8, "salt", 4, 4096, 64),
		  "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5"
		  "143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5");
	CHECK_STR(pbkdf2_hex(HASH_SHA512, "passwordPASSWORDpassword", 24,
			     "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36, 4096, 80),
		  "8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71"
		  "115b59f9e60cd9532fa33e0f75aefe30225c583a186cd82bd4daea9724a3d3b8"
		  "04f75bdd41494fa324cab24bcc680fb3");

	TEST("PBKDF2 with keys longer than a block and several output blocks [%s]", path);
	memset(k100, 'k', 100);
	memset(s70, 's', 70);
	memset(k200, 'k', 200);
	memset(s130, 's', 130);
	CHECK_STR(pbkdf2_hex(HASH_SHA1, k100, 100, s70, 70, 1000, 50),
		  "0efaa5a28a1df49c86f17cd9cfee408f4b3fca221e560b51e0d4a125e96bbf07"
		  "64241073103364cff637720f2190b427d1c3");
	CHECK_STR(pbkdf2_hex(HASH_SHA256, k100, 100, s70, 70, 1000, 100),
		  "1ea3d651a6c9a658477f26b1a6e7167c77a1952767f608d3f6828815bf3a5789"
		  "fbcb2b5ea2669406f38e9802f7a42ac8066305db0c687e60f218816917a4b0b1"
		  "9fd44f69fe7ca275c04d8fcce30832afdf10f2c058e2dc7a7c53687a25bf54a2"
		  "76f1acaa");
	CHECK_STR(pbkdf2_hex(HASH_SHA512, k200, 200, s130, 130, 1000, 150),
		  "bae385267c37a0db374cec1704321c9bc4d8e509a1c2e707b2c8bb9a115707e5"
		  "1456eda551dd4f197d245616784ac1ada03797445d1a52eae31c98a141a310e4"
		  "3167535b533061f3d114d2993be9a4a9ed37f3d0a0425c791798b33d0888eaea"
		  "09d521f44c2c13a4d7e42687c754b13d9b2bfcffbd38e424ad053495903db705"
		  "adb52129ca8deb190bbfcc260c804b9af1cf84af4503");
	CHECK_INT(pbkdf2(HASH_SHA256, "p", 1, "s", 1, 0, out, 32), -EINVAL);
	CHECK_INT(pbkdf2((enum hash_alg)3, "p", 1, "s", 1, 1, out, 32), -EINVAL);

	TEST("BLAKE2b (RFC 7693 appendix A, and other lengths) [%s]", path);
	blake2b("abc", 3, out, 64);
	CHECK_STR(tohex(out, 64),
		  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
		  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
	blake2b("", 0, out, 64);
	CHECK_STR(tohex(out, 64),
		  "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
		  "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce");
	blake2b(seq, 200, out, 32);
	CHECK_STR(tohex(out, 32), "63c3d97a9f8894d5e043a707b0fee7f7ec4c049a23bbf1079df20b4165f9e22d");
	blake2b(seq, 128, out, 20);
	CHECK_STR(tohex(out, 20), "e6992372ab022447b34f6d6032fbab707a11adef");

	TEST("Argon2 (RFC 9106 section 5: 4 lanes, secret and associated data) [%s]", path);
	CHECK_STR(rfc9106(ARGON2_D), "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb");
	CHECK_STR(rfc9106(ARGON2_I), "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8");
	CHECK_STR(rfc9106(ARGON2_ID), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

	TEST("Argon2 against the argon2 tool (1, 2, 3 and 4 lanes) [%s]", path);
	CHECK_STR(argon2_hex(ARGON2_ID, 2, 1024, 1, 32),
		  "fa59a662ddb3e1932b2ca21a8989b1d67ff2bfbea6883b3cf4387c333e0b0724");
	CHECK_STR(argon2_hex(ARGON2_ID, 2, 1024, 2, 32),
		  "dd3bdeadbc37308194dc872cea1801558e6e03cbbb4b1160738dc8d624345a7f");
	CHECK_STR(argon2_hex(ARGON2_ID, 1, 2048, 4, 64),
		  "80fda3a9bd66601cd2a567c89f14c46fe25e98587273c37924fa849aadad07b9"
		  "80deacecb6fa6bd3c3359f7667d549bc808678001885e1e86d8911b22342b0ed");
	CHECK_STR(argon2_hex(ARGON2_I, 3, 300, 2, 32),
		  "a46ed02952bf723231825adab23b961dbbf582eb1d0e229571a67bc46ce80f1c");
	/* 100 KiB over 3 lanes is 96 blocks; a 100-byte tag is H' past 64 bytes. */
	CHECK_STR(argon2_hex(ARGON2_D, 2, 100, 3, 100),
		  "4074c32a8872b3c2d607cb02bb2f475d8823c3433af057b0d2918f236b2ee1be"
		  "03bcfa3c0c43e6466d07158b18f1b28563945d1aca25b8e8e84259b996fe0ed8"
		  "3262c83163226e777792e91ba7c08d717648669e1823f56989acf70f40b0f70c"
		  "a7c80d71");
	CHECK_STR(argon2_hex(ARGON2_ID, 4, 50, 1, 4), "7a46abac");
	/* Big enough for the data-independent addresses to run past one block. */
	CHECK_STR(argon2_hex(ARGON2_ID, 1, 65536, 4, 32),
		  "0c7d9134d31f8fafb614d2621b651745ce46e34bd721b8a58a8218c7199283df");

	TEST("Argon2 refuses parameters out of range [%s]", path);
	{
		struct argon2_params a = { .type = ARGON2_ID, .t_cost = 1, .m_cost = 64,
					   .lanes = 4, .pw = "p", .pwlen = 1, .salt = "saltsalt",
					   .saltlen = 8 };

		CHECK_INT(argon2(&a, out, 3), -EINVAL);
		a.m_cost = 31;
		CHECK_INT(argon2(&a, out, 32), -EINVAL);
		a.m_cost = 64;
		a.t_cost = 0;
		CHECK_INT(argon2(&a, out, 32), -EINVAL);
		a.t_cost = 1;
		a.lanes = 0;
		CHECK_INT(argon2(&a, out, 32), -EINVAL);
		a.lanes = 256;
		CHECK_INT(argon2(&a, out, 32), -EINVAL);
		a.lanes = 4;
		a.type = (enum argon2_type)3;
		CHECK_INT(argon2(&a, out, 32), -EINVAL);
	}

	TEST("secret_wipe [%s]", path);
	memset(out, 0xaa, sizeof(out));
	secret_wipe(out, sizeof(out));
	CHECK(out[0] == 0 && out[63] == 0);
}

int main(void)
{
	vectors("as the CPU allows");
	crypto_portable_only = 1;
	vectors("portable");
	return check_failed;
}
