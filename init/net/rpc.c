/* ONC RPC calls over TCP: the encoding (pure) and one bounded exchange. */
#include "net/rpc.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t rpc_call_encode(uint8_t *buf, uint32_t xid, uint32_t prog, uint32_t vers, uint32_t proc,
		       const uint32_t *args, int nargs)
{
	uint8_t *p = buf + 4;
	int i;

	if (nargs > 4)
		nargs = 4;
	p = put32(p, xid);
	p = put32(p, 0);	/* CALL */
	p = put32(p, 2);	/* RPC version */
	p = put32(p, prog);
	p = put32(p, vers);
	p = put32(p, proc);
	p = put32(p, 0);	/* credential: AUTH_NONE, no body */
	p = put32(p, 0);
	p = put32(p, 0);	/* verifier: the same */
	p = put32(p, 0);
	for (i = 0; i < nargs; i++)
		p = put32(p, args[i]);
	put32(buf, 0x80000000u | (uint32_t)(p - buf - 4));	/* the last (only) fragment */
	return (size_t)(p - buf);
}

int rpc_reply_decode(const uint8_t *buf, size_t len, uint32_t xid, struct rpc_result *res)
{
	size_t off;
	uint32_t verf_len;

	*res = (struct rpc_result){ 0 };
	if (len < 12 || get32(buf) != xid || get32(buf + 4) != 1)	/* REPLY */
		return -EBADMSG;
	if (get32(buf + 8) != 0)	/* MSG_DENIED: a version or an authentication refused */
		return -EACCES;
	if (len < 20)
		return -EBADMSG;
	verf_len = get32(buf + 16);
	if (verf_len > 400)
		return -EBADMSG;
	off = 20 + ((verf_len + 3) & ~3u);
	if (len < off + 4)
		return -EBADMSG;
	switch (get32(buf + off)) {
	case 0:		/* SUCCESS */
		if (len >= off + 8)
			res->value = get32(buf + off + 4);
		return 0;
	case 2:		/* PROG_MISMATCH */
		if (len >= off + 12) {
			res->low = get32(buf + off + 4);
			res->high = get32(buf + off + 8);
		}
		return -EPROTONOSUPPORT;
	case 1:		/* PROG_UNAVAIL */
	case 3:		/* PROC_UNAVAIL */
		return -EOPNOTSUPP;
	default:
		return -EBADMSG;
	}
}

/* Waits for events on fd until the deadline (log_ms()); 0 or -ETIMEDOUT. */
static int wait_fd(int fd, short events, long deadline)
{
	struct pollfd pfd = { fd, events, 0 };
	long left;
	int n;

	for (;;) {
		left = deadline - log_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* Reads exactly n bytes before the deadline; -ECONNRESET when the peer closed. */
static int read_full(int fd, uint8_t *buf, size_t n, long deadline)
{
	ssize_t got;
	int e;

	while (n) {
		e = wait_fd(fd, POLLIN, deadline);
		if (e)
			return e;
		got = read(fd, buf, n);
		if (got == 0)
			return -ECONNRESET;
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		buf += got;
		n -= (size_t)got;
	}
	return 0;
}

static int exchange(int fd, const struct sockaddr_in *sa, const uint8_t *call, size_t len,
		    uint32_t xid, long deadline, struct rpc_result *res)
{
	uint8_t reply[128], mark[4];
	uint32_t rlen;
	int e, so = 0;
	socklen_t sl = sizeof(so);

	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) && errno != EINPROGRESS)
		return -errno;
	e = wait_fd(fd, POLLOUT, deadline);
	if (e)
		return e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl))
		return -errno;
	if (so)
		return -so;
	if (write(fd, call, len) != (ssize_t)len)	/* a new socket's buffer takes 64 bytes */
		return errno ? -errno : -EIO;
	e = read_full(fd, mark, 4, deadline);
	if (e)
		return e;
	rlen = get32(mark) & 0x7fffffffu;
	if (rlen < 12)
		return -EBADMSG;
	/* Only the head matters: a longer reply is read in part, then dropped. */
	e = read_full(fd, reply, rlen < sizeof(reply) ? rlen : sizeof(reply), deadline);
	if (e)
		return e;
	return rpc_reply_decode(reply, rlen < sizeof(reply) ? rlen : sizeof(reply), xid, res);
}

int rpc_call(uint32_t addr, unsigned int port, uint32_t prog, uint32_t vers, uint32_t proc,
	     const uint32_t *args, int nargs, long timeout_ms, struct rpc_result *res)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	uint8_t call[RPC_CALL_MAX];
	uint32_t xid = (uint32_t)log_ms() ^ prog ^ (vers << 16);
	size_t len = rpc_call_encode(call, xid, prog, vers, proc, args, nargs);
	int fd, e;

	*res = (struct rpc_result){ 0 };
	sa.sin_addr.s_addr = addr;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	errno = 0;
	e = exchange(fd, &sa, call, len, xid, log_ms() + timeout_ms, res);
	close(fd);
	return e;
}
