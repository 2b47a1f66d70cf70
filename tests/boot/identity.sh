# root= by identity, read from the disks themselves (no udev): filesystem
# UUID and LABEL, GPT and MBR PARTUUID (with PARTNROFF), PARTLABEL, the
# /dev/disk/by-* forms, two disks, duplicates refused, and a wrong UUID.
. tests/boot/lib.sh
t_need sgdisk sfdisk mkfs.vfat || t_exit

FS_UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95
ROOT_GUID=8c2e4f60-1d3a-4b5c-9e7f-0a1b2c3d4e5f
ESP_GUID=11111111-2222-4333-8444-555555555555
MBR_ID=0x5eedbeef

BUILD=$BUILD tools/mkrootfs -U "$FS_UUID" -L sample-root "$WORK/root.img" >"$WORK/mk.log" 2>&1 ||
	t_fail "identity: mkrootfs" "$(tail -3 "$WORK/mk.log")"

# put IMG FILE START_SECTOR: copies a filesystem image into a disk image.
put() { dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc status=none; }

# GPT: esp (vfat), the root, and a data partition.
gpt=$WORK/gpt.img
truncate -s 64M "$gpt"
sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:esp -u 1:$ESP_GUID \
	-n 2:0:+24M -c 2:system -u 2:$ROOT_GUID \
	-n 3:0:0 -c 3:data "$gpt" >"$WORK/sgdisk.log" 2>&1 ||
	t_fail "identity: sgdisk" "$(tail -3 "$WORK/sgdisk.log")"
