#!/bin/bash
# The LVM reader (init/lvm/) on physical volumes lvm2 itself made: the
# first MiB (label, metadata area, text) of tools/mkstorage's disks, made
# in a guest by pvcreate, vgcreate and lvcreate (Debian 12's lvm2
# 2.03.16), kept in tests/unit/lvm/ (xz). build/host/test_lvm DIR parses
# each; handoff-probe lvm reads them as the init would, and its VGs, LVs,
# refusals, dm names, dm uuids (as lvm2 set them: mkstorage's names) and
# tables are checked. Run from the repository root.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

BUILD=${BUILD:-build}
t_need xz || t_exit
for b in test_lvm handoff-probe; do
	make -s "$BUILD/host/$b" >/dev/null 2>&1 || t_fail "build-$b" "make $BUILD/host/$b failed"
done
[ "$T_FAILED" = 0 ] || t_exit
W=$(mktemp -d /tmp/lvm-test.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
for f in tests/unit/lvm/*.pv.xz; do
	xz -dc "$f" >"$W/$(basename "$f" .xz)" || t_fail "unpack $f" "xz -d failed"
done

"$BUILD/host/test_lvm" "$W" || T_FAILED=1

# probe NAME FILE...: handoff-probe lvm's view in $W/NAME.out.
probe() {
	local name=$1
	shift
	if (cd "$W" && "$OLDPWD/$BUILD/host/handoff-probe" lvm "$@") >"$W/$name.out" 2>&1; then
		t_ok "$name: handoff-probe lvm reads lvm2's PVs"
	else
		t_fail "$name: handoff-probe lvm reads lvm2's PVs" "$(tail -2 "$W/$name.out")"
	fi
}

# vg0 (lvcreate root, other, a thin pool and a thin LV): the ids lvm2 gave.
probe linear linear.pv
t_grep "linear: label in sector 1, one area" "$W/linear.out" '^PV=linear.pv PV_UUID=Jg62gR-x6yV-xVvU-JGGn-wFpN-2pCg-SQJ3jB LABEL_SECTOR=1 DEV_SIZE=67108864 MDAS=1$'
t_grep "linear: the newest text read (seqno 8, wrapped past earlier commits)" "$W/linear.out" '^MDA1=4096 VG=vg0 SEQNO=8 TEXT=2841$'
t_grep "linear: vg0 and its ids" "$W/linear.out" '^VG=vg0 VG_UUID=SjchTz-LueA-0YNS-W1MV-7KDb-ZTgH-JnVHCx SEQNO=8 EXTENT_SIZE=8192 PVS=1 LVS=7$'
t_grep "linear: root's dm uuid as lvm2 sets it" "$W/linear.out" '^LV=root DM_NAME=vg0-root DM_UUID=LVM-SjchTzLueA0YNSW1MV7KDbZTgHJnVHCxdC1fqCICq3Ff1VMTyyqhn4MrEFcxewTQ SEGMENTS=1 EXTENTS=5 KIND=linear'
t_grep "linear: root's table" "$W/linear.out" '^TABLE vg0-root 0 40960 linear pv0 2048$'
t_grep "linear: other's table after root's extents" "$W/linear.out" '^TABLE vg0-other 0 16384 linear pv0 43008$'
t_grep "linear: the thin LV refused by its type" "$W/linear.out" '^LV=thin .* REFUSED="its segment type thin is not supported here"$'
t_grep "linear: the pool refused by its type" "$W/linear.out" '^LV=pool .* REFUSED="its segment type thin-pool is not supported here"$'
t_grep "linear: the pool's components are hidden" "$W/linear.out" '^LV=pool_tdata .* REFUSED="it is a hidden component of another logical volume"$'
t_grep "linear: so is the spare" "$W/linear.out" '^LV=lvol0_pmspare .* REFUSED="it is a hidden component'

# vgs (lvcreate -i2 -I64): both PVs, the stripes' chunk 64 KiB.
probe striped striped-0.pv striped-1.pv
t_grep "striped: both PVs found" "$W/striped.out" '^VG_PV=pv1 .* FILE=striped-1.pv$'
t_grep "striped: the striped table" "$W/striped.out" '^TABLE vgs-root 0 49152 striped 2 128 pv0 2048 pv1 2048$'

# vgm: root spans two PVs, one of them here.
probe missing missing-0.pv
t_grep "missing: the other PV is missing" "$W/missing.out" '^VG_PV=pv1 PV_UUID=XLsiQ1-yMwm-Nxp4-0pzN-a8KH-yw7U-pITL2l DEVICE=/dev/vdh PE_START=2048 PE_COUNT=3 MISSING$'
t_grep "missing: root in two segments, one per PV" "$W/missing.out" '^TABLE vgm-root 24576 16384 linear pv1 2048$'

probe luks-on-lvm luks-on-lvm.pv
t_grep "luks-on-lvm: LV crypt" "$W/luks-on-lvm.out" '^LV=crypt DM_NAME=vgc-crypt DM_UUID=LVM-WeCBTuC7xTj3zKUEWQDGS4iGHCssiPKako29IXZ1ip9kfxeiFLQ9wO9wgUXMSrUd '

# Damage: one byte of the text, of the area header, of the label.
cp "$W/linear.pv" "$W/bad.pv"
printf 'X' | dd of="$W/bad.pv" bs=1 seek=$((4096 + 14336 + 100)) conv=notrunc status=none
(cd "$W" && "$OLDPWD/$BUILD/host/handoff-probe" lvm bad.pv) >"$W/bad-text.out" 2>&1
t_grep "a changed text byte: its checksum fails" "$W/bad-text.out" '^MDA1=4096 ERROR="the metadata text at byte 18432 has a wrong checksum"$'
cp "$W/linear.pv" "$W/bad.pv"
printf 'X' | dd of="$W/bad.pv" bs=1 seek=$((512 + 100)) conv=notrunc status=none
(cd "$W" && "$OLDPWD/$BUILD/host/handoff-probe" lvm bad.pv) >"$W/bad-label.out" 2>&1
t_grep "a changed label byte: its checksum fails" "$W/bad-label.out" 'the LVM label in sector 1 has a wrong checksum'
t_exit
