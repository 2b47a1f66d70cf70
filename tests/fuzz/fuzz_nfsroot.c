/*
 * fuzz-nfsroot: the NFS root's parameters (nfsroot=, root=nfs:/nfs4:,
 * DHCP's root path, rootflags=, the host name) into one mount(2), and an
 * RPC reply's decoding. The input is the root= value, nfsroot=, the root
 * path, rootflags= and the host name, separated by newlines.
 */
#include "fuzz.h"
#include "net/nfsroot.h"
#include "net/rpc.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

static char *field(char **s)
{
	char *f = *s, *nl;

	if (!f)
		return NULL;
	nl = strchr(f, '\n');
	*s = nl ? nl + 1 : NULL;
	if (nl)
		*nl = '\0';
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_params p = { .read_only = true };
	struct root_spec r;
	struct nfs_spec s, d;
	struct nfs_mount m;
	struct rpc_result res;
	struct nfs_net n = { 0x0f02000a, 0x0202000a, "", "" };
	const char *why = NULL, *root;
	char reason[160];
	char *buf = fuzz_string(data, size, 4096), *rest = buf, *rootpath, *flags, *host;
	bool dhcp_ok = false;
	int e;

	/* The raw bytes as an RPC reply: any answer is one of the documented ones. */
	e = rpc_reply_decode(data, size, size >= 4 ? (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
						(uint32_t)data[2] << 8 | data[3] : 0, &res);
	FUZZ_CHECK(e == 0 || e == -EPROTONOSUPPORT || e == -EOPNOTSUPP || e == -EACCES ||
		   e == -EBADMSG, "rpc_reply_decode returned %d", e);

	root = field(&rest);
	p.nfsroot = field(&rest);
	rootpath = field(&rest);
	flags = field(&rest);
	host = field(&rest);
	memset(&r, 0, sizeof(r));
	r.kind = ROOT_NFS;
	/* root= as rootspec leaves it: "nfs" for /dev/nfs, else the dracut form. */
	if (str_copy(r.value, root && (!strncmp(root, "nfs:", 4) || !strncmp(root, "nfs4:", 5)) ?
			      root : "nfs", sizeof(r.value))) {
		free(buf);
		return 0;
	}
	e = nfsroot_check(&p, &r, reason, sizeof(reason));
	FUZZ_CHECK(e == 0 || e == -EINVAL, "check returned %d", e);
	FUZZ_CHECK(e == 0 || (reason[0] && fuzz_terminated(reason, sizeof(reason))), "refused without a reason");
	e = nfsroot_parse(&p, &r, &s, &why);
	if (e) {
		FUZZ_CHECK(why && *why, "parse refused without a reason");
		free(buf);
		return 0;
	}
	FUZZ_CHECK(fuzz_terminated(s.path, sizeof(s.path)) &&
			   fuzz_terminated(s.options, sizeof(s.options)), "spec not terminated");
	FUZZ_CHECK(!s.path[0] || s.path[0] == '/', "relative path %s", s.path);
	if (rootpath && *rootpath)
		dhcp_ok = !nfsroot_parse_path(rootpath, s.dracut, &d, &why);
	n.hostname = host ? host : "";
	if (strlen(n.hostname) > 64)
		n.hostname = "";
	why = NULL;
	e = nfsroot_mount(&s, dhcp_ok ? &d : NULL, &n, flags, true, true, &m, &why);
	FUZZ_CHECK(e == 0 || e == -EINVAL || e == -E2BIG, "mount returned %d", e);
	if (e) {
		FUZZ_CHECK(why && *why, "mount refused without a reason");
	} else {
		FUZZ_CHECK(!strcmp(m.fstype, m.vers == 4 ? "nfs4" : "nfs"), "type %s for v%d",
			   m.fstype, m.vers);
		FUZZ_CHECK(m.vers >= 2 && m.vers <= 4, "vers %d", m.vers);
		FUZZ_CHECK(fuzz_terminated(m.source, sizeof(m.source)) &&
				   fuzz_terminated(m.data, sizeof(m.data)), "not terminated");
		FUZZ_CHECK(m.path > m.source && m.path[-1] == ':' && m.path[0] == '/',
			   "source %s", m.source);
		FUZZ_CHECK(strstr(m.data, "addr=") && m.server, "no address in %s", m.data);
		e = nfsroot_add_ports(&m, 2049, 20048);
		FUZZ_CHECK(e == 0 || e == -E2BIG, "add_ports returned %d", e);
		FUZZ_CHECK(fuzz_terminated(m.data, sizeof(m.data)), "data not terminated");
	}
	free(buf);
	return 0;
}
