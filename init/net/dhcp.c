/*
 * DHCP's packets (pure) and the client's exchange on one interface: a UDP
 * socket bound to the device (SO_BINDTODEVICE), which sends to and hears
 * from 255.255.255.255 while the interface has no address yet, so the
 * init needs no AF_PACKET (CONFIG_PACKET) in the kernel. The broadcast
 * flag is set: a server answers to the broadcast address, which the
 * unconfigured interface takes, not to the address it offers.
 */
#include "net/dhcp.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

/* The fixed part (RFC 2131 section 2), then the options after the magic cookie. */
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236
#define OFF_OPTIONS 240
#define BROADCAST_FLAG 0x8000

enum {
	OPT_PAD = 0, OPT_NETMASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15, OPT_ROOTPATH = 17, OPT_REQUESTED = 50, OPT_LEASE = 51,
	OPT_OVERLOAD = 52, OPT_TYPE = 53, OPT_SERVER_ID = 54, OPT_PARAMS = 55,
	OPT_MAX_SIZE = 57, OPT_END = 255,
};

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

long dhcp_build(const struct dhcp_request *req, uint8_t *buf, size_t size)
{
	static const uint8_t params[] = {
		OPT_NETMASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN, OPT_ROOTPATH, OPT_LEASE,
	};
	uint8_t *o = buf + OFF_OPTIONS;

	if (size < DHCP_PACKET_MIN)
		return -E2BIG;
	memset(buf, 0, DHCP_PACKET_MIN);
	buf[0] = 1;		/* BOOTREQUEST */
	buf[1] = 1;		/* Ethernet */
	buf[2] = 6;
	put32(buf + OFF_XID, req->xid);
	put16(buf + OFF_SECS, req->secs);
	put16(buf + OFF_FLAGS, BROADCAST_FLAG);
	memcpy(buf + OFF_CHADDR, req->mac, 6);
	memcpy(buf + OFF_COOKIE, cookie, 4);
	*o++ = OPT_TYPE;
	*o++ = 1;
	*o++ = (uint8_t)req->type;
	*o++ = OPT_MAX_SIZE;
	*o++ = 2;
	put16(o, DHCP_PACKET_MAX);
	o += 2;
	if (req->requested) {
		*o++ = OPT_REQUESTED;
		*o++ = 4;
		memcpy(o, &req->requested, 4);
		o += 4;
	}
	if (req->server_id) {
		*o++ = OPT_SERVER_ID;
		*o++ = 4;
		memcpy(o, &req->server_id, 4);
		o += 4;
	}
	*o++ = OPT_PARAMS;
	*o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o++ = OPT_END;
	return DHCP_PACKET_MIN;	/* padded with zeros: BOOTP relays want 300 bytes */
}

/* A text option as it is gathered: repeated ones are concatenated (RFC 3396). */
struct text {
	char *s;
	size_t size, len;
	bool bad;
};

struct parse {
	struct dhcp_reply *r;
	struct text text[3];	/* hostname, domain, rootpath */
	int overload;
};

static void add_text(struct text *t, const uint8_t *v, size_t len)
{
	while (len && !v[len - 1])
		len--;	/* some servers count a final NUL */
	if (t->len + len >= t->size || memchr(v, '\0', len)) {
		t->bad = true;
		return;
	}
	memcpy(t->s + t->len, v, len);
	t->len += len;
	t->s[t->len] = '\0';
}

static void addr_once(uint32_t *out, const uint8_t *v, size_t len)
{
	if (len >= 4 && !(len % 4) && !*out)
		memcpy(out, v, 4);
}

static void option(struct parse *ps, int code, const uint8_t *v, size_t len)
{
	struct dhcp_reply *r = ps->r;
	size_t i;

	switch (code) {
	case OPT_NETMASK:
		if (len == 4)
			addr_once(&r->netmask, v, len);
		break;
	case OPT_ROUTER:
		addr_once(&r->router, v, len);
		break;
	case OPT_DNS:
		for (i = 0; !(len % 4) && i < len / 4 && i < IPCONF_DNS_MAX; i++)
			addr_once(&r->dns[i], v + 4 * i, 4);
		break;
	case OPT_HOSTNAME:
		add_text(&ps->text[0], v, len);
		break;
	case OPT_DOMAIN:
		add_text(&ps->text[1], v, len);
		break;
	case OPT_ROOTPATH:
		add_text(&ps->text[2], v, len);
		break;
	case OPT_LEASE:
		if (len == 4)
			r->lease_s = get32(v);
		break;
	case OPT_OVERLOAD:
		if (len == 1 && v[0] <= 3)
			ps->overload = v[0];
		break;
	case OPT_TYPE:
		if (len == 1)
			r->type = v[0];
		break;
	case OPT_SERVER_ID:
		if (len == 4)
			addr_once(&r->server_id, v, len);
		break;
	}
}

