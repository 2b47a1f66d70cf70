/*
 * What PID 1 does when the boot cannot go on. It never exits: it offers
 * a rescue shell (when the image has one and the command line allows it),
 * reboots (panic=N) or stays up with the message on screen.
 */
#ifndef HANDOFF_RESCUE_H
#define HANDOFF_RESCUE_H

#include "plan/plan.h"
#include "base/util.h"

#include <stdbool.h>

#define RESCUE_SHELL "/bin/sh"
/* Words the rescue shell leaves here override the kernel's on the retry. */

/*
 * After a failure, already reported: with rd.shell, a rescue shell; when
 * it exits, returns so the caller tries the boot again. Without one,
 * boot_stopped(). Returns true when the shell left a root mounted on
 * NEW_ROOT by hand, to be booted as it is; by_hand says the one there now
 * is such a root (else a mount there is the failed attempt's own).
 */
bool boot_failed(const struct boot_params *p, bool by_hand);

/* The end: reboot with panic=N (N < 0: at once), else stay up. */
_Noreturn void boot_stopped(const struct boot_params *p);

/* rd.break: a shell with the new root mounted, before the switch. */
void break_before_switch(const struct boot_params *p, const char *newroot);

/* Before the switch: reap, and sync what a rescue shell may have written. */
void settle_before_switch(void);

#endif
