/*
 * ONC RPC over TCP (RFC 5531, record marking), the little the NFS root
 * needs before mount(2): a NULL call to see that a service answers, and
 * rpcbind's GETPORT (RFC 1833, PMAPPROC_GETPORT). The kernel's own mount
 * retries a silent server for minutes; these answer within a bound.
 */
#ifndef HANDOFF_RPC_H
#define HANDOFF_RPC_H

#include <stddef.h>
#include <stdint.h>

#define RPC_PROG_PORTMAP 100000
#define RPC_PROG_NFS 100003
#define RPC_PROG_MOUNT 100005
#define RPC_PMAP_GETPORT 3
#define RPC_IPPROTO_TCP 6

/* A call's encoded bytes, record mark included (the largest is GETPORT's). */
#define RPC_CALL_MAX 64

/* What a reply said besides success: the versions a PROG_MISMATCH offers. */
struct rpc_result {
	uint32_t value;		/* the first result word (GETPORT's port), 0 if none */
	uint32_t low, high;	/* with -EPROTONOSUPPORT */
};

/* Encodes a call with AUTH_NONE into buf (RPC_CALL_MAX); returns its length. Pure. */
size_t rpc_call_encode(uint8_t *buf, uint32_t xid, uint32_t prog, uint32_t vers, uint32_t proc,
		       const uint32_t *args, int nargs);

/*
 * Decodes a reply's record (after the record mark). Returns 0 (accepted,
 * SUCCESS), -EPROTONOSUPPORT (PROG_MISMATCH: low, high), -EOPNOTSUPP
 * (PROG_UNAVAIL, PROC_UNAVAIL), -EACCES (denied), -EBADMSG (garbled or
 * another call's). Pure.
 */
int rpc_reply_decode(const uint8_t *buf, size_t len, uint32_t xid, struct rpc_result *res);

/*
 * One call to addr:port (network byte order address) over TCP, within
 * timeout_ms for the connection and the answer together. Returns what
 * rpc_reply_decode() does, or -errno of the connection (-ETIMEDOUT,
 * -ECONNREFUSED, -ECONNRESET when it closed before answering).
 */
int rpc_call(uint32_t addr, unsigned int port, uint32_t prog, uint32_t vers, uint32_t proc,
	     const uint32_t *args, int nargs, long timeout_ms, struct rpc_result *res);

#endif
