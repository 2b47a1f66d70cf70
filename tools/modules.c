/*
 * handoff-modules: picks kernel modules for an image. Reads depmod's
 * files in a modules directory, resolves the chosen modules and all they
 * depend on (modules.dep, and modules.softdep "pre:"), checks that every
 * module is built for the kernel release (and the kernel image, if given,
 * is that release), decompresses .ko.xz/.ko.zst/.ko.gz, writes the image's
 * modules.dep, modules.alias (only the aliases of the modules taken) and
 * modules.builtin into a staging directory, and prints the mkcpio list
 * lines that put them all in /lib/modules/RELEASE. With -F, the firmware
 * the modules name (modinfo's firmware=) goes into /lib/firmware; with -R,
 * why each module and firmware file is there; with -C, a check that the
 * image can boot this machine (exit 3 when it cannot, saying why).
 */
#include "cipherspec.h"
#include "hostonly.h"
#include "hostparse.h"
#include "luks/luks.h"
#include "modules/modparse.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: handoff-modules [-k RELEASE] [-d DIR] [-K KERNEL] [-m SPEC] -o STAGE\n"
	"\n"
	"  -k RELEASE  kernel release (uname -r); modules from /lib/modules/RELEASE\n"
	"  -d DIR      the modules directory (for a kernel built elsewhere); the\n"
	"              release is then DIR's name unless -k gives it\n"
	"  -K KERNEL   the kernel image (bzImage): its version must be RELEASE\n"
	"  -m SPEC     which modules: \"+a,+b,-c\" adds to and removes from the\n"
	"              default set; \"a,b\" (no signs) is exactly these; \"\" the default;\n"
	"              \"host\" (alone or among plain names) the modules this machine's\n"
	"              root needs: the drivers on the sysfs path of the device holding /\n"
	"              and its filesystem, matched by modalias in RELEASE's modules.alias;\n"
	"              \"host,+a,-b\" changes that set as signs change the default one\n"
	"  -o STAGE    directory for the image's index files and decompressed modules\n"
	"  -L          add the modules a LUKS root needs (dm_crypt and its ciphers)\n"
	"  -c CIPHER   (repeatable) add the modules of a dm-crypt cipher spec\n"
	"              (serpent-xts-plain64, xchacha12,aes-adiantum-plain64, capi:...):\n"
	"              every provider of each crypto- name it needs; implies -L\n"
	"  -H DEVICE   (repeatable) a LUKS container of the root (a device or header\n"
	"              file, opened read-only): the modules of its data segment's and\n"
	"              keyslots' ciphers; with -C, the check that the init can open a\n"
	"              keyslot and the kernel has the data's cipher; implies -L\n"
	"  -D HEADER   (repeatable) the same for a detached header (crypttab header=,\n"
	"              cryptsetup --header): its data segment is on another device\n"
	"  -N          add the drivers of common NICs and the NFS client (NET=1)\n"
	"  -l          list the default set and exit\n"
	"  -F DIR      add the firmware the modules name (modinfo firmware=) from DIR\n"
	"              (\"\": $HANDOFF_FIRMWARE, else /lib/firmware) as /lib/firmware/NAME;\n"
	"              a missing one is a warning naming the module\n"
	"  -R FILE     write why each module and firmware file is taken, a line each:\n"
	"              module<TAB>NAME<TAB>REASON, firmware<TAB>PATH<TAB>for module NAME,\n"
	"              missing-firmware<TAB>PATH<TAB>for module NAME\n"
	"  -C          check the image against this machine: the root's filesystem, the\n"
	"              drivers bound to the devices under the root and the keyboards,\n"
	"              their firmware, the -H containers; each miss said with its fix,\n"
	"              exit status 3\n"
	"              (nothing on standard output)\n"
	"\n"
	"Prints mkcpio list lines on standard output. Every dependency is added.\n"
	"\"host\" takes the keyboards' drivers too (SYSFS/class/input).\n"
	"For \"host\", HANDOFF_SYSFS (default /sys) and HANDOFF_MOUNTINFO (default\n"
	"/proc/self/mountinfo) name where to look (tests describe a machine there).\n"
	"A module of the default set that this kernel lacks or has built in is\n"
	"skipped; one named in SPEC that it lacks is an error.\n";

/*
 * Common root storage (virtual machines and clouds, SATA/AHCI and IDE,
 * SCSI disks and CD-ROMs, NVMe, USB storage, MMC/SD) and root filesystems.
 */
static const char *const default_set[] = {
	"virtio_pci", "virtio_blk", "virtio_scsi", "xen_blkfront", "hv_storvsc", "vmw_pvscsi",
	"nvme", "ahci", "ata_piix", "ata_generic", "sd_mod", "sr_mod",
	"usb_storage", "uas", "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd",
	"mmc_block", "sdhci_pci", "sdhci_acpi",
	"ext4", "xfs", "btrfs", "vfat", "f2fs", "squashfs", "erofs", "isofs", "overlay",
	/* what vfat asks the kernel for (codepage, iocharset) */
	"nls_cp437", "nls_ascii", "nls_iso8859_1", "nls_utf8",
	/*
	 * A keyboard, for a passphrase prompt or a rescue shell on any machine
	 * (no keyboard there is the most common broken generic image): PS/2
	 * (most distros build these two in: then skipped), Hyper-V's, and USB
	 * HID, whose host controllers are above. The HID drivers of common
	 * keyboards follow only when the kernel has usbhid (hid_set): without
	 * a HID transport they could drive nothing. Internal I2C-HID keyboards
	 * (some laptops) need their I2C controller's drivers too: not here.
	 */
	"i8042", "atkbd", "hyperv_keyboard", "usbhid",
};

/* HID keyboards: the generic driver and the vendors' with their own quirks. */
static const char *const hid_set[] = {
	"hid_generic", "hid_apple", "hid_microsoft", "hid_logitech_dj", "hid_logitech_hidpp",
	"hid_lenovo", "hid_cherry",
};

/*
 * A LUKS root (LUKS=, or MODULES=host on an encrypted root): device-mapper,
 * the ciphers and hashes of cryptsetup's defaults and their common
 * alternatives (aes-xts-plain64, aes-cbc-essiv:sha256; SHA-1/256/512),
 * the CPU's fast versions where it has them, and AF_ALG for the keyslots.
 * dm_mod and dm_crypt must be there (modules or built in); the others
 * may be built in or absent.
 */
static const char *const luks_set[] = {
	"aes_generic", "aesni_intel", "aes_ce_blk", "aes_neon_blk", "aes_arm", "aes_arm_bs",
	"xts", "cbc", "ecb", "essiv",
	"sha1_generic", "sha256_generic", "sha512_generic", "sha1_ssse3", "sha256_ssse3",
	"sha512_ssse3", "sha2_ce", "sha256_arm64", "sha512_arm64", "sha256_arm", "sha512_arm",
	"af_alg", "algif_skcipher", "algif_hash",
};

/*
 * A network root (NET=1): the NICs of virtual machines and clouds, and the
 * common wired ones of PCs and servers, and the NFS client (the kernel asks
 * for nfs, then nfsv3 or nfsv4, at the root's mount); those this kernel
 * lacks are left out.
 */
