# Flash roots (FLASH=1). x86_64: raw flash from block2mtd over a virtio
# disk: a UBI root (ubi.mtd= by number and by name; root=ubi0:NAME,
# ubi0_N, ubi:NAME), squashfs on an mtdblock (root=/dev/mtdblockN,
# root=mtd:NAME: found, not mounted, see below), the attach done by the
# init itself when the MTD device came after the kernel's UBI (added from
# the rescue shell), and the faults: a UBI volume or an MTD name that is
# not there (named, what is there listed, PID 1 alive, the flash
# unchanged); the default image refuses with the build hint. aarch64, on
# QEMU virt's CFI flash (pflash): a UBI root, and squashfs booted from an
# mtdblock of a partition that mtdparts= names (root=/dev/mtdblock1,
# root=mtd:rootfs; an MTD name not there). Every flash image is
# checksummed before and after its boot: the kernel's UBI attach of a
# fully formatted image writes nothing either.
. tests/boot/lib.sh
only_on x86_64 aarch64 -- "arm's test kernel has no MTD"
export PATH=$PATH:/sbin:/usr/sbin
t_need debugfs mkfs.ubifs ubinize mksquashfs || t_exit
FLASH_INITRD=$OUT/initramfs-flash-rescue.cpio.gz
[ -f "$FLASH_INITRD" ] || { t_fail "flash-inputs" "$FLASH_INITRD is missing: make FLASH=1 RESCUE=busybox initramfs"; t_exit; }

# The sample root's files.
TREE=$WORK/tree
mkdir -p "$TREE"
debugfs -R "rdump / $TREE" "$ROOTFS" >"$WORK/rdump.log" 2>&1 ||
	t_fail "flash: copying the sample root" "$(tail -2 "$WORK/rdump.log")"
rm -rf "$TREE/lost+found"
# A squashfs of the same tree (padded below, to the flash at hand).
mksquashfs "$TREE" "$WORK/root.sqfs" -noappend -quiet >"$WORK/mksquashfs.log" 2>&1 ||
	t_fail "flash: mksquashfs" "$(tail -2 "$WORK/mksquashfs.log")"

# ubi_image OUT PEB TOTAL: a UBI image as a board's flash holds it, TOTAL
# erase blocks of PEB bytes (0: ubinize's and 8 more): ubinize's volume
# (named rootfs, UBIFS for NOR-like flash: min I/O 1, so the VID header at
# 64 and LEBs of PEB - 128 bytes), then free erase blocks carrying the same
# erase-counter header (what ubiformat leaves), so the attach has nothing to
# format and no reason to write. Uncompressed (-x none): with 256 KiB
# erase blocks the compressed sample root has 8 main-area LEBs, and UBIFS
# refuses fewer than 9 ("bad superblock, error 4").
ubi_image() {
	local out=$1 peb=$2 total=$3 have
	mkfs.ubifs -r "$TREE" -m 1 -e $((peb - 128)) -c 64 -x none -o "$out.ubifs" >"$out.log" 2>&1 ||
		t_fail "flash: mkfs.ubifs" "$(tail -2 "$out.log")"
	printf '[rootfs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\n' \
		"$out.ubifs" >"$out.cfg"
	ubinize -o "$out" -m 1 -p "$peb" -Q 1234 "$out.cfg" >>"$out.log" 2>&1 ||
		t_fail "flash: ubinize" "$(tail -2 "$out.log")"
	have=$(($(stat -c %s "$out") / peb))
	[ "$total" -gt 0 ] || total=$((have + 8))
	head -c 64 "$out" >"$out.ec"
	while [ "$have" -lt "$total" ]; do
		cat "$out.ec"
		head -c $((peb - 64)) /dev/zero | tr '\0' '\377'
		have=$((have + 1))
	done >>"$out"
}

# flash NAME IMAGE [boot options] -- APPEND: a boot on a private copy of
# IMAGE as /dev/vda (or with PFLASH set, QEMU virt's second flash bank);
# SUM is its checksum before, FLASH the copy.
flash() {
	local name=$1 img=$2
	shift 2
	FLASH=$WORK/$name.img
	cp "$img" "$FLASH"
	SUM=$(sha256sum <"$FLASH")
	if [ -n "${PFLASH:-}" ]; then
		boot "$name" --initrd "$FLASH_INITRD" --no-disk --qemu -drive \
			--qemu "if=pflash,unit=1,format=raw,file=$FLASH" "$@"
	else
		boot "$name" --initrd "$FLASH_INITRD" --disk "$FLASH" "$@"
	fi
}

# fault NAME IMAGE -- APPEND: expected to fail: PID 1 alive, its policy said, the flash unchanged.
fault() {
	local name=$1 img=$2
	shift 3
	flash "$name" "$img" -- panic=-1 "$@"
	no_panic "$name"
	t_grep "$name: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	unchanged "$name: the flash is unchanged" "$FLASH" "$SUM"
}

