/* ip= in every form (init/net/ipconf.c), /proc/net/pnp, and the record the real system reads. */
#include "check.h"
#include "net/ipconf.h"

#include <errno.h>

static struct ipconf c;
static char why[160];

static int parse(const char *s)
{
	return ipconf_parse(s, &c, why, sizeof(why));
}

static const char *a(uint32_t addr)
{
	static char buf[4][16];
	static int i;

	return ipv4_format(addr, buf[i++ % 4]);
}

static void test_words(void)
{
	static const char *const dynamic[] = { "dhcp", "bootp", "rarp", "on", "any", "both" };
	size_t i;

	TEST("no ip=: DHCP, as the kernel and dracut do for a network root");
	CHECK_INT(parse(NULL), 0);
	CHECK_INT(c.method, IP_DHCP);
	CHECK_STR(c.dev, "");
	for (i = 0; i < sizeof(dynamic) / sizeof(dynamic[0]); i++) {
		TEST("ip=%s", dynamic[i]);
		CHECK_INT(parse(dynamic[i]), 0);
		CHECK_INT(c.method, IP_DHCP);
	}
	TEST("ip=off, ip=none, ip= (empty) turn it off");
	CHECK_INT(parse("off"), 0);
	CHECK_INT(c.method, IP_OFF);
	CHECK_INT(parse("none"), 0);
	CHECK_INT(c.method, IP_OFF);
	CHECK_INT(parse(""), 0);
	CHECK_INT(c.method, IP_OFF);
	TEST("method words are exact");
	CHECK_INT(parse("DHCP"), -EINVAL);
	CHECK_INT(parse("dhcp6"), -EINVAL);
	CHECK(strstr(why, "CLIENT (field 1) is not an IPv4 address: dhcp6"));
}

static void test_static(void)
{
	TEST("the full static form");
	CHECK_INT(parse("10.0.2.15:10.0.2.2:10.0.2.1:255.255.255.0:box:eth0:off:10.0.2.3:10.0.2.4:10.0.2.5"), 0);
	CHECK_INT(c.method, IP_STATIC);
	CHECK_STR(a(c.client), "10.0.2.15");
	CHECK_STR(a(c.server), "10.0.2.2");
	CHECK_STR(a(c.gateway), "10.0.2.1");
	CHECK_STR(a(c.netmask), "255.255.255.0");
	CHECK_STR(c.host, "box");
	CHECK_STR(c.dev, "eth0");
	CHECK_STR(a(c.dns[0]), "10.0.2.3");
	CHECK_STR(a(c.dns[1]), "10.0.2.4");
	CHECK_STR(a(c.ntp), "10.0.2.5");

	TEST("empty fields are not given; AUTOCONF empty with CLIENT: static");
	CHECK_INT(parse("10.0.2.15::10.0.2.2:255.255.255.0:::"), 0);
	CHECK_INT(c.method, IP_STATIC);
	CHECK_INT(c.server, 0);
	CHECK_STR(c.host, "");
	CHECK_STR(c.dev, "");
	CHECK_STR(a(c.gateway), "10.0.2.2");

	TEST("CLIENT alone: the netmask of its class, as the kernel's default");
	CHECK_INT(parse("10.0.2.15"), 0);
	CHECK_INT(c.method, IP_STATIC);
	CHECK_STR(a(c.netmask), "255.0.0.0");
	CHECK_INT(parse("172.16.1.2"), 0);
	CHECK_STR(a(c.netmask), "255.255.0.0");
	CHECK_INT(parse("192.168.1.2::::::none"), 0);
	CHECK_STR(a(c.netmask), "255.255.255.0");
	CHECK_INT(c.method, IP_STATIC);
	TEST("a class D or E CLIENT without NETMASK is refused");
	CHECK_INT(parse("224.0.0.1"), -EINVAL);
	CHECK(strstr(why, "CLIENT (field 1) is no class A, B or C address"));
	CHECK_INT(parse("224.0.0.1:::255.255.255.0"), 0);

	TEST("AUTOCONF dhcp with fields: DHCP, the fields kept");
	CHECK_INT(parse(":10.0.2.2::::eth1:dhcp"), 0);
	CHECK_INT(c.method, IP_DHCP);
	CHECK_STR(a(c.server), "10.0.2.2");
	CHECK_STR(c.dev, "eth1");
	CHECK_INT(parse("10.0.2.15:::::eth0:any"), 0);
	CHECK_INT(c.method, IP_DHCP);
	TEST("no CLIENT, no AUTOCONF: DHCP (the kernel's default, any)");
	CHECK_INT(parse("::::myhost:eth0"), 0);
	CHECK_INT(c.method, IP_DHCP);
	CHECK_STR(c.host, "myhost");
	CHECK_INT(parse("::::::"), 0);
	CHECK_INT(c.method, IP_DHCP);
	TEST("no CLIENT and AUTOCONF off: nothing configured, as the kernel");
	CHECK_INT(parse(":::::eth0:off"), 0);
	CHECK_INT(c.method, IP_OFF);
}

