#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "handoff: "
/* The kernel rate-limits each open /dev/kmsg to 10 lines per 5 s. */
#define KMSG_WRITES_PER_OPEN 8

#define MAX_CONSOLES 4
/* How long a reboot waits for the consoles to send what is queued. */
#define DRAIN_MS 1000

static int kmsg_fd = -1;
static int kmsg_writes;
/* Every active console, so a board with two shows messages on both. */
static int console_fd[MAX_CONSOLES];
static int consoles;
static char last_console[32];	/* /dev/console's tty, for job control */
static bool consoles_opened;
static int console_level = -1;	/* read when first needed */
static int debug_on;

static int open_kmsg(void)
{
	return open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

/* Opened on first use: a boot that goes well writes nothing to them. */
static void open_consoles(void)
{
	char buf[256], path[64], *names[MAX_CONSOLES];
	int i, n, fd;

	if (consoles_opened)
		return;
	consoles_opened = true;
	n = console_names(buf, sizeof(buf), names, MAX_CONSOLES);
	for (i = 0; i < n; i++) {
		fmt_buf(path, sizeof(path), "/dev/%s", names[i]);
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0)
			console_fd[consoles++] = fd;
		str_copy(last_console, names[i], sizeof(last_console));
	}
}

const char *log_console_tty(void)
{
	open_consoles();
	return last_console;
}

void log_open(void)
{
	if (kmsg_fd < 0)
		kmsg_fd = open_kmsg();
}

/* Read late: a boot that goes well never needs it, and /proc/sys is slow. */
static int get_console_level(void)
{
	char buf[64];
	long v;

	if (console_level >= 0)
		return console_level;
	console_level = 7;	/* the kernel's default console_loglevel */
	if (read_text("/proc/sys/kernel/printk", buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, " \t\n")] = '\0';
		if (!parse_long(buf, 0, 15, &v))
			console_level = (int)v;
	}
	return console_level;
}

/*
 * A tty sends what write() queued from its interrupts, later: a reboot
 * right after an error would cut the error off the screen. Bounded, for a
 * console whose flow control never lets it go.
 */
static void drain(int fd, long end)
{
	int queued;

	while (!ioctl(fd, TIOCOUTQ, &queued) && queued > 0 && log_ms() < end)
		poll(NULL, 0, 5);
}

void log_drain(void)
{
	long end = log_ms() + DRAIN_MS;
	int i;

	drain(2, end);
	for (i = 0; i < consoles; i++)
		drain(console_fd[i], end);
}

void log_set_debug(int on)
{
	debug_on = on;
}

long log_ms(void)
{
	struct timespec ts;

	/*
	 * The raw syscall: musl's vDSO lookup costs a kilobyte of code. On
	 * 32-bit arches musl's time_t is 64-bit: the time64 call fills its
	 * struct timespec (the kernel's 64-bit tv_nsec overlays musl's long
	 * and its padding).
	 */
#ifdef SYS_clock_gettime64
	if (syscall(SYS_clock_gettime64, CLOCK_BOOTTIME, &ts))
#else
	if (syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &ts))
#endif
		return 0;
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), e = 0;

	if (fd < 0)
		return -errno;
	if (write_all(fd, s, strlen(s)))
		e = errno ? -errno : -EIO;
	close(fd);
	return e;
}

static void to_consoles(const char *s, size_t len)
{
	int i;

	open_consoles();
	if (!consoles) {
		write_all(2, s, len);
		return;
	}
	for (i = 0; i < consoles; i++)
		write_all(console_fd[i], s, len);
}

/* Returns 0 when the kernel took the line. */
static int to_kmsg(const char *line, size_t len)
{
	if (kmsg_fd < 0)
		return -1;
	if (++kmsg_writes > KMSG_WRITES_PER_OPEN) {
		int fd = open_kmsg();

		if (fd >= 0) {
			close(kmsg_fd);
			kmsg_fd = fd;
		}
		kmsg_writes = 1;
	}
	return write_all(kmsg_fd, line, len);
}

void log_msg(int level, const char *fmt, ...)
{
	int klevel = level == LOG_INFO ? LOG_DEBUG : level;
	bool kmsg_ok;
	char msg[1000], line[1024];
	size_t len;
	va_list ap;

	if (level >= LOG_DEBUG && !debug_on)
		return;
	va_start(ap, fmt);
	fmt_vbuf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* "<N>" picks the level in kmsg; the console copy skips it. */
	len = fmt_buf(line, sizeof(line), "<%d>" PREFIX, klevel);
	len += fmt_printable(line + len, sizeof(line) - len - 1, msg);
	line[len++] = '\n';
	line[len] = '\0';

	/*
	 * A serial console takes about 7 ms a line, as long as the whole
	 * switch: progress lines (info) go to the kernel log at debug level,
	 * which the console does not show by default; rd.debug shows them.
	 * The kernel echoes kmsg lines below console_loglevel to every console
	 * itself; write to ours only what it would not show, so each line
	 * appears once.
	 */
	kmsg_ok = !to_kmsg(line, len);
	if (level > LOG_NOTICE && !debug_on)
		return;
	if (kmsg_ok && klevel < get_console_level())
		return;
	to_consoles(line + 3, len - 3);
}
