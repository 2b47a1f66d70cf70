/*
 * ip= as the kernel reads it (net/ipv4/ipconfig.c's grammar, with fields
 * checked rather than guessed), /proc/net/pnp, and the record. Pure.
 */
#include "net/ipconf.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

int ipv4_parse(const char *s, uint32_t *addr)
{
	uint8_t b[4];
	unsigned v;
	int i, digits;

	for (i = 0; i < 4; i++) {
		for (v = 0, digits = 0; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		if (!digits || digits > 3 || v > 255 || *s != (i < 3 ? '.' : '\0'))
			return -EINVAL;
		b[i] = (uint8_t)v;
		s++;
	}
	memcpy(addr, b, 4);
	return 0;
}

char *ipv4_format(uint32_t addr, char *buf)
{
	const uint8_t *b = (const uint8_t *)&addr;

	fmt_buf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

static uint32_t host_order(uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t net_order(uint32_t h)
{
	uint8_t b[4] = { (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h };
	uint32_t a;

	memcpy(&a, b, 4);
	return a;
}

int ipv4_prefix(uint32_t mask)
{
	uint32_t h = host_order(mask);
	int n = 0;

	while (n < 32 && (h & (0x80000000u >> n)))
		n++;
	return n < 32 && (h << n) ? -1 : n;
}

uint32_t ipv4_mask(int prefix)
{
	return net_order(prefix <= 0 ? 0 : 0xffffffffu << (32 - (prefix > 32 ? 32 : prefix)));
}

uint32_t ipv4_class_mask(uint32_t addr)
{
	uint32_t h = host_order(addr);

	if (!(h & 0x80000000u))
		return ipv4_mask(8);
	if ((h & 0xc0000000u) == 0x80000000u)
		return ipv4_mask(16);
	if ((h & 0xe0000000u) == 0xc0000000u)
		return ipv4_mask(24);
	return 0;
}

/* The kernel's method words (ic_proto_name()); -1 for none of them. */
static int method_word(const char *s)
{
	static const char *const dynamic[] = { "dhcp", "bootp", "rarp", "on", "any", "both" };
	size_t i;

	if (!strcmp(s, "off") || !strcmp(s, "none"))
		return IP_OFF;
	for (i = 0; i < ARRAY_SIZE(dynamic); i++)
		if (!strcmp(s, dynamic[i]))
			return IP_DHCP;
	return -1;
}

bool ipconf_text_ok(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '\'')
			return false;
	return true;
}

static const char *const field_name[] = {
	"CLIENT", "SERVER", "GW", "NETMASK", "HOST", "DEVICE", "AUTOCONF", "DNS0", "DNS1", "NTP0",
};

#define IP_FIELDS 10

static int refuse(char *why, size_t size, int field, const char *what, const char *val)
{
	char shown[80];

	fmt_printable(shown, sizeof(shown), val);
	fmt_buf(why, size, "ip=: %s (field %d) %s: %s", field_name[field], field + 1, what, shown);
	return -EINVAL;
}

static int address_field(uint32_t *out, int field, const char *v, char *why, size_t size)
{
	if (ipv4_parse(v, out))
		return refuse(why, size, field, "is not an IPv4 address", v);
	return 0;
}

/* One field of the colon form (its value NUL-terminated in v, not empty). */
static int set_field(struct ipconf *c, int i, const char *v, int *autoconf, char *why, size_t size)
{
	static const size_t addr_at[IP_FIELDS] = {
		offsetof(struct ipconf, client), offsetof(struct ipconf, server),
		offsetof(struct ipconf, gateway), offsetof(struct ipconf, netmask), 0, 0, 0,
		offsetof(struct ipconf, dns[0]), offsetof(struct ipconf, dns[1]),
		offsetof(struct ipconf, ntp),
	};
	uint32_t a;

	if (addr_at[i]) {
		if (address_field(&a, i, v, why, size))
			return -EINVAL;
		if (i == 3 && ipv4_prefix(a) < 0)
			return refuse(why, size, i, "is not a netmask (its ones are not contiguous)", v);
		memcpy((char *)c + addr_at[i], &a, sizeof(a));
		return 0;
	}
	if (i == 4) {
		if (!ipconf_text_ok(v) || str_copy(c->host, v, sizeof(c->host)))
			return refuse(why, size, i, "is not a host name of at most 64 printable characters", v);
	} else if (i == 5) {
		if (strchr(v, '/') || !ipconf_text_ok(v) || str_copy(c->dev, v, sizeof(c->dev)))
			return refuse(why, size, i, "is not an interface name (at most 15 characters)", v);
	} else {
		*autoconf = method_word(v);
		if (*autoconf < 0)
			return refuse(why, size, i, "is none of off, none, on, any, dhcp, bootp, rarp", v);
	}
	return 0;
}

int ipconf_parse(const char *s, struct ipconf *c, char *why, size_t size)
{
	char buf[256], *p;
	const char *f[IP_FIELDS + 1];
	int n = 0, i, word, autoconf = -1;

	memset(c, 0, sizeof(*c));
	*why = '\0';
	if (!s)
		return 0;	/* IP_DHCP: what the kernel and dracut do for a network root */
	word = method_word(s);
	if (word >= 0 || !*s) {
		c->method = *s ? (enum ip_method)word : IP_OFF;
		return 0;
	}
	if (str_copy(buf, s, sizeof(buf))) {
		fmt_buf(why, size, "ip=: longer than %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	for (p = buf; n <= IP_FIELDS; n++) {
		f[n] = p;	/* each field ends at the next ':', cut in buf */
		p = strchr(p, ':');
		if (!p) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n > IP_FIELDS) {
		fmt_buf(why, size, "ip=: more than %d fields (CLIENT:SERVER:GW:NETMASK:HOST:DEVICE:AUTOCONF:DNS0:DNS1:NTP0)",
			IP_FIELDS);
		return -EINVAL;
	}
	for (i = n; i < IP_FIELDS; i++)
		f[i] = "";
	/* dracut's ip=DEV:METHOD (the first field no address, the second a method word). */
	if (n == 2 && ipv4_parse(f[0], &c->client) && method_word(f[1]) >= 0) {
		c->client = 0;
		if (set_field(c, 5, f[0], &autoconf, why, size))
			return -EINVAL;
		f[6] = f[1];
		f[0] = f[1] = "";
		n = 7;
	}
	for (i = 0; i < n; i++)
		if (*f[i] && set_field(c, i, f[i], &autoconf, why, size))
			return -EINVAL;
	if (autoconf == IP_DHCP || (autoconf < 0 && !c->client)) {
		c->method = IP_DHCP;	/* the fields given are kept over DHCP's */
	} else if (c->client) {
		c->method = IP_STATIC;
		if (!c->netmask && !(c->netmask = ipv4_class_mask(c->client)))
			return refuse(why, size, 0, "is no class A, B or C address: give NETMASK", f[0]);
	} else {
		c->method = IP_OFF;	/* AUTOCONF off with no CLIENT: the kernel does nothing */
	}
	return 0;
}

/* An address of a line, into *out when it is one and *out is not taken yet: 1 if taken. */
static int pnp_address(const char *v, uint32_t *out)
{
	uint32_t a;

	if (ipv4_parse(v, &a) || !a || *out)
		return 0;
	*out = a;
	return 1;
}

void pnp_parse(const char *text, size_t n, struct net_config *c)
{
	char line[128];
	const char *p = text, *end = text + n, *nl;
	int dns = 0;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) >= sizeof(line))
			continue;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		if (str_starts(line, "#PROTO: ") && ipconf_text_ok(line + 8))
			str_copy(c->proto, line + 8, sizeof(c->proto));
		else if (!strcmp(line, "#MANUAL"))
			str_copy(c->proto, "MANUAL", sizeof(c->proto));
		else if (str_starts(line, "domain ") && ipconf_text_ok(line + 7))
			str_copy(c->domain, line + 7, sizeof(c->domain));
		else if (str_starts(line, "nameserver ") && dns < IPCONF_DNS_MAX)
			dns += pnp_address(line + 11, &c->dns[dns]);
		else if (str_starts(line, "bootserver "))
			pnp_address(line + 11, &c->server);
	}
}

struct out {
	char *buf;
	size_t size, len;
	bool cut;
};

static void put(struct out *o, const char *fmt, const char *a, const char *b)
{
	size_t n = fmt_buf(o->buf + o->len, o->size - o->len, fmt, a, b);

	if (o->len + n + 1 >= o->size)
		o->cut = true;
	o->len += n;
}

static void put_addr(struct out *o, const char *key, uint32_t a)
{
	char s[16];

	put(o, "%s='%s'\n", key, a ? ipv4_format(a, s) : "");
}

long net_record(const struct net_config *c, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };
	char s[16];
	int i;

	if (!size)
		return -E2BIG;
	*buf = '\0';
	/* First the lines of /proc/net/pnp, as the kernel writes them. */
	if (!strcmp(c->proto, "MANUAL"))
		put(&o, "#MANUAL\n", "", "");
	else
		put(&o, "#PROTO: %s\n", c->proto, "");
	if (c->domain[0])
		put(&o, "domain %s\n", c->domain, "");
	for (i = 0; i < IPCONF_DNS_MAX; i++)
		if (c->dns[i])
			put(&o, "nameserver %s\n", ipv4_format(c->dns[i], s), "");
	if (c->server)
		put(&o, "bootserver %s\n", ipv4_format(c->server, s), "");
	/* Then the interface and the rest, klibc ipconfig's keys, shell-quoted. */
	put(&o, "DEVICE='%s'\n", c->iface, "");
	put(&o, "PROTO='%s'\n", c->how, "");
	put_addr(&o, "IPV4ADDR", c->addr);
	put_addr(&o, "IPV4NETMASK", c->netmask);
	put_addr(&o, "IPV4GATEWAY", c->gateway);
	put_addr(&o, "IPV4DNS0", c->dns[0]);
	put_addr(&o, "IPV4DNS1", c->dns[1]);
	put(&o, "HOSTNAME='%s'\n", c->hostname, "");
	put(&o, "DNSDOMAIN='%s'\n", c->domain, "");
	put_addr(&o, "ROOTSERVER", c->server);
	put(&o, "ROOTPATH='%s'\n", c->rootpath, "");
	fmt_buf(s, sizeof(s), "%u", (unsigned)c->lease_s);
	put(&o, "LEASETIME='%s'\n", c->lease_s ? s : "", "");
	return o.cut ? -E2BIG : (long)o.len;
}
