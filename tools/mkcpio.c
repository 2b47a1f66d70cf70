/*
 * mkcpio: write a cpio "newc" archive (an initramfs) from text lists in the
 * format of the kernel's usr/gen_init_cpio, without needing root.
 *
 * Every list is read and checked before a byte is written, so bad input
 * leaves no output behind. The output is reproducible: fixed order, inode
 * numbers and mtimes, and compressors run without timestamps.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG		"mkcpio"
#define NEWC_MAGIC	"070701"
#define HDR_LEN		110
/* The kernel skips names whose namesize (with the NUL) exceeds PATH_MAX. */
#define NAME_MAX_LEN	4095
#define COMPONENT_MAX	255
/* symlink(2) refuses targets of PATH_MAX bytes or more. */
#define TARGET_MAX_LEN	4095
#define SIZE_MAX_NEWC	0xffffffffULL
/* The kernel builds dev_t with MKDEV(): 12 bits of major, 20 of minor. */
#define MAJOR_MAX	0xfffU
#define MINOR_MAX	0xfffffU
/* (uid_t)-1 means "leave unchanged" to chown(2), so it cannot be an owner. */
#define ID_MAX		0xfffffffeU
#define FIRST_INO	1
#define OUT_BUF		(64 * 1024)

static const char usage_text[] =
	"usage: " PROG " [-o OUT] [-c none|gzip|zstd|xz] [-t EPOCH] LIST [LIST...]\n"
	"Write a cpio newc archive (initramfs) from gen_init_cpio style lists.\n"
	"  -o OUT    write to OUT atomically (default: standard output)\n"
	"  -c COMP   compress with none (default), gzip, zstd or xz\n"
	"  -t EPOCH  mtime of every entry (default: $SOURCE_DATE_EPOCH, else 0)\n"
	"  LIST      list file, '-' for standard input; several are read in order\n"
	"List lines ('#' comments and blank lines are ignored):\n"
	"  file <name> <location> <mode> <uid> <gid> [<hard links>...]\n"
	"  dir <name> <mode> <uid> <gid>\n"
	"  nod <name> <mode> <uid> <gid> <b|c> <maj> <min>\n"
	"  slink <name> <target> <mode> <uid> <gid>\n"
	"  pipe <name> <mode> <uid> <gid>\n"
	"  sock <name> <mode> <uid> <gid>\n"
	"${VAR} in a file location is replaced from the environment.\n";

struct entry {
	char *name;		/* as stored: no leading '/' */
	char *data;		/* file location or symlink target, or NULL */
	uint32_t mode;		/* file type and permission bits */
	uint32_t uid, gid;
	uint32_t rmajor, rminor;
	uint32_t ino, nlink;
	uint64_t size;		/* bytes of data this entry carries */
	const char *list;	/* where it was defined, for messages */
	unsigned long line;
};

struct entries {
	struct entry *v;
	size_t n, cap;
	/* open-addressing table of indexes + 1 into v, keyed by name */
	size_t *slot;
	size_t nslot;
	uint32_t next_ino;
};

/* Where we are in the lists, for "LIST:LINE:" messages. */
struct pos {
	const char *list;
	unsigned long line;
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
	char buf[OUT_BUF];
};

/* The temp file to remove if a signal ends us mid-write. */
static volatile sig_atomic_t tmp_armed;
static char *tmp_path;

