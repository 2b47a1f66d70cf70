/*
 * handoff-lsinitramfs: list every member of every segment of an initramfs
 * as the kernel unpacks it: uncompressed newc archives, zero padding
 * between them, and compressed segments (gzip, zstd, xz, lzma, lz4,
 * bzip2, lzo by their magic) decompressed by the external tool through a
 * pipe. A compressed segment runs to the end of the file (its tool takes
 * the rest, concatenated members included), and may hold several
 * archives. It only reads: no path inside the image is opened, created or
 * followed on the host.
 *
 *   handoff-lsinitramfs [-q] IMAGE...
 * One line per segment ("# segment 2: zstd at 512"), then one per member:
 * mode, links, uid, gid, size (or major, minor), name [-> target].
 * Exit status: 0 listed; 1 a bad or unreadable image (said where); 2 usage.
 */
#include "newc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "handoff-lsinitramfs"

extern char **environ;

static bool quiet; /* -q: the segment lines only */

struct decompressor {
	const char *kind, *package;
	const char *argv[4];
};

static const struct decompressor decompressors[] = {
	{ "gzip", "gzip", { "gzip", "-dc", NULL } },
	{ "zstd", "zstd", { "zstd", "-dcq", NULL } },
	{ "xz", "xz-utils", { "xz", "-dc", NULL } },
	{ "lzma", "xz-utils", { "xz", "-dc", "--format=lzma", NULL } },
	{ "lz4", "lz4", { "lz4", "-dc", NULL } },
	{ "bzip2", "bzip2", { "bzip2", "-dc", NULL } },
	{ "lzo", "lzop", { "lzop", "-dc", NULL } },
};

static const struct decompressor *decompressor_for(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(decompressors) / sizeof(decompressors[0]); i++)
		if (!strcmp(decompressors[i].kind, kind))
			return &decompressors[i];
	return NULL;
}

static int print_entry(void *arg, const struct newc *h, const char *name, const char *target)
{
	char mode[11];

	(void)arg;
	if (quiet)
		return 0;
	newc_mode(h->mode, mode);
	if (S_ISBLK(h->mode) || S_ISCHR(h->mode))
		printf("%s %3u %5u %5u %5u, %3u %s\n", mode, h->nlink, h->uid, h->gid,
		       h->rdevmajor, h->rdevminor, name);
	else if (target)
		printf("%s %3u %5u %5u %10u %s -> %s\n", mode, h->nlink, h->uid, h->gid,
		       h->filesize, name, target);
	else
		printf("%s %3u %5u %5u %10u %s\n", mode, h->nlink, h->uid, h->gid,
		       h->filesize, name);
	return 0;
}

