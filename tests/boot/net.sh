# The network stage (NET=1, docs/net.md): rd.neednet with a disk root, so
# only the network is tested (the NFS mount is nfs.sh's): ip=dhcp from
# QEMU's user network (restrict=on: nothing leaves the machine), the static
# form, ip=off, no NIC, a NIC without a link, a network without a DHCP
# server; on aarch64 (its kernel has IP_PNP) the kernel's own ip=dhcp taken.
# The real root's hook shows the addresses, the routes, the host name and
# /run/handoff/net as the real system finds them.
. tests/boot/lib.sh
t_need socat || t_exit

NINITRD=$OUT/initramfs-net.cpio.gz
[ -f "$NINITRD" ] || { t_fail "$SCENARIO-inputs" "$NINITRD is missing: make NET=1 initramfs"; t_exit; }
# shellcheck disable=SC2054 # commas inside QEMU option values
SLIRP=(--qemu -netdev --qemu user,id=n0,restrict=on --qemu -device --qemu virtio-net-pci,netdev=n0,id=nic0)

# shellcheck disable=SC2016 # the real root's shell expands it
hook='ip -4 addr show | sed -n "s/^ *inet \([0-9./]*\) .* \([a-z0-9]*\)$/netaddr: \1 \2/p"
ip route | sed "s/^/netroute: /"
[ -f /run/handoff/net ] && sed "s/^/netrec: /" /run/handoff/net
echo "nethost: $(hostname)"'
with_hook "$WORK/root.img" "$hook"

# nboot NAME [boot options] -- APPEND: the -net image, the hook's root (a fresh copy).
nboot() {
	local name=$1
	shift
	cp --reflink=auto "$WORK/root.img" "$WORK/$name.img"
	boot "$name" --initrd "$NINITRD" --disk "$WORK/$name.img" "$@"
}

# nfault NAME [boot options] -- APPEND: a boot that must fail by name, PID 1
# alive, its policy said, the disk unchanged (tests/boot/faults.sh's checks).
nfault() {
	local name=$1 sum
	shift
	cp --reflink=auto "$WORK/root.img" "$WORK/$name.img"
	sum=$(sha256sum <"$WORK/$name.img")
	boot "$name" --initrd "$NINITRD" --disk "$WORK/$name.img" "$@" panic=-1
	no_panic "$name"
	t_grep "$name: PID 1 announced its policy" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	unchanged "$name: the disk is unchanged" "$WORK/$name.img" "$sum"
	t_nogrep "$name: no switch" "$LOG" '^rootfs: pid 1'
}

