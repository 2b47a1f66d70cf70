# The rescue policy: rd.shell on failure (job control, retry on exit, the
# orphans it leaves reaped), rd.break before the switch, a shell refused
# by a LOCKDOWN=1 build or missing from the image, a shell with no input.
. tests/boot/lib.sh
t_need socat || t_exit
RESCUE_INITRD=$OUT/initramfs-rescue.cpio.gz
LOCKED_INITRD=$OUT/initramfs-locked.cpio.gz
for f in "$RESCUE_INITRD" "$LOCKED_INITRD"; do
	[ -f "$f" ] || { t_fail "rescue-inputs" "$f is missing: make RESCUE=busybox initramfs; make LOCKDOWN=1 initramfs"; t_exit; }
done

# wait_for FILE PATTERN: until the serial log shows PATTERN (60 s at most).
wait_for() {
	local i
	for i in $(seq 600); do
		tr -d '\r' <"$1" 2>/dev/null | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# The session: the root disk is missing; in the rescue shell we plug it in
# (as a user would fix things), leave an orphan behind, and exit; the boot
# is tried again, stops at rd.break, where we look around, then goes on.
img=$(disk shell)
fifo=$WORK/input
mkfifo "$fifo"
(
	exec 4>"$fifo"
	raw=$WORK/shell.raw
	wait_for "$raw" 'starting a rescue shell' || exit 1
	{ echo '{"execute":"qmp_capabilities"}'
	  echo "{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"raw\",\"node-name\":\"hp\",\"file\":{\"driver\":\"file\",\"filename\":\"$img\"}}}"
	  echo '{"execute":"device_add","arguments":{"driver":"virtio-blk-pci","drive":"hp","id":"hp"'"$HP_BUS"'}}'
	  sleep 1; } | socat - "UNIX-CONNECT:$WORK/shell.qmp" >"$WORK/qmp.log" 2>&1
	cat >&4 <<'SH'
echo "rescue: in the shell as pid $$, ctty $(cut -d' ' -f7 /proc/self/stat)"
(sleep 0.2 &)
while [ ! -e /sys/class/block/vda ]; do sleep 0.2; done
sleep 1
exit
SH
	wait_for "$raw" 'rd.break: the new root is mounted' || exit 1
	cat >&4 <<'SH'
echo "break: zombies $(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)"
[ -x /sysroot/sbin/init ] && echo "break: the new root is there"
exit
SH
	sleep 30
) &
writer=$!
boot shell --no-disk --qmp "$WORK/shell.qmp" --input "$fifo" --initrd "$RESCUE_INITRD" \
	-- root=/dev/vda rootdelay=1 rd.shell rd.break panic=-1
kill $writer 2>/dev/null
wait $writer 2>/dev/null
booted shell
t_grep "shell: the failure came first" "$LOG" 'root device /dev/vda did not appear within 1 s'
t_grep "shell: offered a rescue shell" "$LOG" 'handoff: starting a rescue shell'
t_grep "shell: the shell ran our commands" "$LOG" '^rescue: in the shell as pid [0-9]+, ctty [1-9][0-9]*$'
t_grep "shell: tried again after it exited" "$LOG" 'the rescue shell exited: trying the boot again'
t_grep "shell: rd.break stopped before the switch" "$LOG" 'rd.break: the new root is mounted on /sysroot'
t_grep "shell: the orphan was reaped" "$LOG" '^break: zombies 0$'
t_grep "shell: rd.break sees the new root" "$LOG" '^break: the new root is there$'
t_grep "shell: then switched" "$LOG" 'rd.break: the shell exited: switching'

# A shell that ends at once does not loop: with console=null its input
# is /dev/null. Without the guard the boot would retry forever; with it,
# panic=-1 ends the run (nothing shows on the serial line).
BASE_APPEND="rootfs.poweroff"
boot no-input --timeout 40 --initrd "$RESCUE_INITRD" -- console=null root=/dev/vdz rootdelay=1 rd.shell panic=-1
BASE_APPEND="console=$CONSOLE loglevel=8 rootfs.poweroff"
[ "$BOOT_RC" -eq 0 ] && t_ok "no-input: gave up and rebooted instead of looping" ||
	t_fail "no-input: gave up and rebooted instead of looping" "qemu status $BOOT_RC (124: still looping at the timeout)"

# LOCKDOWN=1: no shell, whatever the command line says.
boot locked --initrd "$LOCKED_INITRD" -- root=/dev/vdz rootdelay=1 rd.shell rd.break panic=-1
no_panic locked
t_grep "locked: refuses the shell" "$LOG" 'rd.shell: this init was built with LOCKDOWN=1: no shell'
t_nogrep "locked: no shell started" "$LOG" 'starting a rescue shell'
t_grep "locked: then the policy" "$LOG" 'boot failed: rebooting now \(panic=-1\)'

# rd.shell with no shell in the image: says how to add one.
boot no-shell -- root=/dev/vdz rootdelay=1 rd.shell panic=-1
no_panic no-shell
t_grep "no-shell: says how to get one" "$LOG" 'rd.shell: no /bin/sh in the image \(add one with make initramfs RESCUE=busybox\)'

t_exit
