# GPT auto-discovery (no root=, or root=gpt-auto): the root is the first
# partition of this architecture's root type, by the Discoverable
# Partitions Specification; attribute 63 (no-auto) hides one, 60 mounts it
# read-only; several disks with one are refused, another architecture's is
# not taken, systemd.gpt_auto=0 turns it off. Disks are made by sfdisk with
# the type GUIDs written out here (each arch boots its own, so the table of
# every arch is exercised), the sample root copied in with dd.
. tests/boot/lib.sh
t_need sfdisk truncate debugfs mke2fs || t_exit
export PATH=$PATH:/sbin:/usr/sbin

ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
case $ARCH in
x86_64) ROOT=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 NAME=root-x86-64
	USR=8484680C-9521-48C6-9C11-B0720656F69E
	OTHER=B921B045-1DF0-41C3-AF44-4C6F280D3FAE OTHER_NAME=root-arm64 ;;
aarch64) ROOT=B921B045-1DF0-41C3-AF44-4C6F280D3FAE NAME=root-arm64
	USR=B0E01050-EE5F-4390-949A-9101B17104E9
	OTHER=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 OTHER_NAME=root-x86-64 ;;
arm) ROOT=69DAD710-2CE4-4E3C-B16C-21A1D49ABED3 NAME=root-arm
	USR=7D0359A3-02B3-4F0A-865C-654403E70625
	OTHER=B921B045-1DF0-41C3-AF44-4C6F280D3FAE OTHER_NAME=root-arm64 ;;
esac

# gpt IMG SFDISK-LINES...: a fresh 64 MiB GPT disk; partitions of 16 MiB
# from sector 2048, the sample root (or $SRC) copied into each one but the
# ESP (a no-auto one too: were it taken, it would boot), $USR_IMG into a
# /usr one.
gpt() {
	local img=$1 n=0 line src
	shift
	rm -f "$img"
	truncate -s 64M "$img"
	printf 'label: gpt\n' | cat - <(printf '%s\n' "$@") |
		sfdisk -q "$img" >>"$WORK/sfdisk.log" 2>&1 ||
		t_fail "$SCENARIO: sfdisk $img" "$(tail -3 "$WORK/sfdisk.log")"
	for line in "$@"; do
		n=$((n + 1))
		case $line in
		*type=$ESP*) continue ;;
		*type=$USR*) src=$USR_IMG ;;
		*) src=${SRC:-$ROOTFS} ;;
		esac
		dd if="$src" of="$img" bs=512 seek=$((2048 + (n - 1) * 32768)) conv=notrunc status=none
	done
}
part() { printf 'size=16M, type=%s%s' "$1" "${2:+, attrs=\"$2\"}"; }

# One disk: the ESP, a no-auto root (bit 63), the root marked read-only
# (bit 60). No root= at all; rw on the line, and / is still read-only.
d=$WORK/one.img
gpt "$d" "$(part $ESP)" "$(part $ROOT GUID:63)" "$(part $ROOT GUID:60)"
boot one --disk "$d" -- rw
booted one
t_grep "one: says what it chose" "$LOG" \
	"root: GPT auto-discovery chose vda3 \(partition 3 of vda, type $NAME, PARTUUID=[0-9a-f-]{36}\), read-only: GPT attribute 60"
mounted one /dev/vda3 / ext4 'ro[, ]'

# root=gpt-auto by name, a plain root partition and rw: mounted rw.
d=$WORK/explicit.img
gpt "$d" "$(part $ROOT)"
boot explicit --disk "$d" -- root=gpt-auto rw
booted explicit
t_grep "explicit: chosen" "$LOG" "root: GPT auto-discovery chose vda1 \(partition 1 of vda, type $NAME,"
mounted explicit /dev/vda1 / ext4 'rw[, ]'

