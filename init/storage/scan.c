/* Looking at each block device as it appears, for the kinds (scan.h). */
#include "storage/scan.h"
#include "storage/storage.h"
#include "base/log.h"
#include "find/blockdev.h"
#include "modules/modules.h"
#include "plan/plan.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <string.h>
#include <unistd.h>

static bool scanning(const struct boot_plan *plan)
{
	return plan->params.lvm || plan->params.md;
}

/*
 * What the kinds read is near the start (LVM's label, its metadata area's
 * header and text; md 1.1 and 1.2) and near the end (md 0.90 and 1.0):
 * both asked for at once, so the reads wait for two requests in flight
 * rather than one request after another (each a few ms under TCG). The
 * page cache of a disk nobody holds open is dropped at its last close:
 * this is what the look itself reads.
 */
#define AHEAD (128 << 10)
static void ask_ahead(int fd, uint64_t size)
{
	posix_fadvise(fd, 0, AHEAD, POSIX_FADV_WILLNEED);
	if (size > 2ull * AHEAD)
		posix_fadvise(fd, (off_t)(size - AHEAD), AHEAD, POSIX_FADV_WILLNEED);
}

/* The kinds' look at an open device of size bytes, noticed at seen (ms). */
static void look_at(struct boot_plan *plan, const struct blockdev *b, int fd, uint64_t size, long seen)
{
	struct scanned d = { b->name, b->major, b->minor, fd, { 0 }, seen };

	d.dev = (struct probe_dev){ probe_fd_read, &d.fd, size, 0 };
	ask_ahead(fd, size);
	if (plan->params.lvm)
		lvm_notice(plan, &d);
	if (plan->params.md)
		md_notice(plan, &d);
}

static int scan_one(const struct blockdev *b, void *ctx)
{
	long seen = log_ms();
	int fd;

	/* Empty: a dm device before its table, a drive without a medium. */
	if (!b->size)
		return 0;
	fd = blockdev_open(b);
	if (fd < 0)
		return 0;
	look_at(ctx, b, fd, b->size, seen);
	close(fd);
	return 0;
}

static long settle(struct boot_plan *plan)
{
	long a = plan->params.md ? md_settle(plan) : -1;
	long b = plan->params.lvm ? lvm_settle(plan) : -1;

	return a < 0 || (b >= 0 && b < a) ? b : a;
}

/*
 * A block device added, or changed (a dm device gets its table). Returns
 * it still open (or -1), to be closed after the settle: the last close
 * drops the pages the look read (about 1 ms under TCG), which the
 * activation need not wait for.
 */
static int scan_event(struct boot_plan *plan, const char *msg, size_t n)
{
	const char *action = uevent_value(msg, n, "ACTION="), *sub, *name, *maj, *min, *type;
	long arrival = log_ms();	/* before anything */
	struct blockdev b;
	uint64_t size;
	int fd;

	if (!action || (strcmp(action, "add") && strcmp(action, "change")))
		return -1;
	sub = uevent_value(msg, n, "SUBSYSTEM=");
	name = uevent_value(msg, n, "DEVNAME=");
	maj = uevent_value(msg, n, "MAJOR=");
	min = uevent_value(msg, n, "MINOR=");
	type = uevent_value(msg, n, "DEVTYPE=");
	if (!sub || strcmp(sub, "block") || !name || !maj || !min)
		return -1;
	if (blockdev_from_event(name, maj, min, type && !strcmp(type, "partition"), &b))
		return -1;
	fd = blockdev_open(&b);
	if (fd < 0)
		return -1;
	/* Empty (a dm device before its table, a reader without a card): not looked at. */
	if (ioctl(fd, BLKGETSIZE64, &size) || !size) {
		close(fd);
		return -1;
	}
	look_at(plan, &b, fd, size, arrival);
	return fd;
}

/*
 * What is there: on lost events or without a socket, and once before the
 * first event or wait, for the devices announced before anyone listened
 * (coldplug opens the socket for its drivers, after built-in ones probed).
 * After the first look, the kinds prepare (at coldplug's start, before any
 * disk driver, that look finds no disk): what it found was noticed before
 * that, so their window holds what the prepare does.
 */
static void scan_present(struct boot_plan *plan)
{
	bool first = !plan->scanned;

	plan->scanned = true;
	blockdev_each(scan_one, plan);
	if (first && plan->params.md)
		md_prepare(plan);
	if (first && plan->params.lvm)
		lvm_prepare(plan);
}

static void storage_uevent(void *ctx, const char *msg, size_t n)
{
	struct boot_plan *plan = ctx;
	int fd = -1;

	modules_uevent(NULL, msg, n);
	if (!scanning(plan))
		return;
	if (!msg || !plan->scanned)
		scan_present(plan);	/* this event's device among them */
	else
		fd = scan_event(plan, msg, n);
	settle(plan);
	if (fd >= 0)
		close(fd);
}

static long storage_tick(void *ctx)
{
	struct boot_plan *plan = ctx;

	if (!scanning(plan))
		return -1;
	if (!plan->scanned)
		scan_present(plan);
	return settle(plan);
}

void storage_listen(struct boot_plan *plan)
{
	plan->events.handler = storage_uevent;
	plan->events.ctx = plan;
	plan->events.tick = storage_tick;
}

void explain_storage(const struct boot_plan *plan)
{
	if (plan->params.md)
		md_explain(plan);
	if (plan->params.lvm)
		lvm_explain(plan);
}
