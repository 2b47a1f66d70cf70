# root= by device name, by MAJ:MIN and by hex number, as the kernel reads them.
. tests/boot/lib.sh

# The real root reports vda's device number, so the numbers below are checked.
with_hook "$WORK/root.img" 'echo "rootfs: vda-dev $(cat /sys/class/block/vda/dev)"'
ROOTFS=$WORK/root.img

boot devname -- root=/dev/vda
booted devname
mounted devname /dev/vda / ext4 'ro[, ]'
t_grep "devname: vda is $VDA_MAJOR:0 (the numbers below rely on it)" "$LOG" "^rootfs: vda-dev $VDA_MAJOR:0\$"

boot majmin -- root=$VDA_MAJOR:0
booted majmin
mounted majmin /dev/vda / ext4 'ro[, ]'

boot hex -- root=$VDA_HEX
booted hex
mounted hex /dev/vda / ext4 'ro[, ]'

boot hex0x -- root=0x$(echo "$VDA_HEX" | tr a-f A-F)
booted hex0x

# A quoted value loses its quotes, as the kernel reads it.
boot quoted -- 'root="/dev/vda"'
booted quoted

t_exit
