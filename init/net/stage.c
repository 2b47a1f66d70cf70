/*
 * The network stage (NET=1): for an NFS root or rd.neednet, the interface
 * ip= names (or the first that gets a link) brought up with rtnetlink and
 * configured as ip= says, statically or by DHCP; or what a kernel with
 * IP_PNP already configured taken as it is. The configuration stays in
 * place for the real system and is written to NET_RUN_FILE (docs/net.md).
 */
#include "base/log.h"
#include "base/util.h"
#include "find/devices.h"
#include "net/dhcp.h"
#include "net/net.h"
#include "net/nfsroot.h"
#include "net/rtnl.h"
#include "plan/plan.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define LINKS_MAX 32
#define ARPHRD_LOOPBACK 772
#define NOTE_MS 10000

static bool network_needed(const struct boot_plan *plan)
{
	return plan->root.kind == ROOT_NFS || plan->params.neednet;
}

void net_plan(struct boot_plan *plan)
{
	struct net_state *n = &plan->net;

	memset(n, 0, sizeof(*n));
	if (plan->root_error || !network_needed(plan))
		return;
	if (ipconf_parse(plan->params.ip, &n->want, n->why, sizeof(n->why))) {
		plan->root_error = -EINVAL;
		plan->root_why = n->why;
	} else if (n->want.method == IP_OFF) {
		plan->root_error = -EINVAL;
		plan->root_why = plan->root.kind == ROOT_NFS ?
			"ip=off leaves the network unconfigured, and the root is on NFS: use ip=dhcp or a static ip=" :
			"ip=off leaves the network unconfigured, and rd.neednet asks for it: drop one of them";
	} else if (plan->root.kind == ROOT_NFS &&
		   nfsroot_check(&plan->params, &plan->root, n->why, sizeof(n->why))) {
		plan->root_error = -EINVAL;	/* said before any wait: a bad nfsroot= or nfs: form */
		plan->root_why = n->why;
	}
}

/* ip='s DEVICE, or any interface but lo when it names none (nonzero ends the walk). */
static int is_interface(int dir, const char *name, unsigned char type, void *ctx)
{
	const char *want = ctx;

	(void)dir;
	(void)type;
	return want[0] ? !strcmp(name, want) : strcmp(name, "lo") != 0;
}

