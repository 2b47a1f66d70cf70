#include "mount/mount.h"
#include "mount/fsck.h"
#include "base/log.h"
#include "modules/modules.h"
#include "plan/mountopts.h"
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

static int try_type(const struct mount_req *r, const char *type, struct mount_opts *o)
{
	const char *node = r->dev->node;

	if (!mount(node, r->dir, type, o->flags, o->data[0] ? o->data : NULL))
		return 0;
	/* Like the kernel: a device that refuses writing is mounted read-only. */
	if ((errno == EACCES || errno == EROFS) && !(o->flags & MS_RDONLY)) {
		warn("%s refuses read-write (%s): mounting it read-only", node, errtext(errno));
		o->flags |= MS_RDONLY;
		return try_type(r, type, o);
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
static int mount_types(const struct mount_req *r, char *types, struct mount_opts *o,
		       struct tries *t)
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
		e = try_type(r, type, o);
		if (!e) {
			info("mounted %s on %s as %s (%s)", r->dev->node, r->dir, type,
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

bool mount_type_listed(const char *list, const char *type)
{
	size_t n = strlen(type);

	for (; *list; list += strcspn(list, ","), list += *list == ',')
		if (!strncmp(list, type, n) && (list[n] == ',' || !list[n]))
			return true;
	return false;
}

static int report_mount_failure(const struct mount_req *r, const struct tries *t, int e)
{
	const char *seen = r->dev->fstype;
	char avail[FSTYPES_MAX];

	err("cannot mount %s %s (%s=%s): %s", r->purpose, r->dev->node, r->param, r->value,
	    t->tried[0] ? t->tried : errtext(e));
	if (!block_fstypes(avail, sizeof(avail)))
		err("filesystems this kernel has: %s", avail[0] ? avail : "(none)");
	if (r->types && seen[0] && !mount_type_listed(r->types, seen))
		err("hint: the probe saw %s on %s, not %s: drop rootfstype=, or make it rootfstype=%s",
		    seen, r->dev->node, r->types, seen);
	else if (t->no_module[0])
		modules_hint_fs(t->no_module);
	else if (r->types)
		err("hint: check rootfstype=%s, or that the kernel has that filesystem", r->types);
	else
		err("hint: check that %s= names the right partition and that the kernel has its filesystem%s",
		    r->param, strcmp(r->param, "root") ? "" : "; rootfstype= picks the type");
	return e;
}

const char *mount_types_wanted(const struct mount_req *r)
{
	if (r->types)
		return r->types;
	return r->dev->fstype[0] ? r->dev->fstype : NULL;
}

/* The wanted types into types, or every one the kernel has. */
static int types_to_try(const struct mount_req *r, char *types, size_t size)
{
	const char *wanted = mount_types_wanted(r);
	int e = wanted ? str_copy(types, wanted, size) : block_fstypes(types, size);

	if (e)
		err("cannot list the filesystem types to try: %s", errtext(e));
	return e;
}

void mount_clear(const char *dir)
{
	if (is_mounted(dir) && umount2(dir, MNT_DETACH))
		warn("cannot unmount the earlier %s: %s", dir, errtext(errno));
}

int mount_device(const struct mount_req *r, char *mounted, size_t size)
{
	struct mount_opts o = { .flags = r->read_only ? MS_RDONLY : 0 };
	struct tries t = { .tried = "" };
	char types[FSTYPES_MAX];
	int e;

	if (mountopts_parse(r->options, &o)) {
		err("rootflags=%s: too long (at most %d bytes of filesystem options)",
		    r->options, MOUNTOPTS_DATA_MAX - 1);
		return -E2BIG;
	}
	if (mkdir(r->dir, 0755) && errno != EEXIST) {
		e = -errno;
		err("cannot create %s: %s; the image needs a %s directory (it is in the default list)",
		    r->dir, errtext(e), r->dir);
		return e;
	}
	e = types_to_try(r, types, sizeof(types));
	if (e)
		return e;
	/* A retry after a rescue shell may find the last attempt's mount. */
	mount_clear(r->dir);
	e = mount_types(r, types, &o, &t);
	if (e)
		return report_mount_failure(r, &t, e);
	str_copy(mounted, t.mounted, size);
	return 0;
}

int mount_root(const struct boot_params *p, struct root_dev *dev, const char *dir,
	       bool read_only)
{
	struct mount_req r = { "root", "root", p->root, dev, dir, p->rootfstype, p->rootflags,
			       read_only };
	int e = fsck_before_rw(&r, p);

	if (!e)
		e = mount_device(&r, dev->mounted, sizeof(dev->mounted));

	device_release(dev);
	return e;
}

void report_root_mounted(const char *root_param, const struct root_dev *dev)
{
	if (!dev->mounted[0])
		return;	/* a layered root: no one device */
	err("%s is %s, mounted as %s, from root=%s%s", NEW_ROOT, dev->node, dev->mounted,
	    root_param, strcmp(dev->mounted, "vfat") ? "" : ": vfat is usually an EFI system partition, not a root");
}
