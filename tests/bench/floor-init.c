/*
 * The floor for the stage-time benchmark: the least an initramfs init can
 * do. It mounts /dev/vda read-only as ext4, moves it onto / and execs
 * /sbin/init. No checks, no messages, no API filesystems: nothing handoff
 * could skip. Not for real use.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	mknod("/vda", S_IFBLK | 0600, makedev(254, 0));
	mkdir("/root", 0755);
	mount("/vda", "/root", "ext4", MS_RDONLY, NULL);
	chdir("/root");
	mount(".", "/", NULL, MS_MOVE, NULL);
	chroot(".");
	argv[0] = "/sbin/init";
	execve("/sbin/init", argv, envp);
	for (;;)
		pause();
}
