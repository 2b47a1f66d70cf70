/*
 * fuzz-uevent: uevent_value() on arbitrary netlink messages (the bytes
 * recv() gave uevents_drain(), unterminated), for the keys the init and
 * the module loader read.
 */
#include "fuzz.h"
#include "find/uevent.h"

#include <string.h>

static const char *const keys[] = { "SUBSYSTEM=", "ACTION=", "MODALIAS=", "DEVNAME=", "=", "" };

/* A value lies in the message, right after its key at a field's start, and ends there. */
static void check_value(const char *msg, size_t n, const char *key)
{
	const char *v = uevent_value(msg, n, key);
	size_t k = strlen(key);

	if (!v)
		return;
	FUZZ_CHECK(memchr(msg, '\0', n) && memchr(msg, '@', strlen(msg)), "a value without a header");
	FUZZ_CHECK(v >= msg + k + 1 && v <= msg + n, "%s value outside the message", key);
	FUZZ_CHECK(!memcmp(v - k, key, k), "%s value not after its key", key);
	FUZZ_CHECK(*(v - k - 1) == '\0', "%s key not at a field's start", key);
	FUZZ_CHECK(memchr(v, '\0', (size_t)(msg + n - v)), "%s value not terminated in the message", key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *msg = malloc(size ? size : 1);	/* exactly size bytes: ASan sees overreads */
	size_t i;

	if (!msg)
		abort();
	memcpy(msg, data, size);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		check_value(msg, size, keys[i]);
	free(msg);
	return 0;
}
