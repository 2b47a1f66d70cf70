/*
 * A cpio "newc" header (070701) or its CRC variant (070702), read as the
 * kernel's initramfs unpacker reads it: the one parser of the init's
 * archive reader (layers/cpio.c) and handoff-lsinitramfs (tools/newc.c).
 * Pure: it only reads the 110 bytes it is given.
 */
#ifndef HANDOFF_NEWC_H
#define HANDOFF_NEWC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NEWC_HDR_SIZE	110
/* The kernel's limit on a name in the initramfs (PATH_MAX). */
#define NEWC_NAME_MAX	4096

struct newc {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/* Whether p (n bytes) starts with a newc magic, 070701 or 070702. */
bool newc_magic(const unsigned char *p, size_t n);

/*
 * Parses the header at p (n bytes there). Returns 0; -ENODATA when n is
 * under NEWC_HDR_SIZE; -EINVAL when the magic is neither 070701 nor
 * 070702; -EBADMSG for a field that is not 8 hex digits; -ERANGE for a
 * namesize of 0 or over NEWC_NAME_MAX.
 */
int newc_parse(const unsigned char *p, size_t n, struct newc *h);

#endif
