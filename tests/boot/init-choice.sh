# init=: used when it is usable, else the kernel's fallback list, all
# checked inside the new root before the switch.
. tests/boot/lib.sh

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

t_exit
