/* rootflags=: VFS flags become mount flags, the rest stays data. */
#include "check.h"
#include "mount/mount.h"
#include "plan/mountopts.h"

#include <errno.h>
#include <sys/mount.h>

static struct mount_opts o;

static int parse(unsigned long start, const char *s)
{
	o.flags = start;
	return mountopts_parse(s, &o);
}

/* rootflags= s as a host directory's mount takes them; "" when refused. */
static const char *host(bool p9, const char *s)
{
	if (parse(0, s) || hostdir_options(p9, o.data, sizeof(o.data)))
		return "";
	return o.data;
}

int main(void)
{
	char big[2000];

	TEST("empty and NULL");
	CHECK_INT(parse(MS_RDONLY, NULL), 0);
	CHECK_INT(o.flags, MS_RDONLY);
	CHECK_STR(o.data, "");
	CHECK_INT(parse(0, ""), 0);
	CHECK_STR(o.data, "");

	TEST("flags and data separated");
	CHECK_INT(parse(MS_RDONLY, "noatime,commit=7,nosuid,data=journal,nodev"), 0);
	CHECK_INT(o.flags, MS_RDONLY | MS_NOATIME | MS_NOSUID | MS_NODEV);
	CHECK_STR(o.data, "commit=7,data=journal");

	TEST("rw in rootflags clears read-only; ro sets it");
	CHECK_INT(parse(MS_RDONLY, "rw"), 0);
	CHECK_INT(o.flags, 0);
	CHECK_INT(parse(0, "ro"), 0);
	CHECK_INT(o.flags, MS_RDONLY);

	TEST("opposites: the later wins");
	CHECK_INT(parse(0, "noexec,exec,nodev,dev,sync,async"), 0);
	CHECK_INT(o.flags, 0);
	CHECK_INT(parse(0, "noatime,relatime"), 0);
	CHECK_INT(o.flags, MS_RELATIME);
	CHECK_INT(parse(0, "relatime,strictatime"), 0);
	CHECK_INT(o.flags, MS_STRICTATIME);
	CHECK_INT(parse(0, "lazytime,dirsync,nodiratime"), 0);
	CHECK_INT(o.flags, MS_LAZYTIME | MS_DIRSYNC | MS_NODIRATIME);

	TEST("empty items and defaults are skipped");
	CHECK_INT(parse(0, ",,defaults,,errors=remount-ro,"), 0);
	CHECK_INT(o.flags, 0);
	CHECK_STR(o.data, "errors=remount-ro");

	TEST("a prefix of a flag is data, not the flag");
	CHECK_INT(parse(0, "noatim,rox,r"), 0);
	CHECK_INT(o.flags, 0);
	CHECK_STR(o.data, "noatim,rox,r");

	TEST("too much data is refused, not cut");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(parse(0, big), -E2BIG);
	memset(big, 'x', MOUNTOPTS_DATA_MAX - 1);
	big[MOUNTOPTS_DATA_MAX - 1] = '\0';
	CHECK_INT(parse(0, big), 0);
	CHECK_INT(strlen(o.data), MOUNTOPTS_DATA_MAX - 1);

	TEST("9p roots get trans=virtio and version=9p2000.L unless rootflags= names them");
	CHECK_STR(host(true, ""), "trans=virtio,version=9p2000.L");
	CHECK_STR(host(true, "msize=262144,cache=loose"),
		  "msize=262144,cache=loose,trans=virtio,version=9p2000.L");
	CHECK_STR(host(true, "version=9p2000.u,trans=fd"), "version=9p2000.u,trans=fd");
	CHECK_STR(host(true, "cache=loose,trans=virtio"), "cache=loose,trans=virtio,version=9p2000.L");
	CHECK_STR(host(true, "trans=xen,noextend"), "trans=xen,noextend");
	TEST("an option that only ends like one is not it");
	CHECK_STR(host(true, "xtrans=1,aversion=2"), "xtrans=1,aversion=2,trans=virtio,version=9p2000.L");
	TEST("virtiofs takes rootflags= as they are");
	CHECK_STR(host(false, "dax"), "dax");
	TEST("9p defaults that do not fit are refused, not cut");
	memset(big, 'x', MOUNTOPTS_DATA_MAX - 10);
	big[MOUNTOPTS_DATA_MAX - 10] = '\0';
	CHECK_INT(parse(0, big), 0);
	CHECK_INT(hostdir_options(true, o.data, sizeof(o.data)), -E2BIG);
	return check_failed;
}
