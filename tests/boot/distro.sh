# A distribution kernel (Debian's linux-image-cloud-amd64), whose disk
# drivers and filesystems are modules: the image made by
# make initramfs KVER=... boots an ext4 root on virtio-blk, an xfs root
# (a filesystem module) and a root on virtio-scsi (driver and sd_mod).
. tests/boot/distro.inc debugfs mkfs.xfs mkfs.vfat mcopy mmd

boot ext4-blk --kernel "$DKERNEL" --initrd "$IMG" --timeout $T -- \
	$NTC root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rd.debug
booted ext4-blk
mounted ext4-blk /dev/vda / ext4 'ro'
t_grep "ext4-blk: virtio_pci loaded for the PCI device" "$LOG" 'handoff: loaded module virtio_pci in [0-9]+ ms'
t_grep "ext4-blk: virtio_blk loaded for the virtio device" "$LOG" 'handoff: loaded module virtio_blk in [0-9]+ ms'
t_grep "ext4-blk: its dependencies first" <(grep -o 'loaded module virtio[a-z_]*' "$LOG" | tr '\n' ' ') \
	'virtio_ring loaded module virtio loaded module virtio_pci .*virtio_blk'
t_nogrep "ext4-blk: no module failed" "$LOG" 'cannot load module|did not load'
t_grep "ext4-blk: the summary names the count" "$LOG" 'handoff: modules: [0-9]+ loaded, 0 failed, in [0-9]+ ms'

# xfs: the sample root copied into an xfs image, root-free (mkfs.xfs -p).
tree=$WORK/xfs-tree
mkdir -p "$tree"
debugfs -R "rdump / $tree" "$ROOTFS" >"$WORK/rdump.log" 2>&1
proto_entries() {
	local path name perm
	for path in "$1"/* "$1"/.[!.]*; do
		[ -e "$path" ] || [ -L "$path" ] || continue
		name=${path##*/}
		perm=$(printf '%03o' $((8#$(stat -c %a "$path") & 8#777)))
		if [ -L "$path" ]; then
			printf '%s%s l--%s 0 0 %s\n' "$2" "$name" "$perm" "$(readlink "$path")"
		elif [ -d "$path" ]; then
			printf '%s%s d--%s 0 0\n' "$2" "$name" "$perm"
			proto_entries "$path" "$2 "
			printf '%s$\n' "$2"
		elif [ -f "$path" ]; then
			printf '%s%s ---%s 0 0 %s\n' "$2" "$name" "$perm" "$path"
		fi
	done
}
{ printf '/dev/null\n0 0\nd--755 0 0\n'; proto_entries "$tree" " "; printf '$\n'; } >"$WORK/xfs.proto"
truncate -s 300M "$WORK/xfs.img"
if mkfs.xfs -q -f -L xfsroot -p "$WORK/xfs.proto" "$WORK/xfs.img" >"$WORK/mkfs.log" 2>&1; then
	t_ok "xfs: the sample root as an xfs image"
else
	t_fail "xfs: the sample root as an xfs image" "$(head -3 "$WORK/mkfs.log")"
fi
boot xfs --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$WORK/xfs.img" -- \
	$NTC root=LABEL=xfsroot rd.debug
booted xfs
mounted xfs /dev/vda / xfs 'ro'
t_grep "xfs: its module loaded for the mount (fs-xfs)" "$LOG" 'handoff: loaded module xfs in [0-9]+ ms'
t_grep "xfs: with its dependency" "$LOG" 'handoff: loaded module libcrc32c in [0-9]+ ms'

# virtio-scsi: the controller's driver, then sd_mod for the disk it finds.
scsi=$(disk scsi)
boot scsi --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --no-disk \
	--qemu -drive --qemu "file=$scsi,format=raw,if=none,id=s0" \
	--qemu -device --qemu virtio-scsi-pci,id=scsi0 \
	--qemu -device --qemu scsi-hd,drive=s0,bus=scsi0.0 -- $NTC root=/dev/sda rd.debug
booted scsi
mounted scsi /dev/sda / ext4 'ro'
t_grep "scsi: virtio_scsi loaded" "$LOG" 'handoff: loaded module virtio_scsi in [0-9]+ ms'
t_grep "scsi: sd_mod loaded for the disk" "$LOG" 'handoff: loaded module sd_mod in [0-9]+ ms'
t_grep "scsi: coldplug stopped once sd_mod made /dev/sda" "$LOG" 'handoff: the root device is there: not loading [0-9]+ more drivers'

# vfat: mounting it, the kernel asks /sbin/modprobe for its codepage
# (nls_cp437): the init, linked there, loads it. No symlinks on vfat, so
# /etc/rc is a script for busybox copied as /bin/sh.
vfat=$WORK/vfat.img
truncate -s 16M "$vfat"
printf '#!/bin/sh\necho "rootfs: rc on vfat"\n[ -d /sys/module/nls_cp437 ] && echo "rootfs: nls_cp437 is loaded"\n/bin/busybox poweroff -f\n' >"$WORK/rc"
if mkfs.vfat -n VFATROOT "$vfat" >"$WORK/mkfs.log" 2>&1 &&
	mmd -i "$vfat" ::/sbin ::/etc ::/bin ::/dev ::/proc ::/sys ::/run 2>>"$WORK/mkfs.log" &&
	mcopy -i "$vfat" "$OUT/report" ::/sbin/init 2>>"$WORK/mkfs.log" &&
	mcopy -i "$vfat" "$WORK/rc" ::/etc/rc 2>>"$WORK/mkfs.log" &&
	mcopy -i "$vfat" /bin/busybox ::/bin/sh 2>>"$WORK/mkfs.log" &&
	mcopy -i "$vfat" /bin/busybox ::/bin/busybox 2>>"$WORK/mkfs.log"; then
	t_ok "vfat: a root on vfat"
else
	t_fail "vfat: a root on vfat" "$(tail -3 "$WORK/mkfs.log")"
fi
boot vfat --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$vfat" -- \
	$NTC root=LABEL=VFATROOT rd.debug
t_grep "vfat: the real init ran from it" "$LOG" '^rootfs: rc on vfat$'
t_grep "vfat: mounted as vfat" "$LOG" 'handoff: mounted /dev/vda on /sysroot as vfat'
t_grep "vfat: the kernel's request for nls_cp437 served by the init as modprobe" "$LOG" 'handoff: loaded module nls_cp437 in [0-9]+ ms'
t_grep "vfat: nls_cp437 is loaded in the real root" "$LOG" '^rootfs: nls_cp437 is loaded$'
no_panic vfat

t_exit
