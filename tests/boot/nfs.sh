# NFS roots (NET=1, docs/nfs.md): a real server (nfs-ganesha, tests/boot/nfs.inc)
# serving the sample root, reached through QEMU's user network with
# restrict=on. NFSv4 and NFSv3 (its ports from rpcbind, or given), ip=dhcp
# and the static ip=, nfsroot= with options and rootflags=, dracut's
# root=nfs: and nfs4:, rd.overlay over the export; the failures (server
# down, one that comes within rootwait, a wrong export, no rpcbind, the
# DHCP server taken for the NFS server, a name for a server) each named
# with PID 1 alive and the export unchanged; the Debian cloud kernel with
# virtio_net and nfs loaded from the image.
. tests/boot/lib.sh
only_on x86_64 -- "the NFS scenarios run on x86_64 (the aarch64 kernel's own ip= is net.sh's)"
. tests/boot/nfs.inc

NINITRD=$OUT/initramfs-net.cpio.gz
LINITRD=$OUT/initramfs-layers-net.cpio.gz
for f in "$NINITRD" "$LINITRD"; do
	[ -f "$f" ] || { t_fail "$SCENARIO-inputs" "$f is missing: make initramfs NET=1 and NET=1 LAYERS=1"; t_exit; }
done

# The real root's hook: the address, the record, and (on a writable root) a write.
hook='ip -4 addr show | sed -n "s/^ *inet \([0-9./]*\) .* \([a-z0-9]*\)$/netaddr: \1 \2/p"
[ -f /run/handoff/net ] && sed "s/^/netrec: /" /run/handoff/net
sed -n "s/^\(virtio_net\|nfs\|nfsv4\) .*/netmod: \1/p" /proc/modules
if echo written >/nfs-write-test 2>/dev/null; then echo "nfswrite: ok $(cat /nfs-write-test)"; else echo "nfswrite: refused"; fi'
with_hook "$WORK/hook.img" "$hook"
nfs_tree "$WORK/hook.img"
rm -f "$NFS_DIR/root/nfs-write-test"
nfs_ns_start
nfs_server_start
nfs_no_listener

# export_sum: what the export holds (names, modes, contents).
export_sum() {
	(cd "$NFS_DIR/root" && find . -printf '%p %m %s\n' | sort && find . -type f -exec sha256sum {} + | sort) |
		sha256sum
}

# nboot NAME [boot options] -- APPEND: the -net image, no disk, the server's network.
nboot() {
	local name=$1
	shift
	boot "$name" --no-disk --initrd "$NINITRD" --timeout 90 "$@"
}

# nfault NAME [boot options] -- APPEND: fails by name, PID 1 alive, its policy
# said, the export unchanged (tests/boot/faults.sh's checks).
nfault() {
	local name=$1 sum
	shift
	sum=$(export_sum)
	nboot "$name" "$@" panic=-1
	no_panic "$name"
	t_grep "$name: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	t_nogrep "$name: no switch" "$LOG" '^rootfs: pid 1'
	if [ "$(export_sum)" = "$sum" ]; then t_ok "$name: the export is unchanged"; else
		t_fail "$name: the export is unchanged" "$NFS_DIR/root changed"
	fi
}

# NFSv4 over DHCP: read-only, the interface left configured, the record there.
nboot v4-dhcp "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/root,vers=4 ip=dhcp
booted v4-dhcp
mounted v4-dhcp '10\.0\.2\.100:/srv/root' / nfs4 'ro,.*vers=4'
t_grep "v4-dhcp: says what it mounts" "$LOG" \
	'handoff: NFS root 10\.0\.2\.100:/srv/root \(nfs4, proto=tcp,vers=4,addr=10\.0\.2\.100\) via eth0'
t_grep "v4-dhcp: read-only" "$LOG" '^nfswrite: refused'
t_grep "v4-dhcp: the real root still has the address" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'
t_grep "v4-dhcp: /run/handoff/net names the interface" "$LOG" "^netrec: DEVICE='eth0'$"

# NFSv3, the static form: the server is ip='s SERVER, the ports come from rpcbind.
nboot v3-static "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=/srv/root \
	ip=10.0.2.30:10.0.2.100::255.255.255.0::eth0:off
booted v3-static
mounted v3-static '10\.0\.2\.100:/srv/root' / nfs 'ro,.*vers=3,.*nolock,.*port=2049,.*mountport=20048'
t_grep "v3-static: the static address kept" "$LOG" '^netaddr: 10\.0\.2\.30/24 eth0$'
t_grep "v3-static: the record says static" "$LOG" "^netrec: PROTO='static'$"

