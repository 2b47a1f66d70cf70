/*
 * fuzz-cmdline: cmdline_parse() and cmdline_next() on arbitrary command
 * lines. The input is cut to CMDLINE_MAX - 1 bytes, as /proc/cmdline is
 * read into a CMDLINE_MAX buffer, and gets a NUL after it (an embedded NUL
 * just ends the line early, as it would for the init).
 */
#include "plan/cmdline.h"
#include "fuzz.h"

#include <string.h>

/* Exactly len + 1 bytes, so that ASan sees any read past the NUL. */
static char *copy_input(const uint8_t *data, size_t size, size_t *len)
{
	*len = size < CMDLINE_MAX - 1 ? size : CMDLINE_MAX - 1;
	return fuzz_string(data, size, CMDLINE_MAX - 1);
}

static void check_value(const char *name, const char *v, const char *buf,
			size_t len)
{
	if (!v)
		return;
	FUZZ_CHECK(fuzz_inside(v, buf, len + 1),
		   "%s= points outside the command-line buffer", name);
	/* root=, rootfstype= and init= are only taken with a value */
	if (strcmp(name, "rootflags"))
		FUZZ_CHECK(*v, "%s= was set to an empty value", name);
}

static void check_params(const struct boot_params *p, const char *buf,
			 size_t len)
{
	int i;

	check_value("root", p->root, buf, len);
	check_value("rootfstype", p->rootfstype, buf, len);
	check_value("rootflags", p->rootflags, buf, len);
	check_value("init", p->init, buf, len);
	FUZZ_CHECK(p->wait == WAIT_DEFAULT || p->wait == WAIT_FOREVER ||
			   p->wait == WAIT_BOUNDED,
		   "wait mode %d", (int)p->wait);
	FUZZ_CHECK(p->wait_s >= 0 && p->wait_s <= 1000000, "wait_s %ld",
		   p->wait_s);
	if (p->has_panic)
		FUZZ_CHECK(p->panic_s >= -1000000 && p->panic_s <= 1000000,
			   "panic_s %ld", p->panic_s);
	else
		FUZZ_CHECK(p->panic_s == 0, "panic_s %ld without panic=",
			   p->panic_s);
	FUZZ_CHECK(p->problems >= 0 && p->problems <= CMDLINE_MAX_PROBLEMS,
		   "problems %d", p->problems);
	/*
	 * The reasons are the parser's own string constants: present, short,
	 * ended. A name is a constant too, or (a module word past the ones
	 * kept) the word itself, which may be as long as the line.
	 */
	for (i = 0; i < p->problems; i++) {
		FUZZ_CHECK(p->problem[i] && p->problem_why[i],
			   "problem %d has a NULL string", i);
		FUZZ_CHECK(fuzz_terminated(p->problem[i], CMDLINE_MAX) &&
				   *p->problem[i],
			   "problem %d: bad parameter name", i);
		FUZZ_CHECK(fuzz_terminated(p->problem_why[i], 256) &&
				   *p->problem_why[i],
			   "problem %d: bad reason", i);
	}
	for (; i < CMDLINE_MAX_PROBLEMS; i++)
		FUZZ_CHECK(!p->problem[i] && !p->problem_why[i],
			   "problem slot %d used past the count", i);
}

/* The tokenizer alone: words stay inside the buffer and it always advances. */
static void check_tokens(char *buf, size_t len)
{
	char *rest = buf, *prev = buf, *param, *val;
	size_t words = 0;

	while ((rest = cmdline_next(rest, &param, &val))) {
		FUZZ_CHECK(rest > prev || (rest == prev && !*rest),
			   "cmdline_next did not advance");
		FUZZ_CHECK(rest <= buf + len, "rest points past the NUL");
		FUZZ_CHECK(fuzz_inside(param, buf, len + 1),
			   "param outside the buffer");
		if (val)
			FUZZ_CHECK(fuzz_inside(val, buf, len + 1) && val > param,
				   "val outside the buffer or before param");
		FUZZ_CHECK(++words <= len + 1, "more words than bytes");
		prev = rest;
	}
}

static char kline[CMDLINE_MAX], dline[CMDLINE_MAX];
static struct cmdline_words words;

static bool in_lines(const char *v)
{
	return fuzz_inside(v, kline, sizeof(kline)) || fuzz_inside(v, dline, sizeof(dline));
}

/*
 * The kernel's line over a built-in one: the input up to its first NUL is
 * the kernel's, the rest the built-in line. Values point into one of the
 * lines; with a root= from the kernel the built-in line is not used.
 */
static void check_default(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t klen = nul ? (size_t)(nul - data) : size;
	size_t dlen = nul ? size - klen - 1 : 0;
	struct boot_params p;

	if (klen > CMDLINE_MAX - 1)
		klen = CMDLINE_MAX - 1;
	if (dlen > CMDLINE_MAX - 1)
		dlen = CMDLINE_MAX - 1;
	memcpy(kline, data, klen);
	kline[klen] = '\0';
	if (nul)
		memcpy(dline, nul + 1, dlen);
	dline[dlen] = '\0';
	memset(&p, 0xa5, sizeof(p));
	cmdline_parse_default(kline, &words, nul ? dline : NULL, &p);
	FUZZ_CHECK(words.n <= CMDLINE_MAX_WORDS, "more words than the bound");
	FUZZ_CHECK(!p.root || in_lines(p.root), "root= outside the lines");
	FUZZ_CHECK(!p.init || in_lines(p.init), "init= outside the lines");
	FUZZ_CHECK(!p.rootfstype || in_lines(p.rootfstype), "rootfstype= outside the lines");
	FUZZ_CHECK(!p.rootflags || in_lines(p.rootflags), "rootflags= outside the lines");
	FUZZ_CHECK(!p.builtin || nul, "built-in line used without one");
	if (p.builtin && p.root)
		FUZZ_CHECK(!fuzz_inside(p.root, kline, sizeof(kline)),
			   "root= from the kernel's line with the built-in line in use");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_params p;
	size_t len;
	char *buf;

	buf = copy_input(data, size, &len);
	memset(&p, 0xa5, sizeof(p));
	cmdline_parse(buf, &p);
	check_params(&p, buf, len);
	free(buf);

	buf = copy_input(data, size, &len);
	check_tokens(buf, len);
	free(buf);

	check_default(data, size);
	return 0;
}
