/* DHCP's packets (init/net/dhcp.c): what the client sends, what it takes from an answer. */
#include "check.h"
#include "net/dhcp.h"
#include "net/rtnl.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x1a2b3c4du

static const char *a(uint32_t addr)
{
	static char buf[4][16];
	static int i;

	return ipv4_format(addr, buf[i++ % 4]);
}

static uint32_t ip(const char *s)
{
	uint32_t v = 0;

	ipv4_parse(s, &v);
	return v;
}

/* Finds option code in a built packet's options: its offset, or -1. */
static int find_option(const uint8_t *p, long n, int code)
{
	long i = 240;

	while (i < n && p[i] != 255) {
		if (p[i] == 0) {
			i++;
			continue;
		}
		if (p[i] == code)
			return (int)i;
		i += 2 + p[i + 1];
	}
	return -1;
}

static void test_build(void)
{
	struct dhcp_request req = { .type = DHCPDISCOVER, .xid = XID, .secs = 3 };
	uint8_t p[DHCP_PACKET_MAX];
	long n;
	int o;

	memcpy(req.mac, mac, 6);
	TEST("DISCOVER: BOOTREQUEST, Ethernet, xid, secs, the broadcast flag, chaddr, cookie");
	memset(p, 0xee, sizeof(p));
	n = dhcp_build(&req, p, sizeof(p));
	CHECK_INT(n, 300);
	CHECK_INT(p[0], 1);
	CHECK_INT(p[1], 1);
	CHECK_INT(p[2], 6);
	CHECK_INT(p[3], 0);
	CHECK(!memcmp(p + 4, "\x1a\x2b\x3c\x4d", 4));
	CHECK(!memcmp(p + 8, "\x00\x03\x80\x00", 4));
	CHECK(!memcmp(p + 12, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16));	/* ciaddr .. giaddr */
	CHECK(!memcmp(p + 28, mac, 6));
	CHECK(!memcmp(p + 236, "\x63\x82\x53\x63", 4));
	TEST("DISCOVER's options: type 1, max size 576, the parameters asked, no 50 or 54, end");
	CHECK(!memcmp(p + 240, "\x35\x01\x01", 3));
	o = find_option(p, n, 57);
	CHECK(o > 0 && !memcmp(p + o, "\x39\x02\x02\x40", 4));
	o = find_option(p, n, 55);
	CHECK(o > 0 && p[o + 1] == 7 && !memcmp(p + o + 2, "\x01\x03\x06\x0c\x0f\x11\x33", 7));
	CHECK_INT(find_option(p, n, 50), -1);
	CHECK_INT(find_option(p, n, 54), -1);
	CHECK_INT(p[o + 9], 255);
	CHECK_INT(p[299], 0);	/* padded with zeros to 300 */

	TEST("REQUEST: type 3, the requested address (50) and the server (54)");
	req.type = DHCPREQUEST;
	req.requested = ip("10.0.2.15");
	req.server_id = ip("10.0.2.2");
	n = dhcp_build(&req, p, sizeof(p));
	CHECK_INT(n, 300);
	CHECK(!memcmp(p + 240, "\x35\x01\x03", 3));
	o = find_option(p, n, 50);
	CHECK(o > 0 && !memcmp(p + o, "\x32\x04\x0a\x00\x02\x0f", 6));
	o = find_option(p, n, 54);
	CHECK(o > 0 && !memcmp(p + o, "\x36\x04\x0a\x00\x02\x02", 6));
	CHECK(!memcmp(p + 12, "\0\0\0\0", 4));	/* ciaddr stays 0 (SELECTING) */
	TEST("too small a buffer");
	CHECK_INT(dhcp_build(&req, p, 299), -E2BIG);
}

/* A server's reply, built by hand as a server sends it. */
static uint8_t pkt[DHCP_PACKET_MAX];
static size_t len;

static void reply(int type)
{
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 2;
	pkt[1] = 1;
	pkt[2] = 6;
	memcpy(pkt + 4, "\x1a\x2b\x3c\x4d", 4);
	memcpy(pkt + 10, "\x80\x00", 2);
	memcpy(pkt + 16, "\x0a\x00\x02\x0f", 4);	/* yiaddr */
	memcpy(pkt + 20, "\x0a\x00\x02\x02", 4);	/* siaddr */
	memcpy(pkt + 28, mac, 6);
	memcpy(pkt + 236, "\x63\x82\x53\x63", 4);
	len = 240;
	if (type) {
		pkt[len++] = 53;
		pkt[len++] = 1;
		pkt[len++] = (uint8_t)type;
	}
}

