/*
 * What an NFS root's parameters say (pure: no I/O, no messages), in the
 * kernel's grammar (root=/dev/nfs nfsroot=[SERVER:]PATH[,OPTIONS], DHCP's
 * root path option 17 in the same form, "%s" for the client) and dracut's
 * (root=nfs:[SERVER:]PATH[:OPTIONS], root=nfs4:...), and the mount(2) that
 * results once the network has said who we are and who serves us.
 */
#ifndef HANDOFF_NFSROOT_H
#define HANDOFF_NFSROOT_H

#include "net/ipconf.h"
#include "plan/cmdline.h"
#include "plan/rootspec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFS_PATH_MAX 256
#define NFS_OPTS_MAX 512
#define NFS_DATA_MAX 768
/* The kernel's default path: "%s" is the client (nfsroot.rst). */
#define NFS_DEFAULT_PATH "/tftpboot/%s"
#define NFS_PORT 2049
#define RPCBIND_PORT 111
#define IPV4_TEXT 16

/* What the command line says (checked at plan time, used at mount time). */
struct nfs_spec {
	const char *param;	/* "nfsroot" or "root": what named it, for messages */
	bool dracut;		/* root=nfs:... or nfs4:... */
	int vers;		/* 4 for nfs4:, else 0 (the options or 3) */
	uint32_t server;	/* network byte order; 0: from ip= or DHCP */
	char path[NFS_PATH_MAX];	/* "": DHCP's root path, else NFS_DEFAULT_PATH */
	char options[NFS_OPTS_MAX];	/* as written, comma-separated */
};

/* What the network stage learnt (net_state's fields). */
struct nfs_net {
	uint32_t addr, server;	/* network byte order, 0: unknown */
	const char *hostname;	/* "": none */
	const char *root_path;	/* DHCP option 17, "": none */
};

/* One mount(2), and what the reachability check before it needs. */
struct nfs_mount {
	char fstype[8];			/* "nfs" or "nfs4" */
	char source[16 + NFS_PATH_MAX];	/* "10.0.2.100:/srv/root" */
	const char *path;		/* the export, in source */
	uint32_t server;
	int vers;			/* 2, 3 or 4 */
	bool udp;			/* proto=udp: the check is left to the kernel */
	unsigned int port, mountport;	/* from the options; 0: not given */
	unsigned long flags;		/* MS_RDONLY and the VFS words */
	char data[NFS_DATA_MAX];	/* the kernel's text options */
};

/*
 * root= (already parsed as ROOT_NFS) with nfsroot=: the server, the path
 * and the options. Returns 0, or -EINVAL with *why set.
 */
int nfsroot_parse(const struct boot_params *p, const struct root_spec *r, struct nfs_spec *s,
		  const char **why);

/* [SERVER:]PATH[,OPTIONS] (the kernel's), or dracut's [SERVER:]PATH[:OPTIONS]: 0 or -EINVAL. */
int nfsroot_parse_path(const char *v, bool dracut, struct nfs_spec *s, const char **why);

/*
 * The plan-time check (net_plan()): 0, or -EINVAL with the reason in why
 * (size bytes), naming nfsroot= when it is the culprit (plan_has_root()
 * says "root=VALUE: " before it).
 */
int nfsroot_check(const struct boot_params *p, const struct root_spec *r, char *why, size_t size);

/*
 * The NFS version the command line asks (rootflags=, the options, nfs4:,
 * else 3), for loading the client before DHCP answers; DHCP's root path
 * may change it.
 */
int nfsroot_line_vers(const struct boot_params *p, const struct root_spec *r);
/*
 * The mount from the spec and the network: the server and path from the
 * command line, else DHCP's root path (dhcp, parsed; NULL: none), else the network's server and the
 * default path; options after the defaults (vers=, proto=tcp), then
 * rootflags=, then nolock (NFSv2/3 unless lock or nolock was given) and
 * addr=. Read-only as read_only says unless the options say rw and
 * may_write (not a layer's lower). Returns 0, or -EINVAL/-E2BIG with *why.
 */
int nfsroot_mount(const struct nfs_spec *s, const struct nfs_spec *dhcp, const struct nfs_net *n,
		  const char *rootflags, bool read_only, bool may_write, struct nfs_mount *m,
		  const char **why);

/* Appends ",port=N,mountport=M" (those not 0) to m->data: what rpcbind said. */
int nfsroot_add_ports(struct nfs_mount *m, unsigned int port, unsigned int mountport);


#endif
