/* handoff-probe's LVM verb (tools/probe_lvm.c): returns the exit status. */
#ifndef HANDOFF_PROBE_LVM_H
#define HANDOFF_PROBE_LVM_H

int probe_lvm_show(int n, char **names);

#endif
