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

# Without mount.usr=: the /usr line of the root's /etc/fstab (systemd-fstab-generator's default).
# fstab_root NAME LINE: the sample root with that /etc/fstab (and the hook above).
fstab_root() {
	local dir=$WORK/fstab-$1
	mkdir -p "$dir/etc"
	printf '#!/bin/sh\n%s\n' "$hook" >"$dir/etc/rc.test"
	chmod 755 "$dir/etc/rc.test"
	printf '# <file system> <mount point> <type> <options> <dump> <pass>\nUUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 / ext4 errors=remount-ro 0 1\n%s\n' "$2" >"$dir/etc/fstab"
	BUILD=$BUILD tools/mkrootfs "$WORK/$1.img" "$dir" >"$dir.log" 2>&1 ||
		t_fail "$SCENARIO: mkrootfs $1" "$(tail -3 "$dir.log")"
}

fstab_root fstab 'UUID=0b1d2c3e-0000-4000-8000-000000000055	/usr	ext4	defaults,noatime,nofail,x-systemd.device-timeout=5	0	2'
boot fstab --disk "$WORK/fstab.img" --disk "$WORK/usr.img" -- root=/dev/vda
booted fstab
mounted fstab /dev/vdb /usr ext4 'ro,noatime.*'
t_grep "fstab: the real root sees the usr disk" "$LOG" '^usr: on the usr disk$'

fstab_root noauto 'LABEL=usr /usr ext4 noauto 0 2'
boot noauto --disk "$WORK/noauto.img" --disk "$WORK/usr.img" -- root=/dev/vda rd.debug
booted noauto
t_nogrep "noauto: /usr is left alone" "$LOG" '^rootfs: mount /dev/vdb /usr'
t_grep "noauto: and that is said" "$LOG" 'handoff: /sysroot/etc/fstab has /usr as noauto: not mounting it'

fstab_root cmdline-wins 'LABEL=nothing /usr ext4 defaults 0 2'
boot cmdline-wins --disk "$WORK/cmdline-wins.img" --disk "$WORK/usr.img" -- root=/dev/vda mount.usr=LABEL=usr
booted cmdline-wins
mounted cmdline-wins /dev/vdb /usr ext4 'ro,.*'

fstab_root fstab-bad 'tmpfs /usr tmpfs defaults 0 0'
boot fstab-bad --disk "$WORK/fstab-bad.img" -- root=/dev/vda panic=-1
t_grep "fstab-bad: a /usr that is no device is named" "$LOG" \
	'handoff: /usr in /sysroot/etc/fstab: tmpfs: handoff mounts /usr only from a block device'
t_grep "fstab-bad: with what to do" "$LOG" 'handoff: hint: fix the /usr line of /etc/fstab, or give mount.usr='
