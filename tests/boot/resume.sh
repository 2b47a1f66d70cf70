# Resume from hibernation (STORAGE=1), a real one: the real root writes a
# random marker into a tmpfs, swaps on a swap mkswap made
# (tools/mkstorage), hibernates to it and the machine powers off; a boot
# with noresume leaves the image alone; a boot with resume=UUID= (which the
# kernel cannot resolve itself: the init writes MAJ:MIN to
# /sys/power/resume) brings the marker back; then the same swap, its image
# used up, boots normally. The same to a swap file on the root
# (resume_offset=) and through swap on an LV inside LUKS (resume=UUID=,
# then resume=/dev/VG/LV).
. tests/boot/lib.sh
. tests/boot/storage.inc
only_on x86_64 -- "tools/mkstorage's volumes hold the x86_64 sample root"
export PATH=$PATH:/sbin:/usr/sbin
t_need mkswap debugfs || t_exit
storage_disks

# sig FILE: the swap header's signature (the last 10 bytes of its first
# page): SWAPSPACE2 for a swap, S1SUSPEND while it holds an image.
sig() { dd if="$1" bs=1 skip=4086 count=10 status=none | tr -d '\0'; }

# marker NAME: the marker the hibernated root wrote, from NAME's log.
marker() { sed -n 's/^resumetest: marker \([0-9a-f]*\) in a tmpfs$/\1/p' "$WORK/$1.log" | head -1; }

cp "$WORK/storage-root.img" "$WORK/root.img"
disks swap "$DISK_SWAP"
swap=${DISKS[1]}
img=$(image plain)
R="resume=UUID=$SWAP_UUID"

# 1: hibernate. The swap holds no image yet: the init says so and boots.
boot hibernate --timeout 120 --initrd "$img" --disk "$WORK/root.img" "${DISKS[@]}" -- \
	root=/dev/vda "$R" resumetest.swap=/dev/vdb
M=$(marker hibernate)
t_grep "hibernate: the init hands the swap to the kernel" "$LOG" \
	"resume=UUID=$SWAP_UUID is /dev/vdb: resuming from it if it holds a hibernated image"
t_grep "hibernate: no image on a fresh swap" "$LOG" "resume=UUID=$SWAP_UUID: no hibernated image there; booting"
t_grep "hibernate: the real root wrote a marker" "$LOG" '^resumetest: hibernating to /dev/vdb'
t_check "hibernate: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
t_nogrep "hibernate: hibernation did not fail" "$LOG" 'resumetest: (hibernation|swapon) .*failed|rootfs: powering off'
t_check "hibernate: the swap holds an image (S1SUSPEND)" [ "$(sig "$swap")" = S1SUSPEND ]
no_panic hibernate

# 2: noresume: the image is left alone and the system boots afresh.
boot noresume --timeout 60 --initrd "$img" --disk "$WORK/root.img" "${DISKS[@]}" -- \
	root=/dev/vda "$R" noresume
booted noresume
t_nogrep "noresume: nothing resumed" "$LOG" 'resumetest: resumed'
t_check "noresume: the image is still there" [ "$(sig "$swap")" = S1SUSPEND ]

# 3: resume: the marker comes back from the image.
boot resume --timeout 120 --initrd "$img" --disk "$WORK/root.img" "${DISKS[@]}" -- root=/dev/vda "$R"
t_grep "resume: the init hands the swap to the kernel" "$LOG" \
	"resume=UUID=$SWAP_UUID is /dev/vdb: resuming from it if it holds a hibernated image"
t_check "resume: boot 1 printed a marker" [ -n "$M" ]
t_grep "resume: the marker came back" "$LOG" "^resumetest: resumed with marker ${M:-none}\$"
t_grep "resume: the resumed root goes on to power off" "$LOG" '^rootfs: powering off'
t_nogrep "resume: no second real init" "$LOG" '^rootfs: pid 1'
t_check "resume: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
no_panic resume

# 4: the image was used up: the same swap boots normally.
boot after --initrd "$img" --disk "$WORK/root.img" "${DISKS[@]}" -- root=/dev/vda "$R"
booted after
t_grep "after: no image left" "$LOG" "resume=UUID=$SWAP_UUID: no hibernated image there; booting"

