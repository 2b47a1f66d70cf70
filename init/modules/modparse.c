#include "modules/modparse.h"

#include <errno.h>
#include <string.h>

bool text_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n)
{
	size_t i = *pos;

	if (i >= len)
		return false;
	*line = buf + i;
	while (i < len && buf[i] != '\n')
		i++;
	*n = (size_t)(buf + i - *line);
	*pos = i < len ? i + 1 : i;
	return true;
}

int modname_normalize(const char *s, size_t n, char *name, size_t size)
{
	size_t i;

	if (!n || memchr(s, '\0', n))
		return -EINVAL;
	if (n >= size)
		return -E2BIG;
	for (i = 0; i < n; i++)
		name[i] = s[i] == '-' ? '_' : s[i];
	name[n] = '\0';
	return 0;
}

int modname_from_path(const char *path, size_t n, char *name, size_t size)
{
	static const char *const ext[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	const char *base = path;
	size_t i, e;

	for (i = 0; i < n; i++)
		if (path[i] == '/')
			base = path + i + 1;
	n -= (size_t)(base - path);
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		e = strlen(ext[i]);
		if (n > e && !memcmp(base + n - e, ext[i], e))
			return modname_normalize(base, n - e, name, size);
	}
	return -EINVAL;
}

int moddep_parse(const char *line, size_t n, struct moddep *d)
{
	const char *colon = memchr(line, ':', n);

	if (!colon || colon == line)
		return -EINVAL;
	d->path = line;
	d->path_len = (size_t)(colon - line);
	d->deps = colon + 1;
	d->deps_len = n - d->path_len - 1;
	return 0;
}

int moddep_find(const char *buf, size_t len, const char *name, struct moddep *d, size_t *off)
{
	char want[MODNAME_MAX], got[MODNAME_MAX];
	size_t pos = 0, n, start;
	const char *line;

	if (modname_normalize(name, strlen(name), want, sizeof(want)))
		return -ENOENT;
	for (start = 0; text_line(buf, len, &pos, &line, &n); start = pos) {
		if (moddep_parse(line, n, d) ||
		    modname_from_path(d->path, d->path_len, got, sizeof(got)))
			continue;
		if (!strcmp(got, want)) {
			*off = start;
			return 0;
		}
	}
	return -ENOENT;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next blank-separated word of s[0, n) from *pos. */
static bool next_word(const char *s, size_t n, size_t *pos, const char **w, size_t *wn)
{
	size_t i = *pos;

	while (i < n && is_blank(s[i]))
		i++;
	if (i >= n) {
		*pos = i;
		return false;
	}
	*w = s + i;
	while (i < n && !is_blank(s[i]))
		i++;
	*wn = (size_t)(s + i - *w);
	*pos = i;
	return true;
}

bool moddep_next(const struct moddep *d, size_t *pos, const char **dep, size_t *n)
{
	return next_word(d->deps, d->deps_len, pos, dep, n);
}

int modalias_parse(const char *line, size_t n, const char **pat, size_t *pat_len,
		   const char **mod, size_t *mod_len)
{
	const char *w;
	size_t pos = 0, wn;

	if (!next_word(line, n, &pos, &w, &wn) || wn != 5 || memcmp(w, "alias", 5))
		return -EINVAL;
	if (!next_word(line, n, &pos, pat, pat_len) || !next_word(line, n, &pos, mod, mod_len))
		return -EINVAL;
	return 0;
}

/*
 * A bracket class at p (on '['), matched against c. Returns 1 or 0, and
 * sets *after past the ']'; -1 when there is no closing ']' (then '[' is
 * an ordinary character, as in fnmatch).
 */
static int class_match(const char *p, const char *end, unsigned char c, const char **after)
{
	const char *q = p + 1;
	bool neg = false, hit = false, first = true;
	unsigned char lo, hi;

	if (q < end && (*q == '!' || *q == '^')) {
		neg = true;
		q++;
	}
	for (; q < end; q++, first = false) {
		if (*q == ']' && !first) {
			*after = q + 1;
			return hit != neg;
		}
		if (*q == '\\' && q + 1 < end)
			q++;
		lo = hi = (unsigned char)*q;
		if (q + 2 < end && q[1] == '-' && q[2] != ']') {
			q += 2;
			if (*q == '\\' && q + 1 < end)
				q++;
			hi = (unsigned char)*q;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	return -1;
}

/* Whether the one pattern token at p (not '*') matches c; *next past it. */
static bool token_match(const char *p, const char *end, char c, const char **next)
{
	int m;

	if (*p == '?') {
		*next = p + 1;
		return true;
	}
	if (*p == '[') {
		m = class_match(p, end, (unsigned char)c, next);
		if (m >= 0)
			return m;
	}
	if (*p == '\\' && p + 1 < end)
		p++;
	*next = p + 1;
	return *p == c;
}

bool glob_match(const char *pat, size_t pat_len, const char *s)
{
	const char *p = pat, *end = pat + pat_len, *star = NULL, *star_s = s, *next;

	/*
	 * On a mismatch, only the last '*' needs to take one more character:
	 * an earlier '*' could only match less of what a later one covers.
	 */
	while (*s) {
		if (p < end && *p == '*') {
			star = ++p;
			star_s = s;
			continue;
		}
		if (p < end && token_match(p, end, *s, &next)) {
			p = next;
			s++;
			continue;
		}
		if (!star)
			return false;
		p = star;
		s = ++star_s;
	}
	while (p < end && *p == '*')
		p++;
	return p == end;
}

/* fn with the module of one alias whose pattern matches s; 0 when it does not. */
static int match_one(const char *pat, size_t pn, const char *mod, size_t mn, const char *s,
		     modalias_fn fn, void *ctx)
{
	char name[MODNAME_MAX];

	if (!glob_match(pat, pn, s) || modname_normalize(mod, mn, name, sizeof(name)))
		return 0;
	return fn(name, ctx);
}

int modalias_each(const char *buf, size_t len, const char *s, modalias_fn fn, void *ctx)
{
	const char *line, *pat, *mod;
	size_t pos = 0, n, pn, mn;
	int r;

	while (text_line(buf, len, &pos, &line, &n)) {
		if (modalias_parse(line, n, &pat, &pn, &mod, &mn))
			continue;
		r = match_one(pat, pn, mod, mn, s, fn, ctx);
		if (r)
			return r;
	}
	return 0;
}

size_t modalias_index(const char *buf, size_t len, struct modalias_entry *e, size_t max)
{
	const char *line, *pat, *mod;
	size_t pos = 0, n, pn, mn, count = 0;

	while (text_line(buf, len, &pos, &line, &n)) {
		if (modalias_parse(line, n, &pat, &pn, &mod, &mn))
			continue;
		if (count < max) {
			e[count].pat = pat;
			e[count].pat_len = pn;
			e[count].mod = mod;
			e[count].mod_len = mn;
		}
		count++;
	}
	return count;
}

int modalias_each_entry(const struct modalias_entry *e, size_t n, const char *s, modalias_fn fn,
			void *ctx)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		r = match_one(e[i].pat, e[i].pat_len, e[i].mod, e[i].mod_len, s, fn, ctx);
		if (r)
			return r;
	}
	return 0;
}

bool modbuiltin_has(const char *buf, size_t len, const char *name)
{
	char want[MODNAME_MAX], got[MODNAME_MAX];
	const char *line;
	size_t pos = 0, n;

	if (modname_normalize(name, strlen(name), want, sizeof(want)))
		return false;
	while (text_line(buf, len, &pos, &line, &n))
		if (!modname_from_path(line, n, got, sizeof(got)) && !strcmp(got, want))
			return true;
	return false;
}

const char *modparam_for(const char *word, const char *name)
{
	char got[MODNAME_MAX];
	const char *dot = strchr(word, '.');

	if (!dot || !dot[1] || modname_normalize(word, (size_t)(dot - word), got, sizeof(got)) ||
	    strcmp(got, name))
		return NULL;
	return dot + 1;
}

int modparam_append(char *out, size_t size, const char *param, const char *val)
{
	size_t at = strnlen(out, size), pn = strlen(param), vn = val ? strlen(val) : 0, need;
	bool sep = at > 0, quote = val && strchr(val, ' ');

	/* " " param "=" '"' value '"' NUL */
	need = sep + pn + (val ? 1 + vn : 0) + (quote ? 2 : 0) + 1;
	if (at >= size || size - at < need)
		return -E2BIG;
	out += at;
	if (sep)
		*out++ = ' ';
	memcpy(out, param, pn);
	out += pn;
	if (val) {
		*out++ = '=';
		if (quote)
			*out++ = '"';
		memcpy(out, val, vn);
		out += vn;
		if (quote)
			*out++ = '"';
	}
	*out = '\0';
	return 0;
}
