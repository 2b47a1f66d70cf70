/*
 * Choosing the real init inside the new root, before anything is
 * irreversible: followed as the new root will see it (absolute symlinks
 * stay inside), and checked to be something the kernel can execute.
 */
#ifndef HANDOFF_REALINIT_H
#define HANDOFF_REALINIT_H

#include <stdbool.h>
#include <stddef.h>

#define REALINIT_PATH_MAX 4096

/*
 * Resolves path inside the directory rootfd as if rootfd were "/".
 * out gets the result relative to rootfd ("." for the root itself).
 */
int resolve_in_root(int rootfd, const char *path, char *out, size_t size);

/*
 * Checks that path, inside rootfd, is an executable this kernel can run:
 * a regular file with an x bit, not on a noexec mount, an ELF of our own
 * architecture whose program interpreter exists, or a script whose
 * interpreter exists. On failure, why says what is wrong.
 */
int check_executable(int rootfd, const char *path, char *why, size_t size);

/*
 * The inits a build may start, tried in order when init= is not given or
 * not usable. Locked (make LOCKDOWN=1): init= is accepted only when it is
 * in the list, spelled exactly so (before any symlink is followed: the
 * root's own /sbin/init -> /lib/systemd/systemd still works), and the list
 * (LOCKED_INITS) has no shell unless the builder put one there. Otherwise
 * the kernel's list: /sbin/init, /etc/init, /bin/init, /bin/sh.
 */
struct init_list {
	const char *const *paths;	/* NULL-terminated */
	bool locked;
};

/* This build's list; also what exec_real_init() retries after the switch. */
extern const struct init_list build_inits;

/* Whether init=path may be used at all. */
bool init_allowed(const struct init_list *l, const char *path);

/*
 * Picks init= if l allows it and it passes, else the first of l that
 * passes. Reports a refused init= and every rejected candidate.
 */
int choose_init(const char *newroot, const char *requested, const struct init_list *l,
		char *out, size_t size);

/* choose_init() with this build's list. */
int find_real_init(const char *newroot, const char *requested, char *out, size_t size);

#endif
