/* cipher_spec_api(), cipher_alg_walk(): dm-crypt's cipher specs to the crypto API's names. */
#include "check.h"
#include "../../tools/cipherspec.h"

#include <errno.h>
#include <string.h>

static char api[CIPHER_API_MAX], iv[CIPHER_API_MAX];

static int spec(const char *s)
{
	api[0] = iv[0] = '\0';
	return cipher_spec_api(s, api, sizeof(api), iv, sizeof(iv));
}

static void test_specs(void)
{
	TEST("cipher_spec_api: CIPHER-CHAIN-IV as dm-crypt allocates it");
	CHECK_INT(spec("aes-xts-plain64"), 0);
	CHECK_STR(api, "xts(aes)");
	CHECK_STR(iv, "");
	CHECK_INT(spec("serpent-cbc-essiv:sha256"), 0);
	CHECK_STR(api, "essiv(cbc(serpent),sha256)");
	CHECK_INT(spec("xchacha12,aes-adiantum-plain64"), 0);
	CHECK_STR(api, "adiantum(xchacha12,aes)");
	CHECK_INT(spec("aes:64-cbc-lmk"), 0);
	CHECK_STR(api, "cbc(aes)");
	CHECK_STR(iv, "md5");
	CHECK_INT(spec("aes-xts-tcw"), 0);
	CHECK_STR(iv, "crc32");

	TEST("cipher_spec_api: the old forms (a cipher alone, CIPHER-plain) are cbc-plain");
	CHECK_INT(spec("aes"), 0);
	CHECK_STR(api, "cbc(aes)");
	CHECK_INT(spec("twofish-plain"), 0);
	CHECK_STR(api, "cbc(twofish)");
	CHECK_INT(spec("aes-ecb"), 0);
	CHECK_STR(api, "ecb(aes)");

	TEST("cipher_spec_api: capi: is the crypto API's name as it is");
	CHECK_INT(spec("capi:xts(aes)-plain64"), 0);
	CHECK_STR(api, "xts(aes)");
	CHECK_INT(spec("capi:cbc(aes)-essiv:sha256"), 0);
	CHECK_STR(api, "essiv(cbc(aes),sha256)");

	TEST("cipher_spec_api: what dm-crypt refuses");
	CHECK_INT(spec("serpent(xts)-plain64"), -EINVAL);
	CHECK_INT(spec("aes-cbc"), -EINVAL);		/* a chain mode without an IV */
	CHECK_INT(spec("aes-cbc-essiv"), -EINVAL);	/* essiv without its hash */
	CHECK_INT(spec("aes:x-cbc-plain"), -EINVAL);	/* a keycount that is no number */
	CHECK_INT(spec("-cbc-plain"), -EINVAL);
	CHECK_INT(spec("capi:"), -EINVAL);
	CHECK_INT(spec("capi:cbc(aes)-essiv"), -EINVAL);
	CHECK_INT(spec("capi:adiantum(xchacha12,aes-plain64"), -EINVAL);
	CHECK_INT(spec("capi:xts)aes(-plain64"), -EINVAL);
	CHECK_INT(spec("capi:cbc(aes)-essiv:sha256)"), -EINVAL);
	CHECK_INT(spec("aes)-cbc-plain"), -EINVAL);

	TEST("cipher_spec_api: a spec longer than a crypto name");
	{
		char longspec[CIPHER_API_MAX + 8];

		memset(longspec, 'a', sizeof(longspec) - 1);
		longspec[sizeof(longspec) - 1] = '\0';
		CHECK_INT(spec(longspec), -ENAMETOOLONG);
	}
}

/* A kernel with the names in ctx (comma-separated, each between commas). */
static bool has(const char *name, void *ctx)
{
	char want[CIPHER_API_MAX + 2];

	snprintf(want, sizeof(want), ",%s,", name);
	return strstr(ctx, want) != NULL;
}

static void test_walk(void)
{
	char missing[256];

	TEST("cipher_alg_walk: xts(X) is the xts template and ecb(X), that is ecb and X");
	CHECK(cipher_alg_walk("xts(serpent)", has, ",xts,ecb,serpent,", missing, sizeof(missing)));
	CHECK_STR(missing, "");
	CHECK(!cipher_alg_walk("xts(serpent)", has, ",xts,ecb,", missing, sizeof(missing)));
	CHECK_STR(missing, "serpent");

	TEST("cipher_alg_walk: a provider of the whole name needs no parts");
	CHECK(cipher_alg_walk("xts(aes)", has, ",xts(aes),", missing, sizeof(missing)));

	TEST("cipher_alg_walk: adiantum(S,B) takes S, B and nhpoly1305");
	CHECK(!cipher_alg_walk("adiantum(xchacha12,aes)", has, ",adiantum,xchacha12,aes,", missing,
			       sizeof(missing)));
	CHECK_STR(missing, "nhpoly1305");
	CHECK(cipher_alg_walk("adiantum(xchacha12,aes)", has, ",adiantum,xchacha12,aes,nhpoly1305,",
			      missing, sizeof(missing)));

	TEST("cipher_alg_walk: essiv(cbc(X),H): every name on the way");
	CHECK(!cipher_alg_walk("essiv(cbc(sm4),sha256)", has, ",essiv,cbc,sha256,", missing,
			       sizeof(missing)));
	CHECK_STR(missing, "sm4");

	TEST("cipher_alg_walk: a name with no template before its '(' is not taken apart (fuzz-cipherspec)");
	CHECK(!cipher_alg_walk("x((aes))", has, ",x,aes,", missing, sizeof(missing)));
	CHECK_STR(missing, "(aes)");
}

int main(void)
{
	test_specs();
	test_walk();
	return check_failed;
}
