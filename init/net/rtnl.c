/* rtnetlink requests and dumps, one message at a time, with fixed buffers. */
#include "net/rtnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The ABI of <linux/netlink.h> and <linux/rtnetlink.h> (not in musl's headers). */
struct nl_hdr {
	uint32_t len;
	uint16_t type, flags;
	uint32_t seq, pid;
};

struct nl_addr {
	unsigned short family, pad;
	uint32_t pid, groups;
};

struct if_info {
	uint8_t family, pad;	/* cppcheck-suppress unusedStructMember */
	uint16_t type;
	int32_t index;
	uint32_t flags, change;
};

struct if_addr {
	uint8_t family, prefixlen, flags, scope;	/* cppcheck-suppress unusedStructMember */
	uint32_t index;
};

struct rt_msg {
	uint8_t family, dst_len, src_len, tos, table, protocol, scope, type;	/* cppcheck-suppress unusedStructMember */
	uint32_t flags;
};

struct rt_attr {
	uint16_t len, type;
};

#define NETLINK_ROUTE 0
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLM_F_REQUEST 0x1
#define NLM_F_ACK 0x4
#define NLM_F_DUMP 0x300
#define NLM_F_REPLACE 0x100
#define NLM_F_CREATE 0x400
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22
#define RTM_NEWROUTE 24
#define RTM_GETROUTE 26
#define IFLA_ADDRESS 1
#define IFLA_IFNAME 3
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_BROADCAST 4
#define RTA_DST 1
#define RTA_OIF 4
#define RTA_GATEWAY 5
#define RT_TABLE_MAIN 254
#define RTPROT_BOOT 3
#define RTN_UNICAST 1
#define RTNH_F_ONLINK 4

#define ALIGN4(n) (((n) + 3u) & ~3u)

