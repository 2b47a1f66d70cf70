/*
 * /etc/crypttab in the image (make initramfs LUKS=...), as systemd's
 * crypttab(5) writes it: NAME SOURCE [KEYFILE [OPTIONS]] a line.
 */
#ifndef HANDOFF_CRYPTTAB_H
#define HANDOFF_CRYPTTAB_H

#include "plan/plan.h"

/*
 * The next entry of the text at *cursor (split in place; *cursor moves on
 * and *line counts the lines read, so it is the entry's line on return)
 * into a: ASSEMBLE_LUKS, param "crypttab". KEYFILE "-", "none" or none at
 * all asks for a passphrase (key ""); PATH:DEVICE is a key file on a
 * device named as root= names one. SOURCE and KEYFILE may hold fstab's
 * octal escapes (\040 a blank). Entries with "noauto" are skipped.
 * Returns 1 with an entry, 0 at the end, or -EINVAL with *why naming the
 * field (the caller says "crypttab line N: why" and reads on). Pure.
 */
int crypttab_next(char **cursor, int *line, struct assembly *a, const char **why);

/*
 * Checks a crypttab options field (also rd.luks.options=): 0, or -EINVAL
 * with *why for a bad value, another mode than LUKS (plain, tcrypt,
 * bitlk) or what would write to a disk (swap, tmp). Options it does not
 * know are left to the LUKS stage, which ignores them as systemd does.
 */
int crypttab_options_check(const char *opts, const char **why);

#endif
