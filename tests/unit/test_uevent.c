/* uevent_value(): the kernel's netlink uevents, as uevents_drain() reads them; what wakes a wait. */
#include "check.h"
#include "base/log.h"
#include "find/blockdev.h"
#include "find/uevent.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG(s) s, sizeof(s) - 1	/* a literal with its embedded NULs, not the final one */

static const char sr0_add[] = "add@/devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0/block/sr0\0"
	"ACTION=add\0DEVPATH=/devices/.../block/sr0\0SUBSYSTEM=block\0"
	"MAJOR=11\0MINOR=0\0DEVNAME=sr0\0DEVTYPE=disk\0SEQNUM=1201\0";

#define UEVENT(s) s, sizeof(s) - 1

/* MODALIAS= in a kernel uevent: NUL-separated fields, "add" events only. */
static void test_modalias(void)
{
	static const char add[] = "add@/devices/pci0000:00/0000:00:04.0\0ACTION=add\0"
				  "MODALIAS=pci:v00001AF4d00001001\0SEQNUM=7\0MODALIAS=second";
	const char *a;
	size_t pos = 0, n;

	TEST("uevent: each MODALIAS= of an add event, in order");
	CHECK(uevent_modalias(UEVENT(add), &pos, &a, &n));
	CHECK_INT((int)n, 22);
	CHECK(!memcmp(a, "pci:v00001AF4d00001001", 22));
	CHECK(uevent_modalias(UEVENT(add), &pos, &a, &n));
	CHECK(n == 6 && !memcmp(a, "second", 6));
	CHECK(!uevent_modalias(UEVENT(add), &pos, &a, &n));

	TEST("uevent: other events and fields have none");
	pos = 0;
	CHECK(!uevent_modalias(UEVENT("remove@/x\0MODALIAS=pci:v1"), &pos, &a, &n));
	pos = 0;
	CHECK(!uevent_modalias(UEVENT("add@/x\0XMODALIAS=pci:v1\0MODALIA"), &pos, &a, &n));
	pos = 0;
	CHECK(!uevent_modalias(UEVENT("ad"), &pos, &a, &n));
	TEST("uevent: an empty MODALIAS= is one of length 0");
	pos = 0;
	CHECK(uevent_modalias(UEVENT("add@/x\0MODALIAS="), &pos, &a, &n) && n == 0);
}

/*
 * What uevents_drain() and uevents_wait() make of events, fed through a
 * datagram socket pair in place of the netlink socket.
 */
static void test_wake(void)
{
	static const char bind9p[] = "bind@/devices/pci0000:00/0000:00:03.0/virtio1\0ACTION=bind\0"
				     "SUBSYSTEM=virtio\0DRIVER=9pnet_virtio\0";
	static const char pci[] = "add@/devices/pci0000:00/0000:00:03.0\0SUBSYSTEM=pci\0";
	static const char ubivol[] = "add@/devices/virtual/ubi/ubi0/ubi0_0\0SUBSYSTEM=ubi\0";
	static const char mtdadd[] = "add@/devices/virtual/mtd/mtd0\0SUBSYSTEM=mtd\0";
	struct uevents u = { .fd = -1, .tried = true };
	int sv[2];
	long t;

	TEST("uevents: a virtio device bound wakes a wait, as a block device does");
	CHECK_INT(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv), 0);
	u.fd = sv[0];
	CHECK(send(sv[1], UEVENT(bind9p), 0) > 0);
	CHECK_INT(uevents_drain(&u), UEVENT_VIRTIO);
	CHECK(send(sv[1], UEVENT(sr0_add), 0) > 0);
	CHECK(send(sv[1], UEVENT(bind9p), 0) > 0);
	CHECK_INT(uevents_drain(&u), UEVENT_BLOCK | UEVENT_VIRTIO);
	CHECK(send(sv[1], UEVENT(pci), 0) > 0);
	CHECK(send(sv[1], UEVENT(bind9p), 0) > 0);
	CHECK_INT(uevents_wait(&u, 1000, UEVENT_VIRTIO), UEVENT_VIRTIO);
	TEST("uevents: other subsystems do not end a wait");
	CHECK(send(sv[1], UEVENT(pci), 0) > 0);
	CHECK_INT(uevents_wait(&u, 50, UEVENT_VIRTIO), 0);
	TEST("uevents: a wait ends on the kinds its waiter names, not on others");
	CHECK(send(sv[1], UEVENT(bind9p), 0) > 0);
	CHECK_INT(uevents_wait(&u, 50, UEVENT_BLOCK), 0);
	CHECK(send(sv[1], UEVENT(ubivol), 0) > 0);
	CHECK_INT(uevents_wait(&u, 50, UEVENT_BLOCK), 0);
	TEST("uevents: UEVENT_ANY: any event ends the wait (a flash root's: a UBI volume, an MTD device)");
	CHECK(send(sv[1], UEVENT(ubivol), 0) > 0);
	t = log_ms();
	CHECK_INT(uevents_wait(&u, 3000, UEVENT_ANY), 0);
	CHECK(log_ms() - t < 1500);	/* ended by the event, not by the 3 s */
	CHECK(send(sv[1], UEVENT(mtdadd), 0) > 0);
	CHECK(send(sv[1], UEVENT(sr0_add), 0) > 0);
	CHECK_INT(uevents_wait(&u, 1000, UEVENT_ANY), UEVENT_BLOCK);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A block event's device as the storage scan takes it (storage/scan.c):
 * the number from the event; a partition's "removable" is not read (it
 * has none). The names here are not in this host's sysfs.
 */
