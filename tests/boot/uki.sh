# A unified kernel image (tools/handoff-uki): systemd's stub with Debian's
# cloud kernel, our image and a command line, as EFI/BOOT/BOOTX64.EFI on
# an ESP that OVMF starts by itself. The kernel must run with the UKI's
# command line (QEMU passes none: there is no -kernel), take the initrd
# from the stub and run handoff, which switches to the sample root. The
# same UKI without its .initrd boots the kernel but not our init. Before
# the boots: the sections' layout and contents, a byte-identical rebuild,
# and a failed build leaving the old file as it was.
. tests/boot/distro.inc mkfs.vfat mmd mcopy sfdisk truncate objcopy objdump cmp
OVMF=/usr/share/ovmf/OVMF.fd
STUB=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
for f in $OVMF $STUB; do
	[ -f "$f" ] || { t_fail "$SCENARIO-inputs" "$f is missing: install ovmf and systemd-boot-efi (tools/install-deps)"; t_exit; }
done
UKI_TOOL=tools/handoff-uki

# The command line lives only in the UKI: a marker word to find it by.
marker=uki.marker=$$
CMDLINE="$BASE_APPEND $NTC panic=-1 root=/dev/vdb $marker"
U=$WORK/uki.efi
if $UKI_TOOL --kernel "$DKERNEL" --initrd "$IMG" --cmdline "$CMDLINE" --uname "$DKVER" -o "$U" 2>"$WORK/uki.err"; then
	t_ok "build: handoff-uki made $U"
else
	t_fail "build: handoff-uki made $U" "$(cat "$WORK/uki.err")"
	t_exit
fi

# ---- layout: the sections after the stub's, aligned, in UAPI.5's names ----
objdump -h "$U" | awk '$1 ~ /^[0-9]+$/ { print $2, $3, $4 }' >"$WORK/sections"
align=$((0x$(objdump -p "$STUB" | awk '$1 == "SectionAlignment" { print $2 }')))
stub_end=$(objdump -h "$STUB" | awk '$1 ~ /^[0-9]+$/ { print $3, $4 }' |
	while read -r size vma; do echo $((0x$size + 0x$vma)); done | sort -n | tail -1)
if awk '{ print $1 }' "$WORK/sections" | tail -5 | tr '\n' ' ' | grep -qx '.osrel .cmdline .uname .initrd .linux '; then
	t_ok "layout: .osrel .cmdline .uname .initrd .linux follow the stub's sections"
else
	t_fail "layout: .osrel .cmdline .uname .initrd .linux follow the stub's sections" "$(tr '\n' ';' <"$WORK/sections")"
fi
prev=$stub_end
bad=
while read -r name size vma; do
	v=$((0x$vma))
	[ $((v % align)) = 0 ] || bad="$bad $name at $vma is not aligned to $align;"
	[ "$v" -ge "$prev" ] || bad="$bad $name at $vma overlaps what comes before (ends at $prev);"
	prev=$((v + 0x$size))
done < <(tail -5 "$WORK/sections")
if [ -z "$bad" ]; then t_ok "layout: each section aligned to the stub's $align bytes, none overlapping"; else
	t_fail "layout: each section aligned to the stub's $align bytes, none overlapping" "$bad"
fi
# section NAME: the section's bytes.
section() { objcopy -O binary --only-section="$1" "$U" "$WORK/sec$1" && cat "$WORK/sec$1"; }
t_check "contents: .linux is the kernel" cmp <(section .linux) "$DKERNEL"
t_check "contents: .initrd is the image" cmp <(section .initrd) "$IMG"
t_check "contents: .osrel is /etc/os-release" cmp <(section .osrel) /etc/os-release
t_check "contents: .cmdline is the line, nothing after it" cmp <(section .cmdline) <(printf '%s' "$CMDLINE")
t_check "contents: .uname is the release" cmp <(section .uname) <(printf '%s' "$DKVER")
# Without --uname: read from the bzImage's header.
$UKI_TOOL --kernel "$DKERNEL" --initrd "$IMG" -o "$WORK/auto.efi" 2>"$WORK/auto.err"
U=$WORK/auto.efi
t_check "contents: without --uname, .uname is read from the kernel" cmp <(section .uname) <(printf '%s' "$DKVER")
t_nogrep "contents: an empty --cmdline adds no .cmdline" <(objdump -h "$U") ' \.cmdline '
U=$WORK/uki.efi

