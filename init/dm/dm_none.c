/* A build without STORAGE=1 maps nothing: the way back has no device-mapper device to remove. */
#include "dm/dm.h"

#include <errno.h>

int dm_remove(const char *name)
{
	(void)name;
	return -EOPNOTSUPP;
}
