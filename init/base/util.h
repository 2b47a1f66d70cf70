/* Small helpers shared by the init and the host tools. */
#ifndef HANDOFF_UTIL_H
#define HANDOFF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* The init's own directory, which the real system finds: /run moves into the new root. */
#define RUN_DIR "/run/handoff"

/* Copies at most size-1 bytes and always terminates; returns -E2BIG if cut. */
int str_copy(char *dst, const char *src, size_t size);
/* Appends src; same contract as str_copy. */
int str_append(char *dst, const char *src, size_t size);
bool str_starts(const char *s, const char *prefix);
/* Naive searches: musl's strstr/memmem are a kilobyte each, our inputs tiny. */
const char *str_find(const char *hay, const char *needle);
/*
 * Undoes the kernel's (and fstab's) escapes in a field, in place: \040
 * (space), \011 (tab), \012 (newline), \134 (backslash). Nothing else is
 * decoded, so no field can become empty or hide a NUL.
 */
void str_unescape_octal(char *s);
/* Each from in s becomes to, in place (sysfs spells /dev/cciss/c0d0 "cciss!c0d0"). */
void str_tr(char *s, char from, char to);
/*
 * Splits a table line (fstab, crypttab) in place into at most max fields
 * separated by blanks; a '#' where a field would start ends the line.
 * Returns how many; the text after the last one is left whole.
 */
int str_fields(char *line, char **f, int max);
/* A hex digit's value (either case), or -1. */
int hex_digit(char c);
/* Up to n characters of a and b the same, hex letters in either case (UUIDs, hashes):
 * strncasecmp() for them without libc's 0.2 KiB. */
bool hex_same(const char *a, const char *b, size_t n);
/* Parses a whole string as a signed decimal number in [min, max]. */
int parse_long(const char *s, long min, long max, long *out);
/* Parses a whole string as an unsigned number in base 10 or 16 ("0x" allowed in 16). */
int parse_ulong(const char *s, int base, unsigned long *out);
int parse_u64(const char *s, int base, uint64_t *out);
/* read(2), again after EINTR; the bytes read, 0 at the end, or -errno. */
ssize_t read_some(int fd, void *buf, size_t n);
/* Reads a small file into buf (NUL-terminated); returns its length or -errno. */
long read_text(const char *path, char *buf, size_t size);
/* Same, relative to a directory fd. */
long read_text_at(int dirfd, const char *path, char *buf, size_t size);

/*
 * Calls fn for each entry of an open directory but "." and "..", reading
 * with getdents64 into a stack buffer (no malloc). Stops when fn returns
 * nonzero and passes that on; returns 0 or -errno otherwise.
 */
typedef int (*dirent_fn)(int dirfd, const char *name, unsigned char type, void *ctx);
int for_each_dirent(int dirfd, dirent_fn fn, void *ctx);
#endif
