# The spine build (make PROBES=none): boots by device name, and refuses
# identity forms with a reason instead of waiting for them.
. tests/boot/lib.sh

INITRD=$OUT/initramfs-noprobes.cpio.gz
[ -f "$INITRD" ] || { t_fail "noprobes-inputs" "$INITRD is missing: make PROBES=none initramfs"; t_exit; }

boot devname -- root=/dev/vda
booted devname
mounted devname /dev/vda / ext4 'ro'

boot uuid -- root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 panic=-1
no_panic uuid
t_grep "uuid: refused with the reason" "$LOG" 'built without disk probes \(PROBES=none\); use root=/dev/NAME'

t_exit
