/*
 * The LUKS stage: wait for the container, get its key (a key file in the
 * image or on a device, else a passphrase typed on any console), unlock a
 * keyslot (luks/) and map the data through dm-crypt (dm/). The container
 * is only read; the key and the passphrase are wiped once the table is in.
 */
#include "storage/storage.h"
#include "base/ask.h"
#include "base/log.h"
#include "base/util.h"
#include "crypto/kdf.h"
#include "dm/dm.h"
#include "find/devices.h"
#include "luks/luks.h"
#include "mount/mount.h"
#include "plan/plan.h"
#include "shutdown/shutdown.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_MAX 8192	/* cryptsetup's key files are a few KiB; more is refused */
#define KEY_DIR RUN_DIR "/keydev"
#define HDR_DIR RUN_DIR "/hdrdev"
#define PASS_TRIES 3

/* One container being unlocked: what the messages name, and the secrets to wipe. */
struct unlock {
	const struct assembly *a;
	struct root_dev dev;
	int hdr;		/* where the header and keyslots are read: dev.fd, or hdrfd */
	int hdrfd;		/* a detached header (header=), file or device; -1: none */
	struct luks_volume v;
	char what[320];		/* "UUID=... (LABEL=x, /dev/vda, header /etc/x.hdr)" */
	uint8_t key[LUKS_KEY_MAX];
	size_t keylen;
	char secret[KEY_FILE_MAX];
	size_t secretlen;
};

/* An option of the comma-separated list: its value after '=' ("" for a flag), or NULL. */
static const char *option(const char *opts, const char *name)
{
	size_t n = strlen(name);
	const char *o = opts;

	while (o && *o) {
		if (!strncmp(o, name, n) && (o[n] == ',' || o[n] == '\0' || o[n] == '='))
			return o[n] == '=' ? o + n + 1 : o + n;
		o = strchr(o, ',');
		if (o)
			o++;
	}
	return NULL;
}

static long option_num(const char *opts, const char *name, long deflt)
{
	const char *v = option(opts, name);
	char num[16];
	long n;
	size_t i;

	if (!v)
		return deflt;
	for (i = 0; i + 1 < sizeof(num) && v[i] && v[i] != ','; i++)
		num[i] = v[i];
	num[i] = '\0';
	return parse_long(num, 0, 1000000, &n) ? deflt : n;
}

/* Tries the secret on every keyslot; says how long the one that opened took. */
static int try_secret(struct unlock *u, const char *how)
{
	struct luks_unlocked got;
	long t0 = log_ms();	/* the logger's clock: libc's clock_gettime() costs a KiB */
	int e;

	u->keylen = sizeof(u->key);
	e = luks_unlock(u->hdr, &u->v, u->secret, u->secretlen, u->key, &u->keylen, &got);
	secret_wipe(u->secret, sizeof(u->secret));
	u->secretlen = 0;
	if (!e)
		info("%s: unlocked with %s (keyslot %d, %s) in %ld ms", u->what, how, got.slot,
		     luks_kdf_name(u->v.slot[got.slot].kdf), log_ms() - t0);
	else if (e != -EPERM)
		err("%s: cannot unlock: %s", u->what, u->v.why[0] ? u->v.why : errtext(e));
	return e;
}

/* Reads the key file fd (or -errno: it did not open) into u->secret. */
static int read_key(struct unlock *u, int fd, const char *path, const char *where)
{
	long off, want;
	ssize_t n;
	struct stat st;

	if (fd < 0 || fstat(fd, &st)) {
		n = fd < 0 ? fd : -errno;
		err("%s: cannot open the key file %s%s (rd.luks.key=): %s", u->what, path, where,
		    errtext((int)n));
		if (fd >= 0)
			close(fd);
		return (int)n;
	}
	/* crypttab's keyfile-offset= and keyfile-size=: a key inside a larger file. */
	off = option_num(u->a->options, "keyfile-offset", 0);
	want = option_num(u->a->options, "keyfile-size", 0);
	if (!want && st.st_size - off > KEY_FILE_MAX)
		n = -EFBIG;
	else if (lseek(fd, off, SEEK_SET) < 0)
		n = -errno;
	else
		n = read_some(fd, u->secret, want && want < KEY_FILE_MAX ? (size_t)want : sizeof(u->secret));
	close(fd);
	if (n < 0) {
		err("%s: cannot read the key file %s%s: %s%s", u->what, path, where, errtext((int)n),
		    n == -EFBIG ? " (key files of up to 8 KiB are read)" : "");
		return (int)n;
	}
	u->secretlen = (size_t)n;
	return 0;
}

