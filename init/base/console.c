#include "base/log.h"
#include "base/util.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <string.h>
#include <unistd.h>

/* fds 0-2 that are open already (the kernel opens them on dev/console). */
static bool have_stdio(void)
{
	return fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0;
}

void open_console(bool or_null)
{
	int fd;

	/* Opening a tty again costs milliseconds on an emulated serial port. */
	if (or_null && have_stdio())
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);

	/* No console (console=null, none compiled in): keep 0-2 taken. */
	if (fd < 0 && or_null)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

void console_as_terminal(void)
{
	char tty[48] = "/dev/console";
	int fd;

	setsid();
	if (log_console_tty()[0])
		fmt_buf(tty, sizeof(tty), "/dev/%s", log_console_tty());
	fd = open(tty, O_RDWR);
	if (fd < 0)
		fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		ioctl(0, TIOCSCTTY, 1);
	}
}

/*
 * /sys/class/tty/console/active: "ttyS0 tty0", the last is /dev/console.
 * These are /proc/consoles' enabled entries that have a tty device.
 */
int console_names(char *buf, size_t size, char *names[], int max)
{
	char *name, *next;
	int n = 0;

	if (read_text("/sys/class/tty/console/active", buf, size) <= 0)
		return 0;
	for (name = buf; *name && n < max; name = next) {
		name += strspn(name, " \n");
		next = name + strcspn(name, " \n");
		if (*next)
			*next++ = '\0';
		if (*name)
			names[n++] = name;
	}
	return n;
}
