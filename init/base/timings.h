/* Where the time in the initramfs goes: for rd.debug and for /run. */
#ifndef HANDOFF_TIMINGS_H
#define HANDOFF_TIMINGS_H

#include "base/util.h"

#define TIMINGS_FILE RUN_DIR "/timings"

enum boot_step {
	STEP_START,		/* /init's first steps */
	STEP_READY,		/* API mounts, command line, modules done */
	STEP_DEVICE,		/* the root device is there */
	STEP_MOUNTED,		/* the root is mounted */
	STEP_CHECKED,		/* the real init is checked */
	STEP_SWITCHED,		/* the new root is / */
	STEP_COUNT,
};

/* Notes the time of a step (and logs it with rd.debug). */
void timing_mark(enum boot_step s);
/* Logs the summary (rd.debug) and writes it as KEY=ms lines to TIMINGS_FILE. */
void timing_report(void);

#endif
