# A disk that arrives seconds after boot (PCI hot-plug through the QEMU
# monitor): found on its uevent, with rootwait and within the default wait.
. tests/boot/lib.sh
t_need socat || t_exit

# qmp SOCKET JSON...: sends QMP commands after the greeting.
qmp() {
	local sock=$1
	shift
	{ echo '{"execute":"qmp_capabilities"}'; for c in "$@"; do echo "$c"; done; sleep 1; } |
		socat - "UNIX-CONNECT:$sock" >>"$WORK/qmp.log" 2>&1
}

# plug NAME DELAY -- APPEND: boots with no disk, adds the root disk DELAY s
# after the init first says it is waiting for it.
plug() {
	local name=$1 delay=$2 img sock=$WORK/$1.qmp
	shift 3
	img=$(disk "$name")
	(
		for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
		# Plug once the init says it is waiting, not after a fixed time: a
		# busy host can take longer than that to get the guest there.
		for _ in $(seq 1800); do
			grep -q 'handoff: waiting for root device' "$WORK/$name.raw" 2>/dev/null && break
			sleep 0.1
		done
		sleep "$delay"
		qmp "$sock" \
			"{\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"raw\",\"node-name\":\"hp\",\"file\":{\"driver\":\"file\",\"filename\":\"$img\"}}}" \
			'{"execute":"device_add","arguments":{"driver":"virtio-blk-pci","drive":"hp","id":"hp"'"$HP_BUS"'}}'
	) &
	boot "$name" --no-disk --qmp "$sock" -- "$@"
	wait
}

plug rootwait 1 -- root=UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 rootwait
booted rootwait
t_grep "rootwait: it waited, saying so" "$LOG" 'handoff: waiting for root device UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66 \([0-9]+ s so far; rootwait: waiting forever\)'
t_grep "rootwait: then found the hot-plugged disk" "$LOG" 'handoff: mounted /dev/vd[a-z] on /sysroot as ext4'
# From the kernel's first word of the new disk to our mount: no polling delay.
ms=$(awk '/\[vda\]/ && !t { s = $0; sub(/^[^[]*\[ */, "", s); sub(/\].*/, "", s); t = s }
	/handoff: mounted/ { s = $0; sub(/^[^[]*\[ */, "", s); sub(/\].*/, "", s); m = s }
	END { if (t != "" && m != "") printf "%d", (m - t) * 1000 }' "$LOG")
if [ -n "$ms" ] && [ "$ms" -lt 250 ]; then t_ok "rootwait: mounted ${ms} ms after the disk appeared"
else t_fail "rootwait: mounted soon after the disk appeared" "${ms:-?} ms"; fi

plug default 1 -- root=/dev/vda
booted default
t_grep "default: waited within the default bound" "$LOG" 'handoff: waiting for root device /dev/vda \([0-9]+ s of 30 s\)'
mounted default /dev/vda / ext4 'ro'

t_exit
