/* GPT auto-discovery: the choice (pure), then the look at the disks and the wait. */
#include "find/gptauto.h"
#include "base/log.h"
#include "base/util.h"
#include "find/blockdev.h"
#include "find/devices.h"
#include "plan/plan.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The Discoverable Partitions Specification's types, as systemd 252's
 * `systemd-id128 show` and util-linux's `sfdisk -T` list them.
 */
static const struct {
	const char *root, *usr;
	const char *root_name, *usr_name;
} types[GPTAUTO_ARCHES] = {
	[GPTAUTO_X86_64] = { "4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
			     "8484680c-9521-48c6-9c11-b0720656f69e", "root-x86-64", "usr-x86-64" },
	[GPTAUTO_ARM64] = { "b921b045-1df0-41c3-af44-4c6f280d3fae",
			    "b0e01050-ee5f-4390-949a-9101b17104e9", "root-arm64", "usr-arm64" },
	[GPTAUTO_ARM] = { "69dad710-2ce4-4e3c-b16c-21a1d49abed3",
			  "7d0359a3-02b3-4f0a-865c-654403e70625", "root-arm", "usr-arm" },
};

#if defined(__x86_64__)
const enum gptauto_arch gptauto_native = GPTAUTO_X86_64;
#elif defined(__aarch64__)
const enum gptauto_arch gptauto_native = GPTAUTO_ARM64;
#elif defined(__arm__)
const enum gptauto_arch gptauto_native = GPTAUTO_ARM;
#else
const enum gptauto_arch gptauto_native = GPTAUTO_ARCHES;	/* none: nothing is found */
#endif

const char *gptauto_type_name(const char *type_guid, enum gptauto_arch *arch, bool *usr)
{
	int a;

	for (a = 0; a < GPTAUTO_ARCHES; a++) {
		*arch = (enum gptauto_arch)a;
		*usr = probe_uuid_equal(type_guid, types[a].usr);
		if (*usr)
			return types[a].usr_name;
		if (probe_uuid_equal(type_guid, types[a].root))
			return types[a].root_name;
	}
	return NULL;
}

void gptauto_scan_init(struct gptauto_scan *s, enum gptauto_arch arch, const char *loader)
{
	memset(s, 0, sizeof(*s));
	s->arch = arch;
	s->loader = loader && *loader ? loader : NULL;
}

/* One entry of a disk's table into its summary: the first of each kind counts. */
static void scan_part(const struct gptauto_scan *s, struct gptauto_disk *d,
		      const struct probe_part *p)
{
	enum gptauto_arch arch;
	bool usr;
	const char *name = gptauto_type_name(p->type_guid, &arch, &usr);

	if (s->loader && probe_uuid_equal(p->partuuid, s->loader))
		d->has_esp = true;
	if (!name)
		return;
	if (arch != s->arch) {
		if (!usr && !d->foreign) {
			d->foreign = p->number;
			d->foreign_type = name;
		}
	} else if (p->attrs & GPT_FLAG_NO_AUTO) {
		if (!usr && !d->no_auto)
			d->no_auto = p->number;
	} else if (usr && !d->usr) {
		d->usr = p->number;
		d->usr_ro = p->attrs & GPT_FLAG_READ_ONLY;
		str_copy(d->usr_uuid, p->partuuid, sizeof(d->usr_uuid));
	} else if (!usr && !d->root) {
		d->root = p->number;
		d->root_ro = p->attrs & GPT_FLAG_READ_ONLY;
		str_copy(d->root_uuid, p->partuuid, sizeof(d->root_uuid));
	}
}

void gptauto_scan_add(struct gptauto_scan *s, const char *disk, const struct probe_table *t)
{
	struct gptauto_disk d;
	uint32_t i;

	if (strcmp(t->type, "gpt"))
		return;
	memset(&d, 0, sizeof(d));
	str_copy(d.name, disk, sizeof(d.name));
	/* GPT entries are listed by number: the first one of a type is the spec's "first" */
	for (i = 0; i < t->count && i < PROBE_MAX_PARTS; i++)
		scan_part(s, &d, &t->part[i]);
	s->gpt_disks++;
	if (!d.root && !d.usr && !d.no_auto && !d.foreign && !d.has_esp)
		return;	/* nothing of ours: no room taken */
	if (d.root)
		s->with_root++;
	if (s->disks < GPTAUTO_MAX_DISKS)
		s->disk[s->disks++] = d;
}

int gptauto_choose(const struct gptauto_scan *s, const struct gptauto_disk **out)
{
	int i, found = 0;

	*out = NULL;
	for (i = 0; i < s->disks; i++) {
		const struct gptauto_disk *d = &s->disk[i];

		if (s->loader) {
			if (d->has_esp) {
				*out = d;
				return d->root ? 0 : -ENODEV;
			}
		} else if (d->root && !found++) {
			*out = d;
		}
	}
	/* with_root counts the disks past the array too: never guess among them */
	if (!s->loader && s->with_root > 1)
		return -EEXIST;
	return found ? 0 : -ENOENT;
}