static const char *const net_set[] = {
	"virtio_net", "e1000", "e1000e", "igb", "igc", "ixgbe", "r8169", "tg3", "bnx2",
	"vmxnet3", "hv_netvsc", "xen_netfront", "ena", "gve", "nfs", "nfsv3", "nfsv4",
};

struct file {
	char *p;
	size_t n;
};

struct module {
	char name[MODNAME_MAX];
	char path[512];		/* as in modules.dep */
	char image_path[512];	/* without the compression suffix */
	char deps[4096];	/* the image's dependency paths */
	char reason[PATH_MAX + 128];	/* why it is taken (-R): the first reason */
};

/* A firmware file a module names (modinfo firmware=). */
struct firmware {
	char name[256];		/* below /lib/firmware */
	int mod;		/* the first module naming it */
	bool present;
	const char *tool;	/* the decompressor of NAME.xz or NAME.zst */
	char src[PATH_MAX];	/* DIR/NAME(.xz, .zst), resolved */
};

/* A device's driver bound on this machine (-C): module, and what the device is for. */
struct bound {
	char module[MODNAME_MAX];
	enum host_kind kind;
	char subject[256];
	char dev[PATH_MAX];
};

static const char *release, *dir, *stage, *fwdir;
static struct file dep, alias, builtin, softdep, binfo;
static struct module mods[MODULES_MAX];
static int nmods;
static struct firmware *fws;
static int nfws;
static struct bound *bounds;
static int nbounds;
static bool checking, fw_in_image, root_known;
static struct host_root root;
static const char *removes;	/* MODULES=...,-a: a is left out of every set (not of dependencies) */
static FILE *list_fp;	/* the list, printed at the end: nothing when the check refuses */

/* One line on stderr: "handoff-modules: " KIND, then the message. */
static void vsay(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "handoff-modules: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * The whole output of argv (a decompressor) into f: -EIO when it fails
 * (it said why on stderr), else 0 or the read's -errno.
 */
static int read_command(char *const argv[], struct file *f)
{
	int pfd[2], status, e;
	pid_t pid;

	f->p = NULL;
	f->n = 0;
	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		e = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return e;
	}
	if (!pid) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "handoff-modules: cannot run %s: %s (install it: tools/install-deps)\n",
			argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	e = read_fd_all(pfd[0], &f->p, &f->n);
	close(pfd[0]);
	/* reaped in any case; a failed read first ends the writer with SIGPIPE */
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		if (!e)
			e = -EIO;
	}
	if (e) {
		free(f->p);
		f->p = NULL;
		f->n = 0;
	}
	return e;
}

static const char *const compressors[][2] = {
	{ ".xz", "xz" }, { ".zst", "zstd" }, { ".gz", "gzip" },
};

/* The decompressor for path, or NULL for a plain .ko. */
static const char *compressor(const char *path, size_t *suffix)
{
	size_t i, n = strlen(path), e;

	for (i = 0; i < sizeof(compressors) / sizeof(compressors[0]); i++) {
		e = strlen(compressors[i][0]);
		if (n > e && !strcmp(path + n - e, compressors[i][0])) {
			*suffix = e;
			return compressors[i][1];
		}
	}
	*suffix = 0;
	return NULL;
}

static void image_path(const char *path, size_t n, char *out, size_t size)
{
	char p[512];
	size_t suffix;

	if (n >= sizeof(p))
		die("%s/modules.dep: path too long: %.*s", dir, (int)n, path);
	memcpy(p, path, n);
	p[n] = '\0';
	compressor(p, &suffix);
	snprintf(out, size, "%.*s", (int)(n - suffix), p);
}

/* Room for element n of an array of *cap: doubled when full. */
static void *grow(void *p, int n, int *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, size * (size_t)*cap);
	if (!p)
		die("out of memory");
	return p;
}

static struct module *find_taken(const char *name)
{
	int i;

	for (i = 0; i < nmods; i++)
		if (!strcmp(mods[i].name, name))
			return &mods[i];
	return NULL;
}

static bool is_builtin(const char *name)
{
	return modbuiltin_has(builtin.p, builtin.n, name);
}

static int take(const char *name, const char *why, const char *reason, int depth);

struct softdep_ctx {
	const char *of;
	int depth;
};

/*
 * fn for every module with an alias matching name, both with '-' as '_'
 * (as modprobe compares them; the name is normalized already).
 */
static void alias_each_normalized(const char *name, modalias_fn fn, void *ctx)
{
	const char *line, *pat, *mod;
	char np[256], mname[MODNAME_MAX];
	size_t pos = 0, n, pn, mn, i;
	int brackets;

	while (text_line(alias.p, alias.n, &pos, &line, &n)) {
		if (modalias_parse(line, n, &pat, &pn, &mod, &mn) || pn >= sizeof(np) ||
		    modname_normalize(mod, mn, mname, sizeof(mname)))
			continue;
		for (i = 0, brackets = 0; i < pn; i++) {
			brackets += pat[i] == '[' ? 1 : pat[i] == ']' ? -1 : 0;
			np[i] = pat[i] == '-' && brackets <= 0 ? '_' : pat[i];
		}
		if (glob_match(np, pn, name))
			fn(mname, ctx);
	}
}

static int take_softdep_alias(const char *name, void *ctx)
{
	const struct softdep_ctx *c = ctx;
	char reason[MODNAME_MAX + 48];

	snprintf(reason, sizeof(reason), "a soft dependency of %s (an alias)", c->of);
	take(name, NULL, reason, c->depth + 1);
	return 0;
}

static int take_softdep(const char *name, void *ctx)
{
	const struct softdep_ctx *c = ctx;
	char reason[MODNAME_MAX + 32];

	snprintf(reason, sizeof(reason), "a soft dependency of %s", c->of);
	/*
	 * A soft dependency may name an alias, not a module: Debian's ext4
	 * has "softdep ext4 pre: crypto-crc32c", and without crc32c in the
	 * image its mount fails ("Cannot load crc32c driver"). Every module
	 * with that alias is taken, as modprobe would have the choice.
	 */
	if (take(name, NULL, reason, c->depth + 1) == -ENOENT && !is_builtin(name))
		alias_each_normalized(name, take_softdep_alias, ctx);
	return 0;
}

/* softdep NAME pre: A B post: C -> the "pre:" ones load first. */
static void take_softdeps(const char *name, int depth)
{
	struct softdep_ctx c = { name, depth };

	softdep_each_pre(softdep.p, softdep.n, name, take_softdep, &c);
}

/*
 * Adds name after everything it depends on. why is NULL for modules that
 * may be missing (defaults, soft dependencies); reason is what -R says.
 * Returns 0, or -ENOENT when it is built in or absent.
 */
