#include "uevent.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static const struct {
	const char *key;	/* with its "=" */
	size_t off;
} keys[] = {
	{ "ACTION=", offsetof(struct uevent, action) },
	{ "SUBSYSTEM=", offsetof(struct uevent, subsystem) },
	{ "DEVNAME=", offsetof(struct uevent, devname) },
	{ "MODALIAS=", offsetof(struct uevent, modalias) },
};

/* The first of a repeated key counts, as the kernel never repeats one. */
static void take(struct uevent *ev, const char *field)
{
	const char **slot;
	size_t i, n;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n = strlen(keys[i].key);
		if (strncmp(field, keys[i].key, n))
			continue;
		slot = (const char **)((char *)ev + keys[i].off);
		if (!*slot)
			*slot = field + n;
		return;
	}
}

int uevent_parse(const char *msg, size_t n, struct uevent *ev)
{
	const char *end = msg + n, *p, *nul;

	memset(ev, 0, sizeof(*ev));
	nul = n ? memchr(msg, '\0', n) : NULL;
	if (!nul || !memchr(msg, '@', (size_t)(nul - msg)))
		return -EINVAL;
	for (p = nul + 1; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			break;	/* cut off by the buffer */
		take(ev, p);
	}
	return 0;
}
