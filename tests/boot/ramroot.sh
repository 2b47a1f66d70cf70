# root=tmpfs filled from an archive: a tar in the initramfs, a gzip'd tar
# on a raw disk and as a file on a filesystem found by label, a cpio; each
# archive format gzip-compressed, a plain cpio, and the compressions handoff
# does not read (refused, naming them); an
# image too large for rd.tmpfs.size= (refused before switching, the
# initramfs intact); hostile tars (refused, nothing written outside).
. tests/boot/layers.inc
t_need zstd xz bzip2 lz4 || t_exit

HOOK='
echo "rootfs: hook motd $(cat /etc/motd-test) $(stat -c "%u:%g %a %Y" /etc/motd-test)"
echo "rootfs: hook suid $(stat -c %a /bin/suid-test)"
echo "rootfs: hook links $(stat -c %h /bin/busybox) $(readlink /bin/sh)"
echo "rootfs: hook dev $(stat -c "%F %t:%T" /etc/test-null)"
echo "rootfs: hook long $(cat /long-*/*)"'
t=$WORK/tree
tree "$t" "$HOOK"
echo hello >"$t/etc/motd-test"
chown 1234:5678 "$t/etc/motd-test"
chmod 640 "$t/etc/motd-test"
touch -d @1234567890 "$t/etc/motd-test"
printf x >"$t/bin/suid-test"
chmod 4755 "$t/bin/suid-test"
ln "$t/bin/busybox" "$t/bin/busybox-hardlink"
mknod "$t/etc/test-null" c 1 3
long=$t/long-$(printf 'd%.0s' $(seq 120))
mkdir "$long"
echo far >"$long/file-$(printf 'f%.0s' $(seq 150))"
mktar "$t" "$WORK/root.tar" --format=pax
gzip -n -c "$WORK/root.tar" >"$WORK/root.tar.gz"
(cd "$t" && find . | cpio --quiet -o -H newc | gzip -n) >"$WORK/root.cpio.gz"

# unpacked NAME WHAT [no-long]: the real root is the tmpfs, with everything
# the archive held (no-long: but the long names, which ustar cannot hold).
unpacked() {
	booted "$1"
	t_grep "$1: unpacked $2" "$LOG" "handoff: unpacked $2 \\((tar|cpio)"
	mounted "$1" tmpfs / tmpfs 'rw'
	t_grep "$1: contents, owner, mode and mtime" "$LOG" '^rootfs: hook motd hello 1234:5678 640 1234567890$'
	t_grep "$1: set-uid bit" "$LOG" '^rootfs: hook suid 4755$'
	t_grep "$1: hard link and symlink" "$LOG" '^rootfs: hook links 2 busybox$'
	t_grep "$1: device node" "$LOG" '^rootfs: hook dev character special file 1:3$'
	[ "${3:-}" = no-long ] || t_grep "$1: long names" "$LOG" '^rootfs: hook long far$'
}

# in_initramfs FILE NAME: boots root=tmpfs with FILE as rd.image=/NAME, a
# file of the initramfs.
in_initramfs() {
	printf 'file /%s %s 0644 0 0\n' "$2" "$1" >"$WORK/$2.list"
	image "$WORK/$2.cpio.gz" "$WORK/$2.list"
	boot "$2" --no-disk --initrd "$WORK/$2.cpio.gz" --mem 512 -- root=tmpfs "rd.image=/$2" "${@:3}"
}

printf 'file /rootfs.tar %s 0644 0 0\n' "$WORK/root.tar" >"$WORK/tar.list"
image "$WORK/tar.cpio.gz" "$WORK/tar.list"
boot initramfs-tar --no-disk --initrd "$WORK/tar.cpio.gz" --mem 512 -- root=tmpfs rd.image=/rootfs.tar
unpacked initramfs-tar /rootfs.tar

printf 'file /rootfs.cpio.gz %s 0644 0 0\n' "$WORK/root.cpio.gz" >"$WORK/cpio.list"
image "$WORK/cpio.cpio.gz" "$WORK/cpio.list"
boot initramfs-cpio --no-disk --initrd "$WORK/cpio.cpio.gz" --mem 512 -- root=tmpfs rd.image=/rootfs.cpio.gz
unpacked initramfs-cpio /rootfs.cpio.gz
t_grep "initramfs-cpio: read as cpio through gzip" "$LOG" 'unpacked /rootfs.cpio.gz \(cpio, gzip\)'

