#include "layers/loopdev.h"
#include "find/identify.h"
#include "modules/modules.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* <linux/loop.h> is not in musl's headers; this is its ABI. */
#define LOOP_SET_FD 0x4C00
#define LOOP_CLR_FD 0x4C01
#define LOOP_SET_STATUS64 0x4C04
#define LOOP_CONFIGURE 0x4C0A
#define LOOP_CTL_GET_FREE 0x4C82
#define LO_FLAGS_READ_ONLY 1
#define LO_FLAGS_AUTOCLEAR 4
#define LOOP_MAJOR 7

struct loop_info64 {
	uint64_t lo_device, lo_inode, lo_rdevice;	/* cppcheck-suppress unusedStructMember */
	uint64_t lo_offset, lo_sizelimit;	/* cppcheck-suppress unusedStructMember */
	uint32_t lo_number, lo_encrypt_type;	/* cppcheck-suppress unusedStructMember */
	uint32_t lo_encrypt_key_size;		/* cppcheck-suppress unusedStructMember */
	uint32_t lo_flags;
	uint8_t lo_file_name[64];
	uint8_t lo_crypt_name[64];		/* cppcheck-suppress unusedStructMember */
	uint8_t lo_encrypt_key[32];		/* cppcheck-suppress unusedStructMember */
	uint64_t lo_init[2];			/* cppcheck-suppress unusedStructMember */
};

struct loop_config {
	uint32_t fd;
	uint32_t block_size;			/* cppcheck-suppress unusedStructMember */
	struct loop_info64 info;
	uint64_t reserved[8];			/* cppcheck-suppress unusedStructMember */
};

/* devtmpfs makes the node a moment after the device exists: do not wait for it. */
static int loop_node(int n, struct root_dev *out)
{
	dev_t want = makedev(LOOP_MAJOR, (unsigned)n);
	struct stat st;

	fmt_buf(out->name, sizeof(out->name), "loop%d", n);
	fmt_buf(out->node, sizeof(out->node), "/dev/loop%d", n);
	out->major = LOOP_MAJOR;
	out->minor = (unsigned)n;
	if (!stat(out->node, &st) && S_ISBLK(st.st_mode) && st.st_rdev == want)
		return 0;
	if (mknod(out->node, S_IFBLK | 0600, want) && errno != EEXIST)
		return -errno;
	return 0;
}

static int configure(int lfd, int file_fd, const char *what)
{
	struct loop_config c;

	memset(&c, 0, sizeof(c));
	c.fd = (uint32_t)file_fd;
	c.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
	str_copy((char *)c.info.lo_file_name, what, sizeof(c.info.lo_file_name));
	if (!ioctl(lfd, LOOP_CONFIGURE, &c))
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	/* Before Linux 5.8: attach, then set the flags. */
	if (ioctl(lfd, LOOP_SET_FD, file_fd))
		return -errno;
	if (ioctl(lfd, LOOP_SET_STATUS64, &c.info)) {
		int e = -errno;

		ioctl(lfd, LOOP_CLR_FD, 0);
		return e;
	}
	return 0;
}

int loop_attach(int file_fd, const char *what, struct root_dev *out)
{
	int ctl, n, lfd, e, tries;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	e = ctl < 0 ? -errno : -EBUSY;
	/* A modular kernel's loop driver: nothing asks the kernel for it. */
	if (e == -ENOENT && modules_load_alias("devname:loop-control") == 0) {
		ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
		e = ctl < 0 ? -errno : -EBUSY;
	}
	if (ctl < 0) {
		err("cannot open /dev/loop-control for %s: %s (a kernel without loop: enable CONFIG_BLK_DEV_LOOP, or add the module: make initramfs KVER=... MODULES=+loop)",
		    what, errtext(e));
		return e;
	}
	/* Another user may take the free device first: then ask again. */
	for (tries = 0; tries < 8 && e == -EBUSY; tries++) {
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0) {
			e = -errno;
			break;
		}
		e = loop_node(n, out);
		if (e)
			break;
		lfd = open(out->node, O_RDWR | O_CLOEXEC);
		if (lfd < 0) {
			e = -errno;
			break;
		}
		e = configure(lfd, file_fd, what);
		if (!e) {
			close(ctl);
			probe_node_fstype(out->node, out->fstype, sizeof(out->fstype));
			info("%s is on %s (%s)", what, out->node,
			     out->fstype[0] ? out->fstype : "type unknown");
			return lfd;
		}
		close(lfd);
	}
	close(ctl);
	err("cannot set up a loop device for %s: %s", what, errtext(e));
	return e;
}
