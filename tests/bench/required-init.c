/*
 * A second baseline for the stage benchmark: the floor init plus only the
 * steps the issues and switch-root.md require of every initramfs init.
 * It mounts /dev, /proc, /sys and /run, reads /proc/cmdline, mounts
 * /dev/vda, checks the mount and /sbin/init, checks "/" is rootfs (statfs
 * and /proc/self/mountinfo), moves the API mounts, tries pivot_root,
 * moves the new root onto "/", empties the old initramfs and execs.
 * No parsing, no messages, no timings, no error handling: it shows what
 * the required work costs, so handoff can be judged against it. It is
 * not for real use (it deletes with fewer checks than handoff).
 */
#include "required-switch.h"

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	required_start();
	mount("/dev/vda", "/sysroot", "ext4", MS_RDONLY, NULL);
	required_switch(argv, envp);
}
