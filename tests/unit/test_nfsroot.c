/* NFS roots: the kernel's nfsroot= and DHCP root path, dracut's root=nfs:, and the mount(2). */
#include "check.h"
#include "net/nfsroot.h"
#include "net/rpc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct boot_params p;
static struct root_spec r;
static struct nfs_spec s;
static struct nfs_mount m;
static const char *why;
static char reason[160];

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
	CHECK_INT(nfsroot_check(&p, &r, reason, sizeof(reason)), -EINVAL);
	CHECK_STR(reason, "nfsroot=/srv,vers=5: vers= takes 2, 3, 4, 4.0, 4.1 or 4.2");
	CHECK_INT(spec("/dev/nfs", "/srv,port=x"), 0);
	CHECK_INT(nfsroot_check(&p, &r, reason, sizeof(reason)), -EINVAL);
	CHECK_INT(spec("nfs4:10.0.2.1:/srv:vers=3", NULL), 0);
	CHECK_INT(nfsroot_check(&p, &r, reason, sizeof(reason)), -EINVAL);
	CHECK(strstr(reason, "root=nfs4:") == reason);
	CHECK_INT(spec("nfs:10.0.2.1:/srv:vers=4.1,mountport=20048", NULL), 0);
	CHECK_INT(nfsroot_check(&p, &r, reason, sizeof(reason)), 0);

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

static void put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A reply with xid; words after the verifier (accept_stat and results). */
static size_t reply(uint8_t *b, uint32_t xid, uint32_t stat, const uint32_t *w, int n)
{
	uint32_t head[] = { xid, 1, 0, 0, 0, stat };
	int i;

	for (i = 0; i < 6; i++)
		put(b + 4 * i, head[i]);
	for (i = 0; i < n; i++)
		put(b + 24 + 4 * i, w[i]);
	return 24 + 4 * (size_t)n;
}

static void test_rpc_codec(void)
{
	uint8_t b[RPC_CALL_MAX];
	const uint32_t args[4] = { RPC_PROG_MOUNT, 3, RPC_IPPROTO_TCP, 0 };
	const uint32_t port[1] = { 20048 }, vers[2] = { 2, 3 };
	struct rpc_result res;
	size_t n;

	TEST("an RPC call: record mark, header, AUTH_NONE, arguments");
	n = rpc_call_encode(b, 0x11223344, RPC_PROG_PORTMAP, 2, RPC_PMAP_GETPORT, args, 4);
	CHECK_INT(n, 4 + 40 + 16);
	CHECK_INT(b[0], 0x80);
	CHECK_INT(b[3], 56);
	CHECK_INT(b[4], 0x11);
	CHECK_INT(b[7], 0x44);
	CHECK_INT(b[4 + 12 + 2] << 8 | b[4 + 12 + 3], RPC_PROG_PORTMAP & 0xffff);
	CHECK_INT(b[4 + 20 + 3], RPC_PMAP_GETPORT);
	CHECK_INT(b[4 + 40 + 2] << 8 | b[4 + 40 + 3], RPC_PROG_MOUNT & 0xffff);

	TEST("replies: success, mismatch, unavailable, denied, another call's");
	n = reply(b, 7, 0, port, 1);
	CHECK_INT(rpc_reply_decode(b, n, 7, &res), 0);
	CHECK_INT(res.value, 20048);
	CHECK_INT(rpc_reply_decode(b, n, 8, &res), -EBADMSG);
	n = reply(b, 7, 2, vers, 2);
	CHECK_INT(rpc_reply_decode(b, n, 7, &res), -EPROTONOSUPPORT);
	CHECK_INT(res.low, 2);
	CHECK_INT(res.high, 3);
	n = reply(b, 7, 1, NULL, 0);
	CHECK_INT(rpc_reply_decode(b, n, 7, &res), -EOPNOTSUPP);
	put(b + 8, 1);
	CHECK_INT(rpc_reply_decode(b, n, 7, &res), -EACCES);
	CHECK_INT(rpc_reply_decode(b, 10, 7, &res), -EBADMSG);
	n = reply(b, 7, 0, NULL, 0);
	put(b + 16, 0xffffff00);	/* a verifier longer than the reply */
	CHECK_INT(rpc_reply_decode(b, n, 7, &res), -EBADMSG);
}

