# handoff: a tiny static /init for the initramfs, and the tools around it.
#   make              the init: build/$(ARCH)/init
#   make initramfs    the image: build/$(ARCH)/initramfs.cpio.gz
#   make rootfs       the sample real root: build/$(ARCH)/rootfs.img
#   make kernel       a small QEMU kernel: build/$(ARCH)/kernel
#   make boot         all of the above, then boot it in QEMU
#   make test         every test; ends with "N passed, N failed"
#   make lint         static analysis

ARCH ?= x86_64
BUILD ?= build
# The version of make install's command and of make deb's package.
VERSION := 0.20.0
# The target's C compiler for the init: musl-gcc on x86_64; for aarch64 and
# arm Debian's cross gcc ($(CROSS_COMPILE)gcc) with its multiarch musl
# (tools/cross-cc prints the command; CROSS_COMPILE= overrides the prefix
# as in the kernel's build).
CROSS_COMPILE ?=
ifeq ($(filter x86_64 aarch64 arm,$(ARCH)),)
$(error ARCH=$(ARCH): supported are x86_64, aarch64 and arm)
endif
OUT := $(BUILD)/$(ARCH)
HOST := $(BUILD)/host

# Extra entries for the image, in the same list format (see README).
EXTRA ?=
# PROBES=none leaves the disk probes out (root= by device name only);
# that init and its image get a -noprobes suffix.
PROBES ?= all
# LOCKDOWN=1: an init that never starts a shell (rd.shell, rd.break refused)
# and starts only a real init of LOCKED_INITS: init= must name one of them
# exactly, and they are tried in this order (no shell among the defaults).
LOCKDOWN ?=
LOCKED_INITS ?= /sbin/init /etc/init /bin/init /usr/lib/systemd/systemd /lib/systemd/systemd
ifneq ($(LOCKDOWN),)
ifeq ($(strip $(LOCKED_INITS)),)
$(error LOCKED_INITS is empty: a locked init needs at least one real init to start)
endif
ifneq ($(filter-out /%,$(LOCKED_INITS))$(findstring ",$(LOCKED_INITS))$(findstring ',$(LOCKED_INITS))$(findstring \,$(LOCKED_INITS)),)
$(error LOCKED_INITS: absolute paths without quotes or backslashes, please (got: $(LOCKED_INITS)))
endif
endif
# The list as C strings; its stamp remakes the init when the list changes.
LOCKED_CFLAGS := -DHANDOFF_LOCKDOWN '-DHANDOFF_LOCKED_INITS=$(foreach i,$(LOCKED_INITS),"$(i)",)'
# RUN_SIZE: the size limit of /run (a tmpfs, mode 755, nodev, nosuid,
# strictatime), as tmpfs takes it: 20% (systemd's own), 64M; rd.run.size=
# on the command line overrides it at boot.
RUN_SIZE ?= 20%
ifeq ($(shell echo '$(RUN_SIZE)' | grep -Ex '[0-9]+[kKmMgG%]?'),)
$(error RUN_SIZE=$(RUN_SIZE): a size as tmpfs takes it, such as 20%, 64M or 1G)
endif
# SHUTDOWN=0: the init does not leave itself in /run/initramfs for
# systemd-shutdown's way back (rd.noshutdown does the same at boot).
SHUTDOWN ?= 1
ifeq ($(filter 0 1,$(SHUTDOWN)),)
$(error SHUTDOWN=$(SHUTDOWN): 1 (the default) or 0)
endif
# Build settings as C definitions; their stamp remakes the init when they change.
SETTINGS_CFLAGS := '-DHANDOFF_RUN_SIZE="$(RUN_SIZE)"' -DHANDOFF_WAYBACK=$(SHUTDOWN)
# RESCUE=busybox: the image gets busybox as /bin/sh for rd.shell and rd.break.
RESCUE ?=
# Static busybox for ARCH (fetched for aarch64 and arm: tools/busybox-for).
BUSYBOX ?= $(shell tools/busybox-for $(ARCH))
# FSCK=1: the image gets a static e2fsck (E2FSCK, from Debian's
# e2fsck-static on x86_64; set it for another ARCH), which the init runs on
# an ext2/3/4 root before mounting it read-write; its image gets -fsck.
FSCK ?=
ifneq ($(filter-out 0 1,$(FSCK)),)
$(error FSCK=$(FSCK): 1 or 0 (the default))
endif
E2FSCK ?= $(if $(filter x86_64,$(ARCH)),/sbin/e2fsck.static)
FSCK_LIST := $(if $(filter 1,$(FSCK)),tools/fsck.list)
FSCK_MISSING := FSCK=1: $(if $(E2FSCK),$(E2FSCK) is missing: install Debian's e2fsck-static \
	(apt-get install e2fsck-static) or set E2FSCK= to a static e2fsck,ARCH=$(ARCH): set E2FSCK= \
	to a static e2fsck for $(ARCH) (/sbin/e2fsck.static of Debian's e2fsck-static for it))
# LAYERS=1: layered and RAM roots (root=tmpfs, rd.overlay, rd.loop,
# rd.copytoram); that init and its image get a -layers suffix.
LAYERS ?=
# CRYPT=1: encrypted and verified roots (LUKS, dm-verity: storage/, luks/,
# dm/, crypto/), -crypt suffix. STORAGE=1: those and the volumes (LVM, md
# RAID, resume: lvm/, md/), -storage suffix; it includes CRYPT=1.
CRYPT ?=
STORAGE ?=
# NET=1: network roots (ip=, DHCP, NFS: net/), -net suffix; FLASH=1: UBI
# and MTD roots (flash/), -flash suffix.
NET ?=
FLASH ?=
# KVER=RELEASE: the image carries that kernel's modules (/lib/modules/RELEASE,
# or MODDIR=DIR for a kernel built elsewhere); MODULES=+a,-b changes the
# default set, MODULES=a,b is exactly those (tools/modules.c).
KVER ?=
MODDIR ?=
MODULES ?=
MOD_RELEASE := $(or $(KVER),$(notdir $(patsubst %/,%,$(MODDIR))))
KIMAGE ?= $(if $(KVER),$(wildcard /boot/vmlinuz-$(KVER)))
# MODULES=host (alone or with names) is a set of its own: -host, so that it
# does not overwrite the default set's image (nor its staged modules).
comma := ,
MOD_HOST := $(if $(MOD_RELEASE),$(if $(filter host,$(subst $(comma), ,$(MODULES))),-host))
MOD_TAG := $(MOD_HOST)$(if $(MOD_RELEASE),-$(MOD_RELEASE))
# LUKS=FILE: an encrypted root (docs/luks-setup.md). FILE is a crypttab
# (systemd's crypttab(5)), the image's /etc/crypttab; the image gets the
# CRYPT=1 init and, with KVER=, dm_crypt and its ciphers. MODULES=host
# without LUKS= does the same for this machine's root when it is on LUKS,
# with its lines of /etc/crypttab (tools/host-crypttab).
# LUKS_KEYS=FILE[:/PATH],...: key files (and detached headers) in the image (mode 0400), at PATH
# or at FILE's own absolute path; the image is then made mode 0600.
LUKS ?=
LUKS_KEYS ?=
# LUKS_CIPHERS="SPEC ...": the modules of these dm-crypt ciphers too, for a
# crypttab whose devices are elsewhere (blank-separated: adiantum's spec,
# xchacha12,aes-adiantum-plain64, has a comma).
LUKS_CIPHERS ?=
# MODULES=host on a root in LUKS, LVM or md: tools/host-crypttab says which
# (and "resume" for a resume= on this machine's command line), and lists the
# LUKS containers, whose headers name the ciphers to take (handoff-modules -H).
HOST_STACK := $(if $(MOD_HOST),$(if $(LUKS),,$(shell mkdir -p $(OUT) && \
	tools/host-crypttab $(OUT)/crypttab-host $(OUT)/crypttab-host.devices)))
CRYPTTAB := $(or $(LUKS),$(if $(filter luks,$(HOST_STACK)),$(OUT)/crypttab-host))
# LUKS=FILE with KVER=: the crypttab's devices found on this machine.
LUKS_DEVICES := $(if $(MOD_RELEASE),$(if $(LUKS),$(shell mkdir -p $(OUT) && \
	tools/host-crypttab -d $(LUKS) $(OUT)/luks.devices "$(LUKS_KEYS)" && cat $(OUT)/luks.devices),$(if \
	$(CRYPTTAB),$(shell cat $(OUT)/crypttab-host.devices))))
ifneq ($(CRYPTTAB),)
override CRYPT := 1
endif
ifneq ($(filter-out luks,$(HOST_STACK)),)
override STORAGE := 1
endif
LUKS_LIST := $(if $(CRYPTTAB)$(LUKS_KEYS),$(OUT)/luks.list)
SUFFIX := $(if $(filter none,$(PROBES)),-noprobes)$(if $(LOCKDOWN),-locked)$(if $(LAYERS),-layers)$(if $(STORAGE),-storage,$(if $(CRYPT),-crypt))$(if $(NET),-net)$(if $(FLASH),-flash)
MOD_LIST := $(if $(MOD_RELEASE),$(OUT)/modules$(MOD_TAG).list)
IMAGE_SUFFIX := $(SUFFIX)$(if $(RESCUE),-rescue)$(if $(FSCK_LIST),-fsck)$(MOD_TAG)
# Compression of the image: gzip, zstd, xz or none.
COMPRESS ?= gzip
CMDLINE_APPEND ?=
# CMDLINE="root=PARTUUID=... rootwait": a default command line stored in the
# image as /etc/handoff/cmdline, for boards whose bootloader passes none. It
# applies when the kernel's line has no root=; the kernel's parameters then
# still win over it one by one (docs/boards.md: "Boards without a command line").
CMDLINE ?=
CMDLINE_LIST := $(if $(strip $(CMDLINE)),$(OUT)/cmdline.list)
define CMDLINE_LIST_TEXT
# Written by make initramfs CMDLINE=...
dir /etc 0755 0 0
dir /etc/handoff 0755 0 0
file /etc/handoff/cmdline $(OUT)/cmdline 0644 0 0
endef

MUSL_CC ?= $(shell CROSS_COMPILE='$(CROSS_COMPILE)' tools/cross-cc $(ARCH))
# The kernel's console on QEMU's machine for ARCH.
CONSOLE := $(if $(filter x86_64,$(ARCH)),ttyS0,ttyAMA0)
HOSTCC ?= cc
WARN := -Wall -Wextra -Werror
CSTD := -std=c11 -D_GNU_SOURCE
# Size is a feature: -Os, no unwind tables, whole-program optimisation, a
# static non-PIE binary, and unused sections dropped at link time. The
# CRYPT=1 and STORAGE=1 inits are built at -Oz (GCC 12's -Os that trades more speed for
# bytes: 1.9 KiB of it), but for its KDF loops (init/crypto), where an unlock
# spends its time; not the others: their code shrank 1.2 KiB at -Oz but its
# gzip grew, and the PROBES=none image has a floor compressed.
# HANDOFF_INIT: what the init leaves out and the host tools keep (SHA-1's SHA-NI path).
INIT_OPT := $(if $(STORAGE)$(CRYPT),-Oz,-Os)
INIT_CFLAGS = $(CSTD) $(WARN) -DHANDOFF_INIT $(INIT_OPT) $(INIT_ISA) -static -flto -fno-pie -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector
# noseparate-code: one page of padding less; the init has no secrets to guard.
# norelro: a static non-PIE binary has no relocations for RELRO to protect,
# and aligning its end to a page padded the file (64 KiB on aarch64, whose
# linker allows for 64 KiB pages: 20 KiB of zeros; 3 KiB on x86_64).
# common-page-size=64: no padding before the data either (segments stay
# congruent to the page size).
# -flto-partition=none: the whole program optimised as one unit, not in
# parallel pieces: 0.4 KiB of STORAGE=1's init (and no serial-LTRANS warning).
INIT_LDFLAGS := -static -no-pie -s -flto-partition=none -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	-Wl,-z,norelro -Wl,-z,common-page-size=64
# x86_64: no SSE in the init's own code (0.2 to 0.4 KiB: struct copies and
# clears in general registers); it has no floating point. The KDFs keep it
# (init/crypto: their loops, and the SHA-NI and AVX2 paths, are where an
# unlock's time goes).
INIT_ISA := $(if $(filter x86_64,$(ARCH)),-mno-sse)
HOST_CFLAGS := $(CSTD) $(WARN) -O2 -g

include init/init.mk
INIT_SRCS := $(INIT_MAIN) $(INIT_SPINE) \
	$(if $(filter none,$(PROBES)),$(INIT_PROBES_NONE),$(INIT_PROBES)) \
	$(if $(LAYERS),$(INIT_LAYERS),$(INIT_LAYERS_NONE)) \
	$(if $(STORAGE),$(INIT_STORAGE),$(if $(CRYPT),$(INIT_CRYPT),$(INIT_STORAGE_NONE))) \
	$(if $(NET),$(INIT_NET),$(INIT_NET_NONE)) $(if $(FLASH),$(INIT_FLASH),$(INIT_FLASH_NONE))
# Host tools' code shared with the unit tests (tests/unit/test_hostparse.c)
# and the fuzzers (mkcpio's list parser and writer: fuzz_mkcpio_list).
TOOLS_LIB_SRCS := tools/hostparse.c tools/hostonly.c tools/readfile.c tools/cpiolist.c tools/newc.c \
	tools/cipherspec.c

IMAGE_EXT := $(if $(filter none,$(COMPRESS)),cpio,cpio.$(if $(filter gzip,$(COMPRESS)),gz,$(COMPRESS)))
IMAGE := $(OUT)/initramfs$(IMAGE_SUFFIX).$(IMAGE_EXT)
INIT := $(OUT)/init$(SUFFIX)

.PHONY: fuzz-lib deps boot-only all probe-tool initramfs uinitrd rootfs kernel boot test unit arch-unit boot-test lint fuzz bench clean
.DELETE_ON_ERROR:

all: $(INIT)

# Each source compiled once per feature set (its own object directory),
# then linked with link-time optimisation over them all.
INIT_OBJDIR := $(OUT)/obj$(SUFFIX)
INIT_OBJS := $(patsubst %.c,$(INIT_OBJDIR)/%.o,$(INIT_SRCS))
# Linked in the order of their file names: the layout, and so the size, does
# not change when a file moves between folders.
INIT_LINK := $(foreach b,$(sort $(notdir $(INIT_OBJS))),$(filter %/$(b),$(INIT_OBJS)))

$(INIT_OBJDIR)/init/crypto/%.o: INIT_OPT := -Os
$(INIT_OBJDIR)/init/crypto/%.o: INIT_ISA :=
# BLAKE2b (Argon2's H0 and H', a few blocks a call) and the threads are not where the time goes.
$(INIT_OBJDIR)/init/crypto/blake2b.o $(INIT_OBJDIR)/init/crypto/thread.o: INIT_OPT := -Oz
$(INIT_OBJDIR)/%.o: %.c $(INIT_HDRS) init/init.mk $(OUT)/settings$(SUFFIX) \
		$(if $(LOCKDOWN),$(OUT)/locked-inits)
	@mkdir -p $(@D)
	$(MUSL_CC) $(INIT_CFLAGS) $(SETTINGS_CFLAGS) $(if $(LOCKDOWN),$(LOCKED_CFLAGS)) -Iinit -c -o $@ $<

$(INIT): $(INIT_OBJS) Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) $(filter-out $(INIT_ISA),$(INIT_CFLAGS)) $(INIT_LDFLAGS) -o $@ $(INIT_LINK)

