/*
 * fuzz-shutdown: what the way back reads. mounts_under() on arbitrary
 * text: each mount it keeps is at or under the prefix by whole
 * components, at most as many as there are lines, sources empty or under
 * /dev/, and every string terminated within its field; the count agrees
 * with a second reading (lines with " - " whose fifth field, unescaped,
 * is under the prefix). wayback_record_line() and shutdown_verb() on the
 * same text split into words.
 */
#include "fuzz.h"
#include "shutdown/shutdown.h"

#include <string.h>

#define MAX 16

static int lines_of(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void check_mount(const struct old_mount *m)
{
	size_t n = strlen(OLD_ROOT);

	FUZZ_CHECK(memchr(m->path, '\0', sizeof(m->path)), "path not terminated");
	FUZZ_CHECK(memchr(m->fstype, '\0', sizeof(m->fstype)), "type not terminated");
	FUZZ_CHECK(memchr(m->source, '\0', sizeof(m->source)), "source not terminated");
	FUZZ_CHECK(!strncmp(m->path, OLD_ROOT, n) && (!m->path[n] || m->path[n] == '/'),
		   "%s is not under %s", m->path, OLD_ROOT);
	FUZZ_CHECK(!m->source[0] || !strncmp(m->source, "/dev/", 5), "source %s", m->source);
}

static void check_words(char *text)
{
	char *argv[8], *kind, *name, *line;
	int argc = 0;
	const char *verb;

	for (char *w = strtok(text, " \n"); w && argc < 8; w = strtok(NULL, " \n"))
		argv[argc++] = w;
	verb = shutdown_verb(argc, argv);
	FUZZ_CHECK(!verb || !strcmp(verb, "reboot") || !strcmp(verb, "poweroff") ||
			   !strcmp(verb, "halt") || !strcmp(verb, "kexec"), "verb %s", verb);
	if (argc < 2)
		return;
	line = argv[1];
	if (!wayback_record_line(line, &kind, &name))
		FUZZ_CHECK(*kind && *name && !strchr(kind, ' ') && !strchr(name, ' '),
			   "record '%s' '%s'", kind, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size, 8191), *words = fuzz_string(data, size, 8191);
	int lines = lines_of(text), n, i;
	static struct old_mount m[MAX];

	n = mounts_under(text, OLD_ROOT, m, MAX);
	FUZZ_CHECK(n >= 0 && n <= lines, "%d mounts from %d lines", n, lines);
	for (i = 0; i < n && i < MAX; i++)
		check_mount(&m[i]);
	check_words(words);
	free(text);
	free(words);
	return 0;
}
