# md RAID roots (make initramfs STORAGE=1, x86_64: its test kernel has md).
# On disks made by mdadm (tools/mkstorage): RAID1 by root=/dev/md127 and by
# root=UUID= with rd.md.uuid=, RAID1 with 1.0 superblocks by UUID (its
# members carry the same ext4 at their start: the identity must find the
# array, never a member), one disk missing (started degraded after
# rd.md.waitdegraded=, the missing slot named), RAID5 of three, a member
# of another array with the same name refused with both named, rd.md=0.
# On members made by tests/boot/md-image around the sample root
# (superblocks laid out from md_p.h, judged by the kernel's md driver): a
# stale member left out, 0.90 superblocks, rd.md.uuid= of another array
# (no root, the array explained), the way back stopping the array.
. tests/boot/lib.sh
. tests/boot/shutdown.inc
. tests/boot/storage.inc
only_on x86_64 -- the other architectures\' test kernels have no md
t_need python3 || t_exit
STORAGE_INITRD=$OUT/initramfs-storage.cpio.gz
[ -f "$STORAGE_INITRD" ] || { t_fail "md-inputs" "$STORAGE_INITRD is missing: make STORAGE=1 initramfs"; t_exit; }
ROOT_UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66	# the sample root's ext4 (tools/mkrootfs)
OTHER=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9

# members NAME FORMAT LEVEL SLOTS [md-image options]: SLOTS member images
# $WORK/NAME-SLOT.img around $FS (default the sample root).
members() {
	local name=$1 format=$2 level=$3 slots=$4 i outs=()
	shift 4
	for ((i = 0; i < slots; i++)); do outs+=("$WORK/$name-$i.img"); done
	if ! tests/boot/md-image "$format" "$level" "${FS:-$ROOTFS}" "${outs[@]}" "$@" >"$WORK/$name.log" 2>&1; then
		t_fail "$SCENARIO: md-image $name" "$(tail -3 "$WORK/$name.log")"
		t_exit
	fi
}

md_boot() {
	local name=$1
	shift
	boot "$name" --initrd "$STORAGE_INITRD" "$@"
}

# Disks made by mdadm (tools/mkstorage, in a guest): names in storage.inc's $S/names.
storage_disks
MDIMG=$(image md)
mdadm_boot() {
	local name=$1
	shift
	disks "$name" "$@"
	boot "$name" --initrd "$MDIMG" "${DISKS[@]}" "${BOOT_ARGS[@]}"
}

# RAID1, metadata 1.2, root by name.
BOOT_ARGS=(-- root=/dev/md127)
mdadm_boot raid1 "$DISK_RAID1A" "$DISK_RAID1B"
booted raid1
t_grep "raid1: one line for the array started" "$LOG" 'md: started /dev/md127 \(data, raid1, 2 of 2 members: vda vdb\)'
mounted raid1 /dev/md127 / ext4 'ro[,0-9a-z]*'

# The same by the filesystem's UUID, and only that array by rd.md.uuid= in mdadm's form.
BOOT_ARGS=(-- "root=UUID=$RAID1_ROOT_UUID" "rd.md.uuid=$RAID1_MD_UUID")
mdadm_boot raid1-uuid "$DISK_RAID1A" "$DISK_RAID1B"
booted raid1-uuid
mounted raid1-uuid /dev/md127 / ext4 'ro[,0-9a-z]*'

# RAID1, metadata 1.0: each member holds the ext4 at its start; the identity finds the array.
BOOT_ARGS=(-- "root=UUID=$RAID10_ROOT_UUID")
mdadm_boot raid1-10 "$DISK_RAID10A" "$DISK_RAID10B"
booted raid1-10
t_grep "raid1-10: started" "$LOG" 'md: started /dev/md127 \(data10, raid1, 2 of 2 members: vda vdb\)'
mounted raid1-10 /dev/md127 / ext4 'ro[,0-9a-z]*'
t_nogrep "raid1-10: no member taken for the root" "$LOG" 'matches more than one device|mounted /dev/vd[ab] '

# One disk missing: started degraded after rd.md.waitdegraded=, the missing slot named.
BOOT_ARGS=(-- root=/dev/md127 rd.md.waitdegraded=2)
mdadm_boot degraded "$DISK_RAID1A"
booted degraded
t_grep "degraded: started degraded, the missing slot named" "$LOG" 'md: started /dev/md127 \(data, raid1\) DEGRADED after waiting 2 s: slot 1 missing; 1 of 2 members: vda'
mounted degraded /dev/md127 / ext4 'ro[,0-9a-z]*'

