/*
 * UBI and MTD roots (FLASH=1). A UBI volume: each ubi.mtd= the kernel has
 * not attached (UBI a module, or the MTD device came after UBI's
 * late_initcall) is attached here through /dev/ubi_ctrl once its MTD
 * device is there, then the volume is waited for on uevents and mounted
 * as UBIFS. An MTD device (mtd:NAME, mtdN): found by name in /proc/mtd,
 * then its mtdblock is the root like any block device, or, with
 * rootfstype=jffs2, the MTD device itself is mounted.
 */
#include "flash/flash.h"
#include "flash/flashparse.h"
#include "base/log.h"
#include "base/util.h"
#include "mount/mount.h"
#include "plan/plan.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYS_UBI "/sys/class/ubi"
#define UBI_CTRL "/dev/ubi_ctrl"
#define MTD_CHAR_MAJOR 90	/* /dev/mtdN is minor 2N */
#define NOTE_FIRST_MS 1000
#define NOTE_EVERY_MS 5000

void flash_plan(struct boot_plan *plan)
{
	const char *type = plan->params.rootfstype, *why;
	struct flash_root r;

	if (plan->root_error || (plan->root.kind != ROOT_UBI && plan->root.kind != ROOT_MTD))
		return;
	if (flash_root_parse(plan->root.value, &r, &why)) {
		plan->root_error = -EINVAL;
		plan->root_why = why;
	} else if (plan->root.kind == ROOT_UBI && type && strcmp(type, "ubifs")) {
		plan->root_error = -EINVAL;
		plan->root_why = "a UBI volume holds UBIFS (rootfstype=ubifs); another filesystem in a volume is root=/dev/ubiblockX_Y with ubi.block=X,Y";
	}
}

/* The ubi.mtd= words and how far each got, for one wait. */
struct flash_wait {
	struct boot_plan *plan;
	struct flash_root want;
	struct ubi_mtd mtd[UBI_DEVICES_MAX];
	bool done[UBI_DEVICES_MAX];	/* attached, by the kernel or here, or given up */
	int mtds;
	char mtdtext[4096];		/* /proc/mtd */
};

