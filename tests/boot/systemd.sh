# A real systemd root (issue 16): Debian 12 built by tools/mkdebroot, on a
# GPT disk, booted with Debian's cloud kernel and make initramfs KVER=...
# MODULES=host. A unit in the root (sdreport) prints systemd's state, the
# failed units, the mounts and the journal's lines about the handover, then
# powers off through the way back; the host then reads the disk's ext4
# superblocks. Each root= form, GPT auto-discovery, a separate /usr,
# rd.noshutdown, and an overlay on a loop image.
. tests/boot/lib.sh
only_on x86_64 -- "Debian's linux-image-cloud-amd64 is an x86_64 kernel"
. tests/boot/shutdown.inc
t_need flock mmdebstrap sfdisk mke2fs || t_exit
distro_kernel
IMG=$WORK/systemd.cpio.gz
distro_image "$IMG" host
LIMG=$WORK/systemd-layers.cpio.gz
distro_image "$LIMG" host,loop,overlay 1
eval "$(tools/mkdebroot names)"
# systemd under TCG takes about 20 s to power off; no_timer_check as in
# distro.inc; panic=-1: a boot that fails ends at once.
T=240
NTC="no_timer_check panic=-1"

# The disks, built once (the root itself is cached), copied for each boot.
for d in "plain disk" "usr disk --usr" "usrtype disk --usr --usr-by-type" "loop loopdisk"; do
	read -r n cmd opts <<<"$d"
	if ! tools/mkdebroot $cmd $opts --kver "$DKVER" "$WORK/$n.disk" >"$WORK/$n.mk.log" 2>&1; then
		t_fail "$SCENARIO: tools/mkdebroot $cmd $opts" "$(tail -3 "$WORK/$n.mk.log")"
		t_exit
	fi
done
sddisk() {
	cp --sparse=always "$WORK/$2.disk" "$WORK/$1.img"
	echo "$WORK/$1.img"
}

# part IMG N: partition N of IMG as e2fsprogs opens it (IMG?offset=BYTES).
part() {
	local start
	start=$(sfdisk -d "$1" | awk -v p="$1$2" '$1 == p { sub(",", "", $4); print $4 }')
	echo "$1?offset=$((start * 512))"
}

# used_clean NAME IMG: the filesystem was mounted read-write (its mount
# count moved off mke2fs's 0: otherwise "clean" would prove nothing) and is
# clean now.
used_clean() {
	local count
	count=$(dumpe2fs -h "$2" 2>/dev/null | awk -F: '/^Mount count:/ { print $2 + 0 }')
	if [ "${count:-0}" -gt 0 ]; then clean "$1" "$2"; else
		t_fail "$1" "it was never mounted read-write (mount count ${count:-unreadable})"
	fi
}

# sdboot NAME DISK [boot options] -- APPEND
sdboot() {
	local name=$1 disk=$2
	shift 2
	boot "$name" --kernel "$DKERNEL" --initrd "$IMG" --timeout $T --disk "$disk" "$@"
}

# reported NAME ROOT-SOURCE ROOT-TYPE: what the root's report says, read
# from the console: running, nothing failed, / from the right device, /run,
# /dev, /proc and /sys as systemd wants them.
reported() {
	local n=$1 run
	stopped "$n"
	t_grep "$n: systemd says running" "$LOG" '^sdreport: state running$'
	if grep -q '^sdreport: state ' "$LOG"; then
		t_nogrep "$n: no failed units" "$LOG" '^sdreport: failed '
	else
		t_fail "$n: no failed units" "the root's report never came (log $LOGS/serial-$LOGTAG-$n.log)"
	fi
	t_grep "$n: / is $2 ($3)" "$LOG" "^sdreport: mount / $2 $3 rw,"
	run=$(grep -m1 '^sdreport: mount /run ' "$LOG")
	t_match "$n: /run is a tmpfs, nosuid,nodev" "$run" '^sdreport: mount /run tmpfs tmpfs rw,nosuid,nodev[, ]'
	t_match "$n: /run is strictatime (neither relatime nor noatime)" "$run" ' rw,nosuid,nodev,size='
	t_match "$n: /run has a size limit and mode 755" "$run" ',size=[0-9]+k,.*mode=755'
	t_grep "$n: /run's directory is 755" "$LOG" '^sdreport: run-mode 755$'
	t_grep "$n: /dev is devtmpfs" "$LOG" '^sdreport: mount /dev devtmpfs devtmpfs rw,'
	t_grep "$n: /proc is proc" "$LOG" '^sdreport: mount /proc proc proc rw,'
	t_grep "$n: /sys is sysfs" "$LOG" '^sdreport: mount /sys sysfs sysfs rw,'
	t_grep "$n: the journal has the handover" "$LOG" '^sdreport: journal .*handoff: switched root'
}