bool net_interface_present(const struct boot_plan *plan)
{
	int fd = open("/sys/class/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return false;
	r = for_each_dirent(fd, is_interface, (void *)plan->net.want.dev);
	close(fd);
	return r > 0;
}

/* ---- what the kernel configured (IP_PNP and ip=) ---- */

static int link_name(int fd, int index, char *name)
{
	struct rtnl_link l[LINKS_MAX];
	int i, n = rtnl_links(fd, l, LINKS_MAX);

	for (i = 0; i < n; i++) {
		if (l[i].index == index) {
			str_copy(name, l[i].name, 16);
			return 0;
		}
	}
	return n < 0 ? n : -ENODEV;
}

/*
 * The kernel ran its ipconfig when /proc/net/pnp exists (IP_PNP) and an
 * interface other than lo (ip='s DEVICE, when named) has an IPv4 address.
 */
static bool kernel_configured(struct net_state *n, int fd)
{
	struct net_config *c = &n->cfg;
	struct rtnl_addr a[LINKS_MAX];
	struct utsname u;
	char pnp[1024], name[16];
	long len = read_text("/proc/net/pnp", pnp, sizeof(pnp));
	int i, count;

	if (len < 0)
		return false;
	count = rtnl_addrs(fd, a, LINKS_MAX);
	for (i = 0; i < count; i++) {
		if ((((const uint8_t *)&a[i].addr)[0]) == 127 || link_name(fd, a[i].index, name))
			continue;
		if (!n->want.dev[0] || !strcmp(name, n->want.dev))
			break;
	}
	if (i >= count)
		return false;
	pnp_parse(pnp, (size_t)len, c);
	str_copy(c->how, "kernel", sizeof(c->how));
	str_copy(c->iface, name, sizeof(c->iface));
	n->ifindex = a[i].index;
	c->addr = a[i].addr;
	c->netmask = ipv4_mask(a[i].prefix);
	if (rtnl_default_gateway(fd, n->ifindex, &c->gateway))
		c->gateway = 0;
	if (!uname(&u) && strcmp(u.nodename, "(none)") && ipconf_text_ok(u.nodename))
		str_copy(c->hostname, u.nodename, sizeof(c->hostname));
	return true;
}

/* ---- the interface: the one ip= names, or the first with a link ---- */

/* As the kernel's ipconfig chooses: not loopback, broadcast or point-to-point, no dummy. */
static bool candidate(const struct rtnl_link *l, const char *want)
{
	if (want[0])
		return !strcmp(l->name, want);
	return !(l->flags & IFF_LOOPBACK) && l->type != ARPHRD_LOOPBACK &&
	       (l->flags & (IFF_BROADCAST | IFF_POINTOPOINT)) && !str_starts(l->name, "dummy");
}

static int list_name(int dirfd, const char *name, unsigned char type, void *ctx)
{
	(void)dirfd;
	(void)type;
	str_append(ctx, " ", 256);
	str_append(ctx, name, 256);
	return 0;
}

/* What /sys/class/net has, for a user choosing ip='s DEVICE. */
static void list_interfaces(void)
{
	char names[256] = "";
	int dir = open("/sys/class/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir >= 0) {
		for_each_dirent(dir, list_name, names);
		close(dir);
	}
	err("network interfaces in /sys/class/net:%s", names[0] ? names : " none");
}

struct choice {
	int raised[LINKS_MAX];	/* links this stage brought up, to put down again unless chosen */
	int nraised;
	int seen;		/* candidates present */
	char names[128];	/* their names, for the message */
};

/* Brings every candidate up; returns the index in l[] of one with a carrier, or -1. */
static int look(int fd, const char *want, struct rtnl_link *l, int n, struct choice *ch)
{
	int i, j, e;

	ch->seen = 0;
	ch->names[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!candidate(&l[i], want))
			continue;
		ch->seen++;
		str_append(ch->names, ch->seen > 1 ? ", " : "", sizeof(ch->names));
		str_append(ch->names, l[i].name, sizeof(ch->names));
		if ((l[i].flags & IFF_UP) && (l[i].flags & RTNL_LOWER_UP))
			return i;
		if (l[i].flags & IFF_UP)
			continue;
		for (j = 0; j < ch->nraised && ch->raised[j] != l[i].index; j++)
			;
		if (j < ch->nraised)
			continue;	/* asked already: its flags follow */
		e = rtnl_link_up(fd, l[i].index, true);
		if (e) {
			warn("network: cannot bring %s up: %s", l[i].name, errtext(e));
		} else if (ch->nraised < LINKS_MAX) {
			ch->raised[ch->nraised++] = l[i].index;
			info("network: %s is up, waiting for its link", l[i].name);
		}
	}
	return -1;
}

/* Waits for events on the link socket and the uevents (a NIC's driver may still load). */
static void wait_events(struct boot_plan *plan, int evfd, long ms)
{
	struct pollfd pfd[2] = {
		{ .fd = evfd, .events = POLLIN }, { .fd = plan->events.fd, .events = POLLIN },
	};

	if (poll(pfd, plan->events.fd >= 0 ? 2 : 1, (int)ms) > 0) {
		rtnl_drain(evfd);
		if (plan->events.fd >= 0 && (pfd[1].revents & POLLIN))
			uevents_drain(&plan->events);
	}
}

