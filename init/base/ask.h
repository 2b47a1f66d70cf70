/* Asking the user for a secret on every active console at once. */
#ifndef HANDOFF_ASK_H
#define HANDOFF_ASK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ASK_SECRET_MAX 512

/*
 * Shows prompt on every active console (/proc/consoles: a serial line and
 * a screen), with echo off, and reads one line from whichever the user
 * types on first; the others' half-typed input is dropped. Echo is
 * restored on every console before return. The line (without its newline)
 * goes into buf, which the caller wipes after use. Returns its length, or
 * -errno: -ENOTTY when no console can be read, -ECANCELED on end of input.
 */
struct ask_side;
ssize_t ask_secret(const char *prompt, char *buf, size_t size, const struct ask_side *side);

/*
 * What else the prompt serves while it waits (NULL: nothing): when fd is
 * readable, ready(ctx) is called, and must read it. The kernel's uevents,
 * so that a keyboard plugged in (or probed late, as USB ones are) gets its
 * driver loaded while the prompt waits for it to be typed on.
 */
struct ask_side {
	int fd;
	void (*ready)(void *ctx);
	void *ctx;
};

/* The same on the ttys given (the unit test's ptys); ask_secret() opens the consoles. */
ssize_t ask_secret_on(const int *fds, int n, const char *prompt, char *buf, size_t size,
		      const struct ask_side *side);

/*
 * The line editing, pure: one typed byte c into line (len bytes so far, at
 * most size - 1 kept). Backspace and DEL erase a character (a whole UTF-8
 * sequence), Ctrl-U the line; CR or LF ends it, and an empty line is
 * ignored (a terminal's CR LF would otherwise answer the next question
 * with nothing). A line longer than size - 1 is rejected whole when it
 * ends (a cut passphrase would fail to unlock with no hint why); only
 * Ctrl-U undoes it. Returns ASK_MORE, ASK_LINE (line[0..len) is the
 * answer), ASK_TOO_LONG or ASK_END (Ctrl-D on an empty line).
 */
enum ask_step { ASK_MORE, ASK_LINE, ASK_TOO_LONG, ASK_END };
struct ask_line {
	size_t len;
	bool too_long;
};
enum ask_step ask_feed(struct ask_line *l, char *line, size_t size, unsigned char c);

#endif
