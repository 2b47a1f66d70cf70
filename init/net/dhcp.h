/*
 * DHCP (RFC 2131, options RFC 2132): the client's DISCOVER and REQUEST
 * built, the server's OFFER, ACK and NAK read (pure); dhcp_exchange() runs
 * them on an interface (net/dhcp.c).
 */
#ifndef HANDOFF_DHCP_H
#define HANDOFF_DHCP_H

#include "net/ipconf.h"

#include <stddef.h>
#include <stdint.h>

enum dhcp_type {
	DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPDECLINE = 4,
	DHCPACK = 5, DHCPNAK = 6,
};

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
/* What a client must accept (576 - IP and UDP headers); BOOTP's minimum sent is 300. */
#define DHCP_PACKET_MAX 576
#define DHCP_PACKET_MIN 300

/* What the client asks for. */
struct dhcp_request {
	enum dhcp_type type;		/* DHCPDISCOVER or DHCPREQUEST */
	uint32_t xid;
	uint16_t secs;			/* seconds since the exchange began */
	uint8_t mac[6];
	uint32_t requested;		/* option 50 (REQUEST), network order; 0: none */
	uint32_t server_id;		/* option 54 (REQUEST after an OFFER) */
};

/* A server's answer: what the client keeps from it. */
struct dhcp_reply {
	enum dhcp_type type;		/* OFFER, ACK or NAK (option 53); 0 for BOOTP */
	uint32_t yiaddr, siaddr;
	uint32_t server_id;		/* option 54 */
	uint32_t netmask, router;	/* options 1, 3 (the first router) */
	uint32_t dns[IPCONF_DNS_MAX];	/* option 6 */
	uint32_t lease_s;		/* option 51 */
	char hostname[IPCONF_HOST_MAX + 1];	/* option 12 */
	char domain[IPCONF_HOST_MAX + 1];	/* option 15 */
	char rootpath[256];		/* option 17 */
};

/* The packet req asks for, into buf (at least DHCP_PACKET_MIN bytes); returns its length or -E2BIG. */
long dhcp_build(const struct dhcp_request *req, uint8_t *buf, size_t size);

/*
 * Reads a packet (n bytes, the UDP payload): 0 when it is a reply to xid
 * for mac (BOOTREPLY, the magic cookie, options within bounds, option
 * overload into file and sname honoured), -EINVAL otherwise. Options
 * with text that is not printable, or too long for its field, are left out.
 */
int dhcp_parse(const uint8_t *buf, size_t n, uint32_t xid, const uint8_t mac[6],
	       struct dhcp_reply *r);

struct boot_plan;

/*
 * DISCOVER, OFFER, REQUEST, ACK on the interface (up, with a link),
 * resent with backoff within bound_ms (-1: forever); the answer in *r.
 * Returns 0, or -ETIMEDOUT once said (how long, how many DISCOVERs, the
 * NAKs), or -errno of a socket that cannot be had, said.
 */
int dhcp_exchange(const char *iface, const uint8_t mac[6], long bound_ms, struct dhcp_reply *r);

#endif
