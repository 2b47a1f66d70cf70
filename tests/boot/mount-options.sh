# ro by default, rw, rootflags= and rootfstype=.
. tests/boot/lib.sh

boot ro-default -- root=/dev/vda
booted ro-default
mounted ro-default /dev/vda / ext4 'ro[, ]'

boot rw -- root=/dev/vda rw
booted rw
mounted rw /dev/vda / ext4 'rw[, ]'

boot rootflags -- root=/dev/vda rootflags=noatime,commit=7
booted rootflags
mounted rootflags /dev/vda / ext4 'ro,noatime,.*commit=7'

# A list: types the kernel lacks are skipped, the next one mounts.
boot fstype-list -- root=/dev/vda rootfstype=xfs,vfat,ext4
booted fstype-list
mounted fstype-list /dev/vda / ext4 'ro'
t_grep "fstype-list: says which type mounted" "$LOG" 'handoff: mounted /dev/vda on /sysroot as ext4'

# No usable type: the message names each type tried and what the kernel has.
boot fstype-bad -- root=/dev/vda rootfstype=xfs panic=-1
no_panic fstype-bad
t_grep "fstype-bad: names the type and the errno" "$LOG" 'cannot mount root /dev/vda \(root=/dev/vda\): xfs: No such device'
t_grep "fstype-bad: lists the kernel's filesystems" "$LOG" 'filesystems this kernel has: .*ext4'
t_grep "fstype-bad: says what the probe saw" "$LOG" 'hint: the probe saw ext4 on /dev/vda, not xfs: drop rootfstype=, or make it rootfstype=ext4'
t_nogrep "fstype-bad: never reached the real root" "$LOG" '^rootfs: pid'

boot flags-too-long -- root=/dev/vda panic=-1 "rootflags=$(printf 'x%.0s' $(seq 600))"
no_panic flags-too-long
t_grep "flags-too-long: refused with a reason" "$LOG" 'rootflags=x+: too long'

t_exit
