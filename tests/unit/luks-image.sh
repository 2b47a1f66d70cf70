#!/bin/bash
# The image side of LUKS roots: make initramfs LUKS=CRYPTTAB puts it in
# as /etc/crypttab with the CRYPT=1 init; LUKS_KEYS= adds key files
# (mode 0400, the image 0600); a key file the crypttab names that the
# image lacks is refused; with a modules directory, dm_crypt and its
# ciphers come along (handoff-modules -L); tools/host-crypttab finds the
# LUKS mappings under this machine's root (MODULES=host) in a described
# sysfs: LUKS alone takes the CRYPT=1 init, LVM, md or resume= the
# STORAGE=1 one. A private BUILD holds copies of the built inits and tools.
. tests/lib.sh
BUILD=${BUILD:-build}
t_need cpio gzip || t_exit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! nice make -s STORAGE=1 "$BUILD/host/mkcpio" "$BUILD/host/handoff-modules" >"$tmp/build.log" 2>&1 ||
	! nice make -s STORAGE=1 >>"$tmp/build.log" 2>&1 || ! nice make -s CRYPT=1 >>"$tmp/build.log" 2>&1; then
	t_fail "build the CRYPT=1 and STORAGE=1 inits and the tools" "$(tail -3 "$tmp/build.log")"
	t_exit
fi
b=$tmp/build
mkdir -p "$b/x86_64" "$b/host"
# With their times, so that nothing is rebuilt in b.
cp -a "$BUILD/x86_64/init-storage" "$BUILD/x86_64/obj-storage" "$BUILD/x86_64/settings-storage" \
	"$BUILD/x86_64/init-crypt" "$BUILD/x86_64/obj-crypt" "$BUILD/x86_64/settings-crypt" "$b/x86_64/"
cp -a "$BUILD/host/mkcpio" "$BUILD/host/handoff-modules" "$b/host/"
mk() { make -s BUILD="$b" initramfs "$@" >"$tmp/make.log" 2>&1; }
# extract IMAGE PATH: the file PATH of the image on standard output.
extract() { gzip -dc "$1" | (cd "$tmp" && cpio -i --quiet --to-stdout "$2" 2>/dev/null); }
listing() { gzip -dc "$1" | cpio -itv --quiet 2>/dev/null; }
img=$b/x86_64/initramfs-crypt.cpio.gz

cat >"$tmp/crypttab" <<'TAB'
# the root, asked for; data with a key in the image; keys on a USB stick
root UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks,discard
data /dev/vdb /etc/keys/data.key luks
usb  LABEL=DISK /k.bin:LABEL=KEYS nofail
TAB
head -c 64 /dev/urandom >"$tmp/data.key"

mk LUKS="$tmp/crypttab"
[ $? != 0 ] && grep -q "line 3: data's key file /etc/keys/data.key would not be in the image: add LUKS_KEYS=FILE:/etc/keys/data.key" "$tmp/make.log" &&
	t_ok "a key file the crypttab names but the image lacks is refused, naming it" ||
	t_fail "a key file the image lacks is refused" "$(tail -3 "$tmp/make.log")"
mk LUKS="$tmp/crypttab" LUKS_KEYS=data.key
[ $? != 0 ] && grep -q "data.key: where in the image?" "$tmp/make.log" &&
	t_ok "a relative key file without an image path is refused" ||
	t_fail "a relative key file without an image path is refused" "$(tail -3 "$tmp/make.log")"
mk LUKS="$tmp/missing"
[ $? != 0 ] && grep -q "LUKS=$tmp/missing: not a readable crypttab file" "$tmp/make.log" &&
	t_ok "a missing crypttab is refused by name" || t_fail "a missing crypttab is refused by name" "$(tail -3 "$tmp/make.log")"

if mk LUKS="$tmp/crypttab" LUKS_KEYS="$tmp/data.key:/etc/keys/data.key"; then
	t_ok "make initramfs LUKS=CRYPTTAB LUKS_KEYS=FILE:PATH"
else
	t_fail "make initramfs LUKS=CRYPTTAB LUKS_KEYS=FILE:PATH" "$(tail -3 "$tmp/make.log")"
fi
extract "$img" etc/crypttab >"$tmp/got"
cmp -s "$tmp/got" "$tmp/crypttab" && t_ok "the image's etc/crypttab is the file given" ||
	t_fail "the image's etc/crypttab is the file given" "$(cat "$tmp/got")"
extract "$img" init >"$tmp/init"
cmp -s "$tmp/init" "$BUILD/x86_64/init-crypt" && t_ok "LUKS= implies the CRYPT=1 init" ||
	t_fail "LUKS= implies the CRYPT=1 init" "the image's init is not init-crypt"
