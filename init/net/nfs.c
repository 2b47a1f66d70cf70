/*
 * The NFS root: the parameters (nfsroot.c) with what the network stage
 * learnt, the server checked with RPC NULL calls (rpc.c) until it answers
 * or the root's wait runs out, then one mount(2) with the kernel's text
 * options. A silent server is retried with backoff, not left to the
 * kernel's minutes-long retries; a refused export fails at once.
 */
#include "base/log.h"
#include "base/util.h"
#include "find/devices.h"
#include "modules/modules.h"
#include "net/net.h"
#include "net/nfsroot.h"
#include "net/rpc.h"
#include "plan/plan.h"

#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEP_TIMEOUT_MS 3000	/* one call's connection and answer, under TCG too */
#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 2000
#define NOTE_EVERY_MS 5000	/* after the first failed try, then this often */

/* What the server was asked last, for the messages. */
struct nfs_try {
	const struct nfs_mount *m;
	const char *what;	/* "NFS v3", "mountd v3", "rpcbind" */
	unsigned int port;
	struct rpc_result res;
	bool mounting;		/* mount(2) itself failed */
};

/*
 * The network's errno texts, as the C library words them: here, not in
 * base/errtext.c, so that builds without NET=1 do not carry them.
 */
static const char *neterr(int e)
{
	static const struct {
		unsigned char code;
		const char *text;
	} texts[] = {
		{ ECONNRESET, "Connection reset by peer" }, { ECONNREFUSED, "Connection refused" },
		{ EHOSTUNREACH, "Host is unreachable" }, { ENETUNREACH, "Network unreachable" },
		{ EPROTONOSUPPORT, "Protocol not supported" }, { EPIPE, "Broken pipe" },
		{ ECONNABORTED, "Connection aborted" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (texts[i].code == (e < 0 ? -e : e))
			return texts[i].text;
	return errtext(e);
}

/* What the network stage learnt (net.h), as nfsroot.c takes it. */
static void net_of(const struct boot_plan *plan, struct nfs_net *n)
{
	const struct net_config *c = &plan->net.cfg;

	*n = (struct nfs_net){ c->addr, c->server, c->hostname, c->rootpath };
}

static int ask(struct nfs_try *t, const char *what, unsigned int port, uint32_t prog,
	       uint32_t vers, uint32_t proc, const uint32_t *args, int nargs)
{
	t->what = what;
	t->port = port;
	return rpc_call(t->m->server, port, prog, vers, proc, args, nargs, STEP_TIMEOUT_MS,
			&t->res);
}

/* rpcbind's port for prog (NFSv2/3 without port= or mountport=); 0 or -errno. */
static int getport(struct nfs_try *t, uint32_t prog, uint32_t vers, unsigned int *port)
{
	const uint32_t args[4] = { prog, vers, RPC_IPPROTO_TCP, 0 };
	int e = ask(t, "rpcbind", RPCBIND_PORT, RPC_PROG_PORTMAP, 2, RPC_PMAP_GETPORT, args, 4);

	if (e)
		return e;
	if (!t->res.value || t->res.value > 65535) {
		t->what = prog == RPC_PROG_NFS ? "NFS" : "mountd";
		return -EADDRNOTAVAIL;	/* rpcbind answers, the service is not registered */
	}
	*port = t->res.value;
	return 0;
}

/*
 * The server answers: NFS (and for NFSv2/3 mountd, their ports from
 * rpcbind unless given, then added to the options). 0 or -errno.
 */
static int reach(struct nfs_mount *m, struct nfs_try *t)
{
	static const char *const nfs_name[] = { "", "", "NFS v2", "NFS v3", "NFS v4" };
	static const char *const mnt_name[] = { "", "", "mountd v1", "mountd v3", "" };
	uint32_t mvers = m->vers == 2 ? 1 : 3;
	unsigned int port = m->port ? m->port : NFS_PORT, mport = m->mountport;
	int e = 0;

	t->m = m;
	t->mounting = false;
	if (m->udp)
		return 0;	/* over UDP: the kernel's own retries decide */
	if (m->vers < 4 && !m->port)
		e = getport(t, RPC_PROG_NFS, (uint32_t)m->vers, &port);
	if (!e && m->vers < 4 && !mport)
		e = getport(t, RPC_PROG_MOUNT, mvers, &mport);
	if (!e)
		e = ask(t, nfs_name[m->vers], port, RPC_PROG_NFS, (uint32_t)m->vers, 0, NULL, 0);
	if (!e && m->vers < 4)
		e = ask(t, mnt_name[m->vers], mport, RPC_PROG_MOUNT, mvers, 0, NULL, 0);
	if (!e && m->vers < 4 && nfsroot_add_ports(m, port, mport))
		e = -E2BIG;
	return e;
}

/* Worth another try: the server (or the network) may come. */
static bool transient(int e)
{
	return e == -ETIMEDOUT || e == -ECONNREFUSED || e == -ECONNRESET || e == -EHOSTUNREACH ||
	       e == -ENETUNREACH || e == -EIO || e == -EAGAIN || e == -EPIPE ||
	       e == -ECONNABORTED || e == -EADDRNOTAVAIL || e == -EBADMSG;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The failure, named: the step, the interface, the server, the export, what to do. */
static void report(const struct boot_plan *plan, const struct nfs_spec *s,
		   const struct nfs_try *t, int e, long waited_ms, int tries)
{
	const struct nfs_mount *m = t->m;
	const char *iface = plan->net.cfg.iface[0] ? plan->net.cfg.iface : "the network";
	const char *param = s->dracut ? plan->params.root : plan->params.nfsroot;
	char srv[IPV4_TEXT];

	ipv4_format(m->server, srv);
	if (!param)
		param = "(DHCP's root path)";
	if (t->mounting && (e == -EACCES || e == -ENOENT || e == -EPERM || e == -ESTALE)) {
		err("cannot mount the NFS root %s via %s: the server %s does not export %s to this client (%s)",
		    m->source, iface, srv, m->path, neterr(e));
		err("hint: check the export on %s (exportfs -v; nfs-ganesha: an EXPORT with this Path or Pseudo path) and the path in %s=%s",
		    srv, s->param, param);
		return;
	}
	if (t->mounting) {
		err("cannot mount the NFS root %s (%s, %s) via %s: %s", m->source, m->fstype, m->data,
		    iface, neterr(e));
		if (e == -ENODEV)
			err("hint: this kernel has no %s filesystem and the image no module for it: make initramfs MODULES=+nfs,+nfsv3,+nfsv4 (or a kernel with NFS_FS, NFS_V3, NFS_V4)",
			    m->fstype);
		else if (e == -EPROTONOSUPPORT)
			err("hint: the server or this kernel does not speak NFS v%d: try vers=%d in %s=",
			    m->vers, m->vers == 4 ? 3 : 4, s->param);
		else
			err("hint: check the options in %s=%s (and rootflags=)", s->param, param);
		return;
	}
	if (e == -EPROTONOSUPPORT) {
		err("cannot mount the NFS root %s via %s: the server %s does not speak %s (it offers versions %u to %u on port %u)",
		    m->source, iface, srv, t->what, t->res.low, t->res.high, t->port);
		err("hint: give the version it serves: vers=%u in %s=", t->res.high, s->param);
		return;
	}
	if (e == -EOPNOTSUPP) {
		err("cannot mount the NFS root %s via %s: the server %s has no %s on port %u (the program or procedure is unavailable)",
		    m->source, iface, srv, t->what, t->port);
		err("hint: port %u answers RPC, but not for %s: fix port= or mountport= in %s=", t->port,
		    t->what, s->param);
		return;
	}
	if (e == -EADDRNOTAVAIL) {
		err("cannot mount the NFS root %s via %s: rpcbind on %s knows no %s for NFS v%d over TCP, after %ld s, %d tries",
		    m->source, iface, srv, t->what, m->vers, waited_ms / 1000, tries);
		err("hint: is the NFS server running on %s? Or give its ports: port=NFS_PORT,mountport=MOUNTD_PORT in %s=, or use NFSv4 (vers=4)",
		    srv, s->param);
		return;
	}
	err("cannot mount the NFS root %s via %s: the server %s did not answer %s on port %u within %ld s, %d tries (%s)",
	    m->source, iface, srv, t->what, t->port, waited_ms / 1000, tries, neterr(e));
	if (t->port == RPCBIND_PORT)
		err("hint: NFSv%d asks rpcbind on %s for the ports of NFS and mountd: start rpcbind there, or give port=NFS_PORT,mountport=MOUNTD_PORT in %s=, or use NFSv4 (vers=4)",
		    m->vers, srv, s->param);
	else
		err("hint: is the NFS server running on %s and exporting %s to this client? rootwait=SECONDS waits longer",
		    srv, m->path);
}

static void note_wait(const struct nfs_try *t, int e, long now, long bound)
{
	const char *what = t->mounting ? "the mount" : t->what;
	unsigned int port = t->mounting ? (t->m->port ? t->m->port : NFS_PORT) : t->port;

	if (bound < 0)
		notice("waiting for the NFS server of %s (%s on port %u: %s): %ld s so far (rootwait: waiting forever)",
		       t->m->source, what, port, neterr(e), now / 1000);
	else
		notice("waiting for the NFS server of %s (%s on port %u: %s): %ld s of %ld s",
		       t->m->source, what, port, neterr(e), now / 1000, bound / 1000);
}

/*
 * The client's modules, loaded before the kernel asks: its request_module()
 * calls at the mount each run a modprobe, and two of them loaded the same
 * chain side by side (sunrpc, nfs: 0.5 s under TCG).
 */
static void load_client(int vers)
{
	modules_load_fs(vers == 4 ? "nfs4" : "nfs");
	modules_load_name(vers == 4 ? "nfsv4" : vers == 3 ? "nfsv3" : "nfsv2");
}

/* Whether the kernel has filesystem type (a built-in client needs no loader). */
static bool has_fs(const char *type)
{
	char buf[2048], want[16];

	if (read_text("/proc/filesystems", buf, sizeof(buf)) < 0)
		return false;
	fmt_buf(want, sizeof(want), "\t%s\n", type);
	return str_find(buf, want) != NULL;
}

/*
 * Loading the client is the kernel's CPU work (sunrpc and nfs about 0.2 s
 * each under TCG: their signatures checked, their code laid out); the
 * link, DHCP and the server's RPC checks are mostly waits. A child loads
 * the modules meanwhile, so that even one CPU does both; it only loads and
 * exits, and says its failures itself.
 */
void nfs_client_load_start(struct boot_plan *plan)
{
	struct net_state *n = &plan->net;
	pid_t pid;

	if (plan->root.kind != ROOT_NFS || n->loader > 0)
		return;
	n->loader_vers = nfsroot_line_vers(&plan->params, &plan->root);
	if (has_fs(n->loader_vers == 4 ? "nfs4" : "nfs"))
		return;
	/* fork() by its system call, as rescue.c does. */
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (!pid) {
		load_client(n->loader_vers);
		_exit(0);
	}
	n->loader = pid > 0 ? pid : 0;	/* none: mount_nfs_root() loads them itself */
}

/* Returns whether the child ran to its end. */
static bool wait_loader(struct net_state *n)
{
	int st = 0;
	pid_t got;

	if (n->loader <= 0)
		return false;
	do
		got = waitpid(n->loader, &st, 0);
	while (got < 0 && errno == EINTR);
	n->loader = 0;
	return got < 0 || (WIFEXITED(st) && !WEXITSTATUS(st));	/* ECHILD: reaped by another wait */
}

void nfs_client_load_wait(struct boot_plan *plan)
{
	wait_loader(&plan->net);
}

/*
 * Before the first mount(2): the child's modules, or those of the version
 * the mount needs loaded here (no child ran, or DHCP's root path asked
 * another version).
 */
static void client_ready(struct boot_plan *plan, int vers)
{
	bool same = plan->net.loader > 0 && plan->net.loader_vers == vers;
	long t = log_ms();

	if (!wait_loader(&plan->net) || !same)
		load_client(vers);
	debug("the NFS client's modules ready after %ld ms more", log_ms() - t);
}

/* The spec and the mount from the parameters and the network; the failure said. */
static int prepare(struct boot_plan *plan, bool read_only, struct nfs_spec *s,
		   struct nfs_mount *m)
{
	const struct boot_params *p = &plan->params;
	struct nfs_spec dhcp;
	struct nfs_net n;
	const char *why;
	int e = nfsroot_parse(p, &plan->root, s, &why);

	if (e) {
		err("%s=%s: %s", s->dracut ? "root" : "nfsroot", s->dracut ? p->root : p->nfsroot, why);
		return e;
	}
	net_of(plan, &n);
	if (n.root_path[0] && nfsroot_parse_path(n.root_path, s->dracut, &dhcp, &why)) {
		err("DHCP's root path (option 17) %s: %s: fix it on the DHCP server, or give nfsroot=SERVER:PATH",
		    n.root_path, why);
		return -EINVAL;
	}
	/* Read-write as the line says (rw, or rw in the options), never a layer's lower. */
	e = nfsroot_mount(s, n.root_path[0] ? &dhcp : NULL, &n, p->rootflags, read_only,
			  !read_only || p->read_only, m, &why);
	if (e)
		err("the NFS root (%s=%s): %s", s->param, s->dracut ? p->root : p->nfsroot ? p->nfsroot : "",
		    why);
	return e;
}

int mount_nfs_root(struct boot_plan *plan, const char *dir, bool read_only)
{
	long start = log_ms(), bound = wait_bound_ms(plan->params.wait, plan->params.wait_s);
	long delay = BACKOFF_FIRST_MS, note = 0, now;
	struct nfs_spec s;
	struct nfs_mount m;
	struct nfs_try t = { 0 };
	bool ready = false;
	int e, tries = 0;

	e = prepare(plan, read_only, &s, &m);
	if (e) {
		nfs_client_load_wait(plan);
		return e;
	}
	info("NFS root %s (%s, %s) via %s", m.source, m.fstype, m.data,
	     plan->net.cfg.iface[0] ? plan->net.cfg.iface : "the network");
	for (;;) {
		tries++;
		e = reach(&m, &t);
		if (!e) {
			debug("the server answered its RPC checks after %ld ms", log_ms() - start);
			if (!ready)
				client_ready(plan, m.vers);
			ready = true;
			t.mounting = true;
			e = mount(m.source, dir, m.fstype, m.flags, m.data) ? -errno : 0;
			if (!e) {
				notice("mounted the NFS root %s on %s (%s) after %ld ms, %d tr%s", m.source,
				       dir, m.fstype, log_ms() - start, tries, tries == 1 ? "y" : "ies");
				return 0;
			}
		}
		now = log_ms() - start;
		if (!transient(e) || (bound >= 0 && now >= bound))
			break;
		if (now >= note) {
			note_wait(&t, e, now, bound);
			note = now + NOTE_EVERY_MS;
		}
		sleep_ms(bound >= 0 && bound - now < delay ? bound - now : delay);
		delay = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
	}
	nfs_client_load_wait(plan);
	report(plan, &s, &t, e, log_ms() - start, tries);
	return e;
}
