/*
 * fuzz-modparams: what the init takes from a kernel uevent and from the
 * command line for a module. The whole input is a uevent (NUL-separated
 * fields), kept without a terminating NUL so an over-read is caught:
 * every MODALIAS= value must lie inside it. Read as text, its first line
 * is a module name, its second a size byte for the options buffer, and
 * each further line a command-line word "NAME.PARAM[=VALUE]": the
 * options built for the module must fit, and one that does not must
 * leave them unchanged.
 */
#include "fuzz.h"
#include "modules/modparse.h"

#include <errno.h>
#include <string.h>

static void check_uevent(const uint8_t *data, size_t size)
{
	char *msg = malloc(size ? size : 1);
	const char *a;
	size_t pos = 0, last = 0, n, count = 0;

	if (!msg)
		abort();
	memcpy(msg, data, size);
	while (uevent_modalias(msg, size, &pos, &a, &n)) {
		FUZZ_CHECK(a >= msg + 9 && n <= size && (size_t)(a - msg) <= size - n,
			   "MODALIAS= value outside the event");
		FUZZ_CHECK(!memcmp(a - 9, "MODALIAS=", 9), "value not after MODALIAS=");
		FUZZ_CHECK(!memchr(a, '\0', n), "value holds a NUL");
		FUZZ_CHECK(pos > last && pos <= size + 1, "position did not move on: %zu", pos);
		last = pos;
		count++;
	}
	FUZZ_CHECK(count <= size / 10 + 1, "%zu values in %zu bytes", count, size);
	FUZZ_CHECK(count == 0 || !memcmp(msg, "add@", 4), "a value from a non-add event");
	free(msg);
}

/* One word: out grows by it, or stays as it was. */
static void check_word(char *out, size_t cap, const char *name, char *word)
{
	char before[MODPARAMS_MAX];
	char *eq = strchr(word, '=');
	const char *val = NULL, *param;
	size_t had = strlen(out);

	if (eq) {
		*eq = '\0';
		val = eq + 1;
	}
	param = modparam_for(word, name);
	if (!param)
		return;
	FUZZ_CHECK(param > word && param[-1] == '.' && *param, "bad PARAM of '%s'", word);
	memcpy(before, out, had + 1);
	if (modparam_append(out, cap, param, val)) {
		FUZZ_CHECK(!strcmp(before, out), "a refused option changed the options");
		return;
	}
	FUZZ_CHECK(strlen(out) < cap, "options past their buffer");
	FUZZ_CHECK(strlen(out) >= had + strlen(param) && !memcmp(out, before, had),
		   "options lost what they held");
	FUZZ_CHECK(strstr(out + had, param), "the option is not in the options");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[MODNAME_MAX], out[MODPARAMS_MAX], *text, *line, *save = NULL;
	size_t cap;

	check_uevent(data, size);
	text = fuzz_string(data, size, 8192);
	line = strtok_r(text, "\n", &save);
	if (line && !modname_normalize(line, strlen(line), name, sizeof(name))) {
		line = strtok_r(NULL, "\n", &save);
		cap = line ? (size_t)(unsigned char)line[0] % sizeof(out) : sizeof(out);
		FUZZ_CHECK(cap <= sizeof(out), "cap");
		if (cap)
			out[0] = '\0';
		while (cap && (line = strtok_r(NULL, "\n", &save)))
			check_word(out, cap, name, line);
	}
	free(text);
	return 0;
}