# nfsroot= with options and rootflags=, rw: no rpcbind needed with port= and mountport=.
nboot v3-options "${NFS_NET_NO_RPCBIND[@]}" -- root=/dev/nfs rw rootflags=nosuid \
	nfsroot=10.0.2.100:/srv/root,vers=3,port=2049,mountport=20048,noatime,timeo=50 ip=dhcp
booted v3-options
mounted v3-options '10\.0\.2\.100:/srv/root' / nfs 'rw,nosuid,noatime,.*vers=3,.*timeo=50'
t_grep "v3-options: the real root writes" "$LOG" '^nfswrite: ok written'
if [ "$(cat "$NFS_DIR/root/nfs-write-test" 2>/dev/null)" = written ]; then t_ok "v3-options: the write is on the server"; else
	t_fail "v3-options: the write is on the server" "no $NFS_DIR/root/nfs-write-test"
fi
rm -f "$NFS_DIR/root/nfs-write-test"

# dracut's forms.
nboot dracut-nfs "${NFS_NET[@]}" -- root=nfs:10.0.2.100:/srv/root:vers=3 ip=dhcp
booted dracut-nfs
mounted dracut-nfs '10\.0\.2\.100:/srv/root' / nfs 'ro,.*vers=3'
nboot dracut-nfs4 "${NFS_NET[@]}" -- root=nfs4:10.0.2.100:/srv/root ip=dhcp
booted dracut-nfs4
mounted dracut-nfs4 '10\.0\.2\.100:/srv/root' / nfs4 'ro,'

# nfsroot= alone: an NFS root, as the kernel takes it (no GPT auto-discovery).
nboot nfsroot-alone "${NFS_NET[@]}" -- nfsroot=10.0.2.100:/srv/root,vers=4 ip=dhcp
booted nfsroot-alone
mounted nfsroot-alone '10\.0\.2\.100:/srv/root' / nfs4 'ro,'

# rd.overlay over the export: the real root writes into RAM, the export stays as it was.
sum=$(export_sum)
boot overlay --no-disk --initrd "$LINITRD" --timeout 90 "${NFS_NET[@]}" -- \
	root=nfs4:10.0.2.100:/srv/root rd.overlay ip=dhcp
booted overlay
mounted overlay overlay / overlay 'rw'
t_grep "overlay: the real root writes" "$LOG" '^nfswrite: ok written'
if [ "$(export_sum)" = "$sum" ]; then t_ok "overlay: the export is unchanged"; else
	t_fail "overlay: the export is unchanged" "$NFS_DIR/root changed"
fi

# ---- failures ----

# The server down: retried until rootwait=, then named.
nfs_server_stop
nfault down "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/root,vers=4 ip=dhcp rootwait=6
t_grep "down: notes the wait" "$LOG" 'handoff: waiting for the NFS server of 10\.0\.2\.100:/srv/root \(NFS v4 on port 2049'
t_grep "down: names the step, interface, server, port and the wait" "$LOG" \
	'handoff: cannot mount the NFS root 10\.0\.2\.100:/srv/root via eth0: the server 10\.0\.2\.100 did not answer NFS v4 on port 2049 within [67] s, [0-9]+ tries \('
t_grep "down: says what to do" "$LOG" \
	'hint: is the NFS server running on 10\.0\.2\.100 and exporting /srv/root to this client\? rootwait=SECONDS waits longer'

# The server comes while the init waits: the boot goes on.
(wait_for "$WORK/late.raw" 'handoff: NFS root 10\.0\.2\.100' && sleep 2 && nfs_server_start) &
starter=$!
nboot late "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/root,vers=4 ip=dhcp rootwait=60
wait $starter
NFS_PID=$(cat "$NFS_DIR/ganesha.pid" 2>/dev/null)
booted late
t_grep "late: mounted after more than one try" "$LOG" 'handoff: mounted the NFS root 10\.0\.2\.100:/srv/root on /sysroot \(nfs4\) after [0-9]+ ms, ([2-9]|[1-9][0-9]+) tries'
in_ns ss -ltn | grep -q ':2049 ' || nfs_server_start

# A path the server does not export, NFSv4 and NFSv3: at once, not retried.
nfault wrong-v4 "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/nope,vers=4 ip=dhcp
t_grep "wrong-v4: names the export" "$LOG" \
	'handoff: cannot mount the NFS root 10\.0\.2\.100:/srv/nope via eth0: the server 10\.0\.2\.100 does not export /srv/nope to this client \('