# A /usr partition on the root's disk, read-only (60): mounted on /usr
# before the switch (the root rw as asked, /usr ro), the root's hook reads it.
mkdir -p "$WORK/usr"
debugfs -R "rdump /usr $WORK" "$ROOTFS" >"$WORK/rdump.log" 2>&1 ||
	t_fail "usr: copying the sample root's /usr" "$(tail -2 "$WORK/rdump.log")"
echo "on the usr partition" >"$WORK/usr/marker"
USR_IMG=$WORK/usr.img
mke2fs -q -t ext4 -d "$WORK/usr" "$USR_IMG" 16M
with_hook "$WORK/hooked.img" 'echo "usr: $(cat /usr/marker)"'
d=$WORK/usr-disk.img
SRC=$WORK/hooked.img gpt "$d" "$(part $ROOT)" "$(part $USR GUID:60)"
boot usr --disk "$d" -- rw
booted usr
t_grep "usr: says what it chose for /usr" "$LOG" \
	"/usr: GPT auto-discovery chose partition 2 of vda \(type usr-.*\), read-only: GPT attribute 60"
mounted usr /dev/vda1 / ext4 'rw[, ]'
mounted usr /dev/vda2 /usr ext4 'ro[, ]'
t_grep "usr: the real root sees the usr partition" "$LOG" '^usr: on the usr partition$'

# Two disks with a root partition, no boot loader to say which: refused,
# naming both, and nothing mounted.
gpt "$WORK/a.img" "$(part $ROOT)"
gpt "$WORK/b.img" "$(part $ESP)" "$(part $ROOT)"
boot two --disk "$WORK/a.img" --disk "$WORK/b.img" -- panic=-1
no_panic two
t_grep "two: the no-root= error" "$LOG" "no root= on the kernel command line, and GPT auto-discovery cannot choose"
t_grep "two: refused" "$LOG" "several disks have a $NAME partition .*refusing to guess"
t_grep "two: names vda's" "$LOG" "  vda: partition 1 \(PARTUUID="
t_grep "two: names vdb's" "$LOG" "  vdb: partition 2 \(PARTUUID="
t_grep "two: says what to do" "$LOG" "hint: add root=PARTUUID=.* or mark the others no-auto"
t_nogrep "two: nothing mounted" "$LOG" '^rootfs: pid 1'

# Another architecture's root only: not taken, and said (the usual wait bound, cut short).
d=$WORK/other.img
gpt "$d" "$(part $ESP)" "$(part $OTHER)"
boot other --disk "$d" -- rootdelay=2 panic=-1
no_panic other
t_grep "other: the no-root= error" "$LOG" 'no root= on the kernel command line, and GPT auto-discovery found no root'
t_grep "other: says the foreign one" "$LOG" \
	"  vda: partition 2 is a root of another architecture \($OTHER_NAME\): not used"
t_nogrep "other: nothing mounted" "$LOG" '^rootfs: pid 1'

# systemd.gpt_auto=0: the disk of the first case is not looked at.
gpt "$WORK/off.img" "$(part $ROOT)"
boot off --disk "$WORK/off.img" -- systemd.gpt_auto=0 panic=-1
no_panic off
t_grep "off: the no-root= error" "$LOG" 'no root= on the kernel command line: nothing to boot'
t_grep "off: the hint names gpt_auto" "$LOG" 'drop systemd.gpt_auto=0'
t_nogrep "off: no discovery" "$LOG" 'GPT auto-discovery chose'

# The spine build (PROBES=none) says the discovery needs the probes.
NOPROBES=$OUT/initramfs-noprobes.cpio.gz
if [ -f "$NOPROBES" ]; then
	boot noprobes --initrd "$NOPROBES" --disk "$WORK/off.img" -- panic=-1
	no_panic noprobes
	t_grep "noprobes: says why" "$LOG" 'GPT auto-discovery .* needs the disk probes, and this init was built with PROBES=none'
else
	t_fail "$SCENARIO-noprobes" "$NOPROBES is missing: make PROBES=none initramfs"
fi

t_exit
