# When the root cannot be had: a message that names it and what to do,
# PID 1 stays alive, panic=N reboots.
. tests/boot/lib.sh

boot never-panic --timeout 40 -- root=/dev/vdz rootdelay=2 panic=1
no_panic never-panic
t_grep "never-panic: progress while waiting" "$LOG" 'handoff: waiting for root device /dev/vdz \(1 s of 2 s\)'
t_grep "never-panic: names the device and the wait" "$LOG" 'handoff: root device /dev/vdz did not appear within 2 s'
t_grep "never-panic: says what to try" "$LOG" 'hint: check root= against the devices below'
t_grep "never-panic: lists the block devices" "$LOG" "handoff:   /dev/vda  $VDA_MAJOR:0  16 MiB"
t_grep "never-panic: announces the reboot" "$LOG" 'boot failed: rebooting in 1 s \(panic=1\)'
[ "$BOOT_RC" -eq 0 ] && t_ok "never-panic: panic=1 rebooted (qemu ended)" ||
	t_fail "never-panic: panic=1 rebooted (qemu ended)" "qemu status $BOOT_RC"

# Without panic=, PID 1 stays up with the message on screen.
boot never-stay --timeout 12 -- root=/dev/vdz rootdelay=1
no_panic never-stay
t_grep "never-stay: stays up and says so" "$LOG" 'boot failed: staying here'
[ "$BOOT_RC" -eq 124 ] && t_ok "never-stay: still running at the timeout" ||
	t_fail "never-stay: still running at the timeout" "qemu status $BOOT_RC"

# No root= (the sample root is a bare ext4, no GPT): GPT auto-discovery
# finds nothing within rootdelay=, then the no-root= error.
boot no-root -- rootdelay=1 panic=-1
no_panic no-root
t_grep "no-root: says root= is missing" "$LOG" 'no root= on the kernel command line, and GPT auto-discovery found no root'
t_grep "no-root: no GPT seen" "$LOG" 'GPT auto-discovery: no disk has a GPT partition table'
t_grep "no-root: panic=-1 reboots at once" "$LOG" 'boot failed: rebooting now \(panic=-1\)'

boot bad-root -- root=nonsense panic=-1
no_panic bad-root
t_grep "bad-root: explains the forms" "$LOG" 'root=nonsense: not a device: use /dev/NAME, MAJ:MIN'

# rootfstype= that is not what the disk holds: the message says what the
# probe saw there, not only that the named type failed.
boot wrong-type -- root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rootfstype=xfs panic=-1
no_panic wrong-type
t_grep "wrong-type: names the type tried" "$LOG" 'cannot mount root /dev/vda \(root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66\): xfs: '
t_grep "wrong-type: says the probe saw ext4" "$LOG" 'hint: the probe saw ext4 on /dev/vda, not xfs: drop rootfstype=, or make it rootfstype=ext4'

# Roots that are no block device, in the default image (no NET=1, no
# FLASH=1): refused at once with the build that has them; the old
# initrd's RAM disk is refused with what to do instead.
boot nfs-default -- root=/dev/nfs nfsroot=10.0.2.2:/srv/root ip=dhcp panic=-1
no_panic nfs-default
t_grep "nfs-default: names the build that has NFS" "$LOG" 'root=/dev/nfs: an NFS root needs an image built with NET=1 \(make initramfs NET=1\)'
boot neednet-default -- root=/dev/vda rd.neednet=1 panic=-1
no_panic neednet-default
t_grep "neednet-default: rd.neednet names the build" "$LOG" 'rd.neednet needs an image built with NET=1'
boot ubi-default -- root=ubi0:rootfs rootfstype=ubifs panic=-1
no_panic ubi-default
t_grep "ubi-default: names the build that has UBI" "$LOG" 'root=ubi0:rootfs: UBI and MTD roots need an image built with FLASH=1'
boot ramdisk -- root=/dev/ram0 panic=-1
no_panic ramdisk
t_grep "ramdisk: refused, with the initramfs way instead" "$LOG" 'root=/dev/ram0: RAM-disk roots \(the old initrd\) are not supported by handoff'

t_exit