# Each format handoff reads, gzip-compressed (pax and newc above): ustar
# (without the long names, which it cannot hold), GNU, cpio's CRC variant;
# and a cpio without compression.
mktar "$t" "$WORK/ustar.tar" --format=ustar --exclude='./long-*'
mktar "$t" "$WORK/gnu.tar" --format=gnu
gzip -n "$WORK/ustar.tar" "$WORK/gnu.tar"
(cd "$t" && find . | cpio --quiet -o -H crc | gzip -n) >"$WORK/crc.cpio.gz"
(cd "$t" && find . | cpio --quiet -o -H newc) >"$WORK/newc.cpio"
in_initramfs "$WORK/ustar.tar.gz" root-ustar.tar.gz
unpacked root-ustar.tar.gz /root-ustar.tar.gz no-long
t_grep "root-ustar.tar.gz: read as tar through gzip" "$LOG" 'unpacked /root-ustar.tar.gz \(tar, gzip\)'
in_initramfs "$WORK/gnu.tar.gz" root-gnu.tar.gz
unpacked root-gnu.tar.gz /root-gnu.tar.gz
t_grep "root-gnu.tar.gz: read as tar through gzip" "$LOG" 'unpacked /root-gnu.tar.gz \(tar, gzip\)'
in_initramfs "$WORK/crc.cpio.gz" root-crc.cpio.gz
unpacked root-crc.cpio.gz /root-crc.cpio.gz
t_grep "root-crc.cpio.gz: read as cpio through gzip" "$LOG" 'unpacked /root-crc.cpio.gz \(cpio, gzip\)'
in_initramfs "$WORK/newc.cpio" root-newc.cpio
unpacked root-newc.cpio /root-newc.cpio
t_grep "root-newc.cpio: read as cpio, not compressed" "$LOG" 'unpacked /root-newc.cpio \(cpio\)'

# The compressions handoff does not read: refused by name before anything
# is unpacked, and the boot fails (no switch into an empty root).
for c in zstd xz bzip2 lz4; do
	n=root.tar.$c
	"$c" -q -c <"$WORK/root.tar" >"$WORK/$n" || t_fail "$n: $c" "cannot compress with $c"
	in_initramfs "$WORK/$n" "$n" panic=-1
	no_panic "$n"
	t_grep "$n: refused, naming the compression" "$LOG" \
		"handoff: rd.image=/$n is $c-compressed: handoff unpacks gzip and uncompressed archives\$"
	t_grep "$n: says what to do" "$LOG" 'handoff: hint: recompress it with gzip, or store it uncompressed$'
	t_grep "$n: the boot failed" "$LOG" 'handoff: boot failed: rebooting now \(panic=-1\)'
	t_nogrep "$n: did not switch" "$LOG" 'switched root|^rootfs: pid 1'
done

# A raw archive on a disk (zeros after it, as on a partition).
image "$WORK/plain.cpio.gz"
cp "$WORK/root.tar.gz" "$WORK/raw.img"
truncate -s 8M "$WORK/raw.img"
boot raw-disk --disk "$WORK/raw.img" --initrd "$WORK/plain.cpio.gz" -- root=tmpfs rd.image=/dev/vda
unpacked raw-disk /dev/vda

# A file on a filesystem found by its label; unmounted after unpacking.
mkdir -p "$WORK/media/images"
cp "$WORK/root.tar.gz" "$WORK/media/images/"
mke2fs -q -F -t ext4 -L images -d "$WORK/media" "$WORK/media.img" 16M
boot by-label --disk "$WORK/media.img" --initrd "$WORK/plain.cpio.gz" -- \
	root=tmpfs rd.image=LABEL=images:/images/root.tar.gz
unpacked by-label 'LABEL=images:/images/root.tar.gz'
# The filesystem holding the image is named as the image's medium.
boot medium-missing --disk "$WORK/media.img" --initrd "$WORK/plain.cpio.gz" --timeout 30 -- \
	root=tmpfs rd.image=LABEL=nothere:/images/root.tar.gz rootwait=1 panic=-1
no_panic medium-missing
t_grep "medium-missing: the image medium did not appear" "$LOG" \
	'handoff: image medium device LABEL=nothere did not appear within 1 s'
t_grep "medium-missing: the hint names rd.image=" "$LOG" 'handoff: hint: check rd.image= against the devices below'
t_nogrep "by-label: the disk is not kept mounted" "$LOG" '^rootfs: mount /dev/vda'

# Too large for the tmpfs: refused before unpacking, nothing switched, the
# initramfs as it was (the rescue shell looks).
CHECK='echo "rescue: tar $(busybox wc -c </rootfs.tar) on-sysroot $(busybox grep -c " /sysroot " /proc/mounts) files $(busybox ls -A /sysroot | busybox wc -l)"'
rescue_boot too-large "$CHECK" --no-disk --initrd "$WORK/tar.cpio.gz" --mem 512 -- \
	root=tmpfs rd.image=/rootfs.tar rd.tmpfs.size=1M rd.shell
no_panic too-large
t_grep "too-large: refused with both sizes" "$LOG" \
	'handoff: rd.image=/rootfs.tar needs [0-9]+ MiB \([0-9]+ files, directories and links\) but the tmpfs on /sysroot has [01] MiB \([0-9]+ inodes\) free: not unpacking it'
