/* A build without STORAGE=1 starts no array: the way back has no md device to stop. */
#include "md/md.h"

#include <errno.h>

int md_stop(const char *name)
{
	(void)name;
	return -EOPNOTSUPP;
}
