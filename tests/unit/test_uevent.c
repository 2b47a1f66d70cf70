/* uevent_parse(): the kernel's netlink uevents, as drain_uevents() reads them. */
#include "check.h"
#include "uevent.h"

#include <errno.h>

#define MSG(s) s, sizeof(s) - 1	/* a literal with its embedded NULs, not the final one */

int main(void)
{
	struct uevent ev;

	TEST("a block device's add event");
	CHECK_INT(uevent_parse(MSG("add@/devices/pci0000:00/0000:00:01.1/ata1/host0/target0:0:0/0:0:0:0/block/sr0\0"
				   "ACTION=add\0DEVPATH=/devices/.../block/sr0\0SUBSYSTEM=block\0"
				   "MAJOR=11\0MINOR=0\0DEVNAME=sr0\0DEVTYPE=disk\0SEQNUM=1201\0"), &ev), 0);
	CHECK_STR(ev.action, "add");
	CHECK_STR(ev.subsystem, "block");
	CHECK_STR(ev.devname, "sr0");
	CHECK_STR(ev.modalias, NULL);

	TEST("a disc put in: a change with DISK_MEDIA_CHANGE");
	CHECK_INT(uevent_parse(MSG("change@/devices/x/block/sr0\0ACTION=change\0DEVPATH=/devices/x/block/sr0\0"
				   "SUBSYSTEM=block\0DISK_MEDIA_CHANGE=1\0DEVNAME=sr0\0"), &ev), 0);
	CHECK_STR(ev.action, "change");
	CHECK_STR(ev.subsystem, "block");

	TEST("a driver's device: MODALIAS");
	CHECK_INT(uevent_parse(MSG("add@/devices/pci0000:00/0000:00:02.0/virtio0\0ACTION=add\0"
				   "SUBSYSTEM=virtio\0MODALIAS=virtio:d00000002v00001AF4\0"), &ev), 0);
	CHECK_STR(ev.subsystem, "virtio");
	CHECK_STR(ev.modalias, "virtio:d00000002v00001AF4");
	CHECK_STR(ev.devname, NULL);

	TEST("a key only as a value's text, or a longer key, is not the field");
	CHECK_INT(uevent_parse(MSG("add@/x\0DEVPATH=/SUBSYSTEM=block\0SUBSYSTEMS=block\0XSUBSYSTEM=block\0"), &ev), 0);
	CHECK_STR(ev.subsystem, NULL);

	TEST("a field cut by the buffer is left out");
	CHECK_INT(uevent_parse(MSG("add@/x\0ACTION=add\0SUBSYSTEM=blo"), &ev), 0);
	CHECK_STR(ev.action, "add");
	CHECK_STR(ev.subsystem, NULL);

	TEST("the first of a repeated key counts");
	CHECK_INT(uevent_parse(MSG("add@/x\0SUBSYSTEM=pci\0SUBSYSTEM=block\0"), &ev), 0);
	CHECK_STR(ev.subsystem, "pci");

	TEST("no kernel header: refused");
	CHECK_INT(uevent_parse(MSG("libudev\0\xfe\xed\xca\xfe"), &ev), -EINVAL);
	CHECK_INT(uevent_parse(MSG("add@/x"), &ev), -EINVAL);
	CHECK_INT(uevent_parse("", 0, &ev), -EINVAL);
	CHECK_INT(uevent_parse(MSG("\0SUBSYSTEM=block\0"), &ev), -EINVAL);
	CHECK_STR(ev.subsystem, NULL);

	TEST("a header alone");
	CHECK_INT(uevent_parse(MSG("remove@/devices/x\0"), &ev), 0);
	CHECK_STR(ev.action, NULL);
	return check_failed;
}