static void opt(int code, const void *v, size_t n)
{
	pkt[len++] = (uint8_t)code;
	pkt[len++] = (uint8_t)n;
	memcpy(pkt + len, v, n);
	len += n;
}

static void end(void)
{
	pkt[len++] = 255;
}

static void test_parse(void)
{
	struct dhcp_reply r;

	TEST("an OFFER as QEMU's slirp sends it");
	reply(DHCPOFFER);
	opt(54, "\x0a\x00\x02\x02", 4);
	opt(51, "\x00\x01\x51\x80", 4);
	opt(1, "\xff\xff\xff\x00", 4);
	opt(3, "\x0a\x00\x02\x02", 4);
	opt(6, "\x0a\x00\x02\x03", 4);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_INT(r.type, DHCPOFFER);
	CHECK_STR(a(r.yiaddr), "10.0.2.15");
	CHECK_STR(a(r.siaddr), "10.0.2.2");
	CHECK_STR(a(r.server_id), "10.0.2.2");
	CHECK_STR(a(r.netmask), "255.255.255.0");
	CHECK_STR(a(r.router), "10.0.2.2");
	CHECK_STR(a(r.dns[0]), "10.0.2.3");
	CHECK_INT(r.dns[1], 0);
	CHECK_INT(r.lease_s, 86400);
	CHECK_STR(r.rootpath, "");

	TEST("an ACK with the root path (17), host name, domain, three DNS servers, two routers");
	reply(DHCPACK);
	opt(17, "10.0.2.100:/srv/nfs/root,vers=3", 31);
	opt(12, "client1", 7);
	opt(15, "example.org\0", 12);	/* a final NUL, as some servers count it */
	opt(6, "\x01\x01\x01\x01\x08\x08\x08\x08\x09\x09\x09\x09\x07\x07\x07\x07", 16);
	opt(3, "\x0a\x00\x02\x01\x0a\x00\x02\x09", 8);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_INT(r.type, DHCPACK);
	CHECK_STR(r.rootpath, "10.0.2.100:/srv/nfs/root,vers=3");
	CHECK_STR(r.hostname, "client1");
	CHECK_STR(r.domain, "example.org");
	CHECK_STR(a(r.dns[0]), "1.1.1.1");
	CHECK_STR(a(r.dns[2]), "9.9.9.9");
	CHECK_STR(a(r.router), "10.0.2.1");
	CHECK_INT(r.server_id, 0);

	TEST("a NAK");
	reply(DHCPNAK);
	opt(54, "\x0a\x00\x02\x02", 4);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_INT(r.type, DHCPNAK);

	TEST("a long root path in two options, concatenated (RFC 3396)");
	reply(DHCPACK);
	opt(17, "/srv/", 5);
	opt(17, "root", 4);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.rootpath, "/srv/root");

	TEST("no end option: the options end with the packet");
	reply(DHCPOFFER);
	opt(1, "\xff\xff\x00\x00", 4);
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(a(r.netmask), "255.255.0.0");
	TEST("pads are skipped, what follows the end is not read");
	reply(DHCPOFFER);
	pkt[len++] = 0;
	pkt[len++] = 0;
	opt(1, "\xff\xff\x00\x00", 4);
	end();
	opt(17, "/after", 6);
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(a(r.netmask), "255.255.0.0");
	CHECK_STR(r.rootpath, "");
}

