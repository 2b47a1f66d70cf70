/*
 * The kernel command line, read the way the kernel reads it: words split
 * on spaces, double quotes group, the last occurrence of a parameter wins,
 * and "--" ends what is meant for the kernel.
 */
#ifndef HANDOFF_CMDLINE_H
#define HANDOFF_CMDLINE_H

#include <stdbool.h>

#define CMDLINE_MAX 4096
#define CMDLINE_MAX_PROBLEMS 8
#define CMDLINE_MAX_MODWORDS 64
#define CMDLINE_MAX_LUKSWORDS 32
#define CMDLINE_MAX_VOLWORDS 16
/* make initramfs CMDLINE="..." puts the board's default line here. */
#define BUILTIN_CMDLINE "/etc/handoff/cmdline"

enum wait_mode {
	WAIT_DEFAULT,		/* bounded by DEFAULT_ROOT_WAIT_S */
	WAIT_FOREVER,		/* rootwait */
	WAIT_BOUNDED,		/* rootwait=N or rootdelay=N */
};

#define DEFAULT_ROOT_WAIT_S 30

/* fsck.mode= and fsck.repair=, as systemd-fsck spells them. */
enum fsck_mode { FSCK_AUTO, FSCK_FORCE, FSCK_SKIP };
enum fsck_repair { FSCK_PREEN, FSCK_YES, FSCK_NO };

struct boot_params {
	/* Values point into the caller's command-line buffer; NULL if unset. */
	const char *root;
	const char *rootfstype;
	const char *rootflags;
	const char *init;
	const char *exitstatus;	/* rd.exitstatus=PORT: init= runs as a child, its status to PORT */
	bool read_only;		/* true unless "rw" came last */
	enum wait_mode wait;
	long wait_s;		/* with WAIT_BOUNDED */
	bool has_panic;
	long panic_s;
	bool debug;		/* rd.debug: every step, with times */
	bool shell;		/* rd.shell: a rescue shell on failure */
	bool brk;		/* rd.break: a shell before the switch */
	/* Layered and RAM roots (layers.c). */
	const char *image;	/* rd.image=: the archive for root=tmpfs */
	const char *tmpfs_size;	/* rd.tmpfs.size=: size= of the tmpfs */
	const char *overlay;	/* rd.overlay: "" for a tmpfs upper, else its device */
	const char *loop;	/* rd.loop=: the root is this image file on root= */
	bool copytoram;		/* rd.copytoram */
	bool coldplug_all;	/* rd.coldplug=all: every driver, not only the root's */
	bool builtin;		/* the built-in default line was used */
	/* systemd's initrd contract (handover/, mount/, find/). */
	const char *run_size;	/* rd.run.size=: size= of /run */
	bool noshutdown;	/* rd.noshutdown: no way back at shutdown */
	const char *usr;	/* mount.usr=: /usr's device, any root= form */
	const char *usrfstype;	/* mount.usrfstype= */
	const char *usrflags;	/* mount.usrflags= */
	enum fsck_mode fsck_mode;	/* fsck.mode= */
	enum fsck_repair fsck_repair;	/* fsck.repair= */
	bool gpt_auto;		/* systemd.gpt_auto=, rd.systemd.gpt_auto= (default on) */
	/*
	 * Encrypted and verified roots (storage/). rd.luks.uuid=, .name=,
	 * .options=, .key= (and systemd's luks.* spellings) repeat: every
	 * occurrence is kept, in order, with the "rd." dropped from the name.
	 */
	bool luks;		/* rd.luks=0 (or luks=0): unlock nothing (default on) */
	const char *luksword[CMDLINE_MAX_LUKSWORDS];	/* "luks.uuid", ...: "rd." dropped */
	const char *luksval[CMDLINE_MAX_LUKSWORDS];
	int lukswords;
	const char *roothash;		/* roothash=: the root's dm-verity root hash, hex */
	const char *verity_data;	/* systemd.verity_root_data=: any root= form */
	const char *verity_hash;	/* systemd.verity_root_hash= */
	const char *verity_options;	/* systemd.verity_root_options= */
	bool verity;		/* systemd.verity=, rd.systemd.verity= (default on) */
	/*
	 * LVM and md RAID (lvm/, md/, storage/). rd.lvm.vg=, rd.lvm.lv= and
	 * rd.md.uuid= repeat: every occurrence is kept, in order, named
	 * "lvm.vg", "lvm.lv", "md.uuid" ("rd." dropped).
	 */
	bool lvm;		/* rd.lvm=0: activate no volume group (default on) */
	bool md;		/* rd.md=0: assemble no array (default on) */
	const char *md_waitdegraded;	/* rd.md.waitdegraded=: seconds before a degraded start */
	const char *volword[CMDLINE_MAX_VOLWORDS];
	const char *volval[CMDLINE_MAX_VOLWORDS];
	int volwords;
	/*
	 * Network roots (net/): ip= (the kernel's forms: dhcp, off, the static
	 * CLIENT:SERVER:GW:NETMASK:HOST:DEVICE:AUTOCONF:DNS0:DNS1), nfsroot=
	 * ([SERVER:]PATH[,OPTIONS]), rd.neednet (the network up for any root).
	 */
	const char *ip;
	const char *nfsroot;
	bool neednet;
	/* Resume from hibernation (storage/resume.c). */
	const char *resume;		/* resume=: the swap device, any root= form */
	const char *resume_offset;	/* resume_offset=: of a swap file's image, in pages */
	bool noresume;			/* noresume */
	/*
	 * Words for modules.c, in order (built-in line first, every occurrence):
	 * NAME.PARAM[=VALUE], rd.modules=, module_blacklist=.
	 */
	const char *modword[CMDLINE_MAX_MODWORDS];
	const char *modval[CMDLINE_MAX_MODWORDS];	/* NULL: no '=' */
	int modwords;
	/* Parameters we understood but whose value we could not use. */
	const char *problem[CMDLINE_MAX_PROBLEMS];
	const char *problem_why[CMDLINE_MAX_PROBLEMS];
	int problems;
};

