#include "modules/modules.h"
#include "plan/plan.h"
#include "find/devices.h"
#include "base/log.h"
#include "modules/modparse.h"
#include "net/net.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MODULES_DIR "/lib/modules"
#define MODALIAS_MAX 512
#define MAX_DEPTH 32
#define COLDPLUG_PASSES 8
#define MAX_DRIVERS 64		/* drivers matched in one walk */
#define MAX_ALIASES 1024	/* indexed; an image with more matches on the text */

struct text {
	const char *p;
	size_t n;
};

/*
 * What the module loader knows: the image's module index, what it tried,
 * and the plan it loads for. Process-wide: the kernel's modprobe is this
 * program too, with its own.
 */
static struct {
	bool on;
	int dir;			/* /lib/modules/RELEASE */
	struct text dep, alias, builtin;
	size_t naliases;		/* indexed in aliases[]; 0: match on the text */
	size_t tried[MODULES_MAX];	/* modules.dep offsets: one try each */
	int result[MODULES_MAX];
	int ntried;
	int fresh;			/* modules tried in this pass */
	int loaded, failed;
	bool in_coldplug;		/* lost events are the pass's to handle */
	/* name.param[=value], rd.modules=, blacklists: the kernel's and the built-in line's */
	const char *const *word;
	const char *const *val;
	int words;
	struct boot_plan *plan;
} m;

/* Every device's modalias is matched against them all: parse them once. */
static struct modalias_entry aliases[MAX_ALIASES];

/* The drivers one coldplug pass loads, in the image's order. */
static struct {
	size_t off[MAX_DRIVERS];	/* modules.dep offsets: the image's order */
	char name[MAX_DRIVERS][MODNAME_MAX];
	int n;
	bool full;
} todo;

/* Maps a file read-only; an empty or missing one is an empty text. */
static int map_file(const char *name, struct text *t)
{
	struct stat st;
	void *p;
	int fd = openat(m.dir, name, O_RDONLY | O_CLOEXEC);

	t->p = NULL;
	t->n = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	t->p = p;
	t->n = (size_t)st.st_size;
	return 0;
}

/* The words of the command lines that concern modules, as main() parsed them. */
static void use_module_words(const struct boot_params *p)
{
	m.word = p->modword;
	m.val = p->modval;
	m.words = p->modwords;
}

/* Whether list (a,b,c) names module name, '-' and '_' alike. */
static bool in_list(const char *list, const char *name)
{
	char got[MODNAME_MAX];
	size_t n;

	for (; list && *list; list += n + (list[n] == ',')) {
		n = strcspn(list, ",");
		if (!modname_normalize(list, n, got, sizeof(got)) && !strcmp(got, name))
			return true;
	}
	return false;
}

static bool blacklisted(const char *name)
{
	int i;

	for (i = 0; i < m.words; i++)
		if (!strcmp(m.word[i], "module_blacklist") && in_list(m.val[i], name))
			return true;
	return false;
}

/*
 * "name.param=value" words for this module, as "param=value ..." for
 * finit_module: the kernel applies them itself only to built-in code.
 * One that does not fit is left out whole: half an option is a wrong one.
 */
static void module_params(const char *name, char *out, size_t size)
{
	const char *param;
	int i;

	out[0] = '\0';
	for (i = 0; i < m.words; i++) {
		param = modparam_for(m.word[i], name);
		if (param && modparam_append(out, size, param, m.val[i]))
			warn("module %s: option %s does not fit in its %zu bytes of options: loading it without it",
			     name, m.word[i], size - 1);
	}
}

/*
 * Whether the kernel has the module loaded: finit_module() would read,
 * check and lay it out again before it said EEXIST (0.1 s for sunrpc
 * under TCG).
 */
static bool is_loaded(const char *name)
{
	char path[MODNAME_MAX + 24];
	char *c;

	fmt_buf(path, sizeof(path), "/sys/module/%s/initstate", name);
	for (c = path; *c; c++)
		if (*c == '-')
			*c = '_';	/* sysfs spells every module with '_' */
	return !access(path, F_OK);
}

static int insert(const char *name, const struct moddep *d)
{
	char path[256], params[MODPARAMS_MAX];
	long t = log_ms();
	int fd, e = 0;

	if (d->path_len >= sizeof(path))
		return -ENAMETOOLONG;
	if (is_loaded(name)) {
		m.loaded++;	/* a dependency loaded before (the kernel's modprobe is a new process) */
		return 0;
	}
	memcpy(path, d->path, d->path_len);
	path[d->path_len] = '\0';
	module_params(name, params, sizeof(params));
	fd = openat(m.dir, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0))
		e = errno == EEXIST ? 0 : -errno;
	if (fd >= 0)
		close(fd);
	if (e) {
		m.failed++;
		/* ENODEV: no hardware for it (aesni_intel on a CPU without AES-NI): not news. */
		log_msg(e == -ENODEV ? LOG_INFO : LOG_WARN,
			"cannot load module %s (%s): %s; going on without it (dmesg may say why)",
			name, path, errtext(e));
		return e;
	}
	m.loaded++;
	debug("loaded module %s in %ld ms%s%s", name, log_ms() - t, params[0] ? " " : "", params);
	return 0;
}

