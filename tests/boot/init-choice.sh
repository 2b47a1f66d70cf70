# init=: used when it is usable, else the kernel's fallback list, all
# checked inside the new root before the switch. A LOCKDOWN=1 image takes
# init= only from its list and never falls back to a shell. PID 1 is the
# init whatever name the kernel starts it by.
. tests/boot/lib.sh
LOCKED_INITRD=$OUT/initramfs-locked.cpio.gz
[ -f "$LOCKED_INITRD" ] || { t_fail "init-choice-inputs" "$LOCKED_INITRD is missing: make LOCKDOWN=1 initramfs"; t_exit; }

overlay=$WORK/overlay
mkdir -p "$overlay/sbin" "$overlay/usr/lib"
cat >"$overlay/usr/lib/custom-init" <<'SH'
#!/bin/sh
echo "custom-init: running as pid $$ with args: $*"
echo "rootfs: powering off"
poweroff -f
SH
chmod 755 "$overlay/usr/lib/custom-init"
# An absolute symlink: must be followed inside the new root.
ln -s /usr/lib/custom-init "$overlay/sbin/custom"
# A script whose interpreter is missing from the root.
printf '#!/no/such/shell\necho never\n' >"$overlay/sbin/broken"
chmod 755 "$overlay/sbin/broken"
img=$WORK/custom.img
BUILD=$BUILD tools/mkrootfs "$img" "$overlay" >"$WORK/mkrootfs.log" 2>&1 ||
	t_fail "init-choice: mkrootfs" "$(tail -3 "$WORK/mkrootfs.log")"

boot custom --disk "$img" -- root=/dev/vda init=/sbin/custom
t_grep "custom: init= followed its symlink in the new root" "$LOG" '^custom-init: running as pid 1'
t_grep "custom: started as asked" "$LOG" 'handoff: starting /sbin/custom'
no_panic custom

cp "$ROOTFS" "$WORK/fallback.img"
boot missing --disk "$WORK/fallback.img" -- root=/dev/vda init=/sbin/nonexistent
booted missing
t_grep "missing: says why init= was not used" "$LOG" 'init=/sbin/nonexistent cannot be used: No such file or directory'
t_grep "missing: fell back to /sbin/init" "$LOG" '^rootfs: argv\[0\]=/sbin/init$'

boot broken --disk "$img" -- root=/dev/vda init=/sbin/broken
booted broken
t_grep "broken: names the missing interpreter" "$LOG" 'init=/sbin/broken cannot be used: its interpreter /no/such/shell is missing'

# rdinit=/sbin/modprobe (the link an image with modules has): the kernel
# starts us as /sbin/modprobe, and PID 1 must still be the init.
printf 'dir /sbin 0755 0 0\nslink /sbin/modprobe /init 0777 0 0\n' >"$WORK/modprobe.list"
INIT=$OUT/init "$BUILD/host/mkcpio" -c gzip -o "$WORK/modprobe.cpio.gz" tools/initramfs.list "$WORK/modprobe.list"
boot modprobe --initrd "$WORK/modprobe.cpio.gz" -- root=/dev/vda rdinit=/sbin/modprobe
booted modprobe
t_grep "modprobe: the kernel ran /sbin/modprobe" "$LOG" 'Run /sbin/modprobe as init process'
t_grep "modprobe: and it switched to the real init" "$LOG" 'handoff: starting /sbin/init'

# LOCKDOWN=1: init=/bin/sh is refused, saying how to change the list,
# and the boot goes on with the first listed init.
boot locked-sh --initrd "$LOCKED_INITRD" -- root=/dev/vda init=/bin/sh
booted locked-sh
t_grep "locked-sh: refuses init= outside the list" "$LOG" 'handoff: init=/bin/sh refused: this init was built with LOCKDOWN=1 and starts only /sbin/init /etc/init /bin/init /usr/lib/systemd/systemd /lib/systemd/systemd; trying those'
t_grep "locked-sh: says how to change the list" "$LOG" 'make LOCKDOWN=1 LOCKED_INITS='
t_grep "locked-sh: the listed init runs" "$LOG" '^rootfs: argv\[0\]=/sbin/init$'

# A root whose only init is /bin/sh: a locked image runs no shell; the
# failure policy applies (panic=-1: reboot at once).
img=$(disk only-sh)
debugfs -w -R 'rm /sbin/init' "$img" >"$WORK/debugfs.log" 2>&1 ||
	t_fail "only-sh: debugfs rm /sbin/init" "$(tail -3 "$WORK/debugfs.log")"
boot only-sh --timeout 30 --initrd "$LOCKED_INITRD" --disk "$img" -- root=/dev/vda init=/bin/sh panic=-1
no_panic only-sh
t_grep "only-sh: init=/bin/sh refused" "$LOG" 'handoff: init=/bin/sh refused'
t_grep "only-sh: no usable init" "$LOG" 'handoff: no usable init in the new root'
t_grep "only-sh: the hint names the locked list" "$LOG" 'this locked init starts only the paths above'
t_nogrep "only-sh: no shell started" "$LOG" 'handoff: starting /bin/sh|^rootfs: '
t_grep "only-sh: then the failure policy" "$LOG" 'boot failed: rebooting now \(panic=-1\)'

t_exit
