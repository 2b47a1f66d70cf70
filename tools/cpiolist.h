/*
 * The heart of mkcpio as a library: the parser of gen_init_cpio style lists
 * and the writer of the cpio "newc" archive they describe. tools/mkcpio.c
 * adds the command line, the compressors and the atomic output file; the
 * fuzzer (tests/fuzz/fuzz_mkcpio_list.c) drives the two halves directly.
 *
 * Every function returns 0 or -errno after saying why on the list's
 * message stream, as "mkcpio: LIST:LINE: reason".
 */
#ifndef HANDOFF_CPIOLIST_H
#define HANDOFF_CPIOLIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NEWC_MAGIC	"070701"
#define NEWC_HDR_LEN	110
/* The kernel skips names whose namesize (with the NUL) exceeds PATH_MAX. */
#define NEWC_NAME_MAX	4095
#define NEWC_COMPONENT_MAX	255
/* symlink(2) refuses targets of PATH_MAX bytes or more. */
#define NEWC_TARGET_MAX	4095
#define NEWC_SIZE_MAX	0xffffffffULL
/* The kernel builds dev_t with MKDEV(): 12 bits of major, 20 of minor. */
#define NEWC_MAJOR_MAX	0xfffU
#define NEWC_MINOR_MAX	0xfffffU
/* (uid_t)-1 means "leave unchanged" to chown(2), so it cannot be an owner. */
#define NEWC_ID_MAX	0xfffffffeU
#define NEWC_FIRST_INO	1
/* The writer's buffer: file data passes through it in pieces of this size. */
#define CPIOLIST_BUF	(64 * 1024)

struct cpiolist_entry {
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

struct cpiolist {
	struct cpiolist_entry *v;
	size_t n, cap;
	/* open-addressing table of indexes + 1 into v, keyed by name */
	size_t *slot;
	size_t nslot;
	uint32_t next_ino;
	/* Where messages go (stderr after cpiolist_init). */
	FILE *msgs;
	/* Opens file locations read-only (open(2) after cpiolist_init). */
	int (*open_file)(const char *path, int flags);
};

/* An empty list: messages to stderr, files opened with open(2). */
void cpiolist_init(struct cpiolist *l);
/* Frees the entries; the list is empty again. */
void cpiolist_free(struct cpiolist *l);

/*
 * Adds the lines of the list file at path ("-": standard input) to l.
 * Every name, owner and file location is checked now, so that a bad list
 * fails before a byte of the archive is written.
 */
int cpiolist_read(struct cpiolist *l, const char *path);
/* The same for a list already open; name is what messages call it. */
int cpiolist_read_stream(struct cpiolist *l, FILE *fp, const char *name);

/* The entry stored as name (no leading '/'), or NULL. */
struct cpiolist_entry *cpiolist_lookup(const struct cpiolist *l, const char *name);

/*
 * Writes the archive of l to fd, every entry's mtime set to mtime. Input
 * errors (a file that changed since it was read) are reported here; a
 * write error's errno is left in *werr for the caller, which knows where
 * the bytes were going.
 */
int cpiolist_write(const struct cpiolist *l, int fd, uint32_t mtime, int *werr);

/*
 * An unsigned number of digits only (strtoull alone would take signs,
 * spaces and "0x"), in base 8 or 10, at most max: 0, -EINVAL or -ERANGE.
 */
int cpiolist_parse_u32(const char *s, int base, uint32_t max, uint32_t *val);

/* "mkcpio: " and the message, on to. */
void cpiolist_msg(FILE *to, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
