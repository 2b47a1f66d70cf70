/*
 * errno texts for the errors an init meets, worded as the C library
 * words them. musl's full table is two kilobytes; this is what we need.
 */
#include "base/log.h"

#include <errno.h>

static const struct {
	unsigned char code;
	const char *text;
} texts[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ EINTR, "Interrupted system call" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ ENOEXEC, "Exec format error" },
	{ EBADF, "Bad file descriptor" },
	{ ECHILD, "No child process" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Out of memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ ENOTBLK, "Block device required" },
	{ EBUSY, "Resource busy" },
	{ EEXIST, "File exists" },
	{ EXDEV, "Cross-device link" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ EMFILE, "No file descriptors available" },
	{ ENOTTY, "Not a tty" },
	{ ETXTBSY, "Text file busy" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ EROFS, "Read-only file system" },
	{ ERANGE, "Result not representable" },
	{ ENAMETOOLONG, "Filename too long" },
	{ ENOSYS, "Function not implemented" },
	{ ENOTEMPTY, "Directory not empty" },
	{ ELOOP, "Symbolic link loop" },
	{ ENODATA, "No data available" },
	{ EOVERFLOW, "Value too large for data type" },
	{ EBADMSG, "Bad message" },
	{ EOPNOTSUPP, "Not supported" },
	{ ENOBUFS, "No buffer space available" },
	{ ETIMEDOUT, "Operation timed out" },
	{ ESTALE, "Stale file handle" },
	{ EUCLEAN, "Structure needs cleaning" },
	{ ENOMEDIUM, "No medium found" },
	{ EMEDIUMTYPE, "Wrong medium type" },
	{ ENOKEY, "Required key not available" },
	{ EKEYREJECTED, "Key was rejected by service" },
};

const char *errtext(int e)
{
	static char other[24];
	size_t i;

	if (e < 0)
		e = -e;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].code == e)
			return texts[i].text;
	fmt_buf(other, sizeof(other), "error %d", e);
	return other;
}
