#include "layers/layers.h"
#include "find/devices.h"
#include "base/log.h"
#include "layers/loopdev.h"
#include "mount/mount.h"
#include "layers/unpack.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Unmounted in this order after a failure, or before a retry. */
static const char *const layer_dirs[] = { NEW_ROOT, RW_DIR, LOWER_DIR, MEDIUM_DIR };

static void unmount_layers(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(layer_dirs); i++)
		umount2(layer_dirs[i], MNT_DETACH);	/* EINVAL: was not mounted */
}

static int make_dirs(void)
{
	static const char *const dirs[] = { LAYERS_DIR, MEDIUM_DIR, LOWER_DIR, RW_DIR, NEW_ROOT };
	size_t i;
	int e;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (mkdir(dirs[i], 0755) && errno != EEXIST) {
			e = -errno;
			err("cannot create %s: %s", dirs[i], errtext(e));
			return e;
		}
	}
	return 0;
}

enum layers_verdict layers_check(const struct boot_params *p, const struct root_spec *spec,
				 const char **clash)
{
	*clash = NULL;
	if (spec->kind == ROOT_TMPFS) {
		if (!p->image)
			return LAYERS_NO_IMAGE;
		*clash = p->overlay ? "rd.overlay" : p->loop ? "rd.loop" :
			 p->copytoram ? "rd.copytoram" : NULL;
	} else if (p->overlay && p->copytoram) {
		*clash = "rd.overlay with rd.copytoram";
	}
	if (*clash)
		return LAYERS_CLASH;
	return p->image && spec->kind != ROOT_TMPFS ? LAYERS_IMAGE_IGNORED : LAYERS_OK;
}

static int check_params(const struct boot_params *p, const struct root_spec *spec)
{
	const char *clash;

	if (p->loop && spec->kind != ROOT_TMPFS && !rootspec_is_block(spec->kind)) {
		err("rd.loop=%s: the image file must be on a block device, and root=%s is a %s",
		    p->loop, p->root, rootspec_kind_name(spec->kind));
		err("hint: put the image on a disk, or use the %s root itself with rd.overlay", rootspec_kind_name(spec->kind));
		return -EINVAL;
	}
	switch (layers_check(p, spec, &clash)) {
	case LAYERS_NO_IMAGE:
		err("root=tmpfs needs rd.image=: the archive to fill it from");
		err("hint: rd.image=/rootfs.tar (in the initramfs), rd.image=/dev/vdb (an archive on a partition) or rd.image=UUID=...:/rootfs.tar.gz (a file on a filesystem)");
		return -EINVAL;
	case LAYERS_CLASH:
		err("%s cannot be combined with %s: %s", clash,
		    spec->kind == ROOT_TMPFS ? "root=tmpfs" : "each other",
		    spec->kind == ROOT_TMPFS ? "a tmpfs root is already in RAM and writable" :
		    "a root copied to RAM is already writable");
		return -EINVAL;
	case LAYERS_IMAGE_IGNORED:
		warn("rd.image=%s is ignored: it is for root=tmpfs", p->image);
		break;
	case LAYERS_OK:
		break;
	}
	return 0;
}

static int mount_tmpfs(const char *dir, const struct boot_params *p, unsigned long flags)
{
	char data[64];
	int e;

	fmt_buf(data, sizeof(data), "mode=0755%s%s", p->tmpfs_size ? ",size=" : "",
		p->tmpfs_size ? p->tmpfs_size : "");
	if (!mount("tmpfs", dir, "tmpfs", flags, data))
		return 0;
	e = -errno;
	err("cannot mount a tmpfs on %s (%s): %s", dir, data, errtext(e));
	if (e == -EINVAL && p->tmpfs_size)
		err("hint: check rd.tmpfs.size=%s (a size such as 512M, or a percentage of RAM)",
		    p->tmpfs_size);
	return e;
}

/* Waits for the device a parameter names, as for root= (its wait). */
static int find_device(struct boot_plan *plan, const char *purpose, const char *param,
		       const char *value, struct root_dev *dev)
{
	struct device_req r = { purpose, param, value, NULL, plan->params.wait,
				plan->params.wait_s, false };
	struct root_spec spec;
	const char *why;

	if (rootspec_parse(value, &spec, &why)) {
		err("%s=%s: %s", param, value, why);
		return -EINVAL;
	}
	if (!rootspec_is_block(spec.kind)) {
		err("%s=%s: not a block device", param, value);
		return -EINVAL;
	}
	r.spec = &spec;
	return wait_for_device(&r, &plan->events, dev);
}