static int take(const char *name, const char *why, const char *reason, int depth)
{
	struct moddep d;
	struct module *m;
	const char *p;
	char dname[MODNAME_MAX], ip[512], dreason[MODNAME_MAX + 32];
	size_t off, pos = 0, n;

	if (find_taken(name))
		return 0;
	if (depth > 64)
		die("module %s: dependency loop in %s/modules.dep", name, dir);
	if (moddep_find(dep.p, dep.n, name, &d, &off)) {
		if (why && !is_builtin(name))
			die("module %s (%s) is not in %s/modules.dep and not built into the kernel: check the name (modinfo %s)",
			    name, why, dir, name);
		return -ENOENT;
	}
	snprintf(dreason, sizeof(dreason), "a dependency of %s", name);
	while (moddep_next(&d, &pos, &p, &n)) {
		if (modname_from_path(p, n, dname, sizeof(dname)))
			die("%s/modules.dep: %.*s is not a module file", dir, (int)n, p);
		if (take(dname, "a dependency", dreason, depth + 1))
			die("module %s needs %s, which is not in %s", name, dname, dir);
	}
	take_softdeps(name, depth);
	if (nmods >= MODULES_MAX)
		die("module %s: more than %d modules (MODULES_MAX, the most the init tries): choose fewer with MODULES=...",
		    name, MODULES_MAX);
	m = &mods[nmods];
	modname_normalize(name, strlen(name), m->name, sizeof(m->name));
	snprintf(m->reason, sizeof(m->reason), "%s", reason);
	snprintf(m->path, sizeof(m->path), "%.*s", (int)d.path_len, d.path);
	if (m->path[0] == '/' || strstr(m->path, ".."))
		die("%s/modules.dep: %s: only paths inside the directory are supported", dir, m->path);
	image_path(d.path, d.path_len, m->image_path, sizeof(m->image_path));
	for (pos = 0; moddep_next(&d, &pos, &p, &n);) {
		size_t used = strlen(m->deps);

		image_path(p, n, ip, sizeof(ip));
		if ((size_t)snprintf(m->deps + used, sizeof(m->deps) - used, " %s", ip) >=
		    sizeof(m->deps) - used)
			die("module %s: too many dependencies", name);
	}
	nmods++;
	return 0;
}

static bool spec_has_signs(const char *spec)
{
	return spec[0] == '+' || spec[0] == '-' || strstr(spec, ",+") || strstr(spec, ",-");
}

static bool spec_removes(const char *spec, const char *name)
{
	char want[MODNAME_MAX];
	const char *s;
	size_t n;

	for (s = spec; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (n > 1 && s[0] == '-' && !modname_normalize(s + 1, n - 1, want, sizeof(want)) &&
		    !strcmp(want, name))
			return true;
	}
	return false;
}

/* -R's words for what a device or filesystem found on this machine is. */
static void host_reason(const struct host_found *f, char *out_r, size_t size)
{
	static const char *const what[] = {
		[HOST_ROOT_DEVICE] = "the root's device driver",
		[HOST_ROOT_STACK] = "the root's device-mapper or md stack",
		[HOST_ROOT_NIC] = "the root's network interface driver",
		[HOST_ROOT_NFS] = "the root's NFS client",
		[HOST_ROOT_FS] = "the root's filesystem",
		[HOST_KEYBOARD] = "the console's keyboard",
	};

	snprintf(out_r, size, "%s (%s)", what[f->kind],
		 f->kind == HOST_KEYBOARD ? f->subject : f->why);
}

static void want_host(const char *name, const struct host_found *f, void *ctx)
{
	char n[MODNAME_MAX], reason[PATH_MAX + 128];

	(void)ctx;
	if (modname_normalize(name, strlen(name), n, sizeof(n)) || find_taken(n))
		return;
	if (removes && spec_removes(removes, n)) {
		fprintf(stderr, "handoff-modules: MODULES=host: %s for %s: left out, as -%s says\n", n,
			f->why, n);
		return;
	}
	if (f->kind == HOST_KEYBOARD)
		fprintf(stderr, "handoff-modules: MODULES=host: %s for the keyboard %s: %s\n", n,
			f->subject, f->why);
	else
		fprintf(stderr, "handoff-modules: MODULES=host: %s for %s\n", n, f->why);
	host_reason(f, reason, sizeof(reason));
	take(n, f->why, reason, 0);
}

/*
 * -C: a driver bound here, for the check after the choice. One built into
 * the running kernel names no module: when RELEASE has a module of the
 * driver's name, that is the one (virtio-pci is virtio_pci); else there
 * is no telling, and nothing to check.
 */
static void note_bound(const char *module, const char *driver, const struct host_found *f,
		       void *ctx)
{
	static int cap;
	char name[MODNAME_MAX];
	struct moddep d;
	struct bound *b;
	size_t off;
	int i;

	(void)ctx;
	if (modname_normalize(module ? module : driver, strlen(module ? module : driver), name,
			      sizeof(name)))
		return;
	if (!module && moddep_find(dep.p, dep.n, name, &d, &off))
		return;
	for (i = 0; i < nbounds; i++)
		if (!strcmp(bounds[i].module, name) && !strcmp(bounds[i].dev, f->why))
			return;
	bounds = grow(bounds, nbounds, &cap, sizeof(*bounds));
	b = &bounds[nbounds++];
	memset(b, 0, sizeof(*b));
	snprintf(b->module, sizeof(b->module), "%s", name);
	b->kind = f->kind;
	snprintf(b->subject, sizeof(b->subject), "%s", f->subject ? f->subject : "");
	snprintf(b->dev, sizeof(b->dev), "%s", f->why);
}

static const char *host_sysfs(void)
{
	const char *sysfs = getenv("HANDOFF_SYSFS");

	return sysfs ? sysfs : "/sys";
}

static const char *host_mountinfo(void)
{
	const char *mi = getenv("HANDOFF_MOUNTINFO");

	return mi ? mi : "/proc/self/mountinfo";
}

/*
 * MODULES=host: this machine's root and keyboards. The drivers are matched
 * by the devices' modalias in RELEASE's own modules.alias, so an image for
 * another kernel than the running one gets that kernel's modules for the
 * same hardware (and none where that kernel has the driver built in).
 */
static void choose_host(void)
{
	struct host_cb cb = { "MODULES=host", want_host, checking ? note_bound : NULL, NULL };
	struct utsname u;

	if (host_root_modules(host_sysfs(), host_mountinfo(), alias.p, alias.n, &cb, &root))
		die("MODULES=host: cannot tell which modules this machine's root needs (see above)");
	root_known = true;
	host_keyboards(host_sysfs(), alias.p, alias.n, &cb);
	if (!getenv("HANDOFF_SYSFS") && !uname(&u) && strcmp(u.release, release))
		fprintf(stderr, "handoff-modules: MODULES=host: this machine runs %s, the image is for %s: its drivers were matched by their devices' modalias in %s's modules.alias\n",
			u.release, release, release);
}

/* The default set, and the HID keyboards' drivers when the kernel has a HID transport. */
static void choose_default(const char *spec)
{
	size_t i;

	for (i = 0; i < sizeof(default_set) / sizeof(default_set[0]); i++)
		if (!spec_removes(spec, default_set[i]))
			take(default_set[i], NULL, "the default set", 0);
	if (!find_taken("usbhid"))
		return;
	for (i = 0; i < sizeof(hid_set) / sizeof(hid_set[0]); i++)
		if (!spec_removes(spec, hid_set[i]))
			take(hid_set[i], NULL, "the default set", 0);
}

