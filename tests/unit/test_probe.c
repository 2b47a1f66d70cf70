/* C unit tests for init/probe*.c on memory buffers; run by probe.sh. */
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void check(const char *name, int cond)
{
	printf(cond ? "ok %s\n" : "not ok %s: assertion failed\n", name);
	failed |= !cond;
}

struct mem {
	const uint8_t *p;
	size_t len;
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem *m = ctx;

	if (off > m->len || len > m->len - off)
		return -EIO;
	memcpy(buf, m->p + off, len);
	return 0;
}

static uint8_t disk[1 << 20];

/*
 * A 1 TiB exFAT "disk" made up on the fly: 4 KiB sectors, 32 MiB clusters,
 * a root directory chain that goes on and on, full of entries that are
 * not a label. Counts the directory bytes the probe reads.
 */
static uint64_t huge_dir_read;

static int huge_exfat_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	uint8_t *o = buf;
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++, off++) {
		if (off < 512) {
			static const uint8_t boot[512] = {
				[3] = 'E', 'X', 'F', 'A', 'T', ' ', ' ', ' ',
				[80] = 1,	/* FAT at sector 1 */
				[88] = 2,	/* cluster heap at sector 2 */
				[92] = 0xe8, 0x03,	/* 1000 clusters */
				[96] = 2,	/* root directory: cluster 2 */
				[108] = 12, 13,	/* 4 KiB sectors, 8192 a cluster */
			};
			o[i] = boot[off];
		} else if (off >= 4096 && off < 8192) {
			/* cluster c is followed by c + 1 */
			uint32_t next = (uint32_t)((off - 4096) / 4) + 1;

			o[i] = (uint8_t)(next >> (8 * ((off - 4096) % 4)));
		} else if (off >= 8192) {
			o[i] = 'A';
			huge_dir_read++;
		} else {
			o[i] = 0;
		}
	}
	return 0;
}

int main(void)
{
	struct mem m = { disk, sizeof(disk) };
	struct probe_dev d = { mem_read, &m, sizeof(disk), 0 };
	static struct probe_table t;
	struct probe_fs fs;
	struct probe_window w;

	check("c-uuid-equal-case", probe_uuid_equal("ABCD-ef01", "abcd-EF01"));
	check("c-uuid-equal-len", !probe_uuid_equal("abcd", "abcd-"));
	check("c-uuid-equal-empty", probe_uuid_equal("", ""));

	check("c-zero-nothing", probe_filesystem(&d, &fs) == -ENOENT &&
				!fs.type[0]);
	check("c-zero-no-table", probe_partitions(&d, &t) == -ENOENT &&
				 !t.type[0] && !t.count);

	/* a swap header with a UTF-8 label */
	memcpy(disk + 4086, "SWAPSPACE2", 10);
	disk[1024] = 1;
	memcpy(disk + 1036, "\x01\x23\x45\x67\x89\xab\xcd\xef"
			    "\x01\x23\x45\x67\x89\xab\xcd\xef", 16);
	memcpy(disk + 1052, "sw\xc3\xa4p  ", 8);
	check("c-swap", !probe_filesystem(&d, &fs) &&
			!strcmp(fs.type, "swap") &&
			!strcmp(fs.uuid, "01234567-89ab-cdef-0123-456789abcdef") &&
			!strcmp(fs.label, "sw\xc3\xa4p"));

	/* the same through a window, and a window cut short */
	memmove(disk + 8192, disk, 8192);
	memset(disk, 0, 8192);
	probe_window_init(&w, &d, 8192, 8192);
	check("c-window", !probe_filesystem(&w.dev, &fs) &&
			  !strcmp(fs.type, "swap"));
	probe_window_init(&w, &d, 8192, 4000);
	check("c-window-short", probe_filesystem(&w.dev, &fs) == -ENOENT);
	probe_window_init(&w, &d, sizeof(disk) + 10, 4096);
	check("c-window-outside", w.dev.size == 0 &&
				  probe_filesystem(&w.dev, &fs) == 0 - ENOENT);

	/* crafted exFAT geometry: the directory search stops at 1 MiB */
	{
		struct probe_dev h = { huge_exfat_read, NULL, 1ULL << 40, 0 };

		check("c-exfat-huge-clusters", !probe_filesystem(&h, &fs) &&
					       !strcmp(fs.type, "exfat") &&
					       !fs.label[0]);
		check("c-exfat-directory-bounded", huge_dir_read <= (1U << 20) + 65536);
	}

	/* blkid's tags: quoted as util-linux quotes them, control bytes escaped */
	{
		char out[PROBE_TAG_MAX], small[16];

		check("c-tag-export", probe_tag(out, sizeof(out), "LABEL", "my $root's", 1) == 20 &&
				      !strcmp(out, "LABEL=my\\ \\$root\\'s\n"));
		check("c-tag-plain", probe_tag(out, sizeof(out), "LABEL", "a \"b\\", 0) &&
				     !strcmp(out, " LABEL=\"a \\\"b\\\\\""));
		check("c-tag-control", probe_tag(out, sizeof(out), "LABEL", "a\033[2Jb\n", 1) &&
				       !strcmp(out, "LABEL=a\\x1b[2Jb\\x0a\n"));
		check("c-tag-empty", !probe_tag(out, sizeof(out), "UUID", "", 1));
		check("c-tag-cut", probe_tag(small, sizeof(small), "LABEL", "\001\001\001", 0) == 13 &&
				   !strcmp(small, " LABEL=\"\\x01\""));
		memset(fs.label, 1, sizeof(fs.label) - 1);	/* the longest label, all escaped */
		fs.label[sizeof(fs.label) - 1] = '\0';
		check("c-tag-fits", probe_tag(out, sizeof(out), "PARTLABEL", fs.label, 0) ==
					    1 + 9 + 2 + 255 * 4 + 1);
	}

	/* a device whose reads fail: errors come back as such */
	m.len = 0;
	check("c-read-error", probe_filesystem(&d, &fs) == -EIO);
	check("c-read-error-table", probe_partitions(&d, &t) == -EIO);
	return failed;
}
