/*
 * Reading cpio "newc" archives as the kernel's initramfs unpacker takes
 * them, for handoff-lsinitramfs (and its fuzzer): the header (the init's parser),
 * the compression of a segment by its magic, and the walk of one archive
 * from a byte source. Nothing here touches the host's files.
 */
#ifndef HANDOFF_TOOLS_NEWC_H
#define HANDOFF_TOOLS_NEWC_H

#include <stddef.h>
#include <stdint.h>

/* The header itself: init/layers/newc.h, shared with the init's archive reader. */
#include "layers/newc.h"

/*
 * The compression whose magic starts p ("gzip", "zstd", "xz", "lzma",
 * "lz4", "bzip2", "lzo"), "cpio" for a newc header, or NULL.
 */
const char *newc_kind(const unsigned char *p, size_t n);

/* ls -l's mode letters for mode ("-rw-r--r--"): s has room for 11. */
void newc_mode(uint32_t mode, char *s);

/* A byte source: read up to n bytes into buf (*got of them; 0 at the end). */
struct newc_src {
	int (*read)(void *ctx, unsigned char *buf, size_t n, size_t *got);
	void *ctx;
	uint64_t pos; /* bytes taken so far */
};

/* Called per entry; target is a symlink's target (else NULL). Nonzero stops. */
typedef int (*newc_entry_fn)(void *arg, const struct newc *h, const char *name,
			     const char *target);

/*
 * Walks one archive from src up to and including its TRAILER!!! entry,
 * skipping zero padding before it (between archives). Returns 0 when the
 * trailer was read, 1 when the source ended before any header (nothing
 * but padding), the callback's value when it stopped, or -errno with a
 * message naming the offset in err: -EINVAL bad magic, -EBADMSG a bad
 * field or name, -ENODATA truncated, or the source's error.
 */
int newc_walk(struct newc_src *src, newc_entry_fn fn, void *arg, char *err, size_t errlen);

#endif
