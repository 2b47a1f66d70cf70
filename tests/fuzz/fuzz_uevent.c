/*
 * fuzz-uevent: uevent_parse() on arbitrary netlink messages (the bytes
 * recv() gave drain_uevents(), unterminated).
 */
#include "fuzz.h"
#include "uevent.h"

#include <errno.h>
#include <string.h>

/* A value lies in the message, right after its key, and ends there. */
static void check_value(const char *v, const char *key, const char *msg, size_t n)
{
	size_t k = strlen(key);

	if (!v)
		return;
	FUZZ_CHECK(v >= msg + k && v <= msg + n, "%s value outside the message", key);
	FUZZ_CHECK(!memcmp(v - k, key, k), "%s value not after its key", key);
	FUZZ_CHECK(v - k == msg || *(v - k - 1) == '\0', "%s key not at a field's start", key);
	FUZZ_CHECK(memchr(v, '\0', (size_t)(msg + n - v)), "%s value not terminated in the message", key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uevent ev;
	char *msg = malloc(size ? size : 1);	/* exactly size bytes: ASan sees overreads */
	int e;

	if (!msg)
		abort();
	memcpy(msg, data, size);
	memset(&ev, 0xa5, sizeof(ev));
	e = uevent_parse(msg, size, &ev);
	FUZZ_CHECK(e == 0 || e == -EINVAL, "returned %d", e);
	if (e) {
		FUZZ_CHECK(!ev.action && !ev.subsystem && !ev.devname && !ev.modalias,
			   "a refused message left fields set");
	} else {
		FUZZ_CHECK(memchr(msg, '\0', size) && memchr(msg, '@', strlen(msg)),
			   "accepted without a header");
	}
	check_value(ev.action, "ACTION=", msg, size);
	check_value(ev.subsystem, "SUBSYSTEM=", msg, size);
	check_value(ev.devname, "DEVNAME=", msg, size);
	check_value(ev.modalias, "MODALIAS=", msg, size);
	free(msg);
	return 0;
}