/* A server on 127.0.0.1 that answers one call as how says: 0 GETPORT 20048, 1 closes, 2 is silent. */
static pid_t serve(int how, unsigned int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), c;
	uint8_t in[128], out[64];
	const uint32_t p[1] = { 20048 };
	pid_t pid;
	size_t n;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(l, (struct sockaddr *)&sa, sizeof(sa));
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	pid = fork();
	if (pid) {
		close(l);
		return pid;
	}
	c = accept(l, NULL, NULL);
	if (how == 1)
		_exit(0);
	if (read(c, in, sizeof(in)) < 8)
		_exit(1);
	if (how == 2) {
		pause();
		_exit(0);
	}
	n = reply(out + 4, (uint32_t)in[4] << 24 | (uint32_t)in[5] << 16 | (uint32_t)in[6] << 8 | in[7],
		  0, p, 1);
	put(out, 0x80000000u | (uint32_t)n);
	if (write(c, out, n + 4) < 0)
		_exit(1);
	_exit(0);
}

static void test_rpc_call(void)
{
	const uint32_t args[4] = { RPC_PROG_MOUNT, 3, RPC_IPPROTO_TCP, 0 };
	struct rpc_result res;
	unsigned int port;
	pid_t pid;

	TEST("a call answered, one closed on, one never answered, one refused");
	pid = serve(0, &port);
	CHECK_INT(rpc_call(htonl(INADDR_LOOPBACK), port, RPC_PROG_PORTMAP, 2, RPC_PMAP_GETPORT,
			   args, 4, 2000, &res), 0);
	CHECK_INT(res.value, 20048);
	waitpid(pid, NULL, 0);
	pid = serve(1, &port);
	CHECK_INT(rpc_call(htonl(INADDR_LOOPBACK), port, RPC_PROG_NFS, 3, 0, NULL, 0, 2000, &res),
		  -ECONNRESET);
	waitpid(pid, NULL, 0);
	pid = serve(2, &port);
	CHECK_INT(rpc_call(htonl(INADDR_LOOPBACK), port, RPC_PROG_NFS, 3, 0, NULL, 0, 300, &res),
		  -ETIMEDOUT);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The closed server's port, now with no listener. */
	CHECK_INT(rpc_call(htonl(INADDR_LOOPBACK), port, RPC_PROG_NFS, 3, 0, NULL, 0, 2000, &res),
		  -ECONNREFUSED);
}

static void test_line_vers(void)
{
	TEST("the version the line asks, for loading the client before DHCP");
	spec("/dev/nfs", "10.0.2.1:/srv");
	CHECK_INT(nfsroot_line_vers(&p, &r), 3);
	spec("/dev/nfs", "10.0.2.1:/srv,nfsvers=4.1");
	CHECK_INT(nfsroot_line_vers(&p, &r), 4);
	spec("/dev/nfs", "10.0.2.1:/srv,v2");
	CHECK_INT(nfsroot_line_vers(&p, &r), 2);
	spec("nfs4:10.0.2.1:/srv", NULL);
	CHECK_INT(nfsroot_line_vers(&p, &r), 4);
	spec("/dev/nfs", "10.0.2.1:/srv,vers=4");
	p.rootflags = "ro,vers=3";
	CHECK_INT(nfsroot_line_vers(&p, &r), 3);
	spec("/dev/nfs", NULL);
	CHECK_INT(nfsroot_line_vers(&p, &r), 3);
}

int main(void)
{
	test_line_vers();
	test_rpc_codec();
	test_rpc_call();
	test_kernel_form();
	test_dracut_form();
	test_refusals();
	return check_failed;
}
