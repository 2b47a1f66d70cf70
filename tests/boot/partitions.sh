# DOS partitions are numbered as the kernel numbers them, so a PARTUUID
# names the device the kernel made: logicals after an EBR entry of type 0,
# logicals of a second extended partition, and a table that reaches past
# the end of its disk (the kernel cuts or leaves out those partitions).
# Tables are made by sfdisk, then patched with dd.
. tests/boot/lib.sh
t_need sfdisk truncate od || t_exit

SIG=5eedbeef

# put IMG FILE START_SECTOR: copies a filesystem image into a disk image.
put() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc status=none; }
# start IMG N: the first sector of partition N, as sfdisk reads the table.
start() { sfdisk -d "$1" | sed -nE "s/.*[^0-9]$2 : start= *([0-9]+).*/\1/p"; }
# table IMG SFDISK-LINES...: a fresh 64 MiB disk with that DOS table.
table() {
	rm -f "$1"
	truncate -s 64M "$1"
	printf 'label: dos\nlabel-id: 0x%s\n\n' "$SIG" | cat - <(printf '%s\n' "${@:2}") |
		sfdisk -q "$1" >>"$WORK/sfdisk.log" 2>&1 ||
		t_fail "$SCENARIO: sfdisk $1" "$(tail -3 "$WORK/sfdisk.log")"
}

# by NAME DISK DEV -- ROOT...: boots the disk and checks the mounted root.
by() {
	local name=$1 disk=$2 dev=$3
	shift 4
	boot "$name" --disk "$disk" -- "$@"
	booted "$name"
	mounted "$name" "$dev" / ext4 'ro'
}

# Logical 5's entry has type 0 and keeps its size: the kernel still makes
# vda5, so the root, the second logical, is vda6.
d=$WORK/ebr-type0.img
table "$d" 'start=2048, size=8M, type=83' 'start=18432, type=5' \
	'size=8M, type=83' 'size=24M, type=83'
# The first EBR is the extended partition's first sector.
printf '\0' | dd of="$d" bs=1 seek=$((18432 * 512 + 446 + 4)) conv=notrunc status=none
put "$d" "$ROOTFS" "$(start "$d" 6)"
by ebr-type0 "$d" /dev/vda6 -- root=PARTUUID=$SIG-06
# Every partition the kernel made carries its own PARTUUID.
cp --reflink=auto "$d" "$WORK/list.img"
boot ebr-type0-list --disk "$WORK/list.img" -- root=PARTUUID=$SIG-09 rootdelay=1 panic=-1
no_panic ebr-type0-list
t_grep "ebr-type0-list: vda5 is $SIG-05" "$LOG" "/dev/vda5  $VDA_MAJOR:5  8 MiB PARTUUID=$SIG-05"
t_grep "ebr-type0-list: vda6 is $SIG-06" "$LOG" "/dev/vda6  $VDA_MAJOR:6  24 MiB  TYPE=ext4 .*PARTUUID=$SIG-06"

# Two extended partitions (sfdisk makes one a table, so the second comes
# from another table): the logicals of both, numbered on; the root is the
# second extended partition's logical, vda6.
d=$WORK/two-ext.img
table "$d" 'start=2048, size=16M, type=5' 'start=4096, size=4M, type=83'
table "$WORK/second.img" 'start=2048, size=16M, type=83' \
	'start=34816, size=28M, type=f' 'start=36864, size=24M, type=83'
dd if="$WORK/second.img" of="$d" bs=1 skip=$((446 + 16)) seek=$((446 + 16)) count=16 \
	conv=notrunc status=none
dd if="$WORK/second.img" of="$d" bs=512 skip=34816 seek=34816 count=1 conv=notrunc status=none
put "$d" "$ROOTFS" "$(start "$WORK/second.img" 5)"
by two-ext "$d" /dev/vda6 -- root=PARTUUID=$SIG-06

# A table made for 64 MiB on a 32 MiB disk: the root (1) fits, 2 runs past
# the end and 3 starts past it. The kernel cuts 2 and leaves out 3; the
# table is still read and the root found.
d=$WORK/past-end.img
table "$d" 'start=2048, size=24M, type=83' 'start=51200, size=20M, type=83' \
	'start=98304, size=8M, type=83'
put "$d" "$ROOTFS" 2048
truncate -s 32M "$d"
by past-end "$d" /dev/vda1 -- root=PARTUUID=$SIG-01
t_grep "past-end: the kernel cuts vda2" "$LOG" 'vda: p2 size 40960 extends beyond EOD, truncated'
t_grep "past-end: the kernel leaves out vda3" "$LOG" 'vda: p3 start 98304 is beyond EOD, truncated'

t_exit
