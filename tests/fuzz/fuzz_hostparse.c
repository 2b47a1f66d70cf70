/*
 * fuzz-hostparse: the host tool's parsers (tools/hostparse.c, and the
 * mount table reader of tools/hostonly.c). The input is a module name up
 * to the first newline, then a buffer kept at its exact size without a
 * NUL (an over-read is caught), read as modules.softdep, as a module's
 * .modinfo, as a kernel image's head and as /proc/self/mountinfo. What
 * they return must lie inside it.
 */
#include "fuzz.h"
#include "../../tools/hostonly.h"
#include "../../tools/hostparse.h"

#include <errno.h>
#include <string.h>

static int pre_ok(const char *name, void *ctx)
{
	(void)ctx;
	FUZZ_CHECK(fuzz_terminated(name, MODNAME_MAX), "softdep name not terminated");
	FUZZ_CHECK(*name && !strchr(name, '-') && !strpbrk(name, " \t\r\n"),
		   "bad softdep name '%s'", name);
	return 0;
}

static void check_word(const char *buf, size_t n, const char *v, size_t vn)
{
	FUZZ_CHECK(v >= buf && vn <= n && (size_t)(v - buf) <= n - vn, "release outside the buffer");
	FUZZ_CHECK(!memchr(v, ' ', vn) && !memchr(v, '\0', vn), "release holds a space or NUL");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t qn = nl ? (size_t)(nl - data) : 0, n = nl ? size - qn - 1 : size;
	char name[MODNAME_MAX], *buf = malloc(n ? n : 1);
	struct host_root r;
	const char *v;
	size_t vn;

	if (!buf)
		abort();
	memcpy(buf, nl ? nl + 1 : data, n);
	if (!modname_normalize((const char *)data, qn, name, sizeof(name)))
		softdep_each_pre(buf, n, name, pre_ok, NULL);
	if (!vermagic_release(buf, n, &v, &vn)) {
		check_word(buf, n, v, vn);
		FUZZ_CHECK(v - buf >= 9 && !memcmp(v - 9, "vermagic=", 9), "release not after vermagic=");
	}
	if (!bzimage_version((const unsigned char *)buf, n, &v, &vn)) {
		check_word(buf, n, v, vn);
		FUZZ_CHECK(v - buf > 0x200, "version inside the header");
	}
	if (!mountinfo_root(buf, n, &r)) {
		FUZZ_CHECK(fuzz_terminated(r.fstype, sizeof(r.fstype)), "fstype not terminated");
		FUZZ_CHECK(fuzz_terminated(r.source, sizeof(r.source)), "source not terminated");
	}
	free(buf);
	return 0;
}
