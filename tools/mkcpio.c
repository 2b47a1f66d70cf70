/*
 * mkcpio: write a cpio "newc" archive (an initramfs) from text lists in the
 * format of the kernel's usr/gen_init_cpio, without needing root.
 *
 * Every list is read and checked before a byte is written, so bad input
 * leaves no output behind. The output is reproducible: fixed order, inode
 * numbers and mtimes, and compressors run without timestamps. The lists
 * and the archive are tools/cpiolist.c's; this is the command line, the
 * compressor and the output file.
 */
#include "cpiolist.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG		"mkcpio"
#define errmsg(...)	cpiolist_msg(stderr, __VA_ARGS__)

static const char usage_text[] =
	"usage: " PROG " [-o OUT [-b]] [-c none|gzip|zstd|xz[:LEVEL]] [-e LIST] [-t EPOCH] LIST [LIST...]\n"
	"Write a cpio newc archive (initramfs) from gen_init_cpio style lists.\n"
	"  -o OUT    write to OUT atomically (default: standard output): a temporary\n"
	"            file, synced, renamed over OUT, OUT's directory synced\n"
	"  -b        keep the previous OUT as OUT.old (a hard link: OUT never goes missing)\n"
	"  -c COMP   compress with none (default), gzip, zstd or xz; COMP:LEVEL\n"
	"            sets the level (default: gzip:9, zstd:19, xz:9, the smallest)\n"
	"  -e LIST   first an uncompressed archive of LIST (early microcode: the\n"
	"            kernel reads it before unpacking the compressed one)\n"
	"  -t EPOCH  mtime of every entry (default: $SOURCE_DATE_EPOCH, else 0)\n"
	"  LIST      list file, '-' for standard input; several are read in order\n"
	"List lines ('#' comments and blank lines are ignored):\n"
	"  file <name> <location> <mode> <uid> <gid> [<hard links>...]\n"
	"  dir <name> <mode> <uid> <gid>\n"
	"  nod <name> <mode> <uid> <gid> <b|c> <maj> <min>\n"
	"  slink <name> <target> <mode> <uid> <gid>\n"
	"  pipe <name> <mode> <uid> <gid>\n"
	"  sock <name> <mode> <uid> <gid>\n"
	"${VAR} in a file location is replaced from the environment.\n";

/* The temp file to remove if a signal ends us mid-write. */
static volatile sig_atomic_t tmp_armed;
static char *tmp_path;
/* -b: keep the previous output as OUT.old. */
static bool keep_backup;

/* A compressor: its program, its arguments ("" is the level) and its levels. */
struct compressor {
	const char *name;
	const char *args[3];
	int dflt, min, max;
};

/*
 * Without a level the archive stays as small as these make it (the
 * Makefile's images rely on it); with one, speed may be traded for size
 * (handoff-mkinitramfs takes zstd:3 by default).
 */
static const struct compressor compressors[] = {
	{ "gzip", { "-n", "", NULL }, 9, 1, 9 },
	{ "zstd", { "", "-q", NULL }, 19, 1, 19 },
	{ "xz", { "--check=crc32", "", NULL }, 9, 0, 9 },
};

/* The compressor of -c NAME[:LEVEL] and its level; NULL when unknown. */
static const struct compressor *compressor_find(const char *spec, int *level)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct compressor *c = NULL;
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(compressors) / sizeof(compressors[0]); i++)
		if (strlen(compressors[i].name) == n && !strncmp(spec, compressors[i].name, n))
			c = &compressors[i];
	if (!c)
		return NULL;
	*level = c->dflt;
	if (!colon)
		return c;
	if (cpiolist_parse_u32(colon + 1, 10, (uint32_t)c->max, &v) || (int)v < c->min)
		return NULL;
	*level = (int)v;
	return c;
}

/* The compressor's argv, its level written as "-N" into lvl. */
static void compressor_argv(const struct compressor *c, int level, char lvl[8],
			    const char *argv[5])
{
	int i;

	snprintf(lvl, 8, "-%d", level);
	argv[0] = c->name;
	for (i = 0; c->args[i]; i++)
		argv[i + 1] = *c->args[i] ? c->args[i] : lvl;
	argv[i + 1] = NULL;
}

