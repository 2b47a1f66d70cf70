/* rootflags=: flags the VFS knows become mount flags, the rest is data. */
#ifndef HANDOFF_MOUNTOPTS_H
#define HANDOFF_MOUNTOPTS_H

#define MOUNTOPTS_DATA_MAX 512

struct mount_opts {
	unsigned long flags;		/* caller sets the starting flags */
	char data[MOUNTOPTS_DATA_MAX];	/* filesystem options, comma-separated */
};

/* Returns 0, or -E2BIG when the data does not fit (nothing is cut). */
int mountopts_parse(const char *s, struct mount_opts *o);

#endif
