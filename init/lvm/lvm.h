/* LVM2 physical volumes and their volume groups (placeholder: the LVM work defines it). */
#ifndef HANDOFF_LVM_H
#define HANDOFF_LVM_H

/* What the scan learnt of LVM, kept in the plan (storage/lvm.c). */
struct lvm_state {
	int pvs;
};

#endif
