/* The image's /etc/crypttab: systemd's four fields into struct assembly. */
#include "check.h"
#include "plan/crypttab.h"

#include <errno.h>

static char text[4096];
static char *cur;
static int line;

static void start(const char *s)
{
	snprintf(text, sizeof(text), "%s", s);
	cur = text;
	line = 0;
}

/* The next result; why is "" unless an error. */
static int next(struct assembly *a, const char **why)
{
	*why = "";
	return crypttab_next(&cur, &line, a, why);
}

/* Whether a one-line crypttab is refused, with why containing want. */
static int refused(const char *s, const char *want)
{
	struct assembly a;
	const char *why;

	start(s);
	return next(&a, &why) == -EINVAL && strstr(why, want) && next(&a, &why) == 0;
}

int main(void)
{
	struct assembly a;
	const char *why;
	char big[512], ln[1024];

	TEST("crypttab: comments, blank lines, two-field and full entries");
	start("# the root\n\n  \t\n"
	      "root UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95\n"
	      "home\tPARTUUID=6c586e13-9a0b-4d2e-8f71-2b3c4d5e6f70  none  discard,tries=3\n"
	      "data /dev/vdb /keys/data.key luks,no-read-workqueue,no-write-workqueue\n"
	      "usb LABEL=DISK /k.bin:LABEL=KEYS nofail");
	CHECK_INT(next(&a, &why), 1);
	CHECK_INT(line, 4);
	CHECK_INT(a.kind, ASSEMBLE_LUKS);
	CHECK_STR(a.param, "crypttab");
	CHECK_STR(a.name, "root");
	CHECK_STR(a.source, "UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95");
	CHECK_STR(a.key, "");
	CHECK_STR(a.keydev, "");
	CHECK_STR(a.options, "");
	CHECK_INT(next(&a, &why), 1);
	CHECK_INT(line, 5);
	CHECK_STR(a.name, "home");
	CHECK_STR(a.source, "PARTUUID=6c586e13-9a0b-4d2e-8f71-2b3c4d5e6f70");
	CHECK_STR(a.key, "");
	CHECK_STR(a.options, "discard,tries=3");
	CHECK_INT(next(&a, &why), 1);
	CHECK_STR(a.source, "/dev/vdb");
	CHECK_STR(a.key, "/keys/data.key");
	CHECK_STR(a.keydev, "");
	CHECK_STR(a.options, "luks,no-read-workqueue,no-write-workqueue");
	CHECK_INT(next(&a, &why), 1);
	CHECK_INT(line, 7);
	CHECK_STR(a.key, "/k.bin");
	CHECK_STR(a.keydev, "LABEL=KEYS");
	CHECK_STR(a.options, "nofail");
	CHECK_INT(next(&a, &why), 0);
	CHECK_INT(next(&a, &why), 0);

	TEST("crypttab: \"-\" asks, octal escapes decoded");
	start("a LABEL=my\\040disk - readonly");
	CHECK_INT(next(&a, &why), 1);
	CHECK_STR(a.source, "LABEL=my disk");
	CHECK_STR(a.key, "");
	CHECK_STR(a.options, "readonly");

	TEST("crypttab: noauto entries are skipped, the lines still counted");
	start("skip /dev/vda none noauto\nkeep /dev/vdb\n");
	CHECK_INT(next(&a, &why), 1);
	CHECK_STR(a.name, "keep");
	CHECK_INT(line, 2);

	TEST("crypttab: a bad line names its field, the next still read");
	start("bad\nok /dev/vdc\n");
	CHECK_INT(next(&a, &why), -EINVAL);
	CHECK(strstr(why, "SOURCE"));
	CHECK_INT(line, 1);
	CHECK_INT(next(&a, &why), 1);
	CHECK_STR(a.name, "ok");
	CHECK_INT(line, 2);

	TEST("crypttab: bad fields refused by name");
	CHECK(refused("a/b /dev/vda", "NAME"));
	CHECK(refused(".. /dev/vda", "NAME"));
	CHECK(refused("a nfs:/x", "SOURCE"));
	CHECK(refused("a tmpfs", "SOURCE"));
	CHECK(refused("a /dev/vda key.bin", "KEYFILE is not an absolute path"));
	CHECK(refused("a /dev/vda /k:tmpfs", "KEYFILE's device"));
	CHECK(refused("a /dev/vda none discard extra", "four fields"));
	CHECK(refused("a /dev/vda none tries=x", "tries="));
	CHECK(refused("a /dev/vda none tries=", "tries="));
	CHECK(refused("a /dev/vda none header=", "header="));
	CHECK(refused("a /dev/vda none header=h.img", "header="));
	CHECK(refused("a /dev/vda none luks,header=/,discard", "header="));
	CHECK(refused("a /dev/vda none keyfile-size=1k", "keyfile-size="));

	TEST("crypttab: other modes and formatting options refused by name");
	CHECK(refused("a /dev/vda none plain", "plain"));
	CHECK(refused("a /dev/vda none tcrypt", "TrueCrypt"));
	CHECK(refused("a /dev/vda none luks,tcrypt-veracrypt", "TrueCrypt"));
	CHECK(refused("a /dev/vda none bitlk", "BitLocker"));
	CHECK(refused("a /dev/vda /dev/urandom swap", "swap"));
	CHECK(refused("a /dev/vda /dev/urandom tmp=ext4", "tmp"));
	CHECK_INT(crypttab_options_check("luks,plainly,tries=0,keyfile-timeout=10s,x-foo", &why), 0);

	TEST("crypttab: header= in the image, a device, or on a device's filesystem");
	CHECK_INT(crypttab_options_check("luks,header=/etc/luks/root.hdr,discard", &why), 0);
	CHECK_INT(crypttab_options_check("header=/dev/disk/by-path/pci-0000:00:05.0", &why), 0);
	CHECK_INT(crypttab_options_check("header=/dev/sdb", &why), 0);
	CHECK_INT(crypttab_options_check("header=/root.hdr:LABEL=KEYS", &why), 0);
	CHECK_INT(crypttab_options_check("header=/root.hdr:UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95", &why), 0);

	TEST("crypttab: fields too long for struct assembly are errors");
	memset(big, 'n', 64);
	big[64] = '\0';
	snprintf(ln, sizeof(ln), "%s /dev/vda", big);
	CHECK(refused(ln, "NAME is too long"));
	big[63] = '\0';
	snprintf(ln, sizeof(ln), "%s /dev/vda", big);
	start(ln);
	CHECK_INT(next(&a, &why), 1);
	memset(big, 'u', 200);
	big[200] = '\0';
	snprintf(ln, sizeof(ln), "a LABEL=%s", big);
	CHECK(refused(ln, "SOURCE is too long"));
	snprintf(ln, sizeof(ln), "a /dev/vda /%s", big);
	CHECK(refused(ln, "KEYFILE is too long"));
	snprintf(ln, sizeof(ln), "a /dev/vda /k:LABEL=%s", big);
	CHECK(refused(ln, "KEYFILE's device is too long"));
	memset(big, 'o', 300);
	big[300] = '\0';
	snprintf(ln, sizeof(ln), "a /dev/vda - %s", big);
	CHECK(refused(ln, "OPTIONS is too long"));
	return check_failed;
}
