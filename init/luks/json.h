/*
 * A bounded JSON reader for the LUKS2 metadata area (RFC 8259): the text
 * is split once into a flat array of tokens the caller provides (no
 * malloc, no recursion: nesting is tracked on a small fixed stack), then
 * read by index. Pure: shared with the host tools and fuzzed.
 */
#ifndef HANDOFF_JSON_H
#define HANDOFF_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX 8	/* LUKS2 metadata nests 5 deep at most */

enum json_type {
	JSON_OBJECT = 1,
	JSON_ARRAY,
	JSON_STRING,	/* start/len: the bytes between the quotes, escapes as written */
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

struct json_tok {
	uint32_t start, len;	/* in the text */
	uint32_t next;		/* the index after this value and everything in it */
	uint16_t count;		/* members of an object, elements of an array */
	uint8_t type;
};

struct json_doc {
	const char *text;
	size_t len;
	struct json_tok *tok;
	unsigned int ntok;
	const char *why;	/* what json_parse refused: static text */
	size_t at;		/* and the byte offset where */
};

/*
 * Splits text (len bytes; a NUL ends it earlier, as the padding of the
 * LUKS2 area does) into at most max tokens: one value, whitespace around
 * it. Object members are two tokens, the key (a string) and the value.
 * Returns 0, or -EINVAL (bad syntax, nesting deeper than JSON_DEPTH_MAX)
 * or -E2BIG (more than max tokens) with d->why and d->at set.
 */
int json_parse(struct json_doc *d, const char *text, size_t len, struct json_tok *tok,
	       unsigned int max);

/*
 * Walks the members of an object (key tokens; the value is key + 1) or the
 * elements of an array: for (i = json_first(d, c); i; i = json_after(d, c, i)).
 * 0 ends (token 0 is the outermost value, never a member).
 */
unsigned int json_first(const struct json_doc *d, unsigned int c);
unsigned int json_after(const struct json_doc *d, unsigned int c, unsigned int i);
/* The member named key of object obj (its value's index), or 0. */
unsigned int json_member(const struct json_doc *d, unsigned int obj, const char *key);
/* Whether string token i is exactly s (as written: LUKS2 keys have no escapes). */
int json_is(const struct json_doc *d, unsigned int i, const char *s);
/*
 * String token i decoded (escapes, \u as UTF-8) into buf, NUL-terminated.
 * Returns its length, -EINVAL (not a string, or a \u0000) or -E2BIG.
 */
int json_string(const struct json_doc *d, unsigned int i, char *buf, size_t size);
/* A number token that is a plain non-negative integer (no sign, fraction or exponent). */
int json_uint(const struct json_doc *d, unsigned int i, uint64_t *out);
/* A string token holding such an integer in decimal (how LUKS2 writes 64-bit sizes). */
int json_uint_str(const struct json_doc *d, unsigned int i, uint64_t *out);

#endif