# RAID5 of three.
BOOT_ARGS=(-- "root=UUID=$RAID5_ROOT_UUID")
mdadm_boot raid5 "$DISK_RAID5A" "$DISK_RAID5B" "$DISK_RAID5C"
booted raid5
t_grep "raid5: started" "$LOG" 'md: started /dev/md127 \(r5, raid5, 3 of 3 members: vda vdb vdc\)'
mounted raid5 /dev/md127 / ext4 'ro[,0-9a-z]*'

# A member of another array with the same name: refused with both named; the right array runs.
BOOT_ARGS=(-- root=/dev/md127)
mdadm_boot foreign "$DISK_RAID1A" "$DISK_RAID1B" "$DISK_FOREIGN0"
booted foreign
t_grep "foreign: the foreign member refused, both named" "$LOG" \
	"md: array data not started: another array has the same name and a different UUID: /dev/vdc \\(UUID $FOREIGN_MD_UUID\\) and /dev/vd[ab] \\(UUID $RAID1_MD_UUID\\)"
t_grep "foreign: the right array started" "$LOG" 'md: started /dev/md127 \(data, raid1, 2 of 2 members: vda vdb\)'

# rd.md=0: no array, so no root.
BOOT_ARGS=(--timeout 30 -- root=/dev/md127 rootdelay=2 panic=-1 rd.md=0)
mdadm_boot off "$DISK_RAID1A" "$DISK_RAID1B"
no_panic off
t_nogrep "off: no array started" "$LOG" 'md: started'
t_grep "off: the root is not found" "$LOG" 'root device /dev/md127 did not appear within 2 s'

# Members made here by tests/boot/md-image (0.90, stale events, the way back).
# A member with older events: left out by name, the array runs degraded.
members stale 1.2 1 2 --events 12,9
md_boot stale --disk "$WORK/stale-0.img" --disk "$WORK/stale-1.img" -- root=/dev/md127 rd.md.waitdegraded=1
booted stale
t_grep "stale: the stale member named" "$LOG" 'md: /dev/vdb left out of data: stale, events 9, the others 12'
t_grep "stale: started without it" "$LOG" 'md: started /dev/md127 \(data, raid1\) DEGRADED after waiting 1 s: slot 1 missing; 1 of 2 members: vda'

# 0.90 superblocks (no name: the UUID names the array).
members r090 0.90 1 2
md_boot raid1-090 --disk "$WORK/r090-0.img" --disk "$WORK/r090-1.img" -- root=UUID=$ROOT_UUID
booted raid1-090
t_grep "raid1-090: started" "$LOG" 'md: started /dev/md127 \([0-9a-f:]{35}, raid1, 2 of 2 members: vda vdb\)'
mounted raid1-090 /dev/md127 / ext4 'ro[,0-9a-z]*'

# rd.md.uuid= names another array: this one is seen, not started, and explained.
members r1 1.2 1 2
md_boot other-uuid --timeout 30 --disk "$WORK/r1-0.img" --disk "$WORK/r1-1.img" -- root=/dev/md127 rootdelay=2 panic=-1 rd.md.uuid=$OTHER
no_panic other-uuid
t_nogrep "other-uuid: no array started" "$LOG" 'md: started'
t_grep "other-uuid: the array seen is explained" "$LOG" 'md: array handoff:data \(UUID 6d6433c4:a3a24e7a:8c3b1f0e:5d2a9b71, raid1, 1.2\) was not started: slots present: 0 on vda, 1 on vdb; missing: none'
t_grep "other-uuid: the device list says what the members are" "$LOG" '/dev/vda  253:0  17 MiB  TYPE=linux_raid_member'
t_grep "other-uuid: the hint names rd.md.uuid=" "$LOG" 'hint: rd.md.uuid= does not name it: add rd.md.uuid=6d6433c4:a3a24e7a:8c3b1f0e:5d2a9b71'

# The way back at power-off: the root's array is stopped once the root is let go of.
root_with "$WORK/sd.img"
FS=$WORK/sd.img members sd 1.2 1 2
md_boot shutdown --disk "$WORK/sd-0.img" --disk "$WORK/sd-1.img" -- root=/dev/md127 rw init=/sbin/fakesd
stopped shutdown
t_grep "shutdown: the way back stops the array" "$LOG" 'handoff: shutdown: let go of (.* )?md:md127( |$)'
t_nogrep "shutdown: stopped once" "$LOG" 'md:md127 .*md:md127'
t_nogrep "shutdown: no remover missing" "$LOG" 'no remover for it'

t_exit