static void test_blockdev_event(void)
{
	struct blockdev b;

	TEST("blockdev_from_event: the event's name and number, sysfs's spelling");
	CHECK_INT(blockdev_from_event("cciss/c0d0p1", "104", "1", true, &b), 0);
	CHECK_STR(b.name, "cciss!c0d0p1");
	CHECK(b.major == 104 && b.minor == 1);
	CHECK(!b.removable && !b.size);

	TEST("blockdev_from_event: a disk sysfs does not have is not removable");
	CHECK_INT(blockdev_from_event("handoff-none", "254", "16", false, &b), 0);
	CHECK(b.major == 254 && b.minor == 16 && !b.removable);

	TEST("blockdev_from_event: numbers that are none, a name too long");
	CHECK_INT(blockdev_from_event("vda", "", "0", false, &b), -EINVAL);
	CHECK_INT(blockdev_from_event("vda", "254", "x", false, &b), -EINVAL);
	CHECK_INT(blockdev_from_event("vda", "-1", "0", false, &b), -EINVAL);
	CHECK_INT(blockdev_from_event("vdaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "254",
				      "0", false, &b), -ENAMETOOLONG);
}

int main(void)
{
	test_blockdev_event();
	TEST("a block device's add event");
	CHECK_STR(uevent_value(MSG(sr0_add), "ACTION="), "add");
	CHECK_STR(uevent_value(MSG(sr0_add), "SUBSYSTEM="), "block");
	CHECK_STR(uevent_value(MSG(sr0_add), "DEVNAME="), "sr0");
	CHECK_STR(uevent_value(MSG(sr0_add), "MODALIAS="), NULL);

	TEST("a disc put in: a change with DISK_MEDIA_CHANGE");
	CHECK_STR(uevent_value(MSG("change@/devices/x/block/sr0\0ACTION=change\0DEVPATH=/devices/x/block/sr0\0"
				   "SUBSYSTEM=block\0DISK_MEDIA_CHANGE=1\0DEVNAME=sr0\0"), "SUBSYSTEM="), "block");

	TEST("a driver's device: MODALIAS");
	CHECK_STR(uevent_value(MSG("add@/devices/pci0000:00/0000:00:02.0/virtio0\0ACTION=add\0"
				   "SUBSYSTEM=virtio\0MODALIAS=virtio:d00000002v00001AF4\0"), "MODALIAS="),
		  "virtio:d00000002v00001AF4");

	TEST("a key only as a value's text, or a longer key, is not the field");
	CHECK_STR(uevent_value(MSG("add@/x\0DEVPATH=/SUBSYSTEM=block\0XSUBSYSTEM=block\0"), "SUBSYSTEM="), NULL);
	CHECK_STR(uevent_value(MSG("add@/x\0SUBSYSTEMS=block\0"), "SUBSYSTEM="), NULL);

	TEST("a field cut by the buffer is left out");
	CHECK_STR(uevent_value(MSG("add@/x\0ACTION=add\0SUBSYSTEM=blo"), "ACTION="), "add");
	CHECK_STR(uevent_value(MSG("add@/x\0ACTION=add\0SUBSYSTEM=blo"), "SUBSYSTEM="), NULL);

	TEST("the first of a repeated key counts");
	CHECK_STR(uevent_value(MSG("add@/x\0SUBSYSTEM=pci\0SUBSYSTEM=block\0"), "SUBSYSTEM="), "pci");

	TEST("no kernel header: nothing");
	CHECK_STR(uevent_value(MSG("libudev\0SUBSYSTEM=block\0"), "SUBSYSTEM="), NULL);
	CHECK_STR(uevent_value(MSG("add@/x"), "ACTION="), NULL);
	CHECK_STR(uevent_value("", 0, "ACTION="), NULL);
	CHECK_STR(uevent_value(MSG("\0SUBSYSTEM=block\0"), "SUBSYSTEM="), NULL);

	TEST("the header is not a field");
	CHECK_STR(uevent_value(MSG("SUBSYSTEM=@block\0"), "SUBSYSTEM="), NULL);
	test_modalias();
	test_wake();
	return check_failed;
}
