/*
 * Choosing the real init: paths resolved inside the new root (absolute
 * symlinks and ".." stay inside), and executables checked for what the
 * kernel would refuse.
 */
#include "check.h"
#include "handover/realinit.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#if UINTPTR_MAX > 0xffffffffU
typedef Elf64_Ehdr Ehdr;
typedef Elf64_Phdr Phdr;
#define CLASS ELFCLASS64
#else
typedef Elf32_Ehdr Ehdr;
typedef Elf32_Phdr Phdr;
#define CLASS ELFCLASS32
#endif

static char top[] = "/tmp/handoff-realinit-XXXXXX";
static char root[300];
static int rootfd;

static void put(const char *rel, const void *data, size_t len, mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	fchmod(fd, mode);
	close(fd);
}

static void dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
}

static void link_(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (symlink(target, path))
		abort();
}

/*
 * A minimal ELF header; with interp, a PT_LOAD and then a PT_INTERP naming
 * it, as linkers lay them out (the table is read whole, then searched).
 */
static void put_elf(const char *rel, uint16_t machine, const char *interp)
{
	unsigned char buf[512] = { 0 };
	Ehdr *eh = (Ehdr *)buf;
	Phdr *ph = (Phdr *)(buf + sizeof(Ehdr)) + 1;

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = CLASS;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = machine;
	eh->e_phoff = sizeof(Ehdr);
	eh->e_phentsize = sizeof(Phdr);
	if (interp) {
		eh->e_phnum = 2;
		ph[-1].p_type = PT_LOAD;
		ph->p_type = PT_INTERP;
		ph->p_offset = 256;
		ph->p_filesz = strlen(interp) + 1;
		memcpy(buf + 256, interp, strlen(interp) + 1);
	}
	put(rel, buf, sizeof(buf), 0755);
}

static uint16_t our_machine(void)
{
	Ehdr eh;
	int fd = open("/proc/self/exe", O_RDONLY);

	if (fd < 0 || read(fd, &eh, sizeof(eh)) != sizeof(eh))
		abort();
	close(fd);
	return eh.e_machine;
}

static void build_tree(void)
{
	char outside[400];

	if (!mkdtemp(top))
		abort();
	snprintf(root, sizeof(root), "%s/root", top);
	mkdir(root, 0755);
	/* A file outside the root that an escaping link would reach. */
	snprintf(outside, sizeof(outside), "%s/outside", top);
	close(open(outside, O_WRONLY | O_CREAT, 0755));
	dir("sbin");
	dir("bin");
	dir("lib");
	dir("lib/systemd");
	dir("etc");
	put_elf("lib/systemd/systemd", our_machine(), "/lib/ld.so");
	put_elf("lib/ld.so", our_machine(), NULL);
	link_("/lib/systemd/systemd", "sbin/init");
	link_("../../../../../lib/systemd/systemd", "sbin/deep");
	link_("../outside", "sbin/escape");
	link_("/../outside", "sbin/escape2");
	link_("loop2", "sbin/loop1");
	link_("loop1", "sbin/loop2");
	link_("/nowhere", "sbin/dangling");
	put_elf("bin/foreign", our_machine() == EM_AARCH64 ? EM_X86_64 : EM_AARCH64, NULL);
	put_elf("bin/noloader", our_machine(), "/lib/missing-ld.so");
	put("bin/script", "#!/bin/sh -e\necho hi\n", 21, 0755);
	put("bin/script-nointerp", "#!\n", 3, 0755);
	put("bin/noexec", "#!/bin/sh\n", 10, 0644);
	put("bin/text", "hello world\n", 12, 0755);
	put("bin/empty", "", 0, 0755);
	rootfd = open(root, O_PATH | O_DIRECTORY);
}

static void test_resolve(void)
{
	char out[REALINIT_PATH_MAX];

	TEST("absolute symlink resolves inside the root");
	CHECK_INT(resolve_in_root(rootfd, "/sbin/init", out, sizeof(out)), 0);
	CHECK_STR(out, "lib/systemd/systemd");

	TEST(".. never leaves the root");
	CHECK_INT(resolve_in_root(rootfd, "/sbin/deep", out, sizeof(out)), 0);
	CHECK_STR(out, "lib/systemd/systemd");
	CHECK_INT(resolve_in_root(rootfd, "/../../sbin/./init", out, sizeof(out)), 0);
	CHECK_STR(out, "lib/systemd/systemd");
	CHECK_INT(resolve_in_root(rootfd, "/sbin/escape", out, sizeof(out)), -ENOENT);
	CHECK_INT(resolve_in_root(rootfd, "/sbin/escape2", out, sizeof(out)), -ENOENT);

	TEST("loops, dangling links, files used as directories");
	CHECK_INT(resolve_in_root(rootfd, "/sbin/loop1", out, sizeof(out)), -ELOOP);
	CHECK_INT(resolve_in_root(rootfd, "/sbin/dangling", out, sizeof(out)), -ENOENT);
	CHECK_INT(resolve_in_root(rootfd, "/bin/script/x", out, sizeof(out)), -ENOTDIR);

	TEST("a trailing slash wants a directory, as the kernel does");
	CHECK_INT(resolve_in_root(rootfd, "/bin/script/", out, sizeof(out)), -ENOTDIR);
	CHECK_INT(resolve_in_root(rootfd, "/bin/script/.", out, sizeof(out)), -ENOTDIR);
	CHECK_INT(resolve_in_root(rootfd, "/sbin/init/", out, sizeof(out)), -ENOTDIR);
	CHECK_INT(resolve_in_root(rootfd, "/sbin//init", out, sizeof(out)), 0);
	CHECK_STR(out, "lib/systemd/systemd");
	CHECK_INT(resolve_in_root(rootfd, "/lib/systemd//", out, sizeof(out)), 0);
	CHECK_STR(out, "lib/systemd");

	TEST("the root itself");
	CHECK_INT(resolve_in_root(rootfd, "/", out, sizeof(out)), 0);
	CHECK_STR(out, ".");
}