extract "$img" etc/keys/data.key >"$tmp/key"
cmp -s "$tmp/key" "$tmp/data.key" && t_ok "the key file is at its image path" ||
	t_fail "the key file is at its image path" "etc/keys/data.key differs or is missing"
listing "$img" >"$tmp/ls"
t_grep "the key file is mode 0400, root's" "$tmp/ls" '^-r-------- .* (0|root) +(0|root) .* etc/keys/data.key$'
t_grep "etc/crypttab is mode 0644" "$tmp/ls" '^-rw-r--r-- .* etc/crypttab$'
[ "$(stat -c %a "$img")" = 600 ] && t_ok "an image with a key is mode 0600" ||
	t_fail "an image with a key is mode 0600" "mode $(stat -c %a "$img")"

# With a modules directory: dm_crypt, dm_mod and what of the ciphers it
# has as modules (built-in and absent ones are skipped).
M=$tmp/lib/modules/9.9.9-test
mkdir -p "$M/kernel/md" "$M/kernel/crypto"
fake() { printf 'ELF\0license=GPL\0vermagic=9.9.9-test SMP mod_unload \0name=%s\0' "$2" >"$M/kernel/$1"; }
fake md/dm-mod.ko dm_mod
fake md/dm-crypt.ko dm_crypt
fake crypto/xts.ko xts
fake crypto/essiv.ko essiv
fake crypto/af_alg.ko af_alg
fake crypto/algif_skcipher.ko algif_skcipher
cat >"$M/modules.dep" <<'DEP'
kernel/md/dm-mod.ko:
kernel/md/dm-crypt.ko: kernel/md/dm-mod.ko
kernel/crypto/xts.ko:
kernel/crypto/essiv.ko:
kernel/crypto/af_alg.ko:
kernel/crypto/algif_skcipher.ko: kernel/crypto/af_alg.ko
DEP
printf 'alias crypto-xts xts\nalias devname:mapper/control dm_mod\n' >"$M/modules.alias"
printf 'kernel/crypto/cbc.ko\n' >"$M/modules.builtin"
kos() { listing "$1" | grep -o '[^/]*\.ko$' | sort | tr '\n' ' '; }
mk LUKS="$tmp/crypttab" LUKS_KEYS="$tmp/data.key:/etc/keys/data.key" MODDIR="$M" MODULES=virtio_blk
[ $? != 0 ] && grep -q "module virtio_blk (named in MODULES) is not in" "$tmp/make.log" &&
	t_ok "LUKS= keeps MODULES= as it is: a module the directory lacks is still refused" ||
	t_fail "LUKS= keeps MODULES= as it is" "$(tail -3 "$tmp/make.log")"
fake md/virtio_blk.ko virtio_blk
echo 'kernel/md/virtio_blk.ko:' >>"$M/modules.dep"
if mk LUKS="$tmp/crypttab" LUKS_KEYS="$tmp/data.key:/etc/keys/data.key" MODDIR="$M" MODULES=virtio_blk; then
	got=$(kos "$b/x86_64/initramfs-crypt-9.9.9-test.cpio.gz")
	[ "$got" = "af_alg.ko algif_skcipher.ko dm-crypt.ko dm-mod.ko essiv.ko virtio_blk.ko xts.ko " ] &&
		t_ok "LUKS= with MODDIR: dm_crypt, its dependencies and the ciphers it has ($got)" ||
		t_fail "LUKS= with MODDIR: dm_crypt and the ciphers" "the image has: $got"
else
	t_fail "make initramfs LUKS=... MODDIR=..." "$(tail -3 "$tmp/make.log")"
fi
rm "$M/kernel/md/dm-crypt.ko"
sed -i '/dm-crypt/d' "$M/modules.dep"
mk LUKS="$tmp/crypttab" LUKS_KEYS="$tmp/data.key:/etc/keys/data.key" MODDIR="$M"
[ $? != 0 ] && grep -q "module dm_crypt (a LUKS root) is not in" "$tmp/make.log" &&
	t_ok "a kernel without dm_crypt is refused by name" ||
	t_fail "a kernel without dm_crypt is refused by name" "$(tail -3 "$tmp/make.log")"

# tools/host-crypttab: / on ext4 in LVM ("vg-root", dm-1) on LUKS2
# ("cryptroot", dm-0) on vda2; the crypttab's line is taken, or one made.
S=$tmp/sys
mkdir -p "$S/dev/block" "$S/devices/virtual/block/dm-0/dm" "$S/devices/virtual/block/dm-1/dm" \
	"$S/devices/virtual/block/dm-1/slaves" "$S/devices/virtual/block/dm-0/slaves" \
	"$S/devices/pci0000:00/virtio1/block/vda/vda2"
