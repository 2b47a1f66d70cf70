/*
 * report: /sbin/init of the sample real root used by the boot tests.
 *
 * It records when it started (CLOCK_BOOTTIME), prints its pid, argv and
 * environment in a fixed format the tests parse, then execs /etc/rc with the
 * same argv and environment. It uses write(2) only, and carries on when
 * stdout is not open (no console).
 *
 * Build: musl-gcc -static -Os -s -o report report.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char buf[4096];
static size_t used;
static int out_fd = STDOUT_FILENO;
static int out_broken;

static void flush(void)
{
	size_t off = 0;

	while (off < used && !out_broken) {
		ssize_t n = write(out_fd, buf + off, used - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			out_broken = 1; /* no console: keep going silently */
		else
			off += (size_t)n;
	}
	used = 0;
}

static void put_mem(const char *s, size_t len)
{
	while (len > 0) {
		size_t room = sizeof(buf) - used;
		size_t n = len < room ? len : room;

		memcpy(buf + used, s, n);
		used += n;
		s += n;
		len -= n;
		if (used == sizeof(buf))
			flush();
	}
}

static void put(const char *s)
{
	put_mem(s, strlen(s));
}

/* Writes v in decimal, left-padded with zeros to at least width digits. */
static void put_uint(unsigned long long v, int width)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	} while (v > 0 || width > 0);
	put_mem(tmp + i, sizeof(tmp) - (size_t)i);
}

static long long usec(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000 + ts->tv_nsec / 1000;
}

/*
 * The kernel stamps its log ("Run /init as init process") with its own
 * clock, which runs tens of milliseconds off CLOCK_BOOTTIME. To compare
 * our start with it, write a line to /dev/kmsg and read back its stamp.
 * Returns our start in the kernel's log clock, in us, or -1.
 */
static long long start_in_log_clock(const struct timespec *start)
{
	char rec[512], *field;
	struct timespec now;
	long long stamp = -1;
	int r, w, i;
	ssize_t n;

	if (access("/dev/kmsg", F_OK))
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	r = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	w = open("/dev/kmsg", O_WRONLY);
	if (r < 0 || w < 0 || lseek(r, 0, SEEK_END) < 0)
		return -1;
	clock_gettime(CLOCK_BOOTTIME, &now);
	/* At debug level: in the log, not on the console. */
	if (write(w, "<7>rootfs: clock mark\n", 22) != 22)
		return -1;
	for (i = 0; i < 64 && stamp < 0; i++) {
		n = read(r, rec, sizeof(rec) - 1);
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "prio,seq,usec,flags;text" */
		if (!strstr(rec, ";rootfs: clock mark"))
			continue;
		field = strchr(rec, ',');
		field = field ? strchr(field + 1, ',') : NULL;
		if (field)
			stamp = strtoll(field + 1, NULL, 10);
	}
	close(r);
	close(w);
	return stamp < 0 ? -1 : usec(start) + stamp - usec(&now);
}

int main(int argc, char **argv)
{
	long long logged;
	struct timespec ts;
	int saved_errno;
	int i;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		ts.tv_sec = ts.tv_nsec = 0;

	put("rootfs: real init started at ");
	put_uint((unsigned long long)ts.tv_sec, 1);
	put(".");
	put_uint((unsigned long long)ts.tv_nsec / 1000, 6);
	put(" s since boot\n");

	put("rootfs: pid ");
	put_uint((unsigned long long)getpid(), 1);
	put("\n");

	for (i = 0; i < argc; i++) {
		put("rootfs: argv[");
		put_uint((unsigned long long)i, 1);
		put("]=");
		put(argv[i]);
		put("\n");
	}
	for (i = 0; environ && environ[i]; i++) {
		put("rootfs: env ");
		put(environ[i]);
		put("\n");
	}
	logged = start_in_log_clock(&ts);
	if (logged >= 0) {
		put("rootfs: real init started at ");
		put_uint((unsigned long long)logged / 1000000, 1);
		put(".");
		put_uint((unsigned long long)logged % 1000000, 6);
		put(" s in the kernel's log clock\n");
	}
	flush();

	execve("/etc/rc", argv, environ);
	saved_errno = errno;

	out_fd = STDERR_FILENO;
	out_broken = 0;
	put("rootfs: cannot exec /etc/rc: ");
	put(strerror(saved_errno));
	put("\n");
	flush();
	return 127;
}
