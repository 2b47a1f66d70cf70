/* probe: ISO 9660 (with Joliet labels). */
#define PROBE_INTERNAL
#include "find/probe.h"

#include <errno.h>
#include <string.h>

#define ISO_VD_START	32768
#define ISO_VD_MAX	32	/* volume descriptors examined */
#define ISO_VD_READ	848	/* up to the end of the modification date */

/* "YYYYMMDDHHMMSScc" to "YYYY-MM-DD-HH-MM-SS-cc"; 0 if unset. */
static int iso_date_uuid(char *out, const uint8_t *t)
{
	int i, o = 0, set = 0;

	for (i = 0; i < 16; i++) {
		if (t[i] < '0' || t[i] > '9')
			return 0;
		set |= t[i] != '0';
	}
	if (!set)
		return 0;
	for (i = 0; i < 16; i++) {
		if (i == 4 || (i > 4 && !(i & 1)))
			out[o++] = '-';
		out[o++] = (char)t[i];
	}
	out[o] = 0;
	return 1;
}

static int is_joliet(const uint8_t *v)
{
	return v[88] == '%' && v[89] == '/' &&
	       (v[90] == '@' || v[90] == 'C' || v[90] == 'E');
}

/*
 * Joliet volume ids hold 16 UCS-2 characters, the primary one 32 ASCII
 * characters: use the Joliet one, extended by the primary's tail when
 * the Joliet one is a full-length prefix of it.
 */
static void iso_label(struct probe_fs *o, const uint8_t *pid, const uint8_t *jid)
{
	uint8_t u[64];
	size_t i;

	if (!jid) {
		probe_label(o->label, sizeof(o->label), pid, 32);
		return;
	}
	memcpy(u, jid, 32);
	for (i = 0; i < 16; i++) {
		uint8_t a = pid[i], j = jid[2 * i + 1];

		if (jid[2 * i] || (a | 0x20) != (j | 0x20))
			break;
	}
	memset(u + 32, 0, 32);
	if (i == 16)
		for (i = 16; i < 32; i++)
			u[2 * i + 1] = pid[i];
	probe_utf16(o->label, sizeof(o->label), u, 32, 1);
}

int probe_iso9660(const struct probe_dev *d, const uint8_t *h,
		  struct probe_fs *o)
{
	uint8_t v[ISO_VD_READ], pid[32], jid[32], dates[34];
	int i, r, have_pvd = 0, have_j = 0;

	(void)h;
	for (i = 0; i < ISO_VD_MAX; i++) {
		r = probe_read(d, ISO_VD_START + i * 2048ULL, v, sizeof(v));
		if (r)
			return r == -ENOENT ? 0 : r;
		if (!probe_memeq(v + 1, "CD001", 5))
			return 0;
		if (v[0] == 255)
			break;
		if (v[0] == 1 && !have_pvd) {
			memcpy(pid, v + 40, 32);
			memcpy(dates, v + 813, 34);
			have_pvd = 1;
		} else if (v[0] == 2 && !have_j && is_joliet(v)) {
			memcpy(jid, v + 40, 32);
			have_j = 1;
		}
	}
	if (!have_pvd)
		return 0;
	probe_set_type(o, "iso9660");
	if (!iso_date_uuid(o->uuid, dates + 17))
		iso_date_uuid(o->uuid, dates);
	iso_label(o, pid, have_j ? jid : NULL);
	return 1;
}
