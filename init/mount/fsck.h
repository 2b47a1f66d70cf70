/*
 * An ext2/3/4 filesystem checked before it is mounted read-write, as
 * initramfs-tools does, when the image carries a checker (make initramfs
 * FSCK=1). fsck.mode= and fsck.repair= as systemd-fsck spells them. With
 * ro (the default) nothing is checked here: the real init checks.
 */
#ifndef HANDOFF_FSCK_H
#define HANDOFF_FSCK_H

#include "mount/mount.h"
#include "plan/cmdline.h"

#include <stdbool.h>

/* Where make initramfs FSCK=1 puts Debian's e2fsck.static (tools/fsck.list). */
#define FSCK_PATH "/sbin/e2fsck"
/* "e2fsck", the repair, -f, the device, NULL. */
#define FSCK_ARGV_MAX 5

/* What the boot does after the checker's exit code (e2fsck(8), EXIT CODE). */
enum fsck_verdict {
	FSCK_CLEAN,		/* 0 */
	FSCK_CORRECTED,		/* 1: errors corrected, go on */
	FSCK_REBOOT,		/* 2 (and 3): corrected, the system should reboot */
	FSCK_FAILED,		/* 4 and up: the failure policy */
};

/* Whether r is to be checked: read-write, probed as ext2/3/4, fsck.mode= not skip (pure). */
bool fsck_applies(const struct mount_req *r, const struct boot_params *p);

/* The checker's arguments for node as p asks, NULL-terminated, in argv (pure). */
void fsck_argv(const char *node, const struct boot_params *p, const char *argv[FSCK_ARGV_MAX]);

/* The verdict on an exit code, and what the code means, for messages (pure). */
enum fsck_verdict fsck_verdict(int code);
const char *fsck_meaning(int code);

/*
 * Checks r's device before it is mounted read-write, when fsck_applies()
 * and the image has FSCK_PATH; the checker's output goes to the console.
 * Returns 0 to go on (clean, corrected, or not checked: a checker that
 * cannot start does not stop the boot), -EUCLEAN (reported) for the
 * failure policy. On exit code 2 it reboots.
 */
int fsck_before_rw(const struct mount_req *r, const struct boot_params *p);

#endif
