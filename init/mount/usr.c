/*
 * /usr on its own filesystem, mounted on NEW_ROOT/usr before the switch
 * as systemd's INITRD_INTERFACE recommends: a merged-/usr root finds even
 * /sbin/init there. mount.usr= takes every root= form.
 */
#include "mount/mount.h"
#include "mount/fsck.h"
#include "base/log.h"
#include "base/util.h"
#include "plan/fstab.h"
#include "plan/mountopts.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEW_USR NEW_ROOT "/usr"
#define NEW_FSTAB NEW_ROOT "/etc/fstab"

/* Where /usr's device, type and options come from, for the mount and its messages. */
struct usr_how {
	const char *param, *value;	/* "mount.usr", "/etc/fstab"...; the device as written */
	const char *types, *options;
	bool read_only;
	char kernel_opts[MOUNTOPTS_DATA_MAX];	/* fstab's options the kernel takes */
};

/* From the command line: systemd's defaults are the root's type, options and ro/rw. */
static void usr_from_cmdline(const struct boot_plan *plan, struct usr_how *how)
{
	const struct boot_params *p = &plan->params;

	how->types = p->usrfstype ? p->usrfstype : p->rootfstype;
	how->options = p->usrflags ? p->usrflags : p->rootflags;
	how->read_only = p->read_only || plan->usr_read_only;
	if (p->usr) {
		how->param = "mount.usr";
		how->value = p->usr;
	} else if (p->usrfstype || p->usrflags) {
		how->param = "root";	/* mount.usrfstype= or mount.usrflags= alone: root='s device */
		how->value = p->root ? p->root : "";
	} else {
		how->param = "GPT auto-discovery";
		how->value = plan->usr.value;
	}
}

/*
 * The new root's fstab, read as a plain file: a symlink is not followed
 * (it would be resolved in the initramfs) and nothing but a regular file
 * is opened for long (opening a device node can start a watchdog).
 */
static long read_fstab(char *buf, size_t size)
{
	struct stat st;
	ssize_t n = -ENOENT;
	int fd = open(NEW_FSTAB, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ELOOP)
			info("%s is a symlink: not followed, so no /usr from it", NEW_FSTAB);
		return -ENOENT;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		n = read_some(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -ENOENT;
	buf[n] = '\0';
	return n;
}

/*
 * Without mount.usr=, the /usr entry of the new root's /etc/fstab (as
 * systemd-fstab-generator does). -ENOENT: there is none; -ECANCELED: it
 * says noauto.
 */
static int usr_from_fstab(struct boot_plan *plan, struct usr_how *how)
{
	struct fstab_entry e = { 0 };
	const char *why;

	if (read_fstab(plan->fstab, sizeof(plan->fstab)) < 0 || fstab_find(plan->fstab, "/usr", &e))
		return -ENOENT;
	if (fstab_has_option(e.opts, "noauto")) {
		info("%s has /usr as noauto: not mounting it", NEW_FSTAB);
		return -ECANCELED;
	}
	how->param = "/etc/fstab";
	how->value = e.spec;
	if (rootspec_parse(e.spec, &plan->usr, &why) || !rootspec_is_block(plan->usr.kind)) {
		err("/usr in %s: %s: %s", NEW_FSTAB, e.spec, !why[0] ?
		    "handoff mounts /usr only from a block device" : why);
		err("hint: fix the /usr line of /etc/fstab, or give mount.usr= on the command line");
		return -EINVAL;
	}
	if (fstab_kernel_options(e.opts, how->kernel_opts, sizeof(how->kernel_opts))) {
		err("/usr in %s: its options are too long (%s)", NEW_FSTAB, e.opts);
		return -E2BIG;
	}
	how->types = strcmp(e.type, "auto") ? e.type : NULL;
	how->options = how->kernel_opts;
	how->read_only = plan->params.read_only;
	return 0;
}

/* The root must have the directory: nothing is created on a disk we only mount. */
static int usr_dir_there(void)
{
	struct stat st;

	if (!stat(NEW_USR, &st) && S_ISDIR(st.st_mode))
		return 0;
	err("cannot mount /usr: the root has no /usr directory (%s)", NEW_USR);
	err("hint: create an empty /usr on the root filesystem, or drop mount.usr=");
	return -ENOENT;
}

int mount_usr(struct boot_plan *plan)
{
	const struct boot_params *p = &plan->params;
	struct root_dev dev = { .fd = -1 };
	struct device_req want;
	struct mount_req r;
	struct usr_how how;
	int e;

	/*
	 * The command line first; then the root's fstab, which also beats a
	 * /usr partition GPT auto-discovery found (systemd's generators defer
	 * to an fstab line too).
	 */
	if (p->usr || p->usrfstype || p->usrflags) {
		usr_from_cmdline(plan, &how);
	} else {
		e = usr_from_fstab(plan, &how);
		if (e == -ENOENT && plan->want_usr)
			usr_from_cmdline(plan, &how);	/* GPT auto-discovery's */
		else if (e)
			return e == -ENOENT || e == -ECANCELED ? 0 : e;
	}
	if (plan->want_usr && plan->usr_error) {
		err("%s=%s: %s", how.param, how.value, plan->usr_why);
		err("hint: mount.usr= takes the forms of root=: /dev/NAME, UUID=, LABEL=, PARTUUID=, PARTLABEL=");
		return plan->usr_error;
	}
	e = usr_dir_there();
	if (e)
		return e;
	want = (struct device_req){ "/usr", how.param, how.value, &plan->usr, p->wait, p->wait_s, false };
	e = wait_for_device(&want, &plan->events, &dev);
	if (e)
		return e;
	r = (struct mount_req){ "/usr", how.param, how.value, &dev, NEW_USR, how.types,
				how.options, how.read_only };
	e = fsck_before_rw(&r, p);
	if (!e)
		e = mount_device(&r, dev.mounted, sizeof(dev.mounted));
	device_release(&dev);
	return e;
}
