/*
 * fuzz-flash: the flash roots' parsers on arbitrary input: ubi.mtd= values,
 * root= forms and /sys/class/ubi entry names (the input as a string), and
 * /proc/mtd (the input as its text, every entry, then each name found).
 */
#include "flash/flashparse.h"
#include "fuzz.h"

#include <errno.h>
#include <string.h>

static void ubi_mtd(const char *s)
{
	struct ubi_mtd m;
	const char *why = NULL;
	int e;

	memset(&m, 0xa5, sizeof(m));
	e = ubi_mtd_parse(s, &m, &why);
	FUZZ_CHECK(e == 0 || e == -EINVAL || e == -ENODATA, "returned %d", e);
	FUZZ_CHECK(why && fuzz_terminated(why, 512), "why is not a short string");
	FUZZ_CHECK(e != -EINVAL || *why, "refused without a reason");
	if (e)
		return;
	FUZZ_CHECK(m.mtd[0] && fuzz_terminated(m.mtd, UBI_MTD_LEN_MAX), "bad MTD field");
	FUZZ_CHECK(!strchr(m.mtd, ','), "a comma in the MTD field: %s", m.mtd);
	FUZZ_CHECK(m.vid_hdr_offs >= 0, "VID header offset %d", m.vid_hdr_offs);
	FUZZ_CHECK(m.max_beb_per1024 >= 0 && m.max_beb_per1024 <= UBI_BEB_PER1024_MAX,
		   "max_beb_per1024 %d", m.max_beb_per1024);
	FUZZ_CHECK(m.ubi_num >= -1 && m.ubi_num < UBI_DEVICES_MAX, "ubi_num %d", m.ubi_num);
	FUZZ_CHECK(!m.by_number || (m.mtd[0] >= '0' && m.mtd[0] <= '9'), "number %s", m.mtd);
}

static void root_form(const char *s)
{
	struct flash_root r;
	const char *why = NULL;
	int e;

	memset(&r, 0xa5, sizeof(r));
	e = flash_root_parse(s, &r, &why);
	FUZZ_CHECK(e == 0 || e == -EINVAL, "returned %d", e);
	FUZZ_CHECK(why && fuzz_terminated(why, 512), "why is not a short string");
	if (e) {
		FUZZ_CHECK(*why, "refused without a reason");
		return;
	}
	FUZZ_CHECK(r.form >= FLASH_UBI_NAME && r.form <= FLASH_MTD_NUM, "form %d", (int)r.form);
	if (r.form == FLASH_UBI_NAME || r.form == FLASH_MTD_NAME)
		FUZZ_CHECK(r.name[0] && fuzz_terminated(r.name, FLASH_NAME_MAX), "bad name");
	if (r.form == FLASH_UBI_ID)
		FUZZ_CHECK(r.ubi >= 0 && r.vol >= 0, "volume %d_%d", r.ubi, r.vol);
	if (r.form == FLASH_UBI_NAME)
		FUZZ_CHECK(r.ubi >= -1, "device %d", r.ubi);
}

static void entries(const char *s)
{
	int ubi = -1, vol = -1;

	if (ubi_volume_entry(s, &ubi, &vol))
		FUZZ_CHECK(ubi >= 0 && vol >= 0 && !ubi_device_entry(s, &ubi), "entry %s", s);
	if (ubi_device_entry(s, &ubi))
		FUZZ_CHECK(ubi >= 0, "device %d", ubi);
}

static void proc_mtd(const char *s)
{
	struct mtd_entry e;
	size_t pos = 0, last = 0, len = strlen(s);
	unsigned int num;
	int n = 0;

	while (proc_mtd_next(s, &pos, &e)) {
		FUZZ_CHECK(pos > last && pos <= len, "position %zu after %zu of %zu", pos, last, len);
		last = pos;
		FUZZ_CHECK(fuzz_terminated(e.name, FLASH_NAME_MAX), "name not terminated");
		FUZZ_CHECK(!proc_mtd_find(s, e.name, &num), "entry %s not found again", e.name);
		n++;
	}
	FUZZ_CHECK(pos == len, "stopped at %zu of %zu", pos, len);
	FUZZ_CHECK(n <= (int)len / 10 + 1, "%d entries in %zu bytes", n, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size, 8192);

	ubi_mtd(s);
	root_form(s);
	entries(s);
	proc_mtd(s);
	free(s);
	return 0;
}