static void test_dracut(void)
{
	TEST("dracut's ip=DEV:METHOD");
	CHECK_INT(parse("eth0:dhcp"), 0);
	CHECK_INT(c.method, IP_DHCP);
	CHECK_STR(c.dev, "eth0");
	CHECK_INT(c.client, 0);
	CHECK_INT(parse("enp0s3:on"), 0);
	CHECK_STR(c.dev, "enp0s3");
	CHECK_INT(c.method, IP_DHCP);
	CHECK_INT(parse("eth0:off"), 0);
	CHECK_INT(c.method, IP_OFF);
	TEST("CLIENT:SERVER is the kernel's form, not dracut's");
	CHECK_INT(parse("10.0.2.15:10.0.2.2"), 0);
	CHECK_INT(c.method, IP_STATIC);
	CHECK_STR(c.dev, "");
	CHECK_STR(a(c.server), "10.0.2.2");
	TEST("DEV:WORD with another word is refused, naming the field");
	CHECK_INT(parse("eth0:dhcp6"), -EINVAL);
	CHECK(strstr(why, "CLIENT (field 1) is not an IPv4 address: eth0"));
}

static void test_refused(void)
{
	char longhost[80];

	TEST("each bad field is named");
	CHECK_INT(parse("10.0.2.256"), -EINVAL);
	CHECK_STR(why, "ip=: CLIENT (field 1) is not an IPv4 address: 10.0.2.256");
	CHECK_INT(parse("10.0.2.15:10.0.2"), -EINVAL);
	CHECK_STR(why, "ip=: SERVER (field 2) is not an IPv4 address: 10.0.2");
	CHECK_INT(parse("10.0.2.15::gw"), -EINVAL);
	CHECK_STR(why, "ip=: GW (field 3) is not an IPv4 address: gw");
	CHECK_INT(parse("10.0.2.15:::255.0.255.0"), -EINVAL);
	CHECK_STR(why, "ip=: NETMASK (field 4) is not a netmask (its ones are not contiguous): 255.0.255.0");
	CHECK_INT(parse("10.0.2.15:::255.255.255.0::eth0:auto"), -EINVAL);
	CHECK_STR(why, "ip=: AUTOCONF (field 7) is none of off, none, on, any, dhcp, bootp, rarp: auto");
	CHECK_INT(parse("::::::dhcp:1.2.3"), -EINVAL);
	CHECK_STR(why, "ip=: DNS0 (field 8) is not an IPv4 address: 1.2.3");
	CHECK_INT(parse("::::::dhcp::x"), -EINVAL);
	CHECK_STR(why, "ip=: DNS1 (field 9) is not an IPv4 address: x");
	CHECK_INT(parse("::::::dhcp:::ntp"), -EINVAL);
	CHECK_STR(why, "ip=: NTP0 (field 10) is not an IPv4 address: ntp");
	CHECK_INT(parse("::::::dhcp::::"), -EINVAL);
	CHECK(strstr(why, "more than 10 fields"));
	TEST("interface names: at most 15 characters, no '/'");
	CHECK_INT(parse(":::::abcdefghijklmnop:dhcp"), -EINVAL);
	CHECK(strstr(why, "DEVICE (field 6) is not an interface name"));
	CHECK_INT(parse(":::::../x:dhcp"), -EINVAL);
	CHECK_INT(parse(":::::abcdefghijklmno:dhcp"), 0);
	TEST("host names: at most 64 printable characters, no quote");
	memset(longhost, 'h', 65);
	longhost[65] = '\0';
	CHECK_INT(parse(longhost), -EINVAL);
	{
		char s[90] = "::::";

		strcat(s, longhost);
		CHECK_INT(parse(s), -EINVAL);
		CHECK(strstr(why, "HOST (field 5) is not a host name"));
		s[4 + 64] = '\0';
		CHECK_INT(parse(s), 0);
		CHECK_INT(strlen(c.host), 64);
	}
	CHECK_INT(parse("::::it's"), -EINVAL);
	CHECK_INT(parse("::::a\tb"), -EINVAL);
	CHECK(strstr(why, "a\\x09b"));
	TEST("addresses are strict dotted quads");
	CHECK_INT(parse("010.0.2.15"), 0);
	CHECK_INT(parse("1.2.3.4.5"), -EINVAL);
	CHECK_INT(parse("1..3.4"), -EINVAL);
	CHECK_INT(parse("1.2.3.4 "), -EINVAL);
	CHECK_INT(parse("1.2.3.1000"), -EINVAL);
	CHECK_INT(parse("-1.2.3.4"), -EINVAL);
}

