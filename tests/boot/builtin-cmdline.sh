# A default command line built into the image (make initramfs CMDLINE=...),
# for boards whose bootloader passes none: used when the kernel's line has
# no root=, the kernel's own parameters winning one by one.
. tests/boot/lib.sh

# The image is made by the Makefile itself, in a private BUILD holding
# copies of the built init and mkcpio (newer than their sources: not rebuilt).
b=$WORK/build
mkdir -p "$b/$ARCH" "$b/host"
cp "$OUT/init" "$b/$ARCH/init"
cp "$BUILD/host/mkcpio" "$b/host/mkcpio"
# rootfstype=xfs is wrong for the sample root on purpose: a kernel line
# with rootfstype=ext4 must win over it.
default='root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rootwait rootfstype=xfs rw'
if make -s BUILD="$b" ARCH="$ARCH" initramfs CMDLINE="$default" >"$WORK/make.log" 2>&1; then
	t_ok "make initramfs CMDLINE=... builds the image"
else
	t_fail "make initramfs CMDLINE=... builds the image" "$(tail -3 "$WORK/make.log")"
	t_exit
fi
img=$b/$ARCH/initramfs.cpio.gz
if zcat "$img" | cpio -i --quiet --to-stdout etc/handoff/cmdline 2>/dev/null | grep -qxF "$default"; then
	t_ok "the image holds the line as /etc/handoff/cmdline"
else
	t_fail "the image holds the line as /etc/handoff/cmdline" "$(zcat "$img" | cpio -it 2>&1 | tr '\n' ' ')"
fi

# No root= from the kernel: the built-in line boots, merged under the
# kernel's rootfstype=ext4 (its own rootfstype=xfs would fail).
boot merged --initrd "$img" -- rootfstype=ext4 rd.debug
booted merged
t_grep "merged: says the built-in line is used" "$LOG" 'handoff: no root= from the kernel: using the built-in command line /etc/handoff/cmdline'
mounted merged /dev/vda / ext4 'rw[, ]'

# The built-in line alone: its rootfstype=xfs fails, naming where root= came from.
boot alone --initrd "$img" -- panic=-1
no_panic alone
t_grep "alone: the built-in rootfstype= is used" "$LOG" 'handoff: cannot mount root /dev/vda .*xfs'

# A root= from the kernel: the built-in line is not used at all (not its
# rw, not its rootfstype=xfs).
boot kernel-root --initrd "$img" -- root=/dev/vda
booted kernel-root
mounted kernel-root /dev/vda / ext4 'ro[, ]'
t_nogrep "kernel-root: the built-in line is left alone" "$LOG" 'built-in command line'

t_exit