static void test_overload(void)
{
	struct dhcp_reply r;

	TEST("option 52 = 1: more options in file");
	reply(DHCPACK);
	opt(52, "\x01", 1);
	end();
	memcpy(pkt + 108, "\x11\x05/root\x0c\x02vm\xff", 11);
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.rootpath, "/root");
	CHECK_STR(r.hostname, "vm");
	TEST("option 52 = 3: file, then sname");
	reply(DHCPACK);
	opt(52, "\x03", 1);
	end();
	memcpy(pkt + 108, "\x11\x03/sr\xff", 6);
	memcpy(pkt + 44, "\x11\x02v/\x0f\x03lan\xff", 10);
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.rootpath, "/srv/");
	CHECK_STR(r.domain, "lan");
	TEST("without option 52, file and sname are names, not options");
	reply(DHCPACK);
	end();
	memcpy(pkt + 108, "\x11\x05/root\xff", 8);
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.rootpath, "");
	TEST("an option running out of file is refused");
	reply(DHCPACK);
	opt(52, "\x01", 1);
	end();
	pkt[108 + 126] = 17;
	pkt[108 + 127] = 10;
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), -EINVAL);
}

static void test_refused(void)
{
	struct dhcp_reply r;
	uint8_t other[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
	size_t i;

	TEST("not ours: another xid, another client, a request, no cookie");
	reply(DHCPOFFER);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID + 1, mac, &r), -EINVAL);
	CHECK_INT(dhcp_parse(pkt, len, XID, other, &r), -EINVAL);
	pkt[0] = 1;
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), -EINVAL);
	pkt[0] = 2;
	pkt[236] = 0;
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), -EINVAL);

	TEST("truncated packets: the fixed part, an option's length, its value");
	reply(DHCPOFFER);
	opt(17, "/root", 5);
	end();
	for (i = 0; i < 240; i += 7)
		CHECK_INT(dhcp_parse(pkt, i, XID, mac, &r), -EINVAL);
	CHECK_INT(dhcp_parse(pkt, 244, XID, mac, &r), -EINVAL);	/* 17 with no length */
	CHECK_INT(dhcp_parse(pkt, 247, XID, mac, &r), -EINVAL);	/* 17's value cut */
	CHECK_INT(dhcp_parse(pkt, 250, XID, mac, &r), 0);	/* whole, no end */
	CHECK_STR(r.rootpath, "/root");

	TEST("bad option lengths are left out, not the packet");
	reply(DHCPOFFER);
	opt(1, "\xff\xff\xff", 3);
	opt(54, "\x0a\x00\x02\x02\x00", 5);
	opt(6, "\x01\x01\x01", 3);
	opt(51, "\x01", 1);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_INT(r.netmask, 0);
	CHECK_INT(r.server_id, 0);
	CHECK_INT(r.dns[0], 0);
	CHECK_INT(r.lease_s, 0);

	TEST("text that is not printable, or has a quote or a NUL inside, is left out");
	reply(DHCPACK);
	opt(12, "a\nb", 3);
	opt(15, "it's", 4);
	opt(17, "/a\0b", 4);
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.hostname, "");
	CHECK_STR(r.domain, "");
	CHECK_STR(r.rootpath, "");
	TEST("a host name longer than 64 characters is left out");
	reply(DHCPACK);
	{
		char h[65];

		memset(h, 'x', sizeof(h));
		opt(12, h, sizeof(h));
		opt(15, h, 64);
	}
	end();
	CHECK_INT(dhcp_parse(pkt, len, XID, mac, &r), 0);
	CHECK_STR(r.hostname, "");
	CHECK_INT(strlen(r.domain), 64);
}

/*
 * --exchange CLIENT SERVER NETNS (tests/unit/dhcp.sh, in a network
 * namespace of its own with a veth pair, SERVER at 10.9.0.1/24 in the
 * namespace NETNS, a path in /proc: an address of the client's own would be
 * a martian source): the real exchange over the kernel's UDP and
 * rtnetlink, against a server forked here that NAKs the first REQUEST.
 */
static int udp_on(const char *dev, int port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), on = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev) + 1) ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)))
		return -1;
	return fd;
}