ln -s ../../devices/virtual/block/dm-1 "$S/dev/block/253:1"
ln -s ../../../../pci0000:00/virtio1/block/vda/vda2 "$S/devices/virtual/block/dm-0/slaves/vda2"
ln -s ../../dm-0 "$S/devices/virtual/block/dm-1/slaves/dm-0"
echo CRYPT-LUKS2-0d7a1c3e5b2f4e8a9c617f3e2d1b0a95-cryptroot >"$S/devices/virtual/block/dm-0/dm/uuid"
echo cryptroot >"$S/devices/virtual/block/dm-0/dm/name"
echo LVM-abcdef >"$S/devices/virtual/block/dm-1/dm/uuid"
echo vg-root >"$S/devices/virtual/block/dm-1/dm/name"
printf '1 0 0:2 / / rw - rootfs rootfs rw\n22 1 253:1 / / rw,relatime - ext4 /dev/mapper/vg-root rw\n' >"$tmp/mountinfo"
printf '# host\nswap /dev/vda3 /dev/urandom swap\ncryptroot UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks,discard\n' >"$tmp/host-crypttab"
# The command line this "machine" booted with: no resume= unless a case says.
echo "root=/dev/mapper/vg-root ro quiet" >"$tmp/cmdline"
export HANDOFF_CMDLINE=$tmp/cmdline
hc() { HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo HANDOFF_CRYPTTAB=$1 tools/host-crypttab "$tmp/hc" 2>"$tmp/hc.err"; }
[ "$(hc "$tmp/host-crypttab")" = "luks lvm" ] && [ "$(cat "$tmp/hc")" = "cryptroot UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks,discard" ] &&
	t_ok "host-crypttab: LVM on LUKS, the crypttab's line for the mapping (only it)" ||
	t_fail "host-crypttab: LVM on LUKS, the crypttab's line" "$(cat "$tmp/hc" "$tmp/hc.err")"
[ "$(hc "$tmp/none")" = "luks lvm" ] && [ "$(cat "$tmp/hc")" = "cryptroot UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none" ] &&
	grep -q "does not list: the image asks for its passphrase" "$tmp/hc.err" &&
	t_ok "host-crypttab: a mapping the crypttab lacks gets a line by its UUID, and says so" ||
	t_fail "host-crypttab: a line by UUID" "$(cat "$tmp/hc" "$tmp/hc.err")"

# make initramfs MODULES=host on that machine: the host's line in the
# image, the STORAGE=1 init (for the LVM), the disk's driver and dm_crypt (put back).
fake md/dm-crypt.ko dm_crypt
echo 'kernel/md/dm-crypt.ko: kernel/md/dm-mod.ko' >>"$M/modules.dep"
echo 'virtio:d00000002v00001AF4' >"$S/devices/pci0000:00/virtio1/modalias"
echo 'alias virtio:d00000002v* virtio_blk' >>"$M/modules.alias"
if HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo HANDOFF_CRYPTTAB=$tmp/host-crypttab \
	mk MODDIR="$M" MODULES=host; then
	himg=$b/x86_64/initramfs-storage-host-9.9.9-test.cpio.gz
	[ "$(extract "$himg" etc/crypttab)" = "cryptroot UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks,discard" ] &&
		t_ok "MODULES=host on a LUKS root: the host's crypttab line in the image" ||
		t_fail "MODULES=host on a LUKS root: the host's crypttab line" "$(extract "$himg" etc/crypttab)"
	extract "$himg" init | cmp -s - "$BUILD/x86_64/init-storage" && t_ok "MODULES=host on LVM on LUKS: the STORAGE=1 init" ||
		t_fail "MODULES=host on LVM on LUKS: the STORAGE=1 init" "the image's init is not init-storage"
	got=$(kos "$himg")
	[ "$got" = "af_alg.ko algif_skcipher.ko dm-crypt.ko dm-mod.ko essiv.ko virtio_blk.ko xts.ko " ] &&
		t_ok "MODULES=host on a LUKS root: the disk's driver, dm_crypt and the ciphers ($got)" ||
		t_fail "MODULES=host on a LUKS root: the modules" "the image has: $got"
else
	t_fail "make initramfs MODULES=host on a LUKS root" "$(tail -3 "$tmp/make.log")"
fi

