/*
 * /usr on its own filesystem, mounted on NEW_ROOT/usr before the switch
 * as systemd's INITRD_INTERFACE recommends: a merged-/usr root finds even
 * /sbin/init there. mount.usr= takes every root= form.
 */
#include "mount/mount.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <sys/stat.h>

#define NEW_USR NEW_ROOT "/usr"

/* Which parameter named /usr's device, and as what, for the messages. */
static void usr_named_by(const struct boot_plan *plan, const char **param, const char **value)
{
	const struct boot_params *p = &plan->params;

	if (p->usr) {
		*param = "mount.usr";
		*value = p->usr;
	} else if (p->usrfstype || p->usrflags) {
		*param = "root";	/* mount.usrfstype= or mount.usrflags= alone: root='s device */
		*value = p->root ? p->root : "";
	} else {
		*param = "GPT auto-discovery";
		*value = plan->usr.value;
	}
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
	const char *param, *value;
	int e;

	if (!plan->want_usr)
		return 0;
	usr_named_by(plan, &param, &value);
	if (plan->usr_error) {
		err("%s=%s: %s", param, value, plan->usr_why);
		err("hint: mount.usr= takes the forms of root=: /dev/NAME, UUID=, LABEL=, PARTUUID=, PARTLABEL=");
		return plan->usr_error;
	}
	e = usr_dir_there();
	if (e)
		return e;
	want = (struct device_req){ "/usr", param, value, &plan->usr, p->wait, p->wait_s };
	e = wait_for_device(&want, &plan->events, &dev);
	if (e)
		return e;
	/* systemd's defaults: the root's type and options when /usr's are not given. */
	r = (struct mount_req){ "/usr", param, value, &dev, NEW_USR,
				p->usrfstype ? p->usrfstype : p->rootfstype,
				p->usrflags ? p->usrflags : p->rootflags,
				p->read_only || plan->usr_read_only };
	e = mount_device(&r, dev.mounted, sizeof(dev.mounted));
	device_release(&dev);
	return e;
}