static int choose_link(struct boot_plan *plan, int fd, struct rtnl_link *out)
{
	const char *want = plan->net.want.dev;
	long start = log_ms(), bound = wait_bound_ms(plan->params.wait, plan->params.wait_s);
	long now, step, note = NOTE_MS;
	struct rtnl_link l[LINKS_MAX];
	struct choice ch = { .nraised = 0 };
	int evfd, n, i, e = 0;

	evfd = rtnl_open(RTNL_GROUP_LINK);	/* before the first look: no change is missed */
	if (evfd < 0) {
		err("network: cannot open a rtnetlink socket: %s", errtext(evfd));
		return evfd;
	}
	for (;;) {
		n = rtnl_links(fd, l, LINKS_MAX);
		if (n < 0) {
			e = n;
			err("network: cannot list the network interfaces (rtnetlink): %s", errtext(e));
			break;
		}
		i = look(fd, want, l, n, &ch);
		if (i >= 0) {
			*out = l[i];
			break;
		}
		now = log_ms() - start;
		if (bound >= 0 && now >= bound) {
			e = -ETIMEDOUT;
			break;
		}
		if (now >= note) {
			notice("network: waiting for %s%s (%ld s)", ch.seen ? "a link on " : "an interface",
			       ch.seen ? ch.names : want[0] ? want : "", now / 1000);
			note += NOTE_MS;
		}
		step = note - now;
		if (bound >= 0 && bound - now < step)
			step = bound - now;
		wait_events(plan, evfd, step);
	}
	close(evfd);
	/* The others go down again, as the kernel's ipconfig closes them. */
	for (i = 0; i < ch.nraised; i++)
		if (e || ch.raised[i] != out->index)
			rtnl_link_up(fd, ch.raised[i], false);
	if (e != -ETIMEDOUT)
		return e;
	now = (log_ms() - start + 500) / 1000;
	if (ch.seen) {
		err("network: no link (carrier) on %s within %ld s", ch.names, now);
		err("hint: check the cable or the switch port, or name another interface in ip=...:DEVICE:...; rootwait= waits longer");
	} else {
		err("network: %s%s%s appeared within %ld s", want[0] ? "interface " : "no network interface",
		    want, want[0] ? " (ip='s DEVICE) never" : "", now);
		list_interfaces();
		err("hint: the NIC's driver may be missing from the image (make initramfs KVER=... MODULES=+DRIVER), or %s",
		    want[0] ? "ip= names another interface" : "the machine has no NIC");
	}
	return e;
}

/* ---- configuring it ---- */

/* ip='s fields over DHCP's answer, as the kernel keeps what was given. */
static void take_dhcp(struct net_state *n, const struct dhcp_reply *r)
{
	const struct ipconf *w = &n->want;
	struct net_config *c = &n->cfg;
	int i;

	char x[4][16];

	debug("DHCP on %s: ACK: %s mask %s router %s server %s lease %u s root path '%s'", c->iface,
	      ipv4_format(r->yiaddr, x[0]), ipv4_format(r->netmask, x[1]), ipv4_format(r->router, x[2]),
	      ipv4_format(r->server_id, x[3]), (unsigned)r->lease_s, r->rootpath);
	str_copy(c->how, "dhcp", sizeof(c->how));
	str_copy(c->proto, "DHCP", sizeof(c->proto));
	c->addr = r->yiaddr;
	c->netmask = w->netmask ? w->netmask : r->netmask ? r->netmask : ipv4_class_mask(r->yiaddr);
	if (ipv4_prefix(c->netmask) < 0)
		c->netmask = ipv4_class_mask(r->yiaddr);	/* a server's bad mask */
	c->gateway = w->gateway ? w->gateway : r->router;
	c->server = w->server ? w->server : r->server_id ? r->server_id : r->siaddr;
	for (i = 0; i < IPCONF_DNS_MAX; i++)
		c->dns[i] = w->dns[i] ? w->dns[i] : r->dns[i];
	c->lease_s = r->lease_s;
	str_copy(c->hostname, w->host[0] ? w->host : r->hostname, sizeof(c->hostname));
	str_copy(c->domain, r->domain, sizeof(c->domain));
	str_copy(c->rootpath, r->rootpath, sizeof(c->rootpath));
}