static void choose(const char *spec)
{
	char name[MODNAME_MAX];
	bool signs = spec_has_signs(spec), host = false;
	const char *s;
	size_t n;

	for (s = spec; signs && *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (n == 5 && !memcmp(s + 1, "host", 4))
			die("MODULES=%s: host is a set of its own, not a module to add or remove: MODULES=host, or host,NAME,... for more",
			    spec);
		/* host,+a,-b: host's set changed as the default set would be */
		if (n == 4 && !memcmp(s, "host", 4)) {
			host = true;
			continue;
		}
		if (n && s[0] != '+' && s[0] != '-')
			die("MODULES=%s: mix of signed and unsigned names: use +name and -name to change the default set (or host's: host,+name,-name), or plain names for exactly those",
			    spec);
	}
	if ((signs && !host) || !*spec)
		choose_default(spec);
	if (signs)
		removes = spec;
	for (s = spec; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (!n || s[0] == '-')
			continue;
		if (s[0] == '+') {
			s++;
			n--;
		}
		if (n == 4 && !memcmp(s, "host", 4)) {
			choose_host();
			continue;
		}
		if (modname_normalize(s, n, name, sizeof(name)))
			die("MODULES=%s: bad module name '%.*s'", spec, (int)n, s);
		if (take(name, "named in MODULES", "named in --modules", 0) && is_builtin(name))
			fprintf(stderr, "handoff-modules: %s is built into this kernel: nothing to add\n",
				name);
	}
}

/*
 * A module a set would take, unless MODULES= says -NAME: the user's word
 * wins (a module known to misbehave on the machine); what a taken module
 * depends on still comes with it.
 */
static void take_optional(const char *name, const char *reason)
{
	if (removes && spec_removes(removes, name)) {
		if (!find_taken(name))
			fprintf(stderr, "handoff-modules: %s for %s: left out, as -%s says\n", name, reason,
				name);
		return;
	}
	take(name, NULL, reason, 0);
}

static void choose_luks(void)
{
	size_t i;

	take("dm_mod", "a LUKS root", "a LUKS root", 0);
	take("dm_crypt", "a LUKS root", "a LUKS root", 0);
	for (i = 0; i < sizeof(luks_set) / sizeof(luks_set[0]); i++)
		take_optional(luks_set[i], "a LUKS root");
}

/*
 * -H: a LUKS container of the root, read with the init's own reader. Its
 * ciphers' modules are taken; the check (-C) then asks the init's own
 * keyslot tests and the kernel's crypto names of its data segment.
 */
struct container {
	const char *dev;
	bool detached;		/* -D: a detached header */
	enum { HDR_UNREAD, HDR_READ, HDR_REFUSED } state;
	struct luks_volume v;
};

#define CONTAINERS_MAX 16
static struct container *containers[CONTAINERS_MAX];
static int ncontainers;
static const char *cipher_specs[CONTAINERS_MAX];
static int nciphers;

static bool builtin_alias(const char *want);

/* The common set, when a container's ciphers are not known. */
static const char luks_set_words[] = "the common set (AES in XTS and CBC, ESSIV, SHA-1/256/512)";

struct cipher_take {
	const char *reason;
	const char *name;
};

static int take_cipher_provider(const char *name, void *ctx)
{
	const struct cipher_take *c = ctx;
	char reason[PATH_MAX + 128];

	snprintf(reason, sizeof(reason), "%s: crypto-%s", c->reason, c->name);
	take_optional(name, reason);
	return 0;
}

/* "crypto-NAME" as modprobe compares it: '-' as '_'. */
static void crypto_alias(const char *name, char *out, size_t size)
{
	char *p;

	snprintf(out, size, "crypto-%s", name);
	for (p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* Built in: a module of that name (cbc, xts), or a built-in module with the alias. */
static bool crypto_builtin(const char *name)
{
	char a[CIPHER_API_MAX + 8];

	snprintf(a, sizeof(a), "crypto-%s", name);
	return is_builtin(name) || builtin_alias(a);
}

static bool image_has_crypto(const char *name, void *ctx);

/* cipher_has_fn for the choice: every module with the alias is taken. */
static bool take_crypto(const char *name, void *ctx)
{
	struct cipher_take c = { ctx, name };
	char a[CIPHER_API_MAX + 8];

	crypto_alias(name, a, sizeof(a));
	alias_each_normalized(a, take_cipher_provider, &c);
	return image_has_crypto(name, NULL);
}

struct alias_found {
	bool taken, any;
	char first[MODNAME_MAX];
};

static int crypto_provider(const char *name, void *ctx)
{
	struct alias_found *f = ctx;

	if (find_taken(name))
		f->taken = true;
	if (!f->any)
		snprintf(f->first, sizeof(f->first), "%s", name);
	f->any = true;
	return 0;
}

/* cipher_has_fn for the check: in the image (a module taken), or built in. */
static bool image_has_crypto(const char *name, void *ctx)
{
	struct alias_found f = { false, false, "" };
	char a[CIPHER_API_MAX + 8];

	(void)ctx;
	crypto_alias(name, a, sizeof(a));
	alias_each_normalized(a, crypto_provider, &f);
	return f.taken || crypto_builtin(name);
}

/* The modules of one cipher spec; false when it is no spec dm-crypt takes. */
static bool take_cipher(const char *spec, const char *reason)
{
	char api[CIPHER_API_MAX], iv[CIPHER_API_MAX], missing[512];

	if (cipher_spec_api(spec, api, sizeof(api), iv, sizeof(iv)))
		return false;
	cipher_alg_walk(api, take_crypto, (void *)reason, missing, sizeof(missing));
	if (iv[0])
		cipher_alg_walk(iv, take_crypto, (void *)reason, missing, sizeof(missing));
	return true;
}

/* A container's header, read-only; a miss to read it is said and the common set stands. */
static void read_container(struct container *c)
{
	int fd = open(c->dev, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0) {
		e = errno;
		fprintf(stderr, "handoff-modules: warning: cannot read the LUKS header of %s: %s (%s): its ciphers are not known, the image gets %s\n",
			c->dev, strerror(e),
			e == EACCES || e == EPERM ? "reading a disk needs root: run this as root" :
			"is the device there?", luks_set_words);
		return;
	}
	e = luks_read(fd, c->detached, &c->v);
	close(fd);
	if (!e) {
		c->state = HDR_READ;
		return;
	}
	/* What the init refuses too is the check's; a read error or no header is not. */
	if (e == -EINVAL || e == -ENOTSUP)
		c->state = HDR_REFUSED;
	fprintf(stderr, "handoff-modules: warning: the LUKS header of %s: %s (%s)%s: the image gets %s\n",
		c->dev, c->v.why[0] ? c->v.why : "not read", strerror(-e),
		e == -ENOENT ? "; a detached header (crypttab header=) is given with -D" :
		c->state == HDR_REFUSED ? "; handoff's init refuses it too" : "", luks_set_words);
}

/* The modules of a container's data segment and keyslots, with why. */
static void take_container(struct container *c)
{
	char reason[PATH_MAX + 128];
	int i, k;

	read_container(c);
	if (c->state != HDR_READ)
		return;
	snprintf(reason, sizeof(reason), "cipher %s of the LUKS container %s (UUID %s), its data",
		 c->v.cipher, c->dev, c->v.uuid);
	if (!take_cipher(c->v.cipher, reason))
		fprintf(stderr, "handoff-modules: warning: %s: the cipher %s is no spec dm-crypt takes\n",
			c->dev, c->v.cipher);
	for (i = 0; i < LUKS_SLOTS; i++) {
		const struct luks_keyslot *s = &c->v.slot[i];

		if (!s->used || !strcmp(s->cipher, c->v.cipher))
			continue;
		for (k = 0; k < i && (!c->v.slot[k].used || strcmp(c->v.slot[k].cipher, s->cipher)); k++)
			;
		if (k < i)
			continue;
		snprintf(reason, sizeof(reason), "cipher %s of the LUKS container %s (UUID %s), keyslot %d",
			 s->cipher, c->dev, c->v.uuid, i);
		take_cipher(s->cipher, reason);
	}
}

static void choose_ciphers(void)
{
	char reason[CIPHER_API_MAX + 64];
	int i;

	for (i = 0; i < nciphers; i++) {
		snprintf(reason, sizeof(reason), "cipher %s, named with -c", cipher_specs[i]);
		if (!take_cipher(cipher_specs[i], reason))
			die("-c %s: not a cipher spec dm-crypt takes (CIPHER-MODE-IV[:IVOPTS], as aes-xts-plain64, or capi:API-IV)",
			    cipher_specs[i]);
	}
	for (i = 0; i < ncontainers; i++)
		take_container(containers[i]);
}

static void choose_net(void)
{
	size_t i;

	for (i = 0; i < sizeof(net_set) / sizeof(net_set[0]); i++)
		take_optional(net_set[i], "a network root");
}

static void check_vermagic(const struct module *m, const struct file *f)
{
	const char *v;
	size_t n;

	if (vermagic_release(f->p, f->n, &v, &n))
		die("%s/%s has no vermagic: not a kernel module?", dir, m->path);
	if (n != strlen(release) || memcmp(v, release, n))
		die("%s/%s is built for kernel %.*s, not %s: the modules directory does not belong to this kernel release",
		    dir, m->path, (int)n, v, release);
}

/* Makes the parent directories of path (below stage). */
static void make_parents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			die("cannot create %s: %s", path, strerror(errno));
		*s = '/';
	}
}

