/*
 * handoff-probe FILE...: what the init sees on a disk image or block
 * device, printed like `blkid -o export`.
 * Exit: 0 something recognised, 2 nothing, 1 an error.
 * handoff-probe luks FILE, handoff-probe luks-open FILE: a LUKS header,
 * and a passphrase tried on it (tools/probe_luks.c).
 * handoff-probe lvm FILE...: LVM physical volumes, their volume group and
 * its LVs as the init reads them (tools/probe_lvm.c).
 */
#include "find/probe.h"
#include "probe_luks.h"
#include "probe_lvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static struct probe_table table;	/* large: keep off the stack */

/* Prints KEY=value, escaped as blkid -o export does. */
static void put(const char *key, const char *val)
{
	char line[PROBE_TAG_MAX];

	if (probe_tag(line, sizeof(line), key, val, 1))
		fputs(line, stdout);
}

static int dev_size(int fd, struct probe_dev *d)
{
	struct stat st;
	uint64_t size;
	int ss;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISREG(st.st_mode)) {
		d->size = (uint64_t)st.st_size;
		return 0;
	}
	if (!S_ISBLK(st.st_mode))
		return -EINVAL;
	if (ioctl(fd, BLKGETSIZE64, &size))
		return -errno;
	d->size = size;
	if (!ioctl(fd, BLKSSZGET, &ss) && ss > 0)
		d->sector_size = (uint32_t)ss;
	return 0;
}

/* 1 recognised, 0 not, -errno. */
static int show_fs(const struct probe_dev *d)
{
	struct probe_fs fs;
	int r = probe_filesystem(d, &fs);

	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	put("UUID", fs.uuid);
	put("LABEL", fs.label);
	put("TYPE", fs.type);
	return 1;
}

static int show_parts(const char *name, const struct probe_dev *d)
{
	struct probe_window w;
	char num[16];
	uint32_t i;
	int r;

	for (i = 0; i < table.count; i++) {
		const struct probe_part *p = &table.part[i];

		printf("\nDEVNAME=%s:p%u\n", name, p->number);
		snprintf(num, sizeof(num), "%u", p->number);
		put("PART_ENTRY_NUMBER", num);
		put("PARTUUID", p->partuuid);
		put("PARTLABEL", p->partlabel);
		put("PART_ENTRY_TYPE", p->type_guid);
		if (p->type_guid[0])
			printf("PART_ENTRY_FLAGS=0x%llx\n", (unsigned long long)p->attrs);
		printf("PART_ENTRY_OFFSET=%llu\nPART_ENTRY_SIZE=%llu\n",
		       (unsigned long long)(p->start / 512),
		       (unsigned long long)(p->size / 512));
		if (p->container)
			continue;
		probe_window_init(&w, d, p->start, p->size);
		r = show_fs(&w.dev);
		if (r < 0)
			return r;
	}
	return 0;
}

/* 1 recognised, 0 not, -errno. */
static int probe_file(const char *name)
{
	struct probe_dev d = { .read = probe_fd_read };
	int fd, r, found;

	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d.ctx = &fd;
	r = dev_size(fd, &d);
	if (r)
		goto out;
	printf("DEVNAME=%s\n", name);
	found = r = show_fs(&d);
	if (r < 0)
		goto out;
	r = probe_partitions(&d, &table);
	if (r == -ENOENT) {
		r = found;
		goto out;
	}
	if (r)
		goto out;
	put("PTUUID", table.ptuuid);
	put("PTTYPE", table.type);
	r = show_parts(name, &d);
	if (!r)
		r = 1;
out:
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	int i, r, err = 0, found = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: handoff-probe FILE...\n"
				"       handoff-probe luks FILE\n"
				"       handoff-probe luks-open FILE <PASSPHRASE-LINE\n"
				"       handoff-probe lvm FILE...\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "luks"))
		return probe_luks_show(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "luks-open"))
		return probe_luks_open(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "lvm"))
		return probe_lvm_show(argc - 2, argv + 2);
	for (i = 1; i < argc; i++) {
		if (i > 1)
			putchar('\n');
		r = probe_file(argv[i]);
		fflush(stdout);
		if (r < 0) {
			fprintf(stderr, "handoff-probe: %s: %s\n", argv[i],
				strerror(-r));
			err = 1;
		} else if (r > 0) {
			found = 1;
		}
	}
	return err ? 1 : found ? 0 : 2;
}
