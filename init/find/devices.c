#include "find/devices.h"
#include "find/identify.h"
#include "base/log.h"
#include "modules/modules.h"
#include "base/timings.h"
#include "find/uevent.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define NETLINK_KOBJECT_UEVENT 15
#define UEVENT_GROUP_KERNEL 1
#define NOTE_FIRST_MS 1000
#define NOTE_EVERY_MS 5000
#define POLL_FALLBACK_MS 20

static int held_fd = -1;	/* see release_root_device() */

/* <linux/netlink.h> is not in musl's headers; this is its ABI. */
struct nl_addr {
	unsigned short family;
	unsigned short pad;
	uint32_t pid;
	uint32_t groups;
};

/* Holds node open (see release_root_device()); -errno when it cannot. */
static int hold_device(const char *node)
{
	release_root_device();
	held_fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	return held_fd < 0 ? -errno : 0;
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
	if (stat(node, &st) || !S_ISBLK(st.st_mode) || hold_device(node))
		return -ENOENT;
	if (fstat(held_fd, &again) || again.st_rdev != st.st_rdev) {
		release_root_device();
		return -ENOENT;
	}
	if (!blockdev_fd_has_medium(held_fd)) {
		release_root_device();
		return -ENOMEDIUM;
	}
	d->major = major(st.st_rdev);
	d->minor = minor(st.st_rdev);
	return 0;
}

static int find_by_name(const struct root_spec *spec, struct root_dev *d)
{
	struct blockdev b;
	char *p;
	int e;

	/* /dev/cciss/c0d0 is "cciss!c0d0" in sysfs. */
	str_copy(d->name, spec->value, sizeof(d->name));
	for (p = d->name; *p; p++)
		if (*p == '/')
			*p = '!';
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
	char *p;

	fmt_buf(d->node, sizeof(d->node), "/dev/%s", d->name);
	for (p = d->node + 5; *p; p++)
		if (*p == '!')
			*p = '/';
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

static int find_root(const struct root_spec *spec, struct root_dev *d, bool report)
{
	memset(d, 0, sizeof(*d));
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

int open_uevents(void)
{
	struct nl_addr a = { .family = AF_NETLINK, .groups = UEVENT_GROUP_KERNEL };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0) {
		debug("no uevent socket (%s): polling for devices instead", errtext(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		debug("cannot bind the uevent socket (%s): polling instead", errtext(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int drain_uevents(int fd)
{
	const char *subsystem;
	char buf[4096];
	int change = 0;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ENOBUFS ? change | UEVENT_LOST | UEVENT_BLOCK : change;
		/* A disk, a partition, or a disc put in a drive (change). */
		subsystem = uevent_value(buf, (size_t)n, "SUBSYSTEM=");
		if (subsystem && !strcmp(subsystem, "block"))
			change |= UEVENT_BLOCK;
		if (n > 0)
			modules_uevent(buf, (size_t)n);
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Blocks until a block uevent arrives or ms pass. */
static void wait_event(int fd, long ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long end = log_ms() + ms;

	if (fd < 0) {
		sleep_ms(ms < POLL_FALLBACK_MS ? ms : POLL_FALLBACK_MS);
		return;
	}
	while (ms > 0 && poll(&pfd, 1, (int)ms) > 0) {
		if (drain_uevents(fd))
			return;
		ms = end - log_ms();
	}
}

static void note_waiting(const char *root, const struct boot_params *p, long waited_ms)
{
	if (p->wait == WAIT_FOREVER)
		notice("waiting for root device %s (%ld s so far; rootwait: waiting forever)",
		     root, waited_ms / 1000);
	else
		notice("waiting for root device %s (%ld s of %ld s)", root, waited_ms / 1000,
		     p->wait == WAIT_BOUNDED ? p->wait_s : (long)DEFAULT_ROOT_WAIT_S);
}

static long wait_bound_ms(const struct boot_params *p)
{
	if (p->wait == WAIT_FOREVER)
		return -1;
	return (p->wait == WAIT_BOUNDED ? p->wait_s : DEFAULT_ROOT_WAIT_S) * 1000L;
}

static int wait_loop(const struct root_spec *spec, const struct boot_params *p,
		     struct root_dev *out, int fd)
{
	long start = log_ms(), bound = wait_bound_ms(p), note = NOTE_FIRST_MS;
	long now, step;

	int e;

	for (;;) {
		e = find_root(spec, out, true);
		if (e != -ENOENT && e != -ENOTDIR && e != -EOPNOTSUPP)
			return e;
		now = log_ms() - start;
		if (bound >= 0 && now >= bound)
			return -ETIMEDOUT;
		if (now >= note) {
			note_waiting(p->root, p, now);
			note += NOTE_EVERY_MS;
		}
		step = note - now;
		if (bound >= 0 && bound - now < step)
			step = bound - now;
		wait_event(fd, step);
	}
}

int wait_for_root_device(const struct root_spec *spec, const struct boot_params *p,
			 struct root_dev *out)
{
	long start = log_ms();
	int fd, e;

	release_root_device();	/* an earlier device's (layers wait for several) */
	/*
	 * Usually the device is there already. Otherwise open the socket
	 * first and look again, so no event falls between look and listen.
	 */
	e = find_root(spec, out, true);
	fd = -1;
	if (e == -ENOENT || e == -ENOTDIR) {
		fd = open_uevents();
		modules_coldplug();	/* devices that came before the socket */
		e = wait_loop(spec, p, out, fd);
	}
	if (fd >= 0)
		close(fd);
	if (e == -ETIMEDOUT) {
		err("root device %s did not appear within %ld s", p->root,
		    (log_ms() - start) / 1000);
		err("hint: check root= against the devices below; add rootwait to wait forever, or rootwait=SECONDS for longer");
		list_block_devices();
		return e;
	}
	if (e)
		return e;
	debug("root device %s is %s (%u:%u) after %ld ms", p->root, out->name, out->major,
	      out->minor, log_ms() - start);
	e = ensure_node(out);
	if (e)
		return e;
	if (held_fd < 0)
		hold_device(out->node);
	if (held_fd >= 0 && !blockdev_fd_has_medium(held_fd)) {
		err("root=%s: %s has no medium: insert it, or fix root=", p->root, out->node);
		return -ENOMEDIUM;
	}
	if (!out->fstype[0] && held_fd >= 0)
		probe_fd_fstype(held_fd, out->fstype, sizeof(out->fstype));
	if (!strcmp(out->fstype, "swap")) {
		err("root=%s is /dev/%s, a swap area: refusing to mount it", p->root, out->name);
		return -EINVAL;
	}
	debug("root=%s is %s (%u:%u), type %s", p->root, out->node, out->major, out->minor,
	      out->fstype[0] ? out->fstype : "unknown: trying the kernel's");
	timing_mark(STEP_DEVICE);
	return 0;
}

bool root_device_present(const struct root_spec *spec)
{
	struct root_dev d;
	int e = find_root(spec, &d, false);

	return !e || e == -EEXIST;	/* two matches: the wait says so */
}

void release_root_device(void)
{
	if (held_fd >= 0)
		close(held_fd);
	held_fd = -1;
}

static int list_one(const struct blockdev *b, void *ctx)
{
	struct devinfo i;
	char line[512];

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
