/* Switching from the initramfs to the real root, and starting its init. */
#ifndef HANDOFF_SWITCH_H
#define HANDOFF_SWITCH_H

#include "plan/cmdline.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Moves /dev, /proc, /sys and /run into newroot and makes newroot "/":
 * pivot_root where the kernel allows it, else the move-and-chroot method
 * followed by emptying the old initramfs. Returns 0 with the new root as
 * "/" and cwd, or -errno (reported) with nothing deleted.
 */
int switch_root(const char *newroot);

/*
 * What the move-and-chroot fallback needs to know before it may delete
 * the initramfs: "/" is the kernel's rootfs (ram-backed, nothing to lose),
 * we are the only process that could be using it, and the new root is
 * elsewhere. switch_root() gathers them while /proc is still there.
 */
struct fallback_facts {
	bool pid1;
	uint32_t root_fs_type;		/* statfs("/")'s f_type; 0 if unknown */
	bool root_is_rootfs;		/* mountinfo shows "/" as rootfs */
	bool new_root_elsewhere;	/* both stat, on different devices */
};

/* Why the fallback must not delete (the text ends the user's message); NULL: it may. */
const char *switch_fallback_refusal(const struct fallback_facts *f);

/*
 * Execs init with the kernel's argv (argv[0] replaced) and envp; if that
 * fails, this build's list (build_inits) in turn. Returns only if all failed.
 */
void exec_real_init(const char *init, char **argv, char **envp);

/*
 * rd.exitstatus=PORT (qemu/run), in a build that is not locked: init= is
 * a command (a path, or a name found by PATH) run as PID 1's child, with
 * the kernel's arguments; when it ends, "exit N" goes to PORT (N: its
 * exit code, 128 + the signal that killed it, 127 when it is not found,
 * 126 when it cannot run) and the machine powers off. PID 1 stays ours,
 * so the command's end is no kernel panic. Returns at once when the line
 * asks for no such run.
 */
bool run_wanted(const struct boot_params *p);
void run_command(const struct boot_params *p, char **argv, char **envp);

/*
 * Whether the text of /proc/self/mountinfo shows "/" as the kernel's
 * rootfs: its last entry for "/" (the mount on top) has type rootfs.
 * Splits text into lines in place (mountinfo.c).
 */
bool mountinfo_root_is_rootfs(char *text);

#endif
