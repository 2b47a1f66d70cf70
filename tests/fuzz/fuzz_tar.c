/* fuzz-tar: the tar reader (ustar, pax, GNU), plain or gzip. */
#include "fuzz_archive.h"
