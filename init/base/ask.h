/* Asking the user for a secret on every active console at once. */
#ifndef HANDOFF_ASK_H
#define HANDOFF_ASK_H

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
ssize_t ask_secret(const char *prompt, char *buf, size_t size);

#endif
