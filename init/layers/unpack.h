/*
 * Writing archive entries into a new root, which they can never leave:
 * absolute names and ".." are refused, every parent directory is resolved
 * with openat2(RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS)
 * from the root's descriptor, and the last name is created with *at()
 * calls that never follow a symlink. Replacing an existing name (as tar
 * does) unlinks only inside the new root's own filesystem. Data is written
 * only into regular files (a hard link's data into a device node or FIFO
 * is refused).
 */
#ifndef HANDOFF_UNPACK_H
#define HANDOFF_UNPACK_H

#include "layers/archive.h"

#include <stdint.h>

struct dir_time;

struct unpack {
	int root;			/* the new root's directory */
	struct arena *arena;		/* directory times, kept until the end */
	struct dir_time *times;
	char parent[ARC_PATH_MAX];	/* the last parent resolved, and its fd (dropped when a name is replaced) */
	int parent_fd;
	uint64_t files, dirs, links, others, bytes;
	const char *why;		/* when an entry is refused: why */
};

void unpack_init(struct unpack *u, int root, struct arena *arena);
/*
 * Creates the entry e. For a file whose data follows, *fd is open for
 * writing on a regular file (else -1): write the data, then call
 * unpack_end(). Returns 0, -EPERM for an entry refused (u->why says why: a
 * name that would leave the root, data into what is not a regular file),
 * or the -errno of the failed call.
 */
int unpack_begin(struct unpack *u, const struct arc_entry *e, int *fd);
/* Writes n bytes of data; -errno (-ENOSPC when the root is full). */
int unpack_write(struct unpack *u, int fd, const uint8_t *p, size_t n);
/* Owner, mode and time of the entry; closes fd. */
int unpack_end(struct unpack *u, const struct arc_entry *e, int fd);
/* Sets the directories' times (after their contents) and drops the cache. */
int unpack_finish(struct unpack *u);

/* openat2() flags (<linux/openat2.h> is not in musl's headers). */
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
/* openat2(dir, path, flags, resolve): an fd or -errno. */
int openat_beneath(int dir, const char *path, int flags, unsigned resolve);

/* The archive name as a path below the root ("" for the root itself). */
int unpack_clean_path(const char *in, char *out, size_t size, const char **why);

#endif
