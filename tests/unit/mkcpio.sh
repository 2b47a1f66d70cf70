#!/bin/bash
# Unit tests for tools/mkcpio: archives that GNU cpio and an independent
# header walker accept, reproducible output, compression, and a refusal
# with "LIST:LINE: reason" for every kind of bad input.
# Run from the repo root after building ${BUILD:-build}/host/mkcpio.
# shellcheck disable=SC2016 # ${VAR} in lists is for mkcpio, not the shell
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

MK=$(realpath -e "${BUILD:-build}/host/mkcpio" 2>/dev/null)
if [ ! -x "$MK" ]; then
	t_fail mkcpio-built "${BUILD:-build}/host/mkcpio is missing: build it first"
	t_exit
fi
t_need cpio gzip zcat zstd xz od awk cmp setpriv truncate || t_exit

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
unset SOURCE_DATE_EPOCH

# walk ARCHIVE: an independent newc reader. Checks magic, 4-byte alignment
# of every header, namesize, NUL padding, filesize 0 for non-data types, the
# trailer and that nothing follows it; prints one line per entry:
# name mode(octal) ino nlink uid gid mtime filesize rdevmajor rdevminor
walk() {
	od -An -v -tx1 "$1" | awk '
	function hex(s,   i, c, v) {
		v = 0
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", tolower(substr(s, i, 1)))
			if (!c)
				return -1
			v = v * 16 + c - 1
		}
		return v
	}
	function str(off, len,   s, i) {
		s = ""
		for (i = 0; i < len; i++)
			s = s sprintf("%c", B[off + i])
		return s
	}
	function die(msg) {
		print "walk: " msg > "/dev/stderr"
		bad = 1
		exit 1
	}
	function zeros(from, to,   i) {
		for (i = from; i < to; i++)
			if (B[i] != 0)
				die("non-NUL padding at " i)
	}
	function align(x) { while (x % 4) x++; return x }
	{ for (i = 1; i <= NF; i++) B[n++] = hex($i) }
	END {
		if (bad)
			exit 1
		off = 0
		while (off < n) {
			if (off % 4)
				die("header at " off " is not 4-byte aligned")
			if (off + 110 > n)
				die("truncated header at " off)
			if (str(off, 6) != "070701")
				die("bad magic at " off)
			for (f = 0; f < 13; f++) {
				F[f] = hex(str(off + 6 + f * 8, 8))
				if (F[f] < 0)
					die("bad hex field " f " at " off)
			}
			mode = F[1]; size = F[6]; ns = F[11]
			if (ns < 1 || ns > 4096)
				die("namesize " ns " at " off)
			if (off + 110 + ns > n)
				die("name runs past the end at " off)
			for (i = 0; i < ns - 1; i++)
				if (B[off + 110 + i] == 0)
					die("NUL inside the name at " off)
			if (B[off + 110 + ns - 1] != 0)
				die("name not NUL-terminated at " off)
			if (F[7] || F[8] || F[12])
				die("devmajor/devminor/check not 0 at " off)
			name = str(off + 110, ns - 1)
			data = align(off + 110 + ns)
			zeros(off + 110 + ns, data)
			type = int(mode / 4096)
			if (type != 8 && type != 10 && size)
				die("non-regular entry " name " has data")
			if (data + size > n)
				die("data of " name " runs past the end")
			off = align(data + size)
			zeros(data + size, off)
			printf "%s %o %d %d %d %d %d %d %d %d\n", name, mode,
				F[0], F[4], F[2], F[3], F[5], size, F[9], F[10]
			if (name == "TRAILER!!!") {
				trailer = 1
				if (size)
					die("trailer has data")
				break
			}
		}
		if (!trailer)
			die("no TRAILER!!! entry")
		if (off != n)
			die((n - off) " bytes after the trailer")
	}'
}

# ---- fixtures ----
S=$T/src
mkdir -p "$S" "$T/out"
printf '#!/bin/sh\necho hi\n' >"$S/init"	# 18 bytes: needs padding
head -c 1001 /dev/urandom >"$S/bb"
: >"$S/empty"
export MKCPIO_SRC=$S

cat >"$T/main.list" <<'EOF'
# handoff test list

dir /bin 0755 0 0
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/sda 0660 0 6 b 8 0
file /init ${MKCPIO_SRC}/init 0755 0 0
file /bin/busybox ${MKCPIO_SRC}/bb 0755 0 0 /bin/sh2 /bin/ls2
slink /bin/sh busybox 0777 0 0
	pipe /fifo 0600 1 2
