#include "plan/cmdline.h"
#include "base/util.h"

#include <stddef.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char *skip_spaces(char *s)
{
	while (is_space(*s))
		s++;
	return s;
}

char *cmdline_next(char *args, char **param, char **val)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	args = skip_spaces(args);
	if (!*args)
		return NULL;
	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (is_space(args[i]) && !in_quote)
			break;
		if (!equals && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* A quoted value loses its quotes, as in the kernel. */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i])
		args[i++] = '\0';
	return args + i;
}

void cmdline_problem(struct boot_params *p, const char *param, const char *why)
{
	if (p->problems >= CMDLINE_MAX_PROBLEMS)
		return;
	p->problem[p->problems] = param;
	p->problem_why[p->problems++] = why;
}

static bool seconds(struct boot_params *p, const char *param, const char *val, long *out)
{
	if (val && !parse_long(val, 0, 1000000, out))
		return true;
	cmdline_problem(p, param, "expects a whole number of seconds");
	return false;
}

/* A bounded wait of s seconds; with both rootwait=N and rootdelay=N the longer wins. */
static void bound_wait(struct boot_params *p, long s)
{
	if (p->wait != WAIT_BOUNDED || s > p->wait_s)
		p->wait_s = s;
	if (p->wait != WAIT_FOREVER)
		p->wait = WAIT_BOUNDED;
}

static void set_rootwait(struct boot_params *p, const char *val)
{
	long s;

	if (!val) {
		p->wait = WAIT_FOREVER;
		return;
	}
	if (seconds(p, "rootwait", val, &s))
		bound_wait(p, s);
}

static void set_rootdelay(struct boot_params *p, const char *val)
{
	long s;

	if (seconds(p, "rootdelay", val, &s))
		bound_wait(p, s);
}

static void set_panic(struct boot_params *p, const char *val)
{
	long s;

	if (!val || parse_long(val, -1000000, 1000000, &s)) {
		cmdline_problem(p, "panic", "expects a number of seconds (negative: at once)");
		return;
	}
	p->has_panic = true;
	p->panic_s = s;
}

/* "name", "name=1" or "name=0" (also y/n, yes/no, on/off). */
static void flag(struct boot_params *p, const char *param, const char *val, bool *out)
{
	static const char *const on[] = { "1", "y", "yes", "on" };
	static const char *const off[] = { "0", "n", "no", "off" };
	size_t i;

	if (!val) {
		*out = true;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(on); i++) {
		if (!strcmp(val, on[i]) || !strcmp(val, off[i])) {
			*out = !strcmp(val, on[i]);
			return;
		}
	}
	cmdline_problem(p, param, "expects no value, or 1 or 0");
}

/* Returns true when the string value is usable (not empty). */
static bool string_value(struct boot_params *p, const char *param, const char *val)
{
	if (val && *val)
		return true;
	cmdline_problem(p, param, "needs a value");
	return false;
}

/* A tmpfs size as mount(8) takes it: a number with k, m, g or %. */
static bool size_ok(const char *v)
{
	size_t n = strspn(v, "0123456789");

	return n && (!v[n] || (strchr("kKmMgG%", v[n]) && !v[n + 1]));
}

/* Module words are kept for modules.c; one too many is said, not dropped silently. */
static void module_word(struct boot_params *p, const char *param, const char *val)
{
	if (p->modwords >= CMDLINE_MAX_MODWORDS) {
		cmdline_problem(p, param, "is one module word past the 64 kept (NAME.PARAM=, rd.modules=...)");
		return;
	}
	p->modword[p->modwords] = param;
	p->modval[p->modwords++] = val;
}

static void apply_layers(struct boot_params *p, const char *param, const char *val)
{
	bool on = true;

	if (!strcmp(param, "rd.tmpfs.size")) {
		if (val && size_ok(val))
			p->tmpfs_size = val;
		else
			cmdline_problem(p, "rd.tmpfs.size", "expects a size such as 512M, 2G or 50%");
	} else if (!strcmp(param, "rd.coldplug")) {
		if (val && !strcmp(val, "all"))
			p->coldplug_all = true;
		else
			cmdline_problem(p, "rd.coldplug", "has one value, all (every driver for the devices present, before the switch)");
	} else if (!strcmp(param, "rd.overlay")) {
		/* A device names the upper layer; no value (or 1) means RAM. */
		if (val && *val && strcmp(val, "0") && strcmp(val, "1")) {
			p->overlay = val;
			return;
		}
		flag(p, "rd.overlay", val, &on);
		p->overlay = on ? "" : NULL;
	} else {
		module_word(p, param, val);
	}
}