/*
 * A device the unlock reads from: a key file's or a header's (any root=
 * form), waited for like the container (timeout_s: keyfile-timeout=, or
 * -1 for rootwait's rule); into dev, held open.
 */
static int wait_aside(struct boot_plan *plan, const char *purpose, const char *param,
		      const char *value, long timeout_s, struct root_dev *dev)
{
	const struct boot_params *p = &plan->params;
	struct root_spec spec;
	struct device_req r = { purpose, param, value, &spec, p->wait, p->wait_s, false };
	const char *why = NULL;

	if (rootspec_parse(value, &spec, &why)) {
		err("%s: the %s %s %s", param, purpose, value, why);
		return -EINVAL;
	}
	if (timeout_s >= 0) {
		r.wait = WAIT_BOUNDED;
		r.wait_s = timeout_s;
	}
	return wait_for_device(&r, &plan->events, dev);
}

/*
 * PATH:DEVICE, a key file or a header on another device: the device
 * mounted read-only on dir, PATH opened, and the mount detached at once
 * (the open file keeps that filesystem until it is closed). The fd, or
 * -errno, every failure named.
 */
static int open_aside(struct boot_plan *plan, const char *purpose, const char *param,
		      const char *value, long timeout_s, const char *dir, const char *path)
{
	struct mount_req m = { purpose, param, value, NULL, dir, NULL, NULL, true };
	struct root_dev dev = { .fd = -1 };
	char mounted[16], file[sizeof(RUN_DIR) + 8 + 128];
	int e, fd;

	e = wait_aside(plan, purpose, param, value, timeout_s, &dev);
	if (e)
		return e;
	m.dev = &dev;
	mkdir(RUN_DIR, 0755);
	mkdir(dir, 0700);
	e = mount_device(&m, mounted, sizeof(mounted));
	device_release(&dev);
	if (e)
		return e;
	fmt_buf(file, sizeof(file), "%s/%s", dir, path);
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fd = -errno;
		err("cannot open %s on the %s %s (%s=): %s", path, purpose, value, param, errtext(fd));
	}
	if (umount2(dir, MNT_DETACH))
		warn("cannot unmount the %s %s from %s: %s", purpose, value, dir, errtext(-errno));
	return fd;
}

