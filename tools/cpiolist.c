/*
 * The list parser and the newc writer of mkcpio (see cpiolist.h). The
 * output is reproducible: entries in list order, inode numbers counted
 * from NEWC_FIRST_INO, one mtime for all.
 */
#include "cpiolist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define PROG		"mkcpio"

/* Where we are in the lists, for "LIST:LINE:" messages. */
struct pos {
	const char *list;
	unsigned long line;
	FILE *msgs;
};

struct fields {
	char **f;
	size_t n, cap;
};

struct out {
	int fd;
	int werr;		/* errno of a failed write, to tell it from input errors */
	uint64_t off;
	size_t len;
	char buf[CPIOLIST_BUF];
};

static void report_at(const struct pos *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report a problem in a list line and yield -EINVAL to pass up. */
#define perr(p, ...)	(report_at((p), __VA_ARGS__), -EINVAL)

void cpiolist_msg(FILE *to, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", to);
	va_start(ap, fmt);
	vfprintf(to, fmt, ap);
	va_end(ap);
	fputc('\n', to);
}

static void report_at(const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(p->msgs, PROG ": %s:%lu: ", p->list, p->line);
	va_start(ap, fmt);
	vfprintf(p->msgs, fmt, ap);
	va_end(ap);
	fputc('\n', p->msgs);
}

static int no_memory(FILE *msgs)
{
	cpiolist_msg(msgs, "out of memory");
	return -ENOMEM;
}

static int open_plain(const char *path, int flags)
{
	return open(path, flags);
}

void cpiolist_init(struct cpiolist *l)
{
	*l = (struct cpiolist){ .next_ino = NEWC_FIRST_INO, .msgs = stderr,
				.open_file = open_plain };
}

void cpiolist_free(struct cpiolist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].data);
	}
	free(l->v);
	free(l->slot);
	l->v = NULL;
	l->slot = NULL;
	l->n = l->cap = l->nslot = 0;
	l->next_ino = NEWC_FIRST_INO;
}