int rtnl_open(unsigned groups)
{
	struct nl_addr a = { .family = AF_NETLINK, .groups = groups };
	int fd, e;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

/* A request being built: header, fixed part, attributes. */
struct req {
	union {
		struct nl_hdr h;
		uint8_t b[256];
	} u;
};

static void *req_start(struct req *r, uint16_t type, uint16_t flags, size_t fixed)
{
	static uint32_t seq;	/* numbers the requests: a reply is matched to its own */

	memset(r, 0, sizeof(*r));
	r->u.h.len = (uint32_t)ALIGN4(sizeof(struct nl_hdr) + fixed);
	r->u.h.type = type;
	r->u.h.flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->u.h.seq = ++seq;
	return r->u.b + sizeof(struct nl_hdr);
}

static void req_attr(struct req *r, uint16_t type, const void *v, size_t len)
{
	struct rt_attr a = { (uint16_t)(sizeof(a) + len), type };

	memcpy(r->u.b + r->u.h.len, &a, sizeof(a));
	memcpy(r->u.b + r->u.h.len + sizeof(a), v, len);
	r->u.h.len += (uint32_t)ALIGN4(sizeof(a) + len);
}

static int req_send(int fd, struct req *r)
{
	struct nl_addr kernel = { .family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(fd, r->u.b, r->u.h.len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

typedef void (*msg_fn)(const struct nl_hdr *h, void *ctx);

/*
 * Reads the answers to request seq until its ack (NLMSG_ERROR) or the end
 * of its dump, handing each other message to fn. The socket is
 * nonblocking (a request socket and an event socket are made alike).
 */
static int req_answers(int fd, uint32_t seq, msg_fn fn, void *ctx)
{
	union {
		struct nl_hdr h;	/* cppcheck-suppress unusedStructMember */
		uint8_t b[8192];	/* aligned as a header */
	} buf;
	const struct nl_hdr *h;
	int32_t error;
	size_t off;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf.b, sizeof(buf.b), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* A dump's next part is queued as the last one is read; wait a little. */
			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			if (poll(&pfd, 1, 2000) > 0)
				continue;
			return -ETIMEDOUT;
		}
		if (n < 0)
			return -errno;
		for (off = 0; off + sizeof(*h) <= (size_t)n; off += ALIGN4(h->len)) {
			h = (const struct nl_hdr *)(buf.b + off);
			if (h->len < sizeof(*h) || h->len > (size_t)n - off)
				return -EBADMSG;
			if (h->seq != seq)
				continue;
			if (h->type == NLMSG_DONE)
				return 0;
			if (h->type == NLMSG_ERROR) {
				if (h->len < sizeof(*h) + sizeof(error))
					return -EBADMSG;
				memcpy(&error, buf.b + off + sizeof(*h), sizeof(error));
				return error;
			}
			if (fn)
				fn(h, ctx);
		}
	}
}

static int request(int fd, struct req *r, msg_fn fn, void *ctx)
{
	uint32_t seq = r->u.h.seq;
	int e = req_send(fd, r);

	return e ? e : req_answers(fd, seq, fn, ctx);
}

/* The attributes after a message's fixed part: each handed to fn with its payload. */
static void each_attr(const struct nl_hdr *h, size_t fixed,
		      void (*fn)(uint16_t type, const uint8_t *v, size_t len, void *ctx), void *ctx)
{
	const uint8_t *p = (const uint8_t *)h + ALIGN4(sizeof(*h) + fixed), *end = (const uint8_t *)h + h->len;
	struct rt_attr a;

	while (end - p >= (long)sizeof(a)) {
		memcpy(&a, p, sizeof(a));
		if (a.len < sizeof(a) || a.len > end - p)
			return;
		fn(a.type, p + sizeof(a), a.len - sizeof(a), ctx);
		p += ALIGN4(a.len);
	}
}

/* ---- links ---- */

struct list {
	void *out;
	int n, max;
	int index;	/* rtnl_default_gateway(): the link asked about */
};

static void link_attr(uint16_t type, const uint8_t *v, size_t len, void *ctx)
{
	struct rtnl_link *l = ctx;

	if (type == IFLA_IFNAME && len && len <= sizeof(l->name)) {
		memcpy(l->name, v, len);
		l->name[len - 1] = '\0';
	} else if (type == IFLA_ADDRESS && len == 6) {
		memcpy(l->mac, v, 6);
	}
}

static void link_msg(const struct nl_hdr *h, void *ctx)
{
	struct list *li = ctx;
	struct rtnl_link *l = (struct rtnl_link *)li->out + li->n;
	struct if_info ifi;

	if (h->type != RTM_NEWLINK || h->len < sizeof(*h) + sizeof(ifi) || li->n >= li->max)
		return;
	memcpy(&ifi, (const uint8_t *)h + sizeof(*h), sizeof(ifi));
	memset(l, 0, sizeof(*l));
	l->index = ifi.index;
	l->flags = ifi.flags;
	l->type = ifi.type;
	each_attr(h, sizeof(ifi), link_attr, l);
	if (l->name[0])
		li->n++;
}

/* A dump of one family: each message to fn; the count it kept, or -errno. */
static int dump(int fd, uint16_t type, size_t fixed, uint8_t family, msg_fn fn, struct list *li)
{
	struct req r;
	uint8_t *fam = req_start(&r, type, NLM_F_DUMP, fixed);	/* every fixed part starts with it */
	int e;

	*fam = family;
	e = request(fd, &r, fn, li);
	return e ? e : li->n;
}

int rtnl_links(int fd, struct rtnl_link *out, int max)
{
	struct list li = { out, 0, max, 0 };

	return dump(fd, RTM_GETLINK, sizeof(struct if_info), AF_UNSPEC, link_msg, &li);
}

int rtnl_link_up(int fd, int ifindex, bool up)
{
	struct req r;
	struct if_info *ifi = req_start(&r, RTM_NEWLINK, NLM_F_ACK, sizeof(*ifi));

	ifi->family = AF_UNSPEC;
	ifi->index = ifindex;
	ifi->flags = up ? IFF_UP : 0;
	ifi->change = IFF_UP;
	return request(fd, &r, NULL, NULL);
}

/* ---- addresses ---- */

static void addr_attr(uint16_t type, const uint8_t *v, size_t len, void *ctx)
{
	struct rtnl_addr *a = ctx;

	/* IFA_LOCAL is the address itself; IFA_ADDRESS the peer's on point-to-point links. */
	if ((type == IFA_LOCAL || (type == IFA_ADDRESS && !a->addr)) && len == 4)
		memcpy(&a->addr, v, 4);
}

static void addr_msg(const struct nl_hdr *h, void *ctx)
{
	struct list *li = ctx;
	struct rtnl_addr *a = (struct rtnl_addr *)li->out + li->n;
	struct if_addr ifa;

	if (h->type != RTM_NEWADDR || h->len < sizeof(*h) + sizeof(ifa) || li->n >= li->max)
		return;
	memcpy(&ifa, (const uint8_t *)h + sizeof(*h), sizeof(ifa));
	if (ifa.family != AF_INET)
		return;
	memset(a, 0, sizeof(*a));
	a->index = (int)ifa.index;
	a->prefix = ifa.prefixlen;
	each_attr(h, sizeof(ifa), addr_attr, a);
	if (a->addr)
		li->n++;
}

int rtnl_addrs(int fd, struct rtnl_addr *out, int max)
{
	struct list li = { out, 0, max, 0 };

	return dump(fd, RTM_GETADDR, sizeof(struct if_addr), AF_INET, addr_msg, &li);
}

int rtnl_addr_add(int fd, int ifindex, uint32_t addr, int prefix)
{
	struct req r;
	struct if_addr *ifa = req_start(&r, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
					 sizeof(*ifa));
	uint32_t mask = prefix ? htonl(0xffffffffu << (32 - prefix)) : 0, brd = addr | ~mask;

	ifa->family = AF_INET;
	ifa->prefixlen = (uint8_t)prefix;
	ifa->index = (uint32_t)ifindex;
	req_attr(&r, IFA_LOCAL, &addr, 4);
	req_attr(&r, IFA_ADDRESS, &addr, 4);
	if (prefix < 31)
		req_attr(&r, IFA_BROADCAST, &brd, 4);
	return request(fd, &r, NULL, NULL);
}

/* ---- routes ---- */

struct route {
	uint32_t gw;
	int oif;
	bool dst;
};

static void route_attr(uint16_t type, const uint8_t *v, size_t len, void *ctx)
{
	struct route *rt = ctx;
	int32_t oif;

	if (type == RTA_GATEWAY && len == 4)
		memcpy(&rt->gw, v, 4);
	else if (type == RTA_OIF && len == 4) {
		memcpy(&oif, v, 4);
		rt->oif = oif;
	} else if (type == RTA_DST) {
		rt->dst = true;
	}
}

static void route_msg(const struct nl_hdr *h, void *ctx)
{
	struct list *li = ctx;
	struct route rt = { 0, 0, false };
	struct rt_msg m;

	if (h->type != RTM_NEWROUTE || h->len < sizeof(*h) + sizeof(m))
		return;
	memcpy(&m, (const uint8_t *)h + sizeof(*h), sizeof(m));
	if (m.family != AF_INET || m.dst_len || m.table != RT_TABLE_MAIN)
		return;
	each_attr(h, sizeof(m), route_attr, &rt);
	if (!rt.dst && rt.gw && rt.oif == li->index && !li->n) {
		*(uint32_t *)li->out = rt.gw;
		li->n = 1;
	}
}

int rtnl_default_gateway(int fd, int ifindex, uint32_t *gw)
{
	struct list li = { gw, 0, 1, ifindex };
	int e;

	*gw = 0;
	e = dump(fd, RTM_GETROUTE, sizeof(struct rt_msg), AF_INET, route_msg, &li);
	return e < 0 ? e : 0;
}

int rtnl_route_add(int fd, int ifindex, uint32_t gw, bool onlink)
{
	struct req r;
	struct rt_msg *m = req_start(&r, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
				     sizeof(*m));
	int32_t oif = ifindex;

	m->family = AF_INET;
	m->table = RT_TABLE_MAIN;
	m->protocol = RTPROT_BOOT;
	m->scope = 0;	/* RT_SCOPE_UNIVERSE */
	m->type = RTN_UNICAST;
	m->flags = onlink ? RTNH_F_ONLINK : 0;
	req_attr(&r, RTA_GATEWAY, &gw, 4);
	req_attr(&r, RTA_OIF, &oif, 4);
	return request(fd, &r, NULL, NULL);
}

bool rtnl_drain(int fd)
{
	uint8_t buf[4096];
	bool any = false;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			any = true;	/* events lost: the caller looks at every link again */
			continue;
		}
		if (n <= 0)
			return any;
		any = true;
	}
}
