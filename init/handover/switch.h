/* Switching from the initramfs to the real root, and starting its init. */
#ifndef HANDOFF_SWITCH_H
#define HANDOFF_SWITCH_H

#include <stdbool.h>

/*
 * Moves /dev, /proc, /sys and /run into newroot and makes newroot "/":
 * pivot_root where the kernel allows it, else the move-and-chroot method
 * followed by emptying the old initramfs. Returns 0 with the new root as
 * "/" and cwd, or -errno (reported) with nothing deleted.
 */
int switch_root(const char *newroot);

/*
 * Execs init with the kernel's argv (argv[0] replaced) and envp; if that
 * fails, this build's list (build_inits) in turn. Returns only if all failed.
 */
void exec_real_init(const char *init, char **argv, char **envp);

/*
 * Whether the text of /proc/self/mountinfo shows "/" as the kernel's
 * rootfs: its last entry for "/" (the mount on top) has type rootfs.
 * Splits text into lines in place (mountinfo.c).
 */
bool mountinfo_root_is_rootfs(char *text);

#endif
