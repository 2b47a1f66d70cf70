# The rescue policy: rd.shell on failure (job control, retry on exit, the
# orphans it leaves reaped), rd.break before the switch, a shell refused
# by a LOCKDOWN=1 build or missing from the image, a shell with no input;
# the retry with parameters from /run/handoff/cmdline or with a root
# mounted by hand on /sysroot; every command the README lists for the
# shell, blkid (our own) included.
. tests/boot/lib.sh
t_need socat blkid || t_exit
RESCUE_INITRD=$OUT/initramfs-rescue.cpio.gz
LOCKED_INITRD=$OUT/initramfs-locked.cpio.gz
for f in "$RESCUE_INITRD" "$LOCKED_INITRD"; do
	[ -f "$f" ] || { t_fail "rescue-inputs" "$f is missing: make RESCUE=busybox initramfs; make LOCKDOWN=1 initramfs"; t_exit; }
done

# In a session's writer (fd 4 open on the console's input, RAW its serial
# log): shell NAME CMD types CMD, then waits until the shell says it ran,
# as "@@ NAME rc=STATUS" (the echo of the typed line shows "$?" instead).
# One line at a time, so no typed line is echoed into another's output
# nor read by a command (vi reads the terminal).
shell() {
	printf '%s; echo "@@ %s rc=$?"\n' "$2" "$1" >&4
	wait_for "$RAW" "@@ $1 rc=[0-9]"
}

# session NAME SCRIPT BOOT-ARGS...: boots NAME with the rescue image while
# the function SCRIPT, once the rescue shell starts, types on its console
# (fd 4; RAW is the serial log so far).
session() {
	local name=$1
	SESSION_SCRIPT=$2
	shift 2
	typed "$name" after_shell_starts --initrd "$RESCUE_INITRD" "$@"
}
after_shell_starts() {
	wait_for "$RAW" 'starting a rescue shell' || exit 1
	"$SESSION_SCRIPT"
}

# The session: the root disk is missing; in the rescue shell we plug it in
# (as a user would fix things), leave an orphan behind, and exit; the boot
# is tried again, stops at rd.break, where we look around, then goes on.
img=$(disk shell)
plug_and_break() {
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
	wait_for "$RAW" 'rd.break: the new root is mounted' || exit 1
	cat >&4 <<'SH'
echo "break: zombies $(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)"
[ -x /sysroot/sbin/init ] && echo "break: the new root is there"
exit
SH
}
session shell plug_and_break --no-disk --qmp "$WORK/shell.qmp" \
	-- root=/dev/vda rootdelay=1 rd.shell rd.break panic=-1
booted shell
t_grep "shell: the failure came first" "$LOG" 'root device /dev/vda did not appear within 1 s'
t_grep "shell: offered a rescue shell" "$LOG" 'handoff: starting a rescue shell'
t_grep "shell: the shell ran our commands" "$LOG" '^rescue: in the shell as pid [0-9]+, ctty [1-9][0-9]*$'
t_grep "shell: tried again after it exited" "$LOG" 'the rescue shell exited: trying the boot again'
t_grep "shell: rd.break stopped before the switch" "$LOG" 'rd.break: the new root is mounted on /sysroot'
t_grep "shell: the orphan was reaped" "$LOG" '^break: zombies 0$'
t_grep "shell: rd.break sees the new root" "$LOG" '^break: the new root is there$'
t_grep "shell: then switched" "$LOG" 'rd.break: the shell exited: switching'

# The commands the README lists for the rescue shell, each run for real
# (the test kernel has no module support: modprobe, insmod and lsmod show
# they are there with --help; reboot and poweroff too, for they would end
# the test), in an order that builds on itself: a scratch tmpfs mounted,
# filled, edited, emptied, unmounted.
CMD_ORDER="sh mkdir mount echo cp mv ln cat grep sed vi rm umount ls dmesg ps kill sleep fdisk hexdump blkid modprobe insmod lsmod reboot poweroff"
cmd_for() {
	case $1 in
	sh) echo "sh -c 'exit 0'" ;;
	mkdir) echo "mkdir /run/t" ;;
	mount) echo "mount -t tmpfs scratch /run/t" ;;
	echo) echo "echo hello >/run/t/a" ;;
	cp) echo "cp /run/t/a /run/t/b" ;;
	mv) echo "mv /run/t/b /run/t/c" ;;
	ln) echo "ln -s c /run/t/d" ;;
	cat) echo "cat /run/t/d" ;;
	grep) echo "grep -q hello /run/t/c" ;;
	sed) echo "sed -i s/hello/bye/ /run/t/c && grep -q bye /run/t/c" ;;
	vi) echo "vi -c wq /run/t/v && [ -e /run/t/v ]" ;;
	rm) echo "rm /run/t/a && [ ! -e /run/t/a ]" ;;
	umount) echo "umount /run/t" ;;
	ls) echo "ls /sysroot" ;;
	dmesg) echo "dmesg | grep -q 'handoff: starting a rescue shell'" ;;
	ps) echo "ps >/dev/null" ;;
	kill) echo 'kill -0 $$' ;;
	sleep) echo "sleep 0" ;;
	fdisk) echo "fdisk -l /dev/vda >/dev/null" ;;
	hexdump) echo "hexdump -C -n 16 /dev/vda" ;;
	blkid) echo "blkid" ;;
	modprobe | insmod | lsmod | reboot | poweroff) echo "$1 --help 2>/dev/null" ;;
	esac
}
readme_cmds=$(sed -n 's/^| `make initramfs RESCUE=busybox` | adds //p' README.md | grep -o '`[a-z]*`' | tr -d '`')
[ -n "$readme_cmds" ] && t_ok "cmds: the README lists the shell's commands" ||
	t_fail "cmds: the README lists the shell's commands" "no RESCUE=busybox row in README.md's rescue section"
