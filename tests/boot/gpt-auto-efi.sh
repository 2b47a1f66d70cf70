# GPT auto-discovery with the boot loader's word for real: OVMF starts
# systemd-boot from the ESP on the second disk, which boots Debian's cloud
# kernel (EFI stub) with our image and sets LoaderDevicePartUUID; both
# disks have a root partition, and the second disk's is chosen because
# the ESP is there (without the variable the boot is refused: gpt-auto.sh).
. tests/boot/distro.inc mkfs.vfat mmd mcopy sfdisk truncate
OVMF=/usr/share/ovmf/OVMF.fd
SDBOOT=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
for f in $OVMF $SDBOOT; do
	[ -f "$f" ] || { t_fail "$SCENARIO-inputs" "$f is missing: install ovmf and systemd-boot-efi (tools/install-deps)"; t_exit; }
done
# efivarfs is a module in Debian's cloud kernel: the kernel asks our
# modprobe for it when the init mounts efivarfs.
EIMG=$WORK/efi.cpio.gz
distro_image "$EIMG" +efivarfs

ROOT=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709
ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B

# The ESP: systemd-boot as the removable-media loader, one entry, no menu.
fat=$WORK/esp.fat
mkfs.vfat -C -n ESP "$fat" 65536 >/dev/null
mmd -i "$fat" ::EFI ::EFI/BOOT ::loader ::loader/entries
mcopy -i "$fat" "$SDBOOT" ::EFI/BOOT/BOOTX64.EFI
mcopy -i "$fat" "$DKERNEL" ::vmlinuz
mcopy -i "$fat" "$EIMG" ::initrd.img
printf 'default handoff.conf\ntimeout 0\n' >"$WORK/loader.conf"
printf 'title handoff\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s %s rootwait=20\n' \
	"$BASE_APPEND" "$NTC" >"$WORK/handoff.conf"
mcopy -i "$fat" "$WORK/loader.conf" ::loader/loader.conf
mcopy -i "$fat" "$WORK/handoff.conf" ::loader/entries/handoff.conf

# vda: a root partition only; vdb: the ESP, then a root partition.
a=$WORK/a.img b=$WORK/b.img
truncate -s 32M "$a"
printf 'label: gpt\nsize=16M, type=%s\n' $ROOT | sfdisk -q "$a" >"$WORK/sfdisk.log" 2>&1
dd if="$ROOTFS" of="$a" bs=512 seek=2048 conv=notrunc status=none
truncate -s 96M "$b"
printf 'label: gpt\nsize=64M, type=%s\nsize=16M, type=%s\n' $ESP $ROOT |
	sfdisk -q "$b" >>"$WORK/sfdisk.log" 2>&1 || t_fail "$SCENARIO: sfdisk" "$(tail -3 "$WORK/sfdisk.log")"
dd if="$fat" of="$b" bs=512 seek=2048 conv=notrunc status=none
dd if="$ROOTFS" of="$b" bs=512 seek=$((2048 + 131072)) conv=notrunc status=none
esp_uuid=$(sfdisk --part-uuid "$b" 1 | tr 'A-Z' 'a-z')

start=$(date +%s)
boot loader --bios "$OVMF" --no-initrd --mem 512 --timeout 300 --disk "$a" --disk "$b" --
echo "# $SCENARIO: the OVMF boot took $(($(date +%s) - start)) s"
booted loader
t_grep "loader: read LoaderDevicePartUUID" "$LOG" \
	"GPT auto-discovery: the boot loader booted from the partition $esp_uuid"
t_grep "loader: the ESP's disk's root" "$LOG" \
	'root: GPT auto-discovery chose vdb2 \(partition 2 of vdb, type root-x86-64,'
mounted loader /dev/vdb2 / ext4 'ro[, ]'

t_exit