# The same machine with / on the LUKS mapping itself (no LVM): the CRYPT=1
# init; with resume= on its command line, the STORAGE=1 one that resumes.
printf '1 0 0:2 / / rw - rootfs rootfs rw\n22 1 253:0 / / rw,relatime - ext4 /dev/mapper/cryptroot rw\n' >"$tmp/mountinfo-luks"
ln -s ../../devices/virtual/block/dm-0 "$S/dev/block/253:0"
hcl() { HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo-luks HANDOFF_CRYPTTAB=$tmp/host-crypttab "$@"; }
[ "$(hcl tools/host-crypttab "$tmp/hc" 2>/dev/null)" = luks ] &&
	t_ok "host-crypttab: a root on LUKS alone: luks" ||
	t_fail "host-crypttab: a root on LUKS alone: luks" "$(cat "$tmp/hc")"
if hcl mk MODDIR="$M" MODULES=host; then
	himg=$b/x86_64/initramfs-crypt-host-9.9.9-test.cpio.gz
	extract "$himg" init | cmp -s - "$BUILD/x86_64/init-crypt" &&
		[ -n "$(extract "$himg" etc/crypttab)" ] &&
		t_ok "MODULES=host on a LUKS root: the CRYPT=1 init and the crypttab" ||
		t_fail "MODULES=host on a LUKS root: the CRYPT=1 init and the crypttab" "$(listing "$himg")"
else
	t_fail "make initramfs MODULES=host on a root on LUKS alone" "$(tail -3 "$tmp/make.log")"
fi
echo "root=/dev/mapper/cryptroot resume=/dev/mapper/swap ro" >"$tmp/cmdline"
[ "$(hcl tools/host-crypttab "$tmp/hc" 2>/dev/null)" = "luks resume" ] &&
	t_ok "host-crypttab: resume= on the machine's command line: resume" ||
	t_fail "host-crypttab: resume= on the machine's command line: resume" "$(cat "$tmp/hc")"
if hcl mk MODDIR="$M" MODULES=host; then
	extract "$b/x86_64/initramfs-storage-host-9.9.9-test.cpio.gz" init | cmp -s - "$BUILD/x86_64/init-storage" &&
		t_ok "MODULES=host on a LUKS root that resumes: the STORAGE=1 init" ||
		t_fail "MODULES=host on a LUKS root that resumes: the STORAGE=1 init" "the image's init is not init-storage"
else
	t_fail "make initramfs MODULES=host on a LUKS root that resumes" "$(tail -3 "$tmp/make.log")"
fi
echo "root=/dev/mapper/cryptroot resume=/dev/mapper/swap noresume" >"$tmp/cmdline"
[ "$(hcl tools/host-crypttab "$tmp/hc" 2>/dev/null)" = luks ] &&
	t_ok "host-crypttab: noresume wins over resume=" ||
	t_fail "host-crypttab: noresume wins over resume=" "$(cat "$tmp/hc")"
echo "root=/dev/mapper/vg-root ro quiet" >"$tmp/cmdline"
rm "$S/dev/block/253:0"

echo LVM-xyz >"$S/devices/virtual/block/dm-0/dm/uuid"
[ "$(hc "$tmp/host-crypttab")" = lvm ] && [ ! -s "$tmp/hc" ] &&
	t_ok "host-crypttab: a root on LVM on no LUKS mapping: lvm, no line" ||
	t_fail "host-crypttab: a root on LVM on no LUKS mapping: lvm, no line" "$(cat "$tmp/hc" "$tmp/hc.err")"
echo plain >"$S/devices/virtual/block/dm-1/dm/uuid"
echo plain >"$S/devices/virtual/block/dm-0/dm/uuid"
mkdir -p "$S/devices/virtual/block/dm-0/md"
echo raid1 >"$S/devices/virtual/block/dm-0/md/level"
[ "$(hc "$tmp/host-crypttab")" = md ] && [ ! -s "$tmp/hc" ] &&
	t_ok "host-crypttab: a root on an md array: md" ||
	t_fail "host-crypttab: a root on an md array: md" "$(cat "$tmp/hc" "$tmp/hc.err")"