static void write_file(const char *name, const char *data, size_t n)
{
	char path[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", stage, name);
	make_parents(path);
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, n, fp) != n || fclose(fp))
		die("cannot write %s: %s", path, strerror(errno));
}

/* Lists "dir" lines for the directories of top/path not listed yet. */
static void list_dirs(const char *top, const char *path)
{
	static char seen[MODULES_MAX * 4][600];
	static int nseen;
	char d[600];
	const char *s;
	int i;

	for (s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(d, sizeof(d), "%s/%.*s", top, (int)(s - path), path);
		for (i = 0; i < nseen && strcmp(seen[i], d); i++)
			;
		if (i < nseen)
			continue;
		if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", d);
		fprintf(list_fp, "dir %s 0755 0 0\n", d);
	}
}

/* A regular file (symbolic links followed): its resolved path into real. */
static bool regular_file(const char *path, char *real)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && realpath(path, real);
}

/*
 * One firmware= name of module m: kept once (the first module naming it),
 * with where it is in the firmware directory: NAME, NAME.xz or NAME.zst.
 */
static void add_firmware(const struct module *m, const char *v, size_t n)
{
	static const char *const suffixes[][2] = { { "", NULL }, { ".xz", "xz" }, { ".zst", "zstd" } };
	static int cap;
	char path[PATH_MAX + 300];
	struct firmware *fw;
	size_t i;
	int k;

	if (!n || n >= sizeof(fw->name) || v[0] == '/' || memmem(v, n, "..", 2)) {
		fprintf(stderr, "handoff-modules: module %s names the firmware \"%.*s\": not a path below /lib/firmware, left out\n",
			m->name, (int)(n > 80 ? 80 : n), v);
		return;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return;	/* not a name: bytes of another section */
	for (k = 0; k < nfws; k++)
		if (strlen(fws[k].name) == n && !memcmp(fws[k].name, v, n))
			return;
	fws = grow(fws, nfws, &cap, sizeof(*fws));
	fw = &fws[nfws++];
	memset(fw, 0, sizeof(*fw));
	memcpy(fw->name, v, n);
	fw->mod = (int)(m - mods);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]) && !fw->present; i++) {
		snprintf(path, sizeof(path), "%s/%s%s", fwdir, fw->name, suffixes[i][0]);
		fw->present = regular_file(path, fw->src);
		fw->tool = suffixes[i][1];
	}
}

/* The firmware= fields of a module's .modinfo (each after a NUL, as the kernel lays them out). */
static void firmware_names(const struct module *m, const struct file *f)
{
	static const char key[] = "firmware=";
	const size_t kn = sizeof(key) - 1;
	const char *p = f->p, *end = f->p + f->n, *v;
	size_t n;

	while ((p = memmem(p, (size_t)(end - p), key, kn))) {
		v = p + kn;
		if (p > f->p && p[-1]) {
			p = v;
			continue;
		}
		n = strnlen(v, (size_t)(end - v));
		add_firmware(m, v, n);
		p = v + n;
	}
}

/* Debian's package for a firmware file, by the start of its name. */
static const char *firmware_package(const char *name)
{
	static const char *const packages[][2] = {
		{ "iwlwifi-", "firmware-iwlwifi" }, { "rtl_nic/", "firmware-realtek" },
		{ "rtlwifi/", "firmware-realtek" }, { "rtl_bt/", "firmware-realtek" },
		{ "bnx2x/", "firmware-bnx2x" }, { "bnx2/", "firmware-bnx2" },
		{ "amdgpu/", "firmware-amd-graphics" }, { "radeon/", "firmware-amd-graphics" },
		{ "brcm/", "firmware-brcm80211" }, { "ql2", "firmware-qlogic" },
		{ "qed/", "firmware-qlogic" }, { "i915/", "firmware-misc-nonfree" },
	};
	size_t i;

	for (i = 0; i < sizeof(packages) / sizeof(packages[0]); i++)
		if (!strncmp(name, packages[i][0], strlen(packages[i][0])))
			return packages[i][1];
	return NULL;
}

/* What to install for a missing firmware file. */
static void firmware_hint(const char *name, char *hint, size_t size)
{
	const char *pkg = firmware_package(name);

	if (pkg)
		snprintf(hint, size, "install the package that has it (Debian: %s)", pkg);
	else
		snprintf(hint, size, "install the package that has it (Debian: apt-file search %s; most are in a firmware-* package)",
			 name);
}

/* The firmware module i names and DIR lacks, said once for the module. */
static void warn_missing(int i)
{
	char names[512] = "", hint[400], more[32] = "";
	const char *first = NULL;
	int k, missing = 0;
	size_t used;

	for (k = 0; k < nfws; k++) {
		if (fws[k].mod != i || fws[k].present)
			continue;
		if (!missing++)
			first = fws[k].name;
		used = strlen(names);
		if (missing <= 3)
			snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
				 fws[k].name);
	}
	if (!missing)
		return;
	firmware_hint(first, hint, sizeof(hint));
	if (missing > 3)
		snprintf(more, sizeof(more), " and %d more", missing - 3);
	fprintf(stderr, "handoff-modules: warning: module %s names firmware not in %s (nor .xz, .zst): %s%s: %s if its device needs it\n",
		mods[i].name, fwdir, names, more, hint);
}