/* Walks one options area; -EINVAL when an option runs past its end. */
static int options(struct parse *ps, const uint8_t *p, const uint8_t *end)
{
	size_t len;

	while (p < end && *p != OPT_END) {
		if (*p == OPT_PAD) {
			p++;
			continue;
		}
		if (end - p < 2 || (size_t)(end - p - 2) < p[1])
			return -EINVAL;
		len = p[1];
		option(ps, p[0], p + 2, len);
		p += 2 + len;
	}
	return 0;
}

int dhcp_parse(const uint8_t *buf, size_t n, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *r)
{
	struct parse ps = { .r = r };
	int i;

	memset(r, 0, sizeof(*r));
	ps.text[0] = (struct text){ r->hostname, sizeof(r->hostname), 0, false };
	ps.text[1] = (struct text){ r->domain, sizeof(r->domain), 0, false };
	ps.text[2] = (struct text){ r->rootpath, sizeof(r->rootpath), 0, false };
	if (n < OFF_OPTIONS || buf[0] != 2 || buf[1] != 1 || buf[2] != 6 ||
	    get32(buf + OFF_XID) != xid || memcmp(buf + OFF_CHADDR, mac, 6) ||
	    memcmp(buf + OFF_COOKIE, cookie, 4))
		return -EINVAL;
	memcpy(&r->yiaddr, buf + OFF_YIADDR, 4);
	memcpy(&r->siaddr, buf + OFF_SIADDR, 4);
	if (options(&ps, buf + OFF_OPTIONS, buf + n))
		return -EINVAL;
	/* Option 52: more options in file, then in sname (RFC 2131 4.1). */
	if ((ps.overload & 1) && options(&ps, buf + OFF_FILE, buf + OFF_COOKIE))
		return -EINVAL;
	if ((ps.overload & 2) && options(&ps, buf + OFF_SNAME, buf + OFF_FILE))
		return -EINVAL;
	for (i = 0; i < 3; i++)
		if (ps.text[i].bad || !ipconf_text_ok(ps.text[i].s))
			ps.text[i].s[0] = '\0';
	return 0;
}

/* ---- the exchange ---- */

static const char *const type_name[] = {
	"", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
};

static int open_socket(const char *iface)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(DHCP_CLIENT_PORT) };
	int fd, on = 1, e;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		e = -errno;
		err("DHCP on %s: cannot open a UDP socket: %s", iface, errtext(e));
		return e;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		e = -errno;
		err("DHCP on %s: cannot bind a socket to the interface and port 68: %s", iface,
		    errtext(e));
		close(fd);
		return e;
	}
	return fd;
}

static int send_packet(int fd, const char *iface, const struct dhcp_request *req)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT),
		.sin_addr.s_addr = INADDR_BROADCAST,
	};
	uint8_t buf[DHCP_PACKET_MIN];
	long n = dhcp_build(req, buf, sizeof(buf));
	ssize_t sent;

	do
		sent = sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to));
	while (sent < 0 && errno == EINTR);
	if (sent == n)
		return 0;
	/* Said at debug: a send lost is a try without an answer, retried. */
	debug("DHCP on %s: sending a %s failed: %s", iface, type_name[req->type],
	      errtext(sent < 0 ? errno : EIO));
	return sent < 0 ? -errno : -EIO;
}

/* The next reply to xid within ms (-1: none), of one of the types in want (bits). */
static int receive(int fd, const struct dhcp_request *req, long ms, unsigned want,
		   struct dhcp_reply *r)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[DHCP_PACKET_MAX + 64];
	long end = log_ms() + ms;
	ssize_t n;
	int p;

	while (ms > 0) {
		p = poll(&pfd, 1, (int)ms);
		if (p < 0 && errno != EINTR)
			return -errno;
		while (p > 0 && (n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
			if (!dhcp_parse(buf, (size_t)n, req->xid, req->mac, r) && r->type < 7 &&
			    (want & (1u << r->type)) && (r->yiaddr || r->type == DHCPNAK))
				return 0;	/* an OFFER or ACK of no address is none */
		ms = end - log_ms();
	}
	return -ETIMEDOUT;
}

static uint32_t new_xid(const uint8_t mac[6])
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) == (ssize_t)sizeof(x))
		return x;
	/* No entropy yet: the clock and the address keep two clients apart. */
	return (uint32_t)log_ms() * 2654435761u ^ get32(mac + 2);
}

