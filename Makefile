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
OUT := $(BUILD)/$(ARCH)
HOST := $(BUILD)/host

# Extra entries for the image, in the same list format (see README).
EXTRA ?=
# PROBES=none leaves the disk probes out (root= by device name only);
# that init and its image get a -noprobes suffix.
PROBES ?= all
# LOCKDOWN=1: an init that never starts a shell (rd.shell, rd.break refused).
LOCKDOWN ?=
# RESCUE=busybox: the image gets busybox as /bin/sh for rd.shell and rd.break.
RESCUE ?=
BUSYBOX ?= /bin/busybox
SUFFIX := $(if $(filter none,$(PROBES)),-noprobes)$(if $(LOCKDOWN),-locked)
# KVER=RELEASE: the image carries that kernel's modules (/lib/modules/RELEASE,
# or MODDIR=DIR for a kernel built elsewhere); MODULES=+a,-b changes the
# default set, MODULES=a,b is exactly those (tools/modules.c).
KVER ?=
MODDIR ?=
MODULES ?=
MOD_RELEASE := $(or $(KVER),$(notdir $(patsubst %/,%,$(MODDIR))))
KIMAGE ?= $(if $(KVER),$(wildcard /boot/vmlinuz-$(KVER)))
MOD_LIST := $(if $(MOD_RELEASE),$(OUT)/modules-$(MOD_RELEASE).list)
IMAGE_SUFFIX := $(SUFFIX)$(if $(RESCUE),-rescue)$(if $(MOD_RELEASE),-$(MOD_RELEASE))
# Compression of the image: gzip, zstd, xz or none.
COMPRESS ?= gzip
CMDLINE_APPEND ?=

MUSL_CC ?= musl-gcc
HOSTCC ?= cc
WARN := -Wall -Wextra -Werror
CSTD := -std=c11 -D_GNU_SOURCE
# Size is a feature: -Os, no unwind tables, whole-program optimisation,
# a static non-PIE binary, and unused sections dropped at link time.
INIT_CFLAGS := $(CSTD) $(WARN) -Os -static -flto -fno-pie -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-stack-protector
# noseparate-code: one page of padding less; the init has no secrets to guard.
# norelro, common-page-size=64: no padding before the data either (a static
# musl binary never applies RELRO; segments stay page-congruent).
INIT_LDFLAGS := -static -no-pie -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	-Wl,-z,norelro -Wl,-z,common-page-size=64
HOST_CFLAGS := $(CSTD) $(WARN) -O2 -g

