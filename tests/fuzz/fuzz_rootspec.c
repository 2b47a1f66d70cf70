/*
 * fuzz-rootspec: rootspec_parse() on arbitrary root= values (a NUL-ended
 * copy of the input, cut as the command line would cut it).
 */
#include "plan/cmdline.h"
#include "fuzz.h"
#include "plan/rootspec.h"

#include <errno.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct root_spec r;
	const char *why = NULL;
	char *s;
	int e;

	s = fuzz_string(data, size, CMDLINE_MAX - 1);

	memset(&r, 0xa5, sizeof(r));
	e = rootspec_parse(s, &r, &why);
	FUZZ_CHECK(e == 0 || e == -EINVAL, "returned %d", e);
	FUZZ_CHECK(why != NULL, "why left NULL");
	FUZZ_CHECK(fuzz_terminated(why, 512), "why is not a short string");
	FUZZ_CHECK(r.kind >= ROOT_NONE && r.kind <= ROOT_MTD,
		   "kind %d", (int)r.kind);
	FUZZ_CHECK(rootspec_kind_name(r.kind) != NULL, "no kind name");
	if (e) {
		FUZZ_CHECK(*why, "failure without a reason");
	} else {
		FUZZ_CHECK(r.kind != ROOT_NONE, "success with kind none");
		FUZZ_CHECK(fuzz_terminated(r.value, ROOTSPEC_VALUE_MAX),
			   "value not NUL-terminated within %d bytes",
			   ROOTSPEC_VALUE_MAX);
		FUZZ_CHECK(r.value[0], "success with an empty value");
		if (r.kind == ROOT_DEVNUM) {
			FUZZ_CHECK(r.major <= 0xfff && r.minor <= 0xfffff,
				   "device number %u:%u out of range", r.major,
				   r.minor);
			FUZZ_CHECK(r.major || r.minor, "device number 0:0");
		}
		if (r.kind == ROOT_DEVNAME)
			FUZZ_CHECK(!strstr(r.value, ".."),
				   "device name with \"..\": %s", r.value);
		if (r.has_partnroff)
			FUZZ_CHECK(r.kind == ROOT_PARTUUID &&
					   r.partnroff >= -65536 &&
					   r.partnroff <= 65536,
				   "PARTNROFF %d", r.partnroff);
	}
	free(s);
	return 0;
}