t_grep "too-large: says what to do" "$LOG" 'hint: raise rd.tmpfs.size=1M'
t_nogrep "too-large: did not switch" "$LOG" '^rootfs: pid 1'
t_grep "too-large: initramfs intact, nothing left on /sysroot" "$LOG" \
	"^rescue: tar $(stat -c %s "$WORK/root.tar") on-sysroot 0 files 0\$"

# Full halfway: a gzip whose stated size (its last member's) is small passes
# the quick check, then the tmpfs fills up: stopped, unmounted, no switch.
cp -a "$t" "$WORK/big"
head -c 8M /dev/zero >"$WORK/big/big-zeros"
mktar "$WORK/big" "$WORK/big.tar"
{ gzip -n -c "$WORK/big.tar"; head -c 1M /dev/zero | gzip -n; } >"$WORK/big.tar.gz"
printf 'file /rootfs.tar.gz %s 0644 0 0\n' "$WORK/big.tar.gz" >"$WORK/big.list"
image "$WORK/big.cpio.gz" "$WORK/big.list"
CHECK='echo "rescue: on-sysroot $(busybox grep -c " /sysroot " /proc/mounts) files $(busybox ls -A /sysroot | busybox wc -l)"'
rescue_boot full-halfway "$CHECK" --no-disk --initrd "$WORK/big.cpio.gz" --mem 512 -- \
	root=tmpfs rd.image=/rootfs.tar.gz rd.tmpfs.size=4M rd.shell
no_panic full-halfway
t_grep "full-halfway: stopped with the sizes and the entry" "$LOG" \
	'handoff: rd.image=/rootfs.tar.gz: the tmpfs on /sysroot \(4 MiB\) is full after [0-9]+ MiB of data, at "./big-zeros": not switching into a half-filled root'
t_nogrep "full-halfway: did not switch" "$LOG" '^rootfs: pid 1'
t_grep "full-halfway: the tmpfs is gone" "$LOG" '^rescue: on-sysroot 0 files 0$'

# Hostile: a symlink out of the root, then a file through it; and "..".
mkdir -p "$WORK/h1" "$WORK/h2/evil/etc"
ln -s / "$WORK/h1/evil"
echo pwned >"$WORK/h2/evil/etc/pwned"
cp "$WORK/root.tar" "$WORK/evil.tar"
tar -rf "$WORK/evil.tar" -C "$WORK/h1" ./evil
tar -rf "$WORK/evil.tar" -C "$WORK/h2" ./evil/etc/pwned
echo pwned >"$WORK/pwned"
cp "$WORK/root.tar" "$WORK/dotdot.tar"
tar -P --transform 's,^.*/pwned$,../../pwned,' -rf "$WORK/dotdot.tar" "$WORK/pwned"
printf 'file /rootfs.tar %s 0644 0 0\n' "$WORK/evil.tar" >"$WORK/evil.list"
printf 'file /rootfs.tar %s 0644 0 0\n' "$WORK/dotdot.tar" >"$WORK/dotdot.list"
image "$WORK/evil.cpio.gz" "$WORK/evil.list"
image "$WORK/dotdot.cpio.gz" "$WORK/dotdot.list"
CHECK='for f in /etc/pwned /pwned /run/pwned; do [ -e $f ] && echo "rescue: found $f"; done; echo "rescue: looked; on-sysroot $(busybox grep -c " /sysroot " /proc/mounts)"'
# refused NAME IMAGE ENTRY WHY: the boot stops at ENTRY saying WHY; the
# rescue shell finds nothing written outside and the tmpfs unmounted.
refused() {
	rescue_boot "$1" "$CHECK" --no-disk --initrd "$2" --mem 512 -- \
		root=tmpfs rd.image=/rootfs.tar rd.shell
	no_panic "$1"
	t_grep "$1: refused, naming the entry" "$LOG" "handoff: rd.image=/rootfs.tar: refusing entry \"$3\": $4"
	t_nogrep "$1: did not switch" "$LOG" '^rootfs: pid 1'
	t_grep "$1: the tmpfs is gone" "$LOG" '^rescue: looked; on-sysroot 0$'
	t_nogrep "$1: no file escaped" "$LOG" '^rescue: found'
}
refused hostile-symlink "$WORK/evil.cpio.gz" ./evil/etc/pwned \
	'its directory is reached through a symlink that leads outside the new root'
refused hostile-dotdot "$WORK/dotdot.cpio.gz" ../../pwned 'it has a "\.\." component'

# A build without LAYERS=1 says how to get them.
boot plain-init --no-disk --timeout 30 -- root=tmpfs rd.image=/rootfs.tar panic=-1
t_grep "plain-init: names the build option" "$LOG" 'hint: build the image with make LAYERS=1 initramfs'
t_exit
