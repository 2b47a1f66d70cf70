# Encrypted roots (the CRYPT=1 init): LUKS2 with Argon2id and with PBKDF2, LUKS1,
# aes-cbc-essiv; a passphrase typed on the console (wrong once, then
# right), a key file in the image and on a second disk found by its label;
# a damaged primary LUKS2 header, both headers damaged, a keyslot asking
# for more memory than the guest has; a detached header (in the image, on
# the key disk, a disk of its own, missing). The containers are made on the host
# by cryptsetup (offline encryption of the sample root), as a user would.
. tests/boot/lib.sh
. tests/boot/luks.inc
STORAGE_INIT=$OUT/init-crypt
. tests/boot/storage.inc
t_need cryptsetup mke2fs || t_exit
export PATH=$PATH:/sbin:/usr/sbin
ROOT_UUID=5e1f0c0d-7a6e-4d3b-9f00-68616e646f66	# the sample root's ext4 (tools/mkrootfs)
PASS='correct horse battery'
WRONG='not-the-passphrase'

# container NAME TYPE CRYPTSETUP-OPTION...: the sample root (or SRC) encrypted in
# place with PASS (LUKS1 by converting a LUKS2 container: the host has no
# device-mapper for cryptsetup to encrypt LUKS1 with). Costs kept small:
# every KDF runs under TCG. Prints the image; LUKS_UUID is its UUID.
container() {
	local name=$1 type=$2 img=$WORK/$1.img
	shift 2
	truncate -s 40M "$img"
	dd if="${SRC:-$ROOTFS}" of="$img" conv=notrunc status=none
	if ! printf '%s' "$PASS" | cryptsetup reencrypt --encrypt --type luks2 --reduce-device-size 16M \
		--batch-mode --key-file - "$@" "$img" >"$WORK/$name.cs.log" 2>&1; then
		t_fail "$SCENARIO: cryptsetup reencrypt --encrypt $*" "$(tail -3 "$WORK/$name.cs.log")"
		t_exit
	fi
	if [ "$type" = luks1 ] && ! cryptsetup convert --type luks1 --batch-mode "$img" >>"$WORK/$name.cs.log" 2>&1; then
		t_fail "$SCENARIO: cryptsetup convert --type luks1" "$(tail -3 "$WORK/$name.cs.log")"
		t_exit
	fi
	echo "$img"
}
uuid_of() { cryptsetup luksUUID "$1"; }

# No secret may reach the log: the console echo is off and nothing logs it.
no_secret() {
	t_nogrep "$1: the passphrase never shows" "$LOG" "$PASS|$WRONG"
}

PBKDF2=(--pbkdf pbkdf2 --pbkdf-force-iterations 1000)
ARGON=(--pbkdf argon2id --pbkdf-force-iterations 4 --pbkdf-memory 32768)

# LUKS2, Argon2id: the passphrase typed on the serial console, wrong once.
a2=$(container argon2 luks2 "${ARGON[@]}" --label cryptroot)
U=$(uuid_of "$a2")
img=$(image plain)
wrong_then_right() {
	type_at 'Passphrase for LUKS container' 1 "$WRONG"
	type_at 'Passphrase for LUKS container' 2 "$PASS"
}
typed argon2 wrong_then_right --initrd "$img" --disk "$a2" -- rd.luks.name="$U"=cryptroot root=/dev/mapper/cryptroot
booted argon2
t_grep "argon2: the prompt names the container" "$LOG" "Passphrase for LUKS container UUID=$U \\(LABEL=cryptroot, /dev/vda\\)"
t_grep "argon2: a wrong passphrase is said" "$LOG" "wrong passphrase \\(1 of 3 tries\\)"
t_grep "argon2: unlocked by the passphrase" "$LOG" "unlocked with a passphrase \\(keyslot 0, argon2id\\) in [0-9]+ ms"
t_grep "argon2: opened as rd.luks.name says" "$LOG" "is open as /dev/mapper/cryptroot \\(aes-xts-plain64\\)"
mounted argon2 /dev/mapper/cryptroot / ext4 'ro[,0-9a-z]*'
no_secret argon2

