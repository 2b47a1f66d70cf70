# Host-directory roots through qemu/run: a directory of this machine (the
# sample root's files) as the root by virtiofs (both forms of root=) and by
# 9p, read-only under a tmpfs overlay (writes in RAM, the directory's
# checksum unchanged) or read-write; the command's output and exit status
# passed through (0, 3, a signal, 127); a tag that is not there named with
# the tags there are, PID 1 alive, the directory unchanged.
. tests/boot/layers.inc
t_need unshare /usr/lib/qemu/virtiofsd || t_exit

DIR=$WORK/dir
tree "$DIR"
image "$WORK/layers.cpio.gz"
# What each root run shows (a script: a double quote cannot pass the
# kernel command line): its mounts, a write, where it went; and its words.
cat >"$DIR/show" <<'EOF2'
#!/bin/sh
grep -E " / | /run/handoff/lower " /proc/mounts | sed "s/^/mount: /"
echo written >/written-by-test && echo "wrote: $(cat /written-by-test)"
echo "upper: $(cat /run/handoff/rw/upper/written-by-test 2>&1)"
EOF2
cat >"$DIR/showargs" <<'EOF2'
#!/bin/sh
for a; do printf '<%s>' "$a"; done
echo
EOF2
chmod 755 "$DIR/show" "$DIR/showargs"

# sum_dir: the directory's names, modes, sizes and contents.
sum_dir() {
	(cd "$DIR" && find . -printf '%p %m %s %y\n' | sort && find . -type f -exec sha256sum {} + | sort) |
		sha256sum
}
SUM=$(sum_dir)
# same_dir NAME: the directory as it was before the first boot.
same_dir() {
	if [ "$(sum_dir)" = "$SUM" ]; then t_ok "$1: the directory is unchanged"; else
		t_fail "$1: the directory is unchanged" "$(ls -la "$DIR")"
	fi
}
# wrote NAME: the command's write is in the directory (then removed).
wrote() {
	if [ "$(cat "$DIR/written-by-test" 2>/dev/null)" = written ]; then
		t_ok "$1: the write is in the directory"
	else
		t_fail "$1: the write is in the directory" "$DIR/written-by-test: $(cat "$DIR/written-by-test" 2>&1)"
	fi
	rm -f "$DIR/written-by-test"
}

# run NAME [qemu/run options] -- COMMAND...: the command's output (and the
# tool's messages) in $WORK/NAME.log, its exit status in RUN_RC.
run() {
	local name=$1
	shift
	RUN_RC=0
	qemu/run --kernel "$KERNEL" --image "$WORK/layers.cpio.gz" --dir "$DIR" --timeout 90 "$@" \
		>"$WORK/$name.log" 2>&1 </dev/null || RUN_RC=$?
	cp "$WORK/$name.log" "$LOGS/serial-$LOGTAG-$name.log"
	LOG=$WORK/$name.log
}

# status NAME WANT: the exit status qemu/run gave.
status() {
	if [ "$RUN_RC" = "$2" ]; then t_ok "$1: exit status $2"; else
		t_fail "$1: exit status $2" "got $RUN_RC; log $LOGS/serial-$LOGTAG-$1.log"
	fi
}

# A root by virtiofs, dracut's form (qemu/run's), under the tmpfs overlay.
run virtiofs -- /show
status virtiofs 0
no_panic virtiofs
t_grep "virtiofs: lower is the tag, read-only" "$LOG" '^mount: hostroot /run/handoff/lower virtiofs ro[,\ ]'
t_grep "virtiofs: overlay on /" "$LOG" '^mount: overlay / overlay rw'
t_grep "virtiofs: the command's output is seen" "$LOG" '^wrote: written$'
t_grep "virtiofs: the write is in the tmpfs" "$LOG" '^upper: written$'
same_dir "virtiofs"

# The kernel's form: rootfstype=virtiofs root=TAG (the last root= wins).
run virtiofs-kernel-form --append "rootfstype=virtiofs root=hostroot" -- /show
status virtiofs-kernel-form 0
t_grep "virtiofs-kernel-form: lower is the tag" "$LOG" '^mount: hostroot /run/handoff/lower virtiofs ro[,\ ]'
t_grep "virtiofs-kernel-form: the write is in the tmpfs" "$LOG" '^upper: written$'

# Read-write (--rw): the write lands in the directory.
run virtiofs-rw --rw -- /show
status virtiofs-rw 0
t_grep "virtiofs-rw: the tag is / read-write" "$LOG" '^mount: hostroot / virtiofs rw[,\ ]'
wrote virtiofs-rw

# 9p, under the overlay and read-write; trans=virtio and version=9p2000.L supplied.
run 9p --9p -- /show
status 9p 0
no_panic 9p
t_grep "9p: lower is the tag, read-only, over virtio" "$LOG" '^mount: hostroot /run/handoff/lower 9p ro,.*trans=virtio'
t_grep "9p: the write is in the tmpfs" "$LOG" '^upper: written$'
same_dir "9p"
run 9p-rw --9p --rw --append "rootflags=cache=loose" -- /show
status 9p-rw 0
t_grep "9p-rw: the tag is / read-write, rootflags= added to" "$LOG" '^mount: hostroot / 9p rw,.*(loose.*trans=virtio|trans=virtio.*loose)'
wrote 9p-rw