/*
 * Splits off the next word of a command line the way the kernel's
 * next_arg() does. Returns the rest of the line, or NULL at the end.
 * *val is NULL for a word without '='.
 */
char *cmdline_next(char *args, char **param, char **val);

/* The words of a line, split once (in place) and applied as often as needed. */
#define CMDLINE_MAX_WORDS (CMDLINE_MAX / 2 + 1)
struct cmdline_words {
	char *param[CMDLINE_MAX_WORDS];
	char *val[CMDLINE_MAX_WORDS];
	int n;
};

/* Splits buf in place into w, up to a "--" (what follows is the init's). */
void cmdline_split(char *buf, struct cmdline_words *w);

/* A parameter whose value could not be used, kept with why for plan_read() to say. */
void cmdline_problem(struct boot_params *p, const char *param, const char *why);

/* Applies the words to p, over what it holds: the last occurrence wins. */
void cmdline_apply(const struct cmdline_words *w, struct boot_params *p);

/* Parses buf in place into p (defaults first). Never fails. */
void cmdline_parse(char *buf, struct boot_params *p);

/* Parses more words into p, over what it holds: the last occurrence wins. */
void cmdline_parse_more(char *buf, struct boot_params *p);

/*
 * The built-in line deflt parsed afresh into p, then the kernel's words w
 * (already split) applied over it; p->builtin is set.
 */
void cmdline_parse_under(char *deflt, const struct cmdline_words *w, struct boot_params *p);

/*
 * The kernel's line with a built-in default line (make CMDLINE=..., NULL
 * when the image has none). When the kernel's line has a usable root=, the
 * default is ignored. Otherwise the default is parsed first and the
 * kernel's words applied after it, so the last occurrence wins and the
 * kernel's own parameters override the default's, one by one; p->builtin is
 * then set. The kernel's line is split once, into w. Never fails.
 */
void cmdline_parse_default(char *kernel, struct cmdline_words *w, char *deflt,
			   struct boot_params *p);

#endif
