/*
 * fuzz-crypttab: crypttab_next() over arbitrary text: it ends, the lines
 * it counts only grow and never pass the text's, an entry has its name,
 * source and options as bounded strings without blanks, a key device only
 * with a key, and an error always says why.
 */
#include "fuzz.h"
#include "plan/crypttab.h"

#include <errno.h>
#include <string.h>

static void check_string(const char *s, size_t size, const char *field)
{
	FUZZ_CHECK(memchr(s, '\0', size), "%s is not terminated", field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size, 8191);
	char *cursor = text, *end = text + strlen(text);
	int line = 0, last = 0, lines = 1, r, entries = 0;
	struct assembly a;
	const char *why;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	while ((r = crypttab_next(&cursor, &line, &a, &why))) {
		FUZZ_CHECK(cursor >= text && cursor <= end, "cursor left the text");
		FUZZ_CHECK(line > last && line <= lines, "line %d after %d of %d", line, last, lines);
		last = line;
		FUZZ_CHECK(++entries <= lines, "more entries than lines");
		if (r < 0) {
			FUZZ_CHECK(r == -EINVAL && why && *why, "error %d without a reason", r);
			continue;
		}
		FUZZ_CHECK(r == 1, "returned %d", r);
		FUZZ_CHECK(a.kind == ASSEMBLE_LUKS && !strcmp(a.param, "crypttab"), "kind or param");
		check_string(a.name, sizeof(a.name), "name");
		check_string(a.source, sizeof(a.source), "source");
		check_string(a.key, sizeof(a.key), "key");
		check_string(a.keydev, sizeof(a.keydev), "keydev");
		check_string(a.options, sizeof(a.options), "options");
		FUZZ_CHECK(*a.name && *a.source && !strchr(a.name, '/'), "name '%s' source '%s'",
			   a.name, a.source);
		FUZZ_CHECK(!strpbrk(a.options, " \t\n"), "a blank in options '%s'", a.options);
		FUZZ_CHECK(!*a.key || a.key[0] == '/', "key '%s'", a.key);
		FUZZ_CHECK(!*a.keydev || *a.key, "a key device without a key");
		FUZZ_CHECK(!crypttab_options_check(a.options, &why), "options '%s' pass only once",
			   a.options);
	}
	FUZZ_CHECK(cursor == end, "stopped before the end");
	free(text);
	return 0;
}