# A swap file (resume_offset=) on a root of its own, mounted rw. The file
# is made here with no zero blocks, so mke2fs -d allocates every block (a
# swap file may have no holes) and its offset is known before boot 1: the
# kernel hibernates to where resume= and resume_offset= point.
mkdir -p "$WORK/sf"
tr '\0' '\377' </dev/zero | head -c 40M >"$WORK/sf/swapfile"
chmod 600 "$WORK/sf/swapfile"
if mkswap "$WORK/sf/swapfile" >"$WORK/sfroot.log" 2>&1 &&
	BUILD=$BUILD tools/mkrootfs -s 64 -b 4096 "$WORK/sfroot.img" tests/boot/storage-root "$WORK/sf" >>"$WORK/sfroot.log" 2>&1; then
	SF_UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66	# tools/mkrootfs's default
	off=$(debugfs -R 'bmap /swapfile 0' "$WORK/sfroot.img" 2>/dev/null)
	t_check "swap file: its offset in 4 KiB blocks ($off)" [ "${off:-0}" -gt 0 ]
	SF="resume=UUID=$SF_UUID resume_offset=${off:-0}"
	# shellcheck disable=SC2086 # SF is words of the command line
	boot sf-hibernate --timeout 120 --initrd "$img" --disk "$WORK/sfroot.img" -- root=/dev/vda rw $SF \
		resumetest.swap=/swapfile
	t_grep "sf-hibernate: no image in the file yet" "$LOG" "resume=UUID=$SF_UUID: no hibernated image there; booting"
	M=$(marker sf-hibernate)
	t_grep "sf-hibernate: hibernating to the swap file" "$LOG" '^resumetest: hibernating to /swapfile'
	t_check "sf-hibernate: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
	t_nogrep "sf-hibernate: hibernation did not fail" "$LOG" 'resumetest: (hibernation|swapon) .*failed|rootfs: powering off'
	no_panic sf-hibernate
	# shellcheck disable=SC2086
	boot sf-resume --timeout 120 --initrd "$img" --disk "$WORK/sfroot.img" -- root=/dev/vda rw $SF
	t_grep "sf-resume: the file's device handed to the kernel" "$LOG" \
		"resume=UUID=$SF_UUID is /dev/vda: resuming from it if it holds a hibernated image"
	t_grep "sf-resume: the marker came back" "$LOG" "^resumetest: resumed with marker ${M:-none}\$"
	t_check "sf-resume: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
	no_panic sf-resume
else
	t_fail "$SCENARIO: mkrootfs of the swap file's root" "$(tail -3 "$WORK/sfroot.log")"
fi

# Swap on an LV inside LUKS (the common laptop layout): the init unlocks
# the container and activates vgl/swap for resume= before resuming.
key=$S/$LUKS_KEY:/etc/handoff/luks.key
disks lvmluks "$DISK_LVMLUKS"
L="rd.luks.uuid=$LVMLUKS_LUKS_UUID rd.luks.key=/etc/handoff/luks.key root=/dev/vgl/root"
# shellcheck disable=SC2086 # L is words of the command line
boot lv-hibernate --timeout 120 --initrd "$(image keyed "$key")" "${DISKS[@]}" -- $L \
	resume=UUID=$LVMLUKS_SWAP_UUID resumetest.swap=/dev/mapper/vgl-swap
M=$(marker lv-hibernate)
t_grep "lv-hibernate: no image yet" "$LOG" "resume=UUID=$LVMLUKS_SWAP_UUID: no hibernated image there; booting"
t_grep "lv-hibernate: hibernating" "$LOG" '^resumetest: hibernating to /dev/mapper/vgl-swap'
t_check "lv-hibernate: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
t_nogrep "lv-hibernate: hibernation did not fail" "$LOG" 'resumetest: (hibernation|swapon) .*failed|rootfs: powering off'
no_panic lv-hibernate
# The resume by the LV's path this time.
# shellcheck disable=SC2086
boot lv-resume --timeout 120 --initrd "$(image keyed2 "$key")" "${DISKS[@]}" -- $L resume=/dev/vgl/swap
t_grep "lv-resume: the swap LV is handed to the kernel" "$LOG" \
	"resume=/dev/vgl/swap is /dev/[-a-z0-9/]+: resuming from it if it holds a hibernated image"
t_check "lv-resume: boot 1 printed a marker" [ -n "$M" ]
t_grep "lv-resume: the marker came back" "$LOG" "^resumetest: resumed with marker ${M:-none}\$"
t_check "lv-resume: qemu exited by itself" [ "$BOOT_RC" -eq 0 ]
no_panic lv-resume
t_exit
