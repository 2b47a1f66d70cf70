#include "base/ask.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define ASK_CONSOLES 4

enum ask_step ask_feed(struct ask_line *l, char *line, size_t size, unsigned char c)
{
	switch (c) {
	case '\r':
	case '\n':
		if (l->too_long) {
			l->too_long = false;
			l->len = 0;
			return ASK_TOO_LONG;
		}
		return l->len ? ASK_LINE : ASK_MORE;
	case '\b':
	case 0x7f:
		/* A UTF-8 character is its lead byte and the 10xxxxxx after it. */
		while (!l->too_long && l->len && ((unsigned char)line[--l->len] & 0xc0) == 0x80)
			;
		return ASK_MORE;
	case 0x15:	/* Ctrl-U */
		l->len = 0;
		l->too_long = false;
		return ASK_MORE;
	case 0x04:	/* Ctrl-D */
		return l->len || l->too_long ? ASK_MORE : ASK_END;
	}
	if (l->len + 1 >= size)
		l->too_long = true;
	else if (!l->too_long)
		line[l->len++] = (char)c;
	return ASK_MORE;
}

static void say_all(const int *fds, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			write_all(fds[i], s, strlen(s));
}

/* Reads the consoles until one has a line; its length, or -errno. */
static ssize_t read_line(int *fds, int n, const char *prompt, char line[][ASK_SECRET_MAX],
			 size_t size, struct ask_line *st, const struct ask_side *side)
{
	struct pollfd pfd[ASK_CONSOLES + 1];
	nfds_t npfd;
	unsigned char c;
	int i, open_fds;
	ssize_t r;

	for (;;) {
		open_fds = 0;
		for (i = 0; i < n; i++) {
			pfd[i].fd = fds[i];
			pfd[i].events = POLLIN;
			open_fds += fds[i] >= 0;
		}
		if (!open_fds)
			return -ECANCELED;
		npfd = (nfds_t)n;
		if (side && side->fd >= 0)
			pfd[npfd++] = (struct pollfd){ .fd = side->fd, .events = POLLIN };
		if (poll(pfd, npfd, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (npfd > (nfds_t)n && pfd[n].revents)
			side->ready(side->ctx);
		for (i = 0; i < n; i++) {
			if (fds[i] < 0 || !pfd[i].revents)
				continue;
			/* One byte at a time: what follows the line stays queued. */
			r = read(fds[i], &c, 1);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				fds[i] = -1;	/* hung up: the others may still answer */
				continue;
			}
			switch (ask_feed(&st[i], line[i], size, c)) {
			case ASK_MORE:
				break;
			case ASK_LINE:
				say_all(fds, n, "\n");
				return i;
			case ASK_TOO_LONG:
				say_all(fds, n, "\ntoo long, try again\n");
				say_all(fds, n, prompt);
				break;
			case ASK_END:
				say_all(fds, n, "\n");
				return -ECANCELED;
			}
			c = 0;
		}
	}
}

ssize_t ask_secret_on(const int *fds, int n, const char *prompt, char *buf, size_t size,
		      const struct ask_side *side)
{
	struct termios saved[ASK_CONSOLES], t;
	bool got[ASK_CONSOLES];
	char line[ASK_CONSOLES][ASK_SECRET_MAX];
	struct ask_line st[ASK_CONSOLES];
	int tty[ASK_CONSOLES], i, ttys = 0;
	ssize_t r;

	if (size < 2)
		return -EINVAL;
	if (size > ASK_SECRET_MAX)
		size = ASK_SECRET_MAX;
	if (n > ASK_CONSOLES)
		n = ASK_CONSOLES;
	for (i = 0; i < n; i++) {
		tty[i] = -1;
		st[i] = (struct ask_line){ 0 };
		got[i] = !tcgetattr(fds[i], &saved[i]);
		if (!got[i])
			continue;	/* not a terminal: nobody types there */
		t = saved[i];
		/* Our own editing, byte by byte: ^H and DEL alike, CR as a serial line sends it. */
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
		t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		if (tcsetattr(fds[i], TCSANOW, &t))
			continue;
		tty[i] = fds[i];
		ttys++;
	}
	r = -ENOTTY;
	if (ttys) {
		say_all(tty, n, prompt);
		r = read_line(tty, n, prompt, line, size, st, side);
		if (r >= 0) {
			memcpy(buf, line[r], st[r].len);
			buf[st[r].len] = '\0';
			r = (ssize_t)st[r].len;
		}
	}
	/* Every console, also one that hung up meanwhile (tty[i] is -1 then). */
	for (i = 0; i < n; i++)
		if (got[i])
			tcsetattr(fds[i], TCSANOW, &saved[i]);
	explicit_bzero(line, sizeof(line));
	return r;
}

ssize_t ask_secret(const char *prompt, char *buf, size_t size, const struct ask_side *side)
{
	char names_buf[256], path[64], *names[ASK_CONSOLES];
	int fds[ASK_CONSOLES], i, n, opened = 0;
	ssize_t r;

	n = console_names(names_buf, sizeof(names_buf), names, ASK_CONSOLES);
	for (i = 0; i < n; i++) {
		fmt_buf(path, sizeof(path), "/dev/%s", names[i]);
		/*
		 * Non-blocking: a serial line stuck by flow control or waiting
		 * for carrier must not hold the prompt up on the others (a
		 * write that cannot go out is dropped; reads follow poll()).
		 */
		fds[opened] = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
		if (fds[opened] >= 0)
			opened++;
	}
	if (!opened)
		return -ENOTTY;
	r = ask_secret_on(fds, opened, prompt, buf, size, side);
	for (i = 0; i < opened; i++)
		close(fds[i]);
	return r;
}
