/*
 * For the smallest init (make PROBES=none): no module loading. The image
 * of such an init carries no modules (the Makefile refuses KVER= with it).
 */
#include "modules/modules.h"

#include <errno.h>

void load_modules(struct boot_plan *plan)
{
	(void)plan;
}

void modules_uevent(void *ctx, const char *msg, size_t n)
{
	(void)ctx;
	(void)msg;
	(void)n;
}

int modules_load_name(const char *name)
{
	(void)name;
	return -ENOSYS;
}

int modules_load_fs(const char *type)
{
	(void)type;
	return -ENOSYS;
}

int modules_load_alias(const char *alias)
{
	(void)alias;
	return -ENOSYS;
}

bool modules_has(const char *name)
{
	(void)name;
	return false;
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
