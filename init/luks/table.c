/* The dm-crypt table of a LUKS data segment (luks.h; Documentation/admin-guide/device-mapper/dm-crypt.rst). */
#include "luks/luks.h"
#include "dm/dm.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

/* crypttab's names (systemd's, with discard for allow-discards) and dm-crypt's, in cryptsetup's order. */
static const struct {
	const char *option, *dm;
	uint32_t flag;
} table_flags[] = {
	{ "discard", "allow_discards", LUKS_FLAG_DISCARDS },
	{ "same-cpu-crypt", "same_cpu_crypt", LUKS_FLAG_SAME_CPU },
	{ "submit-from-crypt-cpus", "submit_from_crypt_cpus", LUKS_FLAG_SUBMIT_CPUS },
	{ "no-read-workqueue", "no_read_workqueue", LUKS_FLAG_NO_READ_WQ },
	{ "no-write-workqueue", "no_write_workqueue", LUKS_FLAG_NO_WRITE_WQ },
};

/* The flags named in a comma-separated option list; other options are the caller's. */
static uint32_t option_flags(const char *options)
{
	uint32_t flags = 0;
	const char *p = options;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(table_flags); i++)
			if (strlen(table_flags[i].option) == n && !memcmp(p, table_flags[i].option, n))
				flags |= table_flags[i].flag;
		p += n;
		if (*p)
			p++;
	}
	return flags;
}

int luks_table(struct luks_volume *v, const uint8_t *key, size_t keylen, const char *dev,
	       uint64_t device_size, const char *options, char *buf, size_t size,
	       uint64_t *sectors)
{
	uint32_t flags = v->flags | option_flags(options);
	char words[160] = "";
	uint64_t bytes;
	unsigned int i;
	int e;

	if (v->dynamic) {
		if (device_size <= v->offset)
			return luks_why(v, -EINVAL,
				      "the device (%llu bytes) ends before the data segment's offset %llu",
				      (unsigned long long)device_size, (unsigned long long)v->offset);
		bytes = (device_size - v->offset) / v->sector_size * v->sector_size;
	} else {
		if (device_size && v->offset + v->size > device_size)
			return luks_why(v, -EINVAL,
				      "the device (%llu bytes) ends before the data segment (%llu bytes at %llu)",
				      (unsigned long long)device_size, (unsigned long long)v->size,
				      (unsigned long long)v->offset);
		bytes = v->size;
	}
	if (!bytes)
		return luks_why(v, -EINVAL, "the data segment is empty");
	for (i = 0; i < ARRAY_SIZE(table_flags); i++)
		if (flags & table_flags[i].flag) {
			if (*words)
				str_append(words, " ", sizeof(words));
			str_append(words, table_flags[i].dm, sizeof(words));
		}
	/* LUKS2 counts IVs in 512-byte sectors whatever the sector size (no iv_large_sectors). */
	if (v->sector_size != 512) {
		char ss[24];

		fmt_buf(ss, sizeof(ss), "%ssector_size:%u", *words ? " " : "", v->sector_size);
		str_append(words, ss, sizeof(words));
	}
	e = dm_crypt_params(buf, size, v->cipher, key, keylen, v->iv_tweak, dev, v->offset / 512,
			    words);
	if (e)
		return luks_why(v, e, "the crypt table does not fit %zu bytes", size);
	*sectors = bytes / 512;
	return 0;
}
