# Messages reach every active console: the machine's serial console (the
# PL011 ttyAMA0 on virt), a 16550 ttyS0, a virtio console hvc0, and a ttyS2
# at 1500000 baud as boards set theirs; console=ttyS2,1500000 does not
# confuse the command-line parser.
#
# The kernel registers one console per driver: of ttyS0 and ttyS2 (both
# 8250) only the first console= is active. So on pc, whose own console is
# ttyS0, the board-like boot has ttyS2 as its only serial console.
. tests/boot/lib.sh

# Serial ports into files: ttyS2 everywhere, ttyS0 on virt too; hvc0.
q=(--qemu -device --qemu virtio-serial-pci
	--qemu -chardev --qemu "file,id=h0,path=$WORK/hvc0.raw"
	--qemu -device --qemu virtconsole,chardev=h0)
if [ "$ARCH" = x86_64 ]; then
	# pc: ISA ports in -serial order, the first (ttyS0) is qemu/boot's.
	q+=(--qemu -serial --qemu null --qemu -serial --qemu "file:$WORK/ttyS2.raw")
	fail_consoles="console=hvc0 console=ttyS2,1500000"
	fail_files="hvc0 ttyS2"
	ok_consoles="console=ttyS2,1500000"
	ok_files=
	ok_main=ttyS2
else
	# virt: PCI 16550s, found in slot order as ttyS0, ttyS1, ttyS2.
	for i in 0 1 2; do
		chr="file,id=s$i,path=$WORK/ttyS$i.raw"
		[ $i = 1 ] && chr="null,id=s$i"
		q+=(--qemu -chardev --qemu "$chr" --qemu -device --qemu "pci-serial,chardev=s$i,addr=0x1$i")
	done
	fail_consoles="console=ttyS0,115200n8 console=hvc0 console=$CONSOLE"
	fail_files="$CONSOLE ttyS0 hvc0"
	ok_consoles="console=ttyS2,1500000 console=$CONSOLE"
	ok_files="ttyS2"
	ok_main=$CONSOLE
fi

# text NAME TTY: the file with what TTY showed in boot NAME.
text() {
	local f=$WORK/$1-$2.txt
	# The machine's own console is QEMU's stdout, the others files.
	if [ "$2" = "$CONSOLE" ]; then
		cp "$WORK/$1.log" "$f"
	else
		tr -d '\r' <"$WORK/$2.raw" >"$f" 2>/dev/null
		cp "$f" "$LOGS/serial-$LOGTAG-$1-$2.log"
	fi
	echo "$f"
}

# check NAME TTYS PATTERN WHAT: PATTERN on each of TTYS.
check() {
	local tty
	for tty in $2; do
		t_grep "$1: $4 on $tty" "$(text "$1" "$tty")" "$3"
	done
}

# A boot that fails: handoff's error reaches every console. loglevel=1:
# the kernel echoes none of its log, so these lines are handoff's own writes.
BASE_APPEND="loglevel=1"
# shellcheck disable=SC2086 # the console= words
boot fail --no-disk "${q[@]}" -- $fail_consoles root=/dev/vdz rootdelay=1 panic=-1
no_panic fail
check fail "$fail_files" 'handoff: root device /dev/vdz did not appear within 1 s' "the error"
check fail "$fail_files" 'handoff: hint: check root= ' "the hint"
# The last line before panic=-1 reboots: sent before the reboot cuts it.
check fail "$fail_files" 'handoff: boot failed: rebooting now \(panic=-1\)' "the last line"
t_nogrep "fail: console= is not taken for a problem" "$(text fail "${fail_files%% *}")" 'ignoring'

# A boot that works with console=ttyS2,1500000; progress (rd.debug) on
# every console, the real root's output on /dev/console.
BASE_APPEND="loglevel=1 rootfs.poweroff"
# shellcheck disable=SC2086
boot ok "${q[@]}" -- $ok_consoles root=/dev/vda rd.debug
LOG=$(text ok "$ok_main")
booted ok
check ok "$ok_files $ok_main" 'handoff: mounted /dev/vda on /sysroot as ext4' "progress"
t_nogrep "ok: no parameter problems" "$LOG" 'handoff: ignoring'

t_exit
