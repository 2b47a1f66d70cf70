/*
 * Whole-file reads for the host tools. They read to the end instead of
 * trusting the size stat() reports, so /proc and /sys files (size 0),
 * pipes and FIFOs read whole too.
 */
#ifndef HANDOFF_READFILE_H
#define HANDOFF_READFILE_H

#include <stddef.h>

/*
 * Reads fd to its end into a malloc'd buffer with a NUL after the *len
 * bytes (the NUL not counted); fd stays open. Returns 0, or -ENOMEM or
 * the read's -errno; on failure *buf is NULL and *len 0.
 */
int read_fd_all(int fd, char **buf, size_t *len);

/* The same for the file at path; -errno of the open as well. */
int read_all(const char *path, char **buf, size_t *len);

#endif