# wayback NAME [layered]: systemd-shutdown went back into /run/initramfs
# and the init's shutdown personality let go of the old root with nothing
# left busy, and powered off: a device root systemd made read-only needs
# nothing more; a layered one is detached whole (its loop and medium go).
wayback() {
	t_grep "$1: systemd-shutdown came back to the initramfs" "$LOG" 'handoff: shutdown: back in the initramfs to poweroff'
	if [ -n "${2:-}" ]; then
		t_grep "$1: the old root detached there" "$LOG" 'handoff: shutdown: detached /oldroot and the [0-9]+ mounts under it'
	else
		t_grep "$1: every disk already read-only, nothing stacked" "$LOG" \
			'handoff: shutdown: every disk under /oldroot is read-only, nothing stacked on one: nothing more to let go of'
	fi
	t_nogrep "$1: nothing left busy" "$LOG" 'handoff: shutdown: .*(cannot|busy|still)'
	t_grep "$1: synced and powered off" "$LOG" 'handoff: shutdown: synced in [0-9]+ ms; poweroff'
}

# The root named by each root= form.
for form in "uuid root=UUID=$ROOT_UUID" "partuuid root=PARTUUID=$ROOT_PARTUUID" "label root=LABEL=$ROOT_LABEL"; do
	read -r n arg <<<"$form"
	img=$(sddisk "$n" plain)
	sdboot "$n" "$img" -- $NTC "$arg"
	reported "$n" /dev/vda1 ext4
	wayback "$n"
	used_clean "$n: the root filesystem is clean" "$(part "$img" 1)"
done

# No root=: the partition with x86_64's root type (GPT auto-discovery).
img=$(sddisk gpt-auto plain)
sdboot gpt-auto "$img" -- $NTC
reported gpt-auto /dev/vda1 ext4
t_grep "gpt-auto: the root partition found by its type" "$LOG" \
	"handoff: root: GPT auto-discovery chose vda1 .*type root-x86-64, PARTUUID=$ROOT_PARTUUID"
wayback gpt-auto
used_clean "gpt-auto: the root filesystem is clean" "$(part "$img" 1)"

# /usr on its own partition, named by mount.usr=; then found by its type.
img=$(sddisk usr usr)
sdboot usr "$img" -- $NTC root=LABEL=$ROOT_LABEL mount.usr=PARTUUID=$USR_PARTUUID
reported usr /dev/vda1 ext4
t_grep "usr: /usr is its partition" "$LOG" '^sdreport: mount /usr /dev/vda2 ext4 rw,'
wayback usr
used_clean "usr: the root filesystem is clean" "$(part "$img" 1)"
used_clean "usr: /usr's filesystem is clean" "$(part "$img" 2)"

# The root's fstab has no /usr line (one would win over the discovery), so
# /usr stays read-only: nothing remounts it.
img=$(sddisk gpt-auto-usr usrtype)
sdboot gpt-auto-usr "$img" -- $NTC
reported gpt-auto-usr /dev/vda1 ext4
t_grep "gpt-auto-usr: /usr is its partition, read-only" "$LOG" '^sdreport: mount /usr /dev/vda2 ext4 ro,'
t_grep "gpt-auto-usr: found by its type" "$LOG" \
	"handoff: /usr: GPT auto-discovery chose partition 2 of vda \(type usr-x86-64, PARTUUID=$USR_PARTUUID\)"
wayback gpt-auto-usr
used_clean "gpt-auto-usr: the root filesystem is clean" "$(part "$img" 1)"
clean "gpt-auto-usr: /usr's filesystem is clean (read-only: nothing may have written to it)" "$(part "$img" 2)"

# rd.noshutdown: no way back; systemd-shutdown remounts / read-only itself.
img=$(sddisk noshutdown plain)
sdboot noshutdown "$img" -- $NTC root=UUID=$ROOT_UUID rd.noshutdown
reported noshutdown /dev/vda1 ext4
t_grep "noshutdown: said at boot" "$LOG" 'handoff: rd.noshutdown: systemd will power off without coming back'
t_nogrep "noshutdown: the way back is not taken" "$LOG" 'handoff: shutdown:'
t_grep "noshutdown: systemd-shutdown powers off by itself" "$LOG" 'systemd-shutdown\[1\]: .*[Pp]ower'
used_clean "noshutdown: the root filesystem is clean (systemd's own path)" "$(part "$img" 1)"

# The same root as an image file on a partition, under a RAM overlay
# (make initramfs LAYERS=1): the way back detaches the loop device, and
# both the partition's filesystem and the image's are clean (both are
# mounted read-only: nothing may have written to them).
img=$(sddisk loop loop)
sdboot loop "$img" --initrd "$LIMG" -- $NTC root=LABEL=$MEDIUM_LABEL rd.loop=/images/root.img rd.overlay
reported loop overlay overlay
wayback loop layered
t_grep "loop: the loop device let go of" "$LOG" 'handoff: shutdown: let go of /dev/loop[0-9]+'
clean "loop: the partition holding the image is clean" "$(part "$img" 1)"
if debugfs -R "dump /images/root.img $WORK/loop-root.img" "$(part "$img" 1)" >"$WORK/dump.log" 2>&1; then
	clean "loop: the image file's filesystem is clean" "$WORK/loop-root.img"
else
	t_fail "loop: the image file's filesystem is clean" "debugfs could not read it: $(tail -2 "$WORK/dump.log")"
fi

t_exit
