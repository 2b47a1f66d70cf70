/*
 * The storage stage's part of the plan: which containers to unlock, from
 * rd.luks.* (and the image's crypttab), and the verity root. Pure: called
 * by plan_resolve() for every line read.
 */
#include "storage/storage.h"
#include "storage/scan.h"
#include "base/log.h"
#include "base/util.h"
#include "plan/crypttab.h"
#include "plan/plan.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* A LUKS UUID as rd.luks.* spell it: 36 hex digits and dashes, "luks-" allowed before. */
static const char *luks_uuid(const char *v, size_t len)
{
	size_t i;

	if (len == 41 && !strncmp(v, "luks-", 5)) {
		v += 5;
		len -= 5;
	}
	if (len != 36)
		return NULL;
	for (i = 0; i < len; i++)
		if (!(v[i] == '-' || (v[i] >= '0' && v[i] <= '9') || ((v[i] | 0x20) >= 'a' && (v[i] | 0x20) <= 'f')))
			return NULL;
	return v;
}

/* prefix, then n bytes of src, into dst of size bytes: cut to fit, always terminated. */
static void copy_n(char *dst, size_t size, const char *prefix, const char *src, size_t n)
{
	size_t k = strlen(prefix);

	if (k > size - 1)
		k = size - 1;
	if (n > size - 1 - k)
		n = size - 1 - k;
	memcpy(dst, prefix, k);
	memcpy(dst + k, src, n);
	dst[k + n] = '\0';
}

/* The container of uuid (36 characters) the plan has, or NULL. */
static struct assembly *luks_find(struct boot_plan *plan, const char *uuid)
{
	struct assembly *a;
	int i;

	for (i = 0; i < plan->assemblies; i++) {
		a = &plan->assemble[i];
		if (a->kind == ASSEMBLE_LUKS && !strncmp(a->source, "UUID=", 5) &&
		    hex_same(a->source + 5, uuid, 36) && !a->source[41])
			return a;
	}
	return NULL;
}

/* The container of uuid, added when new; NULL when the plan is full. */
static struct assembly *luks_for(struct boot_plan *plan, const char *uuid)
{
	struct assembly *a = luks_find(plan, uuid);

	if (a || plan->assemblies == PLAN_ASSEMBLIES_MAX)
		return a;
	a = &plan->assemble[plan->assemblies++];
	memset(a, 0, sizeof(*a));
	a->kind = ASSEMBLE_LUKS;
	a->param = "rd.luks.uuid";
	copy_n(a->source, sizeof(a->source), "UUID=", uuid, 36);
	copy_n(a->name, sizeof(a->name), "luks-", uuid, 36);
	return a;
}

/*
 * rd.luks.key= and rd.luks.options= apply to every container, or to one
 * when written UUID=VALUE (systemd-cryptsetup-generator's rule: the part
 * before '=' must be a UUID, as options may hold '=' themselves).
 */
static void luks_setting(struct boot_plan *plan, bool key, const char *val)
{
	const char *eq = strchr(val, '=');
	const char *uuid = eq ? luks_uuid(val, (size_t)(eq - val)) : NULL;
	const char *what = uuid ? eq + 1 : val;
	const char *why;
	int i;

	if (!key && crypttab_options_check(what, &why)) {
		cmdline_problem(&plan->params, "rd.luks.options", why);
		return;
	}
	for (i = 0; i < plan->assemblies; i++) {
		struct assembly *a = &plan->assemble[i];
		const char *colon;

		if (a->kind != ASSEMBLE_LUKS ||
		    (uuid && (strncmp(a->source, "UUID=", 5) || !hex_same(a->source + 5, uuid, 36))))
			continue;
		if (!key) {
			str_copy(a->options, what, sizeof(a->options));
			continue;
		}
		/* PATH[:DEVICE]: the key file in the image, or on a device found by identity. */
		colon = strchr(what, ':');
		copy_n(a->key, sizeof(a->key), "", what, colon ? (size_t)(colon - what) : strlen(what));
		str_copy(a->keydev, colon ? colon + 1 : "", sizeof(a->keydev));
	}
}

/*
 * rd.luks.data=UUID=DEVICE: the data of an rd.luks.uuid= container whose
 * header is detached (rd.luks.options=UUID=header=...), any root= form
 * (the wait names rd.luks.data= when it is not one). Applied last: the
 * other words find the container by the UUID it names.
 */
