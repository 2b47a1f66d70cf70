/*
 * Host directories QEMU shares with the guest: virtiofs (root=virtiofs:TAG,
 * rootfstype=virtiofs root=TAG) and 9p over virtio (rootfstype=9p
 * root=TAG). There is no block device to wait for: a tag exists once its
 * virtio device is bound to its driver (built in, or loaded by coldplug
 * from its modalias), so the mount is tried at once and again after each
 * virtio uevent, within the root's wait. Not there, virtiofs says EINVAL
 * and 9p ENOENT (EINVAL too before its transport registers).
 */
#include "base/log.h"
#include "base/util.h"
#include "mount/mount.h"
#include "plan/mountopts.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether the comma-separated options have one starting with key ("trans="). Pure. */
static bool has_option(const char *opts, const char *key)
{
	const char *p;

	for (p = opts; p; p = strchr(p, ','))
		if (str_starts(p += *p == ',', key))
			return true;
	return false;
}

int hostdir_options(bool p9, char *data, size_t size)
{
	/*
	 * What every 9p root over virtio needs; rootflags= may say otherwise
	 * (noextend is the legacy protocol). Appended, not put first: a
	 * trans= the kernel cannot find fails the mount even when a later
	 * one overrides it.
	 */
	if (p9 && !has_option(data, "trans=") &&
	    str_append(data, *data ? ",trans=virtio" : "trans=virtio", size))
		return -E2BIG;
	if (p9 && !has_option(data, "version=") && !has_option(data, "noextend") &&
	    str_append(data, ",version=9p2000.L", size))
		return -E2BIG;
	return 0;
}

/*
 * The tags there are: 9p shows each device's in sysfs; virtiofs only its
 * devices (virtio device ID 26) on 6.1, so those are counted.
 */
static void list_tags(bool p9, const char *type)
{
	char path[64], buf[128];
	int i, n = 0;

	err("%s tags the guest has:", type);
	for (i = 0; i < 64; i++) {
		fmt_buf(path, sizeof(path), "/sys/bus/virtio/devices/virtio%d/%s", i,
			p9 ? "mount_tag" : "device");
		if (read_text(path, buf, sizeof(buf)) > 0 && (p9 || !strcmp(buf, "0x001a\n")) &&
		    ++n && p9)
			err("  %s", buf);	/* mount_tag ends in its NUL, no newline */
	}
	if (!p9 || !n)
		err("  (%d %s device(s)%s)", n, type, p9 ? "" : ": this kernel does not show their tags");
}

int mount_host_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	const struct boot_params *p = &plan->params;
	struct mount_opts o = { .flags = read_only ? MS_RDONLY : 0 };
	bool p9 = plan->root.kind == ROOT_9P;
	const char *type = p9 ? "9p" : "virtiofs", *tag = plan->root.value;
	long start = log_ms(), bound = wait_bound_ms(p->wait, p->wait_s), left;
	int e, noted = 0;

	if (mountopts_parse(p->rootflags, &o) || hostdir_options(p9, o.data, sizeof(o.data))) {
		err("rootflags=%s: too long (at most %d bytes of filesystem options)",
		    p->rootflags, MOUNTOPTS_DATA_MAX - 1);
		return -E2BIG;
	}
	mkdir(dir, 0755);	/* so that ENOENT is the tag's */
	for (;;) {
		mount_clear(dir);
		e = mount(tag, dir, type, o.flags, o.data) ? -errno : 0;
		left = bound < 0 ? 5000 : bound - (log_ms() - start);
		if ((e != -EINVAL && e != -ENOENT) || left <= 0)
			break;
		if (!noted++)
			notice("waiting for the %s tag %s", type, tag);
		/*
		 * Listen, then try again: no bind falls between; after that,
		 * again after each virtio event. Coldplug (every driver, for a
		 * root that is no block device) has loaded the modules there are.
		 */
		if (!uevents_listen(&plan->events))
			uevents_wait(&plan->events, left, UEVENT_VIRTIO);
	}
	if (!e)
		return 0;
	err("cannot mount the %s tag %s on %s (after %ld s): %s", type, tag, dir,
	    (log_ms() - start) / 1000, errtext(e));
	if (e == -ENODEV) {
		err("hint: build %s into the kernel, or its module into the image", type);
	} else if (e == -EINVAL || e == -ENOENT) {
		list_tags(p9, type);
		err("hint: QEMU shares it by -device vhost-user-fs-pci,tag=TAG (virtiofs) or -virtfs ...,mount_tag=TAG (9p), as qemu/run does");
	}
	return e;
}
