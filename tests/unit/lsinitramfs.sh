#!/bin/bash
# handoff-lsinitramfs (tools/lsinitramfs.c, tools/newc.c): every member of
# every segment of concatenated images made by mkcpio (uncompressed, then
# compressed with each tool, with and without zero padding between),
# listed as cpio -tv lists each part; hostile images refused naming the
# offset; nothing on the host touched; and Debian's lsinitramfs listing
# both parts of an image with an early microcode archive as ours does.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
BUILD=${BUILD:-build}
LS=$BUILD/host/handoff-lsinitramfs
MK=$BUILD/host/mkcpio
t_need cpio gzip zstd xz lz4 bzip2 lsinitramfs || t_exit
make -s "$LS" "$MK" >/dev/null 2>&1 || { t_fail "build $LS" "make $LS $MK failed"; t_exit; }
LS=$(realpath "$LS") MK=$(realpath "$MK")
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# The early part: the layout handoff-mkinitramfs writes for microcode.
head -c 1024 /dev/urandom >intel.bin
head -c 144 /dev/urandom >amd.bin
cat >early.list <<'EOF'
dir /kernel 0755 0 0
dir /kernel/x86 0755 0 0
dir /kernel/x86/microcode 0755 0 0
file /kernel/x86/microcode/AuthenticAMD.bin ${T}/amd.bin 0644 0 0
file /kernel/x86/microcode/GenuineIntel.bin ${T}/intel.bin 0644 0 0
EOF
# The main part: every entry type.
printf '#!/bin/sh\necho hi\n' >init.sh
cat >main.list <<'EOF'
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/vda 0660 0 6 b 254 0
dir /etc 0755 0 0
file /init ${T}/init.sh 0755 0 0
file /etc/hostname ${T}/amd.bin 0640 0 4 /etc/hostname2
slink /bin /usr/bin 0777 0 0
pipe /run-fifo 0600 0 0
dir /usr 0755 0 0
dir /usr/bin 0755 0 0
EOF
export T
$MK -c none -o early.cpio early.list || t_fail mkcpio "mkcpio -c none failed"
for c in none gzip zstd xz; do
	$MK -c $c -o main.$c main.list || t_fail mkcpio "mkcpio -c $c failed"
done
lz4 -l -q -c main.none >main.lz4 # the kernel reads lz4's legacy format
bzip2 -c main.none >main.bzip2

# same LISTING CPIO: the members of LISTING (one segment's lines) are
# those of cpio -tv on CPIO: names, modes, sizes (major, minor), targets.
# shellcheck disable=SC2317 # called through t_check
same() {
	cpio -tv --quiet <"$2" | awk '{ f = 9; s = $5; if ($1 ~ /^[bc]/) { s = $5 " " $6; f = 10 }
		n = $f; for (i = f + 1; i <= NF; i++) n = n " " $i; print $1, s, n }' >"$T/want"
	awk '!/^#/ { if ($1 ~ /^[bc]/) s = $5 " " $6; else s = $5
		n = $NF; if ($(NF - 1) == "->") n = $(NF - 2) " -> " $NF; print $1, s, n }' "$1" >"$T/got"
	cmp -s "$T/want" "$T/got"
}
# segment LISTING N: the member lines of segment N.
segment() { awk -v n="$2" '/^# segment / { s = ($3 == n ":") ; next } s' "$1"; }

size=$(wc -c <early.cpio)
for c in zstd gzip xz lz4 bzip2; do
	cat early.cpio main.$c >img.$c
	if $LS img.$c >out.$c 2>err.$c; then t_ok "$c: listed"; else t_fail "$c: listed" "$(cat err.$c)"; fi
	t_grep "$c: segment 1 is the uncompressed early cpio at 0" out.$c '^# segment 1: uncompressed cpio at 0$'
	t_grep "$c: segment 2 is $c at $size" out.$c "^# segment 2: $c at $size\$"
	t_check "$c: no third segment" test "$(grep -c '^# segment' out.$c)" = 2
	segment out.$c 1 >seg1
	segment out.$c 2 >seg2
	t_check "$c: segment 1 lists as cpio -tv lists the early part" same seg1 early.cpio
	t_check "$c: segment 2 lists as cpio -tv lists the main part" same seg2 main.none
done
t_grep "entries: a character device with its numbers" out.zstd '^crw------- +1 +0 +0 +5, +1 dev/console$'
t_grep "entries: a symlink with its target" out.zstd '^lrwxrwxrwx .* bin -> /usr/bin$'
t_grep "entries: a hard link's count and owner" out.zstd '^-rw-r----- +2 +0 +4 +0 etc/hostname$'
t_grep "entries: the data with the link's last name" out.zstd '^-rw-r----- +2 +0 +4 +144 etc/hostname2$'
t_grep "entries: a FIFO" out.zstd '^prw------- .* run-fifo$'