/* One of the words of a small enumeration, by index; a problem if none. */
static void choice(struct boot_params *p, const char *param, const char *val,
		   const char *const *names, int n, const char *why, int *out)
{
	int i;

	for (i = 0; val && i < n; i++) {
		if (!strcmp(val, names[i])) {
			*out = i;
			return;
		}
	}
	cmdline_problem(p, param, why);
}

/*
 * The parameters that only keep their value or set a flag, in one table
 * (as the kernel's __setup): a value must not be empty (STORED_STR), may be
 * anything (STORED_ANY), or is a flag (STORED_FLAG).
 */
enum stored_kind { STORED_STR, STORED_ANY, STORED_FLAG, STORED_VOL };
struct stored {
	const char *name;
	unsigned short off;	/* of the field in struct boot_params */
	unsigned char kind;
};
#define STR(n, f) { n, offsetof(struct boot_params, f), STORED_STR }
#define ANY(n, f) { n, offsetof(struct boot_params, f), STORED_ANY }
#define FLAG(n, f) { n, offsetof(struct boot_params, f), STORED_FLAG }
/* Repeats: every occurrence kept in volword[], named without "rd.". */
#define VOL(n) { n, 0, STORED_VOL }
static const struct stored stored[] = {
	STR("root", root), STR("rootfstype", rootfstype), ANY("rootflags", rootflags),
	STR("init", init), FLAG("rd.debug", debug), FLAG("rd.shell", shell),
	FLAG("rd.break", brk), STR("rd.exitstatus", exitstatus),
	/* layered and RAM roots */
	STR("rd.image", image), STR("rd.loop", loop), FLAG("rd.copytoram", copytoram),
	/* systemd's initrd contract */
	STR("mount.usr", usr), STR("mount.usrfstype", usrfstype), ANY("mount.usrflags", usrflags),
	FLAG("systemd.gpt_auto", gpt_auto), FLAG("rd.systemd.gpt_auto", gpt_auto),
	FLAG("rd.noshutdown", noshutdown),
	/* encrypted and verified roots */
	FLAG("rd.luks", luks), FLAG("luks", luks), STR("roothash", roothash),
	STR("systemd.verity_root_data", verity_data), STR("systemd.verity_root_hash", verity_hash),
	ANY("systemd.verity_root_options", verity_options), FLAG("systemd.verity", verity),
	FLAG("rd.systemd.verity", verity),
	/* LVM, md RAID, resume */
	FLAG("rd.lvm", lvm), FLAG("rd.md", md), STR("rd.md.waitdegraded", md_waitdegraded),
	STR("resume", resume), STR("resume_offset", resume_offset), FLAG("noresume", noresume),
	VOL("rd.lvm.vg"), VOL("rd.lvm.lv"), VOL("rd.md.uuid"),
	/* network roots */
	STR("ip", ip), STR("nfsaddrs", ip), STR("nfsroot", nfsroot), FLAG("rd.neednet", neednet),
};

static void vol_word(struct boot_params *p, const char *param, const char *val)
{
	if (!string_value(p, param, val))
		return;
	if (p->volwords >= CMDLINE_MAX_VOLWORDS) {
		cmdline_problem(p, param, "is one rd.lvm/rd.md word past the 16 kept");
		return;
	}
	p->volword[p->volwords] = param + 3;
	p->volval[p->volwords++] = val;
}

static bool apply_stored(struct boot_params *p, const char *param, const char *val)
{
	const struct stored *w;
	char *field;

	for (w = stored; w < stored + ARRAY_SIZE(stored); w++) {
		if (strcmp(param, w->name))
			continue;
		field = (char *)p + w->off;
		if (w->kind == STORED_VOL)
			vol_word(p, param, val);
		else if (w->kind == STORED_FLAG)
			flag(p, param, val, (bool *)field);
		else if (w->kind == STORED_ANY || string_value(p, param, val))
			*(const char **)field = val;
		return true;
	}
	return false;
}