static void take_static(struct net_state *n)
{
	const struct ipconf *w = &n->want;
	struct net_config *c = &n->cfg;

	str_copy(c->how, "static", sizeof(c->how));
	str_copy(c->proto, "MANUAL", sizeof(c->proto));
	c->addr = w->client;
	c->netmask = w->netmask;
	c->gateway = w->gateway;
	c->server = w->server;
	memcpy(c->dns, w->dns, sizeof(c->dns));
	str_copy(c->hostname, w->host, sizeof(c->hostname));
}

/* The address, the default route and the host name on the link. */
static int apply(struct net_state *n, int fd)
{
	struct net_config *c = &n->cfg;
	int prefix = ipv4_prefix(c->netmask), e;
	char a[16], g[16];

	e = rtnl_addr_add(fd, n->ifindex, c->addr, prefix);
	if (e) {
		err("network: cannot give %s the address %s/%d: %s", c->iface, ipv4_format(c->addr, a),
		    prefix, errtext(e));
		return e;
	}
	if (c->gateway) {
		e = rtnl_route_add(fd, n->ifindex, c->gateway, (c->gateway ^ c->addr) & c->netmask);
		if (e) {
			err("network: cannot add the default route via %s on %s: %s",
			    ipv4_format(c->gateway, g), c->iface, errtext(e));
			return e;
		}
	}
	if (c->hostname[0] && sethostname(c->hostname, strlen(c->hostname)))
		warn("network: cannot set the host name %s: %s", c->hostname, errtext(errno));
	return 0;
}

/* NET_RUN_FILE for the real system (docs/net.md); a failure is said, not fatal. */
static void write_record(const struct net_config *c)
{
	char buf[1536];	/* the longest record is about 900 bytes */
	long len = net_record(c, buf, sizeof(buf));
	int fd, e = 0;

	if (len < 0) {
		warn("network: the record of %s does not fit %zu bytes: %s not written", c->iface,
		     sizeof(buf), NET_RUN_FILE);
		return;
	}
	if (mkdir(RUN_DIR, 0755) && errno != EEXIST)
		e = -errno;
	fd = e ? -1 : open(NET_RUN_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && !e)
		e = -errno;
	if (fd >= 0 && write_all(fd, buf, (size_t)len))
		e = -errno;
	if (fd >= 0 && close(fd) && !e)
		e = -errno;
	if (e)
		warn("network: cannot write %s: %s", NET_RUN_FILE, errtext(e));
}

static int configure(struct boot_plan *plan, int fd)
{
	struct net_state *n = &plan->net;
	struct net_config *c = &n->cfg;
	struct rtnl_link link;
	struct dhcp_reply r;
	int e;

	e = choose_link(plan, fd, &link);
	if (e)
		return e;
	n->ifindex = link.index;
	str_copy(c->iface, link.name, sizeof(c->iface));
	if (n->want.method == IP_STATIC) {
		take_static(n);
	} else {
		e = dhcp_exchange(link.name, link.mac, wait_bound_ms(plan->params.wait,
								     plan->params.wait_s), &r);
		if (e)
			return e;
		take_dhcp(n, &r);
	}
	return apply(n, fd);
}

int bring_up_network(struct boot_plan *plan)
{
	struct net_state *n = &plan->net;
	struct net_config *c = &n->cfg;
	char a[16], g[16];
	int fd, e;

	if (!network_needed(plan))
		return 0;
	n->up = false;
	memset(c, 0, sizeof(*c));
	nfs_client_load_start(plan);	/* while the link and DHCP are waited for */
	fd = rtnl_open(0);
	if (fd < 0) {
		err("network: cannot open a rtnetlink socket: %s", errtext(fd));
		nfs_client_load_wait(plan);
		return fd;
	}
	e = kernel_configured(n, fd) ? 0 : configure(plan, fd);
	close(fd);
	if (e) {
		nfs_client_load_wait(plan);
		return e;
	}
	n->up = true;
	info("network: %s is %s/%d%s%s (%s)", c->iface, ipv4_format(c->addr, a), ipv4_prefix(c->netmask),
	     c->gateway ? " via " : "", c->gateway ? ipv4_format(c->gateway, g) : "", c->how);
	write_record(c);
	return 0;
}
