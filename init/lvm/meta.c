/*
 * The text metadata of a volume group, as lvm2 writes it (lib/format_text/
 * export.c) and reads it (libdm's config tokenizer): sections "name {"
 * ... "}", values "key = value" where a value is a number, a "quoted"
 * string (\" and \\ escaped), a 'single-quoted' one, a bare word, or an
 * array [a, b, ...]; '#' starts a comment. The first top-level section is
 * the VG:
 *   vg { id, seqno, extent_size, status,
 *        physical_volumes { pv0 { id, device, status, pe_start, pe_count } },
 *        logical_volumes { lv { id, status, segment_count,
 *                               segment1 { start_extent, extent_count, type,
 *                                          stripe_count, stripe_size,
 *                                          stripes = ["pv0", 0, ...] } } } }
 * Every count is bounded (lvm.h); what is not understood is skipped, and
 * a segment type other than "striped" makes its LV refused, not the VG.
 */
#include "lvm/lvm.h"
#include "base/log.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#define DEPTH_MAX 16
#define SNAP_REFS 32

enum tok {
	T_EOF, T_INT, T_FLOAT, T_STR, T_ESTR, T_BARE, T_IDENT,
	T_EQ, T_SEC_B, T_SEC_E, T_ARR_B, T_ARR_E, T_COMMA,
};

/* Where a section is: what its keys mean. */
enum ctx { C_TOP, C_VG, C_PVS, C_PV, C_LVS, C_LV, C_SEG, C_SKIP };