static void test_masks(void)
{
	uint32_t m;

	TEST("prefix lengths");
	CHECK_INT(ipv4_parse("255.255.255.0", &m), 0);
	CHECK_INT(ipv4_prefix(m), 24);
	CHECK_INT(ipv4_parse("255.255.255.255", &m), 0);
	CHECK_INT(ipv4_prefix(m), 32);
	CHECK_INT(ipv4_prefix(0), 0);
	CHECK_INT(ipv4_parse("255.255.254.0", &m), 0);
	CHECK_INT(ipv4_prefix(m), 23);
	CHECK_INT(ipv4_parse("0.255.255.255", &m), 0);
	CHECK_INT(ipv4_prefix(m), -1);
	CHECK_STR(a(ipv4_mask(20)), "255.255.240.0");
	CHECK_STR(a(ipv4_mask(0)), "0.0.0.0");
	CHECK_STR(a(ipv4_mask(32)), "255.255.255.255");
}

static void test_pnp_and_record(void)
{
	static const char pnp[] = "#PROTO: DHCP\ndomain example.org\nnameserver 10.0.2.3\n"
				  "nameserver 10.0.2.4\nbootserver 10.0.2.2\n";
	struct net_config k = { .how = "kernel" };
	char buf[1024];
	long n;

	TEST("/proc/net/pnp as the kernel writes it");
	pnp_parse(pnp, sizeof(pnp) - 1, &k);
	CHECK_STR(k.proto, "DHCP");
	CHECK_STR(k.domain, "example.org");
	CHECK_STR(a(k.dns[0]), "10.0.2.3");
	CHECK_STR(a(k.dns[1]), "10.0.2.4");
	CHECK_INT(k.dns[2], 0);
	CHECK_STR(a(k.server), "10.0.2.2");
	TEST("a manual one, and lines that are not the kernel's");
	memset(&k, 0, sizeof(k));
	{
		static const char t[] = "#MANUAL\nnameserver x\nbootserver 0.0.0.0\njunk\nnameserver 1.1.1.1";

		pnp_parse(t, sizeof(t) - 1, &k);
	}
	CHECK_STR(k.proto, "MANUAL");
	CHECK_STR(a(k.dns[0]), "1.1.1.1");
	CHECK_INT(k.dns[1], 0);
	CHECK_INT(k.server, 0);

	TEST("the record: pnp's lines, then the keys");
	memset(&k, 0, sizeof(k));
	strcpy(k.how, "dhcp");
	strcpy(k.proto, "DHCP");
	strcpy(k.iface, "eth0");
	ipv4_parse("10.0.2.15", &k.addr);
	ipv4_parse("255.255.255.0", &k.netmask);
	ipv4_parse("10.0.2.2", &k.gateway);
	ipv4_parse("10.0.2.2", &k.server);
	ipv4_parse("10.0.2.3", &k.dns[0]);
	strcpy(k.rootpath, "/srv/root");
	k.lease_s = 86400;
	n = net_record(&k, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK_STR(buf, "#PROTO: DHCP\nnameserver 10.0.2.3\nbootserver 10.0.2.2\n"
		       "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.0.2.15'\nIPV4NETMASK='255.255.255.0'\n"
		       "IPV4GATEWAY='10.0.2.2'\nIPV4DNS0='10.0.2.3'\nIPV4DNS1=''\nHOSTNAME=''\n"
		       "DNSDOMAIN=''\nROOTSERVER='10.0.2.2'\nROOTPATH='/srv/root'\nLEASETIME='86400'\n");
	CHECK_INT(n, (long)strlen(buf));
	TEST("a static one says #MANUAL, as the kernel");
	strcpy(k.how, "static");
	strcpy(k.proto, "MANUAL");
	CHECK(net_record(&k, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "#MANUAL\n", 8));
	CHECK(strstr(buf, "\nPROTO='static'\n"));
	TEST("too small a buffer is refused, not cut");
	CHECK_INT(net_record(&k, buf, 100), -E2BIG);
	CHECK_INT(net_record(&k, buf, 0), -E2BIG);
}

int main(void)
{
	test_words();
	test_static();
	test_dracut();
	test_refused();
	test_masks();
	test_pnp_and_record();
	return check_failed;
}