# ---- reproducible and atomic ----
sleep 1.1 # objcopy stamps the time of day: a second later must not matter
$UKI_TOOL --kernel "$DKERNEL" --initrd "$IMG" --cmdline "$CMDLINE" --uname "$DKVER" -o "$WORK/again.efi"
t_check "reproducible: the same inputs a second later give the same bytes" cmp "$U" "$WORK/again.efi"
t_grep "reproducible: the PE timestamp is SOURCE_DATE_EPOCH's 0" <(objdump -p "$U") '^Time/Date[[:space:]]+Thu Jan  1 00:00:00 1970'
sum=$(sha256sum <"$WORK/again.efi")
if $UKI_TOOL --kernel "$DKERNEL" --initrd "$WORK/no-such-image" -o "$WORK/again.efi" 2>"$WORK/fail.err"; then
	t_fail "atomic: a missing --initrd fails" "exit status 0"
else
	t_grep "atomic: a missing --initrd fails, naming it" "$WORK/fail.err" "no-such-image does not exist"
fi
unchanged "atomic: the earlier file is as it was" "$WORK/again.efi" "$sum"
t_check "atomic: no temporary file left" test -z "$(find "$WORK" -maxdepth 1 -name '.again.efi.*')"
$UKI_TOOL --kernel "$DKERNEL" --initrd "$IMG" --stub "$WORK/no-stub" -o "$WORK/x.efi" 2>"$WORK/stub.err"
t_grep "errors: a missing stub names the package" "$WORK/stub.err" 'no-stub is missing: apt install systemd-boot-efi'

# ---- boots ----
# esp NAME UKI: a GPT disk whose one partition is an ESP with UKI as the
# removable-media loader.
esp() {
	local fat=$WORK/$1.fat
	mkfs.vfat -C -n ESP "$fat" 65536 >/dev/null
	mmd -i "$fat" ::EFI ::EFI/BOOT
	mcopy -i "$fat" "$2" ::EFI/BOOT/BOOTX64.EFI
	truncate -s 70M "$WORK/$1.img"
	printf 'label: gpt\nsize=64M, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n' |
		sfdisk -q "$WORK/$1.img" >"$WORK/$1.sfdisk" 2>&1 || t_fail "$SCENARIO: sfdisk" "$(tail -3 "$WORK/$1.sfdisk")"
	dd if="$fat" of="$WORK/$1.img" bs=512 seek=2048 conv=notrunc status=none
	rm -f "$fat"
}
# The real root prints its /proc/cmdline.
root=$WORK/root.img
# shellcheck disable=SC2016 # expanded in the guest
with_hook "$root" 'echo "uki-root: cmdline $(cat /proc/cmdline)"'

esp esp "$U"
start=$(date +%s)
boot uki --bios "$OVMF" --no-initrd --mem 512 --timeout 300 --disk "$WORK/esp.img" --disk "$root" --
echo "# $SCENARIO: the OVMF boot of the UKI took $(($(date +%s) - start)) s"
booted uki
t_grep "uki: OVMF started the ESP's BOOTX64.EFI" "$LOG" '^BdsDxe: starting Boot[0-9A-F]+ .*Pci\(0x2,0x0\)'
t_grep "uki: the kernel took the initrd from the stub" "$LOG" 'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path'
t_grep "uki: the kernel runs with the UKI's command line" "$LOG" "Kernel command line: .*root=/dev/vdb $marker\$"
t_grep "uki: handoff ran" "$LOG" 'handoff: mounted /dev/vdb on /sysroot as ext4'
t_grep "uki: handoff switched to the real init" "$LOG" 'handoff: starting /sbin/init'
t_grep "uki: the real root sees the UKI's command line" "$LOG" "^uki-root: cmdline .*$marker"
mounted uki /dev/vdb / ext4 'ro[, ]'

# Without .initrd: the kernel boots, finds no initramfs and cannot reach
# the virtio disk (its driver is a module): no handoff, a panic that
# panic=-1 turns into the reboot that ends QEMU.
objcopy --remove-section .initrd "$U" "$WORK/noinitrd.efi"
esp esp2 "$WORK/noinitrd.efi"
boot noinitrd --bios "$OVMF" --no-initrd --mem 512 --timeout 300 --disk "$WORK/esp2.img" --disk "$root" --
t_grep "noinitrd: the kernel booted with the UKI's command line" "$LOG" "Kernel command line: .*$marker\$"
t_nogrep "noinitrd: no initrd handed over" "$LOG" 'EFI stub: Loaded initrd|Unpacking initramfs|Trying to unpack rootfs'
t_nogrep "noinitrd: handoff did not run" "$LOG" '^(\[ *[0-9.]+\] )?handoff:'
t_grep "noinitrd: the kernel could not mount the root itself" "$LOG" 'VFS: Unable to mount root fs|Cannot open root device'

t_exit