/* ---- I/O: the EFI variable, the disks, the wait ---- */

#define EFI_DIR "/sys/firmware/efi"
#define EFIVARS EFI_DIR "/efivars"
#define LOADER_VAR EFIVARS "/LoaderDevicePartUUID-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

/*
 * The ESP's PARTUUID systemd-boot leaves in LoaderDevicePartUUID: 4 bytes
 * of attributes, then a UTF-16LE GUID string. "" without one (no EFI, no
 * loader that sets it). efivarfs is mounted for the read, read-only, and
 * let go again (the kernel loads its module on the mount when it is one).
 */
static void read_loader_uuid(char *out, size_t size)
{
	unsigned char raw[4 + 2 * 40];
	struct stat st;
	bool mounted = false;
	long n, i;
	size_t k = 0;

	out[0] = '\0';
	if (stat(EFI_DIR, &st))
		return;
	n = read_text(LOADER_VAR, (char *)raw, sizeof(raw));
	if (n == -ENOENT && !mount("efivarfs", EFIVARS, "efivarfs",
				   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		mounted = true;
		n = read_text(LOADER_VAR, (char *)raw, sizeof(raw));
	}
	if (mounted)
		umount(EFIVARS);
	if (n < 0) {
		if (n != -ENOENT)
			warn("cannot read %s: %s; looking on every disk", LOADER_VAR, errtext((int)n));
		return;
	}
	for (i = 4; i + 1 < n && raw[i] && k + 1 < size; i += 2) {
		if (raw[i + 1] || !(raw[i] == '-' || (raw[i] >= '0' && raw[i] <= '9') ||
				    ((raw[i] | 0x20) >= 'a' && (raw[i] | 0x20) <= 'f')))
			break;
		out[k++] = (char)(raw[i] | (raw[i] >= 'A' ? 0x20 : 0));
	}
	out[k] = '\0';
	if (k != 36) {
		warn("%s holds no partition UUID; looking on every disk", LOADER_VAR);
		out[0] = '\0';
	}
}

/* The table of each whole disk into the scan. */
static int scan_one(const struct blockdev *b, void *arg)
{
	static struct probe_table t;	/* large: one disk at a time */
	struct probe_dev d = { probe_fd_read, NULL, b->size, 0 };
	int fd;

	if (b->partno || !b->size)
		return 0;
	fd = blockdev_open(b);
	if (fd < 0)
		return 0;
	d.ctx = &fd;
	if (!probe_partitions(&d, &t))
		gptauto_scan_add(arg, b->name, &t);
	close(fd);
	return 0;
}

static int look(struct gptauto_scan *s, const struct gptauto_disk **d)
{
	gptauto_scan_init(s, s->arch, s->loader);
	blockdev_each(scan_one, s);
	return gptauto_choose(s, d);
}

static void say_seen(const struct gptauto_scan *s)
{
	int i;

	if (!s->gpt_disks)
		err("GPT auto-discovery: no disk has a GPT partition table");
	else if (!s->disks)
		err("GPT auto-discovery: %d disk%s with a GPT, none with a root partition of any architecture we know",
		    s->gpt_disks, s->gpt_disks > 1 ? "s" : "");
	for (i = 0; i < s->disks; i++) {
		const struct gptauto_disk *d = &s->disk[i];

		if (d->root)
			err("  %s: partition %u is a %s root", d->name, d->root,
			    types[s->arch].root_name);
		if (d->no_auto)
			err("  %s: partition %u is a %s root marked no-auto (GPT attribute 63): not used",
			    d->name, d->no_auto, types[s->arch].root_name);
		if (d->foreign)
			err("  %s: partition %u is a root of another architecture (%s): not used",
			    d->name, d->foreign, d->foreign_type);
		if (!d->root && !d->no_auto && !d->foreign)
			err("  %s: no root partition", d->name);
	}
}

/* Why nothing was chosen, and what to do. */
static void say_failed(const struct boot_plan *plan, const struct gptauto_scan *s,
		       const struct gptauto_disk *d, int e)
{
	const char *root = s->arch < GPTAUTO_ARCHES ? types[s->arch].root_name : "(none)";

	if (plan->root_implied)
		err("no root= on the kernel command line%s, and GPT auto-discovery %s",
		    plan->params.builtin ? " nor in the built-in one" : "",
		    e == -EEXIST ? "cannot choose" : "found no root");
	if (e == -EEXIST) {
		int i;

		err("GPT auto-discovery: several disks have a %s partition and the boot loader did not say which disk it booted from: refusing to guess",
		    root);
		for (i = 0; i < s->disks; i++)
			if (s->disk[i].root)
				err("  %s: partition %u (PARTUUID=%s)", s->disk[i].name,
				    s->disk[i].root, s->disk[i].root_uuid);
		err("hint: add root=PARTUUID=... naming one, or mark the others no-auto (GPT attribute 63: sgdisk -A N:set:63)");
		return;
	}
	if (e == -ENODEV)
		err("GPT auto-discovery: the boot loader booted from %s (LoaderDevicePartUUID=%s), which has no %s partition",
		    d->name, s->loader, root);
	else if (s->loader)
		err("GPT auto-discovery: no disk holds the EFI system partition %s the boot loader booted from",
		    s->loader);
	else
		err("GPT auto-discovery: no disk has a %s partition (GPT type %s)", root,
		    s->arch < GPTAUTO_ARCHES ? types[s->arch].root : "unknown");
	say_seen(s);
	err("hint: add root=/dev/NAME, root=UUID=... or root=PARTUUID=... to the kernel command line, or give the root partition the type %s",
	    root);
}

/* Until the choice is made (or cannot change), or the root wait's bound. */
static int wait_choice(struct boot_plan *plan, struct gptauto_scan *s,
		       const struct gptauto_disk **d)
{
	struct uevents *u = &plan->events;
	long start = log_ms(), bound = wait_bound_ms(plan->params.wait, plan->params.wait_s), note = 1000, now;
	int e;

	/* Listen first, then look: no disk falls between (devices.c does the same). */
	if ((uevents_listen(u) || u->fd < 0) && u->handler)
		u->handler(u->ctx, NULL, 0);
	for (;;) {
		uevents_drain(u);	/* the drivers of what came are loading */
		e = look(s, d);
		/* several disks, or the loader's disk without a root: a disk more changes nothing */
		if (e != -ENOENT)
			return e;
		now = log_ms() - start;
		if (bound >= 0 && now >= bound)
			return e;
		if (now >= note) {
			notice("GPT auto-discovery: waiting for a disk with a %s partition (%ld s%s)",
			       s->arch < GPTAUTO_ARCHES ? types[s->arch].root_name : "root",
			       now / 1000, bound < 0 ? "; rootwait: waiting forever" : "");
			note += 5000;
		}
		uevents_wait(u, bound >= 0 && bound - now < note - now ? bound - now : note - now,
			     UEVENT_BLOCK);
	}
}

int gptauto_find_root(struct boot_plan *plan)
{
	static struct gptauto_scan s;	/* a few KiB: off the stack */
	static char loader[40], value[64];
	static struct root_spec part;
	struct boot_params *p = &plan->params;
	const struct gptauto_disk *d;
	struct device_req want;
	int e;

	read_loader_uuid(loader, sizeof(loader));
	if (loader[0])
		info("GPT auto-discovery: the boot loader booted from the partition %s (LoaderDevicePartUUID)",
		     loader);
	gptauto_scan_init(&s, gptauto_native, loader);
	e = wait_choice(plan, &s, &d);
	if (e) {
		say_failed(plan, &s, d, e);
		return e == -EEXIST ? e : -ENOENT;
	}
	if (d->root_ro)
		p->read_only = true;
	/* The partition's own device, by its PARTUUID: the usual wait, node and checks. */
	memset(&part, 0, sizeof(part));
	part.kind = ROOT_PARTUUID;
	str_copy(part.value, d->root_uuid, sizeof(part.value));
	fmt_buf(value, sizeof(value), "PARTUUID=%s", d->root_uuid);
	device_req_root(&want, p, &part);
	want.value = value;
	e = wait_for_device(&want, &plan->events, &plan->found);
	if (e)
		return e;
	notice("root: GPT auto-discovery chose %s (partition %u of %s, type %s, PARTUUID=%s)%s",
	       plan->found.name, d->root, d->name, types[s.arch].root_name, d->root_uuid,
	       d->root_ro ? ", read-only: GPT attribute 60" : "");
	if (d->usr && !p->usr) {
		memset(&plan->usr, 0, sizeof(plan->usr));
		plan->usr.kind = ROOT_PARTUUID;
		str_copy(plan->usr.value, d->usr_uuid, sizeof(plan->usr.value));
		plan->want_usr = true;
		plan->usr_error = 0;
		plan->usr_read_only = d->usr_ro;
		notice("/usr: GPT auto-discovery chose partition %u of %s (type %s, PARTUUID=%s)%s",
		       d->usr, d->name, types[s.arch].usr_name, d->usr_uuid,
		       d->usr_ro ? ", read-only: GPT attribute 60" : "");
	}
	return 0;
}
