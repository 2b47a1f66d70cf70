/* The boot's side of the way back: the init leaves a copy of itself in /run/initramfs. */
#include "shutdown/shutdown.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directories systemd-shutdown binds the API filesystems onto, and the old root's. */
static const char *const wayback_dirs[] = {
	WAYBACK_DIR, WAYBACK_DIR "/dev", WAYBACK_DIR "/proc", WAYBACK_DIR "/sys",
	WAYBACK_DIR "/run", WAYBACK_DIR OLD_ROOT,
};

static int make_dirs(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(wayback_dirs); i++) {
		if (mkdir(wayback_dirs[i], 0755) && errno != EEXIST) {
			int e = -errno;

			err("cannot make %s: %s", wayback_dirs[i], errtext(e));
			return e;
		}
	}
	return 0;
}

/* This very program (whatever name the kernel ran it by), copied whole. */
static int copy_self(long *size)
{
	struct stat st;
	int in, out, e = 0;
	ssize_t n = 0;

	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st)) {
		e = -errno;
		err("cannot read this program (/proc/self/exe): %s", errtext(e));
		goto out_in;
	}
	out = open(WAYBACK_EXE, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0) {
		e = -errno;
		err("cannot create %s: %s", WAYBACK_EXE, errtext(e));
		goto out_in;
	}
	while (!e && n < st.st_size) {
		ssize_t k = sendfile(out, in, NULL, (size_t)(st.st_size - n));

		if (k > 0)
			n += k;
		else if (k == 0 || errno != EINTR)
			e = k ? -errno : -EIO;
	}
	if (e)
		err("cannot copy this program to %s: %s", WAYBACK_EXE, errtext(e));
	if (close(out) && !e)
		e = -errno;
	*size = (long)n;
out_in:
	if (in >= 0)
		close(in);
	return e;
}

void leave_way_back(const struct boot_params *p)
{
	long size = 0;

	if (!HANDOFF_WAYBACK) {
		debug("no way back at shutdown: this init was built with SHUTDOWN=0");
		return;
	}
	if (p->noshutdown) {
		info("rd.noshutdown: systemd will power off without coming back to the initramfs");
		return;
	}
	if (make_dirs() || copy_self(&size)) {
		unlink(WAYBACK_EXE);
		warn("no way back at shutdown: systemd will power off without it (the root is still remounted read-only)");
		return;
	}
	debug("left the way back at shutdown: %s (%ld KiB)", WAYBACK_EXE, (size + 1023) / 1024);
}

int wayback_remember(const char *kind, const char *name)
{
	char line[160];
	size_t len = fmt_buf(line, sizeof(line), "%s %s\n", kind, name);
	int fd, e = 0;

	if (mkdir(WAYBACK_DIR, 0755) && errno != EEXIST)
		e = -errno;
	fd = e ? -1 : open(WAYBACK_DIR "/" WAYBACK_RECORD,
			   O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (!e && (fd < 0 || write_all(fd, line, len)))
		e = errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	if (e)
		warn("cannot note %s device %s for the shutdown in %s/%s: %s; it will not be removed at power-off",
		     kind, name, WAYBACK_DIR, WAYBACK_RECORD, errtext(e));
	return e;
}
