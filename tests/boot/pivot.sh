# The pivot_root path: / is an ordinary mount, as for a first-stage init
# started from a disk. Here the kernel boots a disk root without an
# initramfs; a script there runs handoff as PID 1 of a private mount and
# PID namespace, with its own command line, to switch to a second disk.
. tests/boot/lib.sh

first=$WORK/first
# A first-stage root provides the mount point, as the initramfs does.
mkdir -p "$first/sbin" "$first/sysroot"
cp "$OUT/init" "$first/sbin/handoff"
cat >"$first/stage1" <<'SH'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
echo "stage1: first root is $(grep ' / ' /proc/mounts | grep -v rootfs)"
echo 'root=/dev/vdb rw rootfs.poweroff' >/run/cmdline
# handoff reads /proc/cmdline: give it its own inside the namespaces.
unshare -m -p -f sh -c '
	mount --make-rprivate /
	mount -t proc proc /proc
	mount --bind /run/cmdline /proc/cmdline
	exec /sbin/handoff second-stage-arg'
echo "stage1: namespace ended with status $?"
echo "stage1: first root still mounted: $(grep -c ' / ' /proc/mounts)"
reboot -f
SH
chmod 755 "$first/stage1"
second=$WORK/second
mkdir -p "$second/etc"
printf '#!/bin/sh\necho "second: I am the second root: $(grep " / " /proc/mounts)"\n' >"$second/etc/rc.test"
chmod 755 "$second/etc/rc.test"

BUILD=$BUILD tools/mkrootfs "$WORK/first.img" "$first" >"$WORK/mk1.log" 2>&1 &&
	BUILD=$BUILD tools/mkrootfs -L second-root "$WORK/second.img" "$second" >"$WORK/mk2.log" 2>&1 ||
	t_fail "pivot: mkrootfs" "$(tail -3 "$WORK"/mk*.log)"
before=$(sha256sum <"$WORK/first.img")

boot pivot --no-initrd --disk "$WORK/first.img" --disk "$WORK/second.img" \
	-- root=/dev/vda init=/stage1 panic=-1
no_panic pivot
t_grep "pivot: the first stage ran from a disk root" "$LOG" '^stage1: first root is /dev/root / ext4'
t_grep "pivot: handoff used pivot_root" "$LOG" 'handoff: switched root with pivot_root'
t_nogrep "pivot: nothing was deleted" "$LOG" 'handoff: switched root by moving|freed [0-9]+ KiB'
t_grep "pivot: the second root's init ran as PID 1" "$LOG" '^rootfs: pid 1$'
t_grep "pivot: its argv came through" "$LOG" '^rootfs: argv\[1\]=second-stage-arg$'
t_grep "pivot: the second root is / with rw" "$LOG" '^second: I am the second root: /dev/vdb / ext4 rw'
t_grep "pivot: /proc moved along with its cmdline" "$LOG" '^rootfs: powering off'
t_grep "pivot: the first stage carried on" "$LOG" '^stage1: namespace ended'
unchanged "pivot: the first root's disk is byte-identical" "$WORK/first.img" "$before"

t_exit