# LUKS2, PBKDF2: a key file in the image; the root by its filesystem UUID.
p2=$(container pbkdf2 luks2 "${PBKDF2[@]}")
U=$(uuid_of "$p2")
printf '%s' 'a key file, not a passphrase' >"$WORK/root.key"
printf '%s' "$PASS" | cryptsetup luksAddKey --batch-mode "${PBKDF2[@]}" --key-file - "$p2" "$WORK/root.key" \
	>"$WORK/addkey.log" 2>&1 || t_fail "$SCENARIO: luksAddKey" "$(tail -3 "$WORK/addkey.log")"
img=$(image keyed "$WORK/root.key:/etc/handoff/root.key")
boot keyfile --initrd "$img" --disk "$p2" -- rd.luks.uuid="$U" rd.luks.key=/etc/handoff/root.key root=UUID=$ROOT_UUID
booted keyfile
t_grep "keyfile: unlocked by the key file" "$LOG" "unlocked with the key file /etc/handoff/root.key \\(keyslot 1, pbkdf2\\) in [0-9]+ ms"
t_grep "keyfile: mapped as luks-UUID" "$LOG" "is open as /dev/mapper/luks-$U"
mounted keyfile /dev/dm-0 / ext4 'ro[,0-9a-z]*'	# root=UUID= found the mapping

# The rest takes the same code paths on every architecture; under TCG each
# boot costs a minute on the others, so they run on x86_64 only.
if [ "$ARCH" != x86_64 ]; then
	echo "# $SCENARIO on $ARCH: the Argon2id passphrase and PBKDF2 key file boots only"
	t_exit
fi

# The key file on a second disk, found by its label (a USB stick's role).
mkdir -p "$WORK/keys"
# The key inside a larger file: crypttab's keyfile-offset= and keyfile-size=.
{ printf '0123456789abcdef'; cat "$WORK/root.key"; printf 'trailing bytes'; } >"$WORK/keys/root.key"
truncate -s 8M "$WORK/keys.img"
mke2fs -q -t ext4 -L KEYS -d "$WORK/keys" "$WORK/keys.img" >"$WORK/keys.log" 2>&1 ||
	t_fail "$SCENARIO: mke2fs the key disk" "$(tail -2 "$WORK/keys.log")"
boot keydisk --initrd "$(image plain2)" --disk "$p2" --disk "$WORK/keys.img" -- rd.luks.uuid="$U" \
	rd.luks.key=/root.key:LABEL=KEYS rd.luks.options=keyfile-offset=16,keyfile-size=28 root=UUID=$ROOT_UUID
booted keydisk
t_grep "keydisk: unlocked by the key on LABEL=KEYS" "$LOG" "unlocked with the key file /root.key on LABEL=KEYS \\(keyslot 1, pbkdf2\\) in"
t_nogrep "keydisk: the key device is unmounted again" "$LOG" "cannot unmount the key device"

# A detached header (cryptsetup --header): the data disk is ciphertext from its
# first byte, the header a file in the image named by the crypttab's header=;
# then on the key disk, found by label, with rd.luks.data= naming the data.
dt=$WORK/detached.img
cp "$ROOTFS" "$dt"
rm -f "$WORK/detached.hdr"
if ! printf '%s' "$PASS" | cryptsetup reencrypt --encrypt --type luks2 --header "$WORK/detached.hdr" \
	--luks2-metadata-size 16k --luks2-keyslots-size 1m --batch-mode --key-file - "${PBKDF2[@]}" "$dt" \
	>"$WORK/detached.cs.log" 2>&1 ||
	! printf '%s' "$PASS" | cryptsetup luksAddKey --batch-mode "${PBKDF2[@]}" --key-file - \
		"$WORK/detached.hdr" "$WORK/root.key" >>"$WORK/detached.cs.log" 2>&1; then
	t_fail "$SCENARIO: cryptsetup reencrypt --encrypt --header" "$(tail -3 "$WORK/detached.cs.log")"
