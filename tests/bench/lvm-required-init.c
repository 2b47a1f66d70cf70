/*
 * The "required" baseline of tests/bench/storage-boot lvm: required-init.c's
 * steps (required-switch.h) with a root on the LV vg0/root of the bench's
 * one-PV disk, on Debian's cloud kernel. It loads the image's modules in
 * order (/m/NN.ko: dm_mod first, then the disk's drivers), listening for
 * uevents from the start, and makes the root's mapping ahead (created, an
 * error table loaded), as handoff does. When the disk's uevent is read, the
 * activation: the disk opened, its first and last 128 KiB asked for, the
 * LVM label, PV header, metadata area header and text read, the md magic
 * at the end looked for, the text searched (strstr, no validation) for
 * the extent size, the PV's data start, the VG's and the LV's ids and its
 * one segment, then the uuid given, the linear table loaded and resumed.
 * It says "active N ms after its last physical volume appeared", from the
 * event's reading to the resume's return, as handoff's rd.debug does, and
 * mounts /dev/dm-0. No checks, no messages but that line: what any init
 * activating that LV in this way pays. Not for real use.
 */
#include "required-switch.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "dm/dm.h"

#define DM_DEV_CREATE _IOWR(0xfd, 3, struct dm_ioctl_hdr)
#define DM_DEV_RENAME _IOWR(0xfd, 5, struct dm_ioctl_hdr)
#define DM_DEV_SUSPEND _IOWR(0xfd, 6, struct dm_ioctl_hdr)
#define DM_TABLE_LOAD _IOWR(0xfd, 9, struct dm_ioctl_hdr)
#define DM_UUID_FLAG (1u << 14)
#define NAME "vg0-root"

struct nl {
	unsigned short family, pad;
	unsigned int pid, groups;
};

static union {
	struct dm_ioctl_hdr h;
	char b[4096];
} io;
static unsigned char label[2048], mda[512], tail[4096];
static char text[65536];
static int ev = -1, done;

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void hdr(const char *name, size_t size)
{
	memset(&io, 0, sizeof(io.h));
	io.h.version[0] = 4;
	io.h.data_size = (uint32_t)size;
	io.h.data_start = sizeof(io.h);
	strcpy(io.h.name, name);
}

/* Loads a table of one target into NAME (inactive until a resume). */
static void table(int ctl, const char *type, uint64_t len, const char *params)
{
	struct dm_target_spec *s = (struct dm_target_spec *)(io.b + sizeof(io.h));
	size_t plen = strlen(params), next = (sizeof(*s) + plen + 1 + 7) & ~(size_t)7;

	hdr(NAME, sizeof(io.h) + next);
	io.h.target_count = 1;
	memset(s, 0, next);
	s->length = len;
	s->next = (uint32_t)next;
	strcpy(s->target_type, type);
	memcpy(s + 1, params, plen);
	ioctl(ctl, DM_TABLE_LOAD, &io);
}

/* The number after key in t. */
static unsigned long long num(const char *t, const char *key)
{
	const char *p = strstr(t, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* The id in quotes after "id = " from t on, its dashes dropped, appended to out. */
static void id(const char *t, char *out)
{
	const char *p = strstr(t, "id = \"") + 6;
	size_t n = strlen(out);

	for (; *p != '"'; p++)
		if (*p != '-')
			out[n++] = *p;
	out[n] = '\0';
}

static void activate(long arrived)
{
	char params[64], uuid[80] = "LVM-";
	const char *lv;
	unsigned long long es, pe, count, start, mstart, off, size;
	struct stat st;
	uint32_t pvh;
	int fd = open("/dev/vda", O_RDONLY | O_CLOEXEC), ctl, i;
	off_t end = lseek(fd, 0, SEEK_END);

	posix_fadvise(fd, 0, 128 << 10, POSIX_FADV_WILLNEED);
	posix_fadvise(fd, end - (128 << 10), 128 << 10, POSIX_FADV_WILLNEED);
	pread(fd, label, sizeof(label), 0);
	for (i = 0; i < 4 && memcmp(label + 512 * i, "LABELONE", 8); i++)
		;
	pvh = (uint32_t)label[512 * i + 20] | (uint32_t)label[512 * i + 21] << 8;
	/* The data areas' list, then the metadata areas': the first one's offset. */
	for (off = 512 * i + pvh + 40; le64(label + off); off += 16)
		;
	mstart = le64(label + off + 16);
	/* md 0.90's and 1.0's places: an md member's LVM label is its array's. */
	pread(fd, tail, 4096, ((end >> 9) / 128 * 128 - 128) * 512);
	pread(fd, tail, 4096, ((end >> 9) - 16) / 8 * 8 * 512);
	pread(fd, mda, sizeof(mda), (off_t)mstart);
	off = le64(mda + 40);
	size = le64(mda + 48);
	pread(fd, text, size < sizeof(text) ? size : sizeof(text) - 1, (off_t)(mstart + off));
	es = num(text, "extent_size = ");
	pe = num(text, "pe_start = ");
	id(text, uuid);
	lv = strstr(text, "\nroot {");
	id(lv, uuid);
	count = num(lv, "extent_count = ");
	start = num(strstr(lv, "stripes = ["), "\"pv0\", ");
	fstat(fd, &st);	/* the disk's major: dm_mod, loaded first, took 254 */
	snprintf(params, sizeof(params), "%u:%u %llu", major(st.st_rdev), minor(st.st_rdev),
		 pe + start * es);
	ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	hdr(NAME, sizeof(io.h) + strlen(uuid) + 1);
	io.h.flags = DM_UUID_FLAG;
	strcpy(io.b + sizeof(io.h), uuid);
	ioctl(ctl, DM_DEV_RENAME, &io);
	table(ctl, "linear", count * es, params);
	hdr(NAME, sizeof(io.h));
	ioctl(ctl, DM_DEV_SUSPEND, &io);
	snprintf(params, sizeof(params), "active %ld ms after its last physical volume appeared\n",
		 now_ms() - arrived);
	(void)!write(2, params, strlen(params));
	close(ctl);
	close(fd);
	done = 1;
}

/* The uevents waiting: the disk's add activates. */
static void drain(void)
{
	static char msg[4096];
	long n;

	while (!done && (n = recv(ev, msg, sizeof(msg) - 1, MSG_DONTWAIT)) > 0) {
		long at = now_ms();

		msg[n] = '\0';
		if (!strncmp(msg, "add@", 4) && strstr(msg, "/block/vda") && !strstr(msg, "/vda/"))
			activate(at);
	}
}

int main(int argc, char **argv, char **envp)
{
	struct nl a = { AF_NETLINK, 0, 0, 1 };
	struct pollfd p;
	int i, ctl;

	(void)argc;
	required_start();
	ev = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, 15);
	bind(ev, (struct sockaddr *)&a, sizeof(a));
	for (i = 0; !required_module(i); i++) {
		if (i == 0) {
			/* dm_mod: the root's mapping made ahead, as handoff does. */
			ctl = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
			hdr(NAME, sizeof(io.h));
			ioctl(ctl, DM_DEV_CREATE, &io);
			table(ctl, "error", 1, "");
			close(ctl);
		}
		drain();
	}
	p.fd = ev;
	p.events = POLLIN;
	while (!done && poll(&p, 1, 10000) > 0)
		drain();
	mount("/dev/dm-0", "/sysroot", "ext4", MS_RDONLY, NULL);
	required_switch(argv, envp);
}
