/*
 * fuzz-dhcp: dhcp_parse() on a server's packet. The input's first bytes
 * are made those of a reply to the fuzzer's xid and address often enough
 * (a control byte) that the options are reached; what is taken must fit
 * its field and be printable text.
 */
#include "fuzz.h"
#include "net/dhcp.h"

#include <errno.h>
#include <string.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x01020304u

static int text_ok(const char *s, size_t size)
{
	size_t i;

	for (i = 0; i < size && s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '\'')
			return 0;
	return i < size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;
	uint8_t *p;
	int e;

	if (!size)
		return 0;
	p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		abort();
	memcpy(p, data + 1, size - 1);
	size--;
	if ((data[0] & 1) && size >= 240) {
		p[0] = 2;
		p[1] = 1;
		p[2] = 6;
		memcpy(p + 4, "\x01\x02\x03\x04", 4);
		memcpy(p + 28, mac, 6);
		memcpy(p + 236, "\x63\x82\x53\x63", 4);
	}
	memset(&r, 0xa5, sizeof(r));
	e = dhcp_parse(p, size, XID, mac, &r);
	FUZZ_CHECK(e == 0 || e == -EINVAL, "returned %d", e);
	if (!e) {
		FUZZ_CHECK(size >= 240, "a reply of %zu bytes taken", size);
		FUZZ_CHECK(text_ok(r.hostname, sizeof(r.hostname)), "hostname");
		FUZZ_CHECK(text_ok(r.domain, sizeof(r.domain)), "domain");
		FUZZ_CHECK(text_ok(r.rootpath, sizeof(r.rootpath)), "rootpath");
		FUZZ_CHECK(!memcmp(&r.yiaddr, p + 16, 4), "yiaddr not the packet's");
	}
	free(p);
	return 0;
}
