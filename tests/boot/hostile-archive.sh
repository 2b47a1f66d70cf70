# root=tmpfs from hostile archives that aim a hard link carrying data at a
# block device node (the disk behind it is a second QEMU disk) or at a FIFO,
# in tar and cpio form: the entry is named, the boot goes on to the failure
# policy (rescue shell, or reboot with panic=-1) instead of hanging, and the
# disk's bytes are unchanged on the host. A good archive's device node is
# usable after the switch (the tmpfs is nodev only while it is filled).
. tests/boot/layers.inc

# tar_header NAME TYPE SIZE LINK MAJOR MINOR: one ustar header, by hand
# (GNU tar writes no hard link with data).
tar_header() {
	local h=$WORK/hdr sum
	{
		printf '%s' "$1"; head -c $((100 - ${#1})) /dev/zero
		printf '%07o\0%07o\0%07o\0%011o\0%011o\0' 420 0 0 "$3" 1000000000
		printf '        %s' "$2"
		printf '%s' "$4"; head -c $((100 - ${#4})) /dev/zero
		printf 'ustar'; printf '\0'; printf '00'
		head -c 64 /dev/zero
		printf '%07o\0%07o\0' "$5" "$6"
		head -c 167 /dev/zero
	} >"$h"
	sum=$(od -An -tu1 -v "$h" | tr -s ' ' '\n' | awk '{ s += $1 } END { print s }')
	printf '%06o\0 ' "$sum" | dd of="$h" bs=1 seek=148 conv=notrunc 2>/dev/null
	cat "$h"
}

# cpio_entry NAME MODE INO NLINK RMAJOR RMINOR [DATA]: one newc entry.
cpio_entry() {
	local data=${7:-} n=$((${#1} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$3" "$2" 0 0 "$4" 1000000000 ${#data} 0 0 "$5" "$6" "$n" 0
	printf '%s\0' "$1"
	head -c $(((4 - (110 + n) % 4) % 4)) /dev/zero
	printf '%s' "$data"
	head -c $(((4 - ${#data} % 4) % 4)) /dev/zero
}

DATA=PWNED-BY-A-HARD-LINK
# The victim disk is the first virtio disk, /dev/vda: VDA_MAJOR:0 (virtio-blk's
# dynamic major on this kernel; the rescue shell checks it).
{
	tar_header victim 4 0 '' $VDA_MAJOR 0
	tar_header h 1 ${#DATA} victim 0 0
	printf '%s' "$DATA"; head -c $((512 - ${#DATA})) /dev/zero
	head -c 1024 /dev/zero
} >"$WORK/blk.tar"
{
	tar_header fifo 6 0 '' 0 0
	tar_header h 1 ${#DATA} fifo 0 0
	printf '%s' "$DATA"; head -c $((512 - ${#DATA})) /dev/zero
	head -c 1024 /dev/zero
} >"$WORK/fifo.tar"
# cpio: a file with two names, its first name replaced by the node.
{
	cpio_entry a $((0100644)) 7 2 0 0
	cpio_entry a $((0060600)) 8 1 $VDA_MAJOR 0
	cpio_entry b $((0100644)) 7 2 0 0 "$DATA"
	cpio_entry TRAILER!!! 0 0 1 0 0
} >"$WORK/blk.cpio"
{
	cpio_entry a $((0100644)) 7 2 0 0
	cpio_entry a $((0010644)) 8 1 0 0
	cpio_entry b $((0100644)) 7 2 0 0 "$DATA"
	cpio_entry TRAILER!!! 0 0 1 0 0
} >"$WORK/fifo.cpio"
for f in blk.cpio fifo.cpio; do
	cpio -itv --quiet <"$WORK/$f" >"$WORK/$f.tv" 2>&1 ||
		t_fail "$SCENARIO: GNU cpio reads $f" "$(tail -2 "$WORK/$f.tv")"
done

head -c 1M /dev/zero | tr '\0' U >"$WORK/victim.img"
VICTIM=$(sha256sum <"$WORK/victim.img")
CHECK='echo "rescue: vda $(busybox cat /sys/block/vda/dev) on-sysroot $(busybox grep -c " /sysroot " /proc/mounts)"'

# hostile NAME ARCHIVE ENTRY POLICY: boots ARCHIVE from the initramfs with
# the victim disk attached; the refusal names ENTRY; POLICY is rescue or panic.
hostile() {
	local name=$1 list=$WORK/$1.list victim=$WORK/$1-victim.img
	printf 'file /rootfs %s 0644 0 0\n' "$WORK/$2" >"$list"
	image "$WORK/$name.cpio.gz" "$list"
	cp "$WORK/victim.img" "$victim"
	if [ "$4" = rescue ]; then
		rescue_boot "$name" "$CHECK" --disk "$victim" --initrd "$WORK/$name.cpio.gz" \
			--mem 512 --timeout 90 -- root=tmpfs rd.image=/rootfs rd.shell
		t_grep "$name: the rescue shell ran, on the initramfs" "$LOG" "^rescue: vda $VDA_MAJOR:0 on-sysroot 0\$"
	else
		boot "$name" --disk "$victim" --initrd "$WORK/$name.cpio.gz" --mem 512 \
			--timeout 90 -- root=tmpfs rd.image=/rootfs panic=-1
		t_grep "$name: rebooted at once (panic=-1)" "$LOG" 'reboot|Restarting system'
	fi
	if [ "$BOOT_RC" -eq 0 ]; then t_ok "$name: no hang: qemu exited by itself"; else
		t_fail "$name: no hang: qemu exited by itself" "status $BOOT_RC (124: timeout); log $LOGS/serial-$LOGTAG-$name.log"
	fi
	no_panic "$name"
	t_grep "$name: refused, naming the entry" "$LOG" \
		"handoff: rd.image=/rootfs: refusing entry \"$3\": it is a hard link carrying data to something that is not a regular file"
	t_nogrep "$name: did not switch" "$LOG" '^rootfs: pid 1'
	unchanged "$name: the disk behind the node is unchanged" "$victim" "$VICTIM"
}

hostile tar-block blk.tar h rescue
hostile cpio-block blk.cpio b rescue
hostile tar-fifo fifo.tar h panic
hostile cpio-fifo fifo.cpio b rescue

# A good archive's device node works in the real root: nodev was dropped.
HOOK='echo x >/etc/test-null && echo "rootfs: hook wrote to the archive'"'"'s null device"'
t=$WORK/tree
tree "$t" "$HOOK"
mknod "$t/etc/test-null" c 1 3
mktar "$t" "$WORK/good.tar"
printf 'file /rootfs %s 0644 0 0\n' "$WORK/good.tar" >"$WORK/good.list"
image "$WORK/good.cpio.gz" "$WORK/good.list"
boot good-devices --no-disk --initrd "$WORK/good.cpio.gz" --mem 512 -- root=tmpfs rd.image=/rootfs
booted good-devices
t_grep "good-devices: a device node from the archive opens after the switch" "$LOG" \
	"^rootfs: hook wrote to the archive's null device$"
mounted good-devices tmpfs / tmpfs 'rw,'
t_nogrep "good-devices: the root is not nodev" "$LOG" '^rootfs: mount tmpfs / tmpfs .*nodev'
t_exit
