#include "find/uevent.h"

#include <string.h>

const char *uevent_value(const char *msg, size_t n, const char *key)
{
	const char *end = msg + n, *p, *nul;
	size_t k = strlen(key);

	nul = n ? memchr(msg, '\0', n) : NULL;
	if (!nul || !memchr(msg, '@', (size_t)(nul - msg)))
		return NULL;
	for (p = nul + 1; p < end; p = nul + 1) {
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			return NULL;	/* cut off by the buffer */
		if (!strncmp(p, key, k))
			return p + k;
	}
	return NULL;
}
