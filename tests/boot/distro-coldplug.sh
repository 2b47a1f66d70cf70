# Drivers on a distribution kernel: coldplug loads them in the image's
# order and stops once the root device is there, so the boot does not wait
# for the IDE controller's ata_piix (and libata, scsi_mod) on QEMU's pc
# machine; rd.coldplug=all, and a layered root, load them all before the
# switch. And MODULES=host: the image with only what this machine's root
# needs boots the kernel from virtio-blk. And a root on LVM from its module.
. tests/boot/distro.inc cpio mkfs.btrfs

hooked=$WORK/hooked.img
with_hook "$hooked" 'for m in virtio_blk ata_piix libata; do
	[ -d /sys/module/$m ] && echo "rootfs: $m is loaded" || echo "rootfs: $m is not loaded"
done'

# The pc machine has an IDE controller (ata_piix matches it), listed after
# virtio in the default set: virtio_pci, then virtio_blk from its device's
# uevent, then /dev/vda is there and coldplug stops.
boot first --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$hooked" -- \
	$NTC root=/dev/vda rd.debug
booted first
mounted first /dev/vda / ext4 'ro'
t_grep "first: the root's drivers loaded" "$LOG" '^rootfs: virtio_blk is loaded$'
t_grep "first: coldplug stopped once the root was there, naming what it left" "$LOG" \
	'handoff: the root device is there: not loading [0-9]+ more drivers \(ata_piix[,)]'
t_grep "first: ata_piix was not loaded" "$LOG" '^rootfs: ata_piix is not loaded$'
t_grep "first: nor libata" "$LOG" '^rootfs: libata is not loaded$'
t_nogrep "first: no module failed" "$LOG" 'cannot load module|did not load'

# rd.coldplug=all: every driver for the devices present, still in the
# image's order (virtio before IDE).
boot all --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$hooked" -- \
	$NTC root=/dev/vda rd.coldplug=all rd.debug
booted all
t_grep "all: ata_piix loaded before the switch" "$LOG" '^rootfs: ata_piix is loaded$'
t_grep "all: in the image's order: virtio_pci before ata_piix" \
	<(grep -o 'loaded module [a-z_]*' "$LOG" | tr '\n' ' ') 'module virtio_pci .*module ata_piix'
t_nogrep "all: nothing left out" "$LOG" 'not loading [0-9]+ more drivers'

# A layered root (rd.overlay over root=): it may need more devices than
# root= names, so every driver loads before the switch.
LIMG=$WORK/layers.cpio.gz
if flock "$OUT/.distro-image.lock" sh -c 'make -s LAYERS=1 initramfs KVER="$1" >"$2.log" 2>&1 &&
	cp "$3" "$2"' sh "$DKVER" "$LIMG" "$OUT/initramfs-layers-$DKVER.cpio.gz"; then
	boot layered --kernel "$DKERNEL" --initrd "$LIMG" --timeout $T --disk "$hooked" -- \
		$NTC root=/dev/vda rd.overlay rd.debug
	booted layered
	mounted layered overlay / overlay 'rw'
	t_grep "layered: every driver loaded (ata_piix too)" "$LOG" '^rootfs: ata_piix is loaded$'
	t_nogrep "layered: nothing left out" "$LOG" 'not loading [0-9]+ more drivers'
else
	t_fail "layered: make LAYERS=1 initramfs KVER=$DKVER" "$(tail -3 "$LIMG.log")"
fi

# A root by UUID: the check probes the disks as they come.
boot uuid --kernel "$DKERNEL" --initrd "$IMG" --timeout $T -- \
	$NTC root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rd.debug
booted uuid
t_grep "uuid: stopped once the filesystem with that UUID was there" "$LOG" \
	'handoff: the root device is there: not loading [0-9]+ more drivers \(ata_piix'

# Two disks with that UUID: refused, and said once (the coldplug's looks
# for the root are silent; the wait reports).
cp --reflink=auto "$ROOTFS" "$WORK/clone1.img"
cp --reflink=auto "$ROOTFS" "$WORK/clone2.img"
boot clones --kernel "$DKERNEL" --initrd "$IMG" --timeout $T \
	--disk "$WORK/clone1.img" --disk "$WORK/clone2.img" -- \
	$NTC root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 panic=-1