sock /sock 0600 0 0
dir etc 0755 0 0
file /etc/empty ${MKCPIO_SRC}/empty 0644 0 0
EOF

M=1234567890
cat >"$T/main.expect" <<EOF
bin 40755 1 1 0 0 $M 0 0 0
dev 40755 2 1 0 0 $M 0 0 0
dev/console 20600 3 1 0 0 $M 0 5 1
dev/sda 60660 4 1 0 6 $M 0 8 0
init 100755 5 1 0 0 $M 18 0 0
bin/busybox 100755 6 3 0 0 $M 0 0 0
bin/sh2 100755 6 3 0 0 $M 0 0 0
bin/ls2 100755 6 3 0 0 $M 1001 0 0
bin/sh 120777 7 1 0 0 $M 7 0 0
fifo 10600 8 1 1 2 $M 0 0 0
sock 140600 9 1 0 0 $M 0 0 0
etc 40755 10 1 0 0 $M 0 0 0
etc/empty 100644 11 1 0 0 $M 0 0 0
TRAILER!!! 0 0 1 0 0 0 0 0 0
EOF

A=$T/out/main.cpio
"$MK" -t $M -o "$A" "$T/main.list" 2>"$T/main.err"
t_check mkcpio-main-runs test -s "$A" -a ! -s "$T/main.err"

# ---- format, checked by our own walker ----
if walk "$A" >"$T/main.walk" 2>"$T/walk.err"; then
	t_ok mkcpio-walk-alignment-magic-trailer
else
	t_fail mkcpio-walk-alignment-magic-trailer "$(cat "$T/walk.err")"
fi
if cmp -s "$T/main.walk" "$T/main.expect"; then
	t_ok mkcpio-headers-ino-nlink-mode-size-rdev
else
	t_fail mkcpio-headers-ino-nlink-mode-size-rdev \
		"$(diff "$T/main.expect" "$T/main.walk" | tr '\n' ' ')"
fi
# the walker must itself catch misalignment and truncation
{ printf 'xx'; cat "$A"; } >"$T/shifted.cpio"
head -c $(($(stat -c %s "$A") - 8)) "$A" >"$T/cut.cpio"
if ! walk "$T/shifted.cpio" >/dev/null 2>&1 && ! walk "$T/cut.cpio" >/dev/null 2>&1; then
	t_ok mkcpio-walker-detects-bad-archives
else
	t_fail mkcpio-walker-detects-bad-archives "walker accepted a shifted or cut archive"
fi
# the data of a hard-linked file is stored once, after the last name
sizes=$(awk '$3 == 6 { printf "%s ", $8 }' "$T/main.walk")
t_check mkcpio-hardlink-data-on-last test "$sizes" = "0 0 1001 "

# ---- GNU cpio reads it ----
cpio -t --quiet <"$A" >"$T/names" 2>"$T/cpio.err"
awk '{ print $1 }' "$T/main.expect" | grep -v TRAILER >"$T/names.expect"
t_check mkcpio-cpio-t-lists-all-names cmp -s "$T/names" "$T/names.expect"
cpio -itv --quiet --numeric-uid-gid <"$A" >"$T/tv" 2>/dev/null
t_grep mkcpio-cpio-itv-console-chr-5-1 "$T/tv" '^crw------- +1 +0 +0 +5, +1 .* dev/console$'
t_grep mkcpio-cpio-itv-blockdev-8-0-gid6 "$T/tv" '^brw-rw---- +1 +0 +6 +8, +0 .* dev/sda$'
t_grep mkcpio-cpio-itv-symlink-target "$T/tv" '^lrwxrwxrwx .* bin/sh -> busybox$'
t_grep mkcpio-cpio-itv-fifo-owner "$T/tv" '^prw------- +1 +1 +2 .* fifo$'
t_grep mkcpio-cpio-itv-socket "$T/tv" '^srw------- .* sock$'
t_grep mkcpio-cpio-itv-init-mode "$T/tv" '^-rwxr-xr-x +1 +0 +0 +18 .* init$'
t_grep mkcpio-cpio-itv-hardlinks-nlink3 "$T/tv" '^-rwxr-xr-x +3 +0 +0 +1001 .* bin/ls2$'