static int load(const char *name, int depth);

/* The dependencies first: each loads its own before itself. */
static int load_deps(const char *name, const struct moddep *d, int depth)
{
	char dep[MODNAME_MAX];
	const char *p;
	size_t pos = 0, n;
	int e;

	while (moddep_next(d, &pos, &p, &n)) {
		if (modname_from_path(p, n, dep, sizeof(dep)))
			continue;
		e = load(dep, depth + 1);
		if (e) {
			warn("module %s needs %s, which did not load: not loading %s", name, dep, name);
			return e;
		}
	}
	return 0;
}

static int load(const char *name, int depth)
{
	struct moddep d;
	size_t off;
	int i, e, slot;

	if (moddep_find(m.dep.p, m.dep.n, name, &d, &off))
		return modbuiltin_has(m.builtin.p, m.builtin.n, name) ? 0 : -ENOENT;
	for (i = 0; i < m.ntried; i++)
		if (m.tried[i] == off)
			return m.result[i];
	if (blacklisted(name)) {
		debug("not loading module %s: module_blacklist= names it", name);
		return -EPERM;
	}
	if (depth > MAX_DEPTH)
		return -ELOOP;
	if (m.ntried >= MODULES_MAX) {
		/* handoff-modules puts no more in an image: a hand-made one may. */
		warn("not loading module %s: the image has more than %d modules (MODULES_MAX); build it with fewer (MODULES=...)",
		     name, MODULES_MAX);
		return -E2BIG;
	}
	slot = m.ntried++;
	m.tried[slot] = off;
	m.result[slot] = -ELOOP;	/* until done: a dependency loop fails */
	m.fresh++;
	e = load_deps(name, &d, depth);
	if (!e)
		e = insert(name, &d);
	m.result[slot] = e;
	return e;
}

/* ctx: a count of the modules the alias matched, or NULL. */
static int load_match(const char *name, void *ctx)
{
	if (ctx)
		++*(int *)ctx;
	load(name, 0);
	return 0;
}

static void each_alias(const char *modalias, modalias_fn fn, void *ctx)
{
	if (m.naliases)
		modalias_each_entry(aliases, m.naliases, modalias, fn, ctx);
	else
		modalias_each(m.alias.p, m.alias.n, modalias, fn, ctx);
}

static void load_alias(const char *modalias)
{
	each_alias(modalias, load_match, NULL);
}

/* Whether module offset off (in modules.dep) was tried already. */
static bool was_tried(size_t off)
{
	int i;

	for (i = 0; i < m.ntried; i++)
		if (m.tried[i] == off)
			return true;
	return false;
}

/*
 * A driver a device present matches, kept in the image's order (the order
 * make initramfs took the modules in: the default set lists virtual disks,
 * NVMe and AHCI before IDE, USB and MMC). Built-in ones are skipped.
 */
static int want_driver(const char *name, void *ctx)
{
	struct moddep d;
	size_t off;
	int i;

	(void)ctx;
	if (moddep_find(m.dep.p, m.dep.n, name, &d, &off) || was_tried(off))
		return 0;
	for (i = 0; i < todo.n; i++)
		if (todo.off[i] == off)
			return 0;
	if (todo.n >= MAX_DRIVERS) {
		todo.full = true;	/* the next pass takes it */
		return 0;
	}
	for (i = todo.n++; i > 0 && todo.off[i - 1] > off; i--) {
		todo.off[i] = todo.off[i - 1];
		str_copy(todo.name[i], todo.name[i - 1], MODNAME_MAX);
	}
	todo.off[i] = off;
	str_copy(todo.name[i], name, MODNAME_MAX);
	return 0;
}

static int each_device(int dir, const char *name, unsigned char type, void *ctx)
{
	char path[300], alias[MODALIAS_MAX];
	long n;

	(void)type;
	(void)ctx;
	fmt_buf(path, sizeof(path), "%s/modalias", name);
	n = read_text_at(dir, path, alias, sizeof(alias));
	if (n <= 0)
		return 0;
	alias[strcspn(alias, "\n")] = '\0';
	each_alias(alias, want_driver, NULL);
	return 0;
}

