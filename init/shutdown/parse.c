/* What the shutdown reads, apart from the I/O so that it can be tested and fuzzed alone. */
#include "shutdown/shutdown.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

static const char *const verbs[] = { "reboot", "poweroff", "halt", "kexec" };

/* systemd-shutdown passes the verb first, then --options; take the first verb seen. */
const char *shutdown_verb(int argc, char **argv)
{
	int i;
	size_t v;

	for (i = 1; i < argc && argv[i]; i++)
		for (v = 0; v < ARRAY_SIZE(verbs); v++)
			if (!strcmp(argv[i], verbs[v]))
				return verbs[v];
	return NULL;
}

bool shutdown_called(int argc, char **argv)
{
	const char *name, *slash;

	if (!HANDOFF_WAYBACK || argc < 2 || !argv[0])
		return false;
	slash = strrchr(argv[0], '/');
	name = slash ? slash + 1 : argv[0];
	return !strcmp(name, "shutdown") && shutdown_verb(argc, argv);
}

/* Where the n-th space-separated field of line (from 0) starts, or NULL. */
static const char *field_at(const char *line, int n)
{
	while (line && n-- > 0) {
		line = strchr(line, ' ');
		if (line)
			line++;
	}
	return line;
}

/* The n-th field, copied whole (false when it is missing or does not fit). */
static bool field(const char *line, int n, char *out, size_t size)
{
	size_t len;

	line = field_at(line, n);
	if (!line)
		return false;
	len = strcspn(line, " ");
	if (len >= size)
		return false;
	memcpy(out, line, len);
	out[len] = '\0';
	return true;
}

/* Whether path is prefix itself or below it (a whole component). */
static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (!path[n] || path[n] == '/');
}

/* Lines: id parent maj:min root MOUNTPOINT options [optional...] - FSTYPE SOURCE superopts */
static bool parse_line(const char *line, const char *prefix, struct old_mount *m)
{
	const char *sep = str_find(line, " - "), *opts;

	if (!sep || !field(line, 4, m->path, sizeof(m->path)))
		return false;
	str_unescape_octal(m->path);
	if (!under(m->path, prefix))
		return false;
	if (!field(sep + 3, 0, m->fstype, sizeof(m->fstype)))
		m->fstype[0] = '\0';
	/* A device node for a source: a disk to keep clean (too long a one is not kept). */
	if (!field(sep + 3, 1, m->source, sizeof(m->source)) || !str_starts(m->source, "/dev/"))
		m->source[0] = '\0';
	str_unescape_octal(m->source);
	/* The filesystem's own options (after the source) start with "ro" or "rw". */
	opts = field_at(sep + 3, 2);
	m->read_only = opts && str_starts(opts, "ro") && (opts[2] == ',' || opts[2] == ' ' || !opts[2]);
	return true;
}

int mounts_under(char *text, const char *prefix, struct old_mount *out, int max)
{
	struct old_mount scratch;
	char *line, *next;
	int n = 0;

	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (parse_line(line, prefix, n < max ? &out[n] : &scratch))
			n++;
	}
	return n;
}

int wayback_record_line(char *line, char **kind, char **name)
{
	char *sp = strchr(line, ' ');

	if (!sp || sp == line || !sp[1] || strchr(sp + 1, ' '))
		return -EINVAL;
	*sp = '\0';
	*kind = line;
	*name = sp + 1;
	return 0;
}
