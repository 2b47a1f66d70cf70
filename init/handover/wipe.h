/* Emptying the old initramfs after the switch, to free its memory. */
#ifndef HANDOFF_WIPE_H
#define HANDOFF_WIPE_H

struct wipe_stats {
	unsigned long files, dirs, kept, kib;
};

/*
 * Deletes everything below the directory dirfd that lies on dirfd's own
 * filesystem. Never follows a symlink, never enters another mount.
 * Best effort: what cannot be deleted is logged and kept.
 */
void wipe_tree(int dirfd, struct wipe_stats *st);

#endif