struct parser {
	const char *s, *end;		/* the text; a NUL also ends it */
	const char *tb, *te;		/* the current token */
	enum tok t;
	int line;
	struct lvm_vg *vg;
	bool have_vg;
	int arr;			/* the index in an array value, -1 for a scalar */
	/* Fields a section must have, as bits, checked at its end. */
	unsigned int got;
	/* Snapshots' origin and exception store, resolved once every LV is read. */
	char ref[SNAP_REFS][LVM_NAME_MAX];
	uint8_t ref_kind[SNAP_REFS];
	int refs;
	int segment_count;
	int elems;			/* of the segment's "stripes" */
	char *why;
	size_t whysize;
	int err;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int fail(struct parser *p, int e, const char *what, const char *name)
{
	if (!p->err) {
		fmt_buf(p->why, p->whysize, "metadata line %d: %s%s%s", p->line, what,
			name ? " " : "", name ? name : "");
		p->err = e;
	}
	return p->err;
}

/* lvm2's tokenizer: after '=', '[' or ',' a digit starts a number, else words are identifiers. */
static void next(struct parser *p)
{
	bool value = p->t == T_EQ || p->t == T_ARR_B || p->t == T_COMMA;
	const char *c = p->te;

	for (;;) {
		while (c < p->end && *c && is_space(*c))
			p->line += *c++ == '\n';
		if (c < p->end && *c == '#') {
			while (c < p->end && *c && *c != '\n')
				c++;
			continue;
		}
		break;
	}
	p->tb = c;
	if (c >= p->end || !*c) {
		p->t = T_EOF;
		p->te = c;
		return;
	}
	p->te = c + 1;
	switch (*c) {
	case '{': p->t = T_SEC_B; return;
	case '}': p->t = T_SEC_E; return;
	case '[': p->t = T_ARR_B; return;
	case ']': p->t = T_ARR_E; return;
	case ',': p->t = T_COMMA; return;
	case '=': p->t = T_EQ; return;
	case '"':
		p->t = T_ESTR;
		for (c++; c < p->end && *c && *c != '"'; c++)
			if (*c == '\\' && c + 1 < p->end && c[1])
				c++;
		p->te = c < p->end && *c ? c + 1 : c;
		return;
	case '\'':
		p->t = T_STR;
		for (c++; c < p->end && *c && *c != '\''; c++)
			;
		p->te = c < p->end && *c ? c + 1 : c;
		return;
	}
	if (value && (is_digit(*c) || *c == '+' || *c == '-' || *c == '.')) {
		p->t = *c == '.' ? T_FLOAT : T_INT;
		for (c++; c < p->end && (is_digit(*c) || (*c == '.' && p->t == T_INT)); c++)
			if (*c == '.')
				p->t = T_FLOAT;
		p->te = c;
		return;
	}
	p->t = value ? T_BARE : T_IDENT;
	while (c < p->end && *c && !is_space(*c) && *c != '#' && *c != '=' && *c != '{' && *c != '}')
		c++;
	p->te = c;
}

/* Whether the current token, a key or a string, is s (quoted ones unquoted: no escapes in ours). */
static bool tok_is(const struct parser *p, const char *s)
{
	size_t n = strlen(s), len = (size_t)(p->te - p->tb);
	const char *b = p->tb;

	if (p->t == T_ESTR || p->t == T_STR) {
		b++;
		len = len >= 2 && (b[len - 2] == '"' || b[len - 2] == '\'') ? len - 2 : len - 1;
	}
	return len == n && !memcmp(b, s, n);
}

/*
 * The current token as a string, unescaped, into out: 0, or -E2BIG when
 * it does not fit (the caller names what).
 */
static int tok_str(const struct parser *p, char *out, size_t size)
{
	const char *c = p->tb, *e = p->te;
	size_t n = 0;

	if (p->t == T_ESTR || p->t == T_STR) {
		c++;
		if (e > c && e[-1] == *p->tb)
			e--;
	}
	for (; c < e; c++) {
		/* libdm's unescaping: \" and \\ lose their backslash; any other stays. */
		if (p->t == T_ESTR && *c == '\\' && c + 1 < e && (c[1] == '"' || c[1] == '\\'))
			c++;
		if (n + 1 >= size) {
			out[n] = '\0';
			return -E2BIG;
		}
		out[n++] = *c;
	}
	out[n] = '\0';
	return 0;
}

static bool is_string(const struct parser *p)
{
	return p->t == T_ESTR || p->t == T_STR || p->t == T_BARE;
}

/* A non-negative integer token, at most max. */
static int tok_num(struct parser *p, const char *key, uint64_t max, uint64_t *v)
{
	const char *c = p->tb;

	*v = 0;
	if (p->t != T_INT || *c == '-')
		return fail(p, -EINVAL, "expected a number for", key);
	if (*c == '+')
		c++;
	if (c == p->te)
		return fail(p, -EINVAL, "expected a number for", key);
	for (; c < p->te; c++) {
		if (*v > (max - (uint64_t)(*c - '0')) / 10)
			return fail(p, -EINVAL, "a number out of range for", key);
		*v = *v * 10 + (uint64_t)(*c - '0');
	}
	return 0;
}

static int take_u32(struct parser *p, const char *key, uint32_t *out)
{
	uint64_t v;
	int e = tok_num(p, key, UINT32_MAX, &v);

	*out = (uint32_t)v;
	return e;
}

/* An id: 32 characters once its dashes are dropped. */
static int take_id(struct parser *p, char *out)
{
	char text[LVM_ID_TEXT + 8];
	size_t i, n = 0;

	if (!is_string(p) || tok_str(p, text, sizeof(text)))
		return fail(p, -EINVAL, "an id that is not one", NULL);
	for (i = 0; text[i]; i++) {
		if (text[i] == '-')
			continue;
		if (n == LVM_ID_LEN || (unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f)
			return fail(p, -EINVAL, "an id that is not one:", text);
		out[n++] = text[i];
	}
	if (n != LVM_ID_LEN)
		return fail(p, -EINVAL, "an id that is not one:", text);
	out[n] = '\0';
	return 0;
}

static unsigned int status_word(const struct parser *p)
{
	static const struct {
		const char *word;
		unsigned int bit;
	} words[] = {
		{ "READ", LVM_READ }, { "WRITE", LVM_WRITE }, { "VISIBLE", LVM_VISIBLE },
		{ "EXPORTED", LVM_EXPORTED }, { "SHARED", LVM_SHARED }, { "CLUSTERED", LVM_SHARED },
		{ "MISSING", LVM_MISSING }, { "LOCKED", LVM_LOCKED },
		{ "WRITE_LOCKED", LVM_WRITE_LOCKED },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (tok_is(p, words[i].word))
			return words[i].bit;
	return 0;
}

/* Bits of p->got: the fields each section must have. */
enum {
	G_ID = 1 << 0, G_SEQNO = 1 << 1, G_EXTENT = 1 << 2, G_PE_START = 1 << 3,
	G_PE_COUNT = 1 << 4, G_SEGCOUNT = 1 << 5, G_START = 1 << 6, G_COUNT = 1 << 7,
	G_TYPE = 1 << 8, G_STRIPES = 1 << 9,
};

static struct lvm_pv *cur_pv(struct parser *p)
{
	return &p->vg->pv[p->vg->pvs - 1];
}

static struct lvm_lv *cur_lv(struct parser *p)
{
	return &p->vg->lv[p->vg->lvs - 1];
}

static struct lvm_seg *cur_seg(struct parser *p)
{
	return &p->vg->seg[p->vg->segs - 1];
}

static int find_pv(const struct lvm_vg *vg, const char *key)
{
	int i;

	for (i = 0; i < vg->pvs; i++)
		if (!strcmp(vg->pv[i].key, key))
			return i;
	return -1;
}

/* An element of "stripes": a PV's key, then its first extent, in turn. */
static int stripe(struct parser *p)
{
	struct lvm_vg *vg = p->vg;
	struct lvm_seg *s = cur_seg(p);
	struct lvm_lv *lv = cur_lv(p);
	char key[LVM_NAME_MAX];
	int pv;

	p->elems++;
	if (!(p->arr & 1)) {
		if (!is_string(p) || tok_str(p, key, sizeof(key)))
			return fail(p, -EINVAL, "a stripe that names no device in", lv->name);
		if (vg->areas >= LVM_VG_AREAS)
			return fail(p, -E2BIG, "more stripes in the volume group than this reads (512) at",
				    lv->name);
		pv = find_pv(vg, key);
		/* Not a PV: the segment maps another LV (a pvmove's); never mapped here. */
		if (pv < 0 && lv->refusal == LVM_OK)
			lv->refusal = LVM_REFUSE_ON_LV;
		vg->area[vg->areas].pv = (uint8_t)(pv < 0 ? 0 : pv);
		vg->area[vg->areas].pe = 0;
		vg->areas++;
		s->areas++;
		return 0;
	}
	return take_u32(p, "a stripe's extent", &vg->area[vg->areas - 1].pe);
}

/* A snapshot segment names its origin and exception store: neither is mapped as it is. */
static int snap_ref(struct parser *p, enum lvm_refusal kind)
{
	if (p->refs >= SNAP_REFS)
		return fail(p, -E2BIG, "more snapshots than this reads (32)", NULL);
	if (!is_string(p) || tok_str(p, p->ref[p->refs], LVM_NAME_MAX))
		return fail(p, -EINVAL, "a snapshot's origin or store that is not a name", NULL);
	p->ref_kind[p->refs++] = (uint8_t)kind;
	return 0;
}

/* The keys read, by section: where each value goes. */
enum kind { K_U32, K_U64, K_ID, K_STATUS, K_DEVICE, K_TYPE, K_STRIPES, K_ORIGIN, K_COW, K_LOCK, K_SEGCOUNT };

static const struct key {
	uint8_t ctx, kind;
	uint16_t got;		/* G_* */
	uint16_t off;		/* in the section's struct */
	const char *name;
} keys[] = {
#define K(c, k, g, type, field, name) { c, k, g, offsetof(type, field), name }
	K(C_VG, K_ID, G_ID, struct lvm_vg, id, "id"),
	K(C_VG, K_U32, G_SEQNO, struct lvm_vg, seqno, "seqno"),
	K(C_VG, K_U32, G_EXTENT, struct lvm_vg, extent_size, "extent_size"),
	K(C_VG, K_STATUS, 0, struct lvm_vg, status, "status"),
	/* lvmlockd's VGs: "none" is the one lock type that is not shared. */
	K(C_VG, K_LOCK, 0, struct lvm_vg, status, "lock_type"),
	K(C_PV, K_ID, G_ID, struct lvm_pv, id, "id"),
	K(C_PV, K_DEVICE, 0, struct lvm_pv, device, "device"),
	K(C_PV, K_STATUS, 0, struct lvm_pv, status, "status"),
	K(C_PV, K_U64, G_PE_START, struct lvm_pv, pe_start, "pe_start"),
	K(C_PV, K_U64, G_PE_COUNT, struct lvm_pv, pe_count, "pe_count"),
	K(C_LV, K_ID, G_ID, struct lvm_lv, id, "id"),
	K(C_LV, K_STATUS, 0, struct lvm_lv, status, "status"),
	K(C_LV, K_SEGCOUNT, G_SEGCOUNT, struct lvm_lv, id, "segment_count"),
	K(C_SEG, K_U32, G_START, struct lvm_seg, start, "start_extent"),
	K(C_SEG, K_U32, G_COUNT, struct lvm_seg, count, "extent_count"),
	K(C_SEG, K_U32, G_STRIPES, struct lvm_seg, stripes, "stripe_count"),
	K(C_SEG, K_U32, 0, struct lvm_seg, stripe_size, "stripe_size"),
	K(C_SEG, K_STRIPES, 0, struct lvm_seg, areas, "stripes"),
	K(C_SEG, K_TYPE, G_TYPE, struct lvm_seg, type, "type"),
	/* Snapshots (and a thin volume's external origin) name what they sit on. */
	K(C_SEG, K_ORIGIN, 0, struct lvm_seg, type, "origin"),
	K(C_SEG, K_ORIGIN, 0, struct lvm_seg, type, "external_origin"),
	K(C_SEG, K_COW, 0, struct lvm_seg, type, "cow_store"),
	K(C_SEG, K_COW, 0, struct lvm_seg, type, "merging_store"),
#undef K
};

/* One value (or array element) of key in a section of kind c. */
static int value(struct parser *p, enum ctx c, const char *name)
{
	const struct key *k;
	uint64_t v;
	char *o;
	int e = 0;

	for (k = keys; k < keys + sizeof(keys) / sizeof(keys[0]); k++)
		if (k->ctx == c && !strcmp(k->name, name))
			break;
	if (k == keys + sizeof(keys) / sizeof(keys[0]))
		return 0;
	o = c == C_VG ? (char *)p->vg : c == C_PV ? (char *)cur_pv(p) :
	    c == C_LV ? (char *)cur_lv(p) : (char *)cur_seg(p);
	o += k->off;
	/* Lists only where lists belong: a list elsewhere is skipped. */
	if ((p->arr >= 0) != (k->kind == K_STATUS || k->kind == K_STRIPES))
		return 0;
	p->got |= k->got;
	switch (k->kind) {
	case K_U32:
		e = tok_num(p, name, UINT32_MAX, &v);
		*(uint32_t *)(void *)o = (uint32_t)v;
		return e;
	case K_U64:
		return tok_num(p, name, (uint64_t)1 << 54, (uint64_t *)(void *)o);
	case K_ID:
		return take_id(p, o);
	case K_STATUS:
		if (is_string(p))
			*(unsigned int *)(void *)o |= status_word(p);
		return 0;
	case K_LOCK:
		if (is_string(p) && !tok_is(p, "none"))
			*(unsigned int *)(void *)o |= LVM_SHARED;
		return 0;
	case K_DEVICE:
		/* A hint only: one too long is none. */
		if (!is_string(p) || tok_str(p, o, LVM_DEVICE_MAX))
			*o = '\0';
		return 0;
	case K_TYPE:
		if (!is_string(p))
			return fail(p, -EINVAL, "a segment type that is not a string in", cur_lv(p)->name);
		/* Longer than any lvm2 knows: its start kept, for the refusal. */
		if (tok_str(p, o, LVM_TYPE_MAX))
			o[LVM_TYPE_MAX - 2] = '+';
		return 0;
	case K_STRIPES:
		return stripe(p);
	case K_ORIGIN:
		return snap_ref(p, LVM_REFUSE_ORIGIN);
	case K_COW:
		return snap_ref(p, LVM_REFUSE_COW);
	default:
		e = tok_num(p, name, LVM_VG_SEGS + 1, &v);
		p->segment_count = (int)v;
		return e;
	}
}

/* A section's begin: what it is, by where it is and its name. */
static int begin(struct parser *p, enum ctx c, const char *name, enum ctx *child)
{
	struct lvm_vg *vg = p->vg;

	*child = C_SKIP;
	switch (c) {
	case C_TOP:
		if (p->have_vg)
			return 0;	/* one VG a text; lvm2 writes no other section */
		if (!lvm_name_valid(name))
			return fail(p, -EINVAL, "a volume group name lvm2 does not allow:", name);
		strcpy(vg->name, name);
		p->have_vg = true;
		*child = C_VG;
		return 0;
	case C_VG:
		if (!strcmp(name, "physical_volumes"))
			*child = C_PVS;
		else if (!strcmp(name, "logical_volumes"))
			*child = C_LVS;
		return 0;
	case C_PVS:
		if (vg->pvs >= LVM_VG_PVS)
			return fail(p, -E2BIG, "more physical volumes than this reads (16), at", name);
		if (strlen(name) >= LVM_PV_KEY_MAX || find_pv(vg, name) >= 0)
			return fail(p, -EINVAL, "a physical volume key too long or repeated:", name);
		memset(&vg->pv[vg->pvs], 0, sizeof(vg->pv[0]));
		strcpy(vg->pv[vg->pvs++].key, name);
		*child = C_PV;
		return 0;
	case C_LVS:
		if (vg->lvs >= LVM_VG_LVS)
			return fail(p, -E2BIG, "more logical volumes than this reads (64), at", name);
		if (!lvm_name_valid(name))
			return fail(p, -EINVAL, "a logical volume name lvm2 does not allow:", name);
		memset(&vg->lv[vg->lvs], 0, sizeof(vg->lv[0]));
		strcpy(vg->lv[vg->lvs].name, name);
		vg->lv[vg->lvs++].seg = (uint16_t)vg->segs;
		p->segment_count = -1;
		*child = C_LV;
		return 0;
	case C_LV:
		/* Every subsection of an LV is a segment (lvm2's _read_segments()). */
		if (vg->segs >= LVM_VG_SEGS)
			return fail(p, -E2BIG, "more segments than this reads (256), in", cur_lv(p)->name);
		memset(&vg->seg[vg->segs], 0, sizeof(vg->seg[0]));
		vg->seg[vg->segs].area = (uint16_t)vg->areas;
		vg->segs++;
		cur_lv(p)->segs++;
		p->elems = 0;
		*child = C_SEG;
		return 0;
	default:
		return 0;
	}
}

/* A section's end: the fields it must have. */
static int end(struct parser *p, enum ctx c)
{
	struct lvm_vg *vg = p->vg;
	struct lvm_seg *s;
	struct lvm_lv *lv;
	unsigned int want;

	switch (c) {
	case C_VG:
		if ((p->got & (G_ID | G_SEQNO | G_EXTENT)) != (G_ID | G_SEQNO | G_EXTENT) || !vg->extent_size)
			return fail(p, -EINVAL, "no id, seqno or extent size for the volume group", vg->name);
		return 0;
	case C_PV:
		if ((p->got & (G_ID | G_PE_START | G_PE_COUNT)) != (G_ID | G_PE_START | G_PE_COUNT))
			return fail(p, -EINVAL, "no id, pe_start or pe_count for", cur_pv(p)->key);
		return 0;
	case C_LV:
		lv = cur_lv(p);
		if (!(p->got & G_ID) || p->segment_count != lv->segs)
			return fail(p, -EINVAL, "no id, or segment_count disagreeing with the segments, for",
				    lv->name);
		return 0;
	case C_SEG:
		s = cur_seg(p);
		lv = cur_lv(p);
		want = G_START | G_COUNT | G_TYPE;
		if ((p->got & want) != want || !s->count)
			return fail(p, -EINVAL, "a segment without its start, count or type, in", lv->name);
		if (strcmp(s->type, "striped") && strcmp(s->type, "linear")) {
			if (lv->refusal == LVM_OK || lv->refusal == LVM_REFUSE_ON_LV) {
				lv->refusal = LVM_REFUSE_TYPE;
				lv->refusal_seg = (uint16_t)(vg->segs - 1 - lv->seg);
			}
			return 0;
		}
		if (!strcmp(s->type, "linear")) {
			strcpy(s->type, "striped");
			if (!(p->got & G_STRIPES))
				s->stripes = 1;
		}
		if (!s->stripes || s->areas != s->stripes || p->elems != 2 * s->areas ||
		    s->count % s->stripes ||
		    (s->stripes > 1 && !s->stripe_size))
			return fail(p, -EINVAL, "a striped segment whose stripes disagree with its counts, in",
				    lv->name);
		return 0;
	default:
		return 0;
	}
}

static int section(struct parser *p, enum ctx c, int depth);

/* key = value, or key = [ value, ... ] */
static int assignment(struct parser *p, enum ctx c, const char *key)
{
	next(p);	/* past '=' */
	if (p->t != T_ARR_B) {
		p->arr = -1;
		if (p->t != T_INT && p->t != T_FLOAT && !is_string(p))
			return fail(p, -EINVAL, "expected a value for", key);
		if (value(p, c, key))
			return p->err;
		next(p);
		return 0;
	}
	next(p);
	for (p->arr = 0; p->t != T_ARR_E; p->arr++) {
		if (p->t != T_INT && p->t != T_FLOAT && !is_string(p))
			return fail(p, -EINVAL, "expected a value in the list", key);
		if (value(p, c, key))
			return p->err;
		next(p);
		if (p->t == T_COMMA)
			next(p);
	}
	next(p);
	return 0;
}

/* The items of a section up to its '}' (the text's end at the top). */
static int section(struct parser *p, enum ctx c, int depth)
{
	char key[LVM_NAME_MAX];
	unsigned int got;
	enum ctx child;

	if (depth > DEPTH_MAX)
		return fail(p, -EINVAL, "sections nested too deep", NULL);
	for (;;) {
		if (p->t == T_EOF)
			return depth ? fail(p, -EINVAL, "the text ends inside a section", NULL) : 0;
		if (p->t == T_SEC_E) {
			if (!depth)
				return fail(p, -EINVAL, "a '}' with no section to end", NULL);
			return end(p, c);
		}
		if (p->t != T_IDENT && p->t != T_ESTR && p->t != T_STR)
			return fail(p, -EINVAL, "expected a name", NULL);
		if (tok_str(p, key, sizeof(key)))
			return fail(p, -E2BIG, "a name longer than 127 bytes", NULL);
		next(p);
		if (p->t == T_EQ) {
			if (assignment(p, c, key))
				return p->err;
			continue;
		}
		if (p->t != T_SEC_B)
			return fail(p, -EINVAL, "expected '=' or '{' after", key);
		if (!key[0])
			return fail(p, -EINVAL, "a section without a name", NULL);
		if (begin(p, c, key, &child))
			return p->err;
		got = p->got;
		p->got = 0;
		next(p);
		if (section(p, child, depth + 1))
			return p->err;
		p->got = got;
		next(p);	/* past '}' */
	}
}

/* Snapshots name their origin and store by LV name: found once all are read. */
static void resolve_snapshots(struct parser *p)
{
	struct lvm_vg *vg = p->vg;
	int i, j;

	for (i = 0; i < p->refs; i++)
		for (j = 0; j < vg->lvs; j++)
			if (!strcmp(vg->lv[j].name, p->ref[i]) &&
			    (vg->lv[j].refusal == LVM_OK || vg->lv[j].refusal == LVM_REFUSE_HIDDEN))
				vg->lv[j].refusal = p->ref_kind[i];
}

/* a * b + c sectors, as bytes, stays far from 64 bits' end. */
static bool fits(uint64_t a, uint64_t b, uint64_t c)
{
	const uint64_t max = (uint64_t)1 << 54;

	return c <= max && (!a || b <= (max - c) / a);
}

/* Segments in extent order, each starting where the previous ended (lvm2's check). */
static int check_lv(struct parser *p, struct lvm_lv *lv)
{
	struct lvm_vg *vg = p->vg;
	struct lvm_seg *s = vg->seg + lv->seg, tmp;
	const struct lvm_area *a;
	const struct lvm_pv *pv;
	uint64_t next_start = 0;
	uint32_t per;
	int i, j;

	for (i = 1; i < lv->segs; i++)
		for (j = i; j > 0 && s[j - 1].start > s[j].start; j--) {
			tmp = s[j];
			s[j] = s[j - 1];
			s[j - 1] = tmp;
		}
	for (i = 0; i < lv->segs; i++) {
		if (s[i].start != next_start)
			return fail(p, -EINVAL, "segments with a gap or an overlap in", lv->name);
		next_start += s[i].count;
		if (lv->refusal != LVM_OK || strcmp(s[i].type, "striped"))
			continue;
		/* Each stripe's extents inside its PV: the mapping never leaves it. */
		per = s[i].count / s[i].stripes;
		for (j = 0; j < s[i].areas; j++) {
			a = vg->area + s[i].area + j;
			pv = vg->pv + a->pv;
			if ((uint64_t)a->pe + per > pv->pe_count)
				return fail(p, -EINVAL, "a stripe past the end of its physical volume, in",
					    lv->name);
		}
	}
	if (next_start > UINT32_MAX || !fits(next_start, vg->extent_size, 0))
		return fail(p, -EINVAL, "too many extents in", lv->name);
	lv->extents = (uint32_t)next_start;
	return 0;
}

int lvm_meta_parse(const char *text, size_t len, struct lvm_vg *vg, char *why, size_t size)
{
	static struct parser p;	/* 4 KiB of names: off the stack */
	int i;

	memset(&p, 0, sizeof(p));
	memset(vg, 0, sizeof(*vg));
	p.s = p.te = text;
	p.end = text + len;
	p.line = 1;
	p.vg = vg;
	p.why = why;
	p.whysize = size;
	p.t = T_SEC_B;	/* not a value context */
	next(&p);
	if (section(&p, C_TOP, 0))
		return p.err;
	if (!p.have_vg)
		return fail(&p, -EINVAL, "no volume group section", NULL);
	for (i = 0; i < vg->pvs; i++)
		if (!fits(vg->pv[i].pe_count, vg->extent_size, vg->pv[i].pe_start))
			return fail(&p, -EINVAL, "a physical volume too large:", vg->pv[i].key);
	for (i = 0; i < vg->lvs; i++) {
		if (check_lv(&p, &vg->lv[i]))
			return p.err;
		if (vg->lv[i].refusal == LVM_OK && (vg->lv[i].status & LVM_LOCKED))
			vg->lv[i].refusal = LVM_REFUSE_MOVING;
	}
	resolve_snapshots(&p);
	for (i = 0; i < vg->lvs; i++) {
		if (vg->lv[i].refusal != LVM_OK)
			continue;
		if (!(vg->lv[i].status & LVM_VISIBLE))
			vg->lv[i].refusal = LVM_REFUSE_HIDDEN;
		else if (!(vg->lv[i].status & LVM_READ))
			vg->lv[i].refusal = LVM_REFUSE_NO_READ;
	}
	return 0;
}

bool lvm_name_valid(const char *s)
{
	size_t i;

	if (!s[0] || s[0] == '-' || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || is_digit(s[i]) ||
		      s[i] == '.' || s[i] == '_' || s[i] == '-' || s[i] == '+'))
			return false;
	return i < LVM_NAME_MAX;
}

void lvm_refusal_text(const struct lvm_vg *vg, const struct lvm_lv *lv, char *buf, size_t size)
{
	static const char *const why[] = {
		[LVM_OK] = "it can be mapped",
		[LVM_REFUSE_TYPE] = "its segment type %s is not supported here",
		[LVM_REFUSE_ORIGIN] = "it is the origin of a snapshot, which needs the snapshot-origin target",
		[LVM_REFUSE_COW] = "it is a snapshot's exception store, which needs the snapshot target",
		[LVM_REFUSE_ON_LV] = "it maps onto another logical volume (a pvmove in progress?)",
		[LVM_REFUSE_HIDDEN] = "it is a hidden component of another logical volume",
		[LVM_REFUSE_NO_READ] = "its status lacks READ",
		[LVM_REFUSE_MOVING] = "it is locked by a pvmove in progress",
	};

	/* Only the type's text takes the argument. */
	fmt_buf(buf, size, why[lv->refusal <= LVM_REFUSE_MOVING ? lv->refusal : LVM_OK],
		lv->refusal == LVM_REFUSE_TYPE ? vg->seg[lv->seg + lv->refusal_seg].type : "");
}

const char *lvm_lv_kind(const struct lvm_vg *vg, const struct lvm_lv *lv)
{
	int i;

	for (i = 0; i < lv->segs; i++)
		if (vg->seg[lv->seg + i].stripes > 1)
			return "striped";
	return "linear";
}

void lvm_id_text(char *out, const char *id)
{
	static const int group[] = { 6, 4, 4, 4, 4, 4, 6 };
	size_t g, i, n = 0;

	for (g = 0; g < sizeof(group) / sizeof(group[0]); g++) {
		for (i = 0; i < (size_t)group[g] && *id; i++)
			out[n++] = *id++;
		if (g + 1 < sizeof(group) / sizeof(group[0]))
			out[n++] = '-';
	}
	out[n] = '\0';
}
