/*
 * dm-crypt cipher specs to kernel crypto API names (cipherspec.h).
 */
#include "cipherspec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WALK_DEPTH 8	/* deeper than any name dm-crypt makes */

/* The IV mode's own algorithm (dm-crypt's crypt_ctr_ivmode), or "". */
static const char *iv_mode_alg(const char *ivmode)
{
	if (!ivmode)
		return "";
	if (!strcmp(ivmode, "lmk"))
		return "md5";
	if (!strcmp(ivmode, "tcw"))
		return "crc32";
	if (!strcmp(ivmode, "elephant"))
		return "ecb(aes)";
	return "";
}

/* A bounded snprintf: 0, or -ENAMETOOLONG when it did not fit. */
__attribute__((format(printf, 3, 4))) static int put(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Whether s's parentheses pair up: a crypto API name whose do not is no algorithm. */
static bool balanced(const char *s)
{
	int depth = 0;

	for (; *s && depth >= 0; s++)
		depth += (*s == '(') - (*s == ')');
	return !depth;
}

/* capi:API-ivmode[:ivopts], the crypto API's name given as it is. */
static int capi_spec(char *rest, char *api, size_t size, char *iv_alg, size_t iv_size)
{
	char *ivopts = strrchr(rest, ':'), *ivmode;

	if (ivopts)
		*ivopts++ = '\0';
	ivmode = strrchr(rest, '-');
	if (ivmode)
		*ivmode++ = '\0';
	if (!*rest || !balanced(rest) || (ivopts && !balanced(ivopts)))
		return -EINVAL;
	if (put(iv_alg, iv_size, "%s", iv_mode_alg(ivmode)))
		return -ENAMETOOLONG;
	if (ivmode && !strcmp(ivmode, "essiv"))
		return ivopts ? put(api, size, "essiv(%s,%s)", rest, ivopts) : -EINVAL;
	return put(api, size, "%s", rest);
}

int cipher_spec_api(const char *spec, char *api, size_t size, char *iv_alg, size_t iv_size)
{
	char buf[CIPHER_API_MAX], *cipher = buf, *chain, *ivmode = NULL, *ivopts = NULL, *p;

	if (put(buf, sizeof(buf), "%s", spec))
		return -ENAMETOOLONG;
	if (!strncmp(buf, "capi:", 5))
		return capi_spec(buf + 5, api, size, iv_alg, iv_size);
	/* cipher[:keycount]-chainmode-ivmode[:ivopts] */
	if (strpbrk(buf, "()"))
		return -EINVAL;
	chain = strchr(buf, '-');
	if (chain)
		*chain++ = '\0';
	p = strchr(cipher, ':');
	if (p) {
		*p++ = '\0';
		if (!*p || strspn(p, "0123456789") != strlen(p))
			return -EINVAL;
	}
	if (chain) {
		ivmode = strchr(chain, '-');
		if (ivmode)
			*ivmode++ = '\0';
	}
	if (ivmode) {
		ivopts = strchr(ivmode, ':');
		if (ivopts)
			*ivopts++ = '\0';
	}
	/* The original format: a cipher alone is cbc-plain. */
	if (!chain || (!strcmp(chain, "plain") && !ivmode)) {
		chain = "cbc";
		ivmode = "plain";
	}
	if (!*cipher || !*chain || (strcmp(chain, "ecb") && !ivmode))
		return -EINVAL;
	if (put(iv_alg, iv_size, "%s", iv_mode_alg(ivmode)))
		return -ENAMETOOLONG;
	if (ivmode && !strcmp(ivmode, "essiv"))
		return ivopts ? put(api, size, "essiv(%s(%s),%s)", chain, cipher, ivopts) : -EINVAL;
	return put(api, size, "%s(%s)", chain, cipher);
}

static void add_missing(char *missing, size_t msize, const char *name)
{
	size_t used = strlen(missing);

	snprintf(missing + used, msize - used, "%s%s", used ? ", " : "", name);
}

static bool walk(const char *name, cipher_has_fn has, void *ctx, char *missing, size_t msize,
		 int depth);

/*
 * The arguments of TEMPLATE(a,b,...), split at the commas outside
 * parentheses, each walked: what the template takes.
 */
static bool walk_args(const char *tmpl, const char *args, size_t n, cipher_has_fn has,
		      void *ctx, char *missing, size_t msize, int depth)
{
	char arg[CIPHER_API_MAX], inner[CIPHER_API_MAX];
	bool ok = true, ecb = !strcmp(tmpl, "xts") || !strcmp(tmpl, "lrw");
	size_t i, start = 0;
	int nest = 0, count = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && args[i] == '(')
			nest++;
		else if (i < n && args[i] == ')')
			nest--;
		if (i < n && (args[i] != ',' || nest))
			continue;
		if (i - start >= sizeof(arg) || i == start)
			return false;
		memcpy(arg, args + start, i - start);
		arg[i - start] = '\0';
		start = i + 1;
		count++;
		/* xts and lrw take X as ecb(X) when X is a block cipher alone (crypto/xts.c). */
		if (ecb && strncmp(arg, "ecb(", 4) &&
		    snprintf(inner, sizeof(inner), "ecb(%s)", arg) < (int)sizeof(inner))
			ok &= walk(inner, has, ctx, missing, msize, depth + 1);
		else
			ok &= walk(arg, has, ctx, missing, msize, depth + 1);
	}
	/* adiantum(S,B) hashes with nhpoly1305 unless a third argument names another. */
	if (!strcmp(tmpl, "adiantum") && count == 2)
		ok &= walk("nhpoly1305", has, ctx, missing, msize, depth + 1);
	return ok;
}

static bool walk(const char *name, cipher_has_fn has, void *ctx, char *missing, size_t msize,
		 int depth)
{
	char tmpl[CIPHER_API_MAX], below[512] = "";
	const char *open = strchr(name, '(');
	size_t n = strlen(name);
	bool whole, parts;

	whole = has(name, ctx);
	if (!open) {
		if (!whole)
			add_missing(missing, msize, name);
		return whole;
	}
	/* No template name, or none that fits: no algorithm to take apart. */
	if (depth > WALK_DEPTH || open == name || name[n - 1] != ')' ||
	    (size_t)(open - name) >= sizeof(tmpl)) {
		if (!whole)
			add_missing(missing, msize, name);
		return whole;
	}
	memcpy(tmpl, name, (size_t)(open - name));
	tmpl[open - name] = '\0';
	parts = has(tmpl, ctx);
	if (!parts)
		add_missing(below, sizeof(below), tmpl);
	parts &= walk_args(tmpl, open + 1, (size_t)(name + n - 1 - (open + 1)), has, ctx, below,
			   sizeof(below), depth);
	if (!whole && !parts)
		add_missing(missing, msize, below[0] ? below : name);
	return whole || parts;
}

bool cipher_alg_walk(const char *name, cipher_has_fn has, void *ctx, char *missing, size_t msize)
{
	if (msize)
		missing[0] = '\0';
	return walk(name, has, ctx, missing, msize, 0);
}