start2=$(sgdisk -i 2 "$gpt" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
truncate -s 8M "$WORK/esp.img"
mkfs.vfat -n ESP -i 1234abcd "$WORK/esp.img" >/dev/null
put "$gpt" "$WORK/esp.img" 2048
put "$gpt" "$WORK/root.img" "$start2"

# MBR: a primary, then an extended partition whose second logical (6) is the root.
mbr=$WORK/mbr.img
truncate -s 64M "$mbr"
printf 'label: dos\nlabel-id: %s\n\nstart=2048, size=8M, type=83\nstart=18432, type=5\nstart=20480, size=8M, type=83\nstart=38912, size=24M, type=83\n' \
	"$MBR_ID" | sfdisk -q "$mbr" >"$WORK/sfdisk.log" 2>&1 ||
	t_fail "identity: sfdisk" "$(tail -3 "$WORK/sfdisk.log")"
put "$mbr" "$WORK/root.img" 38912

# by NAME DISK -- ROOT: boots the disk with root=ROOT and checks the mounted root.
by() {
	local name=$1 disk=$2 dev=$3
	shift 4
	cp --reflink=auto "$disk" "$WORK/$name.img"
	boot "$name" --disk "$WORK/$name.img" -- "$@"
	booted "$name"
	mounted "$name" "$dev" / ext4 'ro'
}

by uuid "$gpt" /dev/vda2 -- root=UUID=$FS_UUID
t_grep "uuid: mounted with the probed type, no trial" "$LOG" 'handoff: mounted /dev/vda2 on /sysroot as ext4'
by uuid-upper "$gpt" /dev/vda2 -- root=UUID=${FS_UUID^^}
by label "$gpt" /dev/vda2 -- root=LABEL=sample-root
by partuuid "$gpt" /dev/vda2 -- root=PARTUUID=$ROOT_GUID
by partnroff "$gpt" /dev/vda2 -- root=PARTUUID=$ESP_GUID/PARTNROFF=1
by partlabel "$gpt" /dev/vda2 -- root=PARTLABEL=system
by by-uuid "$gpt" /dev/vda2 -- root=/dev/disk/by-uuid/$FS_UUID
by by-label "$gpt" /dev/vda2 -- root=/dev/disk/by-label/sample-root
by by-partuuid "$gpt" /dev/vda2 -- root=/dev/disk/by-partuuid/${ROOT_GUID^^}
by by-partlabel "$gpt" /dev/vda2 -- root=/dev/disk/by-partlabel/system
by mbr-logical "$mbr" /dev/vda6 -- root=PARTUUID=${MBR_ID#0x}-06
by mbr-nroff "$mbr" /dev/vda6 -- root=PARTUUID=${MBR_ID#0x}-05/PARTNROFF=1

# Two disks: the root is on the second.
cp --reflink=auto "$mbr" "$WORK/d1.img"
cp --reflink=auto "$gpt" "$WORK/d2.img"
boot two-disks --disk "$WORK/d1.img" --disk "$WORK/d2.img" -- root=PARTLABEL=system
booted two-disks
mounted two-disks /dev/vdb2 / ext4 'ro'

# The same filesystem on two disks (a cloned disk): refuse to guess.
cp --reflink=auto "$gpt" "$WORK/c1.img"
cp --reflink=auto "$gpt" "$WORK/c2.img"
boot clones --disk "$WORK/c1.img" --disk "$WORK/c2.img" -- root=UUID=$FS_UUID panic=-1
no_panic clones
t_grep "clones: refused, naming both" "$LOG" "UUID=$FS_UUID matches more than one device: /dev/vd[ab]2 and /dev/vd[ab]2"
t_nogrep "clones: did not boot either" "$LOG" '^rootfs: pid'

# A UUID nobody has: the timeout lists what is there.
cp --reflink=auto "$gpt" "$WORK/w.img"
boot wrong --disk "$WORK/w.img" -- root=UUID=00000000-0000-0000-0000-000000000000 rootdelay=1 panic=-1
no_panic wrong
t_grep "wrong: names what it waited for" "$LOG" 'root device UUID=00000000-0000-0000-0000-000000000000 did not appear within 1 s'
t_grep "wrong: lists the root partition" "$LOG" "/dev/vda2  $VDA_MAJOR:2  24 MiB  TYPE=ext4 UUID=$FS_UUID LABEL=\"sample-root\" PARTUUID=$ROOT_GUID PARTLABEL=\"system\""
t_grep "wrong: lists the vfat partition" "$LOG" "/dev/vda1  $VDA_MAJOR:1  8 MiB  TYPE=vfat UUID=1234-ABCD LABEL=\"ESP\" PARTUUID=11111111-2222-4333-8444-555555555555 PARTLABEL=\"esp\""
t_grep "wrong: lists the disk" "$LOG" "/dev/vda  $VDA_MAJOR:0  64 MiB"

# A label from a hostile disk cannot drive the terminal: escapes, shown.
cp --reflink=auto "$WORK/root.img" "$WORK/esc.img"
e2label "$WORK/esc.img" "$(printf 'x\033[2Jy')"
boot escapes --disk "$WORK/esc.img" -- root=LABEL=nothing rootdelay=1 panic=-1
no_panic escapes
t_grep "escapes: the label is listed escaped" "$LOG" 'LABEL="x\\x1b\[2Jy"'
if grep -q "$(printf '\033\[2J')" "$LOG"; then
	t_fail "escapes: no raw escape reached the console" "found ESC [2J in $LOG"
else
	t_ok "escapes: no raw escape reached the console"
fi

# Swap is recognised and never mounted, named by device or by identity.
SWAP_UUID=5a5a5a5a-0000-4000-8000-000000000001
truncate -s 8M "$WORK/swap.img"
mkswap -U "$SWAP_UUID" "$WORK/swap.img" >/dev/null 2>&1
cp --reflink=auto "$WORK/root.img" "$WORK/sw.img"
for how in /dev/vdb UUID=$SWAP_UUID; do
	name=swap-${how%%=*}
	name=${name//\//}
	boot "$name" --disk "$WORK/sw.img" --disk "$WORK/swap.img" -- root=$how panic=-1
	no_panic "$name"
	t_grep "$name: refuses to mount swap" "$LOG" "root=$how is /dev/vdb, a swap area: refusing to mount it"
	t_nogrep "$name: never tried to mount it" "$LOG" 'cannot mount root'
done

# The wrong partition (the ESP) as root: it mounts, has no init, and the
# message says what was mounted there.
cp --reflink=auto "$gpt" "$WORK/esp-root.img"
boot esp-root --disk "$WORK/esp-root.img" -- root=PARTLABEL=esp panic=-1
no_panic esp-root
t_grep "esp-root: no init in it" "$LOG" 'no usable init in the new root'
t_grep "esp-root: says what was mounted" "$LOG" \
	'handoff: /sysroot is /dev/vda1, mounted as vfat, from root=PARTLABEL=esp: vfat is usually an EFI system partition, not a root'

t_exit
