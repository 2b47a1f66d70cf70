/*
 * /etc/fstab of the new root, for the one entry the initrd mounts from it:
 * /usr (systemd-fstab-generator's default when mount.usr= is not given).
 */
#ifndef HANDOFF_FSTAB_H
#define HANDOFF_FSTAB_H

#include <stdbool.h>
#include <stddef.h>

struct fstab_entry {
	char *spec, *dir, *type, *opts;	/* unescaped, in the caller's text */
};

/*
 * The last entry mounted on dir (the one mount -a leaves on top), fields
 * split in place. Returns 0, or -ENOENT. Pure.
 */
int fstab_find(char *text, const char *dir, struct fstab_entry *e);

/* Whether the comma-separated opts has the option name (exactly). Pure. */
bool fstab_has_option(const char *opts, const char *name);

/*
 * opts without what only mount(8) and systemd read (defaults, auto,
 * noauto, nofail, user, users, nouser, owner, group, _netdev, x-*,
 * comment=*), for the kernel. Returns 0, or -E2BIG. Pure.
 */
int fstab_kernel_options(const char *opts, char *out, size_t size);

#endif
