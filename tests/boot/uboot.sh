# The path a real board takes: U-Boot (Debian's u-boot-qemu) starts in QEMU's
# virt machine, its distro boot finds boot.scr on the disk's first
# partition (FAT), which loads the kernel and our uInitrd (make uinitrd)
# from there and boots them with U-Boot's device tree; our init then finds
# the root by PARTUUID on partition 2 and switches to it. Twice: with the
# root= in the script's bootargs, and with none there, from the image's
# built-in command line (make initramfs CMDLINE=...).
. tests/boot/lib.sh
only_on aarch64 arm -- "U-Boot boots the ARM boards here (x86_64 boots through the BIOS in the other scenarios)"
case $ARCH in
aarch64) UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin ;;
arm) UBOOT=/usr/lib/u-boot/qemu_arm/u-boot.bin ;;
esac
t_need mkimage sgdisk mkfs.vfat mcopy || t_exit
[ -f "$UBOOT" ] || { t_fail "uboot-inputs" "$UBOOT is missing: install u-boot-qemu (tools/install-deps)"; t_exit; }

ROOT_GUID=6a2d1c4b-7e0f-4a3b-8c5d-9e1f2a3b4c5d
# The make targets, in a private BUILD with copies of the built init and
# mkcpio (newer than their sources: not rebuilt).
b=$WORK/build
mkdir -p "$b/$ARCH" "$b/host"
cp "$OUT/init" "$b/$ARCH/init"
cp "$BUILD/host/mkcpio" "$b/host/mkcpio"

# disk NAME: GPT, 1: FAT with the kernel, uInitrd and boot.scr of $b; 2: the root.
uboot_disk() {
	local img=$WORK/$1.img fat=$WORK/$1.fat start2
	truncate -s 64M "$img"
	sgdisk -n 1:2048:+32M -t 1:0700 -c 1:boot -A 1:set:2 \
		-n 2:0:0 -c 2:root -u 2:$ROOT_GUID "$img" >"$WORK/sgdisk.log" 2>&1 ||
		t_fail "$1: sgdisk" "$(tail -3 "$WORK/sgdisk.log")"
	rm -f "$fat"
	mkfs.vfat -C -n BOOT "$fat" 32768 >/dev/null
	mcopy -i "$fat" "$KERNEL" "::$KERNEL_FILE"
	mcopy -i "$fat" "$b/$ARCH/uInitrd" ::uInitrd
	mcopy -i "$fat" "$b/$ARCH/boot.scr" ::boot.scr
	start2=$(sgdisk -i 2 "$img" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
	dd if="$fat" of="$img" bs=512 seek=2048 conv=notrunc status=none
	dd if="$ROOTFS" of="$img" bs=512 seek="$start2" conv=notrunc status=none
	echo "$img"
}
KERNEL_FILE=Image
[ "$ARCH" = arm ] && KERNEL_FILE=zImage

# uboot_boot NAME: boots the disk through U-Boot and checks the path.
uboot_boot() {
	boot "$1" --timeout 180 --no-initrd --bios "$UBOOT" --disk "$(uboot_disk "$1")" --
	t_grep "$1: U-Boot started" "$LOG" '^U-Boot 20[0-9][0-9]'
	t_grep "$1: distro boot found boot.scr" "$LOG" 'Found U-Boot script /boot.scr'
	t_grep "$1: the script loaded the kernel and uInitrd" "$LOG" "handoff: loading $KERNEL_FILE and uInitrd from virtio 0:1"
	t_grep "$1: U-Boot took the uInitrd" "$LOG" 'Loading Ramdisk to|Image Name: +handoff initramfs'
	t_grep "$1: the kernel ran our init" "$LOG" 'Run /init as init process'
	booted "$1"
	t_grep "$1: the root found by PARTUUID" "$LOG" "handoff: mounted /dev/vda2 on /sysroot as ext4"
}

# uinitrd WHAT MAKE-ARGS...: make uinitrd with those variables, or the end.
uinitrd() {
	local what=$1
	shift
	if make -s BUILD="$b" ARCH="$ARCH" uinitrd "$@" >"$WORK/make.log" 2>&1; then
		t_ok "$what"
	else
		t_fail "$what" "$(tail -3 "$WORK/make.log")"
		t_exit
	fi
}

base="console=$CONSOLE loglevel=8 rootfs.poweroff panic=-1"
uinitrd "make uinitrd" BOOTARGS="$base root=PARTUUID=$ROOT_GUID rootwait"
uboot_boot bootargs
t_grep "bootargs: root= from the script" "$LOG" "Kernel command line: .*root=PARTUUID=$ROOT_GUID"

# A board whose bootloader passes no root=: the image's built-in line.
uinitrd "make uinitrd CMDLINE=..." BOOTARGS="$base" CMDLINE="root=PARTUUID=$ROOT_GUID rootwait"
uboot_boot builtin
t_nogrep "builtin: no root= from U-Boot" "$LOG" 'Kernel command line: .*root='
t_grep "builtin: the built-in line was used" "$LOG" 'handoff: no root= from the kernel: using the built-in command line'

t_exit
