/* C unit tests for init/probe*.c on memory buffers; run by probe.sh. */
#include "find/probe.h"

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


/* ---- DOS tables, numbered as the kernel numbers them ---- */

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Entry i (0-3) of the table sector at lba, and the sector's signature. */
static void ent(uint32_t lba, int i, uint8_t type, uint32_t start, uint32_t size)
{
	uint8_t *s = disk + (size_t)lba * 512, *e = s + 446 + 16 * i;

	e[4] = type;
	put_le32(e + 8, start);
	put_le32(e + 12, size);
	s[510] = 0x55;
	s[511] = 0xaa;
}

/* "N:START+SIZE ..." in sectors, or "error N" */
static const char *layout(const struct probe_dev *d, struct probe_table *t)
{
	static char buf[4096];
	size_t n = 0;
	uint32_t i;
	int r = probe_partitions(d, t);

	if (r) {
		snprintf(buf, sizeof(buf), "error %d", r);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < t->count && n < sizeof(buf) - 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%u:%llu+%llu",
				      i ? " " : "", t->part[i].number,
				      (unsigned long long)(t->part[i].start / 512),
				      (unsigned long long)(t->part[i].size / 512));
	return buf;
}

static void check_layout(const char *name, const struct probe_dev *d,
			 struct probe_table *t, const char *want)
{
	const char *got = layout(d, t);

	if (strcmp(got, want))
		printf("# %s: want [%s]\n# %s: got  [%s]\n", name, want, name, got);
	check(name, !strcmp(got, want));
}

/* One crafted DOS disk: table entries (up to the first of size 0) and
 * the partitions the kernel makes of them, in sectors. */
struct dos_case {
	const char *name;
	struct {
		uint32_t lba;
		int i;
		uint8_t type;
		uint32_t start, size;
	} e[10];
	const char *want;
};

static const struct dos_case dos_cases[] = {
	/* an EBR entry of type 0 and a size is logical 5: the next is 6 */
	{ "c-ebr-type0-numbered",
	  { { 0, 0, 0x05, 64, 1024 }, { 64, 0, 0x00, 8, 100 },
	    { 64, 1, 0x05, 200, 300 }, { 264, 0, 0x83, 8, 100 } },
	  "1:64+1024 5:72+100 6:272+100" },
	/* entries 1 and 2 are taken as they are; 3 and 4 only inside both
	 * the link that reached the EBR and the extended partition */
	{ "c-ebr-entries-3-4",
	  { { 0, 0, 0x05, 64, 1024 }, { 64, 0, 0x83, 8, 50 },
	    { 64, 1, 0x83, 1500, 100 },		/* outside: entry 2 all the same */
	    { 64, 2, 0x83, 1000, 100 },		/* ends past the first link */
	    { 64, 3, 0x85, 300, 800 },		/* the link, in entry 4 */
	    { 364, 2, 0x83, 50, 60 },		/* inside both */
	    { 364, 3, 0x83, 700, 50 } },	/* ends past the extended one */
	  "1:64+1024 5:72+50 6:1564+100 7:414+60" },
	{ "c-ebr-entry-past-link",
	  { { 0, 0, 0x05, 64, 1024 }, { 64, 0, 0x05, 100, 50 },
	    { 164, 2, 0x83, 10, 45 },		/* 55 > the link's 50 */
	    { 164, 3, 0x83, 10, 40 } },
	  "1:64+1024 5:174+40" },
	/* DR-DOS: the link first, the data partition second */
	{ "c-ebr-drdos",
	  { { 0, 0, 0x0f, 64, 1024 }, { 64, 0, 0x05, 100, 200 },
	    { 64, 1, 0x83, 8, 10 }, { 164, 1, 0x83, 8, 10 } },
	  "1:64+1024 5:72+10 6:172+10" },
	/* every extended partition is read, numbering on */
	{ "c-two-extended",
	  { { 0, 0, 0x05, 64, 256 }, { 0, 1, 0x83, 400, 10 },
	    { 0, 2, 0x0f, 512, 256 }, { 64, 0, 0x83, 8, 10 },
	    { 512, 0, 0x83, 8, 10 } },
	  "1:64+256 2:400+10 3:512+256 5:72+10 6:520+10" },
	/* a primary of type 0 with a size is a partition */
	{ "c-primary-type0",
	  { { 0, 1, 0x00, 8, 10 }, { 0, 2, 0x83, 100, 10 } },
	  "2:8+10 3:100+10" },
	/* past the end (2048 sectors): left out when it starts there (the
	 * number stays taken), cut when it ends there; the others stay */
	{ "c-past-end",
	  { { 0, 0, 0x83, 8, 100 }, { 0, 1, 0x83, 4096, 10 },
	    { 0, 2, 0x83, 2000, 100 }, { 0, 3, 0x05, 200, 1000 },
	    { 200, 0, 0x83, 5000, 10 },		/* 5 starts past the end */
	    { 200, 1, 0x05, 100, 100 },
	    { 300, 0, 0x83, 8, 3000 } },	/* 6 ends past it */
	  "1:8+100 3:2000+48 4:200+1000 6:308+1740" },
};

