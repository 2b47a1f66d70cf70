/* Whole-file reads for the host tools (see readfile.h). */
#include "readfile.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int read_fd_all(int fd, char **buf, size_t *len)
{
	struct stat st;
	size_t cap = 4096, n = 0;
	char *p, *more;
	ssize_t r;

	*buf = NULL;
	*len = 0;
	/*
	 * A regular file's size saves the doublings (+2: room for the NUL,
	 * and for the read that finds the end).
	 */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 2;
	p = malloc(cap);
	if (!p)
		return -ENOMEM;
	for (;;) {
		if (cap - n < 2) {
			if (cap > SIZE_MAX / 2) {
				free(p);
				return -EFBIG;
			}
			more = realloc(p, cap * 2);
			if (!more) {
				free(p);
				return -ENOMEM;
			}
			p = more;
			cap *= 2;
		}
		r = read_some(fd, p + n, cap - n - 1);
		if (r < 0) {
			free(p);
			return (int)r;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

int read_all(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	e = read_fd_all(fd, buf, len);
	close(fd);
	return e;
}