if [ "$ARCH" = x86_64 ]; then
	# ip=dhcp from slirp's DHCP server: 10.0.2.15/24 from server 10.0.2.2. With
	# restrict=on slirp offers no router and no DNS server (libslirp's bootp.c).
	nboot dhcp "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 ip=dhcp
	booted dhcp
	t_grep "dhcp: the real root has slirp's address on eth0" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'
	t_grep "dhcp: the record names the interface" "$LOG" "^netrec: DEVICE='eth0'$"
	t_grep "dhcp: and how" "$LOG" "^netrec: PROTO='dhcp'$"
	t_grep "dhcp: the address" "$LOG" "^netrec: IPV4ADDR='10\.0\.2\.15'$"
	t_grep "dhcp: the netmask" "$LOG" "^netrec: IPV4NETMASK='255\.255\.255\.0'$"
	t_grep "dhcp: no gateway offered" "$LOG" "^netrec: IPV4GATEWAY=''$"
	t_grep "dhcp: the server" "$LOG" "^netrec: ROOTSERVER='10\.0\.2\.2'$"
	t_grep "dhcp: the lease" "$LOG" "^netrec: LEASETIME='86400'$"
	t_grep "dhcp: pnp's protocol line" "$LOG" '^netrec: #PROTO: DHCP$'
	t_grep "dhcp: pnp's bootserver line" "$LOG" '^netrec: bootserver 10\.0\.2\.2$'
	t_grep "dhcp: the init says what it configured" "$LOG" 'handoff: network: eth0 is 10\.0\.2\.15/24 \(dhcp\)'

	# DHCP with ip='s GW and DNS0, which win over (here: fill in) the server's answer.
	nboot dhcp-fields "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 ip=::10.0.2.2::::dhcp:10.0.2.3
	booted dhcp-fields
	t_grep "dhcp-fields: the address from DHCP" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'
	t_grep "dhcp-fields: the default route from ip=" "$LOG" '^netroute: default via 10\.0\.2\.2 dev eth0'
	t_grep "dhcp-fields: the gateway recorded" "$LOG" "^netrec: IPV4GATEWAY='10\.0\.2\.2'$"
	t_grep "dhcp-fields: the DNS server from ip=" "$LOG" '^netrec: nameserver 10\.0\.2\.3$'

	# rd.neednet without ip=: DHCP, as dracut does.
	nboot default "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1
	booted default
	t_grep "default: DHCP without ip=" "$LOG" "^netrec: PROTO='dhcp'$"

	# The static form, with a host name and a DNS server; the interface named.
	nboot static "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 \
		ip=10.0.2.20::10.0.2.2:255.255.255.0:handoffvm:eth0:off:10.0.2.3
	booted static
	t_grep "static: the address given" "$LOG" '^netaddr: 10\.0\.2\.20/24 eth0$'
	t_grep "static: the default route" "$LOG" '^netroute: default via 10\.0\.2\.2 dev eth0'
	t_grep "static: the host name set" "$LOG" '^nethost: handoffvm$'
	t_grep "static: the record says so" "$LOG" "^netrec: PROTO='static'$"
	t_grep "static: #MANUAL, as the kernel's pnp" "$LOG" '^netrec: #MANUAL$'
	t_grep "static: the DNS server" "$LOG" '^netrec: nameserver 10\.0\.2\.3$'

	# A bad field is refused by name before anything is waited for.
	nfault bad-field "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 ip=10.0.2.20:::255.0.255.0
	t_grep "bad-field: names the field" "$LOG" \
		'handoff: root=/dev/vda: ip=: NETMASK \(field 4\) is not a netmask \(its ones are not contiguous\): 255\.0\.255\.0'

	# ip=off with rd.neednet: the two contradict; refused by name.
	nfault off "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 ip=off
	t_grep "off: says the contradiction" "$LOG" \
		'handoff: root=/dev/vda: ip=off leaves the network unconfigured, and rd.neednet asks for it: drop one of them'

	# No NIC at all: named, with what /sys/class/net has.
	nfault no-nic -- root=/dev/vda rd.neednet=1 rootwait=3
	t_grep "no-nic: names the step" "$LOG" 'handoff: network: no network interface appeared within 3 s'
	t_grep "no-nic: lists the interfaces" "$LOG" 'handoff: network interfaces in /sys/class/net: lo$'

	# An interface ip= names that is not there.
	nfault no-dev "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 rootwait=3 ip=:::::eth7:dhcp
	t_grep "no-dev: names it" "$LOG" "handoff: network: interface eth7 \(ip='s DEVICE\) never appeared within 3 s"
	t_grep "no-dev: lists the interfaces" "$LOG" 'handoff: network interfaces in /sys/class/net: .*eth0'

	# A NIC without a link: QEMU starts stopped (-S), its link is set down over
	# QMP, then it runs; the carrier never comes.
	# qmp SOCKET JSON...: sends QMP commands once the socket is there.
	qmp() {
		local sock=$1 _
		shift
		for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
		{ echo '{"execute":"qmp_capabilities"}'; for c in "$@"; do echo "$c"; done; sleep 1; } |
			socat - "UNIX-CONNECT:$sock" >>"$WORK/qmp.log" 2>&1
	}
	qmp "$WORK/nolink.qmp" '{"execute":"set_link","arguments":{"name":"nic0","up":false}}' \
		'{"execute":"cont"}' &
	nfault nolink --qmp "$WORK/nolink.qmp" --qemu -S "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 rootwait=4
	wait
	t_grep "nolink: names the step and the interface" "$LOG" 'handoff: network: no link \(carrier\) on eth0 within 4 s'

	# The link comes while the init waits for it: the event is heard, the boot goes on.
	(
		qmp "$WORK/late.qmp" '{"execute":"set_link","arguments":{"name":"nic0","up":false}}' '{"execute":"cont"}'
		wait_for "$WORK/late.raw" 'handoff: network: eth0 is up, waiting for its link' &&
			qmp "$WORK/late.qmp" '{"execute":"set_link","arguments":{"name":"nic0","up":true}}'
	) &
	nboot late --qmp "$WORK/late.qmp" --qemu -S "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 rootwait=60
	wait
	booted late
	t_grep "late: configured once the link came" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'

	# A link with no DHCP server: a hub with nothing else on it.
	nfault no-server --qemu -netdev --qemu hubport,id=n0,hubid=0 --qemu -device \
		--qemu virtio-net-pci,netdev=n0,id=nic0 -- root=/dev/vda rd.neednet=1 rootwait=5
	t_grep "no-server: says how long and how many DISCOVERs" "$LOG" \
		'handoff: DHCP on eth0: no answer within [56] s \([0-9]+ DISCOVERs sent\)'

	# Debian's cloud kernel: virtio_net is a module, loaded from the image
	# (NET=1 puts the common NICs' drivers in: handoff-modules -N) as its
	# device is coldplugged; the network stage waits for the interface.
	distro_kernel
	dimg=$OUT/initramfs-net-$DKVER.cpio.gz
	if ! flock "$OUT/.distro-image.lock" make -s initramfs NET=1 KVER="$DKVER" >"$WORK/dimg.log" 2>&1; then
		t_fail "distro: make initramfs NET=1 KVER=$DKVER" "$(tail -3 "$WORK/dimg.log")"
	fi
	cp "$dimg" "$WORK/dimg.cpio.gz"
	if zcat "$WORK/dimg.cpio.gz" | cpio -it 2>/dev/null | grep -q '/virtio_net\.ko$'; then
		t_ok "distro: the image carries virtio_net"
	else
		t_fail "distro: the image carries virtio_net" "not in $dimg"
	fi
	nboot distro --kernel "$DKERNEL" --initrd "$WORK/dimg.cpio.gz" --timeout 120 "${SLIRP[@]}" -- \
		root=/dev/vda rd.neednet=1 ip=dhcp
	booted distro
	t_grep "distro: configured by DHCP" "$LOG" 'handoff: network: eth0 is 10\.0\.2\.15/24 \(dhcp\)'
	t_grep "distro: the real root has the address" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'
