#include "find/devices.h"
#include "find/identify.h"
#include "base/log.h"
#include "find/uevent.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define NOTE_FIRST_MS 1000
#define NOTE_EVERY_MS 5000

void device_release(struct root_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* Holds node open (see struct root_dev); -errno when it cannot. */
static int hold_device(struct root_dev *d, const char *node)
{
	device_release(d);
	d->fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	return d->fd < 0 ? -errno : 0;
}

/*
 * devtmpfs makes /dev/NAME as the disk appears: a stat and an open find it
 * without sysfs. Opening is what proves it: a stale node (an image's own
 * /dev without devtmpfs) fails with ENXIO. Only block nodes are opened.
 * An empty drive (root=/dev/sr0 before its disc) is -ENOMEDIUM.
 */
static int find_by_node(const char *name, struct root_dev *d)
{
	char node[80];
	struct stat st, again;

	fmt_buf(node, sizeof(node), "/dev/%s", name);
	if (stat(node, &st) || !S_ISBLK(st.st_mode) || hold_device(d, node))
		return -ENOENT;
	if (fstat(d->fd, &again) || again.st_rdev != st.st_rdev) {
		device_release(d);
		return -ENOENT;
	}
	if (!blockdev_fd_has_medium(d->fd)) {
		device_release(d);
		return -ENOMEDIUM;
	}
	d->major = major(st.st_rdev);
	d->minor = minor(st.st_rdev);
	return 0;
}

static int find_by_name(const struct root_spec *spec, struct root_dev *d)
{
	struct blockdev b;
	int e;

	/* /dev/cciss/c0d0 is "cciss!c0d0" in sysfs. */
	str_copy(d->name, spec->value, sizeof(d->name));
	str_tr(d->name, '/', '!');
	e = find_by_node(spec->value, d);
	if (!e)
		return 0;
	if (e == -ENOMEDIUM)
		return -ENOENT;	/* wait for the disc */
	e = blockdev_number(d->name, &b);
	if (e)
		return e;
	d->major = b.major;
	d->minor = b.minor;
	return 0;
}

static int find_by_number(const struct root_spec *spec, struct root_dev *d)
{
	char path[64], link[128], *base;
	ssize_t n;

	fmt_buf(path, sizeof(path), "/sys/dev/block/%u:%u", spec->major, spec->minor);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	str_copy(d->name, base ? base + 1 : link, sizeof(d->name));
	d->major = spec->major;
	d->minor = spec->minor;
	return 0;
}

/* Uses the devtmpfs node when it is right, else makes one. */
static int ensure_node(struct root_dev *d)
{
	dev_t want = makedev(d->major, d->minor);
	struct stat st;

	fmt_buf(d->node, sizeof(d->node), "/dev/%s", d->name);
	str_tr(d->node, '!', '/');
	if (!stat(d->node, &st) && S_ISBLK(st.st_mode) && st.st_rdev == want)
		return 0;
	str_copy(d->node, "/dev/root", sizeof(d->node));
	if (!stat(d->node, &st) && S_ISBLK(st.st_mode) && st.st_rdev == want)
		return 0;
	unlink(d->node);
	if (mknod(d->node, S_IFBLK | 0600, want)) {
		int e = -errno;

		err("cannot create the device node %s (%u:%u): %s", d->node, d->major,
		    d->minor, errtext(e));
		return e;
	}
	return 0;
}

/* d->fd is -1 or held: released here before looking again. */
static int find_root(const struct root_spec *spec, struct root_dev *d, bool report)
{
	device_release(d);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	switch (spec->kind) {
	case ROOT_DEVNAME:
		return find_by_name(spec, d);
	case ROOT_DEVNUM:
		return find_by_number(spec, d);
	case ROOT_UUID:
	case ROOT_LABEL:
	case ROOT_PARTUUID:
	case ROOT_PARTLABEL:
		return find_by_identity(spec, d, report);
	default:
		return -EOPNOTSUPP;
	}
}

static void note_waiting(const struct device_req *r, long waited_ms)
{
	if (r->wait == WAIT_FOREVER)
		notice("waiting for %s device %s (%ld s so far; rootwait: waiting forever)",
		       r->purpose, r->value, waited_ms / 1000);
	else
		notice("waiting for %s device %s (%ld s of %ld s)", r->purpose, r->value,
		       waited_ms / 1000,
		       r->wait == WAIT_BOUNDED ? r->wait_s : (long)DEFAULT_ROOT_WAIT_S);
}

long wait_bound_ms(enum wait_mode wait, long wait_s)
{
	if (wait == WAIT_FOREVER)
		return -1;
	return (wait == WAIT_BOUNDED ? wait_s : DEFAULT_ROOT_WAIT_S) * 1000L;
}

/* Looks after every block event (or poll) until found, an error, or the bound. */
static int wait_loop(const struct device_req *r, struct uevents *u, struct root_dev *out)
{
	long start = log_ms(), bound = wait_bound_ms(r->wait, r->wait_s), note = NOTE_FIRST_MS;
	long now, step;
	int e;

	for (;;) {
		e = find_root(r->spec, out, true);
		if (e != -ENOENT && e != -ENOTDIR && e != -EOPNOTSUPP)
			return e;
		now = log_ms() - start;
		if (bound >= 0 && now >= bound)
			return -ETIMEDOUT;
		if (now >= note) {
			note_waiting(r, now);
			note += NOTE_EVERY_MS;
		}
		step = note - now;
		if (bound >= 0 && bound - now < step)
			step = bound - now;
		uevents_wait(u, step, UEVENT_BLOCK);
	}
}

/* The device is there: a node for it, a medium in it, and not swap. */
static int check_found(const struct device_req *r, struct root_dev *out, long waited_ms)
{
	int e = ensure_node(out);

	if (e)
		return e;
	if (out->fd < 0)
		hold_device(out, out->node);
	if (out->fd >= 0 && !blockdev_fd_has_medium(out->fd)) {
		err("%s=%s: %s has no medium: insert it, or fix %s=", r->param, r->value, out->node,
		    r->param);
		return -ENOMEDIUM;
	}
	if (!out->fstype[0] && out->fd >= 0)
		probe_fd_fstype(out->fd, out->fstype, sizeof(out->fstype));
	if (!strcmp(out->fstype, "swap") && !r->swap) {
		err("%s=%s is /dev/%s, a swap area: refusing to mount it", r->param, r->value,
		    out->name);
		return -EINVAL;
	}
	debug("%s=%s is %s (%u:%u), type %s, after %ld ms", r->param, r->value, out->node,
	      out->major, out->minor, out->fstype[0] ? out->fstype : "unknown: trying the kernel's",
	      waited_ms);
	return 0;
}

void device_req_root(struct device_req *r, const struct boot_params *p,
		     const struct root_spec *spec)
{
	*r = (struct device_req){ "root", "root", p->root, spec, p->wait, p->wait_s, false };
}

int wait_for_device(const struct device_req *r, struct uevents *u, struct root_dev *out)
{
	long start = log_ms();
	int e;

	/* An NFS export, a host directory, a UBI volume: nothing here could match. */
	if (!rootspec_is_block(r->spec->kind)) {
		err("%s=%s: names no block device (a %s)", r->param, r->value,
		    rootspec_kind_name(r->spec->kind));
		return -EINVAL;
	}
	e = out->fd >= 0 ? 0 : find_root(r->spec, out, true);
	if (e == -ENOENT || e == -ENOTDIR) {
		/*
		 * Listen, then look again (the loop looks first): no event falls
		 * between. Devices that came before the socket, or all of them
		 * without one, are looked at once (drivers for them load).
		 */
		if ((uevents_listen(u) || u->fd < 0) && u->handler)
			u->handler(u->ctx, NULL, 0);
		e = wait_loop(r, u, out);
	}
	if (e == -ETIMEDOUT) {
		err("%s device %s did not appear within %ld s", r->purpose, r->value,
		    (log_ms() - start) / 1000);
		err("hint: check %s= against the devices below; add rootwait to wait forever, or rootwait=SECONDS for longer",
		    r->param);
		list_block_devices();
	}
	if (!e)
		e = check_found(r, out, log_ms() - start);
	if (e)
		device_release(out);
	return e;
}

bool device_present(const struct root_spec *spec, struct root_dev *keep)
{
	struct root_dev d = { .fd = -1 };
	int e = find_root(spec, keep ? keep : &d, false);

	device_release(&d);
	if (e && keep)
		device_release(keep);
	return !e || e == -EEXIST;	/* two matches: the wait says so */
}

static int list_one(const struct blockdev *b, void *ctx)
{
	struct devinfo i;
	char line[512];

	/* Unused loop devices and a mapping made ahead (size 0) are no disk to name. */
	if (!b->size && (str_starts(b->name, "loop") || str_starts(b->name, "dm-")))
		return 0;
	++*(int *)ctx;
	if (blockdev_describe(b, &i) == -ENOMEDIUM) {
		err("  /dev/%s  %u:%u  no medium", b->name, b->major, b->minor);
		return 0;
	}
	fmt_buf(line, sizeof(line), "  /dev/%s  %u:%u  %lu MiB", b->name, b->major, b->minor,
		(unsigned long)(b->size >> 20));
	if (i.fs.type[0])
		fmt_buf(line + strlen(line), sizeof(line) - strlen(line), "  TYPE=%s", i.fs.type);
	if (i.fs.uuid[0])
		fmt_buf(line + strlen(line), sizeof(line) - strlen(line), " UUID=%s", i.fs.uuid);
	if (i.fs.label[0])
		fmt_buf(line + strlen(line), sizeof(line) - strlen(line), " LABEL=\"%s\"", i.fs.label);
	if (i.partuuid[0])
		fmt_buf(line + strlen(line), sizeof(line) - strlen(line), " PARTUUID=%s", i.partuuid);
	if (i.partlabel[0])
		fmt_buf(line + strlen(line), sizeof(line) - strlen(line), " PARTLABEL=\"%s\"",
			i.partlabel);
	err("%s", line);
	return 0;
}

void list_block_devices(void)
{
	int count = 0, e;

	err("block devices the kernel knows:");
	e = blockdev_each(list_one, &count);
	if (e)
		err("  cannot list them: %s: %s", "/sys/class/block", errtext(e));
	else if (!count)
		err("  (none: the kernel has no driver for the disk, or it is not attached)");
}