/* Mounts dev on dir: read-only unless asked, its type probed (not rootfstype=). */
static int mount_layer(const char *purpose, const char *param, const char *value,
		       struct root_dev *dev, const char *dir, bool rw)
{
	struct mount_req r = { purpose, param, value, dev, dir, NULL, NULL, !rw };
	int e = mount_device(&r, dev->mounted, sizeof(dev->mounted));

	device_release(dev);
	return e;
}

/* A filesystem that only holds an image: read-only, its type probed. */
static int mount_medium(const char *param, const char *value, struct root_dev *dev)
{
	return mount_layer("image medium", param, value, dev, MEDIUM_DIR, false);
}

/* A file on the medium, its symlinks resolved within the medium. */
static int open_on_medium(const char *param, const char *path)
{
	int dir = open(MEDIUM_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (dir < 0)
		return -errno;
	fd = openat_beneath(dir, path, O_RDONLY | O_CLOEXEC, RESOLVE_IN_ROOT);
	close(dir);
	if (fd < 0) {
		err("%s: cannot open %s on the device: %s", param, path, errtext(fd));
		err("hint: the path is from the top of that filesystem (mounted on %s)", MEDIUM_DIR);
	}
	return fd;
}

/* rd.image=: a file in the initramfs, a device, or DEVICE:/path/on/it. */
static int open_image(struct boot_plan *plan, bool *on_medium)
{
	const struct boot_params *p = &plan->params;
	char dev_part[ROOTSPEC_VALUE_MAX];
	const char *path = str_find(p->image, ":/");
	struct root_dev dev = { .fd = -1 };
	int fd, e;

	*on_medium = false;
	if (p->image[0] == '/' && !str_starts(p->image, "/dev/") && !path) {
		fd = open(p->image, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			e = -errno;
			err("rd.image=%s: cannot open it in the initramfs: %s", p->image, errtext(e));
			err("hint: add it to the image (make initramfs EXTRA=my.list), or name a device");
			return e;
		}
		return fd;
	}
	if (path) {
		if ((size_t)(path - p->image) >= sizeof(dev_part)) {
			err("rd.image=%s: the device part is too long", p->image);
			return -EINVAL;
		}
		memcpy(dev_part, p->image, (size_t)(path - p->image));
		dev_part[path - p->image] = '\0';
		e = find_device(plan, "image medium", "rd.image", dev_part, &dev);
		if (!e)
			e = mount_medium("rd.image", dev_part, &dev);
		if (e)
			return e;
		*on_medium = true;
		return open_on_medium("rd.image", path + 1);
	}
	e = find_device(plan, "image", "rd.image", p->image, &dev);
	if (e)
		return e;
	fd = open(dev.node, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		err("rd.image=%s: cannot open %s: %s", p->image, dev.node, errtext(e));
	}
	device_release(&dev);
	return fd < 0 ? e : fd;
}

static void unmount_medium(void)
{
	if (!umount2(MEDIUM_DIR, 0))
		return;
	warn("cannot unmount %s: %s; detaching it", MEDIUM_DIR, errtext(errno));
	umount2(MEDIUM_DIR, MNT_DETACH);
}

/*
 * A RAM root is filled on a nodev mount: should the writer ever open a
 * device node an entry made, the kernel refuses it. Device nodes are kept
 * (a root may need them), so once filled the root allows them again.
 */
static int mount_ram_root(const struct boot_params *p)
{
	return mount_tmpfs(NEW_ROOT, p, MS_NODEV);
}

static int ram_root_filled(int e)
{
	if (e || !mount(NULL, NEW_ROOT, NULL, MS_REMOUNT | MS_BIND, NULL))
		return e;
	e = -errno;
	err("cannot remount the tmpfs on %s without nodev: %s", NEW_ROOT, errtext(e));
	return e;
}

static int tmpfs_from_image(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	bool on_medium;
	int fd, e;

	e = mount_ram_root(p);
	if (e)
		return e;
	fd = open_image(plan, &on_medium);
	if (fd < 0)
		return fd;
	e = unpack_image(fd, p->image, p);
	close(fd);
	if (on_medium)
		unmount_medium();
	return ram_root_filled(e);
}

static int mount_upper(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	struct root_dev dev = { .fd = -1 };
	int e;

	if (!p->overlay[0]) {
		e = mount_tmpfs(RW_DIR, p, 0);
	} else {
		e = find_device(plan, "overlay upper", "rd.overlay", p->overlay, &dev);
		if (!e)
			e = mount_layer("overlay upper", "rd.overlay", p->overlay, &dev, RW_DIR, true);
	}
	if (e)
		return e;
	if ((mkdir(RW_DIR "/upper", 0755) && errno != EEXIST) ||
	    (mkdir(RW_DIR "/work", 0755) && errno != EEXIST)) {
		e = -errno;
		err("cannot create the overlay's directories in %s: %s", RW_DIR, errtext(e));
		return e;
	}
	return 0;
}

static int mount_overlay(struct boot_plan *plan)
{
	static const char data[] = "lowerdir=" LOWER_DIR ",upperdir=" RW_DIR "/upper,workdir="
		RW_DIR "/work";
	int e = mount_upper(plan);

	if (e)
		return e;
	if (!mount("overlay", NEW_ROOT, "overlay", 0, data)) {
		info("mounted an overlay on %s: %s", NEW_ROOT, data);
		return 0;
	}
	e = -errno;
	err("cannot mount the overlay on %s (%s): %s", NEW_ROOT, data, errtext(e));
	err("hint: the kernel needs CONFIG_OVERLAY_FS; an upper layer on a device needs a filesystem with xattrs (ext4, xfs, btrfs)");
	return e;
}

/* rd.loop=: the root filesystem is an image file on the root device. */
static int attach_image(const struct boot_params *p, struct root_dev *dev)
{
	int fd, lfd, e;

	e = mount_medium("root", p->root, dev);
	if (e)
		return e;
	fd = open_on_medium("rd.loop", p->loop);
	if (fd < 0)
		return fd;
	lfd = loop_attach(fd, p->loop, dev);
	close(fd);
	return lfd;
}

static int device_root(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	struct root_dev dev = { .fd = -1 };
	struct device_req r;
	int lfd = -1, e;

	if (!rootspec_is_block(plan->root.kind)) {
		/* An export, a host directory, a flash volume: the lower layer as it is. */
		e = mount_root_source(plan, LOWER_DIR, true);
		goto mounted;
	}
	device_req_root(&r, p, &plan->root);
	e = wait_for_device(&r, &plan->events, &dev);
	if (e)
		return e;
	if (p->loop) {
		lfd = attach_image(p, &dev);
		if (lfd < 0)
			return lfd;
	}
	if (p->overlay || p->copytoram)
		e = mount_root(p, &dev, LOWER_DIR, true);
	else
		e = mount_root(p, &dev, NEW_ROOT, p->read_only);
	/* Mounted: the loop device stays while the mount uses it. */
	if (lfd >= 0)
		close(lfd);
mounted:
	if (e)
		return e;
	if (p->overlay)
		return mount_overlay(plan);
	if (!p->copytoram)
		return 0;
	e = mount_ram_root(p);
	if (!e)
		e = ram_root_filled(copy_to_ram(LOWER_DIR, p));
	if (e)
		return e;
	/* Nothing may keep the disk busy: it may be removed after boot. */
	if (umount2(LOWER_DIR, 0)) {
		e = -errno;
		err("cannot unmount %s after copying it to RAM: %s", LOWER_DIR, errtext(e));
		return e;
	}
	if (p->loop)
		unmount_medium();
	return 0;
}

int build_layered_root(struct boot_plan *plan)
{
	int e = check_params(&plan->params, &plan->root);

	if (e)
		return e;
	unmount_layers();
	e = make_dirs();
	if (!e)
		e = plan->root.kind == ROOT_TMPFS ? tmpfs_from_image(plan) : device_root(plan);
	if (!e)
		e = check_new_root();
	if (e)
		unmount_layers();	/* nothing half-built stays: the initramfs is as it was */
	return e;
}
