# The fallbacks and refusals no other scenario reaches, each by a real
# boot: a disk that refuses read-write is mounted read-only; a switch whose
# only way left (moving the root and deleting the initramfs) is unsafe is
# refused and deletes nothing; a real init the kernel cannot execute gives
# way to the next of the list; a rescue shell that exits at once ends the
# boot instead of looping; a mount on /sysroot that is not another device
# than the initramfs is refused.
. tests/boot/lib.sh
RESCUE_INITRD=$OUT/initramfs-rescue.cpio.gz
MKCPIO=$BUILD/host/mkcpio
for f in "$RESCUE_INITRD" "$MKCPIO"; do
	[ -f "$f" ] || { t_fail "fallbacks-inputs" "$f is missing: make RESCUE=busybox initramfs $MKCPIO"; t_exit; }
done
BUSYBOX=$(tools/busybox-for "$ARCH") || { t_fail "fallbacks-busybox" "no busybox for $ARCH"; t_exit; }

# mkimage NAME TREE: an ext4 image of TREE, made without root.
mkimage() {
	mke2fs -q -t ext4 -d "$2" -E root_owner=0:0 "$WORK/$1.img" 16M >/dev/null 2>&1 ||
		t_fail "$1: mke2fs" "cannot make $WORK/$1.img"
	echo "$WORK/$1.img"
}

# 1. A disk attached read-only, booted with rw: the mount is refused
# read-write, taken read-only (as the kernel's own root mount does), and
# the real root sees its / read-only; the disk is untouched.
img=$(disk ro-disk)
sum=$(sha256sum <"$img")
boot ro-disk --disk "$img:ro" -- root=/dev/vda rw
booted ro-disk
t_grep "ro-disk: says the disk refuses read-write" "$LOG" \
	'handoff: /dev/vda refuses read-write \(Permission denied\): mounting it read-only$'
t_grep "ro-disk: then mounts it read-only" "$LOG" 'handoff: mounted /dev/vda on /sysroot as ext4 \(ro\)'
mounted ro-disk /dev/vda / ext4 'ro,'
unchanged "ro-disk: the disk is unchanged" "$img" "$sum"

# 2. pivot_root is never possible from the initramfs; the fallback moves
# the new root onto / and deletes the initramfs, only when / is the
# kernel's rootfs. At rd.break a tmpfs stacked on / makes mountinfo show
# something else there: the switch is refused, nothing is deleted, and the
# boot stops as documented (no panic=: PID 1 stays up). A process the
# rd.break shell leaves behind looks at the initramfs afterwards, then
# powers off. It reports through /dev/kmsg: the console is hung up when
# the shell, its session leader, exits.
SURVIVOR='n=$(busybox ls /bin | busybox wc -l); exec 3>/dev/kmsg
(trap "" HUP; until busybox dmesg | busybox grep -q "boot failed: staying here"; do busybox sleep 0.2; done
echo "survivor: /bin had $n entries, has $(busybox ls /bin | busybox wc -l); init $(busybox ls /init)" >&3
busybox poweroff -f) &
busybox mount -t tmpfs stacked / && echo "break: stacked a tmpfs on /"
exit'
stack_on_root() { type_at 'rd.break: the new root is mounted' 1 "$SURVIVOR"; }
typed unsafe-switch stack_on_root --initrd "$RESCUE_INITRD" -- root=/dev/vda rd.break
no_panic unsafe-switch
t_grep "unsafe-switch: the tmpfs was stacked" "$LOG" '^break: stacked a tmpfs on /$'
t_grep "unsafe-switch: refuses the fallback and says why" "$LOG" \
	'handoff: pivot_root is not possible here and the fallback is unsafe: /proc/self/mountinfo does not show / as rootfs; nothing was deleted$'
t_grep "unsafe-switch: the boot stops" "$LOG" 'handoff: boot failed: staying here'
t_nogrep "unsafe-switch: did not switch" "$LOG" 'switched root|^rootfs: pid 1'
t_grep "unsafe-switch: nothing was deleted" "$LOG" '\] survivor: /bin had ([1-9][0-9]*) entries, has \1; init /init$'
[ "$BOOT_RC" -eq 0 ] && t_ok "unsafe-switch: PID 1 stayed up until the survivor powered off" ||
	t_fail "unsafe-switch: PID 1 stayed up until the survivor powered off" "qemu status $BOOT_RC (124: timeout)"