fi
DU=$(uuid_of "$WORK/detached.hdr")
printf 'cryptroot /dev/vda /etc/handoff/root.key luks,header=/etc/handoff/root.hdr\n' >"$WORK/crypttab.detached"
boot detached --initrd "$(image detached "$WORK/root.key:/etc/handoff/root.key" \
	"$WORK/detached.hdr:/etc/handoff/root.hdr" "$WORK/crypttab.detached:/etc/crypttab")" --disk "$dt" -- \
	root=/dev/mapper/cryptroot
booted detached
t_grep "detached: the header in the image opens the data disk" "$LOG" \
	"LUKS container /dev/vda \\(/dev/vda, header /etc/handoff/root.hdr\\): unlocked with the key file /etc/handoff/root.key \\(keyslot 1, pbkdf2\\)"
mounted detached /dev/mapper/cryptroot / ext4 'ro[,0-9a-z]*'
mkdir -p "$WORK/keys2"
cp "$WORK/root.key" "$WORK/detached.hdr" "$WORK/keys2/"
truncate -s 8M "$WORK/keys2.img"
mke2fs -q -t ext4 -L KEYS2 -d "$WORK/keys2" "$WORK/keys2.img" >"$WORK/keys2.log" 2>&1 ||
	t_fail "$SCENARIO: mke2fs the second key disk" "$(tail -2 "$WORK/keys2.log")"
sum=$(sha256sum <"$WORK/keys2.img")
boot hdrdisk --initrd "$(image plain9)" --disk "$dt" --disk "$WORK/keys2.img" -- rd.luks.uuid="$DU" \
	rd.luks.data="$DU"=/dev/vda rd.luks.options="$DU"=header=/detached.hdr:LABEL=KEYS2 \
	rd.luks.key=/root.key:LABEL=KEYS2 root=UUID=$ROOT_UUID
booted hdrdisk
t_grep "hdrdisk: the header on the key disk, the data by rd.luks.data=" "$LOG" \
	"LUKS container /dev/vda \\(/dev/vda, header /detached.hdr:LABEL=KEYS2\\): unlocked with the key file /root.key on LABEL=KEYS2"
t_nogrep "hdrdisk: the header device is detached again" "$LOG" "cannot unmount the (header|key) device"
unchanged "hdrdisk: nothing was written to the key disk" "$WORK/keys2.img" "$sum"
# The header on a disk of its own (header=/dev/vdb), waited for like the container.
printf 'cryptroot /dev/vda /etc/handoff/root.key luks,header=/dev/vdb\n' >"$WORK/crypttab.hdrdev"
boot hdrdev --initrd "$(image hdrdev "$WORK/root.key:/etc/handoff/root.key" \
	"$WORK/crypttab.hdrdev:/etc/crypttab")" --disk "$dt" --disk "$WORK/detached.hdr" -- root=/dev/mapper/cryptroot
booted hdrdev
t_grep "hdrdev: the header's own disk opens the data disk" "$LOG" \
	"LUKS container /dev/vda \\(/dev/vda, header /dev/vdb\\): unlocked with the key file /etc/handoff/root.key"
printf 'cryptroot /dev/vda /etc/handoff/root.key luks\n' >"$WORK/crypttab.noheader"
boot noheader --timeout 30 --initrd "$(image noheader "$WORK/root.key:/etc/handoff/root.key" \
	"$WORK/crypttab.noheader:/etc/crypttab")" --disk "$dt" -- root=/dev/mapper/cryptroot rootwait=5 panic=-1
no_panic noheader
t_grep "noheader: no header on the data disk, said" "$LOG" "LUKS container /dev/vda \\(/dev/vda\\) \\(crypttab=\\): "
t_grep "noheader: the hint names header=" "$LOG" "hint: check crypttab= against .*; a detached header is named by the option header="

# The passphrase typed on a second console (hvc0) while the serial one asks too.
on_hvc0() { type2_at 'Passphrase for LUKS container' 1 "$PASS"; }
typed2 console2 on_hvc0 --initrd "$(image plain7)" --disk "$p2" -- rd.luks.uuid="$U" root=UUID=$ROOT_UUID
booted console2
t_grep "console2: the serial console asks too" "$LOG" "Passphrase for LUKS container UUID=$U"
t_grep "console2: hvc0 asks" "$LOG2" "Passphrase for LUKS container UUID=$U"
t_grep "console2: unlocked from hvc0's line" "$LOG" "unlocked with a passphrase \\(keyslot 0, pbkdf2\\)"
no_secret console2
t_nogrep "console2: no echo on hvc0" "$LOG2" "$PASS"

