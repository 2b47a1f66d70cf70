/* NFS roots: the kernel's nfsroot= and DHCP root path, dracut's root=nfs:, and the mount(2). */
#include "check.h"
#include "net/nfsroot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/mount.h>

static struct boot_params p;
static struct root_spec r;
static struct nfs_spec s;
static struct nfs_mount m;
static const char *why;

static uint32_t ip(const char *a)
{
	return inet_addr(a);
}

/* root= and nfsroot= as written; the spec parsed. */
static int spec(const char *root, const char *nfsroot)
{
	memset(&p, 0, sizeof(p));
	p.read_only = true;
	if (rootspec_parse(root, &r, &why))
		return -100;
	p.root = root;
	p.nfsroot = nfsroot;
	why = NULL;
	return nfsroot_parse(&p, &r, &s, &why);
}

/* The mount with a DHCP lease (client 10.0.2.15, server 10.0.2.2) and its root path. */
static int mount_with(const char *rootpath, const char *host, const char *rootflags, bool ro)
{
	struct nfs_net n = { ip("10.0.2.15"), ip("10.0.2.2"), host ? host : "",
			     rootpath ? rootpath : "" };
	struct nfs_spec d;

	why = NULL;
	if (rootpath && nfsroot_parse_path(rootpath, s.dracut, &d, &why))
		return -100;
	return nfsroot_mount(&s, rootpath ? &d : NULL, &n, rootflags, ro, true, &m, &why);
}