if [ "$ARCH" = aarch64 ]; then
	# QEMU virt's flash: two CFI NOR banks of 64 MiB (256 KiB erase
	# blocks) that the kernel's physmap joins into mtd0; the image is the
	# second (unit 1: the first is the firmware's, empty here).
	PFLASH=1
	ubi_image "$WORK/pflash.img" 262144 256
	flash pflash-ubi "$WORK/pflash.img" -- ubi.mtd=0 root=ubi0:rootfs
	booted pflash-ubi
	mounted pflash-ubi ubi0_0 / ubifs 'ro'
	unchanged "pflash-ubi: the flash bank is unchanged" "$FLASH" "$SUM"
	fault pflash-novol "$WORK/pflash.img" -- ubi.mtd=0 root=ubi:nope rootwait=2
	t_grep "pflash-novol: lists the volumes present" "$LOG" 'handoff:   ubi0:rootfs  \(ubi0_0, on mtd0\)'

	# squashfs on an mtdblock: mtdparts= (the kernel's cmdlinepart; the
	# mtd-id is physmap's device name, 0.flash) splits mtd0 at the banks'
	# boundary, so mtd1 "rootfs" is bank 1, the image: the squashfs at its
	# start, padded to the bank's 64 MiB. Not marked ro: the checksum
	# shows that nothing wrote, not the partition's flag.
	cp "$WORK/root.sqfs" "$WORK/pflash-sqfs.img"
	truncate -s 64M "$WORK/pflash-sqfs.img"
	PARTS='mtdparts=0.flash:64m(firmware),-(rootfs)'
	flash pflash-mtdblock "$WORK/pflash-sqfs.img" -- $PARTS root=/dev/mtdblock1
	booted pflash-mtdblock
	t_grep "pflash-mtdblock: mtdparts= made the partitions" "$LOG" '0x000004000000-0x000008000000 : "rootfs"'
	mounted pflash-mtdblock /dev/mtdblock1 / squashfs 'ro'
	unchanged "pflash-mtdblock: the flash bank is unchanged" "$FLASH" "$SUM"
	flash pflash-mtdname "$WORK/pflash-sqfs.img" -- rd.debug $PARTS root=mtd:rootfs
	booted pflash-mtdname
	t_grep "pflash-mtdname: the name is found in /proc/mtd, its mtdblock probed" "$LOG" \
		'handoff: root=mtd:rootfs is /dev/mtdblock1 \(31:1\), type squashfs'
	mounted pflash-mtdname /dev/mtdblock1 / squashfs 'ro'
	unchanged "pflash-mtdname: the flash bank is unchanged" "$FLASH" "$SUM"
	fault pflash-mtd-noname "$WORK/pflash-sqfs.img" -- $PARTS root=mtd:nope rootwait=2
	t_grep "pflash-mtd-noname: names the MTD device" "$LOG" 'MTD device mtd:nope \(root=mtd:nope\) did not appear within 2 s'
	t_grep "pflash-mtd-noname: lists /proc/mtd" "$LOG" 'handoff:   mtd1 "rootfs"  65536 KiB, erase block 256 KiB'
	t_exit
fi

PEB=131072	# block2mtd's erase block (128KiB on the command line)
B2M=block2mtd.block2mtd=/dev/vda,128KiB
ubi_image "$WORK/ubi.img" $PEB 0

# The squashfs padded to whole erase blocks.
truncate -s $(( ($(stat -c %s "$WORK/root.sqfs") + PEB - 1) / PEB * PEB )) "$WORK/root.sqfs"

# A UBI root: ubi.mtd= by number (the kernel attaches it), root=ubi0:NAME.
flash ubi-num "$WORK/ubi.img" -- $B2M ubi.mtd=0 root=ubi0:rootfs rootfstype=ubifs
booted ubi-num
mounted ubi-num ubi0_0 / ubifs 'ro'
t_grep "ubi-num: the kernel attached mtd0" "$LOG" 'ubi0: attached mtd0'
unchanged "ubi-num: the flash is unchanged (attach and a read-only UBIFS write nothing)" "$FLASH" "$SUM"

# By name: block2mtd's label, ubi.mtd=NAME, root=ubi0_0 (ubifs by default).
flash ubi-name "$WORK/ubi.img" -- $B2M,boardflash ubi.mtd=boardflash root=ubi0_0
booted ubi-name
mounted ubi-name ubi0_0 / ubifs 'ro'
unchanged "ubi-name: the flash is unchanged" "$FLASH" "$SUM"

# root=ubi:NAME, the first UBI device that has the volume.
flash ubi-any "$WORK/ubi.img" -- $B2M ubi.mtd=0 root=ubi:rootfs
booted ubi-any
mounted ubi-any ubi0_0 / ubifs 'ro'

