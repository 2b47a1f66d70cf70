#include "base/timings.h"
#include "base/log.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[STEP_COUNT] = {
	[STEP_START] = "start", [STEP_API] = "API filesystems mounted",
	[STEP_PLANNED] = "command line read", [STEP_MODULES] = "modules loaded",
	[STEP_READY] = "ready to find the root", [STEP_DEVICE] = "device found",
	[STEP_MOUNTED] = "root mounted", [STEP_CHECKED] = "init checked",
	[STEP_SWITCHED] = "switched",
};

void timing_mark(struct timings *t, enum boot_step s)
{
	t->at[s] = log_ms();
	debug("step: %s at %ld ms since boot", names[s], t->at[s]);
}

/* A step not reached (a retry's, or a layered root's device) counts as nothing. */
static long span(const struct timings *t, enum boot_step from, enum boot_step to)
{
	return t->at[to] >= t->at[from] && t->at[from] ? t->at[to] - t->at[from] : 0;
}

size_t timings_format(const struct timings *t, char *buf, size_t size)
{
	return fmt_buf(buf, size,
		       "start_ms=%ld\nsetup_ms=%ld\nwait_ms=%ld\nmount_ms=%ld\ncheck_ms=%ld\nswitch_ms=%ld\ntotal_ms=%ld\n"
		       "api_ms=%ld\ncmdline_ms=%ld\nmodules_ms=%ld\n",
		       t->at[STEP_START], span(t, STEP_START, STEP_READY),
		       span(t, STEP_READY, STEP_DEVICE), span(t, STEP_DEVICE, STEP_MOUNTED),
		       span(t, STEP_MOUNTED, STEP_CHECKED), span(t, STEP_CHECKED, STEP_SWITCHED),
		       span(t, STEP_START, STEP_SWITCHED), span(t, STEP_START, STEP_API),
		       span(t, STEP_API, STEP_PLANNED), span(t, STEP_PLANNED, STEP_MODULES));
}

void timing_report(const struct timings *t)
{
	char buf[320];
	size_t len = timings_format(t, buf, sizeof(buf));
	int fd;

	debug("%ld ms in the initramfs: %ld setting up, %ld waiting for the device, %ld mounting, %ld checking the init, %ld switching",
	      span(t, STEP_START, STEP_SWITCHED), span(t, STEP_START, STEP_READY),
	      span(t, STEP_READY, STEP_DEVICE), span(t, STEP_DEVICE, STEP_MOUNTED),
	      span(t, STEP_MOUNTED, STEP_CHECKED), span(t, STEP_CHECKED, STEP_SWITCHED));
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