/* An fd as a byte source. */
static int fd_read(void *ctx, unsigned char *buf, size_t n, size_t *got)
{
	int fd = *(int *)ctx;

	*got = 0;
	while (*got < n) {
		ssize_t r = read(fd, buf + *got, n - *got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return 0;
}

/* The image in memory as a byte source (the uncompressed segments). */
struct mem {
	const unsigned char *p;
	size_t n, pos;
};

static int mem_read(void *ctx, unsigned char *buf, size_t n, size_t *got)
{
	struct mem *m = ctx;
	size_t k = m->n - m->pos < n ? m->n - m->pos : n;

	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	*got = k;
	return 0;
}

/* The decompressor reading the image from off, writing into a pipe. */
static int spawn_decompressor(const struct decompressor *d, int fd, off_t off, pid_t *pid,
			      int *out)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], ret;

	if (lseek(fd, off, SEEK_SET) < 0)
		return -errno;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, fd, 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (!ret)
		ret = posix_spawnp(pid, d->argv[0], &fa, NULL, (char *const *)d->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (ret) {
		close(pfd[0]);
		return -ret;
	}
	*out = pfd[0];
	return 0;
}

/* Lists a compressed segment: every archive the tool's output holds. */
static int list_compressed(const char *path, int fd, off_t off, const char *kind)
{
	const struct decompressor *d = decompressor_for(kind);
	struct newc_src src = { fd_read, NULL, 0 };
	char err[512];
	int out, ret, status, n = 0;
	pid_t pid = 0;

	ret = spawn_decompressor(d, fd, off, &pid, &out);
	if (ret) {
		fprintf(stderr, PROG ": %s: cannot run %s for the %s segment at %lld: %s (install the package %s)\n",
			path, d->argv[0], kind, (long long)off, strerror(-ret), d->package);
		return -1;
	}
	src.ctx = &out;
	while ((ret = newc_walk(&src, print_entry, NULL, err, sizeof(err))) == 0)
		n++;
	/* Whatever the walk left unread, the tool must not block on. */
	close(out);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret < 0) {
		fprintf(stderr, PROG ": %s: the %s segment at %lld, after decompression: %s\n",
			path, kind, (long long)off, err);
		return -1;
	}
	/* gzip's 2 is a warning (trailing zeros ignored). */
	if (!WIFEXITED(status) || (WEXITSTATUS(status) && !(WEXITSTATUS(status) == 2 && !strcmp(kind, "gzip")))) {
		fprintf(stderr, PROG ": %s: %s failed on the %s segment at %lld (%s %d): the data is corrupt or truncated\n",
			path, d->argv[0], kind, (long long)off,
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	if (n == 0) {
		fprintf(stderr, PROG ": %s: the %s segment at %lld holds no cpio archive\n",
			path, kind, (long long)off);
		return -1;
	}
	return 0;
}

static int read_image(const char *path, int *fd, unsigned char **buf, size_t *len)
{
	struct stat st;
	ssize_t r;
	size_t got = 0;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf)
		return -ENOMEM;
	while (got < *len) {
		r = pread(*fd, *buf + got, *len - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		got += (size_t)r;
	}
	return 0;
}

static int list_image(const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0, off = 0;
	int fd = -1, seg = 0, ret;
	char err[512];

	ret = read_image(path, &fd, &buf, &len);
	if (ret) {
		fprintf(stderr, PROG ": %s: %s\n", path,
			ret == -EINVAL ? "not a regular file" : strerror(-ret));
		goto out;
	}
	for (;;) {
		struct mem m = { buf, len, off };
		struct newc_src src = { mem_read, &m, off };
		const char *kind;

		/* Zero padding between segments, 4 bytes at a time as the kernel skips it. */
		while (off < len && buf[off] == 0)
			off++;
		if (off >= len)
			break;
		kind = newc_kind(buf + off, len - off);
		if (!kind) {
			fprintf(stderr, PROG ": %s: bad magic at offset %zu: neither a newc cpio header (070701) nor a known compression\n",
				path, off);
			ret = -1;
			break;
		}
		printf("# segment %d: %s at %zu\n", ++seg,
		       strcmp(kind, "cpio") ? kind : "uncompressed cpio", off);
		if (strcmp(kind, "cpio")) {
			fflush(stdout);
			ret = list_compressed(path, fd, (off_t)off, kind);
			break;
		}
		m.pos = off;
		ret = newc_walk(&src, print_entry, NULL, err, sizeof(err));
		if (ret) {
			fprintf(stderr, PROG ": %s: %s\n", path, err);
			break;
		}
		off = m.pos;
	}
	if (!ret && seg == 0) {
		fprintf(stderr, PROG ": %s: empty: no segment in %zu bytes\n", path, len);
		ret = -1;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	fflush(stdout);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "qh")) != -1) {
		switch (opt) {
		case 'q':
			quiet = true;
			break;
		default:
			fprintf(stderr, "usage: " PROG " [-q] IMAGE...\n"
				"List every member of every segment of an initramfs (-q: the segments only).\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: " PROG " [-q] IMAGE...\n");
		return 2;
	}
	/* A decompressor that quits early must not kill us with SIGPIPE: we only read. */
	signal(SIGPIPE, SIG_IGN);
	for (int first = optind; optind < argc; optind++) {
		if (argc - first > 1)
			printf("# %s\n", argv[optind]);
		status |= list_image(argv[optind]);
	}
	return status;
}