no_panic clones
n=$(grep -c 'matches more than one device' "$LOG")
[ "$n" = 1 ] && t_ok "clones: the two matches are reported once" ||
	t_fail "clones: the two matches are reported once" "$n times"

# An empty CD-ROM drive (QEMU's IDE one without a disc): coldplug loads
# ata_piix and sr_mod while the root is not there, and sr0 says it is 1 GiB
# (sr's guess until a disc is read). Each look for the root must ask the
# drive, not read it: every read is "I/O error, dev sr0" on the console.
boot cdrom --kernel "$DKERNEL" --initrd "$IMG" --timeout $T \
	--qemu -drive --qemu if=ide,media=cdrom -- \
	$NTC root=UUID=00000000-0000-0000-0000-000000000000 rootdelay=4 panic=-1
no_panic cdrom
t_grep "cdrom: sr_mod made the drive" "$LOG" 'sr0: scsi3-mmc drive|Attached scsi CD-ROM sr0'
t_grep "cdrom: the wait ended" "$LOG" 'did not appear within 4 s'
n=$(grep -c 'dev sr0' "$LOG")
[ "$n" = 0 ] && t_ok "cdrom: the empty drive was never read (no I/O error)" ||
	t_fail "cdrom: the empty drive was never read (no I/O error)" "$n lines of 'dev sr0'"
n=$(grep -c 'handoff:   /dev/sr0  11:0  no medium$' "$LOG")
[ "$n" = 1 ] && t_ok "cdrom: listed once as no medium" ||
	t_fail "cdrom: listed once as no medium" "$n lines"
t_nogrep "cdrom: not listed with its stale size" "$LOG" '/dev/sr0  11:0  [0-9]+ MiB'

# MODULES=host: this machine's root. Where / is not on a virtio disk (a CI
# machine on NVMe, a container), the host described is QEMU's pc machine
# with its virtio-blk disk, through the same sysfs walk.
if findmnt -no SOURCE / 2>/dev/null | grep -q '^/dev/' &&
	readlink -f "/sys/dev/block/$(mountpoint -d /)" | grep -q '/virtio[0-9]*/block/'; then
	:
else
	S=$WORK/sys
	mkdir -p "$S/devices/pci0000:00/0000:00:02.0/virtio0/block/vda" "$S/dev/block"
	echo 'pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00' >"$S/devices/pci0000:00/0000:00:02.0/modalias"
	echo 'virtio:d00000002v00001AF4' >"$S/devices/pci0000:00/0000:00:02.0/virtio0/modalias"
	ln -s ../../devices/pci0000:00/0000:00:02.0/virtio0/block/vda "$S/dev/block/254:0"
	echo '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw' >"$WORK/mountinfo"
	export HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$WORK/mountinfo
	echo "# host: this machine's / is not on a virtio disk: describing QEMU's (HANDOFF_SYSFS)"
fi
HOSTIMG=$WORK/host.cpio.gz
(distro_image "$HOSTIMG" host)
unset HANDOFF_SYSFS HANDOFF_MOUNTINFO
if [ -s "$HOSTIMG" ]; then
	t_ok "host: make initramfs KVER=$DKVER MODULES=host ($(stat -c %s "$HOSTIMG") bytes; default $(stat -c %s "$IMG"))"
else
	t_fail "host: make initramfs KVER=$DKVER MODULES=host" "$(tail -3 "$HOSTIMG.log")"
	t_exit
fi
gzip -dc "$HOSTIMG" | cpio -it 2>/dev/null | grep '\.ko$' >"$WORK/host.ko"
t_grep "host: the image has virtio_blk" "$WORK/host.ko" '/virtio_blk\.ko$'
t_grep "host: and virtio_pci" "$WORK/host.ko" '/virtio_pci\.ko$'
t_nogrep "host: and no other disk's driver or filesystem" "$WORK/host.ko" '/(ata_piix|libata|ahci|nvme|virtio_scsi|xfs|btrfs)\.ko$'
boot host --kernel "$DKERNEL" --initrd "$HOSTIMG" --timeout $T --disk "$hooked" -- \
	$NTC root=/dev/vda rd.debug
