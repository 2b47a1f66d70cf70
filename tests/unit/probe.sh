#!/bin/bash
# Unit tests for the disk probes (init/find/probe*.c) through handoff-probe:
# filesystems made by their own mkfs tools and partition tables made by
# sfdisk/sgdisk are compared with util-linux blkid; then hostile images
# (truncated, overwritten with random bytes, looping EBR chains) run
# under AddressSanitizer/UBSan. Run from the repository root.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

t_need gcc clang musl-gcc blkid partx sfdisk sgdisk mke2fs mkfs.xfs mkfs.btrfs \
	mkfs.vfat mkfs.exfat mkfs.f2fs mksquashfs mkfs.erofs xorriso mkswap \
	timeout truncate dd od || t_exit

W=$(mktemp -d /tmp/probe-test.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT
# With the LUKS verbs (tools/probe_luks.c), their reader and the KDFs, and
# the LVM verb (tools/probe_lvm.c).
SRCS="tools/probe.c tools/probe_luks.c tools/probe_lvm.c $(echo init/find/probe*.c init/luks/json.c init/luks/luks.c \
	init/luks/unlock.c init/luks/aes.c init/crypto/*.c init/lvm/*.c) init/base/fmt.c init/base/util.c init/base/errtext.c"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinit"
P=$W/handoff-probe
PA=$W/handoff-probe-asan

# ---- builds ----
# shellcheck disable=SC2086
t_check build-gcc gcc $CFLAGS -O2 -o "$P" $SRCS
# shellcheck disable=SC2086
t_check build-clang clang $CFLAGS -O2 -o "$W/probe-clang" $SRCS
# shellcheck disable=SC2086
t_check build-asan clang $CFLAGS -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -o "$PA" $SRCS
(
	cd "$W" && for f in "$OLDPWD"/init/find/probe*.c; do
		# shellcheck disable=SC2086
		musl-gcc $CFLAGS -I"$OLDPWD/init" -static -Os -c "$f" || exit 1
	done
) >"$W/musl.log" 2>&1 && t_ok build-musl || t_fail build-musl "$(head -3 "$W/musl.log")"
[ -x "$P" ] && [ -x "$PA" ] || t_exit
# tests/unit/test_probe.c (C checks on memory buffers) is built and run
# by the Makefile and tests/run, like the other test_*.c.

# ---- helpers ----
fskeys() { grep -E '^(UUID|LABEL|TYPE)=' | sort; }
first_section() { sed '/^$/q'; }
# section N: the lines of the partition DEVNAME=...:pN of handoff-probe output
section() { awk -v d="DEVNAME=$1:p$2" '$0 == d { on = 1; next } /^$/ { on = 0 } on'; }

# same_as_blkid NAME IMG TYPE: TYPE/UUID/LABEL of the whole image agree
same_as_blkid() {
	local name=$1 img=$2 type=$3 exp got
	exp=$(blkid -o export -p "$img" | fskeys)
	got=$("$P" "$img" | first_section | fskeys)
	if ! grep -qx "TYPE=$type" <<<"$exp"; then
		t_fail "$name" "blkid does not see TYPE=$type: $(echo $exp)"
	elif [ "$exp" = "$got" ]; then
		t_ok "$name"
	else
		t_fail "$name" "blkid [$(echo $exp)] handoff-probe [$(echo $got)]"
	fi
}

mk() { rm -f "$W/$1"; truncate -s "$2" "$W/$1"; }

# ---- filesystems ----
mkdir -p "$W/src/dir" && echo hello >"$W/src/dir/file"
IMGS=()
fs() { IMGS+=("$1"); same_as_blkid "fs-$1" "$W/$1" "$2"; }

mk ext2 8M && mke2fs -q -t ext2 -L e2label "$W/ext2" && fs ext2 ext2
mk ext3 16M && mke2fs -q -t ext3 -L "ext three" "$W/ext3" && fs ext3 ext3
mk ext4 32M && mke2fs -q -t ext4 -L rootfs \
	-U 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 "$W/ext4" && fs ext4 ext4
mk ext4nl 8M && mke2fs -q -t ext4 -O ^has_journal "$W/ext4nl" && fs ext4nl ext4
mk xfs 300M && mkfs.xfs -q -L xfslabel \
	-m uuid=22222222-3333-4444-5555-666666666666 "$W/xfs" && fs xfs xfs
mk btrfs 128M && mkfs.btrfs -q -L "btr fs" \
	-U 33333333-4444-5555-6666-777777777777 "$W/btrfs" >/dev/null && fs btrfs btrfs
mk fat12 4M && mkfs.vfat -F 12 -n FAT12LBL -i 1234abcd "$W/fat12" >/dev/null &&
	fs fat12 vfat
mk fat16 32M && mkfs.vfat -F 16 -n "MY FAT16" -i deadbeef "$W/fat16" >/dev/null &&
	fs fat16 vfat
mk fat32 64M && mkfs.vfat -F 32 -n EFI -i 0badf00d "$W/fat32" >/dev/null 2>&1 &&
	fs fat32 vfat
mk fat32nl 40M && mkfs.vfat -F 32 -i cafe0001 "$W/fat32nl" >/dev/null && fs fat32nl vfat
# boot-sector label only (root directory entry deleted): blkid reports none
cp "$W/fat16" "$W/fat16bl"
printf '\345' | dd of="$W/fat16bl" bs=1 conv=notrunc status=none \
	seek=$(($(od -An -tu2 -j14 -N2 "$W/fat16") * 512 + 2 * $(od -An -tu2 -j22 -N2 "$W/fat16") * 512))
fs fat16bl vfat
mk exfat 16M && mkfs.exfat -L ExLabel "$W/exfat" >/dev/null && fs exfat exfat
mk f2fs 64M && mkfs.f2fs -q -l f2label -U 44444444-5555-6666-7777-888888888888 \
	"$W/f2fs" >/dev/null && fs f2fs f2fs
mksquashfs "$W/src" "$W/squashfs" -quiet -noappend >/dev/null && fs squashfs squashfs
mkfs.erofs --quiet -U 55555555-6666-7777-8888-999999999999 "$W/erofs" "$W/src" \
	>/dev/null 2>&1 && fs erofs erofs
# mkfs.erofs 1.5 has no -L: write the volume name into the superblock
cp "$W/erofs" "$W/erofsl" && printf 'rootfs-ro' |
	dd of="$W/erofsl" bs=1 seek=$((1024 + 64)) conv=notrunc status=none && fs erofsl erofs
xorriso -as mkisofs -quiet -V "Install Disc" -J -o "$W/iso" "$W/src" 2>/dev/null &&
	fs iso iso9660
xorriso -as mkisofs -quiet -V "abcdefghijklmnopqrstuvwxyz012345" -J \
	-o "$W/isolong" "$W/src" 2>/dev/null && fs isolong iso9660
xorriso -outdev "$W/isodate" -volid DATES -volume_date c 2020010203040500 \
	-volume_date m 2021050607080900 -map "$W/src" / >/dev/null 2>&1 && fs isodate iso9660
mk swap 16M && mkswap -q -L swaplabel -U 11111111-2222-3333-4444-555555555555 \
	"$W/swap" && fs swap swap
mk swapnl 1M && mkswap -q "$W/swapnl" && fs swapnl swap

# ---- partition tables ----
# check_part NAME IMG N UUID LABEL OFFSET SIZE (sectors of 512)
check_part() {
	local out=$W/$2.out sec
	sec=$(section "$W/$2" "$3" <"$out")
	local exp="PART_ENTRY_NUMBER=$3 PARTUUID=$4${5:+ PARTLABEL=$5} PART_ENTRY_OFFSET=$6 PART_ENTRY_SIZE=$7"
	local got
	got=$(grep -E '^PART(UUID|LABEL|_ENTRY_(NUMBER|OFFSET|SIZE))=' <<<"$sec" | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$exp" ] && t_ok "$1" || t_fail "$1" "want [$exp] got [$got]"
}

# check_fs_in NAME IMG N: the filesystem in partition N as blkid sees it
check_fs_in() {
	local off sz exp got
	off=$(section "$W/$2" "$3" <"$W/$2.out" | sed -n 's/^PART_ENTRY_OFFSET=//p')
	sz=$(section "$W/$2" "$3" <"$W/$2.out" | sed -n 's/^PART_ENTRY_SIZE=//p')
	exp=$(blkid -p -o export -O $((off * 512)) -S $((sz * 512)) "$W/$2" | fskeys)
	got=$(section "$W/$2" "$3" <"$W/$2.out" | fskeys)
	if [ -n "$exp" ] && [ "$exp" = "$got" ]; then
		t_ok "$1"
	else
		t_fail "$1" "blkid [$(echo $exp)] handoff-probe [$(echo $got)]"
	fi
}

# sfdisk_check NAME IMG: every partition of sfdisk -d agrees with us
sfdisk_check() {
	local name=$1 img=$2 id n start size uuid label
	id=$(sfdisk $SFD -d "$W/$img" | sed -n 's/^label-id: *//p')
	while IFS= read -r line; do
		n=$(sed -E 's/^[^ ]*[^0-9]([0-9]+) :.*/\1/' <<<"$line")
		start=$(sed -E 's/.*start= *([0-9]+).*/\1/' <<<"$line")
		size=$(sed -E 's/.*size= *([0-9]+).*/\1/' <<<"$line")
		uuid=$(sed -nE 's/.*uuid=([0-9A-Fa-f-]+).*/\1/p' <<<"$line")
		label=$(printf '%b' "$(sed -nE 's/.*name="([^"]*)".*/\1/p' <<<"$line")")
		if [ -z "$uuid" ]; then
			uuid=$(printf '%s-%02x' "${id#0x}" "$n")
		fi
		uuid=${uuid,,}
		check_part "$name-p$n" "$img" "$n" "$uuid" "${label// /\\ }" \
			$((start * ${3:-1})) $((size * ${3:-1}))
	done < <(sfdisk $SFD -d "$W/$img" | grep -E '^/|^[^ ]*[0-9] :' | grep start=)
}

mk mbr 100M
sfdisk -q "$W/mbr" <<'EOF'
label: dos
label-id: 0xa1b2c3d4
start=2048, size=20M, type=83
size=20M, type=c
size=5M, type=83
size=50M, type=5
size=10M, type=83
size=10M, type=82
size=10M, type=83
EOF
dd if="$W/ext4" of="$W/mbr" bs=1M seek=1 count=20 conv=notrunc status=none
dd if="$W/fat16" of="$W/mbr" bs=1M seek=21 count=20 conv=notrunc status=none
mkswap -q -L lswap "$W/swapnl" && dd if="$W/swapnl" of="$W/mbr" bs=512 \
	seek=$(sfdisk -d "$W/mbr" | sed -nE 's/.*6 : start= *([0-9]+).*/\1/p') \
	conv=notrunc status=none
dd if="$W/squashfs" of="$W/mbr" bs=512 \
	seek=$(sfdisk -d "$W/mbr" | sed -nE 's/.*7 : start= *([0-9]+).*/\1/p') \
	conv=notrunc status=none
"$P" "$W/mbr" >"$W/mbr.out"
t_grep mbr-pttype "$W/mbr.out" '^PTTYPE=dos$'
t_grep mbr-ptuuid "$W/mbr.out" '^PTUUID=a1b2c3d4$'
sfdisk_check mbr mbr
check_fs_in mbr-fs-p1 mbr 1
check_fs_in mbr-fs-p2 mbr 2
check_fs_in mbr-fs-p6 mbr 6
check_fs_in mbr-fs-p7 mbr 7
IMGS+=(mbr)

# ---- DOS numbering as the kernel's: sfdisk tables patched with dd ----
# same_as_partx NAME IMG: every partition's number, start, size and
# PARTUUID as partx (libblkid, numbering like the kernel) lists them
same_as_partx() {
	local exp got
	exp=$(partx -g -o NR,START,SECTORS,UUID "$W/$2" | awk '{ print $1, $2, $3, $4 }')
	got=$("$P" "$W/$2" | awk -F= '/^PART_ENTRY_NUMBER=/ { n = $2 } /^PARTUUID=/ { u = $2 }
		/^PART_ENTRY_OFFSET=/ { o = $2 } /^PART_ENTRY_SIZE=/ { print n, o, $2, u }')
	if [ -n "$exp" ] && [ "$exp" = "$got" ]; then
		t_ok "$1"
	else
		t_fail "$1" "partx [$(echo $exp)] handoff-probe [$(echo $got)]"
	fi
}
# copy FROM FROM_BYTE TO TO_BYTE LEN: LEN bytes between images (or within one)
copy() {
	dd if="$W/$1" of="$W/$3" bs=64K skip="$2" seek="$4" count="$5" conv=notrunc \
		iflag=skip_bytes,count_bytes oflag=seek_bytes status=none
}
# ebr_at IMG EXT N: the sector of the EBR that holds logical N, following
# the links of the extended partition at sector EXT
ebr_at() {
	local cur=$2 n=5
	for ((; n < $3; n++)); do
		cur=$(($2 + $(od -An -tu4 -j$((cur * 512 + 446 + 16 + 8)) -N4 "$W/$1")))
	done
	echo "$cur"
}
mk dosmany 100M
sfdisk -q "$W/dosmany" <<'EOF2'
label: dos
label-id: 0x5eedbeef
start=2048, size=4M, type=83
start=10240, size=40M, type=5
EOF2
for i in $(seq 5 16); do echo "size=2M, type=83"; done | sfdisk -q -a "$W/dosmany"
same_as_partx dos-many-logicals dosmany
t_grep dos-partuuid-hex <("$P" "$W/dosmany") '^PARTUUID=5eedbeef-0a$'

# logical 5's entry of type 0 (its size kept): still 5, the root is 6
cp "$W/dosmany" "$W/ebrtype0"
printf '\0' | dd of="$W/ebrtype0" bs=1 seek=$(($(ebr_at dosmany 10240 5) * 512 + 446 + 4)) \
	conv=notrunc status=none
same_as_partx dos-ebr-type0 ebrtype0


# entries 3 and 4 of an EBR: the second half of logical 6 (inside the
# link: a partition, 7) and a copy of the MBR's first entry (outside the
# link: garbage, skipped)
cp "$W/dosmany" "$W/ebr34"
e=$(($(ebr_at dosmany 10240 6) * 512 + 446))
copy ebr34 "$e" ebr34 $((e + 32)) 16
printf '\x00\x0c\x00\x00\x00\x04\x00\x00' | # start 2048 + 1024, size 1024
	dd of="$W/ebr34" bs=1 seek=$((e + 32 + 8)) conv=notrunc status=none
copy ebr34 446 ebr34 $((e + 48)) 16
same_as_partx dos-ebr-entries-3-4 ebr34
IMGS+=(ebr34)

# a primary of type 0 with a size
cp "$W/dosmany" "$W/prim0"
printf '\0' | dd of="$W/prim0" bs=1 seek=$((446 + 4)) conv=notrunc status=none
same_as_partx dos-primary-type0 prim0

# two extended partitions (sfdisk makes one a table: the second comes
# from another table): logicals of both, numbered on
mk ext2nd 100M
sfdisk -q "$W/ext2nd" <<'EOF2'
label: dos
start=2048, size=4M, type=83
start=10240, size=20M, type=83
start=102400, size=40M, type=f
start=104448, size=2M, type=83
size=3M, type=83
EOF2
cp "$W/dosmany" "$W/twoext"
copy ext2nd $((446 + 32)) twoext $((446 + 32)) 16
copy ext2nd $((102400 * 512)) twoext $((102400 * 512)) $((8 * 1024 * 1024))
same_as_partx dos-two-extended twoext
IMGS+=(twoext)

mk gpt 100M
sfdisk -q "$W/gpt" <<'EOF'
label: gpt
label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
start=2048, size=40M, type=uefi, name="EFI system", uuid=AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE
size=30M, type=linux, name="root fs ünï"
size=10M, type=swap, name=swap
size=5M, type=linux
EOF
dd if="$W/fat32" of="$W/gpt" bs=1M seek=1 count=40 conv=notrunc status=none
dd if="$W/ext4" of="$W/gpt" bs=1M seek=41 count=30 conv=notrunc status=none
dd if="$W/swap" of="$W/gpt" bs=1M seek=71 count=10 conv=notrunc status=none
"$P" "$W/gpt" >"$W/gpt.out"
t_grep gpt-pttype "$W/gpt.out" '^PTTYPE=gpt$'
t_grep gpt-ptuuid "$W/gpt.out" '^PTUUID=01234567-89ab-cdef-0123-456789abcdef$'
sfdisk_check gpt gpt
check_fs_in gpt-fs-p1 gpt 1
check_fs_in gpt-fs-p2 gpt 2
check_fs_in gpt-fs-p3 gpt 3
IMGS+=(gpt)

# 4096-byte sectors: sfdisk 2.38 takes the sector size from a loop device
mk gpt4k 64M
if L=$(losetup -b 4096 -f --show "$W/gpt4k" 2>"$W/losetup.err"); then
	sfdisk -q "$L" >/dev/null 2>&1 <<'EOF'
label: gpt
start=256, size=8M, type=linux, name=four-k
size=8M, type=linux, name=second
EOF
	sfdisk -d "$L" | sed "s|^$L|$W/gpt4k|" >"$W/gpt4k.dump"
	losetup -d "$L"
	dd if="$W/ext2" of="$W/gpt4k" bs=1M seek=1 conv=notrunc status=none
	"$P" "$W/gpt4k" >"$W/gpt4k.out"
	t_grep gpt4k-pttype "$W/gpt4k.out" '^PTTYPE=gpt$'
	sfdisk() { cat "$W/gpt4k.dump"; }
	sfdisk_check gpt4k gpt4k 8
	unset -f sfdisk
	check_fs_in gpt4k-fs-p1 gpt4k 1
	IMGS+=(gpt4k)
else
	t_fail gpt4k "losetup -b 4096 failed (needs root): $(cat "$W/losetup.err")"
fi

mk sgdisk 50M
sgdisk -o -n 1:2048:+10M -c 1:boot -n 3:0:+10M -c 3:"data part" -t 3:8300 \
	-U 11112222-3333-4444-5555-666677778888 "$W/sgdisk" >/dev/null
"$P" "$W/sgdisk" >"$W/sgdisk.out"
t_grep sgdisk-ptuuid "$W/sgdisk.out" '^PTUUID=11112222-3333-4444-5555-666677778888$'
for n in 1 3; do
	u=$(sgdisk -i $n "$W/sgdisk" | sed -n 's/^Partition unique GUID: //p')
	l=$(sgdisk -i $n "$W/sgdisk" | sed -n "s/^Partition name: '\(.*\)'$/\1/p")
	f=$(sgdisk -i $n "$W/sgdisk" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
	e=$(sgdisk -i $n "$W/sgdisk" | sed -n 's/^Last sector: \([0-9]*\).*/\1/p')
	check_part "sgdisk-p$n" sgdisk $n "${u,,}" "${l// /\\ }" "$f" $((e - f + 1))
done
t_nogrep sgdisk-no-p2 "$W/sgdisk.out" ':p2$'
# Each GPT entry's type GUID and attribute bits (GPT auto-discovery reads
# them), as util-linux partx lists them: a root-x86-64 type with
# bits 60 and 63, a root-arm64 one with none.
mk gpttype 50M
sgdisk -o -n 1:2048:+10M -t 1:4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 -A 1:set:60 -A 1:set:63 \
	-n 2:0:+10M -t 2:B921B045-1DF0-41C3-AF44-4C6F280D3FAE "$W/gpttype" >/dev/null
"$P" "$W/gpttype" >"$W/gpttype.out"
for n in 1 2; do
	exp=$(partx -g -o TYPE,FLAGS -n $n "$W/gpttype" | tr -s ' ' | sed 's/^ //')
	got=$(section "$W/gpttype" $n <"$W/gpttype.out" |
		sed -n 's/^PART_ENTRY_TYPE=//p; s/^PART_ENTRY_FLAGS=//p' | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$exp" ] && t_ok "gpt-type-flags-p$n" || t_fail "gpt-type-flags-p$n" "partx [$exp] handoff-probe [$got]"
done

# GPT: corrupt primary header -> backup; corrupt primary entries -> backup;
# both headers corrupt -> not GPT (and not dos either)
flip() { printf '\125' | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
sz=$(stat -c %s "$W/gpt")
cp "$W/gpt" "$W/gptbad1" && flip "$W/gptbad1" $((512 + 60))
"$P" "$W/gptbad1" >"$W/gptbad1.out"
if diff <(sed "s|gptbad1|gpt|" "$W/gptbad1.out") "$W/gpt.out" >/dev/null; then
	t_ok gpt-backup-header
else
	t_fail gpt-backup-header "output differs from intact table"
fi
cp "$W/gpt" "$W/gptbad2" && flip "$W/gptbad2" $((1024 + 130))
"$P" "$W/gptbad2" >"$W/gptbad2.out"
if diff <(sed "s|gptbad2|gpt|" "$W/gptbad2.out") "$W/gpt.out" >/dev/null; then
	t_ok gpt-backup-entries
else
	t_fail gpt-backup-entries "output differs from intact table"
fi
cp "$W/gptbad1" "$W/gptbad3" && flip "$W/gptbad3" $((sz - 512 + 60))
timeout 5 "$PA" "$W/gptbad3" >"$W/gptbad3.out" 2>&1
rc=$?
[ $rc = 2 ] && t_ok gpt-both-bad-rc || t_fail gpt-both-bad-rc "exit $rc, want 2"
t_nogrep gpt-both-bad-nopt "$W/gptbad3.out" '^PTTYPE='
IMGS+=(gptbad1 gptbad3 sgdisk)

# ---- exit codes ----
"$P" "$W/nonexistent" >/dev/null 2>"$W/err"
rc=$?
[ $rc = 1 ] && t_ok exit-error || t_fail exit-error "exit $rc, want 1"
t_grep exit-error-msg "$W/err" "^handoff-probe: $W/nonexistent: No such file or directory$"
mk zero 1M
"$P" "$W/zero" >/dev/null
rc=$?
[ $rc = 2 ] && t_ok exit-nothing || t_fail exit-nothing "exit $rc, want 2"
"$P" "$W/zero" "$W/ext4" >/dev/null
rc=$?
[ $rc = 0 ] && t_ok exit-something || t_fail exit-something "exit $rc, want 0"

# ---- hostile input, under ASan/UBSan ----
export ASAN_OPTIONS=exitcode=86:detect_leaks=0 UBSAN_OPTIONS=exitcode=86:print_stacktrace=1
# run_one FILE...: 0 if the sanitized build exits 0/1/2 in time, no report
run_one() {
	timeout $((5 * $#)) "$PA" "$@" >/dev/null 2>"$W/asan.err"
	case $? in
	0 | 1 | 2) ! grep -q 'Sanitizer\|runtime error' "$W/asan.err" ;;
	*) return 1 ;;
	esac
}

# hostile NAME FILE...: each file must give exit 0/1/2 within 5 s and no
# sanitizer report. All files go to one process; on a failure each is
# run alone to name the culprits.
hostile() {
	local name=$1 f bad=
	shift
	if run_one "$@"; then
		t_ok "$name"
		return
	fi
	for f in "$@"; do
		run_one "$f" || bad="$bad ${f##*/}"
	done
	t_fail "$name" "failed:${bad:- (only together)} $(head -c 300 "$W/asan.err")"
}

# EBR chains that loop: onto itself, two EBRs pointing at each other,
# and a chain longer than the 128 partitions kept.
le32() {
	printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}
# ebr FILE LBA TYPE0 START0 SIZE0 TYPE1 START1 SIZE1: writes the two
# first entries and the 0x55AA signature of the table sector at LBA
ebr() {
	local z='\x00\x00\x00\x00'
	printf "$z\\x$(printf %02x "$3")\\x00\\x00\\x00$(le32 "$4")$(le32 "$5")$z\\x$(printf %02x "$6")\\x00\\x00\\x00$(le32 "$7")$(le32 "$8")$z$z$z$z$z$z$z$z\\x55\\xaa" |
		dd of="$1" bs=1 seek=$(($2 * 512 + 446)) conv=notrunc status=none
}
mk ebrloop 8M
ebr "$W/ebrloop" 0 5 2048 8192 0 0 0
ebr "$W/ebrloop" 2048 131 100 10 5 0 100 # next EBR: itself
mk ebrloop2 8M
ebr "$W/ebrloop2" 0 15 2048 8192 0 0 0
ebr "$W/ebrloop2" 2048 131 10 10 5 1000 100
ebr "$W/ebrloop2" 3048 131 10 10 5 0 100
mk ebrlong 8M
ebr "$W/ebrlong" 0 5 2048 8192 0 0 0
for i in $(seq 0 139); do
	ebr "$W/ebrlong" $((2048 + i * 16)) 131 1 8 5 $(((i + 1) * 16)) 16
done
for f in ebrloop ebrloop2 ebrlong; do
	timeout 5 "$PA" "$W/$f" >"$W/$f.out" 2>&1
	rc=$?
	n=$(grep -c '^DEVNAME=.*:p' "$W/$f.out")
	if [ $rc = 0 ] && [ "$n" -ge 2 ] && [ "$n" -le 129 ]; then
		t_ok "hostile-$f"
	else
		t_fail "hostile-$f" "exit $rc, $n partitions"
	fi
done
t_grep hostile-ebrloop-p5 "$W/ebrloop.out" '^PARTUUID=00000000-05$'

mk ones 1M && tr '\0' '\377' <"$W/ones" >"$W/ones.tmp" && mv "$W/ones.tmp" "$W/ones"
: >"$W/empty"
hostile hostile-special "$W/zero" "$W/ones" "$W/empty"

CUTS="1 511 512 1023 1100 2047 4095 4097 8191 32767 34000 65535 66000
1048576"
for img in "${IMGS[@]}"; do
	[ -f "$W/$img" ] || continue
	files=()
	sz=$(stat -c %s "$W/$img")
	for c in $CUTS $((sz / 2)) $((sz - 512)); do
		[ "$c" -lt "$sz" ] || continue
		if [ "$c" -le 1048576 ]; then
			head -c "$c" "$W/$img" >"$W/cut.$c"
		else
			cp --sparse=always "$W/$img" "$W/cut.$c" && truncate -s "$c" "$W/cut.$c"
		fi
		files+=("$W/cut.$c")
	done
	hostile "hostile-truncated-$img" "${files[@]}"
	rm -f "${files[@]}"
	files=()
	for i in 1 2 3 4 5 6; do
		cp --sparse=always "$W/$img" "$W/rnd.$i"
		for off in 0 512 1024 1024 2048 32768 65536 $((sz - 512)); do
			[ $((RANDOM % 3)) = 0 ] && continue
			# large blocks on odd runs, a few bytes on even ones
			dd if=/dev/urandom of="$W/rnd.$i" bs=1 \
				count=$((i % 2 ? RANDOM % 600 + 1 : RANDOM % 4 + 1)) \
				seek=$((off + RANDOM % 512)) conv=notrunc status=none
		done
		files+=("$W/rnd.$i")
	done
	hostile "hostile-random-$img" "${files[@]}"
	rm -f "${files[@]}"
done

t_exit
