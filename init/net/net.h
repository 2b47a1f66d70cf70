/*
 * Network roots (NET=1; otherwise net_none.c refuses them by name): the
 * link brought up as ip= says (or found configured by the kernel), the
 * configuration left in place for the real system and written to
 * NET_RUN_FILE, and the NFS root mounted.
 */
#ifndef HANDOFF_NET_H
#define HANDOFF_NET_H

#include <stdbool.h>

struct boot_plan;

/* What the real init reads: the fields of the kernel's /proc/net/pnp, and the interface. */
#define NET_RUN_FILE "/run/handoff/net"

/* What was configured, kept in the plan for the NFS mount and the record. */
struct net_state {
	bool up;		/* configured, by the init or by the kernel */
	char iface[16];		/* IFNAMSIZ */
};

/*
 * From the parameters (pure, called by plan_resolve()): an NFS root or
 * rd.neednet without NET=1, or an ip=/nfsroot= that cannot be used, is the
 * plan's root_error with its reason.
 */
void net_plan(struct boot_plan *plan);

/*
 * When the root is on NFS or rd.neednet asks: the network up as ip= says,
 * within the root's wait. Returns 0 at once when nothing needs it, or
 * -errno once the failure is said (the step, the interface, what to do).
 */
int bring_up_network(struct boot_plan *plan);

/* The NFS root (root=/dev/nfs with nfsroot= or DHCP's root path, root=nfs:..., nfs4:...) on dir. */
int mount_nfs_root(struct boot_plan *plan, const char *dir, bool read_only);

#endif