/* Start the compressor reading a pipe and writing outfd; *in is the pipe. */
static int start_compressor(const char *const *argv, int outfd, int *in,
			    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], ret;

	if (pipe2(pfd, O_CLOEXEC)) {
		ret = -errno;
		errmsg("pipe: %s", strerror(errno));
		return ret;
	}
	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, outfd, 1);
	/* argv is never written to; posix_spawnp just lacks the const */
	if (!ret)
		ret = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
				   environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (ret) {
		errmsg("cannot run %s: %s", argv[0], strerror(ret));
		close(pfd[1]);
		return -ret;
	}
	*in = pfd[1];
	return 0;
}

static int wait_compressor(const char *name, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			errmsg("waiting for %s: %s", name, strerror(errno));
			return -ECHILD;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		errmsg("%s was killed by signal %d", name, WTERMSIG(status));
	else
		errmsg("%s failed with exit status %d", name, WEXITSTATUS(status));
	return -EIO;
}

/* The compressor of -c and its level (none: comp is NULL). */
struct compression {
	const struct compressor *comp;
	int level;
};

/* The uncompressed archive of -e, written before the other. */
static int emit_early(int fd, const char *what, const struct cpiolist *early,
		      uint32_t mtime)
{
	int ret, werr = 0;

	ret = cpiolist_write(early, fd, mtime, &werr);
	if (werr)
		errmsg("writing %s: %s", what, strerror(werr));
	return ret ? ret : -werr;
}

/*
 * Write the archive to fd, through the compressor when there is one; after
 * the uncompressed early one when there is one.
 */
static int emit(int fd, const char *what, const struct compression *z,
		const struct cpiolist *early, const struct cpiolist *l, uint32_t mtime)
{
	const char *argv[5];
	char lvl[8];
	pid_t pid = 0;
	int in = fd, ret, werr = 0, cret = 0;

	if (early) {
		ret = emit_early(fd, what, early, mtime);
		if (ret)
			return ret;
	}
	if (z->comp) {
		compressor_argv(z->comp, z->level, lvl, argv);
		ret = start_compressor(argv, fd, &in, &pid);
		if (ret)
			return ret;
	}
	ret = cpiolist_write(l, in, mtime, &werr);
	if (z->comp) {
		if (close(in) && !werr)
			werr = errno;
		cret = wait_compressor(argv[0], pid);
	}
	/* a compressor that died already said why; EPIPE adds nothing */
	if (werr && !(werr == EPIPE && cret))
		errmsg("writing %s: %s", z->comp ? argv[0] : what, strerror(werr));
	if (werr && !ret)
		ret = -werr;
	return ret ? ret : cret;
}

static void on_signal(int sig)
{
	if (tmp_armed)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * -b: the previous out stays as out.old (an earlier one replaced): a hard
 * link, so that out never goes missing; renamed where the filesystem has
 * no hard links (vfat, as an EFI partition is).
 */
static int keep_old(const char *out)
{
	char *old;
	int ret = 0;

	if (asprintf(&old, "%s.old", out) < 0) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	if (unlink(old) && errno != ENOENT) {
		ret = -errno;
		errmsg("cannot replace %s: %s", old, strerror(errno));
	} else if (link(out, old) && errno != ENOENT &&
		   !((errno == EPERM || errno == EOPNOTSUPP) && !rename(out, old))) {
		ret = -errno;
		errmsg("cannot keep %s as %s: %s", out, old, strerror(errno));
	}
	free(old);
	return ret;
}

/* The rename is only durable once out's directory is synced. */
static int sync_dir(const char *out)
{
	const char *slash = strrchr(out, '/');
	char *dir;
	int fd, ret = 0;

	dir = slash ? strndup(out, (size_t)(slash - out) + (slash == out)) : strdup(".");
	if (!dir) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd)) {
		ret = -errno;
		errmsg("cannot sync %s (%s may not survive a power loss): %s", dir, out,
		       strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	return ret;
}

static int finish_tmp(int fd, const char *out)
{
	mode_t mask = umask(0);

	umask(mask);
	/* mkstemp makes 0600; give the image the mode a plain creat would */
	if (fchmod(fd, 0666 & ~mask) || fsync(fd)) {
		errmsg("%s: %s", tmp_path, strerror(errno));
		close(fd);
		return -EIO;
	}
	if (close(fd)) {
		errmsg("writing %s: %s", tmp_path, strerror(errno));
		return -EIO;
	}
	if (keep_backup && keep_old(out))
		return -EIO;
	if (rename(tmp_path, out)) {
		errmsg("cannot rename %s to %s: %s", tmp_path, out,
		       strerror(errno));
		return -EIO;
	}
	tmp_armed = 0;
	return sync_dir(out) ? -EIO : 0;
}

/* Write to a temp file next to out, then rename it over out. */
static int emit_file(const char *out, const struct compression *z,
		     const struct cpiolist *early, const struct cpiolist *l, uint32_t mtime)
{
	int fd, ret;

	if (asprintf(&tmp_path, "%s.tmpXXXXXX", out) < 0) {
		errmsg("out of memory");
		return -ENOMEM;
	}
	catch_signals();
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		errmsg("cannot create a temporary file for %s: %s", out,
		       strerror(errno));
		return ret;
	}
	tmp_armed = 1;
	ret = emit(fd, out, z, early, l, mtime);
	if (!ret)
		ret = finish_tmp(fd, out);
	else
		close(fd);
	if (ret && tmp_armed)
		unlink(tmp_path);
	tmp_armed = 0;
	return ret;
}

