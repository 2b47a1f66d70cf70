# dm-verity roots (make initramfs STORAGE=1): the sample root as the data
# device, its hash tree made by veritysetup format on a second disk. The
# right roothash= boots a read-only /dev/mapper/root; a wrong one refuses
# with both hashes shown; one flipped data block is the kernel's I/O error
# on read, with its "data block ... is corrupted" line; the tree on the
# data disk itself (hash-offset=); an unknown option refused by name.
. tests/boot/lib.sh
t_need veritysetup debugfs || t_exit
export PATH=$PATH:/sbin:/usr/sbin
STORAGE_INITRD=$OUT/initramfs-storage.cpio.gz
[ -f "$STORAGE_INITRD" ] || { t_fail "verity-inputs" "$STORAGE_INITRD is missing: make STORAGE=1 initramfs"; t_exit; }

# The data: the sample root (mke2fs -d, by tools/mkrootfs) with a file the
# real root's hook reads after the switch, through the verity mapping.
tree=$WORK/tree
mkdir -p "$tree/etc"
head -c 65536 /dev/urandom >"$tree/verity.bin"
cat >"$tree/etc/rc.test" <<'EOF'
#!/bin/sh
if cat /verity.bin >/dev/null; then echo "rootfs: verity.bin read"; else echo "rootfs: verity.bin unreadable"; fi
EOF
chmod 755 "$tree/etc/rc.test"
BUILD=$BUILD tools/mkrootfs "$WORK/data.img" "$tree" >"$WORK/mkrootfs.log" 2>&1 ||
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
DEVS="systemd.verity_root_data=/dev/vda systemd.verity_root_hash=/dev/vdb"

# (a) The right root hash: the root is /dev/mapper/root, read-only; the file reads back.
boot good --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" $DEVS
booted good
t_grep "good: the init mapped the verity root" "$LOG" 'handoff: verity: /dev/mapper/root maps /dev/vda \(data\) and /dev/vdb \(hash, sha256\)'
mounted good /dev/mapper/root / ext4 'ro[, ]'
t_grep "good: a file of the root reads through the mapping" "$LOG" '^rootfs: verity.bin read'
t_nogrep "good: no verity error" "$LOG" 'is corrupted|verity.bin unreadable'
unchanged "good: the data disk is unchanged" "$WORK/data.img" "$data_sum"
unchanged "good: the hash disk is unchanged" "$WORK/hash.img" "$hash_sum"

# (b) A wrong root hash (its last digit changed): refused before mapping, both hashes shown.
last=${good: -1}
case $last in 0) wrong=${good%?}1 ;; *) wrong=${good%?}0 ;; esac
boot wrong --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$wrong" $DEVS panic=-1
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
	printf "$(printf '\\%03o' $(((byte + 1) % 256)))" |
		dd of="$WORK/flipped.img" bs=1 seek="$off" conv=notrunc status=none
	boot flipped --initrd "$STORAGE_INITRD" --disk "$WORK/flipped.img" --disk "$WORK/hash.img" \
		-- roothash="$good" $DEVS
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

# (e) An option handoff does not know is refused by its name.
boot bad-option --initrd "$STORAGE_INITRD" --disk "$WORK/data.img" --disk "$WORK/hash.img" \
	-- roothash="$good" $DEVS systemd.verity_root_options=ignore-zero-blocks,frobnicate panic=-1
no_panic bad-option
t_grep "bad-option: names the option" "$LOG" 'systemd.verity_root_options=ignore-zero-blocks,frobnicate: frobnicate is not a verity option'
t_nogrep "bad-option: nothing was mounted" "$LOG" '^rootfs: pid'
t_exit