/* Answers DISCOVERs with OFFERs, the first REQUEST with a NAK, the next with an ACK. */
static void serve(int fd)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT),
				  .sin_addr.s_addr = INADDR_BROADCAST };
	uint8_t in[DHCP_PACKET_MAX];
	int requests = 0, type;
	ssize_t n;

	for (;;) {
		n = recv(fd, in, sizeof(in), 0);
		if (n < 243 || in[0] != 1 || in[240] != 53)
			continue;
		type = in[242] == DHCPDISCOVER ? DHCPOFFER : requests++ ? DHCPACK : DHCPNAK;
		reply(type);
		memcpy(pkt + 4, in + 4, 4);	/* its xid */
		memcpy(pkt + 28, in + 28, 6);	/* its address */
		memcpy(pkt + 16, "\x0a\x09\x00\x2a", 4);	/* 10.9.0.42 */
		memcpy(pkt + 20, "\x0a\x09\x00\x01", 4);
		if (type != DHCPNAK) {
			opt(54, "\x0a\x09\x00\x01", 4);
			opt(1, "\xff\xff\xff\x00", 4);
			opt(3, "\x0a\x09\x00\x01", 4);
			opt(17, "/srv/nfsroot", 12);
			opt(51, "\x00\x00\x0e\x10", 4);
		}
		end();
		sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to));
	}
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static int exchange(const char *client, const char *server, const char *netns)
{
	struct rtnl_link l[16];
	struct rtnl_addr ad[16];
	struct dhcp_reply r;
	uint32_t gw;
	int fd, sfd, n, i, idx = 0, e;
	long t0;
	pid_t pid;

	TEST("rtnetlink: the client's link found and brought up");
	fd = rtnl_open(0);
	CHECK(fd >= 0);
	n = rtnl_links(fd, l, 16);
	for (i = 0; i < n; i++)
		if (!strcmp(l[i].name, client))
			idx = i;
	CHECK(n > 0 && !strcmp(l[idx].name, client));
	CHECK_INT(rtnl_link_up(fd, l[idx].index, true), 0);
	for (t0 = now_ms(); now_ms() - t0 < 5000; usleep(20000)) {
		n = rtnl_links(fd, l, 16);
		if (n > idx && (l[idx].flags & RTNL_LOWER_UP))
			break;
	}
	CHECK(l[idx].flags & IFF_UP);
	CHECK(l[idx].flags & RTNL_LOWER_UP);

	TEST("no server yet: the exchange gives up at its bound");
	t0 = now_ms();
	CHECK_INT(dhcp_exchange(client, l[idx].mac, 2500, &r), -ETIMEDOUT);
	CHECK(now_ms() - t0 >= 2400 && now_ms() - t0 < 4000);

	TEST("a server that NAKs the first REQUEST: DISCOVER again, then the ACK");
	pid = fork();
	if (!pid) {
		sfd = open(netns, O_RDONLY | O_CLOEXEC);
		if (sfd < 0 || setns(sfd, CLONE_NEWNET))
			_exit(1);
		sfd = udp_on(server, DHCP_SERVER_PORT);
		if (sfd < 0)
			_exit(1);
		serve(sfd);
		_exit(0);
	}
	t0 = now_ms();
	e = dhcp_exchange(client, l[idx].mac, 20000, &r);
	t0 = now_ms() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, &sfd, 0);
	CHECK(WIFSIGNALED(sfd));	/* the server was serving, not failed */
	CHECK_INT(e, 0);
	CHECK(t0 >= 1900 && t0 < 8000);	/* the NAK's back-off of 2 s, then the ACK at once */
	CHECK_INT(r.type, DHCPACK);
	CHECK_STR(a(r.yiaddr), "10.9.0.42");
	CHECK_STR(a(r.server_id), "10.9.0.1");
	CHECK_STR(r.rootpath, "/srv/nfsroot");
	CHECK_INT(r.lease_s, 3600);

	TEST("rtnetlink: the address and the default route added, read back");
	CHECK_INT(rtnl_addr_add(fd, l[idx].index, r.yiaddr, 24), 0);
	CHECK_INT(rtnl_addr_add(fd, l[idx].index, r.yiaddr, 24), 0);	/* again: replaced */
	CHECK_INT(rtnl_route_add(fd, l[idx].index, r.router, false), 0);
	n = rtnl_addrs(fd, ad, 16);
	for (i = 0; i < n && ad[i].addr != r.yiaddr; i++)
		;
	CHECK(i < n && ad[i].index == l[idx].index && ad[i].prefix == 24);
	CHECK_INT(rtnl_default_gateway(fd, l[idx].index, &gw), 0);
	CHECK_STR(a(gw), "10.9.0.1");
	close(fd);
	return check_failed;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--exchange"))
		return exchange(argv[2], argv[3], argv[4]);
	test_build();
	test_parse();
	test_overload();
	test_refused();
	return check_failed;
}
