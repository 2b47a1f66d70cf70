/*
 * Choosing the real init inside the new root, before anything is
 * irreversible: followed as the new root will see it (absolute symlinks
 * stay inside), and checked to be something the kernel can execute.
 */
#ifndef HANDOFF_REALINIT_H
#define HANDOFF_REALINIT_H

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
 * Picks init= if it passes, else the first of /sbin/init, /etc/init,
 * /bin/init, /bin/sh that does. Reports every rejected candidate.
 */
int find_real_init(const char *newroot, const char *requested, char *out, size_t size);

/* The fallback list, for retrying exec after the switch. */
extern const char *const standard_inits[];

#endif