static void luks_data(struct boot_plan *plan, const char *val)
{
	const char *eq = strchr(val, '=');
	const char *uuid = eq ? luks_uuid(val, (size_t)(eq - val)) : NULL;
	struct assembly *a = uuid ? luks_find(plan, uuid) : NULL;

	if (!a) {
		cmdline_problem(&plan->params, "rd.luks.data", "expects UUID=DEVICE, UUID an rd.luks.uuid= container's");
		return;
	}
	a->param = "rd.luks.data";
	str_copy(a->source, eq + 1, sizeof(a->source));
}

/*
 * The image's crypttab: without rd.luks.uuid= or .name= every line is a
 * container to unlock; with them, only those are, and a line of the same
 * UUID gives its name, key and options (systemd-cryptsetup-generator's
 * rule). Lines it cannot use were said when it was read (storage_read()).
 */
static void resolve_crypttab(struct boot_plan *plan, bool named)
{
	char text[sizeof(plan->crypttab)], *cur = text;
	struct assembly e, *a;
	const char *why, *uuid;
	int line = 0, r;

	memcpy(text, plan->crypttab, sizeof(text));
	while ((r = crypttab_next(&cur, &line, &e, &why))) {
		if (r < 0)
			continue;
		if (!named) {
			if (plan->assemblies < PLAN_ASSEMBLIES_MAX)
				plan->assemble[plan->assemblies++] = e;
			continue;
		}
		uuid = !strncmp(e.source, "UUID=", 5) ? luks_uuid(e.source + 5, strlen(e.source + 5)) : NULL;
		a = uuid ? luks_find(plan, uuid) : NULL;
		if (a) {
			/* An rd.luks.uuid= container: the line's name unless rd.luks.name= gave one. */
			if (strcmp(a->param, "rd.luks.name"))
				str_copy(a->name, e.name, sizeof(a->name));
			str_copy(a->key, e.key, sizeof(a->key));
			str_copy(a->keydev, e.keydev, sizeof(a->keydev));
			str_copy(a->options, e.options, sizeof(a->options));
		}
	}
}

/*
 * rd.luks.uuid= and rd.luks.name=UUID=NAME name the containers to unlock
 * (luks-UUID, or NAME), else the image's crypttab does; then rd.luks.key=,
 * rd.luks.options= and rd.luks.data= fill them, wherever they stand on the line.
 * rd.luks=0 unlocks nothing.
 */
static void resolve_luks(struct boot_plan *plan)
{
	struct boot_params *p = &plan->params;
	struct assembly *a;
	const char *uuid, *eq;
	int i;

	if (!p->luks)
		return;
	for (i = 0; i < p->lukswords; i++) {
		const char *w = p->luksword[i], *v = p->luksval[i] ? p->luksval[i] : "";

		if (!strcmp(w, "luks.key") || !strcmp(w, "luks.options") || !strcmp(w, "luks.data")) {
			if (!*v)
				cmdline_problem(p, w, "needs a value");
		} else if (!strcmp(w, "luks.uuid")) {
			uuid = luks_uuid(v, strlen(v));
			if (!uuid)
				cmdline_problem(p, "rd.luks.uuid", "expects a LUKS UUID (as blkid shows it)");
			else if ((a = luks_for(plan, uuid)))
				a->param = "rd.luks.uuid";
		} else if (!strcmp(w, "luks.name")) {
			eq = strchr(v, '=');
			uuid = eq ? luks_uuid(v, (size_t)(eq - v)) : NULL;
			if (!uuid || !eq[1] || strchr(eq + 1, '/'))
				cmdline_problem(p, "rd.luks.name", "expects UUID=NAME (the container's UUID, the name in /dev/mapper)");
			else if ((a = luks_for(plan, uuid))) {
				a->param = "rd.luks.name";
				str_copy(a->name, eq + 1, sizeof(a->name));
			}
		} else {
			cmdline_problem(p, w, "is not one handoff knows (rd.luks=, .uuid=, .name=, .key=, .options=, .data=)");
		}
	}
	resolve_crypttab(plan, plan->assemblies > 0);
	for (i = 0; i < p->lukswords; i++) {
		if (!p->luksval[i] || !*p->luksval[i])
			continue;
		if (!strcmp(p->luksword[i], "luks.key"))
			luks_setting(plan, true, p->luksval[i]);
		else if (!strcmp(p->luksword[i], "luks.options"))
			luks_setting(plan, false, p->luksval[i]);
	}
	for (i = 0; i < p->lukswords; i++)
		if (p->luksval[i] && *p->luksval[i] && !strcmp(p->luksword[i], "luks.data"))
			luks_data(plan, p->luksval[i]);
}

/* roothash= as hex digits: an even count, 2 to 128 of them (a SHA-512 digest). */
static bool hex_digest(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (hex_digit(s[n]) < 0)
			return false;
	return n >= 2 && n <= 128 && !(n % 2);
}