/*
 * A device's modalias starts with its bus's name ("pci:", "virtio:"),
 * except where firmware describes it ("acpi:", "of:" on platform, i2c,
 * spi...): a bus no alias of the image can match is not read at all.
 */
static bool bus_wanted(const char *bus)
{
	const char *line, *pat, *mod;
	size_t pos = 0, n, pn, mn, bl = strlen(bus);

	while (text_line(m.alias.p, m.alias.n, &pos, &line, &n)) {
		if (modalias_parse(line, n, &pat, &pn, &mod, &mn))
			continue;
		if (pn > bl && !memcmp(pat, bus, bl) && (pat[bl] == ':' || pat[bl] == '*'))
			return true;
		if (strchr("*?[", pat[0]) || (pn > 4 && !memcmp(pat, "acpi", 4)) ||
		    (pn > 3 && !memcmp(pat, "of:", 3)))
			return true;
	}
	return false;
}

static int each_bus(int dir, const char *name, unsigned char type, void *ctx)
{
	char path[300];
	int fd;

	(void)type;
	(void)ctx;
	if (!bus_wanted(name))
		return 0;
	fmt_buf(path, sizeof(path), "%s/devices", name);
	fd = openat(dir, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for_each_dirent(fd, each_device, NULL);
	close(fd);
	return 0;
}

/*
 * The drivers the devices present need, into todo. Every device with a
 * driver to find is on a bus: /sys/bus/BUS/devices has them all, fewer
 * entries to read than the whole of /sys/devices.
 */
static int find_drivers(void)
{
	int fd = open("/sys/bus", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	todo.n = 0;
	todo.full = false;
	if (fd < 0) {
		warn("cannot read %s: %s; loading no drivers for the devices present", "/sys/bus",
		     errtext(errno));
		return -1;
	}
	for_each_dirent(fd, each_bus, NULL);
	close(fd);
	return 0;
}

/*
 * Whether the root device is there (a look, not a wait: devices.c waits),
 * when the plan lets coldplug stop at it: a plain device root.
 */
static bool root_present(void)
{
	if (m.plan->coldplug_all || m.plan->root_error)
		return false;
	/* An NFS root needs a network interface (net/ waits for its link), not a disk. */
	if (m.plan->root.kind == ROOT_NFS)
		return net_interface_present(m.plan);
	return device_present(&m.plan->root, &m.plan->found);
}

/* With rd.debug: which drivers the boot left to the real system. */
static void note_left(int from)
{
	char names[256] = "";
	int i;

	for (i = from; i < todo.n; i++) {
		str_append(names, i > from ? ", " : "", sizeof(names));
		str_append(names, todo.name[i], sizeof(names));
	}
	debug("the root %s is there: not loading %d more drivers (%s); the real system loads what it needs (rd.coldplug=all loads them here)",
	      m.plan->root.kind == ROOT_NFS ? "network's interface" : "device", todo.n - from, names);
}

/*
 * Loads the drivers in todo, in order, while the root device is not there
 * (looking again after each block uevent; without a socket, after each
 * driver). A driver's probe may add devices (virtio_pci adds the virtio
 * ones), announced by uevents before finit_module returns: their drivers
 * load from the events. Returns UEVENT_* bits, with STOPPED when it stopped.
 */
#define STOPPED 0x100
static int load_drivers(struct uevents *u)
{
	int i, change = UEVENT_BLOCK | UEVENT_NET, seen = 0;

	for (i = 0; i < todo.n; i++) {
		if ((u->fd < 0 || change & (UEVENT_BLOCK | UEVENT_NET)) && root_present()) {
			note_left(i);
			return seen | STOPPED;
		}
		load(todo.name[i], 0);
		change = uevents_drain(u);
		seen |= change;
	}
	return seen;
}

/*
 * The drivers for the devices present, first to last in the image's order,
 * until the root device is there; the walk again only when events were
 * lost (or, without a socket, while drivers loaded: they add devices).
 */
static void coldplug(struct uevents *u)
{
	int pass, r;

	m.in_coldplug = true;
	uevents_listen(u);	/* before the first driver: its devices are announced */
	/*
	 * What waits for devices looks before the first driver: the storage
	 * scan loads its stack's modules and prepares the root's mapping
	 * while no disk is there yet (storage/scan.c).
	 */
	if (u->tick)
		u->tick(u->ctx);
	for (pass = 0; pass < COLDPLUG_PASSES && !find_drivers() && todo.n; pass++) {
		m.fresh = 0;
		r = load_drivers(u);
		if (r & STOPPED || (u->fd < 0 ? !m.fresh : !(r & UEVENT_LOST) && !todo.full))
			break;
	}
	m.in_coldplug = false;
}

void modules_uevent(void *ctx, const char *msg, size_t n)
{
	char alias[MODALIAS_MAX];
	const char *p;
	size_t pos = 0, len;

	(void)ctx;
	if (!m.on)
		return;
	/* Lost events, or no socket: the devices present say what they need. */
	if (!msg) {
		if (!m.in_coldplug && !find_drivers())
			load_drivers(&(struct uevents){ .fd = -1 });
		return;
	}
	while (uevent_modalias(msg, n, &pos, &p, &len)) {
		if (!len)
			continue;
		if (len >= sizeof(alias)) {
			warn("MODALIAS=%.40s... is over %zu bytes: no driver loaded for it",
			     p, sizeof(alias) - 1);
			continue;
		}
		memcpy(alias, p, len);
		alias[len] = '\0';
		load_alias(alias);
	}
}

int modules_load_alias(const char *alias)
{
	int found = 0;

	if (!m.on)
		return -ENOSYS;
	each_alias(alias, load_match, &found);
	return found ? 0 : -ENOENT;
}

int modules_load_name(const char *name)
{
	if (!m.on)
		return -ENOSYS;
	return load(name, 0);
}

bool modules_has(const char *name)
{
	struct moddep d;
	size_t off;

	return m.on && !moddep_find(m.dep.p, m.dep.n, name, &d, &off);
}

int modules_load_fs(const char *type)
{
	char alias[80];

	fmt_buf(alias, sizeof(alias), "fs-%s", type);
	return modules_load_alias(alias);
}

void modules_hint_fs(const char *type)
{
	struct utsname u;

	if (uname(&u))
		str_copy(u.release, "RELEASE", sizeof(u.release));
	err("hint: the image has no module for %s (fs-%s): build it with make initramfs KVER=%s MODULES=+%s (or MODULES=host,%s)",
	    type, type, u.release, type, type);
}

/* Modules from rd.modules=a,b (every occurrence counts). */
static void load_named(void)
{
	char name[MODNAME_MAX];
	const char *list;
	size_t n;
	int i;

	for (i = 0; i < m.words; i++) {
		if (strcmp(m.word[i], "rd.modules"))
			continue;
		for (list = m.val[i]; list && *list; list += n + (list[n] == ',')) {
			n = strcspn(list, ",");
			if (modname_normalize(list, n, name, sizeof(name)))
				continue;
			if (load(name, 0) == -ENOENT)
				warn("rd.modules=%s: module %s is not in the image and not built in; add it with make initramfs KVER=... MODULES=+%s",
				     m.val[i], name, name);
		}
	}
}

/*
 * An image without modules (the common case) has no /lib/modules: that
 * one failed open is all it costs. Modules for another kernel: said once.
 */
static int open_modules(void)
{
	struct utsname u;
	char path[128];
	int top = open(MODULES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;

	if (top < 0)
		return -ENOENT;
	if (uname(&u)) {
		close(top);
		return -errno;
	}
	m.dir = openat(top, u.release, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(top);
	fmt_buf(path, sizeof(path), "%s/%s", MODULES_DIR, u.release);
	if (m.dir < 0) {
		warn("the image has no modules for this kernel (%s is missing): loading none", path);
		notice("hint: build the image for this kernel: make initramfs KVER=%s", u.release);
		return -ENOENT;
	}
	e = map_file("modules.dep", &m.dep);
	if (!e)
		e = map_file("modules.alias", &m.alias);
	if (!e) {
		map_file("modules.builtin", &m.builtin);
		m.naliases = modalias_index(m.alias.p, m.alias.n, aliases, MAX_ALIASES);
		if (m.naliases > MAX_ALIASES)
			m.naliases = 0;
	}
	if (e) {
		err("cannot read %s/modules.dep or modules.alias: %s; loading no modules", path,
		    errtext(e));
		close(m.dir);
	}
	return e;
}

int modprobe_main(int argc, char **argv)
{
	/* The kernel's modprobe is a process of its own: the plan, read silently. */
	static struct boot_plan plan;
	const char *name = argc > 1 ? argv[argc - 1] : "";
	int before;

	log_open();
	if (open_modules())
		return 1;
	m.on = true;
	plan_init(&plan);
	plan_read(&plan, false);
	log_set_debug(plan.params.debug);
	use_module_words(&plan.params);
	if (!load(name, 0))
		return 0;
	before = m.loaded;
	load_alias(name);
	return m.loaded > before ? 0 : 1;
}

void load_modules(struct boot_plan *plan)
{
	long t = log_ms();

	m.plan = plan;
	if (!m.on && open_modules())
		return;
	m.on = true;
	use_module_words(&plan->params);
	load_named();
	coldplug(&plan->events);
	debug("modules: %d loaded, %d failed, in %ld ms", m.loaded, m.failed, log_ms() - t);
}
