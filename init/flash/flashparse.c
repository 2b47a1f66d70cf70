#include "flash/flashparse.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

_Static_assert(sizeof(struct ubi_attach_rq) == 24, "struct ubi_attach_rq is 24 bytes in the ABI");

/*
 * A number as the kernel's simple_strtoul(s, &end, 0) reads it: 0x hex,
 * a leading 0 octal, else decimal; *end where it stopped. False when no
 * digit was read or it passed max.
 */
static bool number_base0(const char *s, const char **end, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	int base = 10, d;
	const char *start;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && hex_digit(s[2]) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (start = s; (d = hex_digit(*s)) >= 0 && d < base; s++) {
		if (v > (max - (unsigned long)d) / (unsigned long)base)
			return false;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	*end = s;
	*out = v;
	return s != start;
}

/* VID_HDR_OFFS: bytes_str_to_int(), a base-0 number with an optional K, M or G. */
static int bytes_field(const char *s, int *out)
{
	unsigned long v, mult = 1;
	const char *end;

	if (!number_base0(s, &end, INT_MAX - 1, &v))
		return -EINVAL;
	if (*end == 'G')
		mult = 1UL << 30;
	else if (*end == 'M')
		mult = 1UL << 20;
	else if (*end == 'K')
		mult = 1UL << 10;
	else if (*end)
		return -EINVAL;
	if (*end && end[1])
		return -EINVAL;
	if (v > (unsigned long)INT_MAX / mult)
		return -ERANGE;	/* the kernel's int would wrap */
	*out = (int)(v * mult);
	return 0;
}

static int int_field(const char *s, long min, long max, int *out)
{
	long v;

	if (parse_long(s, min, max, &v))
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int ubi_mtd_parse(const char *val, struct ubi_mtd *m, const char **why)
{
	char buf[UBI_MTD_LEN_MAX], *f[6] = { 0 }, *p, *comma;
	unsigned long num;
	const char *end;
	int n = 0;

	memset(m, 0, sizeof(*m));
	m->ubi_num = -1;
	*why = "";
	if (!val || !*val)
		return -ENODATA;
	if (str_copy(buf, val, sizeof(buf))) {
		*why = "is longer than the kernel's 63 characters";
		return -EINVAL;
	}
	for (p = buf; p && n < 6; n++) {
		f[n] = p;
		comma = strchr(p, ',');
		if (comma)
			*comma++ = '\0';
		p = comma;
	}
	if (p) {
		*why = "has more than 6 fields (NUM|NAME|PATH,VID_HDR_OFFS,MAX_BEB_PER1024,UBI_NUM,ENABLE_FM,NEED_RESV_POOL)";
		return -EINVAL;
	}
	if (!f[0][0]) {
		*why = "names no MTD device (expected NUM, NAME or /dev/mtdN first)";
		return -EINVAL;
	}
	str_copy(m->mtd, f[0], sizeof(m->mtd));
	if (f[1] && bytes_field(f[1], &m->vid_hdr_offs)) {
		*why = "has a bad VID_HDR_OFFS (bytes, with an optional K, M or G)";
		return -EINVAL;
	}
	if (f[2] && int_field(f[2], 0, UBI_BEB_PER1024_MAX, &m->max_beb_per1024)) {
		*why = "has a bad MAX_BEB_PER1024 (0 to 768)";
		return -EINVAL;
	}
	if (f[3] && (int_field(f[3], -1, UBI_DEVICES_MAX - 1, &m->ubi_num))) {
		*why = "has a bad UBI_NUM (0 to 31, or -1 for the next free)";
		return -EINVAL;
	}
	if ((f[4] && int_field(f[4], INT_MIN, INT_MAX, &m->enable_fm)) ||
	    (f[5] && int_field(f[5], INT_MIN, INT_MAX, &m->need_resv_pool))) {
		*why = "has a bad ENABLE_FM or NEED_RESV_POOL (a whole number)";
		return -EINVAL;
	}
	/* open_mtd_device(): a whole number first, then a name, then a path. */
	if (number_base0(m->mtd, &end, UINT_MAX, &num) && !*end) {
		m->by_number = true;
		m->mtd_num = (unsigned int)num;
	}
	return 0;
}

/* ubiX then what follows it in *rest; false when no number follows "ubi". */
static bool ubi_number(const char *s, int *ubi, const char **rest)
{
	unsigned long v;

	if (!str_starts(s, "ubi") || hex_digit(s[3]) < 0 || hex_digit(s[3]) > 9)
		return false;
	if (!number_base0(s + 3, rest, INT_MAX, &v))
		return false;
	*ubi = (int)v;
	return true;
}

static int set_name(struct flash_root *r, const char *name, const char **why)
{
	if (!*name) {
		*why = "the name after ':' is empty";
		return -EINVAL;
	}
	if (str_copy(r->name, name, sizeof(r->name))) {
		*why = "the name is longer than 127 characters";
		return -EINVAL;
	}
	return 0;
}

static int parse_ubi(const char *v, struct flash_root *r, const char **why)
{
	const char *rest;
	unsigned long vol;

	r->ubi = -1;
	/* fs/ubifs/super.c open_ubi(): ubi:NAME, ubi!NAME, ubiY, ubiX_Y, ubiX:NAME. */
	if (v[3] == ':' || v[3] == '!') {
		r->form = FLASH_UBI_NAME;
		return set_name(r, v + 4, why);
	}
	if (!ubi_number(v, &r->ubi, &rest)) {
		*why = "not a UBI volume: use ubiX:VOLNAME, ubiX_Y or ubi:VOLNAME";
		return -EINVAL;
	}
	if (!*rest) {
		r->form = FLASH_UBI_ID;	/* UBIFS reads ubiY as volume Y of ubi0 */
		r->vol = r->ubi;
		r->ubi = 0;
		return 0;
	}
	if (*rest == ':' || *rest == '!') {
		r->form = FLASH_UBI_NAME;
		return set_name(r, rest + 1, why);
	}
	if (*rest == '_' && hex_digit(rest[1]) >= 0 && hex_digit(rest[1]) <= 9 &&
	    number_base0(rest + 1, &rest, INT_MAX, &vol) && !*rest) {
		r->form = FLASH_UBI_ID;
		r->vol = (int)vol;
		return 0;
	}
	*why = "not a UBI volume: use ubiX:VOLNAME, ubiX_Y or ubi:VOLNAME";
	return -EINVAL;
}

int flash_root_parse(const char *value, struct flash_root *r, const char **why)
{
	unsigned long num;
	const char *end;

	memset(r, 0, sizeof(*r));
	*why = "";
	if (str_starts(value, "ubi"))
		return parse_ubi(value, r, why);
	/* drivers/mtd/mtdsuper.c: mtd:NAME or mtdN. */
	if (str_starts(value, "mtd:")) {
		r->form = FLASH_MTD_NAME;
		return set_name(r, value + 4, why);
	}
	if (str_starts(value, "mtd") && number_base0(value + 3, &end, INT_MAX, &num) && !*end) {
		r->form = FLASH_MTD_NUM;
		r->mtd = (unsigned int)num;
		return 0;
	}
	*why = "not an MTD device: use mtd:NAME (a name in /proc/mtd), mtdN or /dev/mtdblockN";
	return -EINVAL;
}

bool ubi_volume_entry(const char *name, int *ubi, int *vol)
{
	unsigned long v;
	const char *rest;

	if (!ubi_number(name, ubi, &rest) || *rest != '_' || hex_digit(rest[1]) < 0 ||
	    hex_digit(rest[1]) > 9 || parse_ulong(rest + 1, 10, &v) || v > INT_MAX)
		return false;
	*vol = (int)v;
	return true;
}

bool ubi_device_entry(const char *name, int *ubi)
{
	unsigned long v;

	if (!str_starts(name, "ubi") || parse_ulong(name + 3, 10, &v) || v > INT_MAX)
		return false;
	*ubi = (int)v;
	return true;
}

/* A hex field of /proc/mtd ("%08llx"), then blanks; false if none. */
static bool hex_field(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = *s;
	int d;

	while (*p == ' ')
		p++;
	if (hex_digit(*p) < 0)
		return false;
	for (; (d = hex_digit(*p)) >= 0; p++) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*s = p;
	*out = v;
	return *p == ' ';
}

/* "mtdN: SIZE ERASESIZE "NAME"" (drivers/mtd/mtdcore.c mtd_proc_show()). */
static bool mtd_line(const char *l, size_t n, struct mtd_entry *e)
{
	char line[FLASH_NAME_MAX + 48];
	const char *p, *q;
	unsigned long num;
	uint64_t size, erase;
	size_t len;

	if (n >= sizeof(line))
		return false;
	memcpy(line, l, n);
	line[n] = '\0';
	p = strchr(line, ':');
	if (!str_starts(line, "mtd") || !p)
		return false;
	line[p - line] = '\0';
	if (parse_ulong(line + 3, 10, &num) || num > UINT_MAX)
		return false;
	p++;
	if (!hex_field(&p, &size) || !hex_field(&p, &erase) || erase > UINT32_MAX)
		return false;
	while (*p == ' ')
		p++;
	q = strrchr(p, '"');
	if (*p != '"' || q == p || q[1])
		return false;
	len = (size_t)(q - p - 1);
	if (len >= sizeof(e->name))
		return false;
	memcpy(e->name, p + 1, len);
	e->name[len] = '\0';
	e->num = (unsigned int)num;
	e->size = size;
	e->erasesize = (uint32_t)erase;
	return true;
}

bool proc_mtd_next(const char *text, size_t *pos, struct mtd_entry *e)
{
	const char *l, *nl;
	size_t n;

	while (text[*pos]) {
		l = text + *pos;
		nl = strchr(l, '\n');
		n = nl ? (size_t)(nl - l) : strlen(l);
		*pos += n + (nl ? 1 : 0);
		if (mtd_line(l, n, e))
			return true;
	}
	return false;
}

int proc_mtd_find(const char *text, const char *name, unsigned int *num)
{
	struct mtd_entry e;
	size_t pos = 0;

	while (proc_mtd_next(text, &pos, &e))
		if (!strcmp(e.name, name)) {
			*num = e.num;
			return 0;
		}
	return -ENOENT;
}

void ubi_attach_request(const struct ubi_mtd *m, unsigned int mtd_num, struct ubi_attach_rq *req)
{
	memset(req, 0, sizeof(*req));
	req->ubi_num = m->ubi_num;
	req->mtd_num = (int32_t)mtd_num;
	req->vid_hdr_offset = m->vid_hdr_offs;
	req->max_beb_per1024 = (int16_t)m->max_beb_per1024;
	/* The kernel's own attach from ubi.mtd= passes enable_fm == 0 as disable_fm. */
	req->disable_fm = m->enable_fm == 0;
}
