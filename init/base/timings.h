/*
 * Where the time in the initramfs goes: one mark per stage, set by main()
 * as each stage ends; for rd.debug and for /run.
 */
#ifndef HANDOFF_TIMINGS_H
#define HANDOFF_TIMINGS_H

#include "base/util.h"

#include <stddef.h>

#define TIMINGS_FILE RUN_DIR "/timings"

enum boot_step {
	STEP_START,		/* /init's first steps */
	STEP_API,		/* /dev, /proc, /sys and /run are mounted */
	STEP_PLANNED,		/* the command lines are read into the plan */
	STEP_MODULES,		/* the modules the plan asks for are loaded */
	STEP_READY,		/* about to look for the root */
	STEP_DEVICE,		/* the root device is there (a layered root: ready) */
	STEP_MOUNTED,		/* the root is mounted */
	STEP_CHECKED,		/* the real init is checked */
	STEP_SWITCHED,		/* the new root is / */
	STEP_COUNT,
};

struct timings {
	long at[STEP_COUNT];	/* ms since boot; 0: not reached */
};

/* Notes the time of a step (and logs it with rd.debug). */
void timing_mark(struct timings *t, enum boot_step s);

/*
 * The KEY=ms lines of TIMINGS_FILE into buf: the existing keys (start,
 * setup, wait, mount, check, switch, total) keep their meaning; api,
 * cmdline and modules split setup. Returns the length.
 */
size_t timings_format(const struct timings *t, char *buf, size_t size);

/* Logs the summary (rd.debug) and writes the lines to TIMINGS_FILE. */
void timing_report(const struct timings *t);

#endif