# 3. The checked init passes every check (its interpreter is there and
# executable) but the kernel cannot execute it (that interpreter's own
# interpreter is missing): the next of the list starts instead.
t=$WORK/exec-tree
mkdir -p "$t/bin" "$t/sbin" "$t/dev" "$t/proc" "$t/sys" "$t/run"
cp "$BUSYBOX" "$t/bin/busybox"
ln -s busybox "$t/bin/sh"
printf '#!/bin/wrapper\n' >"$t/sbin/init"
printf '#!/missing/interpreter\n' >"$t/bin/wrapper"
printf '#!/bin/sh\necho "fallback: $0 ran as pid $$"\n/bin/busybox reboot -f\n' >"$t/bin/init"
chmod 755 "$t/sbin/init" "$t/bin/wrapper" "$t/bin/init"
boot exec-fallback --disk "$(mkimage exec "$t")" -- root=/dev/vda panic=-1
no_panic exec-fallback
t_grep "exec-fallback: /sbin/init was the checked choice" "$LOG" 'handoff: starting /sbin/init \('
t_grep "exec-fallback: says it cannot execute it, and why" "$LOG" \
	'handoff: cannot execute /sbin/init: No such file or directory$'
t_grep "exec-fallback: the next of the list ran as PID 1" "$LOG" '^fallback: /bin/init ran as pid 1$'
t_nogrep "exec-fallback: no init-less end" "$LOG" 'no init could be started'
[ "$BOOT_RC" -eq 0 ] && t_ok "exec-fallback: qemu exited by itself" ||
	t_fail "exec-fallback: qemu exited by itself" "status $BOOT_RC"

# 4. A rescue shell that exits at once (here a /bin/sh that does nothing
# else): said once, no second try, then the failure policy (panic=-1).
printf '#!/bin/busybox sh\nexit 0\n' >"$WORK/sh-exits"
printf 'dir /bin 0755 0 0\nfile /bin/busybox %s 0755 0 0\nfile /bin/sh %s 0755 0 0\n' \
	"$BUSYBOX" "$WORK/sh-exits" >"$WORK/sh-exits.list"
INIT=$OUT/init "$MKCPIO" -c gzip -o "$WORK/sh-exits.cpio.gz" tools/initramfs.list "$WORK/sh-exits.list" \
	>"$WORK/mkcpio.log" 2>&1 || t_fail "shell-exits: mkcpio" "$(tail -3 "$WORK/mkcpio.log")"
boot shell-exits --timeout 40 --initrd "$WORK/sh-exits.cpio.gz" -- root=/dev/vdz rootdelay=1 rd.shell panic=-1
no_panic shell-exits
t_grep "shell-exits: a shell was started" "$LOG" 'handoff: starting a rescue shell'
t_grep "shell-exits: says it exited at once" "$LOG" \
	'handoff: the rescue shell exited at once \(no input on the console\?\): not trying again$'
t_grep "shell-exits: then the policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
n=$(grep -c 'starting a rescue shell' "$LOG")
[ "$n" -eq 1 ] && t_ok "shell-exits: one shell, no loop" || t_fail "shell-exits: one shell, no loop" "$n shells started"
t_nogrep "shell-exits: no second try" "$LOG" 'trying the boot again'
[ "$BOOT_RC" -eq 0 ] && t_ok "shell-exits: qemu exited by itself" ||
	t_fail "shell-exits: qemu exited by itself" "status $BOOT_RC (124: still running at the timeout)"

# 5. /sysroot replaced from the rescue shell by a symlink to /: the retry
# mounts the root there, which lands on the initramfs's / itself, so
# /sysroot is still the initramfs. Refused, and the shell is offered again,
# which finds the initramfs intact. The first shell stays over a second by
# the guest's uptime, so it does not count as one without input.
FIRST='busybox rmdir /sysroot && busybox ln -s / /sysroot && echo root=/dev/vda >/run/handoff/cmdline
t=$(busybox cut -d. -f1 /proc/uptime); while [ $(busybox cut -d. -f1 /proc/uptime) -le $((t + 1)) ]; do :; done
exit'
SECOND='echo "second: sysroot -> $(busybox readlink /sysroot); init $(busybox ls /init)"
busybox poweroff -f'
symlink_sysroot() {
	type_at 'starting a rescue shell' 1 "$FIRST"
	type_at 'starting a rescue shell' 2 "$SECOND"
}
typed same-device symlink_sysroot --initrd "$RESCUE_INITRD" --timeout 120 -- root=/dev/vdz rootdelay=1 rd.shell
no_panic same-device
t_grep "same-device: the retry took root=/dev/vda" "$LOG" \
	'handoff: parameters from /run/handoff/cmdline over the kernel.s: root=/dev/vda$'
t_grep "same-device: refused" "$LOG" \
	'handoff: /sysroot is not a mount on another device than the initramfs: refusing to switch$'
t_nogrep "same-device: did not switch" "$LOG" 'switched root|^rootfs: pid 1'
n=$(grep -c 'starting a rescue shell' "$LOG")
[ "$n" -eq 2 ] && t_ok "same-device: the shell is offered again" ||
	t_fail "same-device: the shell is offered again" "$n shells started"
t_grep "same-device: the initramfs is intact" "$LOG" '^second: sysroot -> /; init /init$'

t_exit