# extract what needs no root: regular files, directories, symlinks
X=$T/x
mkdir "$X"
(cd "$X" && cpio -id --quiet bin 'bin/*' init etc 'etc/*' <"$A") 2>"$T/x.err"
t_check mkcpio-extract-file-identical cmp "$S/init" "$X/init"
t_check mkcpio-extract-empty-file test -f "$X/etc/empty" -a ! -s "$X/etc/empty"
ok=1
for n in busybox sh2 ls2; do cmp -s "$S/bb" "$X/bin/$n" || ok=0; done
[ "$(stat -c %i "$X/bin/busybox")" = "$(stat -c %i "$X/bin/ls2")" ] || ok=0
[ "$(stat -c %i "$X/bin/sh2")" = "$(stat -c %i "$X/bin/ls2")" ] || ok=0
if [ $ok = 1 ]; then t_ok mkcpio-extract-hardlinks; else
	t_fail mkcpio-extract-hardlinks "hard links differ or are not one inode: $(stat -c '%i %n' "$X"/bin/* | tr '\n' ' ')"
fi
t_check mkcpio-extract-symlink test "$(readlink "$X/bin/sh")" = busybox
t_check mkcpio-extract-init-mode test "$(stat -c %a "$X/init")" = 755

# ---- /dev/console without root ----
N=$T/nobody
mkdir "$N"
chmod 755 "$T"
chmod 1777 "$N"
cp "$MK" "$N/mkcpio"
cp "$S/init" "$N/init"
chmod 755 "$N/mkcpio"
chmod 644 "$N/init"
printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\nfile /init %s 0755 0 0\n' \
	"$N/init" >"$N/dev.list"
