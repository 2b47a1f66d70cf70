/* fuzz-cpio: the cpio newc reader, plain or gzip. */
#include "fuzz_archive.h"
