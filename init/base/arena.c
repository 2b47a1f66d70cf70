#include "base/arena.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define LINK_BUCKETS 4096

struct link {
	struct link *next;
	uint64_t dev, ino;
	char path[];
};

struct link_table {
	struct arena *arena;
	struct link *bucket[LINK_BUCKETS];
};

int arena_init(struct arena *a, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	a->used = 0;
	if (p == MAP_FAILED) {
		a->base = NULL;
		a->size = 0;
		return -errno;
	}
	a->base = p;
	a->size = size;
	return 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!a->base || n > a->size - a->used)
		return NULL;
	p = a->base + a->used;
	a->used += n;
	return p;
}

void arena_free(struct arena *a)
{
	if (a->base)
		munmap(a->base, a->size);
	a->base = NULL;
	a->size = a->used = 0;
}

struct link_table *links_new(struct arena *a)
{
	struct link_table *t = arena_alloc(a, sizeof(*t));

	if (t) {
		memset(t, 0, sizeof(*t));
		t->arena = a;
	}
	return t;
}

const char *links_find_or_add(struct link_table *t, uint64_t dev, uint64_t ino,
			      const char *path)
{
	size_t h = (size_t)((ino * 0x9e3779b97f4a7c15ull) ^ dev) % LINK_BUCKETS;
	size_t n = strlen(path) + 1;
	struct link *l;

	for (l = t->bucket[h]; l; l = l->next)
		if (l->dev == dev && l->ino == ino)
			return l->path;
	l = arena_alloc(t->arena, sizeof(*l) + n);
	if (!l)
		return NULL;	/* out of room: the file is kept as a copy */
	l->dev = dev;
	l->ino = ino;
	memcpy(l->path, path, n);
	l->next = t->bucket[h];
	t->bucket[h] = l;
	return NULL;
}
