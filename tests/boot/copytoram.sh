# rd.copytoram: the root device copied into a tmpfs and unmounted; the disk
# is then removed (QMP device_del) and the real root keeps working.
. tests/boot/layers.inc

mkdir -p "$WORK/extra/etc"
echo hello >"$WORK/extra/etc/motd-test"
ln "$WORK/extra/etc/motd-test" "$WORK/extra/etc/motd-link"
cat >"$WORK/extra/etc/rc.test" <<'HOOK'
#!/bin/sh
echo "rootfs: hook links $(stat -c %h /etc/motd-test) $(readlink /bin/sh)"
echo "rootfs: ready for unplug"
i=0
while [ -e /sys/class/block/vda ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -e /sys/class/block/vda ] && echo "rootfs: vda is still there" || echo "rootfs: vda is gone"
echo "rootfs: after unplug $(cat /etc/motd-test) $(ls /bin | wc -l) $(busybox true && echo runs)"
HOOK
chmod 755 "$WORK/extra/etc/rc.test"
BUILD=$BUILD tools/mkrootfs "$WORK/root.img" "$WORK/extra" >"$WORK/mkrootfs.log" 2>&1 ||
	t_fail "copytoram: mkrootfs" "$(tail -3 "$WORK/mkrootfs.log")"
image "$WORK/layers.cpio.gz"
sock=$WORK/copy.qmp
(
	wait_for "$WORK/copy.raw" '^rootfs: ready for unplug' || exit 1
	qmp "$sock" '{"execute":"device_del","arguments":{"id":"disk0"}}'
) &
boot copy --disk "$WORK/root.img" --initrd "$WORK/layers.cpio.gz" --qmp "$sock" -- \
	root=/dev/vda rd.copytoram
wait
booted copy
t_grep "copy: copied to RAM" "$LOG" 'handoff: copied /run/handoff/lower to RAM: [0-9]+ files'
mounted copy tmpfs / tmpfs 'rw'
t_nogrep "copy: the disk is not mounted" "$LOG" '^rootfs: mount /dev/vda'
t_grep "copy: hard links and symlinks kept" "$LOG" '^rootfs: hook links 2 busybox$'
t_grep "copy: the disk was removed" "$LOG" '^rootfs: vda is gone$'
t_grep "copy: the root works without it" "$LOG" '^rootfs: after unplug hello [0-9]+ runs$'

boot too-small --disk "$(disk too-small)" --initrd "$WORK/layers.cpio.gz" --timeout 30 -- \
	root=/dev/vda rd.copytoram rd.tmpfs.size=1M panic=-1
no_panic too-small
t_grep "too-small: refused with both sizes" "$LOG" \
	'handoff: rd.copytoram: the root has [0-9]+ MiB in use but the tmpfs on /sysroot has [01] MiB free: not copying'
t_nogrep "too-small: did not switch" "$LOG" '^rootfs: pid 1'
t_exit