booted host
mounted host /dev/vda / ext4 'ro'
t_grep "host: virtio_blk loaded for the root" "$LOG" 'handoff: loaded module virtio_blk in [0-9]+ ms'
t_nogrep "host: no module failed" "$LOG" 'cannot load module|did not load'

# A btrfs root with the MODULES=host image of an ext4 host: the image has
# no btrfs module, and the message says so and how to add it.
truncate -s 128M "$WORK/btrfs.img"
if mkfs.btrfs -q -L btrfsroot "$WORK/btrfs.img" >"$WORK/mkfs-btrfs.log" 2>&1; then
	boot host-btrfs --kernel "$DKERNEL" --initrd "$HOSTIMG" --timeout $T --disk "$WORK/btrfs.img" -- \
		$NTC root=LABEL=btrfsroot panic=-1
	no_panic host-btrfs
	t_grep "host-btrfs: the mount failed for want of btrfs" "$LOG" 'cannot mount root /dev/vda \(root=LABEL=btrfsroot\): btrfs: No such device'
	t_grep "host-btrfs: says the image has no btrfs module and how to add it" "$LOG" \
		"hint: the image has no module for btrfs \(fs-btrfs\): build it with make initramfs KVER=$DKVER MODULES=\+btrfs"
else
	t_fail "host-btrfs: mkfs.btrfs" "$(tail -3 "$WORK/mkfs-btrfs.log")"
fi

# STORAGE=1 with a root on LVM (lvm2's disk, tools/mkstorage): dm_mod loads
# at coldplug's start, the root's mapping is made ahead, the disk comes with
# virtio_blk, and the volume group is activated from its event and timed.
. tests/boot/storage.inc
storage_disks
SIMG=$WORK/storage.cpio.gz
if flock "$OUT/.distro-image.lock" sh -c 'make -s initramfs KVER="$1" MODULES=virtio_pci,virtio_blk,dm_mod STORAGE=1 \
	>"$2.log" 2>&1 && cp "$3" "$2"' sh "$DKVER" "$SIMG" "$OUT/initramfs-storage-$DKVER.cpio.gz"; then
	cp --reflink=auto "$S/$DISK_LINEAR" "$WORK/lvm.img"
	boot lvm --kernel "$DKERNEL" --initrd "$SIMG" --timeout $T --disk "$WORK/lvm.img" -- \
		$NTC root=/dev/mapper/vg0-root rd.debug
	booted lvm
	mounted lvm /dev/mapper/vg0-root / ext4 'ro[,0-9a-z]*'
	t_grep "lvm: dm_mod before the disk's driver" \
		<(grep -oE 'LVM: dm_mod loaded first|loaded module virtio_blk' "$LOG" | tr '\n' ' ') \
		'^LVM: dm_mod loaded first loaded module virtio_blk $'
	t_grep "lvm: the root's mapping made ahead" "$LOG" 'LVM: /dev/mapper/vg0-root made ahead: done'
	t_grep "lvm: activated from the disk's event, timed" "$LOG" 'volume group vg0: active [0-9]+ ms after its last physical volume appeared'
	t_grep "lvm: root activated as /dev/mapper/vg0-root" "$LOG" 'volume group vg0: activated root \(linear, 1 segment\) as /dev/mapper/vg0-root'
	t_nogrep "lvm: no module failed" "$LOG" 'cannot load module|did not load'
	echo "# lvm: vg0 active $(sed -n 's/.*volume group vg0: active \([0-9]*\) ms after.*/\1/p' "$LOG" | head -1) ms after its PV appeared ($(sed -n 's/.*volume group vg0: steps (ms): //p' "$LOG" | head -1))"
else
	t_fail "lvm: make initramfs KVER=$DKVER STORAGE=1" "$(tail -3 "$SIMG.log")"
fi

t_exit