# Zero padding to 512 between the parts; two uncompressed archives; two
# zstd archives concatenated (one segment, both archives' members).
padto=$(((size + 511) / 512 * 512))
{ cat early.cpio; head -c $((padto - size)) /dev/zero; cat main.zstd; } >padded
$LS padded >out.padded
t_grep "padding: the zstd segment found after the zeros" out.padded "^# segment 2: zstd at $padto\$"
cat early.cpio main.none >two
$LS two >out.two
t_grep "uncompressed twice: two segments" out.two "^# segment 2: uncompressed cpio at $size\$"
t_check "uncompressed twice: the second lists as cpio -tv" same <(segment out.two 2) main.none
$MK -c zstd -o early.zstd early.list
cat main.zstd early.zstd >zz
$LS zz >out.zz
t_check "zstd twice: one segment" test "$(grep -c '^# segment' out.zz)" = 1
t_check "zstd twice: both archives' members" test "$(grep -vc '^#' out.zz)" = $(($(cpio -t --quiet <main.none | wc -l) + 5))
$LS -q img.zstd >out.q
t_check "-q: the segment lines only" test "$(cat out.q)" = "$(grep '^#' out.zstd)"

# ---- hostile images: exit 1, the offset named ----
# refuse NAME FILE PATTERN: exit status 1 and PATTERN on stderr.
refuse() {
	local rc=0
	$LS "$2" >/dev/null 2>"$T/err" || rc=$?
	if [ $rc = 1 ] && grep -Eq -- "$3" "$T/err"; then t_ok "hostile: $1"; else
		t_fail "hostile: $1" "exit $rc, stderr: $(head -c 300 "$T/err")"
	fi
}
# put FILE OFFSET TEXT: a copy of early.cpio as FILE with TEXT at OFFSET.
put() { cp early.cpio "$1" && printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# The headers: kernel at 0 (110 + "kernel\0", padded to 120), kernel/x86
# at 120 (124), kernel/x86/microcode at 244 (132), AuthenticAMD.bin at 376
# (148, then 144 bytes of data).
head -c 150 early.cpio >t1 && refuse "truncated in a header" t1 'truncated header at offset 120'
head -c 600 early.cpio >t2 && refuse "truncated in the data" t2 'AuthenticAMD.bin \(entry at offset 376, 144 bytes\) runs past the end'
head -c $((size - 200)) early.cpio >t3 && refuse "no trailer" t3 'truncated header at offset|cut short|runs past the end'
put badmagic 120 X
refuse "bad magic in the second header" badmagic 'bad magic at offset 120'
{ cat early.cpio; printf 'garbage!'; } >trail
refuse "garbage after the archive" trail "bad magic at offset $size: neither a newc cpio header"
# namesize is the 12th field: bytes 94 to 101 of a header.
put bigname $((120 + 94)) FFFFFFFF
refuse "huge namesize" bigname 'bad header at offset 120: .*name size is 0 or over 4096'
put zeroname 94 00000000
refuse "namesize 0" zeroname 'bad header at offset 0'
put nothex 14 zz
refuse "a field that is not hex" nothex 'bad header at offset 0'
# The first name ("kernel", namesize 7) without its NUL.
put nonul 116 X
refuse "a name without its NUL" nonul 'name of the entry at offset 0 is not one NUL-ended string'
{ cat early.cpio; head -c 40 main.zstd; } >cutzstd
refuse "a cut zstd segment" cutzstd "zstd .*segment at $size|after decompression"
mkdir adir && refuse "a directory" adir 'not a regular file'
refuse "a missing file" nosuch 'nosuch: No such file or directory'
: >empty && refuse "an empty file" empty 'empty: no segment'
cat early.cpio main.lz4 >img.lz4b
rc=0
PATH=$T/nobin $LS img.lz4b >/dev/null 2>err.path || rc=$?
t_check "a missing decompressor: exit 1" test $rc = 1
t_grep "a missing decompressor names the package" err.path 'cannot run lz4 .*install the package lz4'

# Names that would reach out of a directory, a link to /etc: listed as
# they are, and nothing created or followed here.
mkdir scratch && cd scratch || exit 1
cat >../evil.list <<'EOF'
slink /x /etc 0777 0 0
dir /y 0755 0 0
file /y/passwd ${T}/init.sh 0644 0 0
EOF
$MK -c none -o ../evil.cpio ../evil.list
# A name with .. in it, which mkcpio does not write: patch "y/passwd".
sed 's|y/passwd|../e/pwd|' ../evil.cpio >../evil2.cpio
$LS ../evil.cpio ../evil2.cpio >../out.evil 2>&1
t_grep "hostile: a link to /etc is listed" ../out.evil 'x -> /etc$'
t_grep "hostile: a name with .. is listed as it is" ../out.evil ' \.\./e/pwd$'
t_check "hostile: nothing was created where it ran" test -z "$(ls -A)"
cd "$T" || exit 1

# ---- Debian's lsinitramfs on the same image: both parts ----
lsinitramfs img.zstd 2>err.deb | sed 's|^\./||' | grep -vx '\.' | sort >deb.names
grep -v '^#' out.zstd | awk '{ n = $NF; if ($(NF - 1) == "->") n = $(NF - 2); print n }' | sort >our.names
t_check "lsinitramfs: Debian's lists the early part" grep -qx 'kernel/x86/microcode/GenuineIntel.bin' deb.names
t_check "lsinitramfs: Debian's lists the main part" grep -qx 'init' deb.names
if cmp -s deb.names our.names; then t_ok "lsinitramfs: Debian's and ours list the same names"; else
	t_fail "lsinitramfs: Debian's and ours list the same names" "$(diff deb.names our.names | head -5 | tr '\n' ' ')"
fi
t_exit
