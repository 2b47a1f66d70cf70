/* handoff-probe's LUKS verbs (tools/probe_luks.c): each returns the exit status. */
#ifndef HANDOFF_PROBE_LUKS_H
#define HANDOFF_PROBE_LUKS_H

int probe_luks_show(const char *name);
int probe_luks_open(const char *name);

#endif