static void errmsg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void report_at(const struct pos *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report a problem in a list line and yield -EINVAL to pass up. */
#define perr(p, ...)	(report_at((p), __VA_ARGS__), -EINVAL)

static void errmsg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void report_at(const struct pos *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s:%lu: ", p->list, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		errmsg("out of memory");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

/*
 * Parse an unsigned number made of digits only: strtoull alone would take
 * signs, spaces and "0x".
 */
static int parse_u32(const char *s, int base, uint32_t max, uint32_t *val)
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
static size_t *find_slot(const struct entries *es, const char *name)
{
	size_t mask = es->nslot - 1;
	size_t i = hash_name(name) & mask;

	while (es->slot[i] && strcmp(es->v[es->slot[i] - 1].name, name))
		i = (i + 1) & mask;
	return &es->slot[i];
}

static struct entry *lookup(const struct entries *es, const char *name)
{
	size_t idx;

	if (!es->nslot)
		return NULL;
	idx = *find_slot(es, name);
	return idx ? &es->v[idx - 1] : NULL;
}

static void rehash(struct entries *es)
{
	size_t i;

	free(es->slot);
	es->nslot = es->nslot ? es->nslot * 2 : 256;
	es->slot = calloc(es->nslot, sizeof(*es->slot));
	if (!es->slot) {
		errmsg("out of memory");
		exit(1);
	}
	for (i = 0; i < es->n; i++)
		*find_slot(es, es->v[i].name) = i + 1;
}

/* Takes ownership of e->name and e->data. */
static void add_entry(struct entries *es, const struct entry *e)
{
	if (es->n == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 64;
		es->v = xrealloc(es->v, es->cap * sizeof(*es->v));
	}
	es->v[es->n++] = *e;
	/* keep the table at most half full */
	if (es->n * 2 > es->nslot)
		rehash(es);
	else
		*find_slot(es, e->name) = es->n;
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
		if (len > COMPONENT_MAX)
			return perr(p, "bad name '%s': a component is %zu bytes long, the limit is %d (NAME_MAX)",
				    orig, len, COMPONENT_MAX);
		if (!c[len])
			return 0;
		c += len + 1;
	}
}

/* The kernel creates no directory implicitly: the parent needs its own entry. */
static int check_parent(const struct entries *es, const struct pos *p,
			const char *orig, const char *name)
{
	const char *slash = strrchr(name, '/');
	const struct entry *e;
	char *parent;
	int ret = 0;

	if (!slash)
		return 0;
	parent = strndup(name, (size_t)(slash - name));
	if (!parent) {
		errmsg("out of memory");
		exit(1);
	}
	e = lookup(es, parent);
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
static int check_name(const struct entries *es, const struct pos *p,
		      const char *orig, const char **stored)
{
	const char *name = orig[0] == '/' ? orig + 1 : orig;
	const struct entry *e;
	size_t len = strlen(name);
	int ret;

	if (!len)
		return perr(p, "bad name '%s': it is empty (the archive root needs no entry)",
			    orig);
	if (len > NAME_MAX_LEN)
		return perr(p, "name is %zu bytes long, the limit is %d (the kernel skips longer names)",
			    len, NAME_MAX_LEN);
	ret = check_components(p, orig, name);
	if (ret)
		return ret;
	e = lookup(es, name);
	if (e)
		return perr(p, "'%s' is already in the archive (%s:%lu); remove one of the lines",
			    orig, e->list, e->line);
	ret = check_parent(es, p, orig, name);
	if (ret)
		return ret;
	*stored = name;
	return 0;
}

static int parse_mode(const struct pos *p, const char *s, uint32_t *mode)
{
	if (parse_u32(s, 8, 07777, mode))
		return perr(p, "bad mode '%s': use octal permission bits from 0 to 07777 (the type comes from the keyword)",
			    s);
	return 0;
}

static int parse_id(const struct pos *p, const char *what, const char *s,
		    uint32_t *id)
{
	if (parse_u32(s, 10, ID_MAX, id))
		return perr(p, "bad %s '%s': use a decimal number from 0 to %u",
			    what, s, ID_MAX);
	return 0;
}

/* Parses the "<mode> <uid> <gid>" fields common to every keyword. */
static int parse_owner(const struct pos *p, char **f, struct entry *e)
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
	char *buf = xrealloc(NULL, cap);

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
			buf = xrealloc(buf, cap);
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
static int check_location(const struct pos *p, const char *loc, uint64_t *size)
{
	struct stat st;
	int fd, ret = 0;

	fd = open(loc, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return perr(p, "cannot open file location '%s': %s", loc,
			    strerror(errno));
	if (fstat(fd, &st)) {
		ret = perr(p, "cannot stat '%s': %s", loc, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		ret = perr(p, "file location '%s' is not a regular file (it is %s); use dir, nod, slink, pipe or sock for other types",
			   loc, type_name(st.st_mode));
	} else if ((uint64_t)st.st_size > SIZE_MAX_NEWC) {
		ret = perr(p, "'%s' is %llu bytes; newc stores at most %llu bytes per file",
			   loc, (unsigned long long)st.st_size, SIZE_MAX_NEWC);
	}
	if (!ret)
		*size = (uint64_t)st.st_size;
	close(fd);
	return ret;
}

/* Fills in what every entry of a line shares and takes the next inode. */
static struct entry new_entry(struct entries *es, const struct pos *p,
			      uint32_t type)
{
	struct entry e = {
		.mode = type, .nlink = 1, .ino = es->next_ino++,
		.list = p->list, .line = p->line,
	};

	return e;
}

/* file <name> <location> <mode> <uid> <gid> [<hard links>...] */
static int do_file(struct entries *es, const struct pos *p,
		   const struct fields *fl, uint32_t type)
{
	char **f = fl->f + 1;
	size_t nnames = fl->n - 5, i;
	struct entry e = new_entry(es, p, type);
	const char *stored;
	char *loc = NULL;
	uint64_t size = 0;
	int ret;

	ret = parse_owner(p, f + 2, &e);
	if (ret)
		return ret;
	ret = expand_env(p, f[1], &loc);
	if (ret)
		return ret;
	ret = check_location(p, loc, &size);
	if (ret) {
		free(loc);
		return ret;
	}
	/* All names share one inode; the data goes with the last name. */
	e.nlink = (uint32_t)nnames;
	for (i = 0; i < nnames; i++) {
		ret = check_name(es, p, i ? f[4 + i] : f[0], &stored);
		if (ret)
			break;
		e.name = xstrdup(stored);
		if (i == nnames - 1) {
			e.data = loc;
			e.size = size;
			loc = NULL;
		}
		add_entry(es, &e);
	}
	/* still ours only if a name was refused */
	free(loc);
	return ret;
}

/*
 * A directory listed again with the same mode and owner: lists written
 * apart (the image's, the modules', a user's EXTRA) may each need it, and
 * the kernel takes a directory twice. Anything else named twice is refused.
 */
static bool same_dir_again(const struct entries *es, const char *orig, const struct entry *e)
{
	const struct entry *old = lookup(es, orig[0] == '/' ? orig + 1 : orig);

	return S_ISDIR(e->mode) && old && old->mode == e->mode && old->uid == e->uid &&
	       old->gid == e->gid;
}

/* dir|pipe|sock <name> <mode> <uid> <gid> */
static int do_simple(struct entries *es, const struct pos *p,
		     const struct fields *fl, uint32_t type)
{
	struct entry e = new_entry(es, p, type);
	const char *stored;
	int ret;

	ret = parse_owner(p, fl->f + 2, &e);
	if (!ret && same_dir_again(es, fl->f[1], &e))
		return 0;
	if (!ret)
		ret = check_name(es, p, fl->f[1], &stored);
	if (ret)
		return ret;
	e.name = xstrdup(stored);
	add_entry(es, &e);
	return 0;
}

/* nod <name> <mode> <uid> <gid> <b|c> <maj> <min> */
static int do_nod(struct entries *es, const struct pos *p,
		  const struct fields *fl, uint32_t type)
{
	char **f = fl->f;
	struct entry e = new_entry(es, p, type);
	const char *stored;
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
	if (parse_u32(f[6], 10, MAJOR_MAX, &e.rmajor))
		return perr(p, "bad major '%s': use a decimal number from 0 to %u",
			    f[6], MAJOR_MAX);
	if (parse_u32(f[7], 10, MINOR_MAX, &e.rminor))
		return perr(p, "bad minor '%s': use a decimal number from 0 to %u",
			    f[7], MINOR_MAX);
	ret = check_name(es, p, f[1], &stored);
	if (ret)
		return ret;
	e.name = xstrdup(stored);
	add_entry(es, &e);
	return 0;
}

/* slink <name> <target> <mode> <uid> <gid> */
static int do_slink(struct entries *es, const struct pos *p,
		    const struct fields *fl, uint32_t type)
{
	char **f = fl->f;
	struct entry e = new_entry(es, p, type);
	const char *stored;
	size_t len = strlen(f[2]);
	int ret;

	/* splitting never yields an empty field, but say so if it did */
	if (!len)
		return perr(p, "symlink target is empty");
	if (len > TARGET_MAX_LEN)
		return perr(p, "symlink target is %zu bytes long, the limit is %d",
			    len, TARGET_MAX_LEN);
	ret = parse_owner(p, f + 3, &e);
	if (!ret)
		ret = check_name(es, p, f[1], &stored);
	if (ret)
		return ret;
	e.name = xstrdup(stored);
	e.data = xstrdup(f[2]);
	e.size = len;
	add_entry(es, &e);
	return 0;
}

static const struct keyword {
	const char *word;
	size_t nfields;		/* with the keyword */
	bool more;		/* may have more fields (hard links) */
	uint32_t type;
	int (*parse)(struct entries *es, const struct pos *p,
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

static int do_line(struct entries *es, const struct pos *p,
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
		return k->parse(es, p, fl, k->type);
	}
	return perr(p, "unknown keyword '%s'; use file, dir, nod, slink, pipe or sock",
		    fl->f[0]);
}

/* Split a line on blanks, in place; fields point into line. */
static void split(char *line, struct fields *fl)
{
	static const char blanks[] = " \t\r\n\v\f";
	char *s = line;

	fl->n = 0;
	for (;;) {
		s += strspn(s, blanks);
		if (!*s)
			return;
		if (fl->n == fl->cap) {
			fl->cap = fl->cap ? fl->cap * 2 : 16;
			fl->f = xrealloc(fl->f, fl->cap * sizeof(*fl->f));
		}
		fl->f[fl->n++] = s;
		s += strcspn(s, blanks);
		if (*s)
			*s++ = '\0';
	}
}

static int read_list(struct entries *es, const char *path)
{
	struct pos p = { .list = strcmp(path, "-") ? path : "<stdin>" };
	struct fields fl = { 0 };
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (!fp) {
		ret = -errno;
		errmsg("cannot open list '%s': %s", path, strerror(errno));
		return ret;
	}
	while (!ret && (len = getline(&line, &cap, fp)) >= 0) {
		p.line++;
		if (strlen(line) != (size_t)len) {
			ret = perr(&p, "line contains a NUL byte; is this a text list?");
			break;
		}
		split(line, &fl);
		if (!fl.n || fl.f[0][0] == '#')
			continue;
		ret = do_line(es, &p, &fl);
	}
	if (!ret && ferror(fp))
		ret = perr(&p, "read error: %s", strerror(errno));
	if (fp != stdin && fclose(fp) && !ret)
		ret = perr(&p, "read error: %s", strerror(errno));
	free(line);
	free(fl.f);
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

static int write_header(struct out *o, const struct entry *e, uint32_t mtime)
{
	char hdr[HDR_LEN + 1];
	size_t namesize = strlen(e->name) + 1;
	int ret;

	snprintf(hdr, sizeof(hdr),
		 "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 NEWC_MAGIC, e->ino, e->mode, e->uid, e->gid, e->nlink, mtime,
		 (uint32_t)e->size, 0, 0, e->rmajor, e->rminor,
		 (uint32_t)namesize, 0);
	ret = out_write(o, hdr, HDR_LEN);
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
static int copy_file(struct out *o, const struct entry *e)
{
	struct pos p = { .list = e->list, .line = e->line };
	uint64_t left = e->size;
	struct stat st;
	char extra;
	int fd, ret = 0;

	fd = open(e->data, O_RDONLY | O_CLOEXEC);
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

static int write_entry(struct out *o, const struct entry *e, uint32_t mtime)
{
	int ret = write_header(o, e, mtime);

	if (ret || !e->size)
		return ret;
	if (S_ISLNK(e->mode))
		ret = out_write(o, e->data, e->size);
	else
		ret = copy_file(o, e);
	if (!ret)
		ret = out_pad(o);
	return ret;
}

/*
 * Write the whole archive. Input errors are reported here; a write error
 * is left in *werr for the caller, which knows where the bytes were going.
 */
static int write_archive(int fd, const struct entries *es, uint32_t mtime,
			 int *werr)
{
	static const struct entry trailer = {
		.name = "TRAILER!!!", .nlink = 1,
	};
	struct out *o = xrealloc(NULL, sizeof(*o));
	size_t i;
	int ret = 0;

	o->fd = fd;
	o->werr = 0;
	o->off = 0;
	o->len = 0;
	for (i = 0; i < es->n && !ret; i++)
		ret = write_entry(o, &es->v[i], mtime);
	if (!ret)
		ret = write_entry(o, &trailer, 0);
	if (!ret)
		ret = out_flush(o);
	*werr = o->werr;
	free(o);
	return ret;
}

static const char *const *compressor_argv(const char *name)
{
	static const char *const gzip[] = { "gzip", "-n", "-9", NULL };
	static const char *const zstd[] = { "zstd", "-19", "-q", NULL };
	static const char *const xz[] = { "xz", "--check=crc32", "-9", NULL };

	if (!strcmp(name, "gzip"))
		return gzip;
	if (!strcmp(name, "zstd"))
		return zstd;
	if (!strcmp(name, "xz"))
		return xz;
	return NULL;
}

/* Start the compressor reading a pipe and writing outfd; *in is the pipe. */
static int start_compressor(const char *const *argv, int outfd, int *in,
			    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], ret;

	if (pipe2(pfd, O_CLOEXEC)) {
		ret = -errno;
		errmsg("pipe: %s", strerror(errno));
		return ret;
	}
	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, outfd, 1);
	/* argv is never written to; posix_spawnp just lacks the const */
	if (!ret)
		ret = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
				   environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (ret) {
		errmsg("cannot run %s: %s", argv[0], strerror(ret));
		close(pfd[1]);
		return -ret;
	}
	*in = pfd[1];
	return 0;
}

static int wait_compressor(const char *name, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			errmsg("waiting for %s: %s", name, strerror(errno));
			return -ECHILD;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		errmsg("%s was killed by signal %d", name, WTERMSIG(status));
	else
		errmsg("%s failed with exit status %d", name, WEXITSTATUS(status));
	return -EIO;
}

/* Write the archive to fd, through the compressor when there is one. */
static int emit(int fd, const char *what, const char *comp,
		const struct entries *es, uint32_t mtime)
{
	const char *const *argv = compressor_argv(comp);
	pid_t pid = 0;
	int in = fd, ret, werr = 0, cret = 0;

	if (argv) {
		ret = start_compressor(argv, fd, &in, &pid);
		if (ret)
			return ret;
	}
	ret = write_archive(in, es, mtime, &werr);
	if (argv) {
		if (close(in) && !werr)
			werr = errno;
		cret = wait_compressor(argv[0], pid);
	}
	/* a compressor that died already said why; EPIPE adds nothing */
	if (werr && !(werr == EPIPE && cret))
		errmsg("writing %s: %s", argv ? argv[0] : what, strerror(werr));
	if (werr && !ret)
		ret = -werr;
	return ret ? ret : cret;
}

static void on_signal(int sig)
{
	if (tmp_armed)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int finish_tmp(int fd, const char *out)
{
	mode_t mask = umask(0);

	umask(mask);
	/* mkstemp makes 0600; give the image the mode a plain creat would */
	if (fchmod(fd, 0666 & ~mask) || fsync(fd)) {
		errmsg("%s: %s", tmp_path, strerror(errno));
		close(fd);
		return -EIO;
	}
	if (close(fd)) {
		errmsg("writing %s: %s", tmp_path, strerror(errno));
		return -EIO;
	}
	if (rename(tmp_path, out)) {
		errmsg("cannot rename %s to %s: %s", tmp_path, out,
		       strerror(errno));
		return -EIO;
	}
	return 0;
}

/* Write to a temp file next to out, then rename it over out. */
static int emit_file(const char *out, const char *comp,
		     const struct entries *es, uint32_t mtime)
{
	int fd, ret;

	if (asprintf(&tmp_path, "%s.tmpXXXXXX", out) < 0) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	catch_signals();
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		errmsg("cannot create a temporary file for %s: %s", out,
		       strerror(errno));
		return ret;
	}
	tmp_armed = 1;
	ret = emit(fd, out, comp, es, mtime);
	if (!ret)
		ret = finish_tmp(fd, out);
	else
		close(fd);
	if (ret)
		unlink(tmp_path);
	tmp_armed = 0;
	return ret;
}

static int parse_epoch(const char *what, const char *s, uint32_t *val)
{
	if (parse_u32(s, 10, UINT32_MAX, val)) {
		errmsg("bad %s '%s': use a decimal number of seconds from 0 to %u (newc mtime is 32-bit)",
		       what, s, UINT32_MAX);
		return -EINVAL;
	}
	return 0;
}

static void usage_error(const char *msg)
{
	if (msg)
		errmsg("%s", msg);
	fputs(usage_text, stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct entries es = { .next_ino = FIRST_INO };
	const char *out = NULL, *comp = "none", *sde;
	uint32_t mtime = 0;
	bool have_t = false;
	int opt, i;

	while ((opt = getopt(argc, argv, "ho:c:t:")) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return ferror(stdout) || fflush(stdout) ? 1 : 0;
		case 'o':
			out = optarg;
			break;
		case 'c':
			comp = optarg;
			if (strcmp(comp, "none") && !compressor_argv(comp))
				usage_error("-c takes none, gzip, zstd or xz");
			break;
		case 't':
			if (parse_epoch("-t", optarg, &mtime))
				return 1;
			have_t = true;
			break;
		default:
			usage_error(NULL);
		}
	}
	if (optind >= argc)
		usage_error("no LIST given");
	sde = getenv("SOURCE_DATE_EPOCH");
	if (!have_t && sde && parse_epoch("SOURCE_DATE_EPOCH", sde, &mtime))
		return 1;
	if (!out && isatty(STDOUT_FILENO)) {
		errmsg("refusing to write an archive to a terminal; use -o OUT or a redirection");
		return 1;
	}
	for (i = optind; i < argc; i++)
		if (read_list(&es, argv[i]))
			return 1;
	/* a dead compressor or reader must give EPIPE, not kill us silently */
	signal(SIGPIPE, SIG_IGN);
	if (out)
		return emit_file(out, comp, &es, mtime) ? 1 : 0;
	return emit(STDOUT_FILENO, "standard output", comp, &es, mtime) ? 1 : 0;
}