#define FIRST_WAIT_MS 2000L	/* as the kernel's ipconfig: 2 s, then doubled */
#define MAX_WAIT_MS 16000L
#define ACK_WAIT_MS 4000L
#define NOTE_MS 10000L

int dhcp_exchange(const char *iface, const uint8_t mac[6], long bound_ms, struct dhcp_reply *r)
{
	struct dhcp_request req = { .type = DHCPDISCOVER };
	struct dhcp_reply offer = { .type = 0 };
	long start = log_ms(), wait = FIRST_WAIT_MS, left, now, note = NOTE_MS;
	int fd, e = -ETIMEDOUT, discovers = 0, naks = 0;
	char a[16], b[16];

	fd = open_socket(iface);
	if (fd < 0)
		return fd;
	memcpy(req.mac, mac, 6);
	req.xid = new_xid(mac);
	for (;;) {
		now = log_ms() - start;
		left = bound_ms < 0 ? wait : bound_ms - now;
		if (left <= 0)
			break;
		if (now >= note) {
			notice("DHCP on %s: no answer yet after %ld s (%d DISCOVERs)", iface,
			       now / 1000, discovers);
			note += NOTE_MS;
		}
		req.secs = (uint16_t)(now / 1000 > 0xffff ? 0xffff : now / 1000);
		req.type = DHCPDISCOVER;
		req.requested = req.server_id = 0;
		send_packet(fd, iface, &req);
		discovers++;
		e = receive(fd, &req, wait < left ? wait : left, 1u << DHCPOFFER, &offer);
		if (e == -ETIMEDOUT) {
			wait = wait * 2 > MAX_WAIT_MS ? MAX_WAIT_MS : wait * 2;
			continue;
		}
		if (e)
			break;
		/* The first offer is taken; REQUEST it from its server, as broadcast. */
		info("DHCP on %s: %s offered by %s", iface, ipv4_format(offer.yiaddr, a),
		     ipv4_format(offer.server_id ? offer.server_id : offer.siaddr, b));
		req.type = DHCPREQUEST;
		req.requested = offer.yiaddr;
		req.server_id = offer.server_id;
		send_packet(fd, iface, &req);
		left = bound_ms < 0 ? ACK_WAIT_MS : bound_ms - (log_ms() - start);
		e = receive(fd, &req, left < ACK_WAIT_MS ? left : ACK_WAIT_MS,
			    1u << DHCPACK | 1u << DHCPNAK, r);
		if (!e && r->type == DHCPACK) {
			close(fd);
			if (!r->server_id)
				r->server_id = offer.server_id;
			return 0;
		}
		if (!e) {
			naks++;
			warn("DHCP on %s: server %s refused (NAK) the address %s it offered: asking again",
			     iface, ipv4_format(offer.server_id ? offer.server_id : offer.siaddr, a),
			     ipv4_format(offer.yiaddr, b));
			/* Back off before the next DISCOVER: a server that always refuses is not flooded. */
			left = bound_ms < 0 ? FIRST_WAIT_MS : bound_ms - (log_ms() - start);
			receive(fd, &req, left < FIRST_WAIT_MS ? left : FIRST_WAIT_MS, 0, r);
		}
		req.xid = new_xid(mac);
		wait = FIRST_WAIT_MS;
	}
	close(fd);
	now = (log_ms() - start + 500) / 1000;
	if (e != -ETIMEDOUT)
		err("DHCP on %s: waiting for an answer failed after %ld s: %s", iface, now, errtext(e));
	else if (naks)
		err("DHCP on %s: no address within %ld s: %d DISCOVERs sent, %d offers refused (NAK) at REQUEST",
		    iface, now, discovers, naks);
	else
		err("DHCP on %s: no answer within %ld s (%d DISCOVERs sent)", iface, now, discovers);
	err("hint: check that a DHCP server serves this network, give a longer rootwait=, "
	    "or a static ip=CLIENT::GW:NETMASK::%s:off", iface);
	return e;
}
