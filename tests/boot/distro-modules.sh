# Modules on a distribution kernel: name.param= options applied, rd.modules=
# loading by name, both from the kernel's line and from the built-in one, a
# failing module reported while the boot goes on, a disk plugged in later
# (the driver loaded on its uevent), and an image whose modules are for
# another kernel.
. tests/boot/distro.inc socat

# The module option, read back in the real root. virtio-blk.queue_depth
# in the dashed spelling, virtio_pci.force_legacy a bare flag;
# scsi_mod.max_luns=x is a bad value: scsi_mod
# fails (and what needs it), reported, and the boot goes on.
hooked=$WORK/hooked.img
with_hook "$hooked" 'echo "rootfs: queue_depth=$(cat /sys/module/virtio_blk/parameters/queue_depth)"
echo "rootfs: force_legacy=$(cat /sys/module/virtio_pci/parameters/force_legacy)"
[ -d /sys/module/isofs ] && echo "rootfs: isofs is loaded"
[ -d /sys/module/scsi_mod ] || echo "rootfs: scsi_mod is not loaded"'
boot params --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$hooked" -- \
	$NTC root=/dev/vda virtio-blk.queue_depth=17 virtio_pci.force_legacy rd.modules=isofs,no-such-module \
	rd.modules=scsi_mod scsi_mod.max_luns=x rd.debug
booted params
t_grep "params: virtio_blk got queue_depth=17 from the command line" "$LOG" '^rootfs: queue_depth=17$'
t_grep "params: the options are reported when loading" "$LOG" 'handoff: loaded module virtio_blk in [0-9]+ ms queue_depth=17'
t_grep "params: a bare name.param (a flag) is applied too" "$LOG" '^rootfs: force_legacy=Y$'
t_grep "params: rd.modules loaded isofs" "$LOG" '^rootfs: isofs is loaded$'
t_grep "params: rd.modules names a module not in the image" "$LOG" 'handoff: rd.modules=isofs,no-such-module: module no_such_module is not in the image and not built in'
t_grep "params: a failing module is named with the errno text" "$LOG" 'handoff: cannot load module scsi_mod \(kernel/drivers/scsi/scsi_mod.ko\): Invalid argument; going on without it'
t_grep "params: and the boot went on" "$LOG" '^rootfs: scsi_mod is not loaded$'

# The built-in command line (make initramfs CMDLINE=...) carries module
# words as well as the kernel's: with no root= from the kernel, its
# name.param=, rd.modules= and rd.coldplug= take effect. The image is made
# in a private BUILD holding copies of the built tools (not rebuilt).
b=$WORK/build
mkdir -p "$b/$ARCH" "$b/host"
cp "$OUT/init" "$b/$ARCH/init" && cp "$BUILD/host/mkcpio" "$BUILD/host/handoff-modules" "$b/host/"
if make -s BUILD="$b" initramfs KVER="$DKVER" \
	CMDLINE="root=/dev/vda virtio-blk.queue_depth=19 rd.modules=isofs rd.coldplug=all" >"$WORK/builtin.log" 2>&1; then
	t_ok "make initramfs KVER=... CMDLINE=... with module words"
else
	t_fail "make initramfs KVER=... CMDLINE=... with module words" "$(tail -3 "$WORK/builtin.log")"
fi
builtin=$WORK/builtin.img
with_hook "$builtin" 'echo "rootfs: queue_depth=$(cat /sys/module/virtio_blk/parameters/queue_depth)"
[ -d /sys/module/isofs ] && echo "rootfs: isofs is loaded"
[ -d /sys/module/ata_piix ] && echo "rootfs: ata_piix is loaded"'
boot builtin --kernel "$DKERNEL" --initrd "$b/$ARCH/initramfs-$DKVER.cpio.gz" --timeout $T --disk "$builtin" -- \
	$NTC rd.debug
booted builtin
t_grep "builtin: the built-in line is used" "$LOG" 'handoff: no root= from the kernel: using the built-in command line'
t_grep "builtin: its virtio-blk.queue_depth=19 reached the module" "$LOG" '^rootfs: queue_depth=19$'
t_grep "builtin: its rd.modules=isofs loaded isofs" "$LOG" '^rootfs: isofs is loaded$'
t_grep "builtin: its rd.coldplug=all loaded every driver (ata_piix too)" "$LOG" '^rootfs: ata_piix is loaded$'

boot defaults --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$hooked" -- $NTC root=/dev/vda
booted defaults
t_grep "defaults: without the option, the module's default" "$LOG" '^rootfs: queue_depth=0$'
t_grep "defaults: force_legacy off" "$LOG" '^rootfs: force_legacy=N$'
t_nogrep "defaults: a good boot prints no handoff line on the console" "$LOG" '^handoff: '

# Hot-plug: no disk at boot, so no virtio driver either; the disk comes
# while handoff waits, its PCI uevent loads virtio_pci, the virtio
# device's uevent virtio_blk.
img=$(disk hotplug)
sock=$WORK/hotplug.qmp
(
	for _ in $(seq 1800); do
		tr -d '\r' <"$WORK/hotplug.raw" 2>/dev/null | grep -q 'waiting for root device' && break
		sleep 0.1
	done
	{ echo '{"execute":"qmp_capabilities"}'
	  echo "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"raw\",\"node-name\":\"hp\",\"file\":{\"driver\":\"file\",\"filename\":\"$img\"}}}"
	  echo '{"execute":"device_add","arguments":{"driver":"virtio-blk-pci","drive":"hp","id":"hp"}}'
	  sleep 1; } | socat - "UNIX-CONNECT:$sock" >"$WORK/qmp.log" 2>&1
) &
boot hotplug --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --no-disk --qmp "$sock" -- \
	$NTC root=/dev/vda rootwait rd.debug
wait
booted hotplug
t_grep "hotplug: it waited for the disk" "$LOG" 'handoff: waiting for root device /dev/vda'
t_grep "hotplug: virtio_blk loaded after the disk came" <(sed -n '/waiting for root device/,$p' "$LOG") \
	'handoff: loaded module virtio_blk in [0-9]+ ms'
mounted hotplug /dev/vda / ext4 'ro'

# Modules for another kernel (the project's test kernel, all built in):
# said once, and the boot goes on.
boot mismatch --initrd "$IMG" -- root=/dev/vda
booted mismatch
t_grep "mismatch: says the modules are for another kernel" "$LOG" "handoff: the image has no modules for this kernel \(/lib/modules/[^ ]+ is missing\): loading none"
t_grep "mismatch: says how to build the right image" "$LOG" 'hint: build the image for this kernel: make initramfs KVER='

t_exit
