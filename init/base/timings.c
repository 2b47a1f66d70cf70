#include "base/timings.h"
#include "base/log.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long at[STEP_COUNT];

static const char *const names[STEP_COUNT] = {
	[STEP_START] = "start", [STEP_READY] = "ready to find the root",
	[STEP_DEVICE] = "device found",
	[STEP_MOUNTED] = "root mounted", [STEP_CHECKED] = "init checked",
	[STEP_SWITCHED] = "switched",
};

void timing_mark(enum boot_step s)
{
	at[s] = log_ms();
	debug("step: %s at %ld ms since boot", names[s], at[s]);
}

static long span(enum boot_step from, enum boot_step to)
{
	return at[to] >= at[from] ? at[to] - at[from] : 0;
}

void timing_report(void)
{
	char buf[256];
	size_t len;
	int fd;

	len = fmt_buf(buf, sizeof(buf),
		      "start_ms=%ld\nsetup_ms=%ld\nwait_ms=%ld\nmount_ms=%ld\ncheck_ms=%ld\nswitch_ms=%ld\ntotal_ms=%ld\n",
		      at[STEP_START], span(STEP_START, STEP_READY), span(STEP_READY, STEP_DEVICE),
		      span(STEP_DEVICE, STEP_MOUNTED), span(STEP_MOUNTED, STEP_CHECKED),
		      span(STEP_CHECKED, STEP_SWITCHED), span(STEP_START, STEP_SWITCHED));
	debug("%ld ms in the initramfs: %ld setting up, %ld waiting for the device, %ld mounting, %ld checking the init, %ld switching",
	      span(STEP_START, STEP_SWITCHED), span(STEP_START, STEP_READY),
	      span(STEP_READY, STEP_DEVICE), span(STEP_DEVICE, STEP_MOUNTED),
	      span(STEP_MOUNTED, STEP_CHECKED), span(STEP_CHECKED, STEP_SWITCHED));
	/* After the switch /run is the real root's: the summary stays readable. */
	mkdir(RUN_DIR, 0755);
	fd = open(TIMINGS_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		debug("cannot write %s", TIMINGS_FILE);
		return;
	}
	if (write(fd, buf, len) != (ssize_t)len)
		debug("cannot write %s", TIMINGS_FILE);
	close(fd);
}