# The way back (a stand-in for systemd, tests/boot/fakesd): at power-off
# the shutdown removes the mapping it recorded, after the root let go.
. tests/boot/shutdown.inc
root_with "$WORK/sdroot.img"
sd=$(SRC=$WORK/sdroot.img container sd luks2 "${PBKDF2[@]}")
U=$(uuid_of "$sd")
printf '%s' "$PASS" | cryptsetup luksAddKey --batch-mode "${PBKDF2[@]}" --key-file - "$sd" "$WORK/root.key" \
	>"$WORK/addkey2.log" 2>&1 || t_fail "$SCENARIO: luksAddKey" "$(tail -3 "$WORK/addkey2.log")"
boot way-back --initrd "$(image keyed4 "$WORK/root.key:/etc/handoff/root.key")" --disk "$sd" -- \
	rd.luks.name="$U"=cryptroot rd.luks.key=/etc/handoff/root.key root=/dev/mapper/cryptroot rw init=/sbin/fakesd
t_grep "way-back: the stand-in runs on the LUKS root" "$LOG" '^fakesd: mount /dev/mapper/cryptroot / ext4 rw[, ]'
t_grep "way-back: the shutdown starts" "$LOG" 'handoff: shutdown: back in the initramfs to poweroff'
t_grep "way-back: /dev/mapper/cryptroot is removed" "$LOG" 'handoff: shutdown: let go of .*dm:cryptroot'
no_panic way-back

# LUKS1 (converted from LUKS2 by cryptsetup), the passphrase right away.
l1=$(container luks1 luks1 "${PBKDF2[@]}")
U=$(uuid_of "$l1")
right() { type_at 'Passphrase for LUKS container' 1 "$PASS"; }
typed luks1 right --initrd "$(image plain3)" --disk "$l1" -- rd.luks.uuid="$U" root=/dev/mapper/luks-$U
booted luks1
t_grep "luks1: unlocked" "$LOG" "unlocked with a passphrase \\(keyslot 0, pbkdf2\\) in"
t_nogrep "luks1: no wrong passphrase" "$LOG" "wrong passphrase"
no_secret luks1

# aes-cbc-essiv:sha256, the other cipher cryptsetup users meet.
cb=$(container essiv luks2 "${PBKDF2[@]}" --cipher aes-cbc-essiv:sha256 --key-size 256)
U=$(uuid_of "$cb")
typed essiv right --initrd "$(image plain4)" --disk "$cb" -- rd.luks.uuid="$U" root=UUID=$ROOT_UUID
booted essiv
t_grep "essiv: open with its cipher" "$LOG" "is open as /dev/mapper/luks-$U \\(aes-cbc-essiv:sha256\\)"

# A damaged primary LUKS2 header: the secondary is used, and that is said.
dp=$WORK/damaged.img
cp "$p2" "$dp"
U=$(uuid_of "$dp")
printf 'XXXXXXXX' | dd of="$dp" bs=1 seek=5000 conv=notrunc status=none	# in the primary's JSON
sum=$(sha256sum <"$dp")
boot damaged --initrd "$(image keyed2 "$WORK/root.key:/etc/handoff/root.key")" --disk "$dp" -- rd.luks.uuid="$U" \
	rd.luks.key=/etc/handoff/root.key root=UUID=$ROOT_UUID
booted damaged
t_grep "damaged: says the primary header is damaged" "$LOG" "the primary LUKS2 header is damaged .*using the secondary copy"
unchanged "damaged: the init wrote nothing to the container" "$dp" "$sum"