for c in $readme_cmds; do
	[[ " $CMD_ORDER " == *" $c "* ]] && [ -n "$(cmd_for "$c")" ] ||
		t_fail "cmds: $c, in the README, is tested" "add it to CMD_ORDER and cmd_for in $0"
done

# A wrong root=, fixed from the shell: every command the README lists,
# then parameters for the retry in /run/handoff/cmdline (they override the
# kernel's one by one; rw shows a second one taken).
ROOT_UUID=$(blkid -o value -s UUID "$ROOTFS")
every_command() {
	local c
	for c in $CMD_ORDER; do
		shell "$c" "$(cmd_for "$c")"
	done
	shell blkid-export "blkid -o export /dev/vda"
	shell blkid-missing "blkid /dev/vdz"
	printf 'echo "root=/dev/vda rw" >/run/handoff/cmdline\nexit\n' >&4
}
session cmds every_command --timeout 180 -- root=/dev/vdz rootdelay=1 rd.shell panic=-1
booted cmds
t_grep "cmds: the shell's first message names the parameter file" "$LOG" \
	'handoff: hint: to retry with other parameters, write them to /run/handoff/cmdline .*; or mount the root on /sysroot yourself'
for c in $CMD_ORDER; do
	t_grep "cmds: $c runs in the shell" "$LOG" "@@ $c rc=0\$"
done
t_nogrep "cmds: no command is missing" "$LOG" 'applet not found|: not found'
t_grep "cmds: blkid names the root disk's UUID" "$LOG" \
	"^/dev/vda: UUID=\"$ROOT_UUID\" LABEL=\"handoff-root\" TYPE=\"ext4\"\$"
t_grep "cmds: blkid -o export: DEVNAME" "$LOG" '^DEVNAME=/dev/vda$'
t_grep "cmds: blkid -o export: UUID" "$LOG" "^UUID=$ROOT_UUID\$"
t_grep "cmds: blkid -o export: LABEL" "$LOG" '^LABEL=handoff-root$'
t_grep "cmds: blkid -o export: TYPE" "$LOG" '^TYPE=ext4$'
t_grep "cmds: blkid -o export: done" "$LOG" '@@ blkid-export rc=0$'
t_grep "cmds: blkid names a missing device" "$LOG" '^blkid: /dev/vdz: No such file or directory$'
t_grep "cmds: blkid fails for it" "$LOG" '@@ blkid-missing rc=2$'
t_grep "cmds: the retry says it reads /run/handoff/cmdline" "$LOG" \
	'handoff: parameters from /run/handoff/cmdline over the kernel.s: root=/dev/vda rw$'
mounted cmds /dev/vda / ext4 'rw,'

# A root mounted by hand on /sysroot is booted instead of root=, checked
# like any other: a tmpfs without an init is refused (and the shell comes
# back), the disk mounted in its place boots.
# A shell that ends within a second counts as one without input: each stays
# over a second by the guest's own uptime (Debian's armhf busybox `sleep 1`
# returned after 0.03 s of it on the arm test kernel).
OVER_A_SECOND='t=$(cut -d. -f1 /proc/uptime); while [ $(cut -d. -f1 /proc/uptime) -le $((t + 1)) ]; do :; done'
mount_by_hand() {
	shell tmpfs "mount -t tmpfs none /sysroot; $OVER_A_SECOND"
	echo exit >&4
	wait_for "$RAW" 'starting a rescue shell' 2 || exit 1
	shell disk "umount /sysroot && mount -o ro /dev/vda /sysroot; $OVER_A_SECOND"
	echo exit >&4
}
session hand mount_by_hand --timeout 120 -- root=/dev/vdz rootdelay=1 rd.shell panic=-1
booted hand
t_grep "hand: the tmpfs mounted by hand is taken" "$LOG" \
	'handoff: the rescue shell left a root mounted on /sysroot \(device 0:[0-9]+\): booting it as it is'
t_grep "hand: and checked like any root" "$LOG" 'no usable init in the new root \(/sysroot\)'
t_grep "hand: the disk mounted by hand is taken" "$LOG" \
	'handoff: the rescue shell left a root mounted on /sysroot \(device [1-9][0-9]*:0\): booting it as it is'
n=$(grep -c 'root device /dev/vdz did not appear' "$LOG")
[ "$n" -eq 1 ] && t_ok "hand: root= was not looked for again" ||
	t_fail "hand: root= was not looked for again" "$n waits for /dev/vdz"
mounted hand /dev/vda / ext4 'ro,'

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