$(OUT)/settings$(SUFFIX): FORCE
	@mkdir -p $(@D)
	@echo '$(SETTINGS_CFLAGS) $(INIT_OPT) $(INIT_ISA)' | cmp -s - $@ || echo '$(SETTINGS_CFLAGS) $(INIT_OPT) $(INIT_ISA)' >$@

$(OUT)/locked-inits: FORCE
	@mkdir -p $(@D)
	@echo '$(strip $(LOCKED_INITS))' | cmp -s - $@ || echo '$(strip $(LOCKED_INITS))' >$@

$(HOST)/mkcpio: tools/mkcpio.c tools/cpiolist.c tools/cpiolist.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ tools/mkcpio.c tools/cpiolist.c

# The reader of concatenated images (installed as handoff-lsinitramfs).
$(HOST)/handoff-lsinitramfs: tools/lsinitramfs.c tools/newc.c tools/newc.h init/layers/newc.c init/layers/newc.h init/base/util.c init/base/util.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ tools/lsinitramfs.c tools/newc.c init/layers/newc.c init/base/util.c

probe-tool: $(HOST)/handoff-probe

# With the LUKS verbs: the init's header reader and unlocking, and the KDFs;
# the LVM verb: the init's PV and metadata reader.
# The init's LUKS reader and keyslot code with the host's AES (handoff-probe, handoff-modules -H).
LUKS_HOST_SRCS := $(filter-out init/luks/table.c init/luks/aes_none.c,$(wildcard init/luks/*.c)) \
	$(wildcard init/crypto/*.c) init/base/fmt.c
PROBE_LUKS_SRCS := tools/probe_luks.c $(LUKS_HOST_SRCS) init/base/util.c \
	tools/probe_lvm.c $(wildcard init/lvm/*.c) init/base/errtext.c
$(HOST)/handoff-probe: tools/probe.c $(INIT_PROBE_SRCS) $(PROBE_LUKS_SRCS) init/find/probe.h \
		tools/probe_luks.h tools/probe_lvm.h $(wildcard init/luks/*.h init/crypto/*.h init/lvm/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ tools/probe.c $(INIT_PROBE_SRCS) $(PROBE_LUKS_SRCS)

HOSTMOD_SRCS := tools/modules.c tools/hostonly.c tools/hostparse.c tools/readfile.c init/modules/modparse.c \
	init/base/util.c tools/cipherspec.c $(LUKS_HOST_SRCS)
$(HOST)/handoff-modules: $(HOSTMOD_SRCS) tools/hostonly.h tools/hostparse.h tools/readfile.h init/modules/modparse.h \
		tools/cipherspec.h $(wildcard init/luks/*.h init/crypto/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ $(HOSTMOD_SRCS)

# Remade every time: MODULES= or the modules directory may have changed.
$(MOD_LIST): $(HOST)/handoff-modules FORCE
	$(HOST)/handoff-modules $(if $(KVER),-k $(KVER)) $(if $(MODDIR),-d $(MODDIR)) \
		$(if $(KIMAGE),-K $(KIMAGE)) -m "$(MODULES)" $(if $(CRYPTTAB),-L) $(if $(NET),-N) \
		$(foreach d,$(LUKS_DEVICES),$(if $(filter header:%,$d),-D $(d:header:%=%),-H $d)) $(addprefix -c ,$(LUKS_CIPHERS)) \
		-o $(OUT)/modules$(MOD_TAG) >$@

initramfs: $(IMAGE)

RESCUE_LIST := $(if $(filter busybox,$(RESCUE)),tools/rescue.list)

# The list is always read, so the image is remade when EXTRA changes.
$(IMAGE): $(INIT) $(HOST)/mkcpio tools/initramfs.list $(FSCK_LIST) $(EXTRA) $(MOD_LIST) $(wildcard $(LUKS)) FORCE
	@if [ -n "$(RESCUE)" ] && [ "$(RESCUE)" != busybox ]; then \
		echo "RESCUE=$(RESCUE): the only rescue shell on offer is RESCUE=busybox" >&2; exit 1; fi
	@if [ -n "$(MOD_LIST)" ] && [ "$(PROBES)" = none ]; then \
		echo "KVER=/MODDIR= and PROBES=none contradict each other: the smallest init loads no modules" >&2; exit 1; fi
	@if [ -n "$(FSCK_LIST)" ] && [ "$(PROBES)" = none ]; then \
		echo "FSCK=1 and PROBES=none contradict each other: the smallest init has no probe to tell an ext2/3/4 root" >&2; exit 1; fi
	@if [ -n "$(RESCUE)" ] && [ -n "$(LOCKDOWN)" ]; then \
		echo "RESCUE=busybox and LOCKDOWN=1 contradict each other: a locked-down image has no shell" >&2; exit 1; fi
	@if [ -n "$(FSCK_LIST)" ] && [ ! -x "$(E2FSCK)" ]; then \
		echo "$(FSCK_MISSING)" >&2; exit 1; fi
	$(if $(CMDLINE_LIST),$(file >$(OUT)/cmdline,$(strip $(CMDLINE)))$(file >$(CMDLINE_LIST),$(CMDLINE_LIST_TEXT)))
	$(if $(LUKS_LIST),tools/luks-list "$(CRYPTTAB)" "$(LUKS_KEYS)" >$(LUKS_LIST) || { rm -f $(LUKS_LIST); exit 1; })
	$(if $(LUKS_KEYS),umask 077;) INIT=$(INIT) $(if $(RESCUE),BUSYBOX=$(BUSYBOX)) $(if $(FSCK_LIST),E2FSCK=$(E2FSCK)) $(HOST)/mkcpio -c $(COMPRESS) -o $@ tools/initramfs.list $(CMDLINE_LIST) $(RESCUE_LIST) $(FSCK_LIST) $(EXTRA) $(MOD_LIST) $(LUKS_LIST)
	$(if $(LUKS_KEYS),chmod 600 $@)

rootfs: $(OUT)/rootfs.img

$(OUT)/rootfs.img: tools/mkrootfs rootfs/report.c $(wildcard rootfs/skel/*/*)
	ARCH=$(ARCH) BUILD=$(BUILD) tools/mkrootfs $@

# For U-Boot: the image wrapped by mkimage (uInitrd) and a boot script
# (boot.scr) that loads KERNEL_FILE and uInitrd from its own partition and
# boots them with BOOTARGS. The uInitrd is marked uncompressed (-C none):
# U-Boot passes a ramdisk on as it is, and the kernel unpacks the cpio's
# gzip (or zstd, xz) itself.
UBOOT_ARCH := $(if $(filter aarch64,$(ARCH)),arm64,$(if $(filter arm,$(ARCH)),arm,x86_64))
KERNEL_FILE ?= $(if $(filter aarch64,$(ARCH)),Image,$(if $(filter arm,$(ARCH)),zImage,bzImage))
UBOOT_BOOT_aarch64 := booti $${kernel_addr_r} $${ramdisk_addr_r} $${handoff_fdt}
UBOOT_BOOT_arm := bootz $${kernel_addr_r} $${ramdisk_addr_r} $${handoff_fdt}
# zboot takes the ramdisk bare: skip uInitrd's 64-byte header (not boot-tested).
UBOOT_BOOT_x86_64 := setexpr handoff_rd $${ramdisk_addr_r} + 40; setexpr handoff_rdsize $${filesize} - 40; \
	zboot $${kernel_addr_r} 0 $${handoff_rd} $${handoff_rdsize}
BOOTARGS ?= console=$(CONSOLE)
UINITRD := $(OUT)/uInitrd$(IMAGE_SUFFIX)
BOOTSCR := $(OUT)/boot$(IMAGE_SUFFIX).scr

uinitrd: $(UINITRD) $(BOOTSCR)

$(UINITRD): $(IMAGE)
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-0} mkimage -A $(UBOOT_ARCH) -O linux -T ramdisk -C none -a 0 -e 0 \
		-n "handoff initramfs $(ARCH)" -d $< $@ >/dev/null