/* -F: the firmware found, as /lib/firmware/NAME (compressed ones staged decompressed). */
static void emit_firmware(void)
{
	char staged[PATH_MAX + 300], *argv[4];
	const char *src, *tool;
	struct file f;
	bool dirs = false;
	int i, e;

	for (i = 0; i < nfws; i++) {
		if (!fws[i].present)
			continue;
		src = fws[i].src;
		tool = fws[i].tool;
		if (tool) {
			argv[0] = (char *)tool;
			argv[1] = (char *)"-dc";
			argv[2] = fws[i].src;
			argv[3] = NULL;
			e = read_command(argv, &f);
			if (e)
				die("cannot decompress the firmware %s with %s -dc: %s", src, tool,
				    e == -EIO ? "see its message above" : strerror(-e));
			snprintf(staged, sizeof(staged), "firmware/%s", fws[i].name);
			write_file(staged, f.p, f.n);
			free(f.p);
			snprintf(staged, sizeof(staged), "%s/firmware/%s", stage, fws[i].name);
			src = staged;
		}
		if (!dirs)
			fprintf(list_fp, "dir /lib/firmware 0755 0 0\n");
		dirs = true;
		list_dirs("/lib/firmware", fws[i].name);
		fprintf(list_fp, "file /lib/firmware/%s %s 0644 0 0\n", fws[i].name, src);
	}
	for (i = 0; i < nmods; i++)
		warn_missing(i);
}

static void emit_module(const struct module *m)
{
	char src[1024], top[600], *argv[4];
	struct file f;
	size_t suffix;
	const char *tool = compressor(m->path, &suffix);
	int e;

	snprintf(src, sizeof(src), "%s/%s", dir, m->path);
	if (tool) {
		argv[0] = (char *)tool;
		argv[1] = (char *)"-dc";
		argv[2] = src;
		argv[3] = NULL;
		e = read_command(argv, &f);
		if (e == -EIO)
			die("cannot decompress %s with %s -dc (see its message above)", src, tool);
		if (e)
			die("cannot decompress %s with %s -dc: %s", src, tool, strerror(-e));
	} else {
		e = read_all(src, &f.p, &f.n);
		if (e)
			die("cannot read %s: %s", src, strerror(-e));
	}
	check_vermagic(m, &f);
	if (tool) {
		snprintf(src, sizeof(src), "%s/%s", stage, m->image_path);
		write_file(m->image_path, f.p, f.n);
	}
	if (fwdir)
		firmware_names(m, &f);
	free(f.p);
	snprintf(top, sizeof(top), "/lib/modules/%s", release);
	list_dirs(top, m->image_path);
	fprintf(list_fp, "file /lib/modules/%s/%s %s 0644 0 0\n", release, m->image_path, src);
}

static FILE *open_text(char **out, size_t *cap)
{
	FILE *fp = open_memstream(out, cap);

	if (!fp)
		die("cannot make the image's index files: %s", strerror(errno));
	return fp;
}

/* Ends a text from open_text() (fclose sets *out), and writes it to name below the stage. */
static void write_text(FILE *fp, char **out, const char *name)
{
	bool failed = ferror(fp);

	if (fclose(fp) || failed || !*out)
		die("cannot make the image's %s: out of memory", name);
	write_file(name, *out, strlen(*out));
	free(*out);
	*out = NULL;
}

/* The image's index files: only what it holds (modules.builtin whole). */
static void emit_index(void)
{
	char *out = NULL;
	size_t cap = 0, pos = 0, n, pn, mn;
	const char *line, *pat, *mod;
	char name[MODNAME_MAX];
	FILE *fp;
	int i;

	fp = open_text(&out, &cap);
	for (i = 0; i < nmods; i++)
		fprintf(fp, "%s:%s\n", mods[i].image_path, mods[i].deps);
	write_text(fp, &out, "modules.dep");
	fp = open_text(&out, &cap);
	while (text_line(alias.p, alias.n, &pos, &line, &n)) {
		if (modalias_parse(line, n, &pat, &pn, &mod, &mn) ||
		    modname_normalize(mod, mn, name, sizeof(name)) || !find_taken(name))
			continue;
		fprintf(fp, "alias %.*s %s\n", (int)pn, pat, name);
	}
	write_text(fp, &out, "modules.alias");
	write_file("modules.builtin", builtin.p ? builtin.p : "", builtin.n);
	fprintf(list_fp, "dir /lib 0755 0 0\ndir /lib/modules 0755 0 0\ndir /lib/modules/%s 0755 0 0\n",
		release);
	/* The kernel's request_module() runs /sbin/modprobe: the init serves it. */
	fprintf(list_fp, "dir /sbin 0755 0 0\nslink /sbin/modprobe /init 0777 0 0\n");
	for (i = 0; i < 3; i++) {
		static const char *const names[] = { "modules.dep", "modules.alias", "modules.builtin" };

		fprintf(list_fp, "file /lib/modules/%s/%s %s/%s 0644 0 0\n", release, names[i], stage,
			names[i]);
	}
}

static void check_kernel(const char *kernel)
{
	static unsigned char h[BZIMAGE_VERSION_SPAN];
	FILE *fp = fopen(kernel, "rb");
	const char *v;
	size_t n;
	int e;

	if (!fp && errno == EACCES) {
		fprintf(stderr, "handoff-modules: cannot read %s (Debian's /boot/vmlinuz-* are for root only): its version is not checked\n",
			kernel);
		return;
	}
	if (!fp)
		die("cannot read the kernel %s: %s", kernel, strerror(errno));
	n = fread(h, 1, sizeof(h), fp);
	fclose(fp);
	e = bzimage_version(h, n, &v, &n);
	if (e) {
		fprintf(stderr, "handoff-modules: %s %s: its version is not checked\n", kernel,
			e == -ENOEXEC ? "is not an x86 bzImage" : "names no version");
		return;
	}
	if (n != strlen(release) || memcmp(v, release, n))
		die("the kernel %s is version %.*s, but the modules are for %s: build the image with KVER=%.*s",
		    kernel, (int)n, v, release, (int)n, v);
}

/* DIR/name into f: a missing optional file is empty, any other failure fatal. */
static void read_index(const char *name, struct file *f, bool optional, const char *hint)
{
	char path[1024];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	err = read_all(path, &f->p, &f->n);
	if (err && !(optional && err == -ENOENT))
		die("cannot read %s: %s (%s)", path, strerror(-err), hint);
}

static int misses;