int cpiolist_parse_u32(const char *s, int base, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	const char *digits = base == 8 ? "01234567" : "0123456789";
	char *end;

	if (!*s || strspn(s, digits) != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -ERANGE;
	*val = (uint32_t)v;
	return 0;
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Returns the slot holding name, or the empty slot where it would go. */
static size_t *find_slot(size_t *slot, size_t nslot,
			 const struct cpiolist_entry *v, const char *name)
{
	size_t mask = nslot - 1;
	size_t i = hash_name(name) & mask;

	while (slot[i] && strcmp(v[slot[i] - 1].name, name))
		i = (i + 1) & mask;
	return &slot[i];
}

struct cpiolist_entry *cpiolist_lookup(const struct cpiolist *l, const char *name)
{
	size_t idx;

	if (!l->nslot)
		return NULL;
	idx = *find_slot(l->slot, l->nslot, l->v, name);
	return idx ? &l->v[idx - 1] : NULL;
}

/* A table twice the size; the old one stays if there is no memory. */
static int rehash(struct cpiolist *l)
{
	size_t nslot = l->nslot ? l->nslot * 2 : 256;
	size_t *slot = calloc(nslot, sizeof(*slot));
	size_t i;

	if (!slot)
		return no_memory(l->msgs);
	for (i = 0; i < l->n; i++)
		*find_slot(slot, nslot, l->v, l->v[i].name) = i + 1;
	free(l->slot);
	l->slot = slot;
	l->nslot = nslot;
	return 0;
}

/* Takes ownership of e->name and e->data, and frees them on failure. */
static int add_entry(struct cpiolist *l, const struct cpiolist_entry *e)
{
	int ret = 0;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct cpiolist_entry *v = realloc(l->v, cap * sizeof(*v));

		if (v) {
			l->v = v;
			l->cap = cap;
		} else {
			ret = no_memory(l->msgs);
		}
	}
	/* keep the table at most half full */
	if (!ret && (l->n + 1) * 2 > l->nslot)
		ret = rehash(l);
	if (ret) {
		free(e->name);
		free(e->data);
		return ret;
	}
	l->v[l->n++] = *e;
	*find_slot(l->slot, l->nslot, l->v, e->name) = l->n;
	return 0;
}

static int check_components(const struct pos *p, const char *orig,
			    const char *name)
{
	const char *c = name;

	for (;;) {
		size_t len = strcspn(c, "/");

		if (len == 0)
			return perr(p, "bad name '%s': empty component (a doubled or trailing '/')",
				    orig);
		if ((len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return perr(p, "bad name '%s': '%.*s' components are not allowed; write the plain path",
				    orig, (int)len, c);
		if (len > NEWC_COMPONENT_MAX)
			return perr(p, "bad name '%s': a component is %zu bytes long, the limit is %d (NAME_MAX)",
				    orig, len, NEWC_COMPONENT_MAX);
		if (!c[len])
			return 0;
		c += len + 1;
	}
}

/* The kernel creates no directory implicitly: the parent needs its own entry. */
static int check_parent(const struct cpiolist *l, const struct pos *p,
			const char *orig, const char *name)
{
	const char *slash = strrchr(name, '/');
	const struct cpiolist_entry *e;
	char *parent;
	int ret = 0;

	if (!slash)
		return 0;
	parent = strndup(name, (size_t)(slash - name));
	if (!parent)
		return no_memory(p->msgs);
	e = cpiolist_lookup(l, parent);
	if (!e)
		ret = perr(p, "%s: parent directory /%s has no dir line before it; add 'dir /%s <mode> <uid> <gid>' above",
			   orig, parent, parent);
	else if (!S_ISDIR(e->mode))
		ret = perr(p, "parent '/%s' of '%s' is not a directory (%s:%lu)",
			   parent, orig, e->list, e->line);
	free(parent);
	return ret;
}

/*
 * Check a name for the archive: well formed, new, and with its parent
 * directory already in it. On success *stored points into orig, past the
 * leading '/'.
 */
static int check_name(const struct cpiolist *l, const struct pos *p,
		      const char *orig, const char **stored)
{
	const char *name = orig[0] == '/' ? orig + 1 : orig;
	const struct cpiolist_entry *e;
	size_t len = strlen(name);
	int ret;

	if (!len)
		return perr(p, "bad name '%s': it is empty (the archive root needs no entry)",
			    orig);
	if (len > NEWC_NAME_MAX)
		return perr(p, "name is %zu bytes long, the limit is %d (the kernel skips longer names)",
			    len, NEWC_NAME_MAX);
	ret = check_components(p, orig, name);
	if (ret)
		return ret;
	e = cpiolist_lookup(l, name);
	if (e)
		return perr(p, "'%s' is already in the archive (%s:%lu); remove one of the lines",
			    orig, e->list, e->line);
	ret = check_parent(l, p, orig, name);
	if (ret)
		return ret;
	*stored = name;
	return 0;
}

/*
 * Adds e under the name orig once the name passes check_name(). Takes
 * ownership of e->data, and frees it on failure.
 */
static int add_named(struct cpiolist *l, const struct pos *p, const char *orig,
		     struct cpiolist_entry *e)
{
	const char *stored;
	int ret = check_name(l, p, orig, &stored);

	if (!ret) {
		e->name = strdup(stored);
		if (e->name)
			return add_entry(l, e);
		ret = no_memory(p->msgs);
	}
	free(e->data);
	return ret;
}

static int parse_mode(const struct pos *p, const char *s, uint32_t *mode)
{
	if (cpiolist_parse_u32(s, 8, 07777, mode))
		return perr(p, "bad mode '%s': use octal permission bits from 0 to 07777 (the type comes from the keyword)",
			    s);
	return 0;
}

static int parse_id(const struct pos *p, const char *what, const char *s,
		    uint32_t *id)
{
	if (cpiolist_parse_u32(s, 10, NEWC_ID_MAX, id))
		return perr(p, "bad %s '%s': use a decimal number from 0 to %u",
			    what, s, NEWC_ID_MAX);
	return 0;
}

/* Parses the "<mode> <uid> <gid>" fields common to every keyword. */
static int parse_owner(const struct pos *p, char **f, struct cpiolist_entry *e)
{
	uint32_t perm;
	int ret;

	ret = parse_mode(p, f[0], &perm);
	if (ret)
		return ret;
	e->mode |= perm;
	ret = parse_id(p, "uid", f[1], &e->uid);
	if (!ret)
		ret = parse_id(p, "gid", f[2], &e->gid);
	return ret;
}

/* Returns the value of the variable named by the n bytes at name, or NULL. */
static const char *env_value(const char *name, size_t n)
{
	char **e;

	for (e = environ; *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/*
 * Replace each ${VAR} in a file location with its value. Unlike
 * gen_init_cpio, an unset variable is an error: it would silently turn
 * into a wrong path. Values are not expanded again.
 */
static int expand_env(const struct pos *p, const char *in, char **out)
{
	const char *orig = in;
	size_t len = 0, cap = strlen(in) + 1;
	char *buf = malloc(cap), *more;

	if (!buf)
		return no_memory(p->msgs);
	while (*in) {
		const char *src = in, *end;
		size_t n = 1;

		if (in[0] == '$' && in[1] == '{') {
			end = strchr(in + 2, '}');
			if (!end) {
				free(buf);
				return perr(p, "unterminated '${' in location '%s'",
					    orig);
			}
			n = (size_t)(end - in - 2);
			src = env_value(in + 2, n);
			if (!src) {
				free(buf);
				return perr(p, "environment variable '%.*s' in the location is not set",
					    (int)n, in + 2);
			}
			in = end + 1;
			n = strlen(src);
		} else {
			in++;
		}
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			more = realloc(buf, cap);
			if (!more) {
				free(buf);
				return no_memory(p->msgs);
			}
			buf = more;
		}
		memcpy(buf + len, src, n);
		len += n;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static const char *type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "of another type";
}

/*
 * Check that a file location can be read now, so that a missing or
 * unreadable file fails before any output is written.
 */
static int check_location(const struct cpiolist *l, const struct pos *p,
			  const char *loc, uint64_t *size)
{
	struct stat st;
	int fd, ret = 0;

	fd = l->open_file(loc, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return perr(p, "cannot open file location '%s': %s", loc,
			    strerror(errno));
	if (fstat(fd, &st)) {
		ret = perr(p, "cannot stat '%s': %s", loc, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = perr(p, "file location '%s' is not a regular file (it is %s); use dir, nod, slink, pipe or sock for other types",
			   loc, type_name(st.st_mode));
	} else if ((uint64_t)st.st_size > NEWC_SIZE_MAX) {
		ret = perr(p, "'%s' is %llu bytes; newc stores at most %llu bytes per file",
			   loc, (unsigned long long)st.st_size, NEWC_SIZE_MAX);
	}
	if (!ret)
		*size = (uint64_t)st.st_size;
	close(fd);
	return ret;
}

/* Fills in what every entry of a line shares and takes the next inode. */
static struct cpiolist_entry new_entry(struct cpiolist *l, const struct pos *p,
				       uint32_t type)
{
	struct cpiolist_entry e = {
		.mode = type, .nlink = 1, .ino = l->next_ino++,
		.list = p->list, .line = p->line,
	};

	return e;
}

/* file <name> <location> <mode> <uid> <gid> [<hard links>...] */
static int do_file(struct cpiolist *l, const struct pos *p,
		   const struct fields *fl, uint32_t type)
{
	char **f = fl->f + 1;
	size_t nnames = fl->n - 5, i;
	struct cpiolist_entry e = new_entry(l, p, type);
	char *loc = NULL;
	uint64_t size = 0;
	int ret;

	ret = parse_owner(p, f + 2, &e);
	if (ret)
		return ret;
	ret = expand_env(p, f[1], &loc);
	if (ret)
		return ret;
	ret = check_location(l, p, loc, &size);
	if (ret) {
		free(loc);
		return ret;
	}
	/* All names share one inode; the data goes with the last name. */
	e.nlink = (uint32_t)nnames;
	for (i = 0; i < nnames && !ret; i++) {
		if (i == nnames - 1) {
			e.data = loc;
			e.size = size;
			loc = NULL;
		}
		ret = add_named(l, p, i ? f[4 + i] : f[0], &e);
	}
	/* still ours only if a name before the last was refused */
	free(loc);
	return ret;
}

/*
 * A directory listed again with the same mode and owner: lists written
 * apart (the image's, the modules', a user's EXTRA) may each need it, and
 * the kernel takes a directory twice. Anything else named twice is refused.
 */
static bool same_dir_again(const struct cpiolist *l, const char *orig,
			   const struct cpiolist_entry *e)
{
	const struct cpiolist_entry *old =
		cpiolist_lookup(l, orig[0] == '/' ? orig + 1 : orig);

	return S_ISDIR(e->mode) && old && old->mode == e->mode && old->uid == e->uid &&
	       old->gid == e->gid;
}

/* dir|pipe|sock <name> <mode> <uid> <gid> */
static int do_simple(struct cpiolist *l, const struct pos *p,
		     const struct fields *fl, uint32_t type)
{
	struct cpiolist_entry e = new_entry(l, p, type);
	int ret;

	ret = parse_owner(p, fl->f + 2, &e);
	if (ret)
		return ret;
	if (same_dir_again(l, fl->f[1], &e))
		return 0;
	return add_named(l, p, fl->f[1], &e);
}

/* nod <name> <mode> <uid> <gid> <b|c> <maj> <min> */
static int do_nod(struct cpiolist *l, const struct pos *p,
		  const struct fields *fl, uint32_t type)
{
	char **f = fl->f;
	struct cpiolist_entry e = new_entry(l, p, type);
	int ret;

	if (!strcmp(f[5], "c"))
		e.mode = S_IFCHR;
	else if (!strcmp(f[5], "b"))
		e.mode = S_IFBLK;
	else
		return perr(p, "bad device type '%s': use 'c' (character) or 'b' (block)",
			    f[5]);
	ret = parse_owner(p, f + 2, &e);
	if (ret)
		return ret;
	if (cpiolist_parse_u32(f[6], 10, NEWC_MAJOR_MAX, &e.rmajor))
		return perr(p, "bad major '%s': use a decimal number from 0 to %u",
			    f[6], NEWC_MAJOR_MAX);
	if (cpiolist_parse_u32(f[7], 10, NEWC_MINOR_MAX, &e.rminor))
		return perr(p, "bad minor '%s': use a decimal number from 0 to %u",
			    f[7], NEWC_MINOR_MAX);
	return add_named(l, p, f[1], &e);
}

/* slink <name> <target> <mode> <uid> <gid> */
static int do_slink(struct cpiolist *l, const struct pos *p,
		    const struct fields *fl, uint32_t type)
{
	char **f = fl->f;
	struct cpiolist_entry e = new_entry(l, p, type);
	size_t len = strlen(f[2]);
	int ret;

	/* splitting never yields an empty field, but say so if it did */
	if (!len)
		return perr(p, "symlink target is empty");
	if (len > NEWC_TARGET_MAX)
		return perr(p, "symlink target is %zu bytes long, the limit is %d",
			    len, NEWC_TARGET_MAX);
	ret = parse_owner(p, f + 3, &e);
	if (ret)
		return ret;
	e.data = strdup(f[2]);
	if (!e.data)
		return no_memory(p->msgs);
	e.size = len;
	return add_named(l, p, f[1], &e);
}

static const struct keyword {
	const char *word;
	size_t nfields;		/* with the keyword */
	bool more;		/* may have more fields (hard links) */
	uint32_t type;
	int (*parse)(struct cpiolist *l, const struct pos *p,
		     const struct fields *fl, uint32_t type);
	const char *syntax;
} keywords[] = {
	{ "file", 6, true, S_IFREG, do_file,
	  "file <name> <location> <mode> <uid> <gid> [<hard links>...]" },
	{ "dir", 5, false, S_IFDIR, do_simple,
	  "dir <name> <mode> <uid> <gid>" },
	{ "nod", 8, false, 0, do_nod,
	  "nod <name> <mode> <uid> <gid> <b|c> <maj> <min>" },
	{ "slink", 6, false, S_IFLNK, do_slink,
	  "slink <name> <target> <mode> <uid> <gid>" },
	{ "pipe", 5, false, S_IFIFO, do_simple,
	  "pipe <name> <mode> <uid> <gid>" },
	{ "sock", 5, false, S_IFSOCK, do_simple,
	  "sock <name> <mode> <uid> <gid>" },
};

static int do_line(struct cpiolist *l, const struct pos *p,
		   const struct fields *fl)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const struct keyword *k = &keywords[i];

		if (strcmp(fl->f[0], k->word))
			continue;
		if (fl->n < k->nfields || (fl->n > k->nfields && !k->more))
			return perr(p, "wrong number of fields for '%s' (%zu given); the syntax is: %s",
				    k->word, fl->n - 1, k->syntax);
		return k->parse(l, p, fl, k->type);
	}
	return perr(p, "unknown keyword '%s'; use file, dir, nod, slink, pipe or sock",
		    fl->f[0]);
}

/* Split a line on blanks, in place; fields point into line. */
static int split(const struct pos *p, char *line, struct fields *fl)
{
	static const char blanks[] = " \t\r\n\v\f";
	char *s = line;

	fl->n = 0;
	for (;;) {
		s += strspn(s, blanks);
		if (!*s)
			return 0;
		if (fl->n == fl->cap) {
			size_t cap = fl->cap ? fl->cap * 2 : 16;
			char **f = realloc(fl->f, cap * sizeof(*f));

			if (!f)
				return no_memory(p->msgs);
			fl->f = f;
			fl->cap = cap;
		}
		fl->f[fl->n++] = s;
		s += strcspn(s, blanks);
		if (*s)
			*s++ = '\0';
	}
}

int cpiolist_read_stream(struct cpiolist *l, FILE *fp, const char *name)
{
	struct pos p = { .list = name, .msgs = l->msgs };
	struct fields fl = { 0 };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, fp)) >= 0) {
		p.line++;
		if (strlen(line) != (size_t)len) {
			ret = perr(&p, "line contains a NUL byte; is this a text list?");
			break;
		}
		ret = split(&p, line, &fl);
		if (ret || !fl.n || fl.f[0][0] == '#')
			continue;
		ret = do_line(l, &p, &fl);
	}
	if (!ret && ferror(fp))
		ret = perr(&p, "read error: %s", strerror(errno));
	free(line);
	free(fl.f);
	return ret;
}

int cpiolist_read(struct cpiolist *l, const char *path)
{
	bool std = !strcmp(path, "-");
	FILE *fp = std ? stdin : fopen(path, "r");
	int ret;

	if (!fp) {
		ret = -errno;
		cpiolist_msg(l->msgs, "cannot open list '%s': %s", path, strerror(errno));
		return ret;
	}
	ret = cpiolist_read_stream(l, fp, std ? "<stdin>" : path);
	if (!std && fclose(fp) && !ret) {
		struct pos p = { .list = path, .msgs = l->msgs };

		ret = perr(&p, "read error: %s", strerror(errno));
	}
	return ret;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int out_flush(struct out *o)
{
	int ret = write_all(o->fd, o->buf, o->len);

	o->len = 0;
	if (ret)
		o->werr = -ret;
	return ret;
}

static int out_write(struct out *o, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		size_t k = sizeof(o->buf) - o->len;

		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		o->off += k;
		s += k;
		n -= k;
		if (o->len == sizeof(o->buf) && out_flush(o))
			return -o->werr;
	}
	return 0;
}

/* newc aligns headers and data to 4 bytes with NULs. */
static int out_pad(struct out *o)
{
	static const char zero[4];

	return out_write(o, zero, (4 - (o->off & 3)) & 3);
}

static int write_header(struct out *o, const struct cpiolist_entry *e, uint32_t mtime)
{
	char hdr[NEWC_HDR_LEN + 1];
	size_t namesize = strlen(e->name) + 1;
	int ret;

	snprintf(hdr, sizeof(hdr),
		 "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 NEWC_MAGIC, e->ino, e->mode, e->uid, e->gid, e->nlink, mtime,
		 (uint32_t)e->size, 0, 0, e->rmajor, e->rminor,
		 (uint32_t)namesize, 0);
	ret = out_write(o, hdr, NEWC_HDR_LEN);
	if (!ret)
		ret = out_write(o, e->name, namesize);
	if (!ret)
		ret = out_pad(o);
	return ret;
}

/* Read the next piece of fd into the output buffer; returns read()'s result. */
static ssize_t read_chunk(struct out *o, int fd, uint64_t left)
{
	size_t want = sizeof(o->buf) - o->len;
	ssize_t r;

	if (want > left)
		want = (size_t)left;
	do
		r = read(fd, o->buf + o->len, want);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		o->len += (size_t)r;
		o->off += (uint64_t)r;
	}
	return r;
}

/*
 * Copy exactly e->size bytes of a file. A file that changed size since it
 * was checked would make the header lie, so that is an error.
 */
static int copy_file(const struct cpiolist *l, struct out *o,
		     const struct cpiolist_entry *e)
{
	struct pos p = { .list = e->list, .line = e->line, .msgs = l->msgs };
	uint64_t left = e->size;
	struct stat st;
	char extra;
	int fd, ret = 0;

	fd = l->open_file(e->data, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return perr(&p, "cannot open '%s': %s", e->data, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size != e->size) {
		close(fd);
		return perr(&p, "'%s' changed while the archive was written; run again",
			    e->data);
	}
	while (left && !ret) {
		ssize_t r = read_chunk(o, fd, left);

		if (r <= 0) {
			ret = perr(&p, "reading '%s': %s", e->data,
				   r ? strerror(errno) : "file shrank; run again");
			break;
		}
		left -= (uint64_t)r;
		if (o->len == sizeof(o->buf))
			ret = out_flush(o);
	}
	if (!ret && read(fd, &extra, 1) != 0)
		ret = perr(&p, "'%s' grew while being read; run again", e->data);
	close(fd);
	return ret;
}

static int write_entry(const struct cpiolist *l, struct out *o,
		       const struct cpiolist_entry *e, uint32_t mtime)
{
	int ret = write_header(o, e, mtime);

	if (ret || !e->size)
		return ret;
	if (S_ISLNK(e->mode))
		ret = out_write(o, e->data, e->size);
	else
		ret = copy_file(l, o, e);
	if (!ret)
		ret = out_pad(o);
	return ret;
}

int cpiolist_write(const struct cpiolist *l, int fd, uint32_t mtime, int *werr)
{
	static const struct cpiolist_entry trailer = {
		.name = "TRAILER!!!", .nlink = 1,
	};
	struct out *o = malloc(sizeof(*o));
	size_t i;
	int ret = 0;

	*werr = 0;
	if (!o)
		return no_memory(l->msgs);
	o->fd = fd;
	o->werr = 0;
	o->off = 0;
	o->len = 0;
	for (i = 0; i < l->n && !ret; i++)
		ret = write_entry(l, o, &l->v[i], mtime);
	if (!ret)
		ret = write_entry(l, o, &trailer, 0);
	if (!ret)
		ret = out_flush(o);
	*werr = o->werr;
	free(o);
	return ret;
}
