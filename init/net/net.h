/*
 * Network roots (NET=1; otherwise net_none.c refuses them by name): the
 * link brought up as ip= says (or found configured by the kernel), the
 * configuration left in place for the real system and written to
 * NET_RUN_FILE, and the NFS root mounted.
 */
#ifndef HANDOFF_NET_H
#define HANDOFF_NET_H

#include "net/ipconf.h"

#include <stdbool.h>

struct boot_plan;

/* What the real init reads: the fields of the kernel's /proc/net/pnp, and the interface. */
#define NET_RUN_FILE "/run/handoff/net"

/*
 * What ip= asks (net_plan()) and what was configured (bring_up_network()),
 * kept in the plan for the NFS mount and the record. cfg.server is the
 * root server when nfsroot= names none: DHCP's server id (else siaddr),
 * ip='s SERVER, or the kernel's bootserver; cfg.rootpath is DHCP's option
 * 17 ("" from the kernel: /proc/net/pnp does not show it).
 */
struct net_state {
	struct ipconf want;	/* ip= parsed */
	char why[160];		/* net_plan()'s refusal: plan->root_why points here */
	bool up;		/* configured, by the init or by the kernel */
	int ifindex;
	struct net_config cfg;	/* cfg.how: "dhcp", "static" or "kernel" */
	int loader;		/* the NFS client's loader (nfs.c): its PID, 0: none */
	int loader_vers;	/* the NFS version it loads for */
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

/*
 * Whether the interface the network will use is there (ip='s DEVICE, or
 * any but lo): coldplug stops at it for an NFS root (modules.c). A look,
 * not a wait.
 */
bool net_interface_present(const struct boot_plan *plan);

/*
 * For an NFS root: the NFS client's modules loaded by a child process
 * while the network comes up (nfs.c); mount_nfs_root() waits for it.
 */
void nfs_client_load_start(struct boot_plan *plan);
/* Waits for that child, if one runs (a failed network stage reaps it). */
void nfs_client_load_wait(struct boot_plan *plan);
/* The NFS root (root=/dev/nfs with nfsroot= or DHCP's root path, root=nfs:..., nfs4:...) on dir. */
int mount_nfs_root(struct boot_plan *plan, const char *dir, bool read_only);

#endif