static void miss(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void miss(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("check: ", fmt, ap);
	va_end(ap);
	misses++;
}

/* "the root's device /sys/devices/...", "the keyboard NAME's device /sys/devices/..." */
static void bound_what(const struct bound *b, char *what, size_t size)
{
	if (b->kind == HOST_KEYBOARD)
		snprintf(what, size, "the keyboard %s's device %s", b->subject, b->dev);
	else if (b->kind == HOST_ROOT_NIC)
		snprintf(what, size, "the root's network interface device %s", b->dev);
	else if (b->kind == HOST_ROOT_STACK)
		snprintf(what, size, "the root's device-mapper or md device %s", b->dev);
	else
		snprintf(what, size, "the root's device %s", b->dev);
}

/* Each driver bound under the root and the keyboards: in the image, or built into RELEASE. */
static void check_bound(void)
{
	char what[PATH_MAX + 300];
	const char *verb, *here;
	struct moddep d;
	size_t off;
	int i;

	for (i = 0; i < nbounds; i++) {
		const char *mod = bounds[i].module;

		if (find_taken(mod) || is_builtin(mod))
			continue;
		bound_what(&bounds[i], what, sizeof(what));
		/* a stack's module is needed by name, not bound to a device */
		verb = bounds[i].kind == HOST_ROOT_STACK ? "needs" : "is driven by";
		here = bounds[i].kind == HOST_ROOT_STACK ? "" : " here";
		if (!moddep_find(dep.p, dep.n, mod, &d, &off))
			miss("%s %s %s%s, and the image has no %s: add it with --modules +%s", what,
			     verb, mod, here, mod, mod);
		else
			miss("%s %s %s%s, which %s has neither as a module nor built in: this kernel cannot drive it (boot one that has %s)",
			     what, verb, mod, here, release, mod);
	}
}

struct fs_match {
	bool taken;
	char first[MODNAME_MAX];	/* the first module with the alias */
};

static int fs_module(const char *name, void *ctx)
{
	struct fs_match *f = ctx;
	char n[MODNAME_MAX];

	if (modname_normalize(name, strlen(name), n, sizeof(n)))
		return 0;
	if (find_taken(n))
		f->taken = true;
	if (!f->first[0])
		snprintf(f->first, sizeof(f->first), "%s", n);
	return 0;
}

/* modules.builtin.modinfo's "NAME.alias=fs-TYPE": a filesystem built into RELEASE. */
static bool builtin_alias(const char *want)
{
	char key[128];

	snprintf(key, sizeof(key), ".alias=%s", want);
	/* with its NUL: the whole value */
	return binfo.p && memmem(binfo.p, binfo.n, key, strlen(key) + 1);
}

/* The root's filesystem: a module taken, or built into RELEASE. */
static void check_fs(void)
{
	/* never modules: the kernel's own */
	static const char *const core[] = { "rootfs", "tmpfs", "ramfs" };
	struct fs_match f = { false, "" };
	char fs_alias[80];
	size_t i;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (!strcmp(root.fstype, core[i]))
			return;
	snprintf(fs_alias, sizeof(fs_alias), "fs-%s", root.fstype);
	modalias_each(alias.p, alias.n, fs_alias, fs_module, &f);
	if (f.taken || builtin_alias(fs_alias) || is_builtin(root.fstype))
		return;
	if (f.first[0])
		miss("/ is %s (%s in the mount table), and the image has no module for it (%s): add it with --modules +%s",
		     root.fstype, root.source, fs_alias, f.first);
	else
		miss("/ is %s (%s in the mount table), and %s has no module for it (%s) nor has it built in: this kernel cannot mount the root",
		     root.fstype, root.source, release, fs_alias);
}

/*
 * The firmware of the drivers bound here: a driver naming files of which
 * none is there cannot start its device. Some present and some not is no
 * miss: drivers name every version they can load (iwlwifi-*-72 to -77).
 */
static void check_firmware(void)
{
	char what[PATH_MAX + 300], hint[400];
	bool *seen = calloc((size_t)nmods + 1, sizeof(*seen));
	const char *first;
	int i, k, idx, total, present;

	if (!seen)
		die("check: out of memory");
	for (i = 0; i < nbounds; i++) {
		const struct module *m = find_taken(bounds[i].module);

		if (!m || seen[m - mods])
			continue;
		idx = (int)(m - mods);
		seen[idx] = true;
		total = present = 0;
		first = NULL;
		for (k = 0; k < nfws; k++) {
			if (fws[k].mod != idx)
				continue;
			total++;
			present += fws[k].present;
			if (!first)
				first = fws[k].name;
		}
		if (!total)
			continue;
		bound_what(&bounds[i], what, sizeof(what));
		firmware_hint(first, hint, sizeof(hint));
		if (!present)
			miss("%s is driven by %s, which needs firmware (%s%s) that %s lacks: %s",
			     what, m->name, first, total > 1 ? ", ..." : "", fwdir, hint);
		else if (!fw_in_image)
			miss("%s is driven by %s, which needs firmware (%s%s): put it in the image with -F",
			     what, m->name, first, total > 1 ? ", ..." : "");
	}
	free(seen);
}

/* -C without MODULES=host: the same walks, for the bound drivers and the root's type. */
static void walk_for_check(void)
{
	struct host_cb cb = { "check", NULL, note_bound, NULL };

	if (root_known)
		return;
	root.fstype[0] = '\0';
	/* A root whose disks cannot be told (ZFS, a loop file) still has a type to check. */
	if (host_root_modules(host_sysfs(), host_mountinfo(), alias.p, alias.n, &cb, &root) &&
	    root.fstype[0])
		fprintf(stderr, "handoff-modules: check: warning: the drivers under / cannot be told (see above): only its filesystem and the keyboards are checked\n");
	if (root.fstype[0])
		root_known = true;
	else
		miss("cannot tell what this machine's root is (see above)");
	host_keyboards(host_sysfs(), alias.p, alias.n, &cb);
}

/* The init's pass over the keyslots (luks_unlock()), each tested by its own luks_slot_check(). */
static void check_keyslots(struct container *c, const char *what)
{
	const struct luks_digest *g = luks_segment_digest(&c->v);
	char first[LUKS_WHY_MAX] = "";
	int i, pr, tried = 0, opens = 0;

	for (pr = 2; g && pr >= 1; pr--) {
		for (i = 0; i < LUKS_SLOTS; i++) {
			if (LUKS_SLOT_SKIPPED(&c->v, g, i, pr))
				continue;
			tried++;
			if (!luks_slot_check(&c->v, i)) {
				opens++;
				continue;
			}
			if (!first[0])
				snprintf(first, sizeof(first), "%s", c->v.why);
			fprintf(stderr, "handoff-modules: check: warning: %s: %s: that keyslot's passphrase will not unlock it at boot\n",
				what, c->v.why);
		}
	}
	if (!tried)
		miss("%s: no keyslot holds the volume key (all have priority 0?): the init cannot open it; add one (cryptsetup luksAddKey %s)",
		     what, c->dev);
	else if (!opens && c->v.version == 1)
		miss("%s: the init can open none of its keyslots (%s): LUKS1's keyslots are in the data's cipher; re-encrypt it (cryptsetup reencrypt --cipher aes-xts-plain64 %s)",
		     what, first, c->dev);
	else if (!opens)
		miss("%s: the init can open none of its keyslots (%s): add one it can (cryptsetup luksAddKey --keyslot-cipher aes-xts-plain64 --keyslot-key-size 512 %s)",
		     what, first, c->dev);
}

/* The data segment's cipher: each crypto name it needs in the image or built into RELEASE. */
static void check_segment(struct container *c, const char *what)
{
	char api[CIPHER_API_MAX], iv[CIPHER_API_MAX], missing[512], fix[MODNAME_MAX + 64] = "";
	struct alias_found f = { false, false, "" };
	char first[CIPHER_API_MAX], a[CIPHER_API_MAX + 8], *comma;
	bool ok;

	if (cipher_spec_api(c->v.cipher, api, sizeof(api), iv, sizeof(iv))) {
		miss("%s: its data's cipher %s is no spec dm-crypt takes: the init cannot map it", what,
		     c->v.cipher);
		return;
	}
	ok = cipher_alg_walk(api, image_has_crypto, NULL, missing, sizeof(missing));
	if (ok && iv[0])
		ok = cipher_alg_walk(iv, image_has_crypto, NULL, missing, sizeof(missing));
	if (ok)
		return;
	/* The first name missing: a module RELEASE has for it, or none. */
	comma = strchr(missing, ',');
	snprintf(first, sizeof(first), "%.*s", comma ? (int)(comma - missing) : (int)strlen(missing),
		 missing);
	crypto_alias(first, a, sizeof(a));
	alias_each_normalized(a, crypto_provider, &f);
	if (f.any)
		snprintf(fix, sizeof(fix), "add it with --modules +%s", f.first);
	miss("%s: its data is in %s, which needs the crypto API's %s: %s has it neither built in nor as a module in the image: %s",
	     what, c->v.cipher, missing, release,
	     fix[0] ? fix : "this kernel cannot map it; boot one that has the cipher, or re-encrypt with one it has (cryptsetup reencrypt --cipher aes-xts-plain64)");
}

/* -H's containers: the init can open a keyslot, and the kernel can map the data. */
static void check_containers(void)
{
	char what[PATH_MAX + 96];
	int i;

	for (i = 0; i < ncontainers; i++) {
		struct container *c = containers[i];

		if (c->state == HDR_REFUSED)
			miss("the LUKS container %s: the init refuses its header: %s", c->dev, c->v.why);
		if (c->state != HDR_READ)
			continue;
		snprintf(what, sizeof(what), "the LUKS container %s (UUID %s)", c->dev, c->v.uuid);
		check_keyslots(c, what);
		check_segment(c, what);
	}
}

static void check_machine(void)
{
	if (root_known)
		check_fs();
	check_bound();
	check_firmware();
	check_containers();
	if (misses)
		fprintf(stderr, "handoff-modules: check: %d miss%s: this image would not boot this machine; nothing listed\n",
			misses, misses > 1 ? "es" : "");
	else
		fprintf(stderr, "handoff-modules: check: the image has the root's filesystem (%s) and the drivers of the %d devices bound under the root and the keyboards\n",
			root.fstype, nbounds);
}

/* -R: why each module and firmware file is there. */
static void write_reasons(const char *path)
{
	FILE *fp = fopen(path, "w");
	int i;

	if (!fp)
		die("cannot write %s (-R): %s", path, strerror(errno));
	for (i = 0; i < nmods; i++)
		fprintf(fp, "module\t%s\t%s\n", mods[i].name, mods[i].reason);
	for (i = 0; fw_in_image && i < nfws; i++)
		fprintf(fp, "%sfirmware\t/lib/firmware/%s\tfor module %s\n",
			fws[i].present ? "" : "missing-", fws[i].name, mods[fws[i].mod].name);
	if (ferror(fp) | fclose(fp))
		die("cannot write %s (-R): %s", path, strerror(errno));
}

/* The list, kept until now, on standard output. */
static void print_list(char **text, size_t *len)
{
	if (fclose(list_fp) || !*text)
		die("cannot make the list: out of memory");
	if (fwrite(*text, 1, *len, stdout) != *len || fflush(stdout))
		die("cannot write the list to standard output: %s", strerror(errno));
	free(*text);
}

int main(int argc, char **argv)
{
	const char *spec = "", *kernel = NULL, *reasons = NULL, *env;
	char hint[256], *text = NULL;
	static char dirbuf[1024];
	bool luks = false, net = false;
	size_t len = 0;
	int c, i;

	while ((c = getopt(argc, argv, "k:d:K:m:o:LNlhF:R:Cc:H:D:")) != -1) {
		switch (c) {
		case 'k': release = optarg; break;
		case 'd': dir = optarg; break;
		case 'K': kernel = optarg; break;
		case 'm': spec = optarg; break;
		case 'o': stage = optarg; break;
		case 'L': luks = true; break;
		case 'N': net = true; break;
		case 'F': fwdir = optarg; fw_in_image = true; break;
		case 'R': reasons = optarg; break;
		case 'C': checking = true; break;
		case 'c':
			if (nciphers == CONTAINERS_MAX)
				die("-c %s: more than %d ciphers", optarg, CONTAINERS_MAX);
			cipher_specs[nciphers++] = optarg;
			luks = true;
			break;
		case 'H':
		case 'D':
			if (ncontainers == CONTAINERS_MAX)
				die("-%c %s: more than %d LUKS containers", c, optarg, CONTAINERS_MAX);
			containers[ncontainers] = calloc(1, sizeof(*containers[0]));
			if (!containers[ncontainers])
				die("-%c %s: out of memory", c, optarg);
			containers[ncontainers]->detached = c == 'D';
			containers[ncontainers++]->dev = optarg;
			luks = true;
			break;
		case 'l':
			for (i = 0; i < (int)(sizeof(default_set) / sizeof(default_set[0])); i++)
				printf("%s\n", default_set[i]);
			for (i = 0; i < (int)(sizeof(hid_set) / sizeof(hid_set[0])); i++)
				printf("%s\n", hid_set[i]);
			return 0;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if ((!release && !dir) || !stage || optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	env = getenv("HANDOFF_FIRMWARE");
	if ((fw_in_image && !*fwdir) || (checking && !fwdir))
		fwdir = env && *env ? env : "/lib/firmware";
	if (!dir) {
		snprintf(dirbuf, sizeof(dirbuf), "/lib/modules/%s", release);
		dir = dirbuf;
	}
	if (!release) {
		const char *e = dir + strlen(dir);

		while (e > dir && e[-1] == '/')
			e--;
		for (release = e; release > dir && release[-1] != '/'; release--)
			;
		release = strndup(release, (size_t)(e - release));
	}
	snprintf(hint, sizeof(hint), "is the kernel release %s installed? ls /lib/modules", release);
	read_index("modules.dep", &dep, false, hint);
	read_index("modules.alias", &alias, false, "run depmod for this kernel");
	/* these two may be missing (an older depmod), but not unreadable */
	read_index("modules.builtin", &builtin, true, "run depmod for this kernel");
	read_index("modules.softdep", &softdep, true, "run depmod for this kernel");
	if (checking || luks)
		read_index("modules.builtin.modinfo", &binfo, true, "run depmod for this kernel");
	if (kernel)
		check_kernel(kernel);
	if (mkdir(stage, 0755) && errno != EEXIST)
		die("cannot create %s: %s", stage, strerror(errno));
	list_fp = open_memstream(&text, &len);
	if (!list_fp)
		die("cannot make the list: %s", strerror(errno));
	choose(spec);
	if (luks)
		choose_luks();
	choose_ciphers();
	if (net)
		choose_net();
	if (!nmods)
		fprintf(stderr, "handoff-modules: MODULES=%s: no module to add; the image gets the index files only\n",
			spec);
	if (checking)
		walk_for_check();
	emit_index();
	for (i = 0; i < nmods; i++)
		emit_module(&mods[i]);
	if (fw_in_image)
		emit_firmware();
	fprintf(stderr, "handoff-modules: %d modules for %s from %s\n", nmods, release, dir);
	if (checking)
		check_machine();
	if (reasons)
		write_reasons(reasons);
	if (misses)
		return 3;
	print_list(&text, &len);
	return 0;
}
