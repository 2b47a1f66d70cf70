/* md RAID superblocks and arrays (placeholder: the md work defines it). */
#ifndef HANDOFF_MD_H
#define HANDOFF_MD_H

/* What the scan learnt of md members, kept in the plan (storage/md.c). */
struct md_state {
	int members;
};

#endif
