#include "mount/mount.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

/* The switch moves them into the new root in this order too. */
const struct api_fs api_fs[] = {
	{ "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV },
};
const size_t api_fs_count = ARRAY_SIZE(api_fs);

bool is_mounted(const char *dir)
{
	struct stat parent, st;
	char up[256];

	fmt_buf(up, sizeof(up), "%s/..", dir);
	if (stat(up, &parent) || stat(dir, &st))
		return false;
	return st.st_dev != parent.st_dev;
}

static int mount_api(const struct api_fs *f)
{
	int e;

	if (mkdir(f->dir, 0755) && errno != EEXIST) {
		e = -errno;
		err("cannot create %s for %s: %s", f->dir, f->type, errtext(e));
		return e;
	}
	if (is_mounted(f->dir))
		return 0;
	if (!mount(f->type, f->dir, f->type, f->flags, f->data) || errno == EBUSY)
		return 0;
	e = -errno;
	err("cannot mount %s on %s: %s (is CONFIG_%s enabled in the kernel?)", f->type,
	    f->dir, errtext(e), !strcmp(f->type, "devtmpfs") ? "DEVTMPFS" :
	    !strcmp(f->type, "proc") ? "PROC_FS" : !strcmp(f->type, "sysfs") ? "SYSFS" : "TMPFS");
	return e;
}

int mount_api_filesystems(void)
{
	int e, first = 0;
	size_t i;

	for (i = 0; i < api_fs_count; i++) {
		e = mount_api(&api_fs[i]);
		if (e && !first)
			first = e;
	}
	return first;
}
