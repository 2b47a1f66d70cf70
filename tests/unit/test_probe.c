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

	/* a device whose reads fail: errors come back as such */
	m.len = 0;
	check("c-read-error", probe_filesystem(&d, &fs) == -EIO);
	check("c-read-error-table", probe_partitions(&d, &t) == -EIO);
	return failed;
}