/* PARTUUID= of 32 hex digits at hex, as systemd derives it from the root hash. */
static void derived_partuuid(char *out, size_t size, const char *hex)
{
	char *o = out + fmt_buf(out, size, "PARTUUID=");
	int i;

	for (i = 0; i < 32 && o + 2 < out + size; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			*o++ = '-';
		*o++ = hex[i] >= 'A' && hex[i] <= 'F' ? (char)(hex[i] - 'A' + 'a') : hex[i];
	}
	*o = '\0';
}

/*
 * roothash= (systemd-veritysetup-generator): the root is the read-only
 * verity mapping /dev/mapper/root over systemd.verity_root_data= and
 * systemd.verity_root_hash=. Without them, as systemd: the GPT partitions
 * whose UUIDs are the root hash's first and last 128 bits. A root= that
 * names a device other than /dev/mapper/root is the data device.
 */
static void resolve_verity(struct boot_plan *plan)
{
	struct boot_params *p = &plan->params;
	const char *mapped = "/dev/mapper/root";
	bool root_is_data = p->root && !plan->root_implied && !plan->root_error &&
			    strcmp(p->root, mapped) && plan->root.kind != ROOT_GPT_AUTO &&
			    plan->root.kind != ROOT_TMPFS;
	struct assembly *a = &plan->assemble[plan->assemblies];
	size_t n = p->roothash ? strlen(p->roothash) : 0;

	if (!p->roothash || !p->verity)
		return;
	plan->root_implied = false;
	plan->root_error = 0;
	plan->root_why = NULL;
	if (!hex_digest(p->roothash)) {
		plan->root_why = "roothash= must be the hex digest veritysetup format printed";
	} else if (n < 64 && (!p->verity_hash || (!p->verity_data && !root_is_data))) {
		plan->root_why = "roothash= is shorter than 256 bits: name the devices with systemd.verity_root_data= and systemd.verity_root_hash=";
	} else if (plan->assemblies >= PLAN_ASSEMBLIES_MAX) {
		plan->root_why = "roothash= comes after too many devices to assemble";
	} else {
		memset(a, 0, sizeof(*a));
		a->kind = ASSEMBLE_VERITY;
		a->param = "roothash";
		str_copy(a->name, "root", sizeof(a->name));
		if (p->verity_data || root_is_data) {
			if (str_copy(a->source, p->verity_data ? p->verity_data : p->root,
				     sizeof(a->source)))
				plan->root_why = "systemd.verity_root_data= is too long";
		} else {
			derived_partuuid(a->source, sizeof(a->source), p->roothash);
		}
		if (p->verity_hash) {
			if (str_copy(a->keydev, p->verity_hash, sizeof(a->keydev)))
				plan->root_why = "systemd.verity_root_hash= is too long";
		} else {
			derived_partuuid(a->keydev, sizeof(a->keydev), p->roothash + n - 32);
		}
		if (p->verity_options &&
		    str_copy(a->options, p->verity_options, sizeof(a->options)))
			plan->root_why = "systemd.verity_root_options= is too long";
	}
	p->root = mapped;
	if (plan->root_why) {
		plan->root_error = -EINVAL;
		return;
	}
	plan->assemblies++;
	rootspec_parse(mapped, &plan->root, &plan->root_why);
	/* A verity root is read-only; its devices need their drivers, not only the root's. */
	p->read_only = true;
	plan->layered = p->overlay || p->loop || p->copytoram;
	plan->coldplug_all = true;
}

void storage_plan(struct boot_plan *plan)
{
	resolve_luks(plan);
	resolve_verity(plan);
	md_plan(plan);	/* the volumes' words: storage/md.c, or volumes_none.c */
}

void storage_read(struct boot_plan *plan, bool report)
{
	char text[sizeof(plan->crypttab)], *cur = text;
	struct assembly e;
	const char *why;
	int line = 0, r;
	long n = read_text(CRYPTTAB, plan->crypttab, sizeof(plan->crypttab));

	if (n < 0) {
		plan->crypttab[0] = '\0';
		if (report && n != -ENOENT)
			err("cannot read %s: %s; unlocking only what rd.luks.* names", CRYPTTAB,
			    errtext((int)n));
		return;
	}
	if (!report)
		return;
	if (n == sizeof(plan->crypttab) - 1)
		warn("%s is longer than %zu bytes: reading only those", CRYPTTAB, sizeof(plan->crypttab) - 1);
	memcpy(text, plan->crypttab, sizeof(text));
	while ((r = crypttab_next(&cur, &line, &e, &why)))
		if (r < 0)
			warn("ignoring %s line %d: %s", CRYPTTAB, line, why);
}
