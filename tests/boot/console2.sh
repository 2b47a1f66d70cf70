# qemu/boot --input2 and tests/boot/luks.inc: a second console (hvc0)
# typed on apart from the serial one, as the passphrase prompt needs: with
# console=hvc0 given again last (/dev/console), the rescue shell runs on
# hvc0, answers what was typed there, and the serial console never sees
# that typing.
. tests/boot/lib.sh
. tests/boot/luks.inc
RESCUE_INITRD=$OUT/initramfs-rescue.cpio.gz
[ -f "$RESCUE_INITRD" ] || { t_fail "console2-inputs" "$RESCUE_INITRD is missing: make RESCUE=busybox initramfs"; t_exit; }
script() {
	type2_at 'starting a rescue shell' 1 'echo "typed on hvc0: $((6 * 7))"; poweroff -f'
}
typed2 con2 script --no-disk --initrd "$RESCUE_INITRD" --timeout 120 -- root=/dev/vda rd.shell console=hvc0
t_grep "con2: hvc0 shows the shell's answer to what was typed there" "$LOG2" '^typed on hvc0: 42'
t_grep "con2: the serial console sees the failure too" "$LOG" 'rescue shell'
t_nogrep "con2: the serial console did not get hvc0's typing" "$LOG" 'typed on hvc0: 42'
no_panic con2
t_exit
