/*
 * The storage stage's part of the plan: which containers to unlock, from
 * rd.luks.* (and the image's crypttab), and the verity root. Pure: called
 * by plan_resolve() for every line read.
 */
#include "storage/storage.h"
#include "base/util.h"
#include "plan/plan.h"

#include <string.h>
#include <strings.h>

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

/* A value resolve_luks() cannot use, said with the command line's problems. */
static void luks_problem(struct boot_params *p, const char *param, const char *why)
{
	if (p->problems >= CMDLINE_MAX_PROBLEMS)
		return;
	p->problem[p->problems] = param;
	p->problem_why[p->problems++] = why;
}

/* The assembly for uuid (36 characters), added when new; NULL when the plan is full. */
static struct assembly *luks_for(struct boot_plan *plan, const char *uuid)
{
	struct assembly *a;
	int i;

	for (i = 0; i < plan->assemblies; i++) {
		a = &plan->assemble[i];
		if (a->kind == ASSEMBLE_LUKS && !strncmp(a->source, "UUID=", 5) &&
		    !strncasecmp(a->source + 5, uuid, 36) && !a->source[41])
			return a;
	}
	if (plan->assemblies == PLAN_ASSEMBLIES_MAX)
		return NULL;
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
	int i;

	for (i = 0; i < plan->assemblies; i++) {
		struct assembly *a = &plan->assemble[i];
		const char *colon;

		if (a->kind != ASSEMBLE_LUKS || (uuid && strncasecmp(a->source + 5, uuid, 36)))
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
 * rd.luks.uuid= and rd.luks.name=UUID=NAME name the containers to unlock
 * (luks-UUID, or NAME); then rd.luks.key= and rd.luks.options= fill them,
 * wherever they stand on the line. rd.luks=0 unlocks nothing.
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

		if (!strcmp(w, "luks.key") || !strcmp(w, "luks.options")) {
			if (!*v)
				luks_problem(p, w, "needs a value");
		} else if (!strcmp(w, "luks.uuid")) {
			uuid = luks_uuid(v, strlen(v));
			if (!uuid)
				luks_problem(p, "rd.luks.uuid", "expects a LUKS UUID (as blkid shows it)");
			else if ((a = luks_for(plan, uuid)))
				a->param = "rd.luks.uuid";
		} else if (!strcmp(w, "luks.name")) {
			eq = strchr(v, '=');
			uuid = eq ? luks_uuid(v, (size_t)(eq - v)) : NULL;
			if (!uuid || !eq[1] || strchr(eq + 1, '/'))
				luks_problem(p, "rd.luks.name", "expects UUID=NAME (the container's UUID, the name in /dev/mapper)");
			else if ((a = luks_for(plan, uuid))) {
				a->param = "rd.luks.name";
				str_copy(a->name, eq + 1, sizeof(a->name));
			}
		} else {
			luks_problem(p, w, "is not one handoff knows (rd.luks=, .uuid=, .name=, .key=, .options=)");
		}
	}
	for (i = 0; i < p->lukswords; i++) {
		if (!p->luksval[i] || !*p->luksval[i])
			continue;
		if (!strcmp(p->luksword[i], "luks.key"))
			luks_setting(plan, true, p->luksval[i]);
		else if (!strcmp(p->luksword[i], "luks.options"))
			luks_setting(plan, false, p->luksval[i]);
	}
}

void storage_plan(struct boot_plan *plan)
{
	resolve_luks(plan);
}