static void dos_case_run(const struct probe_dev *d, struct probe_table *t,
			 const struct dos_case *c)
{
	size_t k;

	memset(disk, 0, sizeof(disk));
	put_le32(disk + 440, 0x5eedbeef);
	for (k = 0; k < 10 && c->e[k].size; k++)
		ent(c->e[k].lba, c->e[k].i, c->e[k].type, c->e[k].start,
		    c->e[k].size);
	check_layout(c->name, d, t, c->want);
}

static void dos_tests(const struct probe_dev *d, struct probe_table *t)
{
	const struct probe_part *p;
	uint32_t i;

	for (i = 1; i < sizeof(dos_cases) / sizeof(dos_cases[0]); i++)
		dos_case_run(d, t, &dos_cases[i]);
	dos_case_run(d, t, &dos_cases[0]);	/* its table is checked on */
	check("c-ebr-type0-partuuid", t->count == 3 &&
				      !strcmp(t->part[2].partuuid, "5eedbeef-06"));

	/* 100 links in a row without a partition: the kernel stops there */
	memset(disk, 0, sizeof(disk));
	ent(0, 0, 0x05, 64, 1900);
	for (i = 0; i < 101; i++)
		ent(64 + 2 * i, 1, 0x05, 2 * (i + 1), 2);
	ent(64 + 2 * 99, 0, 0x83, 1, 1);
	check_layout("c-ebr-100-empty", d, t, "1:64+1900 5:263+1");
	ent(64 + 2 * 99, 0, 0x00, 0, 0);
	ent(64 + 2 * 100, 0, 0x83, 1, 1);
	check_layout("c-ebr-101-empty", d, t, "1:64+1900");

	/* a chain that loops is followed, as the kernel does, up to the
	 * last number (255); the ones left out keep their numbers */
	memset(disk, 0, sizeof(disk));
	ent(0, 0, 0x05, 64, 100);
	ent(64, 0, 0x83, 5000, 10);	/* past the end: left out */
	ent(64, 1, 0x83, 8, 10);
	ent(64, 3, 0x05, 0, 100);	/* onto itself */
	layout(d, t);
	p = &t->part[t->count - 1];
	check("c-ebr-loop-numbers", t->count == 126 && t->part[1].number == 6 &&
				    p->number == 254 &&
				    !strcmp(p->partuuid, "00000000-fe"));
	memset(disk, 0, sizeof(disk));
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

	dos_tests(&d, &t);

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

	/* hibernated to: the signature replaced, the UUID kept for resume=UUID= */
	memcpy(disk + 4086, "S1SUSPEND\0", 10);
	check("c-swsuspend", !probe_filesystem(&d, &fs) &&
			     !strcmp(fs.type, "swsuspend") &&
			     !strcmp(fs.uuid, "01234567-89ab-cdef-0123-456789abcdef"));
	memcpy(disk + 4086, "SWAPSPACE2", 10);

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

	/* LUKS2 and LUKS1 headers: the UUID as text, LUKS2's label (blkid's crypto_LUKS) */
	memset(disk, 0, 8192);
	memcpy(disk, "LUKS\xba\xbe\0\2", 8);
	memcpy(disk + 24, "cryptroot", 9);
	memcpy(disk + 168, "0b2f6c1e-57b1-4f5e-a3c4-9d6b8a1e2f30", 36);
	check("c-luks2", !probe_filesystem(&d, &fs) && !strcmp(fs.type, "crypto_LUKS") &&
			 !strcmp(fs.uuid, "0b2f6c1e-57b1-4f5e-a3c4-9d6b8a1e2f30") &&
			 !strcmp(fs.label, "cryptroot"));
	disk[7] = 1;
	check("c-luks1-no-label", !probe_filesystem(&d, &fs) && !strcmp(fs.type, "crypto_LUKS") &&
				  !fs.label[0] && fs.uuid[0] == '0');
	disk[7] = 3;
	check("c-luks-version-3", probe_filesystem(&d, &fs) == -ENOENT);
	memset(disk, 0, 8192);
	memcpy(disk, "verity\0\0\1\0\0\0", 12);
	memcpy(disk + 16, "\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef", 16);
	check("c-verity-hash", !probe_filesystem(&d, &fs) && !strcmp(fs.type, "DM_verity_hash") &&
			       !strcmp(fs.uuid, "01234567-89ab-cdef-0123-456789abcdef"));
	memset(disk, 0, 8192);

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
