/*
 * The kernel's module index files, as depmod writes them, read in place
 * (buffers need not be NUL-terminated): modules.dep, modules.alias,
 * modules.builtin. Shared by the init and the host tool handoff-modules.
 */
#ifndef HANDOFF_MODPARSE_H
#define HANDOFF_MODPARSE_H

#include <stdbool.h>
#include <stddef.h>

#define MODNAME_MAX 64
/*
 * The most modules an image holds: handoff-modules refuses to put more in
 * one, and the init tries at most this many (each once). One limit, so an
 * image the tool made never runs out of the init's room.
 */
#define MODULES_MAX 1024
/* The options given to one module (finit_module's "param=value ..."). */
#define MODPARAMS_MAX 1024

/* One line of a text buffer; false at the end. *pos starts at 0. */
bool text_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n);

/*
 * The module name of a path as in modules.dep: the base name without .ko,
 * .ko.xz, .ko.zst or .ko.gz, with '-' as '_' (the kernel's own spelling).
 * -EINVAL when it is not a module file, -E2BIG when the name is too long.
 */
int modname_from_path(const char *path, size_t n, char *name, size_t size);

/* The same spelling for a name given by a user: "usb-storage" -> "usb_storage". */
int modname_normalize(const char *s, size_t n, char *name, size_t size);

/* "kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko" */
struct moddep {
	const char *path;
	size_t path_len;
	const char *deps;	/* space-separated paths */
	size_t deps_len;
};

/* Splits one line; -EINVAL when it has no "path:". */
int moddep_parse(const char *line, size_t n, struct moddep *d);

/*
 * The line for module name (normalised). Returns 0 with *d and the line's
 * offset in buf (a stable key), or -ENOENT.
 */
int moddep_find(const char *buf, size_t len, const char *name, struct moddep *d, size_t *off);

/* The next path of d->deps from *pos (starts at 0); false at the end. */
bool moddep_next(const struct moddep *d, size_t *pos, const char **dep, size_t *n);

/* "alias PATTERN MODULE"; -EINVAL for other lines (comments, blanks). */
int modalias_parse(const char *line, size_t n, const char **pat, size_t *pat_len,
		   const char **mod, size_t *mod_len);

/*
 * Shell-style match of a whole string, as modprobe matches aliases: '*'
 * any run, '?' one character, "[a-z]" and "[!...]" classes, '\' escapes.
 * Time is bounded by pattern length times string length.
 */
bool glob_match(const char *pat, size_t pat_len, const char *s);

/*
 * Calls fn with the module name of each alias line whose pattern matches
 * s, in file order; stops when fn returns nonzero and passes that on.
 */
typedef int (*modalias_fn)(const char *name, void *ctx);
int modalias_each(const char *buf, size_t len, const char *s, modalias_fn fn, void *ctx);

/* One alias line, to match many strings against a file parsed once. */
struct modalias_entry {
	const char *pat, *mod;
	size_t pat_len, mod_len;
};

/*
 * The alias lines of buf, in file order, into e[0, max). Returns how many
 * there are: more than max when they do not all fit (then e holds the
 * first max, and the caller should match with modalias_each instead).
 */
size_t modalias_index(const char *buf, size_t len, struct modalias_entry *e, size_t max);

/* modalias_each over an index: the same matches, in the same order. */
int modalias_each_entry(const struct modalias_entry *e, size_t n, const char *s, modalias_fn fn,
			void *ctx);

/* Whether modules.builtin (paths, one a line) lists module name. */
bool modbuiltin_has(const char *buf, size_t len, const char *name);

/*
 * The PARAM of a command-line word "NAME.PARAM" when NAME is module name
 * (normalised: '-' and '_' alike), else NULL. PARAM is not empty.
 */
const char *modparam_for(const char *word, const char *name);

/*
 * Appends "param" or "param=value" to the option string out (a space
 * before it when out is not empty), quoting a value with spaces as the
 * command line did. -E2BIG when it does not fit: out is left unchanged.
 */
int modparam_append(char *out, size_t size, const char *param, const char *val);

#endif
