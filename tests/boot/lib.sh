# Sourced by boot scenarios: boots the test kernel in QEMU with our image
# and checks what the serial console shows.
# shellcheck source=../lib.sh
. tests/lib.sh

BUILD=${BUILD:-build}
export ARCH=${ARCH:-x86_64}
OUT=$BUILD/$ARCH
LOGS=${LOGS:-$BUILD/test-logs}
KERNEL=$OUT/kernel
INITRD=$OUT/initramfs.cpio.gz
ROOTFS=$OUT/rootfs.img
# The console of QEMU's machine for ARCH (pc: ttyS0; virt: the PL011,
# ttyAMA0), and how QMP device_add reaches a hot-pluggable bus: virt's PCIe
# root bus takes no hot-plug, so qemu/boot adds root ports hp0 and hp1.
case $ARCH in
x86_64) CONSOLE=ttyS0; QEMU=qemu-system-x86_64; HP_BUS= ;;
aarch64) CONSOLE=ttyAMA0; QEMU=qemu-system-aarch64; HP_BUS=',"bus":"hp0"' ;;
arm) CONSOLE=ttyAMA0; QEMU=qemu-system-arm; HP_BUS=',"bus":"hp0"' ;;
*) echo "not ok boot-lib: unsupported ARCH=$ARCH" && exit 1 ;;
esac
# virtio-blk's major: the first dynamic one (254), unless a built-in driver
# took it first: x86_64's kernel has md, whose mdp registers at subsys
# initcall, before virtio-blk, so its disks are 253:N there.
VDA_MAJOR=254
[ "$ARCH" = x86_64 ] && VDA_MAJOR=253
VDA_HEX=$(printf '%x' $((VDA_MAJOR * 256)))
# rootfs.poweroff: the sample root's init powers off instead of a shell.
# loglevel=8: the console shows handoff's progress lines (kernel log at
# debug level), with the kernel's timestamps.
BASE_APPEND="console=$CONSOLE loglevel=8 rootfs.poweroff"
SCENARIO=$(basename "$0" .sh)
# Serial logs of other architectures than x86_64 carry the arch's name.
LOGTAG=$SCENARIO
[ "$ARCH" = x86_64 ] || LOGTAG=$ARCH-$SCENARIO
WORK=$(mktemp -d "/tmp/handoff-$SCENARIO.XXXXXX")
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

mkdir -p "$LOGS"
t_need "$QEMU" || t_exit
for f in "$KERNEL" "$INITRD" "$ROOTFS"; do
	[ -f "$f" ] || { t_fail "$SCENARIO-inputs" "$f is missing: run make kernel initramfs rootfs"; t_exit; }
done

# disk NAME: a private copy of the sample root, so no boot sees another's writes.
disk() {
	cp --reflink=auto "$ROOTFS" "$WORK/$1.img"
	echo "$WORK/$1.img"
}