static long read_sys(const char *dir, const char *entry, const char *file, char *buf, size_t size)
{
	char path[160];
	long n;

	fmt_buf(path, sizeof(path), "%s/%s/%s", dir, entry, file);
	n = read_text(path, buf, size);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

static void read_proc_mtd(struct flash_wait *w)
{
	if (read_text("/proc/mtd", w->mtdtext, sizeof(w->mtdtext)) < 0)
		w->mtdtext[0] = '\0';
}

/* The MTD device an ubi.mtd= names, as open_mtd_device() finds it: 0, or -ENOENT (not yet). */
static int mtd_number(struct flash_wait *w, const struct ubi_mtd *m, unsigned int *num)
{
	char path[64];
	struct stat st;

	if (m->by_number) {
		*num = m->mtd_num;
		fmt_buf(path, sizeof(path), "/sys/class/mtd/mtd%u", *num);
		return access(path, F_OK) ? -ENOENT : 0;
	}
	read_proc_mtd(w);
	if (!proc_mtd_find(w->mtdtext, m->mtd, num))
		return 0;
	if (m->mtd[0] == '/' && !stat(m->mtd, &st) && S_ISCHR(st.st_mode) &&
	    major(st.st_rdev) == MTD_CHAR_MAJOR) {
		*num = minor(st.st_rdev) / 2;
		return 0;
	}
	return -ENOENT;
}

struct ubi_scan {
	unsigned int mtd;	/* in: the MTD device */
	int ubi;		/* out: the UBI device on it, -1 if none */
};

static int ubi_on_mtd(int dirfd, const char *name, unsigned char type, void *ctx)
{
	struct ubi_scan *s = ctx;
	unsigned long num;
	char buf[16];
	int ubi;

	(void)dirfd;
	(void)type;
	if (ubi_device_entry(name, &ubi) && read_sys(SYS_UBI, name, "mtd_num", buf, sizeof(buf)) > 0 &&
	    !parse_ulong(buf, 10, &num) && num == s->mtd)
		s->ubi = ubi;
	return 0;
}

static int each_ubi(dirent_fn fn, void *ctx)
{
	int fd = open(SYS_UBI, O_RDONLY | O_DIRECTORY | O_CLOEXEC), e;

	if (fd < 0)
		return -errno;
	e = for_each_dirent(fd, fn, ctx);
	close(fd);
	return e;
}

/* /dev/ubi_ctrl, made from sysfs when devtmpfs has none. */
static int open_ubi_ctrl(void)
{
	unsigned long maj, mn;
	char buf[32], *colon;
	struct stat st;
	dev_t dev;
	int fd;

	if (read_text("/sys/class/misc/ubi_ctrl/dev", buf, sizeof(buf)) < 0)
		return -ENODEV;
	colon = strchr(buf, ':');
	if (!colon)
		return -ENODEV;
	*colon++ = '\0';
	colon[strcspn(colon, "\n")] = '\0';
	if (parse_ulong(buf, 10, &maj) || parse_ulong(colon, 10, &mn))
		return -ENODEV;
	dev = makedev(maj, mn);
	if (stat(UBI_CTRL, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != dev) {
		unlink(UBI_CTRL);
		if (mknod(UBI_CTRL, S_IFCHR | 0600, dev))
			return -errno;
	}
	fd = open(UBI_CTRL, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void attach(const struct ubi_mtd *m, unsigned int num)
{
	struct ubi_attach_rq req;
	int fd = open_ubi_ctrl(), e;

	if (fd < 0) {
		err("ubi.mtd=%s: cannot attach mtd%u: %s: %s", m->mtd, num, UBI_CTRL, errtext(fd));
		err("hint: the kernel needs UBI (CONFIG_MTD_UBI; as a module: rd.modules=ubi)");
		return;
	}
	ubi_attach_request(m, num, &req);
	e = ioctl(fd, UBI_IOCATT_NR, &req) < 0 ? -errno : 0;
	close(fd);
	if (e) {
		err("ubi.mtd=%s: cannot attach mtd%u to UBI: %s (the kernel log says why)", m->mtd,
		    num, errtext(e));
		return;
	}
	notice("ubi.mtd=%s: attached mtd%u as ubi%d", m->mtd, num, req.ubi_num);
}

/* Each ubi.mtd= whose MTD device is there now: attached unless it is already. */
static void attach_pending(struct flash_wait *w)
{
	struct ubi_scan s;
	int i;

	for (i = 0; i < w->mtds; i++) {
		if (w->done[i] || mtd_number(w, &w->mtd[i], &s.mtd))
			continue;
		w->done[i] = true;
		s.ubi = -1;
		each_ubi(ubi_on_mtd, &s);
		if (s.ubi >= 0)
			debug("ubi.mtd=%s: mtd%u is ubi%d", w->mtd[i].mtd, s.mtd, s.ubi);
		else
			attach(&w->mtd[i], s.mtd);
	}
}

/* The ubi.mtd= words, in order; a bad one is ignored, as the kernel does, and said. */
static void read_ubi_mtd(struct flash_wait *w)
{
	const struct boot_params *p = &w->plan->params;
	const char *why;
	int i, e;

	for (i = 0; i < p->modwords && w->mtds < UBI_DEVICES_MAX; i++) {
		if (strcmp(p->modword[i], "ubi.mtd"))
			continue;
		e = ubi_mtd_parse(p->modval[i], &w->mtd[w->mtds], &why);
		if (!e)
			w->mtds++;
		else if (e != -ENODATA)
			warn("ignoring ubi.mtd=%s: it %s", p->modval[i], why);
	}
}

struct vol_scan {
	const struct flash_root *want;
	int ubi, vol;		/* the match with the lowest device number; -1: none */
	bool list;		/* say each volume instead */
	int seen;
};

static int each_volume(int dirfd, const char *entry, unsigned char type, void *ctx)
{
	struct vol_scan *s = ctx;
	char name[FLASH_NAME_MAX], mtd[16];
	int ubi, vol;

	(void)dirfd;
	(void)type;
	if (!ubi_volume_entry(entry, &ubi, &vol))
		return 0;
	if (read_sys(SYS_UBI, entry, "name", name, sizeof(name)) < 0)
		name[0] = '\0';
	s->seen++;
	if (s->list) {
		fmt_buf(mtd, sizeof(mtd), "ubi%d", ubi);
		if (read_sys(SYS_UBI, mtd, "mtd_num", mtd, sizeof(mtd)) < 0)
			str_copy(mtd, "?", sizeof(mtd));
		err("  ubi%d:%s  (ubi%d_%d, on mtd%s)", ubi, name, ubi, vol, mtd);
		return 0;
	}
	if (s->want->ubi >= 0 && ubi != s->want->ubi)
		return 0;
	if (s->want->form == FLASH_UBI_ID ? vol != s->want->vol : strcmp(name, s->want->name))
		return 0;
	if (s->ubi < 0 || ubi < s->ubi) {
		s->ubi = ubi;
		s->vol = vol;
	}
	return 0;
}

static void list_mtd(struct flash_wait *w)
{
	struct mtd_entry e;
	size_t pos = 0;
	int n = 0;

	read_proc_mtd(w);
	err("MTD devices the kernel knows (/proc/mtd):");
	while (proc_mtd_next(w->mtdtext, &pos, &e)) {
		err("  mtd%u \"%s\"  %lu KiB, erase block %u KiB", e.num, e.name,
		    (unsigned long)(e.size >> 10), e.erasesize >> 10);
		n++;
	}
	if (!n)
		err("  (none: no flash driver found a chip; block2mtd needs block2mtd.block2mtd=DEVICE,ERASESIZE)");
}

/* After the wait: what is there, and what to change. */
static void explain(struct flash_wait *w, long waited_ms)
{
	const struct boot_params *p = &w->plan->params;
	struct vol_scan s = { .want = &w->want, .ubi = -1, .list = true };
	bool ubi = w->plan->root.kind == ROOT_UBI;
	int i;

	err("%s %s (root=%s) did not appear within %ld s", ubi ? "UBI volume" : "MTD device",
	    w->plan->root.value, p->root, waited_ms / 1000);
	if (ubi) {
		err("UBI volumes present (%s/*/name):", SYS_UBI);
		each_ubi(each_volume, &s);
		if (!s.seen)
			err("  (none: no UBI device is attached)");
		for (i = 0; i < w->mtds; i++)
			if (!w->done[i])
				err("ubi.mtd=%s: no such MTD device appeared", w->mtd[i].mtd);
	}
	list_mtd(w);
	if (ubi && !s.seen)
		err("hint: attach the MTD device that holds the volume with ubi.mtd=NUM or ubi.mtd=NAME (one above)");
	else if (ubi)
		err("hint: name one of the volumes above in root= (ubiX:NAME, ubiX_Y or ubi:NAME), or attach another MTD device with ubi.mtd=");
	else
		err("hint: name one of the MTD devices above in root= (mtd:NAME, mtdN or /dev/mtdblockN)");
	err("hint: add rootwait to wait forever, or rootwait=SECONDS for longer");
}

/* Whether what root= names is there: 0 (the node in plan->found), or -ENOENT. */
static int look(struct flash_wait *w, unsigned int *mtd)
{
	struct root_dev *d = &w->plan->found;
	struct vol_scan s = { .want = &w->want, .ubi = -1 };
	char path[48];

	switch (w->want.form) {
	case FLASH_MTD_NAME:
		read_proc_mtd(w);
		return proc_mtd_find(w->mtdtext, w->want.name, mtd);
	case FLASH_MTD_NUM:
		*mtd = w->want.mtd;
		fmt_buf(path, sizeof(path), "/sys/class/mtd/mtd%u", *mtd);
		return access(path, F_OK) ? -ENOENT : 0;
	default:
		attach_pending(w);
		each_ubi(each_volume, &s);
		if (s.ubi < 0)
			return -ENOENT;
		fmt_buf(d->name, sizeof(d->name), "ubi%d_%d", s.ubi, s.vol);
		str_copy(d->node, d->name, sizeof(d->node));	/* what UBIFS takes */
		str_copy(d->fstype, "ubifs", sizeof(d->fstype));
		return 0;
	}
}

static void note_waiting(const struct flash_wait *w, long waited_ms)
{
	const struct boot_params *p = &w->plan->params;

	if (p->wait == WAIT_FOREVER)
		notice("waiting for %s (root=%s; %ld s so far; rootwait: waiting forever)",
		       w->plan->root.value, p->root, waited_ms / 1000);
	else
		notice("waiting for %s (root=%s; %ld s of %ld s)", w->plan->root.value, p->root,
		       waited_ms / 1000, wait_bound_ms(p->wait, p->wait_s) / 1000);
}

/* Looks after every event until there, or the root's wait is over; returns the ms waited or -ETIMEDOUT. */
static long wait_flash(struct flash_wait *w, unsigned int *mtd)
{
	const struct boot_params *p = &w->plan->params;
	struct uevents *u = &w->plan->events;
	long start = log_ms(), bound = wait_bound_ms(p->wait, p->wait_s), note = NOTE_FIRST_MS;
	long now, step;
	bool listening = false;
	int e;

	for (;;) {
		e = look(w, mtd);
		now = log_ms() - start;
		if (!e)
			break;
		if (!listening) {
			/* Listen, then look again: no event falls between. */
			listening = true;
			if ((uevents_listen(u) || u->fd < 0) && u->handler)
				u->handler(u->ctx, NULL, 0);
			continue;
		}
		if (bound >= 0 && now >= bound) {
			explain(w, now);
			return -ETIMEDOUT;
		}
		if (now >= note) {
			note_waiting(w, now);
			note += NOTE_EVERY_MS;
		}
		step = note - now;
		if (bound >= 0 && bound - now < step)
			step = bound - now;
		uevents_wait(u, step, UEVENT_ANY);	/* a UBI volume's, an MTD device's */
	}
	return now;
}

/* The MTD device's mtdblock, waited for and mounted like any block device root. */
static int mount_mtdblock(struct boot_plan *plan, unsigned int mtd, long waited_ms,
			  const char *dir, bool read_only)
{
	const struct boot_params *p = &plan->params;
	struct root_spec spec = { .kind = ROOT_DEVNAME };
	struct device_req want;
	long left = wait_bound_ms(p->wait, p->wait_s);
	int e;

	fmt_buf(spec.value, sizeof(spec.value), "mtdblock%u", mtd);
	device_req_root(&want, p, &spec);
	if (left >= 0) {
		/* What is left of the root's wait (mtdblock comes with its MTD device). */
		want.wait = WAIT_BOUNDED;
		want.wait_s = left > waited_ms + 1000 ? (left - waited_ms) / 1000 : 1;
	}
	e = wait_for_device(&want, &plan->events, &plan->found);
	if (e)
		return e;
	return mount_root(p, &plan->found, dir, read_only);
}

int mount_flash_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	/* Scratch for one wait (4 KiB of /proc/mtd): not on PID 1's stack. */
	static struct flash_wait w;
	struct root_dev *d = &plan->found;
	const char *why;
	unsigned int mtd = 0;
	long waited;

	memset(&w, 0, sizeof(w));
	w.plan = plan;
	if (flash_root_parse(plan->root.value, &w.want, &why))
		return -EINVAL;	/* flash_plan() said it */
	device_release(d);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (plan->root.kind == ROOT_UBI)
		read_ubi_mtd(&w);
	waited = wait_flash(&w, &mtd);
	if (waited < 0)
		return (int)waited;
	if (plan->root.kind == ROOT_UBI) {
		info("root=%s is UBI volume %s, after %ld ms", plan->params.root, d->node, waited);
		return mount_root(&plan->params, d, dir, read_only);
	}
	if (!plan->params.rootfstype || strcmp(plan->params.rootfstype, "jffs2"))
		return mount_mtdblock(plan, mtd, waited, dir, read_only);
	/* JFFS2 mounts the MTD device itself, by the name mtdsuper.c takes. */
	fmt_buf(d->name, sizeof(d->name), "mtd%u", mtd);
	str_copy(d->node, d->name, sizeof(d->node));
	str_copy(d->fstype, "jffs2", sizeof(d->fstype));
	return mount_root(&plan->params, d, dir, read_only);
}
