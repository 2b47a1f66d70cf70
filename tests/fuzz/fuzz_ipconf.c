/*
 * fuzz-ipconf: ipconf_parse() on arbitrary ip= values (a NUL-ended copy
 * of the input up to its first line), pnp_parse() on the rest as a
 * /proc/net/pnp text, and net_record() of what that gave.
 */
#include "fuzz.h"
#include "net/ipconf.h"
#include "plan/cmdline.h"

#include <errno.h>
#include <string.h>

static int quoted_ok(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '\'')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipconf c;
	struct net_config k;
	char why[160], rec[1024];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t first = nl ? (size_t)(nl - data) : size;
	char *s = fuzz_string(data, first, CMDLINE_MAX - 1);
	long n;
	int e;

	memset(&c, 0xa5, sizeof(c));
	memset(why, 0xa5, sizeof(why));
	e = ipconf_parse(s, &c, why, sizeof(why));
	FUZZ_CHECK(e == 0 || e == -EINVAL, "returned %d", e);
	FUZZ_CHECK(fuzz_terminated(why, sizeof(why)), "why not terminated");
	if (e) {
		FUZZ_CHECK(!strncmp(why, "ip=: ", 5), "a reason that does not name ip=: %s", why);
	} else {
		FUZZ_CHECK(c.method <= IP_OFF, "method %d", (int)c.method);
		FUZZ_CHECK(fuzz_terminated(c.host, sizeof(c.host)) && quoted_ok(c.host), "host");
		FUZZ_CHECK(fuzz_terminated(c.dev, sizeof(c.dev)) && quoted_ok(c.dev) &&
				   !strchr(c.dev, '/'),
			   "dev");
		FUZZ_CHECK(c.method != IP_STATIC || (c.client && ipv4_prefix(c.netmask) >= 0),
			   "static without an address or a mask");
		FUZZ_CHECK(!c.netmask || ipv4_prefix(c.netmask) >= 0, "a mask that is none");
	}

	memset(&k, 0, sizeof(k));
	if (nl)
		pnp_parse((const char *)nl + 1, size - first - 1, &k);
	FUZZ_CHECK(fuzz_terminated(k.proto, sizeof(k.proto)) && quoted_ok(k.proto), "proto");
	FUZZ_CHECK(fuzz_terminated(k.domain, sizeof(k.domain)) && quoted_ok(k.domain), "domain");
	n = net_record(&k, rec, sizeof(rec));
	FUZZ_CHECK(n > 0 && (size_t)n == strlen(rec), "record length %ld", n);
	free(s);
	return 0;
}
