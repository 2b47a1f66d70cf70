/*
 * The NFS root's parameters (pure): the kernel's nfsroot= and DHCP root
 * path grammar (fs/nfs/nfsroot.c), dracut's root=nfs:/nfs4: (its
 * nfs-lib.sh), and the text options of the one mount(2).
 */
#include "net/nfsroot.h"
#include "base/log.h"
#include "base/util.h"
#include "plan/mountopts.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

static const char *const names_no =
	"SERVER must be an IPv4 address (no names are looked up before the root is mounted)";

/* [SERVER:] at the start of s: the address, and where the rest begins. */
static int take_server(const char *s, size_t len, uint32_t *server, const char **why)
{
	char buf[16];

	if (len >= sizeof(buf)) {
		*why = names_no;
		return -EINVAL;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (ipv4_parse(buf, server) || !*server) {
		*why = names_no;
		return -EINVAL;
	}
	return 0;
}

static int set_path(struct nfs_spec *s, const char *p, size_t len, const char **why)
{
	if (len >= sizeof(s->path)) {
		*why = "the path is too long (at most 255 bytes)";
		return -EINVAL;
	}
	memcpy(s->path, p, len);
	s->path[len] = '\0';
	if (!strcmp(s->path, "default"))	/* the kernel's word for its own default */
		s->path[0] = '\0';
	if (s->path[0] && s->path[0] != '/') {
		*why = "the path must start with /";
		return -EINVAL;
	}
	return 0;
}

static int add_options(struct nfs_spec *s, const char *o, size_t len, const char **why)
{
	size_t used = strlen(s->options);

	if (!len)
		return 0;
	if (used + 1 + len >= sizeof(s->options)) {
		*why = "the options are too long (at most 511 bytes)";
		return -EINVAL;
	}
	if (used)
		s->options[used++] = ',';
	memcpy(s->options + used, o, len);
	s->options[used + len] = '\0';
	return 0;
}

/*
 * The kernel's [SERVER:]PATH[,OPTIONS] (nfsroot=, DHCP option 17). Its
 * quirk is kept: a value that starts with neither '/', ',' nor a digit is
 * a name under /tftpboot. A name before ":/" is refused rather than
 * taken for such a path.
 */
static int parse_kernel(const char *v, struct nfs_spec *s, const char **why)
{
	const char *colon = strchr(v, ':'), *comma;
	size_t n;
	int e;

	if (!*v)
		return 0;	/* none: DHCP's root path, or the default */
	if (*v >= '0' && *v <= '9') {
		n = colon ? (size_t)(colon - v) : strcspn(v, ",");
		/* All digits and dots up to ':' or the end: the server. */
		if (colon || !v[n]) {
			e = take_server(v, n, &s->server, why);
			if (e)
				return e;
			v += colon ? n + 1 : n;
		}
	} else if (*v != '/' && *v != ',') {
		if (colon) {
			*why = names_no;
			return -EINVAL;
		}
		n = strcspn(v, ",");
		if (n + 10 >= sizeof(s->path)) {
			*why = "the path is too long (at most 255 bytes)";
			return -EINVAL;
		}
		str_copy(s->path, "/tftpboot/", sizeof(s->path));
		memcpy(s->path + 10, v, n);
		s->path[10 + n] = '\0';
		v += n;
		return *v ? add_options(s, v + 1, strlen(v + 1), why) : 0;
	}
	comma = strchr(v, ',');
	n = comma ? (size_t)(comma - v) : strlen(v);
	e = set_path(s, v, n, why);
	if (!e && comma)
		e = add_options(s, comma + 1, strlen(comma + 1), why);
	return e;
}

/*
 * dracut's [SERVER:]PATH[:OPTIONS] after "nfs:" or "nfs4:": the server
 * is what comes before the first ":/"; a ',' in the path starts options
 * as in the kernel's form.
 */
static int parse_dracut(const char *v, struct nfs_spec *s, const char **why)
{
	const char *sep = str_find(v, ":/"), *end, *comma;
	size_t n;
	int e;

	if (sep) {
		if (sep > v) {
			e = take_server(v, (size_t)(sep - v), &s->server, why);
			if (e)
				return e;
		}
		v = sep + 1;
	}
	if (*v && *v != '/') {
		*why = "expected nfs:[SERVER:]/PATH[:OPTIONS]: the path must start with /";
		return -EINVAL;
	}
	end = strchr(v, ':');
	n = end ? (size_t)(end - v) : strlen(v);
	comma = memchr(v, ',', n);
	e = set_path(s, v, comma ? (size_t)(comma - v) : n, why);
	if (!e && comma)
		e = add_options(s, comma + 1, n - (size_t)(comma - v) - 1, why);
	if (!e && end) {
		n = strlen(end + 1);
		if (n && end[n] == ':')	/* dracut strips one trailing ':' */
			n--;
		e = add_options(s, end + 1, n, why);
	}
	return e;
}

/* A word of the options; *val is past '=' (or NULL). */
static bool word_is(const char *w, size_t len, const char *name, const char **val)
{
	size_t n = strlen(name);

	*val = NULL;
	if (len < n || strncmp(w, name, n))
		return false;
	if (len == n)
		return true;
	if (w[n] != '=')
		return false;
	*val = w + n + 1;
	return true;
}

/* What the options say that the init needs to know; -EINVAL with *why. */
struct opts_seen {
	int vers;		/* 0: not said */
	bool lock_said, proto_said, udp;
	long port, mountport;	/* -1: not said */
};

static int number(const char *v, size_t len, long max, long *out)
{
	char buf[12];

	if (!v || !len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return parse_long(buf, 0, max, out);
}

static int vers_of(const char *v, size_t len)
{
	if (!v || !len)
		return -1;
	if (len == 1 && (*v == '2' || *v == '3' || *v == '4'))
		return *v - '0';
	if (len == 3 && !strncmp(v, "4.", 2) && v[2] >= '0' && v[2] <= '2')
		return 4;
	return -1;
}

static int scan_options(const char *o, struct opts_seen *seen, const char **why)
{
	const char *w, *val;
	size_t len, vlen;

	*seen = (struct opts_seen){ .port = -1, .mountport = -1 };
	for (w = o; w && *w; w = w[len] ? w + len + 1 : NULL) {
		len = strcspn(w, ",");
		if (word_is(w, len, "vers", &val) || word_is(w, len, "nfsvers", &val)) {
			vlen = val ? len - (size_t)(val - w) : 0;
			seen->vers = vers_of(val, vlen);
			if (seen->vers < 0) {
				*why = "vers= takes 2, 3, 4, 4.0, 4.1 or 4.2";
				return -EINVAL;
			}
		} else if (len >= 2 && w[0] == 'v' && vers_of(w + 1, len - 1) > 0) {
			seen->vers = vers_of(w + 1, len - 1);
		} else if (word_is(w, len, "lock", &val) || word_is(w, len, "nolock", &val)) {
			seen->lock_said = true;
		} else if (word_is(w, len, "proto", &val) && val) {
			seen->proto_said = true;
			seen->udp = !strncmp(val, "udp", 3);
		} else if ((word_is(w, len, "tcp", &val) || word_is(w, len, "udp", &val) ||
			    word_is(w, len, "rdma", &val)) && !val) {
			seen->proto_said = true;
			seen->udp = w[0] == 'u';
		} else if (word_is(w, len, "port", &val)) {
			if (number(val, val ? len - (size_t)(val - w) : 0, 65535, &seen->port)) {
				*why = "port= takes a number up to 65535";
				return -EINVAL;
			}
		} else if (word_is(w, len, "mountport", &val)) {
			if (number(val, val ? len - (size_t)(val - w) : 0, 65535, &seen->mountport)) {
				*why = "mountport= takes a number up to 65535";
				return -EINVAL;
			}
		}
	}
	return 0;
}

int nfsroot_parse_path(const char *v, bool dracut, struct nfs_spec *s, const char **why)
{
	memset(s, 0, sizeof(*s));
	s->dracut = dracut;
	return dracut ? parse_dracut(v, s, why) : parse_kernel(v, s, why);
}

int nfsroot_parse(const struct boot_params *p, const struct root_spec *r, struct nfs_spec *s,
		  const char **why)
{
	bool v4 = str_starts(r->value, "nfs4:");
	int e;

	if (v4 || str_starts(r->value, "nfs:")) {
		e = nfsroot_parse_path(r->value + (v4 ? 5 : 4), true, s, why);
		s->param = "root";
		s->vers = v4 ? 4 : 0;
		return e;
	}
	e = nfsroot_parse_path(p->nfsroot ? p->nfsroot : "", false, s, why);
	s->param = "nfsroot";
	return e;
}

int nfsroot_check(const struct boot_params *p, const struct root_spec *r, char *why, size_t size)
{
	struct nfs_spec s;
	struct opts_seen seen;
	const char *reason;
	int e = nfsroot_parse(p, r, &s, &reason);

	if (!e)
		e = scan_options(s.options, &seen, &reason);
	if (!e && s.vers == 4 && seen.vers && seen.vers != 4) {
		reason = "root=nfs4: mounts NFSv4: vers= says otherwise (use root=nfs: for NFSv3)";
		e = -EINVAL;
	}
	if (!e)
		return 0;
	if (s.dracut)
		fmt_buf(why, size, "%s", reason);
	else
		fmt_buf(why, size, "nfsroot=%s: %s", p->nfsroot ? p->nfsroot : "", reason);
	return e;
}

int nfsroot_line_vers(const struct boot_params *p, const struct root_spec *r)
{
	struct nfs_spec s;
	struct opts_seen seen, flags = { .vers = 0 };
	const char *why;

	if (nfsroot_parse(p, r, &s, &why) || scan_options(s.options, &seen, &why) ||
	    (p->rootflags && scan_options(p->rootflags, &flags, &why)))
		return 3;
	/* rootflags= comes last in the mount's options: its vers= wins. */
	return flags.vers ? flags.vers : seen.vers ? seen.vers : s.vers ? s.vers : 3;
}

/* The path with each "%s" replaced by who (the kernel's nodename: host name, else address). */
static int expand_path(const char *path, const char *who, char *out, size_t size)
{
	const char *pct;

	out[0] = '\0';
	while ((pct = str_find(path, "%s"))) {
		if ((size_t)(pct - path) + strlen(out) >= size)
			return -E2BIG;
		strncat(out, path, (size_t)(pct - path));
		if (str_append(out, who, size))
			return -E2BIG;
		path = pct + 2;
	}
	return str_append(out, path, size);
}

static int add_data(char *data, const char *word)
{
	if (data[0] && str_append(data, ",", NFS_DATA_MAX))
		return -E2BIG;
	return str_append(data, word, NFS_DATA_MAX);
}

int nfsroot_mount(const struct nfs_spec *s, const struct nfs_spec *dhcp, const struct nfs_net *n,
		  const char *rootflags, bool read_only, bool may_write, struct nfs_mount *m,
		  const char **why)
{
	struct mount_opts o = { .flags = read_only ? MS_RDONLY : 0 };
	char all[NFS_OPTS_MAX * 2 + MOUNTOPTS_DATA_MAX], who[68], path[NFS_PATH_MAX];
	char srv[IPV4_TEXT], word[32];
	const char *p = s->path;
	struct opts_seen seen;
	int e;

	memset(m, 0, sizeof(*m));
	m->server = s->server ? s->server : dhcp && dhcp->server ? dhcp->server : n->server;
	if (!m->server) {
		*why = "no NFS server: the parameter names none, and neither ip= nor DHCP gave one (write SERVER: before the path)";
		return -EINVAL;
	}
	if (!p[0] && dhcp)
		p = dhcp->path;
	if (!p[0] && s->dracut) {
		*why = "no export: root=nfs: names no path and DHCP gave no root path (option 17)";
		return -EINVAL;
	}
	if (!p[0])
		p = NFS_DEFAULT_PATH;
	if (n->hostname && n->hostname[0])
		str_copy(who, n->hostname, sizeof(who));
	else
		ipv4_format(n->addr, who);
	if (str_find(p, "%s") && !(n->hostname && n->hostname[0]) && !n->addr) {
		*why = "the path has %s but this client's address is not known";
		return -EINVAL;
	}
	ipv4_format(m->server, srv);
	if (expand_path(p, who, path, sizeof(path)) ||
	    fmt_buf(m->source, sizeof(m->source), "%s:%s", srv, path) >= sizeof(m->source) - 1) {
		*why = "the path is too long (at most 255 bytes)";
		return -EINVAL;
	}
	m->path = m->source + strlen(srv) + 1;

	/* DHCP's options, the parameter's, then rootflags=: later words win in the kernel. */
	all[0] = '\0';
	if (dhcp && dhcp->options[0])
		str_append(all, dhcp->options, sizeof(all));
	if (s->options[0] && !(all[0] && str_append(all, ",", sizeof(all))))
		str_append(all, s->options, sizeof(all));
	if (rootflags && rootflags[0] && !(all[0] && str_append(all, ",", sizeof(all))))
		str_append(all, rootflags, sizeof(all));
	if (mountopts_parse(all, &o)) {
		*why = "the options are too long";
		return -E2BIG;
	}
	e = scan_options(o.data, &seen, why);
	if (e)
		return e;
	m->flags = o.flags | (may_write ? 0 : MS_RDONLY);
	m->vers = seen.vers ? seen.vers : s->vers ? s->vers : 3;
	m->udp = seen.udp;
	m->port = seen.port > 0 ? (unsigned int)seen.port : 0;
	m->mountport = seen.mountport > 0 ? (unsigned int)seen.mountport : 0;
	str_copy(m->fstype, m->vers == 4 ? "nfs4" : "nfs", sizeof(m->fstype));

	m->data[0] = '\0';
	e = 0;
	if (!seen.vers) {
		fmt_buf(word, sizeof(word), "vers=%d", m->vers);
		e = add_data(m->data, word);
	}
	if (!e && !seen.proto_said)
		e = add_data(m->data, "proto=tcp");
	if (!e && o.data[0])
		e = add_data(m->data, o.data);
	/* No lock manager runs in the initramfs (nor, by then, rpc.statd). */
	if (!e && m->vers < 4 && !seen.lock_said)
		e = add_data(m->data, "nolock");
	fmt_buf(word, sizeof(word), "addr=%s", srv);
	if (!e)
		e = add_data(m->data, word);
	if (e)
		*why = "the options are too long";
	return e;
}

int nfsroot_add_ports(struct nfs_mount *m, unsigned int port, unsigned int mountport)
{
	char word[24];
	int e = 0;

	if (port && !m->port) {
		fmt_buf(word, sizeof(word), "port=%u", port);
		e = add_data(m->data, word);
		m->port = port;
	}
	if (!e && mountport && !m->mountport) {
		fmt_buf(word, sizeof(word), "mountport=%u", mountport);
		e = add_data(m->data, word);
		m->mountport = mountport;
	}
	return e;
}