# Both copies damaged: refused, named, PID 1 stays up.
printf 'XXXXXXXX' | dd of="$dp" bs=1 seek=$((16384 + 5000)) conv=notrunc status=none
boot bothdamaged --timeout 30 --initrd "$(image keyed3 "$WORK/root.key:/etc/handoff/root.key")" --disk "$dp" -- \
	rd.luks.uuid="$U" rd.luks.key=/etc/handoff/root.key root=UUID=$ROOT_UUID panic=-1
no_panic bothdamaged
t_grep "bothdamaged: refused, naming the container" "$LOG" "LUKS container UUID=$U \\(/dev/vda\\) \\(rd.luks.uuid=\\): "
t_grep "bothdamaged: the boot fails by policy" "$LOG" 'boot failed: rebooting now \(panic=-1\)'

# A keyslot wanting more memory than the guest has: refused with both numbers.
big=$(container bigmem luks2 --pbkdf argon2id --pbkdf-force-iterations 4 --pbkdf-memory 1048576)
U=$(uuid_of "$big")
typed bigmem right --timeout 40 --initrd "$(image plain5)" --disk "$big" -- rd.luks.uuid="$U" root=UUID=$ROOT_UUID panic=-1
no_panic bigmem
t_grep "bigmem: refused with the keyslot's memory and the machine's" "$LOG" "1048576 KiB.*[0-9]+ KiB"

# Nothing found: rd.luks.uuid= of no device waits, then names it.
boot absent --timeout 30 --initrd "$(image plain6)" -- rd.luks.uuid=00000000-1111-2222-3333-444444444444 \
	root=UUID=$ROOT_UUID rootdelay=2 panic=-1
no_panic absent
t_grep "absent: names the container it waited for" "$LOG" "LUKS container .*UUID=00000000-1111-2222-3333-444444444444.* did not appear within 2 s"

# An image without CRYPT=1 or STORAGE=1 refuses rd.luks by name rather than waiting for a root it cannot open.
boot nostorage --timeout 30 --disk "$p2" -- rd.luks.uuid="$(uuid_of "$p2")" root=UUID=$ROOT_UUID panic=-1
no_panic nostorage
t_grep "nostorage: says the image needs CRYPT=1 (or STORAGE=1)" "$LOG" "rd.luks.\\* and roothash= need an image built with CRYPT=1, rd.lvm.\\* and rd.md.\\* one with STORAGE=1 \\(it has all\\)"

# CRYPT=1 has no volumes: rd.lvm.* and rd.md.* are refused by name, not waited on.
boot novolumes --timeout 30 --initrd "$(image plain8)" --disk "$p2" -- rd.luks.uuid="$(uuid_of "$p2")" \
	rd.lvm.vg=vg0 root=UUID=$ROOT_UUID panic=-1
no_panic novolumes
t_grep "novolumes: says the image needs STORAGE=1" "$LOG" "rd.lvm.\\* and rd.md.\\* need an image built with STORAGE=1 \\(this one has CRYPT=1: LUKS and verity\\)"

# Debian's cloud kernel: dm_crypt, dm_mod and the ciphers are modules, in
# the image made by make initramfs KVER= LUKS= LUKS_KEYS=; the container
# named by the image's crypttab alone, no rd.luks word.
only_on x86_64 -- "Debian's cloud kernel is x86_64"
distro_kernel
printf 'cryptroot UUID=%s /etc/handoff/root.key luks\n' "$(uuid_of "$p2")" >"$WORK/crypttab"
dimg=$OUT/initramfs-crypt-$DKVER.cpio.gz
# distro_boot NAME IMAGE DISK: Debian's kernel with IMAGE, / the container's ext4 on DISK.
distro_boot() {
	boot "$1" --timeout 120 --kernel "$DKERNEL" --initrd "$2" --disk "$3" -- \
		root=/dev/mapper/cryptroot no_timer_check rd.debug
	booted "$1"
	mounted "$1" /dev/mapper/cryptroot / ext4 'ro[,0-9a-z]*'
}
if flock "$OUT/.distro-image.lock" make -s initramfs KVER="$DKVER" LUKS="$WORK/crypttab" \
	LUKS_KEYS="$WORK/root.key:/etc/handoff/root.key" >"$WORK/distro.make.log" 2>&1; then
	cp "$dimg" "$WORK/distro.cpio.gz"
	distro_boot distro "$WORK/distro.cpio.gz" "$p2"
	t_grep "distro: unlocked by the crypttab's key file" "$LOG" "unlocked with the key file /etc/handoff/root.key"
	t_grep "distro: dm_crypt loaded from the image" "$LOG" "loaded module dm.crypt"
