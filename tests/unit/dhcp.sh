#!/bin/bash
# The DHCP exchange and rtnetlink (init/net/dhcp.c, init/net/rtnl.c) on the
# host's kernel, in a network namespace of their own (nothing reaches the
# host's network): a veth pair, the client on v0 with no address, a server
# on v1 (10.9.0.1/24, in a second namespace) that NAKs the first REQUEST (test_dhcp --exchange).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

BUILD=${BUILD:-build}
t_need unshare nsenter ip || t_exit
if ! make -s "$BUILD/host/test_dhcp" >/tmp/dhcp-build-$$.log 2>&1; then
	t_fail "dhcp: build test_dhcp" "$(tail -3 /tmp/dhcp-build-$$.log)"
	rm -f /tmp/dhcp-build-$$.log
	t_exit
fi
rm -f /tmp/dhcp-build-$$.log
if ! unshare -n true 2>/dev/null; then
	t_fail "dhcp: a network namespace" "unshare -n failed: run as root (the exchange needs its own network)"
	t_exit
fi
# The server's end goes to a second namespace (a sleeping unshare holds it).
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -n sh -c 'ip link add v0 type veth peer name v1 && ip link set lo up || exit 1
	unshare -n sleep 60 &
	holder=$!
	me=$(readlink /proc/self/ns/net)
	i=0
	while [ "$(readlink /proc/$holder/ns/net)" = "$me" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	ip link set v1 netns $holder &&
		nsenter -t $holder -n sh -c "ip addr add 10.9.0.1/24 dev v1 && ip link set v1 up" || exit 1
	"$1" --exchange v0 v1 /proc/$holder/ns/net
	rc=$?
	kill $holder
	exit $rc' sh "$BUILD/host/test_dhcp" 2>/dev/null