# make initramfs MODULES=host on that machine: the STORAGE=1 init, md's
# driver and the array's personality, without any crypttab.
fake md/md-mod.ko md_mod
fake md/raid1.ko raid1
printf 'kernel/md/md-mod.ko:\nkernel/md/raid1.ko: kernel/md/md-mod.ko\n' >>"$M/modules.dep"
if HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo HANDOFF_CRYPTTAB=$tmp/host-crypttab \
	mk MODDIR="$M" MODULES=host; then
	himg=$b/x86_64/initramfs-storage-host-9.9.9-test.cpio.gz
	extract "$himg" init | cmp -s - "$BUILD/x86_64/init-storage" &&
		[ -z "$(extract "$himg" etc/crypttab)" ] &&
		t_ok "MODULES=host on an md root: the STORAGE=1 init, no crypttab" ||
		t_fail "MODULES=host on an md root: the STORAGE=1 init, no crypttab" "$(listing "$himg")"
	got=$(kos "$himg")
	[ "$got" = "md-mod.ko raid1.ko virtio_blk.ko " ] &&
		t_ok "MODULES=host on an md root: the disk's driver, md_mod and raid1 ($got)" ||
		t_fail "MODULES=host on an md root: the modules" "the image has: $got"
else
	t_fail "make initramfs MODULES=host on an md root" "$(tail -3 "$tmp/make.log")"
fi
rm -r "$S/devices/virtual/block/dm-0/md"
[ -z "$(hc "$tmp/host-crypttab")" ] && [ ! -s "$tmp/hc" ] &&
	t_ok "host-crypttab: a root on no LUKS, LVM or md, nothing" ||
	t_fail "host-crypttab: a root on no LUKS, LVM or md, nothing" "$(cat "$tmp/hc" "$tmp/hc.err")"

# The container's ciphers: host-crypttab lists the device under each LUKS
# mapping (HANDOFF_DEV stands for /dev), handoff-modules -H reads its
# header. serpent-xts-plain64 is set in a header cryptsetup made (this
# machine's cryptsetup cannot format it without device-mapper).
t_need cryptsetup python3 || t_exit
export HANDOFF_DEV=$tmp/dev
mkdir -p "$HANDOFF_DEV/disk/by-uuid"
# header FILE CIPHER: a LUKS2 header made as AES, its data's cipher then CIPHER.
header() {
	rm -f "$1"
	truncate -s 20M "$1"
	echo -n pw | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --iter-time 1 --key-size 512 "$1" - &&
		python3 tests/unit/luks2-cipher.py "$1" "$2"
}
header "$tmp/serpent.hdr" serpent-xts-plain64 || t_fail luks-header "cryptsetup luksFormat or luks2-cipher.py failed"
header "$tmp/aes.hdr" aes-xts-plain64 || t_fail luks-header "cryptsetup luksFormat or luks2-cipher.py failed"
cp "$tmp/serpent.hdr" "$HANDOFF_DEV/vda2"
echo CRYPT-LUKS2-0d7a1c3e5b2f4e8a9c617f3e2d1b0a95-cryptroot >"$S/devices/virtual/block/dm-0/dm/uuid"
ln -s ../../devices/virtual/block/dm-0 "$S/dev/block/253:0"
[ "$(hcl tools/host-crypttab "$tmp/hc" "$tmp/hc.dev" 2>/dev/null)" = luks ] &&
	[ "$(cat "$tmp/hc.dev")" = "$HANDOFF_DEV/vda2" ] &&
	t_ok "host-crypttab FILE DEVICES: the container under the LUKS mapping ($(cat "$tmp/hc.dev"))" ||
	t_fail "host-crypttab FILE DEVICES: the container under the mapping" "$(cat "$tmp/hc.dev")"
fake crypto/serpent_generic.ko serpent_generic
fake crypto/ecb.ko ecb
printf 'kernel/crypto/serpent_generic.ko:\nkernel/crypto/ecb.ko:\n' >>"$M/modules.dep"
printf 'alias crypto-serpent serpent_generic\nalias crypto-ecb ecb\n' >>"$M/modules.alias"
# made NAME IMAGE MATCH MAKE-ARGS...: make initramfs MAKE-ARGS, IMAGE's
# modules (one line, sorted) must match the regex MATCH.
made() {
	local name=$1 image=$2 match=$3 got
	shift 3
	if ! mk "$@"; then
		t_fail "$name" "$(tail -3 "$tmp/make.log")"
		return
	fi
	got=$(kos "$image")
	if [[ $got =~ $match ]]; then t_ok "$name ($got)"; else t_fail "$name" "the image has: $got"; fi
}
himg=$b/x86_64/initramfs-crypt-host-9.9.9-test.cpio.gz
hcl made "MODULES=host on a serpent-xts-plain64 root: its cipher's modules by the header" "$himg" \
	'^af_alg.ko algif_skcipher.ko dm-crypt.ko dm-mod.ko ecb.ko essiv.ko serpent_generic.ko virtio_blk.ko xts.ko $' \
	MODDIR="$M" MODULES=host
