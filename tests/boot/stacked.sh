# Stacked storage (STORAGE=1), on disks lvm2 and cryptsetup made
# (tools/mkstorage): LVM inside LUKS (Debian's guided "encrypted LVM")
# opened by a passphrase typed on the console, the root by UUID=; LUKS
# inside an LV, the root by the mapping's name and with rd.lvm.lv=. The
# stages must run in the order the layout needs, as its devices appear.
# (The key file forms, root=/dev/vgl/root and root=UUID= on LUKS on LVM:
# tests/boot/lvm.sh; swap on an LV inside LUKS: tests/boot/resume.sh.)
. tests/boot/lib.sh
. tests/boot/storage.inc
only_on x86_64 -- "tools/mkstorage's volumes hold the x86_64 sample root"
storage_disks

key=$S/$LUKS_KEY:/etc/handoff/luks.key

# LVM on LUKS, the passphrase typed, the root by its
# filesystem UUID: the VG appears only once the container is open, and
# the LV is found by what it holds.
right() { type_at 'Passphrase for LUKS container' 1 "$LUKS_PASS"; }
disks lvmluks-typed "$DISK_LVMLUKS"
typed lvmluks-typed right --initrd "$(image plain)" "${DISKS[@]}" -- \
	rd.luks.uuid="$LVMLUKS_LUKS_UUID" root=UUID="$LVMLUKS_ROOT_UUID"
booted lvmluks-typed
t_grep "lvmluks-typed: unlocked by the passphrase" "$LOG" "unlocked with a passphrase \\(keyslot 0, pbkdf2\\)"
t_grep "lvmluks-typed: root activated on the opened container" "$LOG" 'volume group vgl: activated root \(linear'
t_nogrep "lvmluks-typed: swap is not activated" "$LOG" 'activated swap'
mounted lvmluks-typed '/dev/[-a-z0-9/]+' / ext4 'ro[,0-9a-z]*'
t_nogrep "lvmluks-typed: the passphrase never shows" "$LOG" "$LUKS_PASS"

# LUKS on LVM, the root by the mapping's name: the container is on
# vgc/crypt, found by its UUID inside the LV.
disks lukslvm "$DISK_LUKSLVM"
boot lukslvm --initrd "$(image lukslvm "$key")" "${DISKS[@]}" -- \
	rd.luks.uuid="$LUKSLVM_LUKS_UUID" rd.luks.key=/etc/handoff/luks.key root=/dev/mapper/luks-"$LUKSLVM_LUKS_UUID"
booted lukslvm
t_grep "lukslvm: the LV holding the container activated" "$LOG" 'volume group vgc: activated crypt \(linear'
t_grep "lukslvm: the container on the LV is unlocked" "$LOG" \
	"unlocked with the key file /etc/handoff/luks.key \\(keyslot 1, pbkdf2\\)"
mounted lukslvm "/dev/mapper/luks-$LUKSLVM_LUKS_UUID" / ext4 'ro[,0-9a-z]*'

# LUKS on LVM with the LV named (rd.lvm.lv=), the root by its filesystem UUID.
disks lukslvm-named "$DISK_LUKSLVM"
boot lukslvm-named --initrd "$(image lukslvm2 "$key")" "${DISKS[@]}" -- rd.lvm.lv=vgc/crypt \
	rd.luks.uuid="$LUKSLVM_LUKS_UUID" rd.luks.key=/etc/handoff/luks.key root=UUID="$LUKSLVM_ROOT_UUID"
booted lukslvm-named
t_grep "lukslvm-named: opened as luks-UUID" "$LOG" "is open as /dev/mapper/luks-$LUKSLVM_LUKS_UUID"
mounted lukslvm-named '/dev/[-a-z0-9/]+' / ext4 'ro[,0-9a-z]*'
t_exit
