#include "rescue.h"
#include "log.h"

#include <errno.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sleeps ms while reaping any children we may have. */
static void wait_reaping(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
}

_Noreturn static void reboot_now(void)
{
	sync();
	reboot(RB_AUTOBOOT);
	err("reboot failed: %s; staying up", errtext(errno));
	for (;;)
		wait_reaping(60000);
}

_Noreturn void boot_failed(const struct boot_params *p)
{
	long left;

	if (p && p->has_panic && p->panic_s < 0) {
		err("boot failed: rebooting now (panic=%ld)", p->panic_s);
		reboot_now();
	}
	if (p && p->has_panic && p->panic_s > 0) {
		err("boot failed: rebooting in %ld s (panic=%ld)", p->panic_s, p->panic_s);
		for (left = p->panic_s * 1000; left > 0; left -= 1000)
			wait_reaping(left < 1000 ? left : 1000);
		reboot_now();
	}
	err("boot failed: staying here so the messages above stay readable; fix the kernel command line and reboot (panic=SECONDS reboots by itself)");
	for (;;)
		wait_reaping(60000);
}
