# dm-verity roots (make initramfs CRYPT=1; once STORAGE=1): the sample root as the data
# device, its hash tree made by veritysetup format on a second disk. The
# right roothash= boots a read-only /dev/mapper/root; a wrong one refuses
# with both hashes shown; one flipped data block is the kernel's I/O error
# on read, with its "data block ... is corrupted" line; the tree on the
# data disk itself (hash-offset=); an unknown option refused by name; the
# way back removes the mapping at power-off; roothash= alone finds its
# GPT partitions by UUID, as systemd does.
. tests/boot/lib.sh
t_need veritysetup debugfs sfdisk || t_exit
export PATH=$PATH:/sbin:/usr/sbin
STORAGE_INITRD=$OUT/initramfs-crypt.cpio.gz
ALL_STORAGE_INITRD=$OUT/initramfs-storage.cpio.gz
for f in "$STORAGE_INITRD" "$ALL_STORAGE_INITRD"; do
	[ -f "$f" ] || { t_fail "verity-inputs" "$f is missing: make CRYPT=1 initramfs; make STORAGE=1 initramfs"; t_exit; }
done

# The data: the sample root (mke2fs -d, by tools/mkrootfs) with a file the
# real root's hook reads after the switch, through the verity mapping. Its
# blocks are 4096 bytes: ext4 cannot mount smaller ones on the mapping,
# whose logical blocks are verity's data blocks.
tree=$WORK/tree
mkdir -p "$tree/etc" "$tree/sbin"
cp tests/boot/fakesd "$tree/sbin/fakesd"	# for (f): systemd's way back
head -c 65536 /dev/urandom >"$tree/verity.bin"
cat >"$tree/etc/rc.test" <<'EOF'
#!/bin/sh
if cat /verity.bin >/dev/null; then echo "rootfs: verity.bin read"; else echo "rootfs: verity.bin unreadable"; fi
EOF
chmod 755 "$tree/etc/rc.test"
BUILD=$BUILD tools/mkrootfs -b 4096 "$WORK/data.img" "$tree" >"$WORK/mkrootfs.log" 2>&1 ||
	{ t_fail "verity: mkrootfs" "$(tail -3 "$WORK/mkrootfs.log")"; t_exit; }

# format DATA HASH [OPTION...]: veritysetup format; the root hash in ROOTHASH.
format() {
	local data=$1 hash=$2
	shift 2
	veritysetup format "$@" "$data" "$hash" >"$WORK/format.log" 2>&1 ||
		{ t_fail "verity: veritysetup format $*" "$(tail -3 "$WORK/format.log")"; t_exit; }
	ROOTHASH=$(sed -n 's/^Root hash:[[:space:]]*//p' "$WORK/format.log")
	[ -n "$ROOTHASH" ] || { t_fail "verity: veritysetup printed a root hash" "$(cat "$WORK/format.log")"; t_exit; }
}
format "$WORK/data.img" "$WORK/hash.img"
good=$ROOTHASH
data_sum=$(sha256sum <"$WORK/data.img")
hash_sum=$(sha256sum <"$WORK/hash.img")
devs=(systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb)

# (a) The right root hash: the root is /dev/mapper/root, read-only; the file reads back.
boot good --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" "${devs[@]}"
booted good
t_grep "good: the init mapped the verity root" "$LOG" 'handoff: verity: /dev/mapper/root maps /dev/vda \(data\) and /dev/vdb \(hash, sha256\)'
mounted good /dev/mapper/root / ext4 'ro[, ]'
t_grep "good: a file of the root reads through the mapping" "$LOG" '^rootfs: verity.bin read'
t_nogrep "good: no verity error" "$LOG" 'is corrupted|verity.bin unreadable'
unchanged "good: the data disk is unchanged" "$WORK/data.img" "$data_sum"
unchanged "good: the hash disk is unchanged" "$WORK/hash.img" "$hash_sum"
# The same root with the STORAGE=1 init: verity is in both builds.
boot good-storage --initrd "$ALL_STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" "${devs[@]}"
booted good-storage
mounted good-storage /dev/mapper/root / ext4 'ro[, ]'

# (b) A wrong root hash (its last digit changed): refused before mapping, both hashes shown.
last=${good: -1}
case $last in 0) wrong=${good%?}1 ;; *) wrong=${good%?}0 ;; esac
boot wrong --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$wrong" "${devs[@]}" panic=-1
no_panic wrong
t_grep "wrong: names the given hash and the device" "$LOG" "handoff: roothash=$wrong does not match the verity hash tree on /dev/vdb"
t_grep "wrong: shows the tree's root hash" "$LOG" "handoff: the tree's root hash is $good: refusing to boot"
t_nogrep "wrong: nothing was mapped or mounted" "$LOG" 'maps /dev/vda|^rootfs: pid'
t_grep "wrong: the failure policy ran" "$LOG" 'boot failed: rebooting now \(panic=-1\)'