t_grep "wrong-v4: one try" "$LOG" 'hint: check the export on 10\.0\.2\.100'
nfault wrong-v3 "${NFS_NET[@]}" -- root=nfs:10.0.2.100:/srv/nope ip=dhcp
t_grep "wrong-v3: names the export" "$LOG" \
	'handoff: cannot mount the NFS root 10\.0\.2\.100:/srv/nope via eth0: the server 10\.0\.2\.100 does not export /srv/nope to this client \('

# NFSv3 without port= and mountport=, and no rpcbind to ask.
nfault no-rpcbind "${NFS_NET_NO_RPCBIND[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/root ip=dhcp rootwait=4
t_grep "no-rpcbind: names rpcbind's port" "$LOG" \
	'handoff: cannot mount the NFS root 10\.0\.2\.100:/srv/root via eth0: the server 10\.0\.2\.100 did not answer rpcbind on port 111 within'
t_grep "no-rpcbind: says what to give" "$LOG" 'hint: NFSv3 asks rpcbind on 10\.0\.2\.100 .* give port=NFS_PORT,mountport=MOUNTD_PORT'

# mountd's port wrong (NFS's given for it): the program is not there, said at once.
nfault wrong-port "${NFS_NET_NO_RPCBIND[@]}" -- root=/dev/nfs \
	nfsroot=10.0.2.100:/srv/root,vers=3,port=2049,mountport=2049 ip=dhcp
t_grep "wrong-port: names the service and the port" "$LOG" \
	'handoff: cannot mount the NFS root 10\.0\.2\.100:/srv/root via eth0: the server 10\.0\.2\.100 has no mountd v3 on port 2049'
t_grep "wrong-port: says what to fix" "$LOG" 'hint: port 2049 answers RPC, but not for mountd v3: fix port= or mountport= in nfsroot='

# dracut's root=nfs: without a server: DHCP's server (slirp's 10.0.2.2) is asked.
nfault dhcp-server "${NFS_NET[@]}" -- root=nfs:/srv/root:vers=4 ip=dhcp rootwait=3
t_grep "dhcp-server: the server is DHCP's" "$LOG" 'the server 10\.0\.2\.2 did not answer NFS v4 on port 2049'

# A name for the server: refused by name, before any wait.
nfault name "${NFS_NET[@]}" -- root=/dev/nfs nfsroot=nfs.example:/srv/root ip=dhcp
t_grep "name: says why" "$LOG" 'nfsroot=nfs\.example:/srv/root: SERVER must be an IPv4 address'

# ---- the Debian cloud kernel: virtio_net and the NFS client from the image ----
distro_kernel
DIMG=$OUT/initramfs-net-$DKVER.cpio.gz
if flock "$OUT/.distro-image.lock" make -s initramfs NET=1 KVER="$DKVER" >"$WORK/distro-image.log" 2>&1; then
	cp "$DIMG" "$WORK/distro.cpio.gz"
	t_ok "make initramfs NET=1 KVER=$DKVER"
	boot distro --kernel "$DKERNEL" --initrd "$WORK/distro.cpio.gz" --no-disk --timeout 120 --mem 512 \
		"${NFS_NET[@]}" -- root=/dev/nfs nfsroot=10.0.2.100:/srv/root,vers=4 ip=dhcp rd.debug
	booted distro
	mounted distro '10\.0\.2\.100:/srv/root' / nfs4 'ro,'
	t_grep "distro: virtio_net loaded from the image" "$LOG" '^netmod: virtio_net$'
	t_grep "distro: the NFS client loaded from the image" "$LOG" '^netmod: nfsv4$'
	t_grep "distro: the driver loaded by the init" "$LOG" 'handoff: loaded module virtio_net '
	t_grep "distro: the client loaded by the init, once" "$LOG" 'handoff: loaded module nfsv4 '
	[ "$(grep -c 'handoff: loaded module sunrpc ' "$LOG")" = 1 ] && t_ok "distro: sunrpc loaded once" ||
		t_fail "distro: sunrpc loaded once" "$(grep -c 'handoff: loaded module sunrpc ' "$LOG") times"
	t_grep "distro: the interface configured" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'
	# Coldplug stops at the interface: the IDE controller's drivers are the real system's.
	t_grep "distro: coldplug stopped at the network's interface" "$LOG" \
		"handoff: the root network's interface is there: not loading [0-9]+ more drivers \\(ata_piix"
else
	t_fail "make initramfs NET=1 KVER=$DKVER" "$(tail -3 "$WORK/distro-image.log")"
fi
nfs_no_listener
t_exit