else
	# aarch64's kernel has IP_PNP: ip=dhcp is the kernel's, taken as it is.
	only_on aarch64 -- "the kernel's own ip= (IP_PNP) is in the aarch64 test kernel only"
	nboot kernel "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1 ip=dhcp
	booted kernel
	t_grep "kernel: the kernel configured it" "$LOG" 'IP-Config: Complete'
	t_grep "kernel: taken, not redone" "$LOG" 'handoff: network: eth0 is 10\.0\.2\.15/24 \(kernel\)'
	t_grep "kernel: the record says so" "$LOG" "^netrec: PROTO='kernel'$"
	t_grep "kernel: with pnp's protocol" "$LOG" '^netrec: #PROTO: DHCP$'
	t_grep "kernel: the address" "$LOG" "^netrec: IPV4ADDR='10\.0\.2\.15'$"
	t_grep "kernel: the real root has it" "$LOG" '^netaddr: 10\.0\.2\.15/24 eth0$'

	# Without ip= the kernel configures nothing (its /proc/net/pnp is there, empty): the init's DHCP.
	nboot own "${SLIRP[@]}" -- root=/dev/vda rd.neednet=1
	booted own
	t_nogrep "own: the kernel did not configure it" "$LOG" 'IP-Config: Complete'
	t_grep "own: the init's DHCP did" "$LOG" 'handoff: network: eth0 is 10\.0\.2\.15/24 \(dhcp\)'
	t_grep "own: the record says so" "$LOG" "^netrec: PROTO='dhcp'$"
fi
t_exit