$(BOOTSCR): tools/boot.cmd.in FORCE
	@case '$(BOOTARGS)' in *"'"*) echo "BOOTARGS: a single quote cannot be passed through the boot script" >&2; exit 1 ;; esac
	sed -e 's|@KERNEL@|$(KERNEL_FILE)|g' -e 's|@BOOT@|$(UBOOT_BOOT_$(ARCH))|' \
		-e "s|@BOOTARGS@|$$(printf '%s' '$(BOOTARGS)' | sed 's/[|&\\]/\\&/g')|" $< >$(@:.scr=.cmd)
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-0} mkimage -A $(UBOOT_ARCH) -O linux -T script -C none -n "handoff boot script" \
		-d $(@:.scr=.cmd) $@ >/dev/null

kernel: $(OUT)/kernel

$(OUT)/kernel: tools/build-kernel kernel-config/$(ARCH).config
	tools/build-kernel --arch $(ARCH) $@

# Installs the Debian packages that are missing (as root; otherwise it
# names them and stops): deps all that the tests need, deps-boot only what
# booting ARCH needs (tools/install-deps --print [boot ARCH|test] lists them).
deps:
	@tools/install-deps test

.PHONY: deps-boot
deps-boot:
	@tools/install-deps boot $(ARCH)

# With KVER=, the installed kernel /boot/vmlinuz-KVER.
BOOT_KERNEL := $(or $(KIMAGE),$(OUT)/kernel)

