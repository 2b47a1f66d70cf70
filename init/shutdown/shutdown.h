/*
 * The way back at shutdown (systemd's INITRD_INTERFACE): before the switch
 * the init leaves a copy of itself in /run/initramfs; at power-off
 * systemd-shutdown pivots back into it, the old root on /oldroot, and
 * execs /shutdown with the verb. That copy, PID 1 again, lets go of the
 * old root (what systemd could not unmount while it ran from it), the
 * loop, device-mapper and md devices under it, syncs, and does the verb.
 */
#ifndef HANDOFF_SHUTDOWN_H
#define HANDOFF_SHUTDOWN_H

#include "plan/cmdline.h"

#include <stdbool.h>

/* make SHUTDOWN=0 builds an init that never leaves the way back. */
#ifndef HANDOFF_WAYBACK
#define HANDOFF_WAYBACK 1
#endif

#define WAYBACK_DIR "/run/initramfs"
#define WAYBACK_EXE WAYBACK_DIR "/shutdown"
/* Seen from the way back (its "/"): systemd-shutdown puts the old root here. */
#define OLD_ROOT "/oldroot"
/*
 * Devices the boot assembled (device-mapper, md), one "KIND NAME" a line:
 * the storage stages add them with wayback_remember(), the shutdown takes
 * them apart in reverse order. Named relative to WAYBACK_DIR.
 */
#define WAYBACK_RECORD "handoff-devices"

/* Before the switch: leaves the way back, unless rd.noshutdown (never fatal). */
void leave_way_back(const struct boot_params *p);

/* A device the boot created, for the shutdown to remove: "dm", "md". */
int wayback_remember(const char *kind, const char *name);

/* Whether argv is systemd-shutdown's call of /shutdown: that name and a verb. */
bool shutdown_called(int argc, char **argv);

/* The shutdown personality: never returns. */
int shutdown_main(int argc, char **argv);

/* The verb among the arguments (reboot, poweroff, halt, kexec), or NULL. Pure. */
const char *shutdown_verb(int argc, char **argv);

/* A mount under the old root, from /proc/self/mountinfo. */
#define OLD_MOUNT_PATH_MAX 256
struct old_mount {
	char path[OLD_MOUNT_PATH_MAX];	/* unescaped mount point */
	char fstype[32];
	char source[64];		/* a device node, or "" (tmpfs, overlay, ...) */
	bool read_only;			/* the filesystem is read-only (its superblock, not this mount) */
};

/*
 * The mounts at prefix or under it, in mountinfo's order (parents before
 * their children): at most max, the count found (more than max when some
 * did not fit). Splits text into lines in place. Pure.
 */
int mounts_under(char *text, const char *prefix, struct old_mount *out, int max);

/*
 * One line of the record: KIND and NAME split in place. Returns 0, or
 * -EINVAL for a line that is not "KIND NAME". Pure.
 */
int wayback_record_line(char *line, char **kind, char **name);

#endif
