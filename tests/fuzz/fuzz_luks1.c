/*
 * fuzz-luks1: luks_read() on a device whose head is the input (a LUKS1
 * header, its keyslot areas zeros unless the input reaches them); an input
 * whose last byte is a multiple of 32 is also unlocked (costs cut to 1).
 */
#include "fuzz_luks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd, e;

	if (size > 1 << 20)
		return 0;
	fd = fuzz_device(data, size, 2 << 20);
	e = luks_read(fd, false, &fuzz_vol);
	fuzz_check_volume(e, &fuzz_vol);
	if (!e && size && !(data[size - 1] & 31))
		fuzz_unlock(fd, &fuzz_vol);
	close(fd);
	return 0;
}
