/*
 * The passphrase prompt: its line editing over a byte stream, and the
 * prompt itself over ptys (no echo, first line wins, termios restored).
 */
#include "check.h"
#include "base/ask.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Feeds s to a fresh line; the last step, and the line in out. */
static enum ask_step feed(const char *s, char *out, size_t size)
{
	struct ask_line l = { 0 };
	enum ask_step step = ASK_MORE;

	for (; *s; s++) {
		step = ask_feed(&l, out, size, (unsigned char)*s);
		if (step == ASK_LINE) {
			out[l.len] = '\0';
			return step;
		}
	}
	return step;
}

struct pty {
	int master, slave;
};

static int pty_open(struct pty *p)
{
	struct termios t;
	char *name;

	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (p->master < 0 || grantpt(p->master) || unlockpt(p->master))
		return -1;
	name = ptsname(p->master);
	p->slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (p->slave < 0 || tcgetattr(p->slave, &t))
		return -1;
	/* A console as the kernel leaves it: canonical, echoing. */
	t.c_lflag |= ECHO | ICANON;
	return tcsetattr(p->slave, TCSANOW, &t);
}

/* Appends what the master has to out until want shows (2 s at most). */
static int read_until(int fd, char *out, size_t size, const char *want)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = strlen(out);
	ssize_t r;

	while (!strstr(out, want)) {
		if (poll(&p, 1, 2000) <= 0)
			return -1;
		r = read(fd, out + len, size - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		out[len] = '\0';
	}
	return 0;
}

/* The prompt in a child on n slaves; the answer comes back through res. */
static struct pty p[2];

/* The side the prompt serves (uevents at boot): a pipe; serving it says so on the console. */
static int side_pipe[2];

static void served(void *console)
{
	char c;

	if (read(side_pipe[0], &c, 1) == 1 && write(*(int *)console, "[served]", 8) != 8)
		_exit(1);
}

