/*
 * The floor for the distro-kernel benchmark: the least an initramfs init
 * can do to boot Debian's cloud kernel from an ext4 root on virtio-blk.
 * It mounts devtmpfs, loads the six modules that disk needs in dependency
 * order (the image holds them as /m/N.ko), waits for /dev/vda, mounts it
 * read-only as ext4, moves it onto / and execs /sbin/init. No command
 * line, no checks, no messages: what is left is the kernel's own work for
 * these modules and this disk, which any initramfs pays. Not for real use.
 */
#include "floor-switch.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>

int main(int argc, char **argv, char **envp)
{
	static char path[] = "/m/0.ko";
	struct timespec ms = { 0, 1000000 };
	struct stat st;
	int fd;

	(void)argc;
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	for (; (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0; path[3]++) {
		syscall(SYS_finit_module, fd, "", 0);
		close(fd);
	}
	/* devtmpfs makes the node shortly after virtio_blk finds the disk. */
	while (stat("/dev/vda", &st))
		nanosleep(&ms, NULL);
	floor_switch("/dev/vda", argv, envp);
}
