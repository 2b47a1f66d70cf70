/*
 * The writer (unpack.c) driven entry by entry against a scratch directory:
 * data never goes into anything but a regular file (hard links to a FIFO,
 * a character device, a symlink are refused, and do not hang), a hard link
 * carrying data replaces the whole file, and the parent-directory cache
 * follows names that are replaced. No test touches a disk: the device node
 * is 1:3 (/dev/null), made only when running as root.
 */
#include "check.h"
#include "layers/unpack.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[] = "/tmp/handoff-unpack.XXXXXX";
static char root_path[600], outside[600];
static struct arena arena;
static struct unpack u;

static volatile sig_atomic_t alarmed;

/* Without SA_RESTART: a blocked open() returns EINTR, and the test goes on. */
static void hung(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Starts a fresh root below top. */
static void fresh(const char *name)
{
	char cmd[1400];
	int fd;

	snprintf(root_path, sizeof(root_path), "%s/%s", top, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", root_path, root_path);
	if (system(cmd))
		exit(1);
	fd = open(root_path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		exit(1);
	arena.used = 0;
	unpack_init(&u, fd, &arena);
}

static void done(void)
{
	unpack_finish(&u);
	close(u.root);
}

/* One entry, its data written as the init does; 0 or the first error. */
static int put(const char *path, uint32_t mode, const char *link, bool hardlink,
	       const char *data, uint32_t maj, uint32_t min)
{
	static struct arc_entry e;
	int fd, r;

	memset(&e, 0, sizeof(e));
	snprintf(e.path, sizeof(e.path), "%s", path);
	snprintf(e.link, sizeof(e.link), "%s", link ? link : "");
	e.mode = mode;
	e.hardlink = hardlink;
	e.uid = getuid();
	e.gid = getgid();
	e.mtime = 1000000000;
	e.size = data ? strlen(data) : 0;
	e.rdev_major = maj;
	e.rdev_minor = min;
	r = unpack_begin(&u, &e, &fd);
	if (r || fd < 0)
		return r;
	r = unpack_write(&u, fd, (const uint8_t *)data, e.size);
	if (r) {
		close(fd);
		return r;
	}
	return unpack_end(&u, &e, fd);
}

/* The contents of a file below the root ("" if missing), for comparisons. */
static const char *contents(const char *dir, const char *name)
{
	static char buf[256];
	char path[1400];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return "(missing)";
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static bool exists(const char *dir, const char *name)
{
	char path[1400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !lstat(path, &st);
}

static void refused_link(const char *name, int r)
{
	TEST("hard link with data to %s: refused, the entry's reason given", name);
	CHECK_INT(r, -EPERM);
	CHECK(u.why && strstr(u.why, "not a regular file"));
}

static void hard_link_data(void)
{
	int r;

	fresh("fifo");
	CHECK_INT(put("fifo", S_IFIFO | 0644, NULL, false, NULL, 0, 0), 0);
	alarm(5);
	r = put("l", S_IFREG | 0644, "fifo", true, "data", 0, 0);
	alarm(0);
	TEST("hard link with data to a FIFO: does not block");
	CHECK(!alarmed);
	refused_link("a FIFO", r);
	done();

	fresh("symlink");
	CHECK_INT(put("target", S_IFREG | 0644, NULL, false, "keep", 0, 0), 0);
	CHECK_INT(put("s", S_IFLNK | 0777, "target", false, NULL, 0, 0), 0);
	refused_link("a symlink", put("l", S_IFREG | 0644, "s", true, "pwned", 0, 0));
	TEST("hard link with data to a symlink: the file it points at is unchanged");
	CHECK_STR(contents(root_path, "target"), "keep");
	done();

	fresh("dir");
	CHECK_INT(put("d", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	refused_link("a directory", put("l", S_IFREG | 0644, "d", true, "x", 0, 0));
	done();

	if (getuid()) {
		printf("# skip hard link with data to a character device: not root\n");
		return;
	}
	/* 1:3 is /dev/null: even if this were written to, nothing is harmed. */
	fresh("chr");
	CHECK_INT(put("null", S_IFCHR | 0666, NULL, false, NULL, 1, 3), 0);
	refused_link("a character device", put("l", S_IFREG | 0644, "null", true, "x", 0, 0));
	TEST("hard link with data to a character device: no second name made");
	CHECK(!exists(root_path, "l"));
	done();
}

static void hard_link_over_longer(void)
{
	fresh("trunc");
	CHECK_INT(put("f", S_IFREG | 0644, NULL, false, "0123456789", 0, 0), 0);
	TEST("hard link carrying data to a longer file: accepted");
	CHECK_INT(put("g", S_IFREG | 0644, "f", true, "abc", 0, 0), 0);
	TEST("hard link carrying data to a longer file: the data is the whole file");
	CHECK_STR(contents(root_path, "f"), "abc");
	CHECK_STR(contents(root_path, "g"), "abc");
	done();
}

static void parent_cache(void)
{
	char link[700];
	int r;

	fresh("swap");
	CHECK_INT(put("d", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	CHECK_INT(put("e", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	CHECK_INT(put("l", S_IFLNK | 0777, "d", false, NULL, 0, 0), 0);
	CHECK_INT(put("l/x", S_IFREG | 0644, NULL, false, "x", 0, 0), 0);
	CHECK_INT(put("l", S_IFLNK | 0777, "e", false, NULL, 0, 0), 0);
	CHECK_INT(put("l/y", S_IFREG | 0644, NULL, false, "y", 0, 0), 0);
	TEST("l -> d, l/x, l -> e, l/y: y is in e (where l now leads), not d");
	CHECK(exists(root_path, "d/x"));
	CHECK(exists(root_path, "e/y"));
	CHECK(!exists(root_path, "d/y"));
	done();

	fresh("escape");
	snprintf(link, sizeof(link), "%s", outside);
	CHECK_INT(put("d", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	CHECK_INT(put("l", S_IFLNK | 0777, "d", false, NULL, 0, 0), 0);
	CHECK_INT(put("l/x", S_IFREG | 0644, NULL, false, "x", 0, 0), 0);
	CHECK_INT(put("l", S_IFLNK | 0777, link, false, NULL, 0, 0), 0);
	r = put("l/pwned", S_IFREG | 0644, NULL, false, "pwned", 0, 0);
	TEST("l -> d, l/x, l -> outside, l/pwned: refused as leading outside");
	CHECK_INT(r, -EPERM);
	CHECK(u.why && strstr(u.why, "outside the new root"));
	CHECK(!exists(root_path, "d/pwned"));
	CHECK(!exists(outside, "pwned"));
	done();

	fresh("replace-dir");
	CHECK_INT(put("a/b", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	CHECK_INT(put("a/b/f", S_IFREG | 0644, NULL, false, "1", 0, 0), 0);
	CHECK_INT(put("c", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	CHECK_INT(put("a/b/f", S_IFREG | 0644, NULL, false, "2", 0, 0), 0);
	TEST("a file replaced in a cached directory: the new data is there");
	CHECK_STR(contents(root_path, "a/b/f"), "2");
	done();
}

static void clean_path(void)
{
	char out[16];
	const char *why = NULL;

	TEST("unpack_clean_path: ./a//b/./c is a/b/c");
	CHECK_INT(unpack_clean_path("./a//b/./c", out, sizeof(out), &why), 0);
	CHECK_STR(out, "a/b/c");
	TEST("unpack_clean_path: a name over the buffer is refused, not cut");
	CHECK_INT(unpack_clean_path("0123456789/0123456789", out, sizeof(out), &why),
		  -ENAMETOOLONG);
	TEST("unpack_clean_path: .. and absolute names");
	CHECK_INT(unpack_clean_path("a/../b", out, sizeof(out), &why), -EPERM);
	CHECK_INT(unpack_clean_path("/a", out, sizeof(out), &why), -EPERM);
}

/* The kernel refuses a hard link to a directory (EPERM): the entry says why (fuzz-unpack). */
static void hard_link_dir(void)
{
	fresh("linkdir");
	CHECK_INT(put("d", S_IFDIR | 0755, NULL, false, NULL, 0, 0), 0);
	TEST("hard link to a directory: refused with a reason");
	CHECK_INT(put("h", S_IFREG | 0644, "d", true, NULL, 0, 0), -EPERM);
	CHECK(u.why && strstr(u.why, "directory"));
}

int main(void)
{
	char cmd[700];

	struct sigaction sa = { .sa_handler = hung };

	sigaction(SIGALRM, &sa, NULL);
	if (!mkdtemp(top) || arena_init(&arena, 1 << 20))
		return 1;
	snprintf(outside, sizeof(outside), "%s/outside", top);
	if (mkdir(outside, 0755))
		return 1;
	hard_link_data();
	hard_link_over_longer();
	hard_link_dir();
	parent_cache();
	clean_path();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (!getenv("KEEP_WORK") && system(cmd))
		return 1;
	return check_failed;
}
