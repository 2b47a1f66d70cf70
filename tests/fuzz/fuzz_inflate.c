/*
 * fuzz-inflate: our gzip reader on arbitrary bytes (the input is given a
 * gzip header when it has none, so the fuzzer reaches the deflate blocks).
 * It must end or fail with a reason, never read or write out of bounds,
 * and never hand out more than it says.
 */
#include "fuzz.h"
#include "fuzz_src.h"
#include "layers/inflate.h"

#include <errno.h>
#include <string.h>

static struct gunzip gz;
static uint8_t in[1 << 20];
static uint8_t out[4099];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	struct fuzz_src s = { data, size, 0, 1021 };
	uint64_t total = 0;
	size_t got;
	int e;

	if (!gunzip_magic(data, size)) {
		if (size > sizeof(in) - sizeof(header))
			return 0;
		memcpy(in, header, sizeof(header));
		memcpy(in + sizeof(header), data, size);
		s.p = in;
		s.n = size + sizeof(header);
	}
	gunzip_init(&gz, (struct byte_src){ fuzz_read, NULL, &s });
	for (;;) {
		e = gunzip_read(&gz, out, sizeof(out), &got);
		if (e) {
			FUZZ_CHECK(gz.why != NULL, "failed (%d) without a reason", e);
			break;
		}
		FUZZ_CHECK(got <= sizeof(out), "got %zu", got);
		if (!got)
			break;
		total += got;
		/* A bomb is not a bug; stop before the time-out does. */
		if (total > (64u << 20))
			break;
	}
	return 0;
}
