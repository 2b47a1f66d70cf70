/*
 * handoff-modules: picks kernel modules for an image. Reads depmod's
 * files in a modules directory, resolves the chosen modules and all they
 * depend on (modules.dep, and modules.softdep "pre:"), checks that every
 * module is built for the kernel release (and the kernel image, if given,
 * is that release), decompresses .ko.xz/.ko.zst/.ko.gz, writes the image's
 * modules.dep, modules.alias (only the aliases of the modules taken) and
 * modules.builtin into a staging directory, and prints the mkcpio list
 * lines that put them all in /lib/modules/RELEASE.
 */
#include "hostonly.h"
#include "hostparse.h"
#include "modules/modparse.h"
#include "readfile.h"

#include <errno.h>
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
	"              and its filesystem, matched by modalias in RELEASE's modules.alias\n"
	"  -o STAGE    directory for the image's index files and decompressed modules\n"
	"  -L          add the modules a LUKS root needs (dm_crypt and its ciphers)\n"
	"  -N          add the drivers of common NICs and the NFS client (NET=1)\n"
	"  -l          list the default set and exit\n"
	"\n"
	"Prints mkcpio list lines on standard output. Every dependency is added.\n"
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
};

static const char *release, *dir, *stage;
static struct file dep, alias, builtin, softdep;
static struct module mods[MODULES_MAX];
static int nmods;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("handoff-modules: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

static int take(const char *name, const char *why, int depth);

static int take_softdep(const char *name, void *ctx)
{
	take(name, NULL, *(const int *)ctx + 1);
	return 0;
}

/* softdep NAME pre: A B post: C -> the "pre:" ones load first. */
static void take_softdeps(const char *name, int depth)
{
	softdep_each_pre(softdep.p, softdep.n, name, take_softdep, &depth);
}

/*
 * Adds name after everything it depends on. why is NULL for modules that
 * may be missing (defaults, soft dependencies). Returns 0, or -ENOENT
 * when it is built in or absent.
 */
static int take(const char *name, const char *why, int depth)
{
	struct moddep d;
	struct module *m;
	const char *p;
	char dname[MODNAME_MAX], ip[512];
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
	while (moddep_next(&d, &pos, &p, &n)) {
		if (modname_from_path(p, n, dname, sizeof(dname)))
			die("%s/modules.dep: %.*s is not a module file", dir, (int)n, p);
		if (take(dname, "a dependency", depth + 1))
			die("module %s needs %s, which is not in %s", name, dname, dir);
	}
	take_softdeps(name, depth);
	if (nmods >= MODULES_MAX)
		die("module %s: more than %d modules (MODULES_MAX, the most the init tries): choose fewer with MODULES=...",
		    name, MODULES_MAX);
	m = &mods[nmods];
	modname_normalize(name, strlen(name), m->name, sizeof(m->name));
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

static void want_host(const char *name, const char *why, void *ctx)
{
	char n[MODNAME_MAX];

	(void)ctx;
	if (modname_normalize(name, strlen(name), n, sizeof(n)) || find_taken(n))
		return;
	fprintf(stderr, "handoff-modules: MODULES=host: %s for %s\n", n, why);
	take(n, why, 0);
}

/*
 * MODULES=host: this machine's root. The drivers are matched by the
 * devices' modalias in RELEASE's own modules.alias, so an image for
 * another kernel than the running one gets that kernel's modules for the
 * same hardware (and none where that kernel has the driver built in).
 */
static void choose_host(void)
{
	const char *sysfs = getenv("HANDOFF_SYSFS"), *mi = getenv("HANDOFF_MOUNTINFO");
	struct utsname u;

	if (host_root_modules(sysfs ? sysfs : "/sys", mi ? mi : "/proc/self/mountinfo", alias.p,
			      alias.n, want_host, NULL))
		die("MODULES=host: cannot tell which modules this machine's root needs (see above)");
	if (!sysfs && !uname(&u) && strcmp(u.release, release))
		fprintf(stderr, "handoff-modules: MODULES=host: this machine runs %s, the image is for %s: its drivers were matched by their devices' modalias in %s's modules.alias\n",
			u.release, release, release);
}

static void choose(const char *spec)
{
	char name[MODNAME_MAX];
	bool signs = spec_has_signs(spec);
	const char *s;
	size_t i, n;

	for (s = spec; signs && *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (n == 5 && !memcmp(s + 1, "host", 4))
			die("MODULES=%s: host is a set of its own, not a module to add or remove: MODULES=host, or host,NAME,... for more",
			    spec);
		if (n && s[0] != '+' && s[0] != '-')
			die("MODULES=%s: mix of signed and unsigned names: use +name and -name to change the default set, or plain names for exactly those",
			    spec);
	}
	if (signs || !*spec) {
		for (i = 0; i < sizeof(default_set) / sizeof(default_set[0]); i++)
			if (!spec_removes(spec, default_set[i]))
				take(default_set[i], NULL, 0);
	}
	for (s = spec; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (!n || s[0] == '-')
			continue;
		if (s[0] == '+') {
			s++;
			n--;
		}
		if (n == 4 && !memcmp(s, "host", 4) && !signs) {
			choose_host();
			continue;
		}
		if (modname_normalize(s, n, name, sizeof(name)))
			die("MODULES=%s: bad module name '%.*s'", spec, (int)n, s);
		if (take(name, "named in MODULES", 0) && is_builtin(name))
			fprintf(stderr, "handoff-modules: %s is built into this kernel: nothing to add\n",
				name);
	}
}

static void choose_luks(void)
{
	size_t i;

	take("dm_mod", "a LUKS root", 0);
	take("dm_crypt", "a LUKS root", 0);
	for (i = 0; i < sizeof(luks_set) / sizeof(luks_set[0]); i++)
		take(luks_set[i], NULL, 0);
}

static void choose_net(void)
{
	size_t i;

	for (i = 0; i < sizeof(net_set) / sizeof(net_set[0]); i++)
		take(net_set[i], NULL, 0);
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

/* Prints "dir" lines for the directories of path not printed yet. */
static void list_dirs(const char *path)
{
	static char seen[MODULES_MAX * 4][512];
	static int nseen;
	char d[512];
	const char *s;
	int i;

	for (s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(d, sizeof(d), "%.*s", (int)(s - path), path);
		for (i = 0; i < nseen && strcmp(seen[i], d); i++)
			;
		if (i < nseen)
			continue;
		if (nseen < (int)(sizeof(seen) / sizeof(seen[0])))
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", d);
		printf("dir /lib/modules/%s/%s 0755 0 0\n", release, d);
	}
}

static void emit_module(const struct module *m)
{
	char src[1024], *argv[4];
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
	free(f.p);
	list_dirs(m->image_path);
	printf("file /lib/modules/%s/%s %s 0644 0 0\n", release, m->image_path, src);
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
	printf("dir /lib 0755 0 0\ndir /lib/modules 0755 0 0\ndir /lib/modules/%s 0755 0 0\n",
	       release);
	/* The kernel's request_module() runs /sbin/modprobe: the init serves it. */
	printf("dir /sbin 0755 0 0\nslink /sbin/modprobe /init 0777 0 0\n");
	for (i = 0; i < 3; i++) {
		static const char *const names[] = { "modules.dep", "modules.alias", "modules.builtin" };

		printf("file /lib/modules/%s/%s %s/%s 0644 0 0\n", release, names[i], stage,
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

int main(int argc, char **argv)
{
	const char *spec = "", *kernel = NULL;
	char hint[256];
	static char dirbuf[1024];
	bool luks = false, net = false;
	int c, i;

	while ((c = getopt(argc, argv, "k:d:K:m:o:LNlh")) != -1) {
		switch (c) {
		case 'k': release = optarg; break;
		case 'd': dir = optarg; break;
		case 'K': kernel = optarg; break;
		case 'm': spec = optarg; break;
		case 'o': stage = optarg; break;
		case 'L': luks = true; break;
		case 'N': net = true; break;
		case 'l':
			for (i = 0; i < (int)(sizeof(default_set) / sizeof(default_set[0])); i++)
				printf("%s\n", default_set[i]);
			return 0;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if ((!release && !dir) || !stage || optind != argc) {
		fputs(usage_text, stderr);
		return 2;
	}
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
	if (kernel)
		check_kernel(kernel);
	if (mkdir(stage, 0755) && errno != EEXIST)
		die("cannot create %s: %s", stage, strerror(errno));
	choose(spec);
	if (luks)
		choose_luks();
	if (net)
		choose_net();
	if (!nmods)
		fprintf(stderr, "handoff-modules: MODULES=%s: no module to add; the image gets the index files only\n",
			spec);
	emit_index();
	for (i = 0; i < nmods; i++)
		emit_module(&mods[i]);
	fprintf(stderr, "handoff-modules: %d modules for %s from %s\n", nmods, release, dir);
	return 0;
}
