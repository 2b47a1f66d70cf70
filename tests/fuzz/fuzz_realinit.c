/*
 * fuzz-realinit: resolve_in_root(), check_executable() and choose_init()
 * in a scratch tree. The input is up to five lines, then bytes:
 *   the targets of four symlinks (/l0, /d/l1, /d/e/l2, /sbin/l3; an empty
 *   line: no link), the path to resolve, then the content of /fz (mode 0755:
 *   an ELF, a #! script, anything).
 * resolve_in_root() is checked against the kernel's own reading,
 * openat2(RESOLVE_IN_ROOT): the same file, or the same error.
 */
#include "fuzz.h"
#include "base/log.h"
#include "handover/realinit.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The init's log is not part of what is fuzzed. */
void log_msg(int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	fmt_vbuf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

static char root[512];
static int rootfd;
static const char *const links[] = { "l0", "d/l1", "d/e/l2", "sbin/l3" };
static const char *const locked_paths[] = { "/sbin/init", "/bin/init", "/fz", NULL };
static const struct init_list locked = { locked_paths, true };

static void put(const char *rel, const void *data, size_t len, mode_t mode)
{
	int fd = openat(rootfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* An ELF header of our own class and machine, without program headers. */
static void put_elf(const char *rel)
{
	unsigned char self[64] = { 0 };
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, self, sizeof(self)) != sizeof(self))
		abort();
	close(fd);
	memset(self + 0x20, 0, sizeof(self) - 0x20);	/* no tables */
	put(rel, self, sizeof(self), 0755);
}

static void remove_tree(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "fuzz-realinit: could not remove %s\n", root);
}

/* In RAM when there is /dev/shm: ten times the runs of a disk's TMPDIR. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	if (!access("/dev/shm", W_OK))
		tmp = "/dev/shm";
	snprintf(root, sizeof(root), "%s/handoff-fuzz-realinit-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	atexit(remove_tree);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 || mkdirat(rootfd, "sbin", 0755) || mkdirat(rootfd, "bin", 0755) ||
	    mkdirat(rootfd, "lib", 0755) || mkdirat(rootfd, "d", 0755) ||
	    mkdirat(rootfd, "d/e", 0755))
		abort();
	put_elf("bin/sh");
	put_elf("lib/ld.so");
	put("d/e/f", "#!/bin/sh\n", 10, 0755);
	put("d/noexec", "#!/bin/sh\n", 10, 0644);
	if (symlinkat("/lib/ld.so", rootfd, "sbin/init") || symlinkat("../..", rootfd, "d/up") ||
	    symlinkat("loop", rootfd, "d/loop") || symlinkat("e/f", rootfd, "d/ef"))
		abort();
	return 0;
}

/* Cuts the next line off *p (at most end); NULL when none is left. */
static char *next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl + 1;
	return line;
}

static int kernel_resolve(const char *path, struct stat *st)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0)
		return -errno;
	if (fstat(fd, st))
		abort();
	close(fd);
	return 0;
}

/* An error our walk and the kernel's may count differently. */
static int limit_error(int e)
{
	return e == -ELOOP || e == -ENAMETOOLONG;
}

static void check_resolve(const char *path)
{
	char out[REALINIT_PATH_MAX];
	struct stat ours, theirs;
	int e = resolve_in_root(rootfd, path, out, sizeof(out));
	int k = kernel_resolve(path, &theirs);

	FUZZ_CHECK(e <= 0, "returned %d", e);
	if (!e) {
		FUZZ_CHECK(fuzz_terminated(out, sizeof(out)), "out not terminated");
		FUZZ_CHECK(out[0] != '/', "absolute result %s", out);
		FUZZ_CHECK(strcmp(out, "..") && strncmp(out, "../", 3) && !strstr(out, "/../") &&
			   (strlen(out) < 3 || strcmp(out + strlen(out) - 3, "/..")),
			   "result %s climbs", out);
		FUZZ_CHECK(!fstatat(rootfd, out, &ours, AT_SYMLINK_NOFOLLOW) && !S_ISLNK(ours.st_mode),
			   "result %s is not there, or a symlink", out);
	}
	if (!path[0] || limit_error(e) || limit_error(k))
		return;	/* the kernel refuses "", which we read as the root */
	FUZZ_CHECK(e == k, "%s: we say %d, the kernel %d", path, e, k);
	if (!e)
		FUZZ_CHECK(ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino,
			   "%s: we reach %s, the kernel another file", path, out);
}

static void check_exec(const char *path)
{
	char why[256] = "";
	int e = check_executable(rootfd, path, why, sizeof(why));

	FUZZ_CHECK(e <= 0, "check_executable returned %d", e);
	FUZZ_CHECK(fuzz_terminated(why, sizeof(why)), "why not terminated");
	FUZZ_CHECK(!e || why[0], "%s refused without a reason", path);
}

static void check_choose(const char *path)
{
	char out[REALINIT_PATH_MAX];

	if (!choose_init(root, path, &locked, out, sizeof(out)))
		FUZZ_CHECK(init_allowed(&locked, out), "locked list chose %s", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *p = buf, *end = buf + size, *line, *path = "/fz";
	size_t i;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i < 4; i++) {
		line = next_line(&p, end);
		unlinkat(rootfd, links[i], 0);
		if (line && line[0] && strlen(line) < 4096)
			symlinkat(line, rootfd, links[i]);
	}
	line = next_line(&p, end);
	if (line && strlen(line) < REALINIT_PATH_MAX)
		path = line;
	put("fz", p < end ? p : "", p < end ? (size_t)(end - p) : 0, 0755);
	check_resolve(path);
	check_exec(path);
	check_exec("/fz");
	check_choose(path);
	free(buf);
	return 0;
}
