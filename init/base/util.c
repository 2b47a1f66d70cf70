#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int str_copy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (!size)
		return -E2BIG;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int str_append(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(dst, size);

	if (n >= size)
		return -E2BIG;
	return str_copy(dst + n, src, size - n);
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *str_find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return n ? NULL : hay;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool hex_same(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b && (hex_digit(*a) < 0 || hex_digit(*a) != hex_digit(*b)))
			return false;
		if (!*a)
			break;
	}
	return true;
}

int parse_u64(const char *s, int base, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int d;

	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = (unsigned int)hex_digit(*s);	/* not a digit: -1, past every base */
		if (d >= (unsigned int)base)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -ERANGE;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* unsigned long is 32-bit on arm: the range is checked, not truncated. */
int parse_ulong(const char *s, int base, unsigned long *out)
{
	uint64_t v;
	int e = parse_u64(s, base, &v);

	if (e)
		return e;
	if (v > ULONG_MAX)
		return -ERANGE;
	*out = (unsigned long)v;
	return 0;
}

int parse_long(const char *s, long min, long max, long *out)
{
	unsigned long v;
	bool neg = false;
	long r;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (parse_ulong(s, 10, &v))
		return -EINVAL;
	if (v > (unsigned long)LONG_MAX + (neg ? 1UL : 0UL))
		return -ERANGE;
	if (neg)
		r = v > (unsigned long)LONG_MAX ? LONG_MIN : -(long)v;
	else
		r = (long)v;
	if (r < min || r > max)
		return -ERANGE;
	*out = r;
	return 0;
}

ssize_t read_some(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

long read_text_at(int dirfd, const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, e;

	if (!size)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read_some(fd, buf + len, size - 1 - len);
		if (n < 0) {
			e = (int)n;
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

long read_text(const char *path, char *buf, size_t size)
{
	return read_text_at(AT_FDCWD, path, buf, size);
}

/* The kernel's linux_dirent64; ino and off are layout only. */
struct dirent64_rec {
	unsigned long long ino;	/* cppcheck-suppress unusedStructMember */
	long long off;		/* cppcheck-suppress unusedStructMember */
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static bool is_dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

int for_each_dirent(int dirfd, dirent_fn fn, void *ctx)
{
	/* Aligned for the kernel's 8-byte records. */
	unsigned long long buf[256];
	struct dirent64_rec *d;
	long n, pos;
	int r;

	for (;;) {
		n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (pos = 0; pos < n; pos += d->reclen) {
			d = (struct dirent64_rec *)((char *)buf + pos);
			if (!d->reclen)
				return -EIO;
			if (is_dot(d->name))
				continue;
			r = fn(dirfd, d->name, d->type, ctx);
			if (r)
				return r;
		}
	}
}

void str_tr(char *s, char from, char to)
{
	for (; *s; s++)
		if (*s == from)
			*s = to;
}

void str_unescape_octal(char *s)
{
	static const char *const codes[] = { "040", "011", "012", "134" };
	static const char chars[] = " \t\n\\";
	char *w = s;
	size_t i;

	for (; *s; s++) {
		*w = *s;
		for (i = 0; *s == '\\' && i < ARRAY_SIZE(codes); i++) {
			if (!strncmp(s + 1, codes[i], 3)) {
				*w = chars[i];
				s += 3;
				break;
			}
		}
		w++;
	}
	*w = '\0';
}

int str_fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			break;
		f[n++] = line;
		line += strcspn(line, " \t");
		if (*line)
			*line++ = '\0';
	}
	return n;
}