static pid_t ask_child_side(int first, int n, size_t size, int res, bool side)
{
	struct ask_side s = { side_pipe[0], served, &p[first].slave };
	char buf[ASK_SECRET_MAX + sizeof(ssize_t)];
	int fds[4], i;
	pid_t pid = fork();
	ssize_t r;

	if (pid)
		return pid;
	/* The parent's close of a master must hang the slave up. */
	close(p[0].master);
	close(p[1].master);
	for (i = 0; i < n; i++)
		fds[i] = p[first + i].slave;
	r = ask_secret_on(fds, n, "Passphrase: ", buf + sizeof(r), size, side ? &s : NULL);
	memcpy(buf, &r, sizeof(r));
	if (write(res, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		_exit(1);
	_exit(0);
}

static pid_t ask_child(int first, int n, size_t size, int res)
{
	return ask_child_side(first, n, size, res, false);
}

static ssize_t answer(pid_t pid, int res, char *out)
{
	char buf[ASK_SECRET_MAX + sizeof(ssize_t)];
	ssize_t r = -999;
	int status;

	if (read(res, buf, sizeof(buf)) == (ssize_t)sizeof(buf)) {
		memcpy(&r, buf, sizeof(r));
		if (r >= 0)
			memcpy(out, buf + sizeof(r), (size_t)r + 1);
	}
	waitpid(pid, &status, 0);
	return r;
}

static bool echoing(int fd)
{
	struct termios t;

	return !tcgetattr(fd, &t) && (t.c_lflag & ECHO) && (t.c_lflag & ICANON);
}

static void type(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		CHECK(!"write to the pty");
}

int main(void)
{
	char line[ASK_SECRET_MAX], out0[4096], out1[4096], got[ASK_SECRET_MAX];
	int res[2];
	pid_t pid;

	TEST("ask_feed: a line ends at CR or LF");
	CHECK_INT(feed("secret\r", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "secret");
	CHECK_INT(feed("secret\n", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "secret");
	CHECK_INT(feed("secret", line, sizeof(line)), ASK_MORE);

	TEST("ask_feed: backspace and DEL erase, Ctrl-U clears");
	CHECK_INT(feed("sexx\b\x7f" "cret\r", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "secret");
	CHECK_INT(feed("\b\bwrong\x15right\n", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "right");
	/* é is two bytes: one backspace erases both. */
	CHECK_INT(feed("caf\xc3\xa9\x7f" "e\r", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "cafe");

	TEST("ask_feed: an empty line is no answer, Ctrl-D on one ends");
	CHECK_INT(feed("\r\n\r", line, sizeof(line)), ASK_MORE);
	CHECK_INT(feed("\nok\r", line, sizeof(line)), ASK_LINE);
	CHECK_STR(line, "ok");
	CHECK_INT(feed("\x04", line, sizeof(line)), ASK_END);
	CHECK_INT(feed("a\x04", line, sizeof(line)), ASK_MORE);

	TEST("ask_feed: a line too long is rejected whole, Ctrl-U forgives");
	CHECK_INT(feed("1234567\r", line, 8), ASK_LINE);
	CHECK_STR(line, "1234567");
	CHECK_INT(feed("12345678\r", line, 8), ASK_TOO_LONG);
	CHECK_INT(feed("12345678\b\r", line, 8), ASK_TOO_LONG);
	CHECK_INT(feed("123456789\x15" "abc\r", line, 8), ASK_LINE);
	CHECK_STR(line, "abc");

	TEST("ask_secret_on: no terminal, no prompt");
	CHECK(!pipe(res));
	CHECK_INT(ask_secret_on(res, 2, "x: ", line, sizeof(line), NULL), -ENOTTY);
	close(res[0]);
	close(res[1]);

	CHECK(!pipe(res));
	if (pty_open(&p[0]) || pty_open(&p[1])) {
		TEST("ask_secret_on over ptys");
		CHECK(!"a pty pair: is /dev/pts mounted?");
		return 1;
	}

	TEST("ask_secret_on: no echo, editing, termios restored");
	out0[0] = '\0';
	pid = ask_child(0, 1, sizeof(got), res[1]);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: "));
	CHECK(!echoing(p[0].slave));
	type(p[0].master, "hunter3\x7f" "2\r");
	CHECK_INT(answer(pid, res[0], got), 7);
	CHECK_STR(got, "hunter2");
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: \r\n"));
	CHECK(!strstr(out0, "hunter"));
	CHECK(echoing(p[0].slave));

	TEST("ask_secret_on: two consoles, the first line wins");
	out0[0] = out1[0] = '\0';
	pid = ask_child(0, 2, sizeof(got), res[1]);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: "));
	CHECK(!read_until(p[1].master, out1, sizeof(out1), "Passphrase: "));
	type(p[0].master, "half");
	type(p[1].master, "second\r");
	CHECK_INT(answer(pid, res[0], got), 6);
	CHECK_STR(got, "second");
	/* The newline the echo did not write, on both. */
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: \r\n"));
	CHECK(!read_until(p[1].master, out1, sizeof(out1), "Passphrase: \r\n"));
	CHECK(echoing(p[0].slave) && echoing(p[1].slave));
	tcflush(p[0].slave, TCIFLUSH);

	TEST("ask_secret_on: too long, said on every console, asked again");
	out0[0] = out1[0] = '\0';
	pid = ask_child(0, 2, 8, res[1]);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: "));
	type(p[0].master, "123456789\r");
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "too long, try again\r\nPassphrase: "));
	CHECK(!read_until(p[1].master, out1, sizeof(out1), "too long, try again\r\nPassphrase: "));
	type(p[0].master, "1234567\r");
	CHECK_INT(answer(pid, res[0], got), 7);
	CHECK_STR(got, "1234567");
	CHECK(echoing(p[0].slave) && echoing(p[1].slave));

	TEST("ask_secret_on: the side is served while the prompt waits");
	CHECK(!pipe(side_pipe));
	out0[0] = '\0';
	pid = ask_child_side(0, 1, sizeof(got), res[1], true);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: "));
	CHECK(write(side_pipe[1], "e", 1) == 1);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "[served]"));
	CHECK(write(side_pipe[1], "e", 1) == 1);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "[served][served]"));
	type(p[0].master, "typed\r");
	CHECK_INT(answer(pid, res[0], got), 5);
	CHECK_STR(got, "typed");
	CHECK(echoing(p[0].slave));

	TEST("ask_secret_on: every console hung up, cancelled");
	out0[0] = '\0';
	pid = ask_child(0, 1, sizeof(got), res[1]);
	CHECK(!read_until(p[0].master, out0, sizeof(out0), "Passphrase: "));
	close(p[0].master);
	CHECK_INT(answer(pid, res[0], got), -ECANCELED);

	/* As ask_secret() opens the consoles: non-blocking. */
	fcntl(p[1].slave, F_SETFL, fcntl(p[1].slave, F_GETFL) | O_NONBLOCK);
	TEST("ask_secret_on: Ctrl-D on an empty line, cancelled");
	out1[0] = '\0';
	pid = ask_child(1, 1, sizeof(got), res[1]);
	CHECK(!read_until(p[1].master, out1, sizeof(out1), "Passphrase: "));
	type(p[1].master, "ab\x7f\x7f\x04");
	CHECK_INT(answer(pid, res[0], got), -ECANCELED);
	CHECK(echoing(p[1].slave));
	return check_failed;
}