else
	t_fail "distro: make initramfs KVER=$DKVER LUKS= LUKS_KEYS=" "$(tail -3 "$WORK/distro.make.log")"
fi

# A container whose data is in another cipher than AES (camellia, which
# this machine's cryptsetup encrypts without device-mapper; its keyslot in
# AES, which the init decrypts): make initramfs LUKS= reads its header
# (found by the crypttab's UUID= under HANDOFF_DEV, as /dev/disk/by-uuid)
# and takes camellia's modules, which the kernel's request_module finds
# through the image's crypto- aliases. Without them, the init names the
# cipher when the table load fails.
cam=$(container camellia luks2 "${PBKDF2[@]}" --cipher camellia-cbc-essiv:sha256 --key-size 256 \
	--keyslot-cipher aes-xts-plain64 --keyslot-key-size 512)
U=$(uuid_of "$cam")
printf '%s' "$PASS" | cryptsetup luksAddKey --batch-mode "${PBKDF2[@]}" --keyslot-cipher aes-xts-plain64 \
	--keyslot-key-size 512 --key-file - "$cam" "$WORK/root.key" >"$WORK/addkey2.log" 2>&1 ||
	t_fail "$SCENARIO: luksAddKey" "$(tail -3 "$WORK/addkey2.log")"
printf 'cryptroot UUID=%s /etc/handoff/root.key luks\n' "$U" >"$WORK/crypttab.camellia"
mkdir -p "$WORK/dev/disk/by-uuid"
ln -sf "$cam" "$WORK/dev/disk/by-uuid/$U"
# camimage FILE [VAR=VALUE...]: the image of that crypttab for Debian's kernel.
camimage() {
	local f=$1
	shift
	flock "$OUT/.distro-image.lock" env "$@" make -s initramfs KVER="$DKVER" LUKS="$WORK/crypttab.camellia" \
		LUKS_KEYS="$WORK/root.key:/etc/handoff/root.key" >"$f.log" 2>&1 && cp "$dimg" "$f"
}
if camimage "$WORK/camellia.cpio.gz" HANDOFF_DEV="$WORK/dev"; then
	t_grep "camellia: the image has camellia's modules" <(gzip -dc "$WORK/camellia.cpio.gz" | cpio -t --quiet 2>/dev/null) \
		'/camellia_generic\.ko$'
	distro_boot camellia "$WORK/camellia.cpio.gz" "$cam"
	t_grep "camellia: opened in its cipher" "$LOG" "is open as /dev/mapper/cryptroot \\(camellia-cbc-essiv:sha256\\)"
	t_grep "camellia: its module loaded by the kernel's request" "$LOG" "loaded module camellia"
else
	t_fail "camellia: make initramfs KVER=$DKVER LUKS= with the container here" "$(tail -3 "$WORK/camellia.cpio.gz.log")"
fi
if camimage "$WORK/nocamellia.cpio.gz" HANDOFF_DEV="$WORK/nodev"; then
	t_grep "nocamellia: a device not here is said" "$WORK/nocamellia.cpio.gz.log" "is not on this machine: its ciphers are not known"
	boot nocamellia --timeout 90 --kernel "$DKERNEL" --initrd "$WORK/nocamellia.cpio.gz" --disk "$cam" -- \
		root=/dev/mapper/cryptroot rootwait=5 no_timer_check panic=-1
	t_grep "nocamellia: the failed table names the cipher and the fix" "$LOG" \
		"cannot create /dev/mapper/cryptroot \\(camellia-cbc-essiv:sha256\\): .*the kernel lacks dm-crypt or that cipher"
else
	t_fail "nocamellia: make initramfs KVER=$DKVER LUKS= without the container" "$(tail -3 "$WORK/nocamellia.cpio.gz.log")"
fi