/* rd.luks.* and luks.*: kept in order, every occurrence, for storage/plan.c. */
static bool luks_word(struct boot_params *p, const char *param, const char *val)
{
	const char *name = str_starts(param, "rd.") ? param + 3 : param;

	if (!str_starts(name, "luks."))
		return false;
	if (p->lukswords >= CMDLINE_MAX_LUKSWORDS) {
		cmdline_problem(p, param, "is one rd.luks word past the 32 kept");
		return true;
	}
	p->luksword[p->lukswords] = name;
	p->luksval[p->lukswords++] = val;
	return true;
}

/*
 * systemd's own words for the initrd (its INITRD_INTERFACE and generators):
 * they contain a dot, so they must be taken before the module words.
 * Returns false when param is not one of them.
 */
static bool apply_systemd(struct boot_params *p, const char *param, const char *val)
{
	static const char *const modes[] = { "auto", "force", "skip" };
	static const char *const repairs[] = { "preen", "yes", "no" };
	int i;

	if (!strcmp(param, "fsck.mode")) {
		i = p->fsck_mode;
		choice(p, "fsck.mode", val, modes, 3, "expects auto, force or skip", &i);
		p->fsck_mode = (enum fsck_mode)i;
	} else if (!strcmp(param, "fsck.repair")) {
		i = p->fsck_repair;
		choice(p, "fsck.repair", val, repairs, 3, "expects preen, yes or no", &i);
		p->fsck_repair = (enum fsck_repair)i;
	} else if (!strcmp(param, "rd.run.size")) {
		if (val && size_ok(val))
			p->run_size = val;
		else
			cmdline_problem(p, "rd.run.size", "expects a size such as 32M or 10%");
	} else {
		return false;
	}
	return true;
}

static void apply(struct boot_params *p, const char *param, const char *val)
{
	if (apply_stored(p, param, val) || apply_systemd(p, param, val) || luks_word(p, param, val))
		return;

	if (!strcmp(param, "ro") && !val) {
		p->read_only = true;
	} else if (!strcmp(param, "rw") && !val) {
		p->read_only = false;
	} else if (!strcmp(param, "rootwait")) {
		set_rootwait(p, val);
	} else if (!strcmp(param, "rootdelay")) {
		set_rootdelay(p, val);
	} else if (!strcmp(param, "panic")) {
		set_panic(p, val);
	} else if (str_starts(param, "rd.")) {
		apply_layers(p, param, val);
	} else if (strchr(param, '.') || !strcmp(param, "module_blacklist")) {
		module_word(p, param, val);
	}
}

void cmdline_split(char *buf, struct cmdline_words *w)
{
	char *rest = buf;

	w->n = 0;
	while (w->n < CMDLINE_MAX_WORDS &&
	       (rest = cmdline_next(rest, &w->param[w->n], &w->val[w->n]))) {
		/* Everything after "--" is for init, not for the kernel. */
		if (!strcmp(w->param[w->n], "--") && !w->val[w->n])
			break;
		w->n++;
	}
}

void cmdline_apply(const struct cmdline_words *w, struct boot_params *p)
{
	int i;

	for (i = 0; i < w->n; i++)
		apply(p, w->param[i], w->val[i]);
}

/* One way through a line (split, then apply), whoever parses it. */
void cmdline_parse_more(char *buf, struct boot_params *p)
{
	struct cmdline_words w;

	cmdline_split(buf, &w);
	cmdline_apply(&w, p);
}

static void defaults(struct boot_params *p)
{
	memset(p, 0, sizeof(*p));
	p->read_only = true;
	p->gpt_auto = true;
	p->luks = true;
	p->verity = true;
	p->lvm = true;
	p->md = true;
}

void cmdline_parse(char *buf, struct boot_params *p)
{
	defaults(p);
	cmdline_parse_more(buf, p);
}

void cmdline_parse_under(char *deflt, const struct cmdline_words *w, struct boot_params *p)
{
	cmdline_parse(deflt, p);
	cmdline_apply(w, p);
	p->builtin = true;
}

void cmdline_parse_default(char *kernel, struct cmdline_words *w, char *deflt,
			   struct boot_params *p)
{
	cmdline_split(kernel, w);
	defaults(p);
	cmdline_apply(w, p);
	if (!p->root && deflt)
		cmdline_parse_under(deflt, w, p);
}
