/*
 * fuzz-fstab: fstab_find() on arbitrary text: an entry found has its
 * mount point equal to the one asked for, every field non-empty and
 * without a blank; fstab_kernel_options() on its options fits its buffer,
 * keeps no userspace-only option and never grows the text.
 */
#include "fuzz.h"
#include "plan/fstab.h"

#include <string.h>

static void check_options(const char *opts)
{
	char out[64];

	if (fstab_kernel_options(opts, out, sizeof(out)))
		return;
	FUZZ_CHECK(strlen(out) <= strlen(opts), "'%s' grew into '%s'", opts, out);
	FUZZ_CHECK(!fstab_has_option(out, "defaults") && !fstab_has_option(out, "noauto") &&
			   !fstab_has_option(out, "nofail"), "kept a userspace option: %s", out);
	FUZZ_CHECK(strncmp(out, "x-", 2) && !strstr(out, ",x-"), "kept an x- option: %s", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size, 8191);
	struct fstab_entry e;

	if (!fstab_find(text, "/usr", &e)) {
		FUZZ_CHECK(!strcmp(e.dir, "/usr"), "found %s", e.dir);
		FUZZ_CHECK(*e.spec && *e.type && *e.opts, "an empty field");
		FUZZ_CHECK(!strpbrk(e.type, " \t") && !strpbrk(e.opts, " \t"), "a blank in a field");
		check_options(e.opts);
	}
	free(text);
	return 0;
}
