/*
 * Messages: "handoff: ..." to /dev/kmsg (so dmesg keeps them) and to the
 * console. A tiny formatter keeps stdio out of the init.
 */
#ifndef HANDOFF_LOG_H
#define HANDOFF_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_NOTICE = 5,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/*
 * Formats like snprintf for the subset the init uses: %s %c %d %i %u %x %o
 * with the l, ll and z size prefixes, and %%. Always terminates; returns
 * the length written (output is cut at size - 1).
 */
size_t fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_buf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Copies s with control characters (below 0x20, and 0x7f) written as
 * \xNN, so text from outside (a disk label, a parameter) cannot drive the
 * terminal. Same bounds and result as fmt_buf; an escape is never cut.
 */
size_t fmt_printable(char *buf, size_t size, const char *s);

/* Puts fds 0-2 on /dev/console (console.c); without one, on /dev/null if or_null. */
void open_console(bool or_null);
/*
 * In a child about to exec: a session of its own, fds 0-2 on the console's
 * own tty (not /dev/console, which can be no controlling terminal), made
 * its controlling terminal: job control, and Ctrl-C reaches it.
 */
void console_as_terminal(void);
/*
 * The active consoles' names ("ttyS0", "tty0"; the last is /dev/console's),
 * split in buf; at most max of them. Returns how many (0 when unknown).
 */
int console_names(char *buf, size_t size, char *names[], int max);

void log_open(void);
/* Waits (at most a second) until the consoles have sent what is queued. */
void log_drain(void);
void log_set_debug(int on);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The tty behind /dev/console ("ttyS0"), or "" when unknown. */
const char *log_console_tty(void);
/* Milliseconds since boot (CLOCK_BOOTTIME). */
long log_ms(void);

/*
 * err, warn and notice reach the consoles; info (progress) goes to the
 * kernel log only, and to the consoles with rd.debug; debug only with it.
 */
#define err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Writes all of s to fd, again after EINTR; 0 or -1. */
int write_all(int fd, const char *s, size_t len);
/* Writes s to the existing file path (a sysfs or /proc knob): 0 or -errno. */
int write_file(const char *path, const char *s);

/* strerror() of a -errno or errno value. */
const char *errtext(int e);

#endif
