/*
 * blkid for the rescue shell, where /bin/blkid links to /init (Debian's
 * static busybox has no blkid): what our probes see on each block device,
 * printed as util-linux blkid prints it, or as `blkid -o export`. It reads
 * the devices only. The init runs this only when it is not PID 1.
 */
#include "find/identify.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

struct blkid {
	int export;
	dev_t only;		/* the device asked for; 0: every one */
	int shown;
};

static int show(const struct blockdev *b, void *arg)
{
	static const char *const keys[] = { "UUID", "LABEL", "TYPE", "PARTUUID", "PARTLABEL" };
	struct blkid *k = arg;
	const char *vals[ARRAY_SIZE(keys)];
	char buf[ARRAY_SIZE(keys) * PROBE_TAG_MAX + 160];
	struct devinfo i;
	size_t n, head, t;

	if (k->only && makedev(b->major, b->minor) != k->only)
		return 0;
	blockdev_describe(b, &i);
	vals[0] = i.fs.uuid, vals[1] = i.fs.label, vals[2] = i.fs.type;
	vals[3] = i.partuuid, vals[4] = i.partlabel;
	head = n = fmt_buf(buf, 160, k->export ? "%sDEVNAME=/dev/%s\n" : "%s/dev/%s:",
			   k->export && k->shown ? "\n" : "", b->name);
	str_tr(buf, '!', '/');	/* cciss!c0d0 is /dev/cciss/c0d0 */
	for (t = 0; t < ARRAY_SIZE(keys); t++)
		n += probe_tag(buf + n, sizeof(buf) - n - 1, keys[t], vals[t], k->export);
	if (n == head)
		return 0;	/* nothing to say of it, as blkid */
	if (!k->export)
		buf[n++] = '\n';
	write_all(1, buf, n);
	k->shown++;
	return 0;
}

static int fail(const char *what, const char *why)
{
	char msg[300];

	write_all(2, msg, fmt_buf(msg, sizeof(msg), "blkid: %s: %s\n", what, why));
	return 4;
}

static void each(struct blkid *k)
{
	int e = blockdev_each(show, k);

	if (e)
		fail("/sys/class/block", errtext(e));
}

/* One device named on the command line, by its node. */
static void show_node(struct blkid *k, const char *node)
{
	struct stat st;

	if (stat(node, &st)) {
		fail(node, errtext(errno));
		return;
	}
	if (!S_ISBLK(st.st_mode)) {
		fail(node, "not a block device");
		return;
	}
	k->only = st.st_rdev;
	each(k);
}

/* blkid [-o export|full] [DEVICE...]: 0 found, 2 nothing, 4 a usage error. */
int blkid_main(int argc, char **argv)
{
	struct blkid k = { 0 };
	int i, devs = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			k.export = !strcmp(argv[++i], "export");
			if (!k.export && strcmp(argv[i], "full"))
				return fail(argv[i], "unknown output format (export or full)");
		} else if (argv[i][0] == '-') {
			return fail(argv[i], "unknown option; usage: blkid [-o export|full] [DEVICE...]");
		} else {
			devs++;
			show_node(&k, argv[i]);
		}
	}
	if (!devs)
		each(&k);
	return k.shown ? 0 : 2;
}
