/* What PID 1 does when the boot cannot go on: it never exits. */
#ifndef HANDOFF_RESCUE_H
#define HANDOFF_RESCUE_H

#include "cmdline.h"

/*
 * The cause was already reported. With panic=N > 0 reboots after N s,
 * with N < 0 at once (as the kernel does); otherwise stays up, reaping
 * children, so the message stays on the screen.
 */
_Noreturn void boot_failed(const struct boot_params *p);

#endif
