/*
 * fuzz-unpack: the writer (init/layers/unpack.c) behind the archive readers, as
 * the init runs it, into a scratch directory; and unpack_clean_path() on
 * the input's first line. Checks: nothing next to the scratch root changes,
 * a cleaned path has no "..", no "." and no empty component, and no entry
 * blocks (libFuzzer's alarm interrupts a blocked open(): -EINTR) nor opens
 * a device node (on the nodev tmpfs: -EACCES).
 *
 * As root it works in a private mount namespace on a nodev tmpfs (64 MiB),
 * so a device node an entry makes can never be opened; when that cannot be
 * set up, device entries become FIFOs: fuzzing never reaches a real disk.
 */
#include "layers/archive.h"
#include "fuzz.h"
#include "fuzz_src.h"
#include "layers/unpack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static struct archive arc;
static struct arc_entry ent;
static struct arena arena;
static uint8_t buf[1 << 16];
static char top[4096], root[4200], fence[4200];
static int devices_ok;

static int open_up(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (type == FTW_D && (st->st_mode & 0700) != 0700)
		chmod(path, 0700);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf without following symlinks: directories made searchable first. */
static void remove_tree(const char *path)
{
	nftw(path, open_up, 16, FTW_PHYS);
	nftw(path, remove_one, 16, FTW_PHYS | FTW_DEPTH);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)argc;
	(void)argv;
	snprintf(top, sizeof(top), "%s/fuzz-unpack.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(top))
		abort();
	if (!geteuid() && !unshare(CLONE_NEWNS) &&
	    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
	    !mount("tmpfs", top, "tmpfs", MS_NODEV | MS_NOSUID, "size=64m,mode=0755"))
		devices_ok = 1;
	fprintf(stderr, "fuzz-unpack: scratch root in %s (%s)\n", top, devices_ok ?
		"a nodev tmpfs in a private mount namespace" : "device entries made FIFOs");
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(fence, sizeof(fence), "%s/fence", top);
	fd = open(fence, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "fence\n", 6) != 6 || close(fd))
		abort();
	return arena_init(&arena, 64 << 20) ? -1 : 0;
}

static void check_clean_path(const uint8_t *data, size_t size)
{
	static char in[ARC_PATH_MAX + 64], out[ARC_PATH_MAX];
	const char *why = NULL, *s;
	size_t n = 0, len;

	while (n < size && n < sizeof(in) - 1 && data[n] != '\n' && data[n])
		n++;
	memcpy(in, data, n);
	in[n] = '\0';
	if (unpack_clean_path(in, out, sizeof(out), &why)) {
		FUZZ_CHECK(why != NULL, "refused \"%s\" without a reason", in);
		return;
	}
	FUZZ_CHECK(fuzz_terminated(out, sizeof(out)), "cleaned path not terminated");
	for (s = out; *s; s += len + (s[len] == '/')) {
		len = strcspn(s, "/");
		FUZZ_CHECK(len && !(len == 1 && s[0] == '.') && !(len == 2 && !memcmp(s, "..", 2)),
			   "\"%s\" cleaned to \"%s\"", in, out);
	}
}

/* Nothing but the root may appear or change next to it. */
static void check_fence(void)
{
	char got[16] = "";
	int fd = open(fence, O_RDONLY), names = 0;
	struct dirent *d;
	struct stat st;
	DIR *dir;

	FUZZ_CHECK(fd >= 0 && read(fd, got, sizeof(got)) == 6 && !memcmp(got, "fence\n", 6),
		   "the file next to the root changed");
	close(fd);
	FUZZ_CHECK(!lstat(fence, &st) && S_ISREG(st.st_mode) && st.st_nlink == 1,
		   "the file next to the root was replaced or got a link");
	dir = opendir(top);
	FUZZ_CHECK(dir, "cannot read %s", top);
	while ((d = readdir(dir)))
		names += strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	closedir(dir);
	FUZZ_CHECK(names == 2, "%d names next to the root, not 2", names);
}

static void unpack_input(const uint8_t *data, size_t size)
{
	struct fuzz_src m = { data, size, 0, 4093 };
	struct byte_src src = { fuzz_read, NULL, &m };
	struct unpack u;
	const uint8_t *p;
	size_t n;
	int dir, fd, r;

	arena.used = 0;
	if (archive_open(&arc, src, buf, sizeof(buf), &arena))
		return;
	if (mkdir(root, 0755) || (dir = open(root, O_RDONLY | O_DIRECTORY)) < 0)
		abort();
	unpack_init(&u, dir, &arena);
	while ((r = archive_next(&arc, &ent)) == 1) {
		if (!devices_ok && (S_ISBLK(ent.mode) || S_ISCHR(ent.mode)))
			ent.mode = S_IFIFO | (ent.mode & 07777);
		r = unpack_begin(&u, &ent, &fd);
		/* libFuzzer's alarm interrupts a blocked open(); nodev refuses a device's. */
		FUZZ_CHECK(r != -EINTR, "entry \"%s\" blocked in the writer", ent.path);
		FUZZ_CHECK(!devices_ok || r != -EACCES, "entry \"%s\": the writer opened a device node",
			   ent.path);
		if (r) {
			FUZZ_CHECK(r != -EPERM || u.why, "refused \"%s\" without a reason", ent.path);
			break;
		}
		if (fd < 0)
			continue;
		while (!(r = archive_data(&arc, &p, &n)) && n && !(r = unpack_write(&u, fd, p, n)))
			;
		if (r) {
			close(fd);
			break;
		}
		if (unpack_end(&u, &ent, fd))
			break;
	}
	unpack_finish(&u);
	close(dir);
	check_fence();
	remove_tree(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_clean_path(data, size);
	unpack_input(data, size);
	return 0;
}