# A read-only UBIFS under a writable layer in RAM (LAYERS=1 FLASH=1): the
# volume is the overlay's lower layer, the flash still unchanged.
LAYERS_INITRD=$OUT/initramfs-layers-flash.cpio.gz
if [ -f "$LAYERS_INITRD" ]; then
	FLASH=$WORK/ubi-overlay.img
	cp "$WORK/ubi.img" "$FLASH"
	SUM=$(sha256sum <"$FLASH")
	boot ubi-overlay --initrd "$LAYERS_INITRD" --disk "$FLASH" -- $B2M ubi.mtd=0 root=ubi0:rootfs rd.overlay
	booted ubi-overlay
	mounted ubi-overlay overlay / overlay 'rw'
	mounted ubi-overlay ubi0_0 /run/handoff/lower ubifs 'ro'
	unchanged "ubi-overlay: the flash is unchanged" "$FLASH" "$SUM"
else
	t_fail "ubi-overlay-inputs" "$LAYERS_INITRD is missing: make LAYERS=1 FLASH=1 initramfs"
fi

# The MTD device appears after UBI's late_initcall (added from the rescue
# shell, as a board's late flash driver would): the kernel cannot attach
# ubi.mtd= (by name, by /dev path), the init does, through /dev/ubi_ctrl,
# on the retry.
type_b2m() {
	type_at 'starting a rescue shell' 1 "echo /dev/vda,128KiB,late >/sys/module/block2mtd/parameters/block2mtd; sleep 1; exit"
}
own_attach() {
	local name=$1 mtd=$2
	FLASH=$WORK/$name.img
	cp "$WORK/ubi.img" "$FLASH"
	SUM=$(sha256sum <"$FLASH")
	typed "$name" type_b2m --initrd "$FLASH_INITRD" --disk "$FLASH" -- rd.shell ubi.mtd="$mtd" root=ubi0:rootfs rootwait=2
	t_grep "$name: the kernel could not attach it at boot" "$LOG" "UBI error: cannot open mtd $mtd"
	t_grep "$name: the first try names the missing MTD device" "$LOG" "ubi.mtd=$mtd: no such MTD device appeared"
	t_grep "$name: the init attached it itself" "$LOG" "handoff: ubi.mtd=$mtd: attached mtd0 as ubi0"
	booted "$name"
	mounted "$name" ubi0_0 / ubifs 'ro'
	unchanged "$name: the flash is unchanged" "$FLASH" "$SUM"
}
own_attach own-attach late
own_attach own-attach-path /dev/mtd0

# squashfs on an mtdblock: by the block device's name, and by the MTD
# name. Over block2mtd the kernel's mount of it sleeps in D state forever
# on x86_64's test kernel (ext2 there mounts, then the exec of its init
# hangs the same way), while dd and a loop device over /dev/mtdblock0 work
# (likely: with no I/O scheduler mtdblock reads inside the reader's
# submit_bio(), and block2mtd's nested read of the virtio disk waits for a
# bio held on current->bio_list until that returns; docs/flash.md, and
# aarch64's pflash boots it). So the init's part is checked here:
# the MTD name found in /proc/mtd, its mtdblock found, probed as squashfs
# and handed to mount(2), nothing written; booting it needs flash that is
# no block device underneath (aarch64's CFI pflash).
mtd_found() {
	local name=$1 root=${3#root=}
	shift
	flash "$name" "$WORK/root.sqfs" --timeout 20 -- rd.debug "$@"
	t_grep "$name: the mtdblock is found and probed" "$LOG" "handoff: root=$root is /dev/mtdblock0 \\(31:0\\), type squashfs"
	no_panic "$name"
	unchanged "$name: the flash is unchanged" "$FLASH" "$SUM"
}
mtd_found mtdblock $B2M root=/dev/mtdblock0
mtd_found mtd-name $B2M,sqroot root=mtd:sqroot

# Faults: a volume that is not there; an MTD name that is not there.
fault ubi-novol "$WORK/ubi.img" -- $B2M ubi.mtd=0 root=ubi0:nope rootwait=2
t_grep "ubi-novol: names the volume" "$LOG" 'UBI volume ubi0:nope \(root=ubi0:nope\) did not appear within 2 s'
t_grep "ubi-novol: lists the volumes present" "$LOG" 'handoff:   ubi0:rootfs  \(ubi0_0, on mtd0\)'
t_grep "ubi-novol: says what to do" "$LOG" 'hint: name one of the volumes above in root='
fault mtd-noname "$WORK/root.sqfs" -- $B2M,sqroot root=mtd:nope rootwait=2
t_grep "mtd-noname: names the MTD device" "$LOG" 'MTD device mtd:nope \(root=mtd:nope\) did not appear within 2 s'
t_grep "mtd-noname: lists /proc/mtd" "$LOG" 'handoff:   mtd0 "sqroot"'

# The default image has no flash roots: it says how to build one.
FLASH=$WORK/default.img
cp "$WORK/ubi.img" "$FLASH"
SUM=$(sha256sum <"$FLASH")
boot no-flash --disk "$FLASH" -- panic=-1 $B2M ubi.mtd=0 root=ubi0:rootfs
no_panic no-flash
t_grep "no-flash: refuses with the build hint" "$LOG" 'root=ubi0:rootfs: UBI and MTD roots need an image built with FLASH=1 \(make initramfs FLASH=1\)'
unchanged "no-flash: the flash is unchanged" "$FLASH" "$SUM"
t_exit