# A detached header (the crypttab line's header=): its file is read, not the data device.
printf 'cryptroot UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks,header=%s\n' "$tmp/serpent.hdr" >"$tmp/crypttab.hdr"
cp "$tmp/aes.hdr" "$HANDOFF_DEV/vda2"
hch() { HANDOFF_SYSFS=$S HANDOFF_MOUNTINFO=$tmp/mountinfo-luks HANDOFF_CRYPTTAB=$tmp/crypttab.hdr tools/host-crypttab "$@"; }
[ "$(hch "$tmp/hc" "$tmp/hc.dev" 2>/dev/null)" = luks ] &&
	[ "$(cat "$tmp/hc.dev")" = "header:$tmp/serpent.hdr" ] &&
	t_ok "host-crypttab FILE DEVICES: a detached header (header=) stands for the container" ||
	t_fail "host-crypttab FILE DEVICES: a detached header (header=)" "$(cat "$tmp/hc.dev")"
sed -i 's|header=[^ ]*|header=/k.hdr:LABEL=KEYS|' "$tmp/crypttab.hdr"
[ "$(hch "$tmp/hc" "$tmp/hc.dev" 2>"$tmp/hc.err")" = luks ] &&
	[ ! -s "$tmp/hc.dev" ] && grep -q "detached header /k.hdr:LABEL=KEYS is on another device: its ciphers are not known" "$tmp/hc.err" &&
	t_ok "host-crypttab FILE DEVICES: a header on another device's filesystem is said, not read" ||
	t_fail "host-crypttab FILE DEVICES: a header on another device" "$(cat "$tmp/hc.dev" "$tmp/hc.err")"
# ecb is in the common set: this directory has it now.
hcl made "MODULES=host on an aes-xts-plain64 root: what it got before, no serpent" "$himg" \
	'^af_alg.ko algif_skcipher.ko dm-crypt.ko dm-mod.ko ecb.ko essiv.ko virtio_blk.ko xts.ko $' \
	MODDIR="$M" MODULES=host
rm "$S/dev/block/253:0"
# LUKS=CRYPTTAB: its UUID= found on this machine (/dev/disk/by-uuid), or
# said and left to LUKS_CIPHERS=.
echo 'root UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 none luks' >"$tmp/crypttab.uuid"
ln -s ../../vda3 "$HANDOFF_DEV/disk/by-uuid/0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95"
cp "$tmp/serpent.hdr" "$HANDOFF_DEV/vda3"
limg=$b/x86_64/initramfs-crypt-9.9.9-test.cpio.gz
made "LUKS=CRYPTTAB: a UUID= on this machine, its header's cipher (serpent)" "$limg" ' serpent_generic.ko ' \
	LUKS="$tmp/crypttab.uuid" MODDIR="$M"
rm "$HANDOFF_DEV/vda3"
made "LUKS=CRYPTTAB, its device elsewhere: the common set" "$limg" '^af_alg.ko algif_skcipher.ko dm-crypt.ko dm-mod.ko ecb.ko essiv.ko virtio_blk.ko xts.ko $' \
	LUKS="$tmp/crypttab.uuid" MODDIR="$M"
t_grep "LUKS=CRYPTTAB, its device elsewhere: said, with what to do" "$tmp/make.log" \
	"root's device UUID=0d7a1c3e-5b2f-4e8a-9c61-7f3e2d1b0a95 is not on this machine: its ciphers are not known.*LUKS_CIPHERS="
made "LUKS_CIPHERS= names the ciphers of a crypttab for another machine" "$limg" ' serpent_generic.ko ' \
	LUKS="$tmp/crypttab.uuid" MODDIR="$M" LUKS_CIPHERS="serpent-xts-plain64 xchacha12,aes-adiantum-plain64"
# LUKS=CRYPTTAB with a detached header: the header LUKS_KEYS= puts into the image names the ciphers.
echo 'root PARTUUID=0d7a1c3e-01 none luks,header=/etc/luks/root.hdr' >"$tmp/crypttab.detached"
made "LUKS=CRYPTTAB, header= in the image by LUKS_KEYS=: that header's cipher (serpent)" "$limg" ' serpent_generic.ko ' \
	LUKS="$tmp/crypttab.detached" LUKS_KEYS="$tmp/serpent.hdr:/etc/luks/root.hdr" MODDIR="$M"
cmp -s <(extract "$limg" etc/luks/root.hdr) "$tmp/serpent.hdr" &&
	t_ok "LUKS=CRYPTTAB, header=: the header is in the image at its path" ||
	t_fail "LUKS=CRYPTTAB, header=: the header is in the image" "$(listing "$limg")"
