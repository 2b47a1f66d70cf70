/*
 * The pure parsers of handoff-modules (tools/modules.c): what it reads in
 * modules.softdep, in a module's .modinfo and in a kernel image, from
 * buffers that need not be NUL-terminated. No I/O: the fuzzer calls them.
 */
#ifndef HANDOFF_HOSTPARSE_H
#define HANDOFF_HOSTPARSE_H

#include "modules/modparse.h"

#include <stddef.h>

/*
 * Calls fn with each "pre:" module (normalised) of the "softdep NAME
 * pre: A B post: C" lines for module name, in order; stops when fn
 * returns nonzero and passes that on. 0 otherwise.
 */
int softdep_each_pre(const char *buf, size_t len, const char *name, modalias_fn fn, void *ctx);

/*
 * The kernel release a module is built for: the first word of its
 * "vermagic=6.1.0-56-cloud-amd64 SMP ..." in .modinfo (a field at the
 * start of buf or after a NUL). *v points into buf. -ENOENT without one.
 */
int vermagic_release(const char *buf, size_t len, const char **v, size_t *vn);

/*
 * The release of an x86 bzImage (the first word of its version string,
 * at 0x200 plus the u16 at 0x20e, "HdrS" at 0x202), given at least its
 * first BZIMAGE_VERSION_SPAN bytes when the file has as many. *v points
 * into img. -ENOEXEC when it is not a bzImage, -ENOENT when it names no
 * version (the field is 0, or points past the bytes given).
 */
#define BZIMAGE_VERSION_SPAN (0x200 + 0xffff + 256)
int bzimage_version(const unsigned char *img, size_t len, const char **v, size_t *vn);

#endif