chmod 644 "$N/dev.list"
if [ "$(id -u)" = 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$N/mkcpio" -o "$N/dev.cpio" "$N/dev.list" 2>"$T/nobody.err"
	t_check mkcpio-nonroot-owner test "$(stat -c %u "$N/dev.cpio")" = 65534
else
	"$N/mkcpio" -o "$N/dev.cpio" "$N/dev.list" 2>"$T/nobody.err"
fi
walk "$N/dev.cpio" >"$T/dev.walk" 2>&1
t_grep mkcpio-nonroot-console-header "$T/dev.walk" '^dev/console 20600 2 1 0 0 0 0 5 1$'
cpio -itv --quiet <"$N/dev.cpio" >"$T/dev.tv" 2>&1
t_grep mkcpio-nonroot-console-cpio-itv "$T/dev.tv" '^crw------- .* 5, +1 .* dev/console$'

# ---- reproducible output ----
S2=$T/src2
cp -a "$S" "$S2"
touch -d '2001-02-03 04:05:06' "$S"/*
touch -d '2022-12-11 10:09:08' "$S2"/*
MKCPIO_SRC=$S "$MK" "$T/main.list" >"$T/out/r1.cpio"
MKCPIO_SRC=$S2 "$MK" "$T/main.list" >"$T/out/r2.cpio"
t_check mkcpio-reproducible-plain cmp "$T/out/r1.cpio" "$T/out/r2.cpio"
t_check mkcpio-default-mtime-0 test "$(walk "$T/out/r1.cpio" | awk '$7 != 0' | wc -l)" = 0
SOURCE_DATE_EPOCH=1700000000 "$MK" "$T/main.list" >"$T/out/sde.cpio"
t_check mkcpio-source-date-epoch test "$(walk "$T/out/sde.cpio" |
	awk '$1 != "TRAILER!!!" && $7 != 1700000000' | wc -l)" = 0
t_check mkcpio-source-date-epoch-raw-field \
	test "$(head -c 54 "$T/out/sde.cpio" | tail -c 8)" = 6553f100
SOURCE_DATE_EPOCH=1700000000 "$MK" -t 42 "$T/main.list" >"$T/out/t.cpio"
t_check mkcpio-t-overrides-sde test "$(walk "$T/out/t.cpio" |
	awk '$1 != "TRAILER!!!" && $7 != 42' | wc -l)" = 0

# ---- compression ----
P=$T/out/r1.cpio
MKCPIO_SRC=$S "$MK" -c gzip "$T/main.list" >"$T/out/g1"
MKCPIO_SRC=$S2 "$MK" -c gzip -o "$T/out/g2" "$T/main.list"
t_check mkcpio-gzip-reproducible cmp "$T/out/g1" "$T/out/g2"
t_check mkcpio-gzip-zcat-equals-plain cmp <(zcat "$T/out/g1") "$P"
# gzip -n: no name flag, MTIME field 0
t_check mkcpio-gzip-no-name-no-time test "$(od -An -tx1 -N8 "$T/out/g1" | tr -d ' ')" = 1f8b080000000000
MKCPIO_SRC=$S "$MK" -c zstd -o "$T/out/z1" "$T/main.list"
MKCPIO_SRC=$S2 "$MK" -c zstd -o "$T/out/z2" "$T/main.list"
t_check mkcpio-zstd-reproducible cmp "$T/out/z1" "$T/out/z2"
t_check mkcpio-zstd-decompresses cmp <(zstd -dcq "$T/out/z1") "$P"
MKCPIO_SRC=$S "$MK" -c xz -o "$T/out/x1" "$T/main.list"
MKCPIO_SRC=$S2 "$MK" -c xz -o "$T/out/x2" "$T/main.list"
t_check mkcpio-xz-reproducible cmp "$T/out/x1" "$T/out/x2"
t_check mkcpio-xz-decompresses cmp <(xz -dc "$T/out/x1") "$P"
xz --robot -lv "$T/out/x1" >"$T/xz.list" 2>&1
t_grep mkcpio-xz-check-crc32 "$T/xz.list" '^file	.*	CRC32	'
# the exact compressor command lines (gzip from a pipe may omit the
# timestamp even without -n, so ask the wrappers rather than the output)
mkdir "$T/wrapbin"
for c in gzip zstd xz; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexec %s "$@"\n' \
		"$c" "$T/args" "$(command -v $c)" >"$T/wrapbin/$c"
	chmod 755 "$T/wrapbin/$c"
	PATH=$T/wrapbin:$PATH "$MK" -c $c -o "$T/out/w.$c" "$T/main.list"
done
printf 'gzip -n -9\nzstd -19 -q\nxz --check=crc32 -9\n' >"$T/args.expect"
t_check mkcpio-compressor-arguments cmp "$T/args" "$T/args.expect"
# a level: passed on in the same place, the output the compressor's own
: >"$T/args"
for c in gzip:6 zstd:3 xz:0 zstd:19; do
	PATH=$T/wrapbin:$PATH "$MK" -c $c -o "$T/out/l.$c" "$T/main.list"
done
printf 'gzip -n -6\nzstd -3 -q\nxz --check=crc32 -0\nzstd -19 -q\n' >"$T/args.expect"
t_check mkcpio-level-arguments cmp "$T/args" "$T/args.expect"
t_check mkcpio-level-zstd3-decompresses cmp <(zstd -dcq "$T/out/l.zstd:3") "$T/out/r1.cpio"
t_check mkcpio-level-zstd3-is-zstd-3 cmp "$T/out/l.zstd:3" <(cat "$T/out/r1.cpio" | zstd -3 -q)
t_check mkcpio-level-gzip6-is-gzip-6 cmp "$T/out/l.gzip:6" <(cat "$T/out/r1.cpio" | gzip -n -6)
t_check mkcpio-level-default-is-19 cmp "$T/out/l.zstd:19" "$T/out/z1"
for bad in zstd:0 zstd:20 gzip:0 gzip:10 xz:10 zstd: zstd:3x zstd:-3 none:1 zstd:+3; do
	"$MK" -c "$bad" -o "$T/out/bad.cpio" "$T/main.list" 2>"$T/badlevel.err"
	rc=$?
	if [ $rc = 2 ] && [ ! -e "$T/out/bad.cpio" ] && grep -q 'gzip:1 to gzip:9, zstd:1 to zstd:19, xz:0 to xz:9' "$T/badlevel.err"; then
		t_ok "mkcpio-level-refused-$bad"
	else
		t_fail "mkcpio-level-refused-$bad" "rc=$rc: $(cat "$T/badlevel.err")"
	fi
done
t_check mkcpio-wrapped-gzip-output cmp "$T/out/w.gzip" "$T/out/g1"
MKCPIO_SRC=$S "$MK" -c none "$T/main.list" >"$T/out/none"
t_check mkcpio-c-none-is-plain cmp "$T/out/none" "$P"

# ---- -e: an uncompressed archive first (early microcode) ----
printf 'dir /kernel 0755 0 0\nfile /kernel/ucode.bin ${MKCPIO_SRC}/init 0644 0 0\n' >"$T/early.list"
MKCPIO_SRC=$S "$MK" -c none "$T/early.list" >"$T/out/early.alone"
MKCPIO_SRC=$S "$MK" -e "$T/early.list" -c zstd:3 -o "$T/out/e.img" "$T/main.list"
MKCPIO_SRC=$S "$MK" -e "$T/early.list" -c zstd:3 "$T/main.list" >"$T/out/e.stdout"
n=$(stat -c %s "$T/out/early.alone")
t_check mkcpio-early-first-uncompressed cmp -n "$n" "$T/out/e.img" "$T/out/early.alone"
t_check mkcpio-early-4-byte-aligned test $((n % 4)) = 0
t_check mkcpio-early-then-compressed cmp <(tail -c +$((n + 1)) "$T/out/e.img" | zstd -dcq) "$P"
t_check mkcpio-early-stdout-same cmp "$T/out/e.img" "$T/out/e.stdout"
walk "$T/out/early.alone" | awk '{ print $1, $2, $7 }' >"$T/early.walk"
printf 'kernel 40755 0\nkernel/ucode.bin 100644 0\nTRAILER!!! 0 0\n' >"$T/early.expect"
t_check mkcpio-early-entries cmp "$T/early.walk" "$T/early.expect"
printf 'dir /kernel 0755 0 0\nfrob /x\n' >"$T/early-bad.list"
MKCPIO_SRC=$S "$MK" -e "$T/early-bad.list" -o "$T/out/e-bad.img" "$T/main.list" 2>"$T/e-bad.err"
t_check mkcpio-early-bad-list-refused test $? = 1 -a ! -e "$T/out/e-bad.img"
t_grep mkcpio-early-bad-list-named "$T/e-bad.err" "^mkcpio: $T/early-bad.list:2: "

# ---- output file handling ----
(umask 022 && "$MK" -o "$T/out/mode.cpio" "$T/main.list")
t_check mkcpio-output-mode-644 test "$(stat -c %a "$T/out/mode.cpio")" = 644
t_check mkcpio-no-temp-files-left test -z "$(find "$T/out" -name '*.tmp*')"
mkdir "$T/fakebin"
printf '#!/bin/sh\ncat >/dev/null\nexit 3\n' >"$T/fakebin/gzip"
chmod 755 "$T/fakebin/gzip"
echo old >"$T/out/keep.cpio"
PATH=$T/fakebin:$PATH "$MK" -c gzip -o "$T/out/keep.cpio" "$T/main.list" 2>"$T/fake.err"
rc=$?
if [ $rc = 1 ] && [ "$(cat "$T/out/keep.cpio")" = old ] &&
	grep -q 'gzip failed with exit status 3' "$T/fake.err" &&
	[ -z "$(find "$T/out" -name '*.tmp*')" ]; then
	t_ok mkcpio-compressor-failure-keeps-old-output
else
	t_fail mkcpio-compressor-failure-keeps-old-output "rc=$rc: $(cat "$T/fake.err")"
fi
mkdir "$T/emptybin"
PATH=$T/emptybin "$MK" -c xz -o "$T/out/nox.cpio" "$T/main.list" 2>"$T/nox.err"
rc=$?
t_check mkcpio-missing-compressor-fails test $rc = 1 -a ! -e "$T/out/nox.cpio"
"$MK" "$T/main.list" >/dev/full 2>"$T/full.err"
rc=$?
t_check mkcpio-write-error-detected test $rc = 1
t_grep mkcpio-write-error-message "$T/full.err" 'No space left on device'
"$MK" -c gzip "$T/main.list" >/dev/full 2>/dev/null
t_check mkcpio-compressed-write-error-detected test $? = 1
"$MK" -o "$T/out/reuse.cpio" "$T/main.list"
"$MK" -o "$T/out/reuse.cpio" "$T/main.list" "$T/main.list" 2>/dev/null
t_check mkcpio-failed-run-keeps-previous-output cmp "$T/out/reuse.cpio" "$P"

# -b: the previous output kept as OUT.old, an earlier one replaced
mkdir "$T/b"
printf 'dir /one 0755 0 0\n' >"$T/b1.list"
printf 'dir /two 0755 0 0\n' >"$T/b2.list"
printf 'dir /three 0755 0 0\n' >"$T/b3.list"
"$MK" -b -o "$T/b/img" "$T/b1.list"
t_check mkcpio-b-first-no-old test -f "$T/b/img" -a ! -e "$T/b/img.old"
cp "$T/b/img" "$T/b1.cpio"
"$MK" -b -o "$T/b/img" "$T/b2.list"
cp "$T/b/img" "$T/b2.cpio"
t_check mkcpio-b-old-kept cmp "$T/b/img.old" "$T/b1.cpio"
"$MK" -b -o "$T/b/img" "$T/b3.list"
t_check mkcpio-b-old-replaced cmp "$T/b/img.old" "$T/b2.cpio"
t_check mkcpio-b-new-in-place test "$(walk "$T/b/img" | awk 'NR == 1 { print $1 }')" = three
PATH=$T/fakebin:$PATH "$MK" -b -c gzip -o "$T/b/img" "$T/b1.list" 2>/dev/null
t_check mkcpio-b-failure-keeps-both test $? = 1 -a "$(walk "$T/b/img" | awk 'NR == 1 { print $1 }')" = three
t_check mkcpio-b-failure-old-untouched cmp "$T/b/img.old" "$T/b2.cpio"
t_check mkcpio-b-no-temp-left test "$(ls "$T/b")" = "$(printf 'img\nimg.old')"
"$MK" -b "$T/b1.list" >/dev/null 2>"$T/b.err"
t_check mkcpio-b-needs-o test $? = 2
t_grep mkcpio-b-needs-o-says "$T/b.err" '-b keeps the previous output of -o OUT'

# ---- several lists, stdin, ${VAR} ----
printf 'dir /etc 0755 0 0\nfile /etc/a ${MKCPIO_SRC}/init 0644 0 0\n' >"$T/l1"
printf '# second\nfile /etc/b ${MKCPIO_SRC}/bb 0644 0 0\ndir /z 0755 0 0\n' >"$T/l2"
printf 'pipe /etc/p 0600 0 0\n' >"$T/l3"
"$MK" "$T/l1" - "$T/l3" <"$T/l2" >"$T/out/multi.cpio" 2>"$T/multi.err"
walk "$T/out/multi.cpio" 2>&1 | awk '{ print $1, $3 }' >"$T/multi.walk"
printf 'etc 1\netc/a 2\netc/b 3\nz 4\netc/p 5\nTRAILER!!! 0\n' >"$T/multi.expect"
t_check mkcpio-multiple-lists-in-order cmp "$T/multi.walk" "$T/multi.expect"
printf 'dir /a 0755 0 0\n' | "$MK" - "$T/l1" "$T/l1" >/dev/null 2>"$T/dup2.err"
t_check mkcpio-duplicate-across-lists test $? = 1
t_grep mkcpio-duplicate-across-lists-names-line "$T/dup2.err" \
	"^mkcpio: $T/l1:2: '/etc/a' is already in the archive \($T/l1:2\)"
# The same directory from two lists (the image's and a user's) is one entry.
printf 'dir /etc 0755 0 0\ndir /etc/x 0755 0 0\n' >"$T/l4"
"$MK" "$T/l1" "$T/l4" >"$T/out/samedir.cpio" 2>"$T/samedir.err"
t_check mkcpio-same-directory-twice test $? = 0
walk "$T/out/samedir.cpio" 2>&1 | awk '{ print $1 }' >"$T/samedir.walk"
printf 'etc\netc/a\netc/x\nTRAILER!!!\n' >"$T/samedir.expect"
t_check mkcpio-same-directory-once cmp "$T/samedir.walk" "$T/samedir.expect"

mkdir -p "$T/v/sub dir"
echo var-data >"$T/v/sub dir/f"
printf 'file /f ${MKCPIO_A}/${MKCPIO_B}/f 0644 0 0\n' >"$T/v.list"
MKCPIO_A=$T/v MKCPIO_B='sub dir' "$MK" "$T/v.list" >"$T/out/v.cpio" 2>"$T/v.err"
mkdir "$T/vx"
(cd "$T/vx" && cpio -id --quiet <"$T/out/v.cpio") 2>/dev/null
t_check mkcpio-env-var-location cmp "$T/v/sub dir/f" "$T/vx/f"
# relative locations are relative to the current directory
printf 'file /f init 0644 0 0\n' >"$T/rel.list"
(cd "$S" && "$MK" "$T/rel.list") >"$T/out/rel.cpio" 2>/dev/null
t_check mkcpio-relative-location test "$(walk "$T/out/rel.cpio" | awk 'NR == 1 { print $8 }')" = 18

# ---- refusals ----
# refuse NAME LINE REGEX: the list on stdin must be refused with exit
# status 1 and one message "mkcpio: LIST:LINE: ..." matching REGEX, and
# must leave no output (with -o, and on stdout).
refuse() {
	local name=$1 line=$2 re=$3 d=$T/refuse/$1 rc
	mkdir -p "$d/o"
	cat >"$d/list"
	"$MK" -o "$d/o/out.cpio" "$d/list" 2>"$d/err"
	rc=$?
	"$MK" "$d/list" >"$d/stdout" 2>/dev/null
	if [ $rc != 1 ]; then
		t_fail "mkcpio-refuse-$name" "exit status $rc, expected 1"
	elif [ "$(wc -l <"$d/err")" != 1 ]; then
		t_fail "mkcpio-refuse-$name" "expected one message: $(tr '\n' '|' <"$d/err")"
	elif ! grep -qF "mkcpio: $d/list:$line: " "$d/err"; then
		t_fail "mkcpio-refuse-$name" "no 'LIST:$line:' in: $(cat "$d/err")"
	elif ! grep -Eq -- "$re" "$d/err"; then
		t_fail "mkcpio-refuse-$name" "no /$re/ in: $(cat "$d/err")"
	elif [ -n "$(ls -A "$d/o")" ] || [ -s "$d/stdout" ]; then
		t_fail "mkcpio-refuse-$name" "output written: $(ls -A "$d/o")"
	else
		t_ok "mkcpio-refuse-$name"
	fi
}
OK='dir /ok 0755 0 0'
printf '# c\n\n%s\nfrob /x 0644 0 0\n' "$OK" | refuse unknown-keyword 4 "unknown keyword 'frob'"
printf '%s\ndir /x 0755 0\n' "$OK" | refuse fields-too-few 2 'wrong number of fields'
printf '%s\ndir /x 0755 0 0 9\n' "$OK" | refuse fields-too-many 2 'wrong number of fields'
printf 'nod /c 0600 0 0 c 5\n' | refuse fields-nod 1 'wrong number of fields'
printf 'file /x %s 0644 0 0\n' "$S/init" | sed 's/ 0 0$/ 0/' | refuse fields-file 1 'wrong number of fields'
printf '%s\nfile /x %s 0644 0 0\n' "$OK" "$T/nope" | refuse missing-location 2 "'$T/nope'.*No such file or directory"
printf '%s\nfile /x %s 0644 0 0\n' "$OK" "$S" | refuse location-is-dir 2 "'$S' is not a regular file"
printf 'file /x /dev/null 0644 0 0\n' | refuse location-is-device 1 "'/dev/null' is not a regular file"
printf '%s\nfile /ok/a/b %s 0644 0 0\n' "$OK" "$S/init" | refuse child-before-parent 2 "parent directory .*'dir /ok/a"
printf 'file /a/b %s 0644 0 0\ndir /a 0755 0 0\n' "$S/init" | refuse parent-defined-later 1 'parent directory'
printf 'file /f %s 0644 0 0\nfile /f/g %s 0644 0 0\n' "$S/init" "$S/init" | refuse parent-not-dir 2 'is not a directory'
printf '%s\ndir /x 0999 0 0\n' "$OK" | refuse mode-not-octal 2 "bad mode '0999'"
printf '%s\ndir /x 10000 0 0\n' "$OK" | refuse mode-too-big 2 "bad mode '10000'"
printf '%s\ndir /x -755 0 0\n' "$OK" | refuse mode-negative 2 "bad mode '-755'"
printf '%s\ndir /x 0755 root 0\n' "$OK" | refuse uid-name 2 "bad uid 'root'"
printf '%s\ndir /x 0755 -1 0\n' "$OK" | refuse uid-negative 2 "bad uid '-1'"
printf '%s\ndir /x 0755 0 4294967296\n' "$OK" | refuse gid-overflow 2 "bad gid '4294967296'"
printf '%s\ndir /x 0755 4294967295 0\n' "$OK" | refuse uid-minus-one 2 "bad uid '4294967295'"
printf 'nod /c 0600 0 0 c x 1\n' | refuse major-not-number 1 "bad major 'x'"
printf 'nod /c 0600 0 0 c 4096 1\n' | refuse major-too-big 1 "bad major '4096'"
printf 'nod /c 0600 0 0 c 5 1048576\n' | refuse minor-too-big 1 "bad minor '1048576'"
printf 'nod /c 0600 0 0 x 5 1\n' | refuse dev-type 1 "bad device type 'x'"
printf '%s\ndir /ok/../x 0755 0 0\n' "$OK" | refuse dotdot 2 "'\.\.' components"
printf '%s\ndir /ok/./x 0755 0 0\n' "$OK" | refuse dot 2 "'\.' components"
printf '%s\ndir /ok//x 0755 0 0\n' "$OK" | refuse empty-component 2 'empty component'
printf '%s\ndir /ok/ 0755 0 0\n' "$OK" | refuse trailing-slash 2 'empty component'
printf 'dir / 0755 0 0\n' | refuse root-name 1 'empty'
printf '%s\ndir /x 0755 0 0\ndir /x 0700 0 0\n' "$OK" | refuse duplicate 3 "'/x' is already in the archive \(.*:2\)"
printf 'dir /x 0755 0 0\ndir x 0700 0 0\n' | refuse duplicate-no-slash 2 'already in the archive'
printf 'dir /x 0755 0 0\ndir /x 0755 0 1\n' | refuse duplicate-dir-owner 2 'already in the archive'
printf 'dir /x 0755 0 0\npipe /x 0755 0 0\n' | refuse duplicate-dir-pipe 2 'already in the archive'
printf 'file /a %s 0644 0 0 /b /a\n' "$S/init" | refuse duplicate-hardlink 1 "'/a' is already"
printf 'slink /l 0777 0 0\n' | refuse slink-empty-target 1 'wrong number of fields.*slink <name> <target>'
printf 'file /x ${MKCPIO_UNSET_VAR}/f 0644 0 0\n' | refuse env-unset 1 "'MKCPIO_UNSET_VAR'.*not set"
printf 'file /x ${MKCPIO_SRC/init 0644 0 0\n' | refuse env-unterminated 1 'unterminated'
c200=$(printf 'c%.0s' {1..200})
long=$(printf 'c%.0s' {1..256})
printf 'dir /%s 0755 0 0\n' "$long" | refuse component-too-long 1 'NAME_MAX'
# 20 directories of 200 bytes: 4019 bytes; a file inside may add 75 more
: >"$T/deep.list"
p=
for _ in $(seq 20); do
	p=$p/$c200
	printf 'dir %s 0755 0 0\n' "$p" >>"$T/deep.list"
done
f75=$(printf 'f%.0s' {1..75})
printf 'file %s/%s %s 0644 0 0\n' "$p" "$f75" "$S/init" >"$T/deep.ok"
"$MK" "$T/deep.list" "$T/deep.ok" >"$T/out/deep.cpio" 2>"$T/deep.err"
t_check mkcpio-name-4095-accepted test "$(walk "$T/out/deep.cpio" |
	awk '$8 == 18 { print length($1) }')" = 4095
t_check mkcpio-name-4095-cpio-t test "$(cpio -t --quiet <"$T/out/deep.cpio" | awk 'length($0) == 4095' | wc -l)" = 1
{ cat "$T/deep.list"; printf 'file %s/%sf %s 0644 0 0\n' "$p" "$f75" "$S/init"; } |
	refuse name-4096 21 'name is 4096 bytes long, the limit is 4095'
truncate -s 4294967296 "$T/big"
printf '%s\nfile /big %s 0644 0 0\n' "$OK" "$T/big" | refuse file-over-4g 2 "4294967296 bytes.*at most 4294967295"
printf '%s\n' "$OK" >"$T/good.list"
printf 'dir /x 0755 0 0\ndir /x 0700 0 0\n' >"$T/bad2.list"
"$MK" -o "$T/out/second.cpio" "$T/good.list" "$T/bad2.list" 2>"$T/second.err"
t_check mkcpio-refuse-in-second-list test $? = 1 -a ! -e "$T/out/second.cpio"
t_grep mkcpio-refuse-names-second-list "$T/second.err" "^mkcpio: $T/bad2.list:2: "
printf 'dir /x\0 0755 0 0\n' | refuse nul-byte 1 'NUL byte'

# ---- command line ----
"$MK" -o "$T/out/nolist.cpio" 2>"$T/usage.err"
t_check mkcpio-usage-no-list test $? = 2 -a ! -e "$T/out/nolist.cpio"
t_grep mkcpio-usage-text "$T/usage.err" '^usage: mkcpio \[-o OUT \[-b\]\] \[-c none\|gzip\|zstd\|xz\[:LEVEL\]\] \[-e LIST\] \[-t EPOCH\] LIST \[LIST\.\.\.\]$'
"$MK" -c bzip2 "$T/main.list" >"$T/out/bz" 2>/dev/null
t_check mkcpio-bad-compressor test $? = 2 -a ! -s "$T/out/bz"
"$MK" -t 4294967296 -o "$T/out/bigt.cpio" "$T/main.list" 2>"$T/bigt.err"
t_check mkcpio-bad-t-epoch test $? = 1 -a ! -e "$T/out/bigt.cpio"
SOURCE_DATE_EPOCH=yesterday "$MK" -o "$T/out/badsde.cpio" "$T/main.list" 2>"$T/badsde.err"
t_check mkcpio-bad-source-date-epoch test $? = 1 -a ! -e "$T/out/badsde.cpio"
t_grep mkcpio-bad-source-date-epoch-message "$T/badsde.err" "SOURCE_DATE_EPOCH 'yesterday'"
"$MK" -o "$T/out/nolistfile.cpio" "$T/no-such.list" 2>"$T/nolistfile.err"
t_check mkcpio-missing-list test $? = 1 -a ! -e "$T/out/nolistfile.cpio"

t_exit
