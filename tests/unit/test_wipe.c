/*
 * The one destructive function, run against traps: symlinks to files and
 * directories outside, other filesystems mounted inside (tmpfs and a bind
 * mount of an outside directory), absurd nesting. Nothing outside the
 * wiped filesystem may change. Runs in a private mount namespace, so it
 * needs root.
 */
#include "check.h"
#include "handover/wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[] = "/tmp/handoff-wipe-XXXXXX";
static char path[1024];

/* Two buffers in turn, so at() can give both arguments of one call. */
static const char *at(const char *rel)
{
	static char buf[2][1024];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, rel);
	return buf[i];
}

static void file(const char *rel)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, "data\n", 5) != 5)
		abort();
	close(fd);
}

static int exists(const char *rel)
{
	struct stat st;

	return !lstat(at(rel), &st);
}

static void must(int ok, const char *what)
{
	if (!ok) {
		perror(what);
		exit(2);
	}
}

static void build_traps(void)
{
	int i;
	char deep[1024] = "old/deep";

	must(mkdtemp(top) != NULL, "mkdtemp");
	must(!mkdir(at("old"), 0755), "mkdir old");
	/* "old" is its own tmpfs, like the initramfs. */
	must(!mount("tmpfs", at("old"), "tmpfs", 0, NULL), "mount old");
	mkdir(at("outside"), 0755);
	file("outside/keep");
	mkdir(at("old/bin"), 0755);
	file("old/init");
	file("old/bin/busybox");
	mkdir(at("old/a"), 0755);
	mkdir(at("old/a/b"), 0755);
	file("old/a/b/c");
	must(!symlink(at("outside"), at("old/link-abs-dir")), "symlink");
	must(!symlink("../outside/keep", at("old/link-rel-file")), "symlink");
	must(!symlink("/", at("old/a/link-root")), "symlink");
	must(!mkfifo(at("old/fifo"), 0600), "mkfifo");
	/* Another filesystem mounted inside: must be left whole. */
	mkdir(at("old/mnt"), 0755);
	must(!mount("tmpfs", at("old/mnt"), "tmpfs", 0, NULL), "mount mnt");
	file("old/mnt/precious");
	/* A bind mount of an outside directory: same trap, other shape. */
	mkdir(at("old/bind"), 0755);
	must(!mount(at("outside"), at("old/bind"), NULL, MS_BIND, NULL), "bind");
	/* Deeper than the wipe goes. */
	must(!mkdir(at(deep), 0755), "mkdir deep");
	for (i = 0; i < 60; i++) {
		strcat(deep, "/d");
		must(!mkdir(at(deep), 0755), "mkdir deep");
	}
}

int main(void)
{
	struct wipe_stats ws;
	int fd;

	TEST("wipe preconditions");
	if (geteuid() != 0) {
		CHECK(!"the wipe test needs root (a private mount namespace)");
		return check_failed;
	}
	must(!unshare(CLONE_NEWNS), "unshare");
	must(!mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make-private");
	build_traps();

	fd = open(at("old"), O_RDONLY | O_DIRECTORY);
	must(fd >= 0, "open old");
	wipe_tree(fd, &ws);
	close(fd);

	TEST("wipe empties its own filesystem");
	CHECK(!exists("old/init"));
	CHECK(!exists("old/bin"));
	CHECK(!exists("old/a"));
	CHECK(!exists("old/fifo"));
	CHECK(!exists("old/link-abs-dir"));
	CHECK(!exists("old/link-rel-file"));
	CHECK(ws.files >= 6);

	TEST("wipe never follows symlinks");
	CHECK(exists("outside/keep"));
	CHECK(exists("outside"));

	TEST("wipe never enters another mount");
	CHECK(exists("old/mnt/precious"));
	CHECK(exists("old/bind/keep"));

	TEST("wipe stops at its depth bound");
	CHECK(exists("old/deep"));
	CHECK(ws.kept >= 3);

	umount2(at("old/bind"), MNT_DETACH);
	umount2(at("old/mnt"), MNT_DETACH);
	umount2(at("old"), MNT_DETACH);
	TEST("outside is intact after unmounting");
	CHECK(exists("outside/keep"));
	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	if (system(path))
		return 1;
	return check_failed;
}