static int check(const char *path)
{
	char why[256] = "";
	int e = check_executable(rootfd, path, why, sizeof(why));

	printf("# %s: %s\n", path, e ? why : "usable");
	return e;
}

static void test_check(void)
{
	TEST("usable executables");
	CHECK_INT(check("/sbin/init"), 0);
	CHECK_INT(check("/lib/ld.so"), 0);

	TEST("a script needs its interpreter in the root");
	CHECK_INT(check("/bin/script"), -ENOENT);
	put_elf("bin/sh", our_machine(), NULL);
	CHECK_INT(check("/bin/script"), 0);
	CHECK_INT(check("/bin/script-nointerp"), -ENOEXEC);

	TEST("what the kernel would refuse");
	CHECK_INT(check("/bin/foreign"), -ENOEXEC);
	CHECK_INT(check("/bin/noloader"), -ENOENT);
	CHECK_INT(check("/bin/noexec"), -EACCES);
	CHECK_INT(check("/bin/text"), -ENOEXEC);
	CHECK_INT(check("/bin/empty"), -ENOEXEC);
	CHECK_INT(check("/sbin"), -EACCES);
	CHECK_INT(check("/sbin/dangling"), -ENOENT);
	CHECK_INT(check("/sbin/escape"), -ENOENT);
}

static void test_find(void)
{
	char out[REALINIT_PATH_MAX];

	TEST("init= when usable");
	CHECK_INT(find_real_init(root, "/bin/script", out, sizeof(out)), 0);
	CHECK_STR(out, "/bin/script");

	TEST("init= missing falls back to /sbin/init");
	CHECK_INT(find_real_init(root, "/nope", out, sizeof(out)), 0);
	CHECK_STR(out, "/sbin/init");

	TEST("down the list to /bin/sh");
	unlinkat(rootfd, "sbin/init", 0);
	CHECK_INT(find_real_init(root, NULL, out, sizeof(out)), 0);
	CHECK_STR(out, "/bin/sh");

	TEST("nothing usable");
	unlinkat(rootfd, "bin/sh", 0);
	CHECK(find_real_init(root, NULL, out, sizeof(out)) < 0);
}

/* make LOCKDOWN=1's default list, and a locked list of one init. */
static const char *const locked_paths[] = { "/sbin/init", "/etc/init", "/bin/init",
					    "/usr/lib/systemd/systemd", "/lib/systemd/systemd", NULL };
static const struct init_list locked = { locked_paths, true };
static const char *const one_path[] = { "/bin/script", NULL };
static const struct init_list one = { one_path, true };

static void test_locked(void)
{
	char out[REALINIT_PATH_MAX];

	TEST("locked: init= only exactly as listed");
	CHECK(init_allowed(&locked, "/sbin/init"));
	CHECK(init_allowed(&locked, "/lib/systemd/systemd"));
	CHECK(!init_allowed(&locked, "/bin/sh"));
	CHECK(!init_allowed(&locked, "/sbin//init"));
	CHECK(!init_allowed(&locked, "/sbin/../bin/sh"));
	CHECK(!init_allowed(&locked, "sbin/init"));
	CHECK(!init_allowed(&locked, ""));
	CHECK(init_allowed(&build_inits, "/any/thing"));

	TEST("locked: the list's symlinks are followed in the root");
	link_("/lib/systemd/systemd", "sbin/init");
	CHECK_INT(choose_init(root, "/sbin/init", &locked, out, sizeof(out)), 0);
	CHECK_STR(out, "/sbin/init");

	TEST("locked: init=/bin/sh refused, the list used instead");
	put_elf("bin/sh", our_machine(), NULL);
	CHECK_INT(choose_init(root, "/bin/sh", &locked, out, sizeof(out)), 0);
	CHECK_STR(out, "/sbin/init");
	CHECK_INT(choose_init(root, "/sbin/../bin/sh", &locked, out, sizeof(out)), 0);
	CHECK_STR(out, "/sbin/init");

	TEST("locked: no shell as the last resort");
	unlinkat(rootfd, "sbin/init", 0);
	CHECK_INT(choose_init(root, NULL, &locked, out, sizeof(out)), 0);
	CHECK_STR(out, "/lib/systemd/systemd");
	unlinkat(rootfd, "lib/systemd/systemd", 0);
	CHECK(choose_init(root, NULL, &locked, out, sizeof(out)) < 0);
	CHECK(choose_init(root, "/bin/sh", &locked, out, sizeof(out)) < 0);

	TEST("locked: a listed script runs with its interpreter, a shell or not");
	CHECK_INT(choose_init(root, "/bin/script", &one, out, sizeof(out)), 0);
	CHECK_STR(out, "/bin/script");
	CHECK_INT(choose_init(root, NULL, &one, out, sizeof(out)), 0);
	CHECK_STR(out, "/bin/script");
}

int main(void)
{
	char cmd[400];

	build_tree();
	test_resolve();
	test_check();
	test_find();
	test_locked();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd))
		return 1;
	return check_failed;
}
