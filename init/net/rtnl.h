/*
 * rtnetlink (man 7 rtnetlink) for the network stage: links listed and
 * brought up, an IPv4 address and a default route added, and what the
 * kernel configured read back. musl has no <linux/rtnetlink.h>: rtnl.c
 * carries the ABI it uses.
 */
#ifndef HANDOFF_RTNL_H
#define HANDOFF_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTNL_GROUP_LINK 1
/* IFF_LOWER_UP (the carrier): in musl's <net/if.h>, not in glibc's. */
#define RTNL_LOWER_UP 0x10000	/* RTMGRP_LINK: RTM_NEWLINK on every change of a link */

struct rtnl_link {
	int index;
	unsigned flags;		/* IFF_*: IFF_UP, IFF_LOWER_UP (the carrier), IFF_LOOPBACK */
	unsigned type;		/* ARPHRD_* */
	char name[16];
	uint8_t mac[6];
};

struct rtnl_addr {
	int index;
	uint32_t addr;		/* network order */
	int prefix;
};

/* A NETLINK_ROUTE socket (nonblocking), in groups (0: requests only): fd or -errno. */
int rtnl_open(unsigned groups);

/* Every link, up to max; returns how many, or -errno. */
int rtnl_links(int fd, struct rtnl_link *out, int max);
/* Every IPv4 address, up to max; returns how many, or -errno. */
int rtnl_addrs(int fd, struct rtnl_addr *out, int max);
/* The gateway of the main table's default route through ifindex (0: none), or -errno. */
int rtnl_default_gateway(int fd, int ifindex, uint32_t *gw);

/* IFF_UP set or cleared on a link: 0 or -errno. */
int rtnl_link_up(int fd, int ifindex, bool up);
/* addr/prefix on the link (replacing the same one): 0 or -errno. */
int rtnl_addr_add(int fd, int ifindex, uint32_t addr, int prefix);
/* The default route via gw through the link (on-link when gw is outside addr/prefix). */
int rtnl_route_add(int fd, int ifindex, uint32_t gw, bool onlink);

/* Empties an event socket; returns true when anything came (or was lost). */
bool rtnl_drain(int fd);

#endif