# The command's status comes back: 3, a signal (128 + 9), not found (127).
run exit3 -- sh -c 'echo before-exit; exit 3'
status exit3 3
t_grep "exit3: the output before the exit is seen" "$LOG" '^before-exit$'
run killed -- sh -c 'kill -9 $$'
status killed 137
run notfound -- no-such-command arg
status notfound 127
t_grep "notfound: names the command" "$LOG" 'cannot run no-such-command: No such file or directory'
run args -- /showargs "a b" "" x=y -v
status args 0
t_grep "args: words with spaces, empty, with = or - arrive whole" "$LOG" '^<a b><><x=y><-v>$'
run timeout --timeout 4 -- sleep 100
status timeout 124
t_grep "timeout: said" "$LOG" 'qemu/boot: timeout after 4 s'
VIRTIOFSD=$WORK/no-virtiofsd run no-virtiofsd -- true
status no-virtiofsd 125
t_grep "no-virtiofsd: says what is missing and what to do" "$LOG" "qemu/run: $WORK/no-virtiofsd is missing: install Debian's qemu-system-common \\(or use --9p\\)"
run env -- env
status env 0
t_grep "env: the command has PATH" "$LOG" '^PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin$'
t_nogrep "env: and none of the boot's parameters" "$LOG" '^(root|rd\.)'
run quote -- sh -c 'echo "x"'
status quote 2
t_grep "quote: a double quote is refused, saying why" "$LOG" 'a double quote or a newline cannot pass the kernel command line'

# A tag that is not there: named, with the tags there are, QEMU's option,
# the failure policy by PID 1 (qemu/run gives panic=-1: 125), no panic, the
# directory unchanged.
wrong_tag() {
	local name=$1
	no_panic "$name"
	status "$name" 125
	t_grep "$name: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	same_dir "$name"
	t_grep "$name: says what to give QEMU" "$LOG" 'hint: QEMU shares it by -device vhost-user-fs-pci,tag=TAG'
	t_grep "$name: qemu/run says the guest ended first" "$LOG" 'qemu/run: the guest ended before true did'
}
run wrong-tag --append "root=virtiofs:nosuch" -- true
wrong_tag wrong-tag
t_grep "wrong-tag: names the tag" "$LOG" 'cannot mount the virtiofs tag nosuch on /run/handoff/lower \(after 5 s\): Invalid argument'
t_grep "wrong-tag: says the device that is there" "$LOG" '\(1 virtiofs device\(s\): this kernel does not show their tags\)'
run wrong-tag-9p --9p --append "root=nosuch" -- true
wrong_tag wrong-tag-9p
t_grep "wrong-tag-9p: names the tag" "$LOG" 'cannot mount the 9p tag nosuch on /run/handoff/lower \(after 5 s\): No such file or directory'
t_grep "wrong-tag-9p: lists the tag that is there" "$LOG" 'handoff:   hostroot$'

# The spine (PROBES=none) refuses host directories by name (--rw: its
# missing layers would be refused first).
SPINE=$OUT/initramfs-noprobes.cpio.gz
if [ -f "$SPINE" ]; then
	run spine --rw --image "$SPINE" -- true
	status spine 125
	no_panic spine
	t_grep "spine: refused by name" "$LOG" 'root=virtiofs:hostroot: host directories \(virtiofs, 9p\) need an init built with the probes, and this one was built with PROBES=none'
	t_grep "spine: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
else
	t_fail "spine-inputs" "$SPINE is missing: make PROBES=none initramfs"
fi

# Debian's cloud kernel: virtiofs, fuse and overlay are modules, loaded from
# the image by coldplug (virtiofs from its virtio device's modalias).
distro_kernel
distro_image "$WORK/distro.cpio.gz" "+virtiofs,+overlay" 1
KERNEL=$DKERNEL run distro --image "$WORK/distro.cpio.gz" --timeout 180 -- sh -c '/show; cat /proc/modules; exit 4'
status distro 4
no_panic distro
t_grep "distro: lower is the tag, read-only" "$LOG" '^mount: hostroot /run/handoff/lower virtiofs ro[,\ ]'
t_grep "distro: the write is in the tmpfs" "$LOG" '^upper: written$'
for m in virtiofs fuse overlay; do
	t_grep "distro: $m loaded from the image" "$LOG" "^$m "
done
same_dir distro

# The same kernel with the default image, which has no virtiofs module:
# the init says so and what to do, PID 1's policy, 125.
distro_image "$WORK/distro-plain.cpio.gz" "" 1
KERNEL=$DKERNEL run distro-no-virtiofs --image "$WORK/distro-plain.cpio.gz" --timeout 180 -- true
status distro-no-virtiofs 125
no_panic distro-no-virtiofs
t_grep "distro-no-virtiofs: the kernel has no virtiofs" "$LOG" 'cannot mount the virtiofs tag hostroot on /run/handoff/lower \(after 0 s\): No such device'
t_grep "distro-no-virtiofs: says what to do" "$LOG" 'hint: build virtiofs into the kernel, or its module into the image'
t_grep "distro-no-virtiofs: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
t_exit