# boot NAME [--no-disk|--disk F...|--kernel F|--initrd F|--no-initrd|--qemu ARG...|qemu/boot options...]
#   -- APPEND: boots, keeping the serial
# output in $WORK/NAME.log (and in the logs folder) and QEMU's exit
# status in BOOT_RC. Default: our initramfs and a copy of the sample root.
boot() {
	local name=$1 timeout=60 kernel=$KERNEL initrd=$INITRD disks=() opts=() qextra=() append nodisk=
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--kernel) kernel=$2; shift 2 ;;
		--initrd) initrd=$2; shift 2 ;;
		--no-initrd) initrd=; shift ;;
		--disk) disks+=(--disk "$2"); shift 2 ;;
		--no-disk) nodisk=1; shift ;;
		--qemu) qextra+=("$2"); shift 2 ;;
		*) opts+=("$1"); shift ;;
		esac
	done
	[ "${1:-}" = -- ] && shift
	append="$BASE_APPEND $*"
	[ ${#disks[@]} -eq 0 ] && [ -z "$nodisk" ] && disks=(--disk "$(disk "$name")")
	qemu/boot --arch "$ARCH" --kernel "$kernel" ${initrd:+--initrd "$initrd"} \
		${disks[@]+"${disks[@]}"} --timeout "$timeout" ${opts[@]+"${opts[@]}"} --append "$append" \
		${qextra[@]+-- "${qextra[@]}"} >"$WORK/$name.raw" 2>&1 </dev/null
	BOOT_RC=$?
	# The serial console ends lines with CR LF.
	tr -d '\r' <"$WORK/$name.raw" >"$WORK/$name.log"
	cp "$WORK/$name.log" "$LOGS/serial-$LOGTAG-$name.log"
	LOG=$WORK/$name.log
}

# wait_for FILE PATTERN [N]: until the serial log FILE shows PATTERN on N
# lines (default 1; 90 s at most).
wait_for() {
	local i
	for i in $(seq 900); do
		[ "$(tr -d '\r' <"$1" 2>/dev/null | grep -Ec -- "$2")" -ge "${3:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}

# typed NAME SCRIPT [boot options] -- APPEND: boots NAME while the function
# SCRIPT types on its console: fd 4 is the console's input, RAW the serial
# log so far (type_at waits for a line, then types).
typed() {
	local name=$1 script=$2 writer
	shift 2
	mkfifo "$WORK/$name.input"
	(
		exec 4>"$WORK/$name.input"
		RAW=$WORK/$name.raw
		"$script"
		sleep 90
	) &
	writer=$!
	boot "$name" --input "$WORK/$name.input" "$@"
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
}

# In a SCRIPT of typed(): type_at PATTERN N TEXT types TEXT once the serial
# log shows PATTERN on N lines; gives up the typing when it never does.
type_at() {
	wait_for "$RAW" "$1" "$2" || exit 1
	printf '%s\n' "$3" >&4
}

# The kernel must never see PID 1 die, nor panic.
no_panic() {
	t_nogrep "$1: no kernel panic" "$LOG" 'Kernel panic|Attempted to kill init'
}

# only_on ARCH... -- REASON: a scenario that cannot apply to this ARCH
# says so and why, and counts neither as passed nor as failed.
only_on() {
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		[ "$1" = "$ARCH" ] && return 0
		shift
	done
	shift
	echo "# skip $SCENARIO on $ARCH: $*"
	exit 0
}

# A boot that reached the sample root's init and powered off cleanly.
booted() {
	local name=$1
	if [ "$BOOT_RC" -eq 0 ]; then t_ok "$name: qemu exited by itself"; else
		t_fail "$name: qemu exited by itself" "status $BOOT_RC (124: timeout); log $LOGS/serial-$LOGTAG-$name.log"
	fi
	t_grep "$name: real init is PID 1" "$LOG" '^rootfs: pid 1'
	t_grep "$name: real root powered off" "$LOG" '^rootfs: powering off'
	no_panic "$name"
}

# mounted NAME DEV MOUNTPOINT TYPE OPTS-REGEX: a line of the real root's /proc/mounts.
mounted() {
	t_grep "$1: $3 is $4 ($5)" "$LOG" "^rootfs: mount $2 $3 $4 $5"
}

# unchanged NAME FILE SUM: FILE's sha256 is still SUM (taken before the boot).
unchanged() {
	if [ "$(sha256sum <"$2")" = "$3" ]; then t_ok "$1"; else t_fail "$1" "$2 changed"; fi
}

# with_hook IMG SCRIPT: a sample root whose /etc/rc.test (run by its init
# before power-off) is the shell SCRIPT; tests read what it prints.
with_hook() {
	local dir
	dir=$(mktemp -d "$WORK/hook.XXXXXX")
	mkdir -p "$dir/etc"
	printf '#!/bin/sh\n%s\n' "$2" >"$dir/etc/rc.test"
	chmod 755 "$dir/etc/rc.test"
	BUILD=$BUILD tools/mkrootfs "$1" "$dir" >"$dir.log" 2>&1 ||
		t_fail "$SCENARIO: mkrootfs" "$(tail -3 "$dir.log")"
}

# distro_kernel: DKVER and DKERNEL, the newest Debian cloud kernel installed
# (linux-image-cloud-amd64); a missing or unreadable one fails the scenario.
distro_kernel() {
	DKVER=$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
	DKERNEL=/boot/vmlinuz-$DKVER
	if [ -z "$DKVER" ] || [ ! -r "$DKERNEL" ]; then
		t_fail "$SCENARIO-distro-kernel" "no readable /boot/vmlinuz-*-cloud-amd64 with its /lib/modules: run tools/install-deps as root (the kernel image is readable by root only)"
		t_exit
	fi
}

# distro_image FILE [MODULES [LAYERS]]: make initramfs KVER=$DKVER (one build
# at a time), copied to FILE.
distro_image() {
	local layers=${3:+-layers} made
	made=$OUT/initramfs$layers-$DKVER.cpio.gz
	case ,${2:-}, in *,host,*) made=$OUT/initramfs$layers-host-$DKVER.cpio.gz ;; esac
	if ! flock "$OUT/.distro-image.lock" sh -c 'make -s initramfs KVER="$1" MODULES="$2" LAYERS="$5" >"$3.log" 2>&1 &&
		cp "$4" "$3"' sh "$DKVER" "${2:-}" "$1" "$made" "${3:-}"; then
		t_fail "$SCENARIO: make initramfs KVER=$DKVER MODULES=${2:-} LAYERS=${3:-}" "$(tail -3 "$1.log")"
		t_exit
	fi
}