# PROBES=none also leaves out module loading (the smallest init).
ifeq ($(PROBES),none)
INIT_SRCS := $(filter-out init/probe%.c init/identify.c init/modules.c init/modparse.c,$(wildcard init/*.c))
else
INIT_SRCS := $(filter-out init/identify_none.c init/modules_none.c,$(wildcard init/*.c))
endif
INIT_HDRS := $(wildcard init/*.h)

IMAGE_EXT := $(if $(filter none,$(COMPRESS)),cpio,cpio.$(if $(filter gzip,$(COMPRESS)),gz,$(COMPRESS)))
IMAGE := $(OUT)/initramfs$(IMAGE_SUFFIX).$(IMAGE_EXT)
INIT := $(OUT)/init$(SUFFIX)

.PHONY: deps boot-only all probe-tool initramfs rootfs kernel boot test unit boot-test lint fuzz bench clean
.DELETE_ON_ERROR:

all: $(INIT)

$(INIT): $(INIT_SRCS) $(INIT_HDRS) Makefile
	@mkdir -p $(@D)
	$(MUSL_CC) $(INIT_CFLAGS) $(if $(LOCKDOWN),-DHANDOFF_LOCKDOWN) $(INIT_LDFLAGS) -o $@ $(INIT_SRCS)

$(HOST)/mkcpio: tools/mkcpio.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $<

probe-tool: $(HOST)/handoff-probe

$(HOST)/handoff-probe: tools/probe.c $(wildcard init/probe*.c) init/probe.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ tools/probe.c $(wildcard init/probe*.c)

$(HOST)/handoff-modules: tools/modules.c init/modparse.c init/modparse.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Iinit -o $@ tools/modules.c init/modparse.c

# Remade every time: MODULES= or the modules directory may have changed.
$(MOD_LIST): $(HOST)/handoff-modules FORCE
	$(HOST)/handoff-modules $(if $(KVER),-k $(KVER)) $(if $(MODDIR),-d $(MODDIR)) \
		$(if $(KIMAGE),-K $(KIMAGE)) -m "$(MODULES)" -o $(OUT)/modules-$(MOD_RELEASE) >$@

initramfs: $(IMAGE)

RESCUE_LIST := $(if $(filter busybox,$(RESCUE)),tools/rescue.list)

# The list is always read, so the image is remade when EXTRA changes.
$(IMAGE): $(INIT) $(HOST)/mkcpio tools/initramfs.list $(EXTRA) $(MOD_LIST) FORCE
	@if [ -n "$(RESCUE)" ] && [ "$(RESCUE)" != busybox ]; then \
		echo "RESCUE=$(RESCUE): the only rescue shell on offer is RESCUE=busybox" >&2; exit 1; fi
	@if [ -n "$(MOD_LIST)" ] && [ "$(PROBES)" = none ]; then \
		echo "KVER=/MODDIR= and PROBES=none contradict each other: the smallest init loads no modules" >&2; exit 1; fi
	@if [ -n "$(RESCUE)" ] && [ -n "$(LOCKDOWN)" ]; then \
		echo "RESCUE=busybox and LOCKDOWN=1 contradict each other: a locked-down image has no shell" >&2; exit 1; fi
	INIT=$(INIT) BUSYBOX=$(BUSYBOX) $(HOST)/mkcpio -c $(COMPRESS) -o $@ tools/initramfs.list $(RESCUE_LIST) $(EXTRA) $(MOD_LIST)

rootfs: $(OUT)/rootfs.img

$(OUT)/rootfs.img: tools/mkrootfs rootfs/report.c $(wildcard rootfs/skel/*/*)
	BUILD=$(BUILD) tools/mkrootfs $@

kernel: $(OUT)/kernel

$(OUT)/kernel: tools/build-kernel kernel-config/$(ARCH).config
	tools/build-kernel --arch $(ARCH) $@

# Installs the Debian packages that are missing (as root; otherwise it
# names them and stops).
deps:
	@tools/install-deps

# With KVER=, the installed kernel /boot/vmlinuz-KVER.
BOOT_KERNEL := $(or $(KIMAGE),$(OUT)/kernel)

boot: deps
	$(MAKE) $(BOOT_KERNEL) $(IMAGE) $(OUT)/rootfs.img
	$(MAKE) boot-only

boot-only:
	qemu/boot --arch $(ARCH) --kernel $(BOOT_KERNEL) --initrd $(IMAGE) \
		--disk $(OUT)/rootfs.img --timeout 0 \
		--append "console=ttyS0 root=/dev/vda $(CMDLINE_APPEND)"

# Unit-test binaries: host-built with sanitizers, one per parser.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOST)/%,$(wildcard tests/unit/test_*.c))
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

$(HOST)/test_%: tests/unit/test_%.c tests/unit/check.h $(INIT_SRCS) $(INIT_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN) -Iinit -o $@ $< $(filter-out init/main.c,$(INIT_SRCS))

unit: $(UNIT_TESTS) $(HOST)/mkcpio $(HOST)/handoff-probe $(HOST)/handoff-modules $(INIT)

test: deps
	tests/run

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem --suppress=variableScope -D__x86_64__ init tools
	clang-tidy --quiet init/*.c tools/*.c -- $(CSTD) -Iinit

# Each parser's fuzzer for FUZZ_SECONDS (default 600: the floor is ten minutes
# per target without a crash).
FUZZ_SECONDS ?= 600
fuzz:
	tests/fuzz/run $(FUZZ_SECONDS)

bench:
	tests/bench/run
	tests/bench/distro

clean:
	rm -rf $(BUILD)

FORCE:
