/*
 * Memory for the unpackers' bookkeeping (hard-link names, directory times):
 * one anonymous mapping reserved up front and used from the start, so the
 * init needs no malloc. Pages cost memory only once touched.
 */
#ifndef HANDOFF_ARENA_H
#define HANDOFF_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena {
	uint8_t *base;
	size_t size, used;
};

int arena_init(struct arena *a, size_t size);
/* NULL when the arena is full. */
void *arena_alloc(struct arena *a, size_t n);
void arena_free(struct arena *a);

/* Names by (device, inode): the first name of a file with several links. */
struct link_table;
struct link_table *links_new(struct arena *a);
/* The name kept for the key, or NULL (then path is kept for it). */
const char *links_find_or_add(struct link_table *t, uint64_t dev, uint64_t ino,
			      const char *path);

#endif
