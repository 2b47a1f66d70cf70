#include "mount/mount.h"
#include "base/log.h"
#include "modules/modules.h"
#include "plan/mountopts.h"
#include "base/timings.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define FSTYPES_MAX 1024
#define TRIED_MAX 512

/* What the tries of one mount learnt, for its report. */
struct tries {
	char tried[TRIED_MAX];	/* "xfs: Invalid argument; ..." */
	char no_module[16];	/* a type the kernel lacks and the image has no module for */
	char mounted[16];	/* the type that worked */
};

static const struct api_fs {
	const char *dir, *type, *data;
	unsigned long flags;
} api_fs[] = {
	{ "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV },
};

/* A directory on another device than its parent is already a mount. */
int is_mounted(const char *dir)
{
	struct stat parent, st;
	char up[256];

	fmt_buf(up, sizeof(up), "%s/..", dir);
	if (stat(up, &parent) || stat(dir, &st))
		return 0;
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

	for (i = 0; i < ARRAY_SIZE(api_fs); i++) {
		e = mount_api(&api_fs[i]);
		if (e && !first)
			first = e;
	}
	return first;
}

/* fds 0-2 that are open already (the kernel opens them on dev/console). */
static bool have_stdio(void)
{
	return fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0;
}

void open_console(bool or_null)
{
	int fd;

	/* Opening a tty again costs milliseconds on an emulated serial port. */
	if (or_null && have_stdio())
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);

	/* No console (console=null, none compiled in): keep 0-2 taken. */
	if (fd < 0 && or_null)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* Types from /proc/filesystems that need a device ("nodev" ones do not). */
static int block_fstypes(char *out, size_t size)
{
	char buf[FSTYPES_MAX], *line, *next;
	long n = read_text("/proc/filesystems", buf, sizeof(buf));

	out[0] = '\0';
	if (n < 0)
		return (int)n;
	for (line = buf; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (str_starts(line, "nodev"))
			continue;
		line += strspn(line, " \t");
		if (!*line)
			continue;
		if (out[0])
			str_append(out, ",", size);
		str_append(out, line, size);
	}
	return 0;
}

static int try_type(const struct root_dev *dev, const char *dir, const char *type,
		    struct mount_opts *o)
{
	if (!mount(dev->node, dir, type, o->flags, o->data[0] ? o->data : NULL))
		return 0;
	/* Like the kernel: a device that refuses writing is mounted read-only. */
	if ((errno == EACCES || errno == EROFS) && !(o->flags & MS_RDONLY)) {
		warn("%s refuses read-write (%s): mounting it read-only", dev->node,
		     errtext(errno));
		o->flags |= MS_RDONLY;
		return try_type(dev, dir, type, o);
	}
	return -errno;
}

static void note_tried(char *tried, const char *type, int e)
{
	if (tried[0])
		str_append(tried, "; ", TRIED_MAX);
	str_append(tried, type, TRIED_MAX);
	str_append(tried, ": ", TRIED_MAX);
	str_append(tried, errtext(e), TRIED_MAX);
}

/* Tries each type in turn; "not this type" errors move on to the next. */
static int mount_types(const struct root_dev *dev, const char *dir, char *types,
		       struct mount_opts *o, struct tries *t)
{
	char *type, *next;
	int e = -ENODEV, mod;

	for (type = types; type && *type; type = next) {
		next = strchr(type, ',');
		if (next)
			*next++ = '\0';
		if (!*type)
			continue;
		mod = modules_load_fs(type);
		e = try_type(dev, dir, type, o);
		if (!e) {
			info("mounted %s on %s as %s (%s)", dev->node, dir, type,
			     o->flags & MS_RDONLY ? "ro" : "rw");
			str_copy(t->mounted, type, sizeof(t->mounted));
			return 0;
		}
		note_tried(t->tried, type, e);
		if (e == -ENODEV && mod == -ENOENT && !t->no_module[0])
			str_copy(t->no_module, type, sizeof(t->no_module));
		if (e != -EINVAL && e != -ENODEV && e != -ENOTBLK)
			return e;
	}
	return e;
}

int check_new_root(void)
{
	struct stat root, nr;

	if (stat("/", &root) || stat(NEW_ROOT, &nr)) {
		int e = -errno;

		err("cannot stat %s: %s", NEW_ROOT, errtext(e));
		return e;
	}
	if (nr.st_dev == root.st_dev) {
		err("%s is not a mount on another device than the initramfs: refusing to switch",
		    NEW_ROOT);
		return -EXDEV;
	}
	return 0;
}

/* Whether type is one of the comma-separated list. */
static bool type_listed(const char *list, const char *type)
{
	size_t n = strlen(type);

	for (; *list; list += strcspn(list, ","), list += *list == ',')
		if (!strncmp(list, type, n) && (list[n] == ',' || !list[n]))
			return true;
	return false;
}

static int report_mount_failure(const struct boot_params *p, const struct root_dev *dev,
				const struct tries *t, int e)
{
	char avail[FSTYPES_MAX];

	err("cannot mount root %s (root=%s): %s", dev->node, p->root, t->tried[0] ? t->tried :
	    errtext(e));
	if (!block_fstypes(avail, sizeof(avail)))
		err("filesystems this kernel has: %s", avail[0] ? avail : "(none)");
	if (p->rootfstype && dev->fstype[0] && !type_listed(p->rootfstype, dev->fstype))
		err("hint: the probe saw %s on %s, not %s: drop rootfstype=, or make it rootfstype=%s",
		    dev->fstype, dev->node, p->rootfstype, dev->fstype);
	else if (t->no_module[0])
		modules_hint_fs(t->no_module);
	else if (p->rootfstype)
		err("hint: check rootfstype=%s, or that the kernel has that filesystem", p->rootfstype);
	else
		err("hint: check that root= names the right partition and that the kernel has its filesystem; rootfstype= picks the type");
	return e;
}

static int mount_at(const struct boot_params *p, const struct root_dev *dev, const char *dir,
		    struct tries *t)
{
	struct mount_opts o = { .flags = p->read_only ? MS_RDONLY : 0 };
	char types[FSTYPES_MAX];
	int e;

	if (mountopts_parse(p->rootflags, &o)) {
		err("rootflags=%s: too long (at most %d bytes of filesystem options)",
		    p->rootflags, MOUNTOPTS_DATA_MAX - 1);
		return -E2BIG;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		e = -errno;
		err("cannot create %s: %s; the image needs a %s directory (it is in the default list)",
		    dir, errtext(e), dir);
		return e;
	}
	if (p->rootfstype)
		e = str_copy(types, p->rootfstype, sizeof(types));
	else if (dev->fstype[0])
		e = str_copy(types, dev->fstype, sizeof(types));
	else
		e = block_fstypes(types, sizeof(types));
	if (e) {
		err("cannot list the filesystem types to try: %s", errtext(e));
		return e;
	}
	/* A retry after a rescue shell may find the last attempt's mount. */
	if (is_mounted(dir) && umount2(dir, MNT_DETACH))
		warn("cannot unmount the earlier %s: %s", dir, errtext(errno));
	e = mount_types(dev, dir, types, &o, t);
	if (e)
		return report_mount_failure(p, dev, t, e);
	return 0;
}

int mount_root_at(const struct boot_params *p, const struct root_dev *dev, const char *dir)
{
	struct tries t = { .tried = "" };

	return mount_at(p, dev, dir, &t);
}

int mount_real_root(const struct boot_params *p, struct root_dev *dev)
{
	struct tries t = { .tried = "" };
	int e = mount_at(p, dev, NEW_ROOT, &t);

	str_copy(dev->mounted, t.mounted, sizeof(dev->mounted));
	if (!e)
		e = check_new_root();
	if (!e)
		timing_mark(STEP_MOUNTED);
	return e;
}

void report_root_mounted(const struct boot_params *p, const struct root_dev *dev)
{
	if (!dev->mounted[0])
		return;	/* a layered root: no one device */
	err("%s is %s, mounted as %s, from root=%s%s", NEW_ROOT, dev->node, dev->mounted, p->root,
	    strcmp(dev->mounted, "vfat") ? "" : ": vfat is usually an EFI system partition, not a root");
}
