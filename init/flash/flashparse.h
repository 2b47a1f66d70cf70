/*
 * The flash roots' grammar (pure: no I/O, shared with the unit test and
 * the fuzzer): ubi.mtd= as the kernel's UBI parses it, the root= forms of
 * UBI volumes and MTD devices, the entries of /sys/class/ubi, the lines
 * of /proc/mtd, and the UBI_IOCATT_NR request.
 */
#ifndef HANDOFF_FLASHPARSE_H
#define HANDOFF_FLASHPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* drivers/mtd/ubi/build.c: MTD_PARAM_LEN_MAX (with the NUL), UBI_MAX_DEVICES. */
#define UBI_MTD_LEN_MAX 64
#define UBI_DEVICES_MAX 32
/* The kernel's limit on max_beb_per1024 (ubi_attach_mtd_dev()). */
#define UBI_BEB_PER1024_MAX 768
/* UBI_VOL_NAME_MAX is 127; MTD names are free text, kept to as much. */
#define FLASH_NAME_MAX 128

/* One ubi.mtd=NUM|NAME|PATH[,VID_HDR_OFFS[,MAX_BEB_PER1024[,UBI_NUM[,ENABLE_FM[,NEED_RESV_POOL]]]]]. */
struct ubi_mtd {
	char mtd[UBI_MTD_LEN_MAX];	/* as written: a number, an MTD name or a /dev path */
	bool by_number;			/* mtd is a number (the kernel's base 0: 0x.., 0..) */
	unsigned int mtd_num;		/* with by_number */
	int vid_hdr_offs;		/* 0: UBI's default */
	int max_beb_per1024;		/* 0: the kernel's default */
	int ubi_num;			/* -1: the next free */
	int enable_fm;
	int need_resv_pool;		/* no field for it in UBI_IOCATT_NR: the kernel's default */
};

/*
 * Parses one ubi.mtd= value as the kernel does. Returns 0; -ENODATA for
 * an empty value (the kernel ignores it); -EINVAL with *why otherwise.
 */
int ubi_mtd_parse(const char *val, struct ubi_mtd *m, const char **why);

/* What a flash root= names. */
enum flash_form {
	FLASH_UBI_NAME,		/* ubiX:NAME, ubiX!NAME; ubi:NAME (ubi -1: the first device having it) */
	FLASH_UBI_ID,		/* ubiX_Y, /dev/ubiX_Y; ubiY (volume Y of ubi0, as UBIFS reads it) */
	FLASH_MTD_NAME,		/* mtd:NAME */
	FLASH_MTD_NUM,		/* mtdN, /dev/mtdN */
};

struct flash_root {
	enum flash_form form;
	int ubi;		/* the UBI device; -1: any (ubi:NAME) */
	int vol;		/* FLASH_UBI_ID */
	unsigned int mtd;	/* FLASH_MTD_NUM */
	char name[FLASH_NAME_MAX];	/* FLASH_UBI_NAME, FLASH_MTD_NAME */
};

/* root= as the plan keeps it (no "/dev/"). Returns 0, or -EINVAL with *why. */
int flash_root_parse(const char *value, struct flash_root *r, const char **why);

/* A /sys/class/ubi entry "ubiX_Y" (a volume): true with X and Y; false for "ubiX" and others. */
bool ubi_volume_entry(const char *name, int *ubi, int *vol);
/* A /sys/class/ubi entry "ubiX" (a device): true with X. */
bool ubi_device_entry(const char *name, int *ubi);

/* One line of /proc/mtd: mtdN: SIZE ERASESIZE "NAME". */
struct mtd_entry {
	unsigned int num;
	uint64_t size;
	uint32_t erasesize;
	char name[FLASH_NAME_MAX];
};

/*
 * The next entry of /proc/mtd's text from *pos (0 at first), skipping the
 * header and lines it cannot read. false at the end.
 */
bool proc_mtd_next(const char *text, size_t *pos, struct mtd_entry *e);
/* The number of the MTD device named name in /proc/mtd's text: 0, or -ENOENT. */
int proc_mtd_find(const char *text, const char *name, unsigned int *num);

/* include/uapi/mtd/ubi-user.h's struct ubi_attach_req, the ABI of UBI_IOCATT (names of our own: the tests include the kernel's header beside it). */
struct ubi_attach_rq {
	int32_t ubi_num;
	int32_t mtd_num;
	int32_t vid_hdr_offset;
	int16_t max_beb_per1024;
	int8_t disable_fm;
	int8_t padding[9];
};
/* UBI_IOCATT, _IOW('o', 64, struct ubi_attach_req): the same on every architecture we build for. */
#define UBI_IOCATT_NR 0x40186f40U

/* The request attaching MTD mtd_num as m asks (padding zeroed). */
void ubi_attach_request(const struct ubi_mtd *m, unsigned int mtd_num, struct ubi_attach_rq *req);

#endif