boot: deps-boot
	$(MAKE) $(BOOT_KERNEL) $(IMAGE) $(OUT)/rootfs.img
	$(MAKE) boot-only

boot-only:
	qemu/boot --arch $(ARCH) --kernel $(BOOT_KERNEL) --initrd $(IMAGE) \
		--disk $(OUT)/rootfs.img --timeout 0 \
		--append "console=$(CONSOLE) root=/dev/vda $(CMDLINE_APPEND)"

# Unit-test binaries: host-built with sanitizers, one per parser, each
# linking the one library of the init's parts (compiled once).
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOST)/%,$(wildcard tests/unit/test_*.c))
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
LIB_SRCS := $(INIT_LIB_SRCS) $(TOOLS_LIB_SRCS)
HOST_LIB := $(HOST)/lib/libhandoff.a
HOST_LIB_OBJS := $(patsubst %.c,$(HOST)/lib/%.o,$(LIB_SRCS))

$(HOST)/lib/%.o: %.c $(INIT_HDRS) $(wildcard tools/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN) -Iinit -c -o $@ $<

$(HOST_LIB): $(HOST_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(HOST)/test_%: tests/unit/test_%.c tests/unit/check.h $(HOST_LIB)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN) -Iinit -o $@ $< $(HOST_LIB)

