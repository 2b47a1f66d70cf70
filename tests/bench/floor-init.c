/*
 * The floor for the stage-time benchmark: the least an initramfs init can
 * do. It mounts /dev/vda read-only as ext4, moves it onto / and execs
 * /sbin/init. No checks, no messages, no API filesystems: nothing handoff
 * could skip. Not for real use.
 */
#include "floor-switch.h"

#include <sys/sysmacros.h>

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	mknod("/vda", S_IFBLK | 0600, makedev(254, 0));
	floor_switch("/vda", argv, envp);
}