/* The key file the plan names; 0 when it opened a keyslot. */
static int unlock_with_key(struct boot_plan *plan, struct unlock *u)
{
	const struct assembly *a = u->a;
	char how[200];
	int e, fd;

	/* rd.luks.key=PATH:DEVICE: on a device mounted read-only just for the read. */
	if (a->keydev[0]) {
		fd = open_aside(plan, "key device", "rd.luks.key", a->keydev,
				option_num(a->options, "keyfile-timeout", -1), KEY_DIR, a->key);
		if (fd < 0)
			return fd;
	} else if ((fd = open(a->key, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		fd = -errno;
	}
	e = read_key(u, fd, a->key, a->keydev[0] ? " on the key device" : " in the image");
	if (e)
		return e;
	fmt_buf(how, sizeof(how), "the key file %s%s%s", a->key, a->keydev[0] ? " on " : "",
		a->keydev);
	e = try_secret(u, how);
	if (e == -EPERM)
		err("%s: no keyslot opens with the key file %s", u->what, a->key);
	return e;
}

static void serve_events(void *events)
{
	uevents_drain(events);
}

/*
 * A passphrase typed on any console; a wrong one is said and asked again.
 * The uevents are served meanwhile: a USB keyboard is announced by its hub
 * after coldplug's last look, and without its driver (usbhid) nobody could
 * type the answer.
 */
static int unlock_with_passphrase(struct boot_plan *plan, struct unlock *u)
{
	const struct ask_side side = { plan->events.fd, serve_events, &plan->events };
	char prompt[260];
	long tries = option_num(u->a->options, "tries", PASS_TRIES);
	long i;
	ssize_t n;
	int e = -EPERM;

	/* tries=0: ask until it is right, as systemd-cryptsetup does. */
	if (tries < 0)
		tries = PASS_TRIES;
	fmt_buf(prompt, sizeof(prompt), "Passphrase for %s: ", u->what);
	for (i = 1; (!tries || i <= tries) && e == -EPERM; i++) {
		n = ask_secret(prompt, u->secret, sizeof(u->secret), &side);
		if (n < 0) {
			err("%s: cannot ask for its passphrase: %s%s", u->what, errtext((int)n),
			    n == -ECANCELED ? " (the input ended)" :
			    " (no console to type on: give a key file with rd.luks.key=)");
			return (int)n;
		}
		u->secretlen = (size_t)n;
		e = try_secret(u, "a passphrase");
		if (e == -EPERM && tries)
			warn("%s: wrong passphrase (%ld of %ld tries)", u->what, i, tries);
		else if (e == -EPERM)
			warn("%s: wrong passphrase", u->what);
	}
	if (e == -EPERM)
		err("%s: no keyslot opened after %ld tries", u->what, tries);
	return e;
}

/* The crypt table, loaded; the key is gone from memory once it is in. */
static int map_container(struct unlock *u)
{
	const struct assembly *a = u->a;
	char table[DM_PARAMS_MAX], uuid[DM_NAME_MAX];
	struct dm_target t = { 0, 0, "crypt", table };
	struct dm_device out;
	bool ro = option(a->options, "readonly") || option(a->options, "read-only");
	uint64_t bytes = 0;
	size_t i, n;
	int e;

	if (ioctl(u->dev.fd, BLKGETSIZE64, &bytes))
		bytes = 0;
	e = luks_table(&u->v, u->key, u->keylen, u->dev.node, bytes, a->options, table,
		       sizeof(table), &t.length);
	secret_wipe(u->key, sizeof(u->key));
	if (e) {
		secret_wipe(table, sizeof(table));
		err("%s: %s", u->what, u->v.why[0] ? u->v.why : errtext(e));
		return e;
	}
	/* What cryptsetup names it (its UUID without dashes), so its tools see their own device. */
	fmt_buf(uuid, sizeof(uuid), "CRYPT-LUKS%d-", u->v.version);
	for (i = 0, n = strlen(uuid); u->v.uuid[i] && n + 1 < sizeof(uuid); i++)
		if (u->v.uuid[i] != '-')
			uuid[n++] = u->v.uuid[i];
	uuid[n] = '\0';
	str_append(uuid, "-", sizeof(uuid));
	str_append(uuid, a->name, sizeof(uuid));
	e = dm_create(a->name, uuid, &t, 1, ro, &out);
	secret_wipe(table, sizeof(table));
	if (e) {
		/* dm-crypt's table load fails with ENOENT too when the kernel lacks the cipher. */
		err("%s: cannot create /dev/mapper/%s (%s): %s%s", u->what, a->name, u->v.cipher,
		    errtext(e), e == -ENOENT || e == -ENODEV ?
		    " (the kernel lacks dm-crypt or that cipher: build them in, or add the modules: make initramfs KVER=... MODULES=host)" :
		    e == -EBUSY || e == -EEXIST ? " (a mapping of that name exists: name another with rd.luks.name=)" : "");
		return e;
	}
	wayback_remember("dm", a->name);
	notice("%s is open as %s (%s)", u->what, out.node, u->v.cipher);
	return 0;
}

/*
 * header=: the header is detached (cryptsetup luksFormat --header): a file
 * in the image, a block device (/dev/...), or PATH:DEVICE, a file on a
 * device mounted read-only just to open it and then detached at once: the
 * open file keeps that filesystem until the unlock is done.
 */
static int open_header(struct boot_plan *plan, struct unlock *u, char *path, size_t size)
{
	const char *v = option(u->a->options, "header");
	size_t n = v ? strcspn(v, ",") : 0;
	struct root_dev hdev = { .fd = -1 };
	char *dev;
	int e = 0;

	u->hdr = u->dev.fd;
	if (!v)
		return 0;
	/* crypttab_options_check() bounds it; a longer one is cut. */
	if (n >= size)
		n = size - 1;
	memcpy(path, v, n);
	path[n] = '\0';
	dev = strchr(path, ':');
	if (str_starts(path, "/dev/")) {
		e = wait_aside(plan, "LUKS header", "header", path, -1, &hdev);
		u->hdrfd = hdev.fd;	/* held open by the wait, -1 when it failed */
	} else if (dev) {
		*dev = '\0';
		e = open_aside(plan, "header device", "header", dev + 1, -1, HDR_DIR, path);
		*dev = ':';
		u->hdrfd = e < 0 ? -1 : e;
	} else if ((u->hdrfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		e = -errno;
		err("%s: cannot open its detached header %s (header=): %s (put it into the image: make initramfs LUKS_KEYS=FILE:/PATH)",
		    u->what, path, errtext(e));
	}
	u->hdr = u->hdrfd;
	return u->hdrfd < 0 ? e : 0;
}

/* Waits for the container and reads its header; names it for every later message. */
static int find_container(struct boot_plan *plan, struct unlock *u)
{
	const struct boot_params *p = &plan->params;
	const struct assembly *a = u->a;
	struct root_spec spec;
	struct device_req r = { "LUKS container", a->param, a->source, &spec, p->wait, p->wait_s, false };
	const char *why = NULL;
	char label[4 * sizeof(u->v.label)], hdr[128] = "", also[sizeof(label) + 16] = "";
	int e;

	if (rootspec_parse(a->source, &spec, &why)) {
		err("%s=%s: %s", a->param, a->source, why);
		return -EINVAL;
	}
	e = wait_for_device(&r, &plan->events, &u->dev);
	if (e)
		return e;
	fmt_buf(u->what, sizeof(u->what), "LUKS container %s (%s)", a->source, u->dev.node);
	e = open_header(plan, u, hdr, sizeof(hdr));
	if (e)
		return e;
	e = luks_read(u->hdr, hdr[0] != '\0', &u->v);
	/* The label is the disk's: its control characters must not reach a terminal. */
	fmt_printable(label, sizeof(label), u->v.label);
	if (label[0])
		fmt_buf(also, sizeof(also), "LABEL=%s, ", label);
	fmt_buf(u->what, sizeof(u->what), "LUKS container %s (%s%s%s%s)", a->source, also,
		u->dev.node, hdr[0] ? ", header " : "", hdr);
	if (e) {
		err("%s (%s=): %s", u->what, a->param, u->v.why[0] ? u->v.why : errtext(e));
		if (e == -ENOENT)
			err("hint: check %s= against blkid's TYPE=\"crypto_LUKS\" devices (the rescue shell has blkid)%s",
			    a->param, hdr[0] ? "" : "; a detached header is named by the option header=");
		return e;
	}
	if (u->v.secondary)
		warn("%s: the primary LUKS2 header is damaged (%s); using the secondary copy. Nothing was written: repair it with cryptsetup repair from the real system",
		     u->what, u->v.primary_why);
	return 0;
}

int unlock_luks(struct boot_plan *plan, const struct assembly *a)
{
	static struct unlock u;	/* secrets kept off the stack, wiped below */
	int e;

	memset(&u, 0, sizeof(u));
	u.a = a;
	u.dev.fd = u.hdrfd = -1;
	e = find_container(plan, &u);
	if (!e && a->key[0]) {
		e = unlock_with_key(plan, &u);
		/* As systemd does: a key that is missing or wrong falls back to asking. */
		if (e && e != -ENOMEM)
			notice("%s: asking for its passphrase instead of the key file", u.what);
		if (e && e != -ENOMEM)
			e = unlock_with_passphrase(plan, &u);
	} else if (!e) {
		e = unlock_with_passphrase(plan, &u);
	}
	if (!e)
		e = map_container(&u);
	device_release(&u.dev);
	if (u.hdrfd >= 0)
		close(u.hdrfd);
	secret_wipe(&u, sizeof(u));
	return e;
}
