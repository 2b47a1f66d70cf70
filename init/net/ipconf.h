/*
 * ip= (and nfsaddrs=): the kernel's forms (Documentation/admin-guide/nfs/
 * nfsroot.rst) and dracut's DEV:METHOD, parsed into what the network stage
 * does (pure). Also /proc/net/pnp, what a kernel with IP_PNP configured, and
 * the record the init leaves for the real system (docs/net.md).
 */
#ifndef HANDOFF_IPCONF_H
#define HANDOFF_IPCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Addresses are kept in network byte order; 0 is "not given". */
enum ip_method {
	IP_DHCP,	/* no ip=, dhcp, bootp, rarp, on, any, an empty CLIENT */
	IP_STATIC,	/* CLIENT given (AUTOCONF empty, off or none) */
	IP_OFF,		/* off, none, or ip= empty */
};

#define IPCONF_DNS_MAX 3
#define IPCONF_HOST_MAX 64	/* the kernel's __NEW_UTS_LEN */

struct ipconf {
	enum ip_method method;
	uint32_t client, server, gateway, netmask;
	uint32_t dns[IPCONF_DNS_MAX];	/* DNS0, DNS1 (the third from DHCP only) */
	uint32_t ntp;			/* NTP0: kept for the record, not used */
	char host[IPCONF_HOST_MAX + 1];
	char dev[16];			/* IFNAMSIZ; "" for the first with a link */
};

/*
 * Parses an ip= value (NULL: none given, DHCP). Returns 0, or -EINVAL
 * with a reason naming the field in why (size bytes).
 */
int ipconf_parse(const char *s, struct ipconf *c, char *why, size_t size);

/*
 * Text that goes into messages, sethostname() and the record's quoted
 * values: printable ASCII without the quote.
 */
bool ipconf_text_ok(const char *s);

/* Dotted quad, strictly (four numbers 0-255): 0 or -EINVAL. */
int ipv4_parse(const char *s, uint32_t *addr);
/* Formats addr (network order) into buf (16 bytes), returns buf. */
char *ipv4_format(uint32_t addr, char *buf);
/* A netmask's prefix length, or -1 when its ones are not contiguous. */
int ipv4_prefix(uint32_t mask);
/* The mask of a prefix length (0-32), network order. */
uint32_t ipv4_mask(int prefix);
/* The kernel's default when ip= gives no NETMASK: the address's class (0: class D or E). */
uint32_t ipv4_class_mask(uint32_t addr);

/* What the network stage configured: the plan's record of it (net.h). */
struct net_config {
	char how[8];		/* "dhcp", "static", "kernel" */
	char proto[8];		/* /proc/net/pnp's: "DHCP", "BOOTP", "RARP", "MANUAL" */
	char iface[16];
	uint32_t addr, netmask, gateway;
	uint32_t server;	/* DHCP's server id (or siaddr), ip='s SERVER, pnp's bootserver */
	uint32_t dns[IPCONF_DNS_MAX];
	uint32_t lease_s;	/* DHCP's lease time, 0 when none */
	char hostname[IPCONF_HOST_MAX + 1];
	char domain[IPCONF_HOST_MAX + 1];
	char rootpath[256];	/* DHCP option 17 */
};

/*
 * Reads the kernel's /proc/net/pnp text (n bytes) into c: proto, domain,
 * nameservers and bootserver; lines it does not know are skipped.
 */
void pnp_parse(const char *text, size_t n, struct net_config *c);

/*
 * Writes the record of c (NET_RUN_FILE's format, docs/net.md) into buf;
 * returns its length, or -E2BIG when size is too small.
 */
long net_record(const struct net_config *c, char *buf, size_t size);

#endif
