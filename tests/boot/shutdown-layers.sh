# The way back for a root in layers: the root filesystem is an image file
# on the root= device (rd.loop=), under an overlay whose upper layer is a
# writable device (rd.overlay=DEVICE). What systemd cannot let go of while
# it runs from them (the overlay, the loop device, the upper device's
# filesystem, the medium) the shutdown takes apart; the host then finds
# the upper device's filesystem and the medium clean.
. tests/boot/layers.inc
. tests/boot/shutdown.inc
t_need mke2fs || t_exit

tree "$WORK/root"
fakesd_tree "$WORK/root"
mkdir -p "$WORK/medium"
mke2fs -q -t ext4 -d "$WORK/root" "$WORK/medium/root.img" 64M
mke2fs -q -t ext4 -L medium -d "$WORK/medium" "$WORK/medium.img" 128M
mke2fs -q -t ext4 -L upper "$WORK/upper.img" 32M
image "$WORK/layers.cpio.gz"

boot loop-overlay --initrd "$WORK/layers.cpio.gz" --disk "$WORK/medium.img" --disk "$WORK/upper.img" -- \
	root=LABEL=medium rd.loop=/root.img rd.overlay=LABEL=upper rw init=/sbin/fakesd
t_grep "loop-overlay: the stand-in runs on the overlay" "$LOG" '^fakesd: mount overlay / overlay '
t_grep "loop-overlay: the shutdown starts" "$LOG" 'handoff: shutdown: back in the initramfs to poweroff'
t_grep "loop-overlay: the upper disk made read-only" "$LOG" \
	'handoff: shutdown: remounted read-only .*/oldroot/run/handoff/rw'
t_grep "loop-overlay: the old root detached whole" "$LOG" 'handoff: shutdown: detached /oldroot and the [0-9]+ mounts under it'
t_grep "loop-overlay: the loop device let go of" "$LOG" 'handoff: shutdown: let go of /dev/loop[0-9]+'
t_nogrep "loop-overlay: no disk left held" "$LOG" 'handoff: shutdown: .*(still in use|still attached|cannot)'
stopped loop-overlay
if debugfs -R 'cat /upper/fakesd-wrote' "$WORK/upper.img" 2>/dev/null | grep -q written; then
	t_ok "loop-overlay: what the root wrote is in the upper layer"
else
	t_fail "loop-overlay: what the root wrote is in the upper layer" "no /upper/fakesd-wrote on it"
fi
clean "loop-overlay: the upper device's filesystem is clean" "$WORK/upper.img"
clean "loop-overlay: the medium is clean" "$WORK/medium.img"
debugfs -R "dump /root.img $WORK/root-after.img" "$WORK/medium.img" >/dev/null 2>&1
clean "loop-overlay: the image file's filesystem is clean" "$WORK/root-after.img"