mk LUKS="$tmp/crypttab.detached" MODDIR="$M"
[ $? != 0 ] && grep -q "line 1: root's detached header /etc/luks/root.hdr would not be in the image: add LUKS_KEYS=FILE:/etc/luks/root.hdr" "$tmp/make.log" &&
	t_ok "LUKS=CRYPTTAB, header= not in LUKS_KEYS=: refused, naming the line and the fix" ||
	t_fail "LUKS=CRYPTTAB, header= not in LUKS_KEYS=: refused" "$(tail -3 "$tmp/make.log")"
unset HANDOFF_DEV

# The installed Debian cloud kernel: its LUKS modules, not the built-in ones.
kver=$(find /lib/modules -maxdepth 1 -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
if [ -z "$kver" ]; then
	t_fail "a Debian cloud kernel is installed" "no /lib/modules/*-cloud-amd64: run tools/install-deps as root"
	t_exit
fi
"$BUILD/host/handoff-modules" -k "$kver" -m virtio_blk -L -o "$tmp/deb" >"$tmp/list" 2>"$tmp/err"
[ $? = 0 ] && t_ok "$kver: -L ($(cat "$tmp/err"))" || t_fail "$kver: -L" "$(cat "$tmp/err")"
for mod in dm-mod dm-crypt xts essiv aesni-intel sha256-ssse3 af_alg algif_skcipher algif_hash; do
	t_grep "$kver: a LUKS image has $mod" "$tmp/list" "/$mod\.ko "
done
for mod in cbc aes_generic sha256_generic; do
	t_nogrep "$kver: $mod is built in, not taken" "$tmp/list" "/$mod\.ko "
done
t_grep "$kver: the modprobe personality finds the ciphers by their crypto- alias" "$tmp/deb/modules.alias" '^alias crypto-xts xts$'

# Its modules for a container's ciphers: every provider (generic and the
# CPU's), their dependencies, the aliases the kernel's request_module asks.
hm() { "$BUILD/host/handoff-modules" -k "$kver" -m virtio_blk -o "$tmp/deb" "$@" >"$tmp/list2" 2>"$tmp/err"; }
hm -H "$tmp/serpent.hdr" -R "$tmp/why"
[ $? = 0 ] && t_ok "$kver: -H a serpent-xts-plain64 header" || t_fail "$kver: -H a serpent header" "$(cat "$tmp/err")"
for mod in serpent_generic serpent-sse2-x86_64 serpent-avx-x86_64 serpent-avx2 xts ecb dm-crypt aesni-intel; do
	t_grep "$kver: serpent-xts-plain64's image has $mod" "$tmp/list2" "/$mod\.ko "
done
t_grep "$kver: -R names the cipher and the container" "$tmp/why" "^module	serpent_avx2	cipher serpent-xts-plain64 of the LUKS container $tmp/serpent.hdr \(UUID [-0-9a-f]+\), its data: crypto-serpent$"
t_grep "$kver: the image's aliases lead the kernel's crypto-serpent to them" "$tmp/deb/modules.alias" '^alias crypto-serpent serpent_generic$'
# MODULES=...,-NAME wins over the sets: a provider or a LUKS module left out, the others kept.
"$BUILD/host/handoff-modules" -k "$kver" -m "+virtio_blk,-serpent_avx2,-aesni_intel" -H "$tmp/serpent.hdr" \
	-o "$tmp/deb" >"$tmp/list3" 2>"$tmp/err"
[ $? = 0 ] && t_ok "$kver: -H with MODULES=+virtio_blk,-serpent_avx2,-aesni_intel" ||
	t_fail "$kver: -H with -NAME" "$(cat "$tmp/err")"
t_nogrep "$kver: -serpent_avx2 leaves the provider out" "$tmp/list3" "/serpent-avx2\.ko "
t_nogrep "$kver: -aesni_intel leaves it out of the LUKS set" "$tmp/list3" "/aesni-intel\.ko "
t_grep "$kver: the other serpent providers stay" "$tmp/list3" "/serpent_generic\.ko "
t_grep "$kver: -NAME says what it left out, and for what" "$tmp/err" \
	"serpent_avx2 for cipher serpent-xts-plain64 of the LUKS container .*: crypto-serpent: left out, as -serpent_avx2 says"
hm -H "$tmp/aes.hdr"
cmp -s "$tmp/list" "$tmp/list2" && t_ok "$kver: an aes-xts-plain64 container gets what -L gave" ||
	t_fail "$kver: an aes-xts-plain64 container gets what -L gave" "$(diff "$tmp/list" "$tmp/list2")"
hm -H "$tmp/none.hdr"
[ $? = 0 ] && cmp -s "$tmp/list" "$tmp/list2" &&
	grep -q "warning: cannot read the LUKS header of $tmp/none.hdr: No such file or directory (is the device there?): its ciphers are not known, the image gets the common set" "$tmp/err" &&
	t_ok "$kver: an unreadable header is said, with the errno's text, and the common set taken" ||
	t_fail "$kver: an unreadable header is said and the common set taken" "$(cat "$tmp/err")"
# A header the user may not read (not root, a disk's mode 0660 root:disk): Permission denied,
# said with what to do, and the common set. As nobody, on a copy only root may read.
p=$tmp/perm
mkdir -p "$p/out"
chmod 0755 "$tmp" "$p"
chmod 0777 "$p/out"
cp "$tmp/serpent.hdr" "$p/disk"
chmod 0600 "$p/disk"
cp "$BUILD/host/handoff-modules" "$p/"
setpriv --reuid=65534 --regid=65534 --clear-groups "$p/handoff-modules" -k "$kver" -m virtio_blk \
	-H "$p/disk" -o "$p/out/stage" >"$p/out/list" 2>"$p/out/err"
[ $? = 0 ] && [ "$(grep -o "[^/]*\.ko " "$tmp/list")" = "$(grep -o "[^/]*\.ko " "$p/out/list")" ] &&
	grep -q "warning: cannot read the LUKS header of $p/disk: Permission denied (reading a disk needs root: run this as root): its ciphers are not known, the image gets the common set" "$p/out/err" &&
	t_ok "$kver: a header only root may read: Permission denied, run as root, the common set" ||
	t_fail "$kver: a header only root may read is said" "$(cat "$p/out/err")"
# A detached header (cryptsetup --header): its data segment starts at 0 of another device.
# -D reads it so; -H takes it for a container whose data overlaps its header, as the init would.
truncate -s 4M "$tmp/det.data"
rm -f "$tmp/det.hdr"
echo -n pw | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --iter-time 1 --luks2-metadata-size 16k \
	--luks2-keyslots-size 1m --header "$tmp/det.hdr" "$tmp/det.data" - 2>/dev/null &&
	python3 tests/unit/luks2-cipher.py "$tmp/det.hdr" serpent-xts-plain64 ||
	t_fail "a detached header" "cryptsetup luksFormat --header or luks2-cipher.py failed"
hm -D "$tmp/det.hdr"
[ $? = 0 ] && grep -q "/serpent_generic\.ko " "$tmp/list2" && ! grep -q warning "$tmp/err" &&
	t_ok "$kver: -D a detached header (data at offset 0 elsewhere): its cipher's modules" ||
	t_fail "$kver: -D a detached header" "$(cat "$tmp/err")"
hm -H "$tmp/det.hdr"
grep -q "segments.0.offset 0 lies inside the header" "$tmp/err" && ! grep -q "/serpent_generic\.ko " "$tmp/list2" &&
	t_ok "$kver: the same header as -H: refused as the init refuses an attached one" ||
	t_fail "$kver: a detached header as -H is refused" "$(cat "$tmp/err")"
echo 'not a LUKS header' >"$tmp/plain.hdr"
hm -H "$tmp/plain.hdr"
[ $? = 0 ] && grep -q "warning: the LUKS header of $tmp/plain.hdr: .*the image gets the common set" "$tmp/err" &&
	t_ok "$kver: a device with no LUKS header is said" || t_fail "$kver: a device with no LUKS header is said" "$(cat "$tmp/err")"
hm -c xchacha12,aes-adiantum-plain64 -R "$tmp/why"
for mod in adiantum chacha_generic chacha-x86_64 nhpoly1305 nhpoly1305-avx2 aesni-intel; do
	t_grep "$kver: -c xchacha12,aes-adiantum-plain64 takes $mod" "$tmp/list2" "/$mod\.ko "
done
t_grep "$kver: -c's reason names the cipher" "$tmp/why" '^module	adiantum	cipher xchacha12,aes-adiantum-plain64, named with -c: crypto-adiantum$'
hm -c twofish-cbc-essiv:sha256
t_grep "$kver: -c twofish-cbc-essiv:sha256 takes twofish" "$tmp/list2" '/twofish_generic\.ko '
hm -c 'serpent(xts)-plain64'
[ $? = 1 ] && grep -q "not a cipher spec dm-crypt takes" "$tmp/err" &&
	t_ok "$kver: -c refuses what dm-crypt would" || t_fail "$kver: -c refuses what dm-crypt would" "$(cat "$tmp/err")"
t_exit
