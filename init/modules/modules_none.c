/*
 * For the smallest init (make PROBES=none): no module loading. The image
 * of such an init carries no modules (the Makefile refuses KVER= with it).
 */
#include "modules/modules.h"

#include <errno.h>

void load_modules(const struct boot_params *p)
{
	(void)p;
}

void modules_coldplug(void)
{
}

void modules_uevent(const char *msg, size_t n)
{
	(void)msg;
	(void)n;
}

int modules_load_fs(const char *type)
{
	(void)type;
	return -ENOSYS;
}

void modules_hint_fs(const char *type)
{
	(void)type;
}

int modprobe_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}
