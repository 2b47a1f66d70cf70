#!/bin/bash
# Unit tests for the Debian package's update-initramfs (tools/dist) and its
# kernel-install plugin, with a handoff-mkinitramfs and a dpkg-trigger that
# only record how they were called: the options initramfs-tools has, which
# kernel -u and -k all choose (sort -V, modules installed, .old skipped),
# -b and the command's default place, the post-update hooks, failures, the
# dpkg trigger from maintainer scripts; the plugin's choice of where the
# image goes. tests/boot/install.sh runs them for real in a Debian root.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh
t_need run-parts sort || t_exit

UI=$(realpath tools/dist/update-initramfs)
KI=$(realpath tools/dist/50-handoff.install)
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/boot" "$T/modules" "$T/hooks"
# The stand-ins record their arguments, one call a line; the command fails
# for the kernel named in $FAIL and writes -o's file otherwise.
cat >"$T/bin/handoff-mkinitramfs" <<'EOF'
#!/bin/sh
echo "$*" >>"$T/calls"
k= o=
while [ $# -gt 0 ]; do
	case $1 in -k) k=$2; shift ;; -o) o=$2; shift ;; esac
	shift
done
[ "$k" != "${FAIL:-}" ] || exit 3
# Never the host's /boot: a stand-in told to write outside the test's
# directory says so (and the check on its calls fails).
case $o in
"") ;;
"$T"/*) echo "image of $k" >"$o" ;;
*) echo "stand-in: refusing to write $o outside $T" >&2; exit 9 ;;
esac
EOF
cat >"$T/bin/dpkg-trigger" <<'EOF'
#!/bin/sh
echo "$*" >>"$T/triggers"
exit "${TRIGGER_RC:-0}"
EOF
cat >"$T/hooks/record" <<'EOF'
#!/bin/sh
echo "$*" >>"$T/hooked"
EOF
chmod 755 "$T/bin/"* "$T/hooks/record"
export T PATH="$T/bin:$PATH" HANDOFF_MODDIR=$T/modules HANDOFF_POST_UPDATE=$T/hooks
unset DPKG_MAINTSCRIPT_PACKAGE FAIL TRIGGER_RC

# ui NAME STATUS ARGS...: update-initramfs ARGS exits STATUS; its output
# in $T/out, the calls it made in $T/calls.
ui() {
	local name=$1 want=$2 rc
	shift 2
	rm -f "$T/calls" "$T/hooked" "$T/triggers"
	"$UI" "$@" >"$T/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then t_ok "$name"; else
		t_fail "$name" "update-initramfs $* exited $rc, not $want: $(head -3 "$T/out" | tr '\n' ' ')"
	fi
}
# calls NAME EXPECTED: the command's calls, one a line, are EXPECTED.
calls() {
	local got
	got=$(cat "$T/calls" 2>/dev/null)
	if [ "$got" = "$2" ]; then t_ok "$1"; else t_fail "$1" "calls: '$(echo "$got" | tr '\n' '|')', not '$(echo "$2" | tr '\n' '|')'"; fi
}
kernel() {
	mkdir -p "$T/modules/$1"
	: >"$T/boot/vmlinuz-$1"
}

ui "-h: usage" 0 -h
t_grep "-h: names the options" "$T/out" '^usage: update-initramfs -c\|-u\|-d \[-k KVER\|all\] \[-b DIR\]'
ui "no mode: usage error" 2 -k 6.1.0-9-amd64
t_grep "no mode: says so" "$T/out" 'one of -c, -u or -d is needed'
ui "-c without -k: usage error" 2 -c -b "$T/boot"
ui "-c and -d: usage error" 2 -c -d -k 6.1.0-9-amd64
ui "unknown option: usage error" 2 -x
ui "an argument: usage error" 2 -u extra
ui "-k with a /: usage error" 2 -c -k ../x -b "$T/boot"
ui "-b not a directory: failure" 1 -c -k 6.1.0-9-amd64 -b "$T/none"
t_grep "-b not a directory: names it" "$T/out" "-b $T/none: not a directory"

kernel 6.1.0-9-amd64
ui "-c -k -b: made" 0 -c -k 6.1.0-9-amd64 -b "$T/boot" -t
calls "-c -k -b: the command writes DIR/initrd.img-KVER" "-k 6.1.0-9-amd64 -o $T/boot/initrd.img-6.1.0-9-amd64"
t_grep "-c -k -b: says so as initramfs-tools does" "$T/out" "^update-initramfs: Generating $T/boot/initrd.img-6.1.0-9-amd64\$"
t_grep "-c: the post-update hooks ran with KVER and the image" "$T/hooked" "^6.1.0-9-amd64 $T/boot/initrd.img-6.1.0-9-amd64\$"
ui "-c -k without -b" 0 -c -k 6.1.0-9-amd64
calls "-c without -b: the command's own default place" "-k 6.1.0-9-amd64"
ui "-c -b /boot" 0 -c -k 6.1.0-9-amd64 -b /boot/
calls "-b /boot: the command's own default place" "-k 6.1.0-9-amd64"

FAIL=6.1.0-9-amd64 ui "the command fails: failure" 1 -c -k 6.1.0-9-amd64 -b "$T/boot"
t_grep "the command fails: says which image stays" "$T/out" "failed for $T/boot/initrd.img-6.1.0-9-amd64 \(status 3\); the image that was there stays"
if [ -e "$T/hooked" ]; then t_fail "the command fails: no hook runs" "$(cat "$T/hooked")"; else t_ok "the command fails: no hook runs"; fi

# -u alone: the newest kernel with an image and modules, by version (9 < 10,
# the generic flavour before -cloud- of one ABI), .old files not kernels.
kernel 6.1.0-10-amd64
kernel 6.1.0-10-cloud-amd64
mkdir -p "$T/modules/6.1.0-11-amd64"
for k in 6.1.0-9-amd64 6.1.0-10-amd64 6.1.0-10-cloud-amd64 6.1.0-10-cloud-amd64.old 6.2.0-1-amd64; do
	echo old >"$T/boot/initrd.img-$k"
done
ui "-u: updated" 0 -u -b "$T/boot"
calls "-u: the newest kernel that has an image and modules" "-k 6.1.0-10-cloud-amd64 -o $T/boot/initrd.img-6.1.0-10-cloud-amd64"
ui "-u -k all" 0 -u -k all -b "$T/boot"
calls "-u -k all: every kernel with an image and modules, oldest first" "-k 6.1.0-9-amd64 -o $T/boot/initrd.img-6.1.0-9-amd64
-k 6.1.0-10-amd64 -o $T/boot/initrd.img-6.1.0-10-amd64
-k 6.1.0-10-cloud-amd64 -o $T/boot/initrd.img-6.1.0-10-cloud-amd64"
rm "$T/boot/initrd.img-6.1.0-10-amd64"
ui "-c -k all" 0 -c -k all -b "$T/boot"
calls "-c -k all: every kernel image with modules, an image or not" "-k 6.1.0-9-amd64 -o $T/boot/initrd.img-6.1.0-9-amd64
-k 6.1.0-10-amd64 -o $T/boot/initrd.img-6.1.0-10-amd64
-k 6.1.0-10-cloud-amd64 -o $T/boot/initrd.img-6.1.0-10-cloud-amd64"
FAIL=6.1.0-10-amd64 ui "-c -k all, one fails: failure" 1 -c -k all -b "$T/boot"
t_grep "-c -k all, one fails: the others are made" "$T/calls" '^-k 6.1.0-10-cloud-amd64 '
t_grep "-c -k all, one fails: says which" "$T/out" 'no new image for: 6.1.0-10-amd64 '

echo old >"$T/boot/initrd.img-6.1.0-9-amd64.old"
ui "-d -k" 0 -d -k 6.1.0-9-amd64 -b "$T/boot"
if [ ! -e "$T/boot/initrd.img-6.1.0-9-amd64" ] && [ ! -e "$T/boot/initrd.img-6.1.0-9-amd64.old" ]; then
	t_ok "-d: the image and its .old are gone"
else
	t_fail "-d: the image and its .old are gone" "$(ls "$T/boot" | tr '\n' ' ')"
fi
calls "-d: the command is not run" ""
t_grep "-d: says so as initramfs-tools does" "$T/out" "^update-initramfs: Deleting $T/boot/initrd.img-6.1.0-9-amd64\$"
ui "-d -k all" 0 -d -k all -b "$T/boot"
left=$(cd "$T/boot" && ls initrd.img-* | tr '\n' ' ')
if [ "$left" = "initrd.img-6.2.0-1-amd64 " ]; then
	t_ok "-d -k all: every image of a kernel with modules is gone, with its .old"
else
	t_fail "-d -k all: every image of a kernel with modules is gone, with its .old" "left: $left"
fi
rm -f "$T/boot/initrd.img-"*
ui "-u, no image anywhere: nothing to do" 0 -u -b "$T/boot"
calls "-u, no image anywhere: the command is not run" ""

# From a maintainer script, -u alone is the trigger; anything else is not.
DPKG_MAINTSCRIPT_PACKAGE=foo ui "maintainer script -u: deferred" 0 -u
t_grep "maintainer script -u: says so" "$T/out" '^update-initramfs: deferring update \(trigger activated\)$'
t_grep "maintainer script -u: the update-initramfs trigger, not awaited" "$T/triggers" '^--no-await update-initramfs$'
calls "maintainer script -u: the command is not run" ""
echo old >"$T/boot/initrd.img-6.1.0-9-amd64"
DPKG_MAINTSCRIPT_PACKAGE=foo ui "maintainer script -u -k: not deferred" 0 -u -k 6.1.0-9-amd64 -b "$T/boot"
calls "maintainer script -u -k: made now" "-k 6.1.0-9-amd64 -o $T/boot/initrd.img-6.1.0-9-amd64"
# (/boot here is this machine's, whose kernels have no modules in $T: it
# only reads its names and finds nothing to update.)
DPKG_MAINTSCRIPT_PACKAGE=foo TRIGGER_RC=1 ui "no trigger to be had: not deferred" 0 -u
t_grep "no trigger to be had: it was tried" "$T/triggers" '^--no-await update-initramfs$'
t_nogrep "no trigger to be had: not deferred" "$T/out" 'deferring'
PATH=/usr/bin:/bin ui "no handoff-mkinitramfs: failure" 1 -c -k 6.1.0-9-amd64 -b "$T/boot"
t_grep "no handoff-mkinitramfs: says what to do" "$T/out" 'handoff-mkinitramfs is not installed.*reinstall handoff, or install initramfs-tools'

# ki NAME ARGS...: the kernel-install plugin, exit 0; the calls it made.
ki() {
	local name=$1 rc
	shift
	rm -f "$T/calls"
	"$KI" "$@" >"$T/out" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then t_ok "$name"; else t_fail "$name" "exited $rc: $(head -3 "$T/out" | tr '\n' ' ')"; fi
}
mkdir -p "$T/staging" "$T/entry"
export KERNEL_INSTALL_STAGING_AREA=$T/staging
ki "kernel-install add: staging area" add 6.1.0-9-amd64 "$T/entry" "$T/boot/vmlinuz-6.1.0-9-amd64"
calls "kernel-install add: the image in the staging area, named as Debian's 85-initrd.install names /boot's" \
	"-k 6.1.0-9-amd64 --no-uki -o $T/staging/initrd.img-6.1.0-9-amd64"
ki "kernel-install add with initrds" add 6.1.0-9-amd64 "$T/entry" "$T/boot/vmlinuz-6.1.0-9-amd64" /boot/mine.img
calls "kernel-install add with initrds: the given ones are used" ""
KERNEL_INSTALL_INITRD_GENERATOR=dracut ki "kernel-install add, another generator" add 6.1.0-9-amd64 "$T/entry" "$T/boot/vmlinuz-6.1.0-9-amd64"
calls "kernel-install add, another generator: not ours to make" ""
KERNEL_INSTALL_INITRD_GENERATOR=handoff ki "kernel-install add, generator handoff" add 6.1.0-9-amd64 "$T/entry" "$T/boot/vmlinuz-6.1.0-9-amd64"
calls "kernel-install add, generator handoff: made" "-k 6.1.0-9-amd64 --no-uki -o $T/staging/initrd.img-6.1.0-9-amd64"
unset KERNEL_INSTALL_STAGING_AREA
ki "kernel-install add before staging areas" add 6.1.0-9-amd64 "$T/entry" "$T/boot/vmlinuz-6.1.0-9-amd64"
calls "kernel-install add before staging areas: ENTRY_DIR/initrd" "-k 6.1.0-9-amd64 --no-uki -o $T/entry/initrd"
ki "kernel-install add, no entry directory" add 6.1.0-9-amd64 "$T/none" "$T/boot/vmlinuz-6.1.0-9-amd64"
calls "kernel-install add, no entry directory: nothing" ""
ki "kernel-install remove" remove 6.1.0-9-amd64 "$T/entry"
calls "kernel-install remove: nothing (the entry directory goes)" ""

t_exit