unit: $(UNIT_TESTS) $(HOST)/mkcpio $(HOST)/handoff-probe $(HOST)/handoff-modules $(HOST)/handoff-lsinitramfs $(INIT)

# The same unit tests for ARCH: built by the target's compiler, static, run
# under qemu-user by tests/run. Without sanitizers: Debian has no ASan or
# UBSan runtime for musl, nor for its cross compilers' static builds.
ARCH_TESTS := $(patsubst tests/unit/%.c,$(OUT)/unit/%,$(wildcard tests/unit/test_*.c))
ARCH_LIB := $(OUT)/unit/lib/libhandoff.a
ARCH_LIB_OBJS := $(patsubst %.c,$(OUT)/unit/lib/%.o,$(LIB_SRCS))

$(OUT)/unit/lib/%.o: %.c $(INIT_HDRS) $(wildcard tools/*.h)
	@mkdir -p $(@D)
	$(MUSL_CC) $(CSTD) $(WARN) -O2 -Iinit -c -o $@ $<

$(ARCH_LIB): $(ARCH_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(OUT)/unit/test_%: tests/unit/test_%.c tests/unit/check.h $(ARCH_LIB)
	@mkdir -p $(@D)
	$(MUSL_CC) $(CSTD) $(WARN) -O2 -static -Iinit -o $@ $< $(ARCH_LIB)

arch-unit: $(ARCH_TESTS)

# The fuzzers' build of the same library (tests/fuzz/run calls this):
# FUZZ_CC with libFuzzer's coverage and the sanitizers.
FUZZ_CC ?= clang
FUZZ_CFLAGS ?=
FUZZ_LIB := $(BUILD)/fuzz/lib/libhandoff.a
FUZZ_LIB_OBJS := $(patsubst %.c,$(BUILD)/fuzz/lib/%.o,$(LIB_SRCS))

$(BUILD)/fuzz/lib/%.o: %.c $(INIT_HDRS) $(wildcard tools/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
		$(CSTD) -Wall -Wextra -Iinit $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

fuzz-lib: $(FUZZ_LIB)

test: deps
	tests/run

# The installed generator (handoff-mkinitramfs) and its Debian package.
include tools/install.mk
include tools/dist/deb.mk

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem --suppress=variableScope -D__x86_64__ init tools
	clang-tidy --quiet init/*.c init/*/*.c tools/*.c -- $(CSTD) -Iinit

# Each parser's fuzzer for FUZZ_SECONDS (default 600: the floor is ten minutes
# per target without a crash).
FUZZ_SECONDS ?= 600
fuzz:
	tests/fuzz/run $(FUZZ_SECONDS)

bench:
	tests/bench/all

# The keyslot KDFs of init/crypto as a host program, for tests/bench/kdf.
KDF_SRCS := $(wildcard init/crypto/*.c)
$(HOST)/kdf-bench: tests/bench/kdf.c $(KDF_SRCS) $(wildcard init/crypto/*.h)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ tests/bench/kdf.c $(KDF_SRCS)

clean:
	rm -rf $(BUILD)

FORCE:
