/* The bounded JSON reader (json.h). */
#include "luks/json.h"
#include "base/util.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

enum want { WANT_VALUE, WANT_VALUE_OR_CLOSE, WANT_KEY, WANT_KEY_OR_CLOSE, WANT_COLON,
	    WANT_NEXT, WANT_END };

static int refuse(struct json_doc *d, const char *why, size_t at, int e)
{
	d->why = why;
	d->at = at;
	return e;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The end of the string starting at the quote at p (the closing quote's offset), or 0. */
static size_t scan_string(struct json_doc *d, size_t p)
{
	const char *s = d->text;
	size_t i;
	int k;

	for (i = p + 1; i < d->len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"')
			return i;
		if (c < 0x20) {
			refuse(d, "a control character inside a string", i, 0);
			return 0;
		}
		if (c != '\\')
			continue;
		if (++i >= d->len)
			break;
		if (s[i] == 'u') {
			for (k = 1; k <= 4; k++)
				if (i + k >= d->len || hex_digit(s[i + k]) < 0) {
					refuse(d, "a bad \\u escape", i, 0);
					return 0;
				}
			i += 4;
		} else if (!strchr("\"\\/bfnrt", s[i]) || !s[i]) {
			refuse(d, "an unknown escape in a string", i, 0);
			return 0;
		}
	}
	refuse(d, "a string without its closing quote", p, 0);
	return 0;
}

/* The length of the number at p (RFC 8259 grammar), or 0. */
static size_t scan_number(const struct json_doc *d, size_t p)
{
	const char *s = d->text;
	size_t i = p, n = d->len;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && is_digit(s[i]))
		while (i < n && is_digit(s[i]))
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		if (++i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return 0;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i - p;
}

int json_parse(struct json_doc *d, const char *text, size_t len, struct json_tok *tok,
	       unsigned int max)
{
	uint32_t stack[JSON_DEPTH_MAX];
	enum want st = WANT_VALUE;
	unsigned int sp = 0;
	size_t p = 0;

	d->text = text;
	d->len = strnlen(text, len);
	d->tok = tok;
	d->ntok = 0;
	d->why = NULL;
	d->at = 0;
	if (d->len > UINT32_MAX - 1)
		return refuse(d, "text longer than 4 GiB", 0, -E2BIG);
	for (;; p++) {
		struct json_tok *t;
		char c;

		while (p < d->len && is_space(text[p]))
			p++;
		if (p >= d->len)
			break;
		c = text[p];
		if (st == WANT_END)
			return refuse(d, "text after the end of the value", p, -EINVAL);
		if (st == WANT_COLON) {
			if (c != ':')
				return refuse(d, "a ':' expected after a key", p, -EINVAL);
			st = WANT_VALUE;
			continue;
		}
		if (st == WANT_NEXT || ((st == WANT_VALUE_OR_CLOSE || st == WANT_KEY_OR_CLOSE) &&
					(c == ']' || c == '}'))) {
			struct json_tok *top = &tok[stack[sp - 1]];

			if (c == ',' && st == WANT_NEXT) {
				st = top->type == JSON_ARRAY ? WANT_VALUE : WANT_KEY;
				continue;
			}
			if ((c == ']' && top->type != JSON_ARRAY) ||
			    (c == '}' && top->type != JSON_OBJECT) || (c != ']' && c != '}'))
				return refuse(d, "a ',' or the matching close expected", p, -EINVAL);
			top->next = d->ntok;
			top->len = (uint32_t)(p + 1 - top->start);
			sp--;
			st = sp ? WANT_NEXT : WANT_END;
			continue;
		}
		if (d->ntok >= max)
			return refuse(d, "more JSON values than the reader holds", p, -E2BIG);
		if ((st == WANT_KEY || st == WANT_KEY_OR_CLOSE) && c != '"')
			return refuse(d, "a key (a string) expected", p, -EINVAL);
		t = &tok[d->ntok];
		t->start = (uint32_t)p;
		t->count = 0;
		/* A key or an array element counts towards its container; a member's value does not. */
		if (sp && (st == WANT_KEY || st == WANT_KEY_OR_CLOSE ||
			   tok[stack[sp - 1]].type == JSON_ARRAY)) {
			if (tok[stack[sp - 1]].count == UINT16_MAX)
				return refuse(d, "too many members", p, -E2BIG);
			tok[stack[sp - 1]].count++;
		}
		d->ntok++;
		t->next = d->ntok;
		if (c == '{' || c == '[') {
			if (sp == JSON_DEPTH_MAX)
				return refuse(d, "nested deeper than the reader allows", p, -EINVAL);
			t->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
			stack[sp++] = d->ntok - 1;
			st = c == '{' ? WANT_KEY_OR_CLOSE : WANT_VALUE_OR_CLOSE;
			continue;
		}
		if (c == '"') {
			size_t end = scan_string(d, p);

			if (!end)
				return -EINVAL;
			t->type = JSON_STRING;
			t->start = (uint32_t)(p + 1);
			t->len = (uint32_t)(end - p - 1);
			p = end;
			if (st == WANT_KEY || st == WANT_KEY_OR_CLOSE) {
				st = WANT_COLON;
				continue;
			}
		} else if (c == '-' || is_digit(c)) {
			size_t n = scan_number(d, p);

			if (!n)
				return refuse(d, "a malformed number", p, -EINVAL);
			t->type = JSON_NUMBER;
			t->len = (uint32_t)n;
			p += n - 1;
		} else {
			static const struct {
				const char *word;
				uint8_t type;
			} lit[] = { { "true", JSON_TRUE }, { "false", JSON_FALSE }, { "null", JSON_NULL } };
			unsigned int k;

			for (k = 0; k < 3; k++) {
				size_t n = strlen(lit[k].word);

				if (d->len - p >= n && !memcmp(text + p, lit[k].word, n)) {
					t->type = lit[k].type;
					t->len = (uint32_t)n;
					p += n - 1;
					break;
				}
			}
			if (k == 3)
				return refuse(d, "not a JSON value", p, -EINVAL);
		}
		st = sp ? WANT_NEXT : WANT_END;
	}
	if (st != WANT_END)
		return refuse(d, d->ntok ? "the text ends inside a value" : "no JSON value", p,
			      -EINVAL);
	return 0;
}

unsigned int json_first(const struct json_doc *d, unsigned int c)
{
	const struct json_tok *t = &d->tok[c];

	if ((t->type != JSON_OBJECT && t->type != JSON_ARRAY) || !t->count)
		return 0;
	return c + 1;
}

unsigned int json_after(const struct json_doc *d, unsigned int c, unsigned int i)
{
	unsigned int n = d->tok[i].next;

	if (d->tok[c].type == JSON_OBJECT)
		n = d->tok[i + 1].next;	/* past the member's value */
	return n < d->tok[c].next ? n : 0;
}

unsigned int json_member(const struct json_doc *d, unsigned int obj, const char *key)
{
	unsigned int k;

	if (d->tok[obj].type != JSON_OBJECT)
		return 0;
	for (k = json_first(d, obj); k; k = json_after(d, obj, k))
		if (json_is(d, k, key))
			return k + 1;
	return 0;
}

int json_is(const struct json_doc *d, unsigned int i, const char *s)
{
	const struct json_tok *t = &d->tok[i];

	return t->type == JSON_STRING && strlen(s) == t->len &&
	       !memcmp(d->text + t->start, s, t->len);
}

/* Appends code point u as UTF-8; false when it does not fit. */
static bool put_utf8(char *buf, size_t size, size_t *o, unsigned int u)
{
	unsigned char b[3];
	size_t n, k;

	if (u < 0x80) {
		b[0] = (unsigned char)u;
		n = 1;
	} else if (u < 0x800) {
		b[0] = (unsigned char)(0xc0 | u >> 6);
		b[1] = (unsigned char)(0x80 | (u & 0x3f));
		n = 2;
	} else {
		b[0] = (unsigned char)(0xe0 | u >> 12);
		b[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (u & 0x3f));
		n = 3;
	}
	if (*o + n >= size)
		return false;
	for (k = 0; k < n; k++)
		buf[(*o)++] = (char)b[k];
	return true;
}

int json_string(const struct json_doc *d, unsigned int i, char *buf, size_t size)
{
	const struct json_tok *t = &d->tok[i];
	const char *s = d->text + t->start;
	size_t k, o = 0;

	if (t->type != JSON_STRING || !size)
		return -EINVAL;
	for (k = 0; k < t->len; k++) {
		unsigned int u = (unsigned char)s[k];

		if (u == '\\') {
			/* json_parse checked every escape: the bytes are there. */
			char e = s[++k];

			if (e == 'u') {
				u = (unsigned int)hex_digit(s[k + 1]) << 12 |
				    (unsigned int)hex_digit(s[k + 2]) << 8 |
				    (unsigned int)hex_digit(s[k + 3]) << 4 | (unsigned int)hex_digit(s[k + 4]);
				k += 4;
				if (!u)
					return -EINVAL;
			} else {
				static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
				const char *f = strchr(from, e);

				u = (unsigned char)(f ? to[f - from] : e);
			}
		}
		if (!put_utf8(buf, size, &o, u)) {
			buf[0] = '\0';
			return -E2BIG;
		}
	}
	buf[o] = '\0';
	return (int)o;
}

static int parse_digits(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t k;

	if (!n || n > 20 || (n > 1 && s[0] == '0'))
		return -EINVAL;
	for (k = 0; k < n; k++) {
		unsigned int c = (unsigned int)(s[k] - '0');

		if (c > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - c) / 10)
			return -ERANGE;
		v = v * 10 + c;
	}
	*out = v;
	return 0;
}

int json_uint(const struct json_doc *d, unsigned int i, uint64_t *out)
{
	const struct json_tok *t = &d->tok[i];

	if (t->type != JSON_NUMBER)
		return -EINVAL;
	return parse_digits(d->text + t->start, t->len, out);
}

int json_uint_str(const struct json_doc *d, unsigned int i, uint64_t *out)
{
	const struct json_tok *t = &d->tok[i];

	if (t->type != JSON_STRING)
		return -EINVAL;
	return parse_digits(d->text + t->start, t->len, out);
}
