# Overlay and image roots: a read-only lower (ext4, squashfs, erofs; a
# device, or an image file on a loop device) under a writable layer in RAM
# or on a disk; squashfs mounted directly. Writes land in the upper layer,
# the lower disk is unchanged (checksummed before and after).
. tests/boot/layers.inc

HOOK='
echo written >/written-by-test && echo "rootfs: hook wrote $(cat /written-by-test)"
echo "rootfs: hook upper $(cat /run/handoff/rw/upper/written-by-test 2>&1)"
echo "rootfs: hook lower-has-it $(ls /run/handoff/lower/written-by-test 2>/dev/null | wc -l)"'
t=$WORK/tree
tree "$t" "$HOOK"
mkdir -p "$WORK/hook/etc"
cp "$t/etc/rc.test" "$WORK/hook/etc/"
BUILD=$BUILD tools/mkrootfs "$WORK/ext4.img" "$WORK/hook" >"$WORK/mkrootfs.log" 2>&1 ||
	t_fail "overlay: mkrootfs" "$(tail -3 "$WORK/mkrootfs.log")"
mksquashfs "$t" "$WORK/root.sqfs" -noappend -quiet >/dev/null
mkfs.erofs "$WORK/root.erofs" "$t" >/dev/null
image "$WORK/layers.cpio.gz"

# over NAME DISK-IMAGE TYPE DEV: booted, overlay on /, lower read-only, the
# write in RAM (or the upper disk), the lower image unchanged.
over() {
	booted "$1"
	mounted "$1" overlay / overlay 'rw'
	t_grep "$1: lower is $3 on /run/handoff/lower, read-only" "$LOG" "^rootfs: mount $4 /run/handoff/lower $3 ro"
	t_grep "$1: the real root can write" "$LOG" '^rootfs: hook wrote written$'
	t_grep "$1: the write is in the upper layer" "$LOG" '^rootfs: hook upper written$'
	t_grep "$1: and not in the lower" "$LOG" '^rootfs: hook lower-has-it 0$'
	unchanged "$1: the lower disk is unchanged" "$2" "$5"
}

for fs in ext4 sqfs erofs; do
	img=$WORK/$fs.img
	[ "$fs" = ext4 ] || cp "$WORK/root.$fs" "$img"
	sum=$(sha256sum <"$img")
	type=$fs
	[ "$fs" = sqfs ] && type=squashfs
	boot "overlay-$fs" --disk "$img" --initrd "$WORK/layers.cpio.gz" -- root=/dev/vda rd.overlay
	over "overlay-$fs" "$img" "$type" /dev/vda "$sum"
	mounted "overlay-$fs" tmpfs /run/handoff/rw tmpfs 'rw'
done

# The upper layer on a disk of its own: the write is there after power-off.
cp "$WORK/root.sqfs" "$WORK/lower.img"
sum=$(sha256sum <"$WORK/lower.img")
mke2fs -q -F -t ext4 -L upper "$WORK/upper.img" 16M
boot upper-disk --disk "$WORK/lower.img" --disk "$WORK/upper.img" --initrd "$WORK/layers.cpio.gz" -- \
	root=/dev/vda rd.overlay=LABEL=upper
over upper-disk "$WORK/lower.img" squashfs /dev/vda "$sum"
mounted upper-disk /dev/vdb /run/handoff/rw ext4 'rw'
if [ "$(debugfs -R 'cat /upper/written-by-test' "$WORK/upper.img" 2>/dev/null)" = written ]; then
	t_ok "upper-disk: the write is on the upper disk"
else
	t_fail "upper-disk: the write is on the upper disk" "not in /upper of $WORK/upper.img"
fi

# squashfs and erofs as the root itself, from the device.
cp "$WORK/root.sqfs" "$WORK/direct.img"
boot squashfs-direct --disk "$WORK/direct.img" --initrd "$WORK/layers.cpio.gz" -- root=/dev/vda
booted squashfs-direct
mounted squashfs-direct /dev/vda / squashfs 'ro'
cp "$WORK/root.erofs" "$WORK/direct.img"
boot erofs-direct --disk "$WORK/direct.img" --initrd "$WORK/layers.cpio.gz" -- root=/dev/vda
booted erofs-direct
mounted erofs-direct /dev/vda / erofs 'ro'

# Image files on a filesystem found by label: through a loop device.
mkdir -p "$WORK/media/images"
cp "$WORK/root.sqfs" "$WORK/root.erofs" "$WORK/media/images/"
mke2fs -q -F -t ext4 -L images -d "$WORK/media" "$WORK/media.img" 32M
sum=$(sha256sum <"$WORK/media.img")
boot loop-squashfs --disk "$WORK/media.img" --initrd "$WORK/layers.cpio.gz" -- \
	root=LABEL=images rd.loop=/images/root.sqfs
booted loop-squashfs
mounted loop-squashfs '/dev/loop[0-9]+' / squashfs 'ro'
mounted loop-squashfs /dev/vda /run/handoff/medium ext4 'ro'
boot loop-erofs-overlay --disk "$WORK/media.img" --initrd "$WORK/layers.cpio.gz" -- \
	root=LABEL=images rd.loop=/images/root.erofs rd.overlay
over loop-erofs-overlay "$WORK/media.img" erofs '/dev/loop[0-9]+' "$sum"

boot loop-missing --disk "$WORK/media.img" --initrd "$WORK/layers.cpio.gz" --timeout 30 -- \
	root=LABEL=images rd.loop=/images/nothing.sqfs panic=-1
no_panic loop-missing
t_grep "loop-missing: names the file and the errno" "$LOG" \
	'handoff: rd.loop: cannot open /images/nothing.sqfs on the device: No such file or directory'

# A layer's device is named by its purpose and parameter, not as "root".
boot upper-missing --disk "$WORK/lower.img" --initrd "$WORK/layers.cpio.gz" --timeout 30 -- \
	root=/dev/vda rd.overlay=LABEL=nothere rootwait=2 panic=-1
no_panic upper-missing
t_grep "upper-missing: waits for the overlay upper by name" "$LOG" \
	'handoff: waiting for overlay upper device LABEL=nothere \(1 s of 2 s\)'
t_grep "upper-missing: says the overlay upper did not appear" "$LOG" \
	'handoff: overlay upper device LABEL=nothere did not appear within 2 s'
t_grep "upper-missing: the hint names rd.overlay=" "$LOG" 'handoff: hint: check rd.overlay= against the devices below'
t_nogrep "upper-missing: not called the root device" "$LOG" 'root device LABEL=nothere'
t_exit