static void test_kernel_form(void)
{
	TEST("nfsroot=SERVER:PATH,OPTIONS");
	CHECK_INT(spec("/dev/nfs", "10.0.2.100:/srv/root,vers=4,port=2049"), 0);
	CHECK_STR(s.param, "nfsroot");
	CHECK_INT(s.dracut, 0);
	CHECK_INT(s.server, ip("10.0.2.100"));
	CHECK_STR(s.path, "/srv/root");
	CHECK_STR(s.options, "vers=4,port=2049");
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.fstype, "nfs4");
	CHECK_STR(m.source, "10.0.2.100:/srv/root");
	CHECK_STR(m.path, "/srv/root");
	CHECK_INT(m.vers, 4);
	CHECK_INT(m.port, 2049);
	CHECK_INT(m.flags, MS_RDONLY);
	CHECK_STR(m.data, "proto=tcp,vers=4,port=2049,addr=10.0.2.100");

	TEST("nfsroot=PATH: the server from the network, NFSv3 with nolock");
	CHECK_INT(spec("/dev/nfs", "/srv/root"), 0);
	CHECK_INT(s.server, 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.2:/srv/root");
	CHECK_STR(m.fstype, "nfs");
	CHECK_INT(m.vers, 3);
	CHECK_STR(m.data, "vers=3,proto=tcp,nolock,addr=10.0.2.2");

	TEST("lock or nolock said: no nolock added; udp");
	CHECK_INT(spec("/dev/nfs", "/srv,lock,udp"), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.data, "vers=3,lock,udp,addr=10.0.2.2");
	CHECK_INT(m.udp, 1);

	TEST("%%s is the host name, else the address; default path");
	CHECK_INT(spec("/dev/nfs", "10.0.2.100:/exports/%s"), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.100:/exports/10.0.2.15");
	CHECK_INT(mount_with(NULL, "board7", NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.100:/exports/board7");
	CHECK_INT(spec("/dev/nfs", NULL), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.2:/tftpboot/10.0.2.15");
	CHECK_INT(spec("/dev/nfs", "10.0.2.9"), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.9:/tftpboot/10.0.2.15");
	CHECK_INT(spec("/dev/nfs", "10.0.2.9:default,vers=4"), 0);
	CHECK_STR(s.path, "");

	TEST("the kernel's name form: /tftpboot/NAME");
	CHECK_INT(spec("/dev/nfs", "board7,vers=3"), 0);
	CHECK_STR(s.path, "/tftpboot/board7");
	CHECK_STR(s.options, "vers=3");
	CHECK_INT(spec("/dev/nfs", ",vers=4"), 0);
	CHECK_STR(s.path, "");
	CHECK_STR(s.options, "vers=4");

	TEST("DHCP's root path (option 17): server, path and options, under nfsroot='s");
	CHECK_INT(spec("/dev/nfs", NULL), 0);
	CHECK_INT(mount_with("10.0.2.50:/srv/dhcp,vers=4", NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.50:/srv/dhcp");
	CHECK_STR(m.fstype, "nfs4");
	CHECK_INT(spec("/dev/nfs", "/srv/mine,vers=3"), 0);
	CHECK_INT(mount_with("10.0.2.50:/srv/dhcp,vers=4", NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.50:/srv/mine");
	CHECK_STR(m.fstype, "nfs");
	CHECK_STR(m.data, "proto=tcp,vers=4,vers=3,nolock,addr=10.0.2.50");
	CHECK_INT(mount_with("/srv/dhcp", NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.2:/srv/mine");

	TEST("rw, rootflags= and the VFS words");
	CHECK_INT(spec("/dev/nfs", "/srv,rw,nosuid,vers=4"), 0);
	CHECK_INT(mount_with(NULL, NULL, "noatime,timeo=50", true), 0);
	CHECK_INT(m.flags, MS_NOSUID | MS_NOATIME);
	CHECK_STR(m.data, "proto=tcp,vers=4,timeo=50,addr=10.0.2.2");
	CHECK_INT(mount_with(NULL, NULL, NULL, false), 0);
	CHECK_INT(m.flags, MS_NOSUID);
	CHECK_INT(spec("/dev/nfs", "/srv"), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, false), 0);
	CHECK_INT(m.flags, 0);
	TEST("a layer's lower stays read-only");
	CHECK_INT(spec("/dev/nfs", "/srv,rw"), 0);
	CHECK_INT(nfsroot_mount(&s, NULL, &(struct nfs_net){ 0, ip("10.0.2.2"), "", "" }, NULL,
				true, false, &m, &why), 0);
	CHECK_INT(m.flags, MS_RDONLY);

	TEST("ports rpcbind gave are added once, not over the user's");
	CHECK_INT(spec("/dev/nfs", "/srv,port=2049"), 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_INT(nfsroot_add_ports(&m, 3000, 20048), 0);
	CHECK_STR(m.data, "vers=3,proto=tcp,port=2049,nolock,addr=10.0.2.2,mountport=20048");
	CHECK_INT(m.port, 2049);
	CHECK_INT(m.mountport, 20048);
}

static void test_dracut_form(void)
{
	TEST("root=nfs:SERVER:PATH:OPTIONS");
	CHECK_INT(spec("nfs:10.0.2.100:/srv/root:port=2049,mountport=20048", "/ignored"), 0);
	CHECK_STR(s.param, "root");
	CHECK_INT(s.dracut, 1);
	CHECK_INT(s.server, ip("10.0.2.100"));
	CHECK_STR(s.path, "/srv/root");
	CHECK_STR(s.options, "port=2049,mountport=20048");
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.fstype, "nfs");
	CHECK_INT(m.mountport, 20048);

	TEST("root=nfs4:SERVER:PATH, and the kernel's comma in the path");
	CHECK_INT(spec("nfs4:10.0.2.100:/srv/root", NULL), 0);
	CHECK_INT(s.vers, 4);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.fstype, "nfs4");
	CHECK_STR(m.data, "vers=4,proto=tcp,addr=10.0.2.100");
	CHECK_INT(spec("nfs:10.0.2.100:/srv/root,vers=4:", NULL), 0);
	CHECK_STR(s.path, "/srv/root");
	CHECK_STR(s.options, "vers=4");

	TEST("root=nfs:PATH and root=nfs: take the rest from DHCP");
	CHECK_INT(spec("nfs:/srv/root", NULL), 0);
	CHECK_INT(s.server, 0);
	CHECK_INT(mount_with(NULL, NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.2:/srv/root");
	CHECK_INT(spec("nfs:", NULL), 0);
	CHECK_INT(mount_with("10.0.2.60:/srv/d:vers=4", NULL, NULL, true), 0);
	CHECK_STR(m.source, "10.0.2.60:/srv/d");
	CHECK_STR(m.fstype, "nfs4");
	CHECK_INT(mount_with(NULL, NULL, NULL, true), -EINVAL);
	CHECK(strstr(why, "option 17"));
}

static void test_refusals(void)
{
	TEST("names are refused: no lookups before the root");
	CHECK_INT(spec("/dev/nfs", "server.lan:/srv"), -EINVAL);
	CHECK(strstr(why, "IPv4"));
	CHECK_INT(spec("nfs:server:/srv", NULL), -EINVAL);
	CHECK_INT(spec("nfs:10.0.2.300:/srv", NULL), -EINVAL);
	CHECK_INT(spec("/dev/nfs", "1.2.3:/srv"), -EINVAL);
	CHECK_INT(spec("/dev/nfs", "0.0.0.0:/srv"), -EINVAL);

	TEST("paths start with /");
	CHECK_INT(spec("/dev/nfs", "10.0.2.1:srv"), -EINVAL);
	CHECK(strstr(why, "/"));
	CHECK_INT(spec("nfs:srv", NULL), -EINVAL);

	TEST("the plan-time check: options");
	CHECK_INT(spec("/dev/nfs", "/srv,vers=5"), 0);
	CHECK_INT(nfsroot_check(&p, &r, &why), -EINVAL);
	CHECK(strstr(why, "vers="));
	CHECK_INT(spec("/dev/nfs", "/srv,port=x"), 0);
	CHECK_INT(nfsroot_check(&p, &r, &why), -EINVAL);
	CHECK_INT(spec("nfs4:10.0.2.1:/srv:vers=3", NULL), 0);
	CHECK_INT(nfsroot_check(&p, &r, &why), -EINVAL);
	CHECK(strstr(why, "nfs4"));
	CHECK_INT(spec("nfs:10.0.2.1:/srv:vers=4.1,mountport=20048", NULL), 0);
	CHECK_INT(nfsroot_check(&p, &r, &why), 0);

	TEST("no server anywhere, no address for %%s");
	CHECK_INT(spec("/dev/nfs", "/srv/%s"), 0);
	CHECK_INT(nfsroot_mount(&s, NULL, &(struct nfs_net){ 0, 0, "", "" }, NULL, true, true, &m,
				&why), -EINVAL);
	CHECK(strstr(why, "no NFS server"));
	CHECK_INT(nfsroot_mount(&s, NULL, &(struct nfs_net){ 0, ip("10.0.2.2"), "", "" }, NULL,
				true, true, &m, &why), -EINVAL);
	CHECK(strstr(why, "%s"));

	TEST("too long is refused, never cut");
	{
		static char big[700];

		memset(big, 'a', sizeof(big) - 1);
		big[0] = '/';
		CHECK_INT(spec("/dev/nfs", big), -EINVAL);
		big[100] = ',';
		CHECK_INT(spec("/dev/nfs", big), -EINVAL);
		CHECK(strstr(why, "options"));
	}
}

int main(void)
{
	test_kernel_form();
	test_dracut_form();
	test_refusals();
	return check_failed;
}