static int parse_epoch(const char *what, const char *s, uint32_t *val)
{
	if (cpiolist_parse_u32(s, 10, UINT32_MAX, val)) {
		errmsg("bad %s '%s': use a decimal number of seconds from 0 to %u (newc mtime is 32-bit)",
		       what, s, UINT32_MAX);
		return -EINVAL;
	}
	return 0;
}

static void usage_error(const char *msg)
{
	if (msg)
		errmsg("%s", msg);
	fputs(usage_text, stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct cpiolist l, early;
	const char *out = NULL, *early_list = NULL, *sde;
	struct compression z = { NULL, 0 };
	uint32_t mtime = 0;
	bool have_t = false;
	int opt, i, ret;

	cpiolist_init(&l);
	cpiolist_init(&early);
	while ((opt = getopt(argc, argv, "ho:bc:e:t:")) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return ferror(stdout) || fflush(stdout) ? 1 : 0;
		case 'o':
			out = optarg;
			break;
		case 'c':
			z.comp = NULL;
			if (strcmp(optarg, "none") && !(z.comp = compressor_find(optarg, &z.level)))
				usage_error("-c takes none, or gzip, zstd or xz with an optional level: gzip:1 to gzip:9, zstd:1 to zstd:19, xz:0 to xz:9");
			break;
		case 'e':
			early_list = optarg;
			break;
		case 'b':
			keep_backup = true;
			break;
		case 't':
			if (parse_epoch("-t", optarg, &mtime))
				return 1;
			have_t = true;
			break;
		default:
			usage_error(NULL);
		}
	}
	if (optind >= argc)
		usage_error("no LIST given");
	if (keep_backup && !out)
		usage_error("-b keeps the previous output of -o OUT: give -o");
	sde = getenv("SOURCE_DATE_EPOCH");
	if (!have_t && sde && parse_epoch("SOURCE_DATE_EPOCH", sde, &mtime))
		return 1;
	if (!out && isatty(STDOUT_FILENO)) {
		errmsg("refusing to write an archive to a terminal; use -o OUT or a redirection");
		return 1;
	}
	if (early_list && cpiolist_read(&early, early_list))
		return 1;
	for (i = optind; i < argc; i++)
		if (cpiolist_read(&l, argv[i]))
			return 1;
	/* a dead compressor or reader must give EPIPE, not kill us silently */
	signal(SIGPIPE, SIG_IGN);
	if (out)
		ret = emit_file(out, &z, early_list ? &early : NULL, &l, mtime);
	else
		ret = emit(STDOUT_FILENO, "standard output", &z, early_list ? &early : NULL, &l, mtime);
	cpiolist_free(&l);
	cpiolist_free(&early);
	return ret ? 1 : 0;
}
