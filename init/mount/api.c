#include "mount/mount.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

/*
 * /run as systemd's INITRD_INTERFACE asks (mode 755, nodev, nosuid,
 * strictatime) and as systemd itself would mount it: 20 % of RAM (room to
 * re-execute PID 1, which serializes its state there) and 800k inodes.
 * Without a limit the real system would inherit half of RAM.
 */
#define RUN_FLAGS (MS_NOSUID | MS_NODEV | MS_STRICTATIME)
#define RUN_DATA "mode=0755,size=" HANDOFF_RUN_SIZE ",nr_inodes=800k"

/* The switch moves them into the new root in this order too. */
const struct api_fs api_fs[] = {
	{ "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/run", "tmpfs", RUN_DATA, RUN_FLAGS },
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

int resize_run(const char *size)
{
	char data[64];
	int e;

	if (!size)
		return 0;
	fmt_buf(data, sizeof(data), "size=%s", size);
	/* A remount sets the mount's flags anew: the same ones again. */
	if (!mount("tmpfs", "/run", "tmpfs", MS_REMOUNT | RUN_FLAGS, data)) {
		debug("/run resized to %s (rd.run.size=)", size);
		return 0;
	}
	e = -errno;
	err("rd.run.size=%s: cannot resize /run: %s; it keeps the size %s", size, errtext(e),
	    HANDOFF_RUN_SIZE);
	if (e == -EINVAL)
		err("hint: a size smaller than what /run holds is refused; try a larger one");
	return e;
}
