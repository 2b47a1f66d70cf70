#!/bin/bash
# handoff-modules, the host side of distro kernels: dependencies in load
# order, only the aliases of the modules taken, compressed modules, the
# MODULES= forms, and refusals (a module for another kernel, a kernel
# image of another version, unknown names). A fake modules directory
# with depmod's files; then the installed Debian kernel, when there is one.
. tests/lib.sh
BUILD=${BUILD:-build}
TOOL=$BUILD/host/handoff-modules
t_need xz zstd gzip cpio || t_exit
make -s "$TOOL" >/dev/null 2>&1 || { t_fail "build $TOOL" "make $TOOL failed"; t_exit; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A modules directory for release 9.9.9-test.
M=$tmp/lib/modules/9.9.9-test
mkdir -p "$M/kernel/a" "$M/kernel/b"
fake() { printf 'ELF\0license=GPL\0vermagic=%s SMP mod_unload \0name=%s\0' "$2" "$3" >"$1"; }
fake "$M/kernel/a/base.ko" 9.9.9-test base
fake "$M/kernel/a/mid.ko" 9.9.9-test mid
fake "$tmp/top.ko" 9.9.9-test top
xz -c "$tmp/top.ko" >"$M/kernel/b/top-drv.ko.xz"
fake "$tmp/z.ko" 9.9.9-test zfs
zstd -q -c "$tmp/z.ko" >"$M/kernel/b/zfs.ko.zst"
fake "$tmp/g.ko" 9.9.9-test gz
gzip -c "$tmp/g.ko" >"$M/kernel/b/gz.ko.gz"
fake "$M/kernel/b/pre.ko" 9.9.9-test pre
fake "$M/kernel/b/other.ko" 9.9.9-test other
fake "$M/kernel/b/virtio_net.ko" 9.9.9-test virtio_net
cat >"$M/modules.dep" <<'EOF'
kernel/b/top-drv.ko.xz: kernel/a/mid.ko kernel/a/base.ko
kernel/a/mid.ko: kernel/a/base.ko
kernel/a/base.ko:
kernel/b/zfs.ko.zst: kernel/a/base.ko
kernel/b/gz.ko.gz:
kernel/b/pre.ko:
kernel/b/other.ko:
kernel/b/virtio_net.ko: kernel/a/base.ko
EOF
cat >"$M/modules.alias" <<'EOF'
# Aliases extracted from modules themselves.
alias pci:v00001234d* top_drv
alias fs-zfs zfs
alias usb:v* other
EOF
printf 'kernel/fs/ext4/ext4.ko\n' >"$M/modules.builtin"
printf 'softdep zfs pre: pre missing_one\n' >"$M/modules.softdep"

run() { "$TOOL" -d "$M" -o "$tmp/stage" "$@" >"$tmp/list" 2>"$tmp/err"; }

run -m top-drv,zfs,gz
rc=$?
[ $rc = 0 ] && t_ok "exact set: accepted" || t_fail "exact set: accepted" "status $rc: $(cat "$tmp/err")"
order=$(sed -n 's|^file /lib/modules/9.9.9-test/kernel/[ab]/\([^ ]*\) .*|\1|p' "$tmp/list" | tr '\n' ' ')
[ "$order" = "base.ko mid.ko top-drv.ko pre.ko zfs.ko gz.ko " ] && t_ok "dependencies first, soft pre: dependencies too ($order)" ||
	t_fail "dependencies first" "order: $order"
t_grep "compressed modules are listed decompressed" "$tmp/list" "^file /lib/modules/9.9.9-test/kernel/b/top-drv.ko $tmp/stage/kernel/b/top-drv.ko "
if cmp -s "$tmp/stage/kernel/b/top-drv.ko" "$tmp/top.ko" && cmp -s "$tmp/stage/kernel/b/zfs.ko" "$tmp/z.ko" &&
	cmp -s "$tmp/stage/kernel/b/gz.ko" "$tmp/g.ko"; then t_ok "xz, zstd and gzip modules decompressed"
else t_fail "xz, zstd and gzip modules decompressed" "staged files differ"; fi
t_grep "plain modules come from the directory" "$tmp/list" "^file /lib/modules/9.9.9-test/kernel/a/base.ko $M/kernel/a/base.ko 0644 0 0$"
t_grep "the image's modules.dep names decompressed paths" "$tmp/stage/modules.dep" '^kernel/b/top-drv.ko: kernel/a/mid.ko kernel/a/base.ko$'
t_nogrep "the image's modules.dep has only the modules taken" "$tmp/stage/modules.dep" 'other'
t_grep "aliases of the modules taken are kept" "$tmp/stage/modules.alias" '^alias pci:v00001234d\* top_drv$'
t_nogrep "aliases of other modules are dropped" "$tmp/stage/modules.alias" 'other'
t_grep "a parent directory comes before its files" <(grep -n . "$tmp/list" | grep -m1 'kernel/a') 'dir /lib/modules/9.9.9-test/kernel/a '
if BUSYBOX=/bin/busybox INIT=/bin/true "$BUILD/host/mkcpio" -c none -o "$tmp/img.cpio" "$tmp/list" 2>"$tmp/mkcpio.err" &&
	cpio -it <"$tmp/img.cpio" 2>/dev/null | grep -qx 'lib/modules/9.9.9-test/kernel/b/zfs.ko'; then
	t_ok "mkcpio takes the list"
else t_fail "mkcpio takes the list" "$(cat "$tmp/mkcpio.err")"; fi

# The index files are read to their end, not to the size stat gives: as
# FIFOs (like /proc files, no size to trust) they give the same list.
cp "$tmp/list" "$tmp/list.plain"
writers=
for f in modules.dep modules.alias; do
	mv "$M/$f" "$tmp/$f.real" && mkfifo "$M/$f"
	# the open blocks until a reader comes: inside timeout, and killed below
	# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
	timeout 20 sh -c 'cat "$1" >"$2"' sh "$tmp/$f.real" "$M/$f" &
	writers="$writers $!"
done
run -m top-drv,zfs,gz
rc=$?
# shellcheck disable=SC2086 # a list of pids
kill $writers 2>/dev/null
wait
for f in modules.dep modules.alias; do rm -f "$M/$f" && mv "$tmp/$f.real" "$M/$f"; done
[ $rc = 0 ] && cmp -s "$tmp/list" "$tmp/list.plain" && t_ok "index files read whole from FIFOs" ||
	t_fail "index files read whole from FIFOs" "status $rc: $(cat "$tmp/err")"

# -N (NET=1): the NICs' drivers this kernel has, with their dependencies; the others left out.
run -m gz -N
rc=$?
[ $rc = 0 ] && [ "$(sed -n 's|^file /lib/modules/9.9.9-test/kernel/[ab]/\([^ ]*\) .*|\1|p' "$tmp/list" | tr '\n' ' ')" = "gz.ko base.ko virtio_net.ko " ] &&
	t_ok "-N adds the NIC drivers present" || t_fail "-N adds the NIC drivers present" "status $rc: $(grep '^file' "$tmp/list")"
run -m gz
t_nogrep "without -N, no NIC driver" "$tmp/list" 'virtio_net'
# An unreadable optional index file is an error, not an empty one.
mv "$M/modules.builtin" "$tmp/builtin.real" && mkdir "$M/modules.builtin"
run -m top-drv
[ $? = 1 ] && grep -q "cannot read $M/modules.builtin: Is a directory" "$tmp/err" &&
	t_ok "an unreadable modules.builtin is refused: $(cat "$tmp/err")" ||
	t_fail "an unreadable modules.builtin is refused" "$(cat "$tmp/err")"
rmdir "$M/modules.builtin" && mv "$tmp/builtin.real" "$M/modules.builtin"

run -m +other,-gz
grep -q 'kernel/b/other.ko' "$tmp/list" && t_ok "+name adds to the default set" ||
	t_fail "+name adds to the default set" "$(cat "$tmp/err")"
run -m ext4
[ $? = 0 ] && grep -q 'built into' "$tmp/err" && t_ok "a built-in module is no error, and said so" ||
	t_fail "a built-in module is no error" "$(cat "$tmp/err")"
run -m top-drv,nosuch
[ $? = 1 ] && grep -q 'module nosuch (named in MODULES) is not in' "$tmp/err" &&
	t_ok "an unknown name is refused: $(cat "$tmp/err")" || t_fail "an unknown name is refused" "$(cat "$tmp/err")"
run -m +a,b
[ $? = 1 ] && grep -q 'mix of signed and unsigned' "$tmp/err" && t_ok "+a,b is refused as ambiguous" ||
	t_fail "+a,b is refused as ambiguous" "$(cat "$tmp/err")"

fake "$M/kernel/a/mid.ko" 9.9.8-old mid
run -m top-drv
[ $? = 1 ] && grep -q 'kernel/a/mid.ko is built for kernel 9.9.8-old, not 9.9.9-test' "$tmp/err" &&
	t_ok "a module for another kernel is refused: $(cat "$tmp/err")" ||
	t_fail "a module for another kernel is refused" "$(cat "$tmp/err")"
fake "$M/kernel/a/mid.ko" 9.9.9-test mid

# A bzImage header naming another version.
head -c 1024 /dev/zero >"$tmp/bz"
printf 'HdrS' | dd of="$tmp/bz" bs=1 seek=$((0x202)) conv=notrunc status=none
printf '\x00\x01' | dd of="$tmp/bz" bs=1 seek=$((0x20e)) conv=notrunc status=none
printf '9.9.7-other (builder@host) #1 SMP\0' | dd of="$tmp/bz" bs=1 seek=$((0x300)) conv=notrunc status=none
run -m top-drv -K "$tmp/bz"
[ $? = 1 ] && grep -q 'is version 9.9.7-other, but the modules are for 9.9.9-test' "$tmp/err" &&
	t_ok "a kernel image of another version is refused" || t_fail "a kernel image of another version is refused" "$(cat "$tmp/err")"
printf '9.9.9-test (builder@host) #1 SMP\0' | dd of="$tmp/bz" bs=1 seek=$((0x300)) conv=notrunc status=none
run -m top-drv -K "$tmp/bz"
[ $? = 0 ] && t_ok "a kernel image of the same version is accepted" || t_fail "a kernel image of the same version is accepted" "$(cat "$tmp/err")"
printf '\x00\x00' | dd of="$tmp/bz" bs=1 seek=$((0x20e)) conv=notrunc status=none
run -m top-drv -K "$tmp/bz"
[ $? = 0 ] && grep -q 'names no version: its version is not checked' "$tmp/err" &&
	t_ok "a kernel image naming no version is said so, not misread" || t_fail "a kernel image naming no version" "$(cat "$tmp/err")"

# MODULES=host on a described machine: a disk (partition xda1) on a
# "blkbus" device under a PCI device, / on it; another PCI device beside.
S=$tmp/sys
disk=$S/devices/pci0000:00/0000:00:04.0/blk0/block/xda
mkdir -p "$disk/xda1" "$S/devices/pci0000:00/0000:00:05.0" "$S/dev/block" "$S/class/block" \
	"$S/devices/virtual/block/dm-0/slaves"
echo 'pci:v00001234d00005678sv00000000sd00000000bc01sc00i00' >"$S/devices/pci0000:00/0000:00:04.0/modalias"
echo 'blkbus:x1' >"$S/devices/pci0000:00/0000:00:04.0/blk0/modalias"
echo 'usb:v0001p0002' >"$S/devices/pci0000:00/0000:00:05.0/modalias"
ln -s ../../devices/pci0000:00/0000:00:04.0/blk0/block/xda/xda1 "$S/dev/block/250:1"
ln -s ../../devices/pci0000:00/0000:00:04.0/blk0/block/xda/xda1 "$S/class/block/xda1"
ln -s ../../devices/virtual/block/dm-0 "$S/dev/block/253:0"
ln -s ../../../../pci0000:00/0000:00:04.0/blk0/block/xda/xda1 "$S/devices/virtual/block/dm-0/slaves/xda1"
echo 'alias blkbus:x* gz' >>"$M/modules.alias"
mountinfo() {	# the root line last but one: the last mount on / counts
	printf '1 0 0:2 / / rw - rootfs rootfs rw\nnot a mountinfo line\n'
	printf '%s\n' "$1"
	printf '30 22 0:40 / /mnt/with\\040space rw,relatime - tmpfs tmpfs rw\n'
}
host() { mountinfo "$1" >"$tmp/mountinfo"; HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo run -m "${2:-host}"; }
mods() { sed -n 's|^file /lib/modules/9.9.9-test/kernel/[ab]/\([^ ]*\) .*|\1|p' "$tmp/list" | tr '\n' ' '; }

host '22 1 250:1 / / rw,relatime shared:1 - zfs /dev/xda1 rw'
[ $? = 0 ] && [ "$(mods)" = "base.ko mid.ko top-drv.ko gz.ko pre.ko zfs.ko " ] &&
	t_ok "host: the drivers on the disk's path, bus first, and the filesystem's module ($(mods))" ||
	t_fail "host: the drivers on the disk's path" "modules: $(mods); $(cat "$tmp/err")"
t_grep "host: says what / is and where" "$tmp/err" "MODULES=host: / is /dev/xda1 \(250:1, zfs\) at $S/devices/pci0000:00/0000:00:04.0/blk0/block/xda/xda1$"
t_grep "host: says why each driver is taken" "$tmp/err" "MODULES=host: top_drv for pci:v00001234d00005678.* at $S/devices/pci0000:00/0000:00:04.0$"
t_grep "host: the filesystem by its fs- alias" "$tmp/err" 'MODULES=host: zfs for fs-zfs$'
t_nogrep "host: a device beside the disk's path is left out" "$tmp/list" 'other.ko'
host '22 1 253:0 / / rw - ext4 /dev/mapper/root rw'
[ $? = 0 ] && [ "$(mods)" = "base.ko mid.ko top-drv.ko gz.ko " ] &&
	t_ok "host: a device-mapper root: the drivers of the disks under it ($(mods)); ext4 built in" ||
	t_fail "host: a device-mapper root" "modules: $(mods); $(cat "$tmp/err")"
t_grep "host: a built-in filesystem is said so" "$tmp/err" 'no module has the alias fs-ext4: ext4 is built into the kernel'
host '22 1 0:33 /@ / rw - btrfs /dev/xda1 rw'
[ $? = 0 ] && [ "$(mods)" = "base.ko mid.ko top-drv.ko gz.ko " ] &&
	t_ok "host: an anonymous device number (btrfs): the disk by the mount's source" ||
	t_fail "host: an anonymous device number (btrfs)" "modules: $(mods); $(cat "$tmp/err")"
host '22 1 250:1 / / rw - zfs /dev/xda1 rw' host,other
[ $? = 0 ] && grep -q 'kernel/b/other.ko' "$tmp/list" && grep -q 'kernel/b/top-drv.ko' "$tmp/list" &&
	t_ok "host,NAME: this machine's modules and NAME" || t_fail "host,NAME" "$(cat "$tmp/err")"
host '22 1 0:25 / / rw - overlay overlay rw,lowerdir=/a'
[ $? = 1 ] && grep -q 'MODULES=host: / is overlay from overlay, not on a block device' "$tmp/err" &&
	t_ok "host: a root not on a disk is refused: $(head -1 "$tmp/err")" ||
	t_fail "host: a root not on a disk is refused" "$(cat "$tmp/err")"
host '22 1 250:9 / / rw - ext4 /dev/xda9 rw'
[ $? = 1 ] && grep -q "MODULES=host: / is /dev/xda9 (250:9), but $S/dev/block/250:9: No such file or directory" "$tmp/err" &&
	t_ok "host: a device sysfs does not have is refused" || t_fail "host: a device sysfs does not have" "$(cat "$tmp/err")"
# An NVMe multipath head: the disk is under the subsystem (virtual), which
# links to its controller on the PCI device.
sub=$S/devices/virtual/nvme-subsystem/nvme-subsys0
mkdir -p "$sub/nvme0n1" "$S/devices/pci0000:00/0000:00:04.0/nvme/nvme0" "$S/devices/virtual/bdi/259:0"
ln -s ../../../pci0000:00/0000:00:04.0/nvme/nvme0 "$sub/nvme0"
ln -s ../../../bdi/259:0 "$sub/nvme0n1/bdi"
ln -s ../../devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1 "$S/dev/block/259:0"
host '22 1 259:0 / / rw - ext4 /dev/nvme0n1 rw'
[ $? = 0 ] && [ "$(mods)" = "base.ko mid.ko top-drv.ko " ] &&
	t_ok "host: an NVMe multipath head: the driver of the controller it links to ($(mods))" ||
	t_fail "host: an NVMe multipath head" "modules: $(mods); $(cat "$tmp/err")"
# A disk with no device that has a modalias anywhere: refused, not guessed.
mkdir -p "$S/devices/virtual/block/zram0"
ln -s ../../devices/virtual/block/zram0 "$S/dev/block/252:0"
host '22 1 252:0 / / rw - ext4 /dev/zram0 rw'
[ $? = 1 ] && grep -q 'no device on the sysfs path of /.s disk has a modalias' "$tmp/err" &&
	t_ok "host: a disk without any modalias on its path is refused" ||
	t_fail "host: a disk without any modalias on its path is refused" "$(cat "$tmp/err")"
# An NFS root: the NIC's driver (eth0's device; lo has none) and the client for its version.
mkdir -p "$S/devices/pci0000:00/0000:00:06.0/virtio3/net/eth0" "$S/class/net/lo"
echo 'pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00' >"$S/devices/pci0000:00/0000:00:06.0/modalias"
ln -s ../../devices/pci0000:00/0000:00:06.0/virtio3/net/eth0 "$S/class/net/eth0"
ln -s ../../../virtio3 "$S/devices/pci0000:00/0000:00:06.0/virtio3/net/eth0/device"
for m in nicdrv nfs nfsv4 nfsv3; do
	fake "$M/kernel/b/$m.ko" 9.9.9-test "$m"
	echo "kernel/b/$m.ko:" >>"$M/modules.dep"
done
printf 'alias pci:v00001AF4d* nicdrv\nalias fs-nfs4 nfs\nalias fs-nfs nfs\n' >>"$M/modules.alias"
host '22 1 0:23 / / ro,relatime - nfs4 10.0.2.100:/srv/root ro,vers=4.2,addr=10.0.2.100'
[ $? = 0 ] && [ "$(mods)" = "nicdrv.ko nfsv4.ko nfs.ko " ] &&
	t_ok "host: an NFSv4 root: the NIC's driver and the client ($(mods))" ||
	t_fail "host: an NFSv4 root" "modules: $(mods); $(cat "$tmp/err")"
t_grep "host: says which interface" "$tmp/err" "MODULES=host: / is nfs4 from 10\.0\.2\.100:/srv/root: interface eth0 at $S/devices/pci0000:00/0000:00:06.0/virtio3$"
host '22 1 0:23 / / ro - nfs 10.0.2.100:/srv/root ro,vers=3'
[ $? = 0 ] && [ "$(mods)" = "nicdrv.ko nfsv3.ko nfs.ko " ] &&
	t_ok "host: an NFSv3 root: nfsv3 ($(mods))" || t_fail "host: an NFSv3 root" "modules: $(mods); $(cat "$tmp/err")"
rm "$S/class/net/eth0"
host '22 1 0:23 / / ro - nfs4 10.0.2.100:/srv/root ro'
[ $? = 1 ] && grep -q 'no network interface has a device with a modalias' "$tmp/err" &&
	t_ok "host: an NFS root without a NIC device is refused" ||
	t_fail "host: an NFS root without a NIC device is refused" "$(cat "$tmp/err")"
rm -r "$S/class/net"
printf '30 22 0:40 / /mnt rw - tmpfs tmpfs rw\n' >"$tmp/mountinfo"
HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo run -m host
[ $? = 1 ] && grep -q 'has no mount on /' "$tmp/err" && t_ok "host: a mount table without / is refused" ||
	t_fail "host: a mount table without /" "$(cat "$tmp/err")"
run -m +host
[ $? = 1 ] && grep -q 'host is a set of its own' "$tmp/err" && t_ok "+host is refused: $(cat "$tmp/err")" ||
	t_fail "+host is refused" "$(cat "$tmp/err")"

# make initramfs: the MODULES=host image and the default set's each have
# their own name, neither replacing the other (a private BUILD holding
# copies of the built tools, newer than their sources: not rebuilt).
b=$tmp/build
mkdir -p "$b/x86_64" "$b/host"
cp "$BUILD/x86_64/init" "$b/x86_64/init" && cp "$BUILD/host/mkcpio" "$TOOL" "$b/host/"
mountinfo '22 1 250:1 / / rw - zfs /dev/xda1 rw' >"$tmp/mountinfo"
mk() { HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo make -s BUILD="$b" initramfs MODDIR="$M" "$@" >"$tmp/make.log" 2>&1; }
lsimg() { gzip -dc "$1" 2>/dev/null | cpio -it 2>/dev/null | grep '\.ko$' | sed 's|.*/||' | sort | tr '\n' ' '; }
if mk MODULES=+other && mk MODULES=host; then
	t_ok "make initramfs MODDIR=... with the default set, then MODULES=host"
else
	t_fail "make initramfs MODDIR=... with the default set, then MODULES=host" "$(tail -3 "$tmp/make.log")"
fi
[ -f "$b/x86_64/initramfs-host-9.9.9-test.cpio.gz" ] &&
	t_ok "MODULES=host: its image is initramfs-host-RELEASE ($(lsimg "$b/x86_64/initramfs-host-9.9.9-test.cpio.gz"))" ||
	t_fail "MODULES=host: its image is initramfs-host-RELEASE" "$(ls "$b/x86_64")"
[ "$(lsimg "$b/x86_64/initramfs-9.9.9-test.cpio.gz")" = "other.ko " ] &&
	t_ok "the default set's image is still its own (other.ko)" ||
	t_fail "the default set's image is still its own" "it holds: $(lsimg "$b/x86_64/initramfs-9.9.9-test.cpio.gz")"

# MODULES_MAX: as many modules as the init tries, and not one more.
L=$tmp/many/9.9.9-test
mkdir -p "$L"
: >"$L/modules.dep"
: >"$L/modules.alias"
for i in $(seq 1025); do
	fake "$L/m$i.ko" 9.9.9-test "m$i"
	echo "m$i.ko:" >>"$L/modules.dep"
done
names=$(seq -s, -f 'm%g' 1024)
"$TOOL" -d "$L" -o "$tmp/many-stage" -m "$names" >"$tmp/list" 2>"$tmp/err"
[ $? = 0 ] && t_ok "1024 modules (MODULES_MAX) are taken" || t_fail "1024 modules (MODULES_MAX) are taken" "$(cat "$tmp/err")"
"$TOOL" -d "$L" -o "$tmp/many-stage" -m "$names,m1025" >"$tmp/list" 2>"$tmp/err"
[ $? = 1 ] && grep -q 'module m1025: more than 1024 modules (MODULES_MAX, the most the init tries)' "$tmp/err" &&
	t_ok "one more is refused, naming it and the limit: $(cat "$tmp/err")" ||
	t_fail "one more than MODULES_MAX is refused, naming it and the limit" "$(cat "$tmp/err")"

# The installed Debian kernel, as CI has it.
kver=$(find /lib/modules -maxdepth 1 -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
if [ -z "$kver" ]; then
	t_fail "a Debian cloud kernel is installed" "no /lib/modules/*-cloud-amd64: run tools/install-deps as root"
	t_exit
fi
"$TOOL" -k "$kver" -o "$tmp/deb" >"$tmp/list" 2>"$tmp/err"
[ $? = 0 ] && t_ok "$kver: the default set ($(cat "$tmp/err"))" || t_fail "$kver: the default set" "$(cat "$tmp/err")"
for mod in virtio_pci.ko virtio_blk.ko virtio_scsi.ko sd_mod.ko xfs.ko btrfs.ko; do
	t_grep "$kver: the default set has $mod" "$tmp/list" "/$mod "
done
n=$(grep -c '^alias ' "$tmp/deb/modules.alias")
all=$(grep -c '^alias ' "/lib/modules/$kver/modules.alias")
[ "$n" -gt 10 ] && [ "$n" -lt "$all" ] && t_ok "$kver: $n of $all aliases kept" || t_fail "$kver: a subset of the aliases" "$n of $all"

# MODULES=host on this machine: / on a disk gives its drivers; a machine
# whose root is on virtio (as QEMU and most clouds) must get virtio_blk
# and virtio_pci, matched by modalias even when it runs another kernel.
"$TOOL" -k "$kver" -m host -o "$tmp/deb" >"$tmp/list" 2>"$tmp/err"
rc=$?
if findmnt -no SOURCE / 2>/dev/null | grep -q '^/dev/'; then
	[ $rc = 0 ] && t_ok "$kver: MODULES=host on this machine:$(sed -n 's/.*MODULES=host: \([a-z0-9_]*\) for .*/ \1/p' "$tmp/err" | tr -d '\n')" ||
		t_fail "$kver: MODULES=host on this machine" "$(cat "$tmp/err")"
	if grep -q '/virtio[0-9]*/block/' "$tmp/err"; then
		for mod in virtio_pci.ko virtio_blk.ko; do
			t_grep "$kver: MODULES=host: this virtio root needs $mod" "$tmp/list" "/$mod "
		done
		t_nogrep "$kver: MODULES=host: no driver of another disk" "$tmp/list" '/(ahci|nvme|ata_piix|xfs|btrfs)\.ko '
	fi
	# The keyboards: their drivers, or (a server, a VM without one) said that there is none.
	if grep -q 'MODULES=host: a keyboard, ' "$tmp/err"; then
		t_ok "$kver: MODULES=host names this machine's keyboards:$(sed -n 's/.*MODULES=host: a keyboard, \(.*\), at .*/ \1;/p' "$tmp/err" | tr -d '\n')"
	else
		t_grep "$kver: MODULES=host: this machine has no keyboard, and says so" "$tmp/err" 'MODULES=host: no keyboard in /sys/class/input'
	fi
	# -C against this machine, told its root is xfs: refused without xfs, naming the fix.
	awk '$5 == "/"' /proc/self/mountinfo | tail -1 | sed 's/ - [^ ]* / - xfs /' >"$tmp/mi-xfs"
	HANDOFF_MOUNTINFO=$tmp/mi-xfs "$TOOL" -k "$kver" -m -xfs -C -o "$tmp/deb" >"$tmp/list" 2>"$tmp/err"
	rc=$?
	[ $rc = 3 ] && [ ! -s "$tmp/list" ] && grep -q 'check: / is xfs .*add it with --modules +xfs$' "$tmp/err" &&
		t_ok "$kver: -C: an xfs root without xfs is refused: $(grep 'check: / is xfs' "$tmp/err")" ||
		t_fail "$kver: -C: an xfs root without xfs is refused" "status $rc: $(cat "$tmp/err")"
	HANDOFF_MOUNTINFO=$tmp/mi-xfs "$TOOL" -k "$kver" -C -o "$tmp/deb" >"$tmp/list" 2>"$tmp/err"
	rc=$?
	# (a keyboard this cloud kernel has no driver for, USB on a PC, would be a fair miss)
	if [ $rc = 0 ] && [ -s "$tmp/list" ]; then
		t_ok "$kver: -C: the default set (xfs in it) passes on this machine"
	elif [ $rc = 3 ] && ! grep 'check: ' "$tmp/err" | grep -v 'keyboard\|misses\?:' | grep -q .; then
		t_ok "$kver: -C: the default set has the root's drivers and xfs; this machine's keyboard misses: $(grep -m1 'keyboard .* is driven' "$tmp/err")"
	else
		t_fail "$kver: -C: the default set passes on this machine" "status $rc: $(cat "$tmp/err")"
	fi
else
	[ $rc = 1 ] && grep -q 'not on a block device' "$tmp/err" &&
		t_ok "$kver: MODULES=host refused on this machine, whose / is not on a disk" ||
		t_fail "$kver: MODULES=host on a machine whose / is not on a disk" "$(cat "$tmp/err")"
fi
# The default set has a keyboard: the PS/2 and USB HID drivers this kernel has as modules.
"$TOOL" -k "$kver" -o "$tmp/deb" -R "$tmp/reasons" >"$tmp/list" 2>"$tmp/err"
has() { grep -q "/${1//_/[-_]}\.ko" "/lib/modules/$kver/modules.dep"; }
for mod in atkbd usbhid hid_generic hyperv_keyboard; do
	has "$mod" || continue
	[ "$mod" = hid_generic ] && ! has usbhid && continue
	t_grep "$kver: the default set has the keyboard driver $mod" "$tmp/reasons" "^module	$mod	the default set$"
done
if has hid_generic && ! has usbhid; then	# Debian's cloud kernel: no USB
	t_nogrep "$kver: no usbhid, so no HID keyboard driver (nothing to drive)" "$tmp/reasons" '^module	hid_generic	'
fi
t_exit
