# The systemd contract around the switch, with a stand-in for systemd
# (shutdown.inc): the way back at power-off must leave the disk clean,
# which the host reads from the ext4 superblock; /run's options and size.
. tests/boot/lib.sh
. tests/boot/shutdown.inc

img=$WORK/plain.img
root_with "$img"
boot plain --disk "$img" -- root=/dev/vda rw init=/sbin/fakesd fakesd.record
t_grep "plain: the stand-in runs as PID 1" "$LOG" '^fakesd: pid 1$'
t_grep "plain: the way back is there" "$LOG" '^fakesd: ls /run/initramfs .*shutdown'
t_grep "plain: run by hand (not PID 1) it refuses" "$LOG" \
	'handoff: shutdown: refusing to poweroff from process [0-9]+: systemd-shutdown runs this as PID 1 at power-off'
t_grep "plain: and returns, the system going on" "$LOG" '^fakesd: a hand-run shutdown returned 1$'
t_grep "plain: the shutdown starts" "$LOG" 'handoff: shutdown: back in the initramfs to poweroff'
t_grep "plain: the root, still writable, made read-only" "$LOG" 'handoff: shutdown: remounted read-only /oldroot$'
t_grep "plain: then, with a device recorded, the old root detached whole" "$LOG" 'handoff: shutdown: detached /oldroot and the [0-9]+ mounts under it'
t_nogrep "plain: no disk left held" "$LOG" 'handoff: shutdown: .*(still in use|still attached|busy)'
t_grep "plain: the recorded device reaches its hook" "$LOG" \
	'handoff: shutdown: cannot remove dm device test-vol: this build has no remover for it'
t_grep "plain: it syncs and says the verb" "$LOG" 'handoff: shutdown: synced in [0-9]+ ms; poweroff'
stopped plain
wrote "plain: what the root wrote is on the disk" "$img"
clean "plain: the root filesystem is clean after the way back" "$img"

# /run as systemd asks: mode 755, nodev, nosuid, strictatime (no relatime), 800k inodes, a size.
run_line=$(grep -m1 '^fakesd: mount tmpfs /run ' "$LOG")
t_match "plain: /run is nosuid,nodev" "$run_line" ' rw,nosuid,nodev[, ]'
t_match "plain: /run has a size and 800k inodes" "$run_line" ',size=[0-9]+k,nr_inodes=819200,mode=755'
t_match "plain: /run is strictatime (neither relatime nor noatime)" "$run_line" '^[^,]*( rw,nosuid,nodev),size'

img=$WORK/noshutdown.img
root_with "$img"
boot noshutdown --disk "$img" -- root=/dev/vda rw init=/sbin/fakesd rd.noshutdown rd.run.size=16M
t_grep "noshutdown: said at boot" "$LOG" 'handoff: rd.noshutdown: systemd will power off without coming back'
t_grep "noshutdown: no way back left" "$LOG" '^fakesd: no way back: powering off without it'
t_nogrep "noshutdown: no shutdown personality" "$LOG" 'handoff: shutdown:'
t_grep "noshutdown: rd.run.size= sizes /run" "$LOG" '^fakesd: mount tmpfs /run tmpfs rw,nosuid,nodev,size=16384k,'
dirty "noshutdown: without the way back the disk is left dirty (the contrast)" "$img"

img=$WORK/reboot.img
root_with "$img"
boot reboot --disk "$img" -- root=/dev/vda rw init=/sbin/fakesd fakesd.verb=reboot
t_grep "reboot: the verb reaches the shutdown" "$LOG" 'handoff: shutdown: synced in [0-9]+ ms; reboot'
t_grep "reboot: the root made read-only" "$LOG" 'handoff: shutdown: remounted read-only /oldroot$'
t_grep "reboot: nothing stacked: the tree is left as it is" "$LOG" \
	'handoff: shutdown: every disk under /oldroot is read-only, nothing stacked on one: nothing more to let go of'
t_nogrep "reboot: so nothing detached" "$LOG" 'handoff: shutdown: detached'

stopped reboot
clean "reboot: the root filesystem is clean" "$img"

# A /run too small for the way back (tmpfs rounds 1k up to one page): the
# copy fails, is said, and the boot goes on without it.
img=$WORK/tiny.img
root_with "$img"
boot tiny --disk "$img" -- root=/dev/vda rw init=/sbin/fakesd rd.run.size=1k
t_grep "tiny: rd.run.size= applies" "$LOG" '^fakesd: mount tmpfs /run tmpfs rw,nosuid,nodev,size=4k,'
t_grep "tiny: the failed copy is named" "$LOG" \
	'handoff: cannot copy this program to /run/initramfs/shutdown: No space left on device'
t_grep "tiny: and what it means" "$LOG" 'handoff: no way back at shutdown: systemd will power off without it'
t_nogrep "tiny: no half copy is left" "$LOG" '^fakesd: ls /run/initramfs .*shutdown'
t_grep "tiny: the boot goes on" "$LOG" '^fakesd: no way back: powering off without it'
