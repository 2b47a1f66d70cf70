/*
 * fuzz-cipherspec: cipher_spec_api() on any spec, then cipher_alg_walk()
 * on what it gave and on the raw input (a header's cipher string reaches
 * the walk only through the spec, but the walk parses templates itself):
 * the names end inside their buffers, a taken spec has a name with
 * balanced parentheses, the walk asks about every name it visits a
 * bounded number of times and its list of missing names stays bounded.
 * Which names the kernel "has" is decided by the input's last byte.
 */
#include "fuzz.h"
#include "../../tools/cipherspec.h"

#include <errno.h>
#include <string.h>

struct kernel {
	unsigned char mask;
	int asked;
};

/* A name the kernel has: by a bit of the mask chosen by the name's length. */
static bool has(const char *name, void *ctx)
{
	struct kernel *k = ctx;
	size_t n = strlen(name);

	FUZZ_CHECK(n > 0 && n < CIPHER_API_MAX, "asked about a name of %zu bytes", n);
	FUZZ_CHECK(++k->asked < 4096, "the walk asked %d times", k->asked);
	return k->mask >> (n % 8) & 1;
}

static void balanced(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		depth += *s == '(';
		depth -= *s == ')';
		FUZZ_CHECK(depth >= 0, "a ')' before its '('");
	}
	FUZZ_CHECK(depth == 0, "unbalanced parentheses");
}

static void walk(const char *name, unsigned char mask)
{
	struct kernel k = { mask, 0 };
	char missing[256];

	memset(missing, 'x', sizeof(missing));
	missing[0] = '\0';
	cipher_alg_walk(name, has, &k, missing, sizeof(missing));
	FUZZ_CHECK(fuzz_terminated(missing, sizeof(missing)), "missing is not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_string(data, size, 255);
	char api[CIPHER_API_MAX], iv[CIPHER_API_MAX];
	unsigned char mask = size ? data[size - 1] : 0;
	int e;

	memset(api, 'x', sizeof(api));
	memset(iv, 'x', sizeof(iv));
	e = cipher_spec_api(spec, api, sizeof(api), iv, sizeof(iv));
	FUZZ_CHECK(!e || e == -EINVAL || e == -ENAMETOOLONG, "returned %d", e);
	if (!e) {
		FUZZ_CHECK(fuzz_terminated(api, sizeof(api)) && fuzz_terminated(iv, sizeof(iv)),
			   "a name is not terminated");
		FUZZ_CHECK(*api, "an empty name for '%s'", spec);
		balanced(api);
		walk(api, mask);
		if (*iv)
			walk(iv, mask);
	}
	if (*spec && strlen(spec) < CIPHER_API_MAX)
		walk(spec, mask);
	free(spec);
	return 0;
}
