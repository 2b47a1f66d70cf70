# /usr on its own filesystem (mount.usr=, systemd's parameter): mounted on
# the new root's /usr before the switch, so a merged-/usr root finds its
# init there; with root='s type, options and ro/rw unless
# mount.usrfstype= and mount.usrflags= say otherwise; failures named.
. tests/boot/lib.sh
t_need debugfs mke2fs || t_exit
export PATH=$PATH:/sbin:/usr/sbin

# The sample root's /usr on a disk of its own, with a marker; the root keeps an empty /usr.
mkdir -p "$WORK/usr" "$WORK/root"
debugfs -R "rdump /usr $WORK" "$ROOTFS" >"$WORK/rdump.log" 2>&1 ||
	t_fail "usr: copying the sample root's /usr" "$(tail -2 "$WORK/rdump.log")"
echo "on the usr disk" >"$WORK/usr/marker"
mke2fs -q -t ext4 -L usr -U 0b1d2c3e-0000-4000-8000-000000000055 -d "$WORK/usr" "$WORK/usr.img" 16M
hook='echo "usr: $(cat /usr/marker)"; echo "usr: $(ls /usr/bin | wc -l) in /usr/bin"'
with_hook "$WORK/root.img" "$hook"

boot label --disk "$WORK/root.img" --disk "$WORK/usr.img" -- root=/dev/vda mount.usr=LABEL=usr
booted label
mounted label /dev/vdb /usr ext4 'ro,.*'
t_grep "label: the real root sees the usr disk" "$LOG" '^usr: on the usr disk$'
t_grep "label: it says what it mounted" "$LOG" 'handoff: mounted /dev/vdb on /sysroot/usr as ext4 \(ro\)'

boot uuid-rw --disk "$WORK/root.img" --disk "$WORK/usr.img" -- \
	root=/dev/vda rw mount.usr=UUID=0b1d2c3e-0000-4000-8000-000000000055
booted uuid-rw
mounted uuid-rw /dev/vdb /usr ext4 'rw,.*'

boot flags --disk "$WORK/root.img" --disk "$WORK/usr.img" -- \
	root=/dev/vda rw mount.usr=/dev/vdb mount.usrfstype=ext4 mount.usrflags=ro,noatime
booted flags
mounted flags /dev/vdb /usr ext4 'ro,noatime.*'
mounted flags /dev/vda / ext4 'rw,.*'

# mount.usrflags= alone: /usr is root='s own device (systemd-fstab-generator's rule).
boot same --disk "$WORK/root.img" -- root=/dev/vda mount.usrflags=ro
booted same
mounted same /dev/vda /usr ext4 'ro,.*'

boot missing --disk "$WORK/root.img" -- root=/dev/vda mount.usr=LABEL=nothing rootwait=2 panic=-1
t_grep "missing: the wait names /usr" "$LOG" 'handoff: /usr device LABEL=nothing did not appear within 2 s'
t_grep "missing: and its parameter" "$LOG" 'handoff: hint: check mount\.usr= against the devices below'
t_nogrep "missing: no switch" "$LOG" '^rootfs: pid 1'

boot tmpfs --disk "$WORK/root.img" -- root=/dev/vda mount.usr=tmpfs panic=-1
t_grep "tmpfs: refused, named" "$LOG" 'handoff: mount.usr=tmpfs: must name a block device'

mkdir -p "$WORK/nousr/etc"
mke2fs -q -t ext4 -d "$WORK/nousr" "$WORK/nousr.img" 8M
boot no-dir --disk "$WORK/nousr.img" --disk "$WORK/usr.img" -- root=/dev/vda mount.usr=/dev/vdb panic=-1
t_grep "no-dir: a root without /usr is refused, nothing created" "$LOG" \
	'handoff: cannot mount /usr: the root has no /usr directory \(/sysroot/usr\)'
if debugfs -R 'stat /usr' "$WORK/nousr.img" 2>&1 | grep -q 'File not found'; then
	t_ok "no-dir: the root is left as it was"
else
	t_fail "no-dir: the root is left as it was" "a /usr appeared on it"
fi
