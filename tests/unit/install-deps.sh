#!/bin/bash
# tools/install-deps's profiles, from its --print (nothing is installed):
# `make boot` installs only what booting its ARCH needs (no cross compiler,
# clang, U-Boot or other QEMU for x86_64), `make test` and .ci/run all.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# profile FILE ARGS...: the packages of tools/install-deps --print ARGS.
profile() {
	local out=$1
	shift
	if ! tools/install-deps --print "$@" >"$T/$out" 2>"$T/$out.err" || [ ! -s "$T/$out" ]; then
		t_fail "print-$out" "tools/install-deps --print $*: $(cat "$T/$out.err")"
	fi
}
has() { grep -qx -- "$2" "$T/$1"; }
# want FILE WHAT PKG...: each is in the profile. lacks: none is.
want() {
	local f=$1 name=$1-has-$2 p miss=
	shift 2
	for p in "$@"; do has "$f" "$p" || miss="$miss $p"; done
	if [ -z "$miss" ]; then t_ok "$name"; else t_fail "$name" "missing:$miss"; fi
}
lacks() {
	local f=$1 name=$1-lacks-$2 p extra=
	shift 2
	for p in "$@"; do has "$f" "$p" && extra="$extra $p"; done
	if [ -z "$extra" ]; then t_ok "$name"; else t_fail "$name" "has:$extra"; fi
}

profile boot-x86_64 boot x86_64
profile boot-default boot
profile boot-aarch64 boot aarch64
profile boot-arm boot arm
profile test test
profile all

CROSS="gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf musl-dev:arm64 musl-dev:armhf"
TESTS="clang libclang-rt-14-dev clang-tidy cppcheck u-boot-qemu u-boot-tools linux-image-cloud-amd64"
COMMON="make gcc musl-tools gzip zstd xz-utils e2fsprogs linux-source-6.1 bison flex bc libelf-dev"

# shellcheck disable=SC2086 # package lists are words
{
	want boot-x86_64 build-kernel-rootfs-qemu-x86 $COMMON busybox-static qemu-system-x86
	lacks boot-x86_64 cross-clang-uboot-other-qemus $CROSS $TESTS qemu-system-arm qemu-user-static
	want boot-aarch64 its-cross-musl-qemu $COMMON gcc-aarch64-linux-gnu musl-dev:arm64 \
		qemu-system-arm qemu-user-static
	lacks boot-aarch64 arm-clang-uboot-x86-qemu gcc-arm-linux-gnueabihf musl-dev:armhf $TESTS \
		qemu-system-x86
	want boot-arm its-cross-musl-qemu $COMMON gcc-arm-linux-gnueabihf musl-dev:armhf \
		qemu-system-arm qemu-user-static
	lacks boot-arm aarch64-clang-uboot-x86-qemu gcc-aarch64-linux-gnu musl-dev:arm64 $TESTS \
		qemu-system-x86
	want test everything $COMMON $CROSS $TESTS qemu-system-x86 qemu-system-arm qemu-user-static \
		busybox-static bzip2 lz4
}
t_check boot-default-is-x86_64 cmp "$T/boot-default" "$T/boot-x86_64"
t_check no-profile-is-test cmp "$T/all" "$T/test"
# No foreign architecture (dpkg --add-architecture) for an x86_64 boot.
t_nogrep boot-x86_64-no-foreign-arch "$T/boot-x86_64" ':'
for a in x86_64 aarch64 arm; do
	extra=$(sort "$T/test" | comm -13 - <(sort "$T/boot-$a"))
	if [ -z "$extra" ]; then t_ok "test-covers-boot-$a"; else
		t_fail "test-covers-boot-$a" "only in boot $a: $extra"; fi
done
dups=$(sort "$T/test" | uniq -d)
if [ -z "$dups" ]; then t_ok test-lists-each-once; else t_fail test-lists-each-once "twice: $dups"; fi

# Bad words are refused with the usage, never taken for a profile.
for bad in "boot mips" "test aarch64" "boot arm arm" "everything"; do
	# shellcheck disable=SC2086 # the words of the call
	tools/install-deps --print $bad >"$T/bad" 2>&1
	rc=$?
	if [ $rc = 2 ] && grep -q 'usage\|install-deps \[--print\]' "$T/bad"; then t_ok "refuses-${bad// /-}"
	else t_fail "refuses-${bad// /-}" "status $rc: $(head -2 "$T/bad")"; fi
done

# The Makefile: boot installs the boot profile of its ARCH, test all; and
# .ci/run, which runs make test, installs all first.
make -qp deps-boot 2>/dev/null >"$T/db"
t_grep make-boot-needs-deps-boot "$T/db" '^boot: deps-boot$'
t_grep make-test-needs-deps "$T/db" '^test: deps$'
make -s -n deps-boot ARCH=aarch64 >"$T/n.boot" 2>&1
t_grep make-deps-boot-passes-arch "$T/n.boot" '^tools/install-deps boot aarch64$'
make -s -n deps >"$T/n.deps" 2>&1
t_grep make-deps-installs-test "$T/n.deps" '^tools/install-deps test$'
t_grep ci-installs-test .ci/run '^tools/install-deps( test)?$'
t_exit
