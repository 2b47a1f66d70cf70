/*
 * mkpv OUT MIB PVID TEXT [AT:FILE[:SKIP:LEN]...]: an LVM2 physical volume
 * image of MIB MiB laid out as pvcreate lays one out by default (the
 * label in sector 1; one metadata area from 4 KiB to 1 MiB, its text after
 * the area's header; the extents from 1 MiB), with the metadata text of
 * file TEXT committed in the area (TEXT "-": an area with no metadata),
 * and LEN bytes of FILE from SKIP (default: all of it) written at byte AT.
 * Layout facts from lvm2's lib/format_text/layout.h; the checksums by the
 * init's lvm_crc(). For tests/boot/lvm.sh: disks with an LVM layout that
 * the host can make without device-mapper.
 */
#include "lvm/lvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MDA_START 4096
#define MDA_SIZE (1048576 - MDA_START)

static void le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void die(const char *what, const char *name)
{
	fprintf(stderr, "mkpv: %s %s: %s\n", what, name, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	static unsigned char head[1048576], text[LVM_TEXT_MAX];
	unsigned char *s = head + 512, *h = head + MDA_START;
	unsigned long long mib, at, skip, len;
	char name[4096];
	ssize_t n = 0;
	int fd, in, i;

	if (argc < 5 || strlen(argv[3]) != 32) {
		fprintf(stderr, "usage: mkpv OUT MIB PVID(32) TEXT|- [AT:FILE[:SKIP:LEN]...]\n");
		return 2;
	}
	mib = strtoull(argv[2], NULL, 10);
	if (strcmp(argv[4], "-")) {
		in = open(argv[4], O_RDONLY);
		if (in < 0 || (n = read(in, text, sizeof(text) - 1)) < 0)
			die("cannot read", argv[4]);
		close(in);
	}
	memcpy(s, "LABELONE", 8);
	le64(s + 8, 1);
	le32(s + 20, 32);
	memcpy(s + 24, "LVM2 001", 8);
	memcpy(s + 32, argv[3], 32);
	le64(s + 64, mib << 20);
	le64(s + 72, 1048576);	/* the data area, to the end */
	le64(s + 104, MDA_START);
	le64(s + 112, MDA_SIZE);
	le32(s + 16, lvm_crc(LVM_CRC_INITIAL, s + 20, 512 - 20));
	memcpy(h + 4, " LVM2 x[5A%r0N*>", 16);
	le32(h + 20, 1);
	le64(h + 24, MDA_START);
	le64(h + 32, MDA_SIZE);
	if (n > 0) {
		text[n++] = '\0';	/* lvm2 commits the text with its NUL */
		memcpy(h + 512, text, (size_t)n);
		le64(h + 40, 512);
		le64(h + 48, (uint64_t)n);
		le32(h + 56, lvm_crc(LVM_CRC_INITIAL, text, (size_t)n));
	}
	le32(h, lvm_crc(LVM_CRC_INITIAL, h + 4, 512 - 4));
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)(mib << 20)) || pwrite(fd, head, sizeof(head), 0) != sizeof(head))
		die("cannot write", argv[1]);
	for (i = 5; i < argc; i++) {
		static unsigned char buf[1 << 16];
		unsigned long long done = 0;

		skip = 0;
		len = ~0ull;
		if (sscanf(argv[i], "%llu:%4095[^:]:%llu:%llu", &at, name, &skip, &len) < 2) {
			fprintf(stderr, "mkpv: %s: not AT:FILE[:SKIP:LEN]\n", argv[i]);
			return 2;
		}
		in = open(name, O_RDONLY);
		if (in < 0)
			die("cannot read", name);
		while (done < len && (n = pread(in, buf, len - done < sizeof(buf) ? (size_t)(len - done) : sizeof(buf),
					       (off_t)(skip + done))) > 0) {
			if (pwrite(fd, buf, (size_t)n, (off_t)(at + done)) != n)
				die("cannot write", argv[1]);
			done += (unsigned long long)n;
		}
		if (n < 0)
			die("cannot read", name);
		close(in);
	}
	if (close(fd))
		die("cannot write", argv[1]);
	return 0;
}
