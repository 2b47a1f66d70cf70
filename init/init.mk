# The init's sources, by feature: the one place the Makefile, the unit
# tests and the fuzzers take them from. Each feature that can be left out
# has a stub (*_none.c) that refuses it with a message.
#   PROBES=none  no disk probes, identity roots, blkid, module loading, fsck
#                or host-directory roots
#   LAYERS=1     layered and RAM roots, and rd.exitstatus= for qemu/run
#                (otherwise layers_none.c and run_none.c)
#   CRYPT=1      LUKS and dm-verity (the volumes refused: volumes_none.c)
#   STORAGE=1    CRYPT=1's and the volumes: LVM, md RAID and resume
#                (neither: storage_none.c and volumes_none.c)
#   NET=1        network roots: ip=, DHCP, NFS (otherwise net_none.c)
#   FLASH=1      UBI and MTD roots (otherwise flash_none.c)
#   LOCKDOWN=1   a compile-time flag on init/handover/realinit.c only
INIT_MAIN := init/main.c
# Always in: the spine (API mounts, command line, the wait, mount, switch).
INIT_SPINE := $(filter-out init/mount/fsck%.c init/mount/hostdir%.c init/handover/run%.c,$(wildcard init/base/*.c init/plan/*.c init/mount/*.c \
	init/handover/*.c init/shutdown/*.c)) \
	init/find/uevent.c init/find/devices.c init/find/blockdev.c init/rescue/rescue.c
# The check before a read-write mount needs the probe's type: with the probes.
INIT_PROBES := init/find/identify.c init/find/gptauto.c $(wildcard init/find/probe*.c) \
	init/rescue/blkid.c init/modules/modules.c init/modules/modparse.c init/mount/fsck.c \
	init/mount/hostdir.c
INIT_PROBES_NONE := init/find/identify_none.c init/find/gptauto_none.c \
	init/modules/modules_none.c init/mount/fsck_none.c init/mount/hostdir_none.c
INIT_LAYERS := $(filter-out init/layers/layers_none.c,$(wildcard init/layers/*.c)) init/handover/run.c
INIT_LAYERS_NONE := init/layers/layers_none.c init/handover/run_none.c
# The init decrypts keyslot areas with the kernel's cipher only (aes_none.c);
# the tests, fuzzers and host tools, on hosts without AF_ALG, have aes.c.
# The volumes (LVM, md, resume and the scan of appearing devices that
# assembles them) are STORAGE=1's on top of CRYPT=1's LUKS and verity.
INIT_VOLUMES := $(filter-out init/md/md_none.c,$(wildcard init/lvm/*.c init/md/*.c)) \
	$(addprefix init/storage/,scan.c lvm.c md.c resume.c)
INIT_CRYPT_COMMON := $(filter-out init/dm/dm_none.c init/luks/aes%.c,$(wildcard init/crypto/*.c \
	init/dm/*.c init/luks/*.c)) $(filter-out $(INIT_VOLUMES) init/storage/%_none.c,$(wildcard init/storage/*.c))
INIT_STORAGE_COMMON := $(INIT_CRYPT_COMMON) $(INIT_VOLUMES)
INIT_CRYPT := $(INIT_CRYPT_COMMON) init/luks/aes_none.c init/storage/volumes_none.c init/md/md_none.c
INIT_STORAGE := $(INIT_STORAGE_COMMON) init/luks/aes_none.c
# The way back's removers (shutdown.c) link dm_remove() and md_stop() in every build.
INIT_STORAGE_NONE := init/storage/storage_none.c init/storage/volumes_none.c init/dm/dm_none.c init/md/md_none.c
INIT_NET := $(filter-out init/net/net_none.c,$(wildcard init/net/*.c))
INIT_NET_NONE := init/net/net_none.c
INIT_FLASH := $(filter-out init/flash/flash_none.c,$(wildcard init/flash/*.c))
INIT_FLASH_NONE := init/flash/flash_none.c
INIT_HDRS := $(wildcard init/*/*.h)

# The pure parts the host tools share (tools/probe.c, tools/modules.c).
INIT_PROBE_SRCS := $(wildcard init/find/probe*.c)
# Everything but main() and the stubs: what the unit tests and fuzzers link.
INIT_LIB_SRCS := $(INIT_SPINE) $(INIT_PROBES) $(INIT_LAYERS) $(INIT_STORAGE_COMMON) init/luks/aes.c \
	$(INIT_NET) $(INIT_FLASH)
