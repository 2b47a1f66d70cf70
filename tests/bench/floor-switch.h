/*
 * The floor inits' common end: mount the disk's node dev read-only as
 * ext4, move it onto / and exec /sbin/init. No checks, no messages: the least any init
 * does to switch.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void floor_switch(const char *dev, char **argv, char **envp)
{
	mkdir("/root", 0755);
	mount(dev, "/root", "ext4", MS_RDONLY, NULL);
	chdir("/root");
	mount(".", "/", NULL, MS_MOVE, NULL);
	chroot(".");
	argv[0] = "/sbin/init";
	execve("/sbin/init", argv, envp);
	for (;;)
		pause();
}
