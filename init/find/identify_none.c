/*
 * For a build without disk probes (make PROBES=none): the smallest init,
 * for systems that name the root by device. Identity forms are refused
 * with a reason instead of waited for.
 */
#include "find/identify.h"
#include "base/log.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Nothing to probe; an empty drive is still listed as one. */
int blockdev_describe(const struct blockdev *b, struct devinfo *info)
{
	int fd = b->removable ? blockdev_open(b) : -1;

	memset(info, 0, sizeof(*info));
	if (fd >= 0)
		close(fd);
	return b->removable && fd < 0 && errno == ENOMEDIUM ? -ENOMEDIUM : 0;
}

int probe_fd_fstype(int fd, char *type, size_t size)
{
	(void)fd;
	(void)size;
	type[0] = '\0';
	return -EOPNOTSUPP;
}

int probe_node_fstype(const char *node, char *type, size_t size)
{
	(void)node;
	(void)size;
	type[0] = '\0';
	return -EOPNOTSUPP;
}

int find_by_identity(const struct root_spec *spec, struct root_dev *out, bool report)
{
	(void)out;
	if (!report)
		return -EOPNOTSUPP;
	err("root=%s=%s: this init was built without disk probes (PROBES=none); use root=/dev/NAME or MAJ:MIN",
	    rootspec_kind_name(spec->kind), spec->value);
	return -EOPNOTSUPP;
}

int blkid_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	err("blkid: this init was built without disk probes (PROBES=none)");
	return 1;
}