# (c) One flipped byte in verity.bin's first block: the boot goes on (the
# tree's root is right), the read of that block fails with the kernel's message.
cp "$WORK/data.img" "$WORK/flipped.img"
bs=$(debugfs -R stats "$WORK/flipped.img" 2>/dev/null | sed -n 's/^Block size:[[:space:]]*//p')
blk=$(debugfs -R "bmap /verity.bin 0" "$WORK/flipped.img" 2>/dev/null)
if [ -z "$bs" ] || [ -z "$blk" ] || [ "$blk" -le 0 ]; then
	t_fail "flipped: found verity.bin's block" "block size '$bs', block '$blk'"
else
	off=$((bs * blk + 100))
	byte=$(od -An -tu1 -j "$off" -N1 "$WORK/flipped.img" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the one byte, as an octal escape
	printf "$(printf '\\%03o' $(((byte + 1) % 256)))" |
		dd of="$WORK/flipped.img" bs=1 seek="$off" conv=notrunc status=none
	boot flipped --initrd "$STORAGE_INITRD" --disk "$WORK/flipped.img" --disk "$WORK/hash.img" \
		-- roothash="$good" "${devs[@]}"
	booted flipped
	t_grep "flipped: the kernel names the corrupted data block" "$LOG" 'verity: [0-9]+:[0-9]+: data block [0-9]+ is corrupted'
	t_grep "flipped: the read fails (I/O error)" "$LOG" '^rootfs: verity.bin unreadable'
fi

# (d) The tree on the data disk, after the data (hash-offset=), with a flag the kernel takes.
cp "$WORK/data.img" "$WORK/one.img"
size=$(stat -c %s "$WORK/one.img")
format "$WORK/one.img" "$WORK/one.img" --hash-offset="$size"
boot one-disk --initrd "$STORAGE_INITRD" --disk "$WORK/one.img" \
	-- roothash="$ROOTHASH" systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vda \
	systemd.verity_root_options=hash-offset="$size",check-at-most-once
booted one-disk
mounted one-disk /dev/mapper/root / ext4 'ro[, ]'
t_grep "one-disk: a file of the root reads through the mapping" "$LOG" '^rootfs: verity.bin read'

# (f) The way back (a stand-in for systemd, tests/boot/fakesd): at power-off
# the mapping the boot recorded is removed once the old root is let go of.
boot way-back --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" "${devs[@]}" init=/sbin/fakesd
t_grep "way-back: the stand-in runs on the verity root" "$LOG" '^fakesd: mount /dev/mapper/root / ext4 ro[, ]'
t_grep "way-back: the shutdown starts" "$LOG" 'handoff: shutdown: back in the initramfs to poweroff'
t_grep "way-back: /dev/mapper/root is removed" "$LOG" 'handoff: shutdown: let go of .*dm:root'
no_panic way-back

# (g) roothash= alone, as systemd: the GPT partitions whose UUIDs are the
# root hash's first and last 128 bits hold the data and the tree.
uuid_of() { echo "${1:0:8}-${1:8:4}-${1:12:4}-${1:16:4}-${1:20:12}"; }
data_mib=$(($(stat -c %s "$WORK/data.img") / 1048576))
truncate -s $((data_mib + 4))M "$WORK/gpt.img"
sfdisk -q "$WORK/gpt.img" >"$WORK/sfdisk.log" 2>&1 <<EOF || t_fail "gpt: sfdisk" "$(tail -3 "$WORK/sfdisk.log")"
label: gpt
start=2048, size=$((data_mib * 2048)), uuid=$(uuid_of "$good")
size=2048, uuid=$(uuid_of "${good: -32}")
EOF
dd if="$WORK/data.img" of="$WORK/gpt.img" bs=1M seek=1 conv=notrunc status=none
dd if="$WORK/hash.img" of="$WORK/gpt.img" bs=512 seek=$((2048 + data_mib * 2048)) conv=notrunc status=none
boot gpt --initrd "$STORAGE_INITRD" --disk "$WORK/gpt.img" -- roothash="$good"
booted gpt
t_grep "gpt: the partitions named by the root hash are mapped" "$LOG" 'handoff: verity: /dev/mapper/root maps /dev/vda1 \(data\) and /dev/vda2 \(hash, sha256\)'
mounted gpt /dev/mapper/root / ext4 'ro[, ]'

# (e) An option handoff does not know is refused by its name.
boot bad-option --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" "${devs[@]}" systemd.verity_root_options=ignore-zero-blocks,frobnicate panic=-1
no_panic bad-option
t_grep "bad-option: names the option" "$LOG" 'systemd.verity_root_options=ignore-zero-blocks,frobnicate: frobnicate is not a verity option'
t_nogrep "bad-option: nothing was mounted" "$LOG" '^rootfs: pid'
t_exit
