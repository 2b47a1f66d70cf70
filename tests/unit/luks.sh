#!/bin/bash
# Unit tests for the LUKS reader and unlock (init/luks/): containers made
# now by cryptsetup on plain files (LUKS2 with PBKDF2 and Argon2id, LUKS1,
# a key added to slot 3, a key converted to Argon2i, aes-cbc-essiv:sha256,
# 4096-byte sectors with a label, 64 KiB and 128 KiB metadata, LUKS2 and
# LUKS1 with detached headers), each with
# its passphrase and the volume key cryptsetup dumps; then
# build/host/test_luks DIR checks them (tests/unit/test_luks.c), and
# handoff-probe's luks verbs are run on them; last, the musl build of
# test_luks as PID 1 on the test kernel under QEMU, for the kernel's
# cipher through AF_ALG. Small KDF costs: this is not the benchmark
# (tests/bench/luks). Run from the repository root.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

BUILD=${BUILD:-build}
t_need cryptsetup truncate || t_exit
for b in test_luks handoff-probe; do
	if ! make -s "$BUILD/host/$b" >/dev/null 2>"/tmp/luks-build-$$.log"; then
		t_fail "build-$b" "make $BUILD/host/$b failed: $(grep -m3 error "/tmp/luks-build-$$.log")"
	fi
	rm -f "/tmp/luks-build-$$.log"
done
[ "$T_FAILED" = 0 ] || t_exit

W=$(mktemp -d /tmp/luks-test.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT

PB2="--pbkdf pbkdf2 --pbkdf-force-iterations 1000"
A2="--pbkdf argon2id --pbkdf-memory 32768 --pbkdf-force-iterations 4 --pbkdf-parallel 2"

# mk NAME PASSPHRASE CRYPTSETUP-OPTIONS...: a 20 MiB container with its
# passphrase (NAME.pass, no newline) and volume key (NAME.key, hex).
mk() {
	local name=$1 pass=$2
	shift 2
	rm -f "$W/$name.img"
	truncate -s 20M "$W/$name.img"
	printf '%s' "$pass" >"$W/$name.pass"
	# shellcheck disable=SC2086
	if ! cryptsetup luksFormat --batch-mode --key-file "$W/$name.pass" "$@" "${MK_DATA:-$W/$name.img}" \
		>"$W/$name.log" 2>&1; then
		t_fail "make-$name" "cryptsetup luksFormat $*: $(tail -1 "$W/$name.log")"
		return 1
	fi
	dump_key "$name"
}

# mk_detached NAME PASSPHRASE CRYPTSETUP-OPTIONS...: the same with the header
# apart (cryptsetup --header): NAME.img is the header, NAME.data the data.
mk_detached() {
	truncate -s 4M "$W/$1.data"
	MK_DATA=$W/$1.data mk "$@" --header "$W/$1.img"
}

# The volume key as cryptsetup sees it: the reference for the unlock.
dump_key() {
	local name=$1 flag=--dump-volume-key
	cryptsetup --help | grep -q -- --dump-volume-key || flag=--dump-master-key
	cryptsetup luksDump "$flag" --batch-mode --key-file "$W/$name.pass" "$W/$name.img" \
		>"$W/$name.dump" 2>&1
	# The hex bytes after "MK dump:" and on the lines that continue it.
	awk '/^(MK|Volume key) dump:/ { on = 1; sub(/^[^:]*:/, "") }
	     on && /^[^ \t]/ && !/dump:/ { on = 0 }
	     on { gsub(/[ \t]/, ""); printf "%s", $0 }' "$W/$name.dump" >"$W/$name.key"
	if [ ! -s "$W/$name.key" ]; then
		t_fail "make-$name" "no volume key in cryptsetup luksDump $flag: $(head -3 "$W/$name.dump")"
		return 1
	fi
	t_ok "make-$name"
}

# shellcheck disable=SC2086
{
	mk luks2-pbkdf2 'correct horse' --type luks2 $PB2 --sector-size 512
	mk luks2-argon2id 'battery staple' --type luks2 $A2
	mk luks2-sha512 'sha-512 please' --type luks2 $PB2 --hash sha512 --sector-size 512
	mk luks1 'old but gold' --type luks1 --pbkdf-force-iterations 1000
	mk luks1-essiv 'cbc and essiv' --type luks1 --pbkdf-force-iterations 1000 \
		--cipher aes-cbc-essiv:sha256 --key-size 256
	mk luks2-essiv 'cbc and essiv 2' --type luks2 $PB2 --cipher aes-cbc-essiv:sha256 \
		--key-size 256
	mk luks2-4k 'four k' --type luks2 $PB2 --sector-size 4096 --label handoff-root
	mk luks2-meta64k 'big json' --type luks2 $PB2 --luks2-metadata-size 64k
	mk luks2-meta128k 'bigger json' --type luks2 $PB2 --luks2-metadata-size 128k
	mk luks2-slot3 'first key' --type luks2 $PB2
	# A second passphrase in keyslot 3 (Argon2id), the test opens with it.
	printf '%s' 'second key' >"$W/second.pass"
	if cryptsetup luksAddKey --batch-mode --key-file "$W/luks2-slot3.pass" --key-slot 3 $A2 \
		"$W/luks2-slot3.img" "$W/second.pass" >"$W/addkey.log" 2>&1; then
		t_ok make-luks2-slot3-addkey
	else
		t_fail make-luks2-slot3-addkey "cryptsetup luksAddKey: $(tail -1 "$W/addkey.log")"
	fi
	# A PBKDF2 keyslot converted to Argon2i.
	mk luks2-convert 'converted' --type luks2 $PB2
	mk_detached luks2-detached 'kept apart' --type luks2 $PB2
	mk_detached luks1-detached 'kept apart 1' --type luks1 --pbkdf-force-iterations 1000
	if cryptsetup luksConvertKey --batch-mode --key-file "$W/luks2-convert.pass" --pbkdf argon2i \
		--pbkdf-memory 32768 --pbkdf-force-iterations 4 "$W/luks2-convert.img" \
		>"$W/convert.log" 2>&1; then
		t_ok make-luks2-convert-argon2i
	else
		t_fail make-luks2-convert-argon2i "cryptsetup luksConvertKey: $(tail -1 "$W/convert.log")"
	fi
}
[ "$T_FAILED" = 0 ] || t_exit

# ---- the C checks (parse, unlock, key, wrong passphrase, damaged headers, table) ----
"$BUILD/host/test_luks" "$W"
rc=$?
[ $rc = 0 ] || T_FAILED=1

# ---- handoff-probe's verbs ----
P=$BUILD/host/handoff-probe
out=$("$P" luks "$W/luks2-4k.img" 2>&1)
if grep -qx 'LABEL=handoff-root' <<<"$out" && grep -qx 'SECTOR_SIZE=4096' <<<"$out" &&
	grep -qx "UUID=$(cryptsetup luksUUID "$W/luks2-4k.img")" <<<"$out" &&
	grep -q '^KEYSLOT_0=pbkdf2 hash=sha256 iterations=1000 ' <<<"$out"; then
	t_ok probe-luks-show
else
	t_fail probe-luks-show "$(tr '\n' ' ' <<<"$out")"
fi
out=$("$P" luks "$W/luks2-meta128k.img" 2>&1)
rc=$?
if [ $rc = 1 ] && grep -q '128 KiB; handoff reads up to 64 KiB' <<<"$out"; then
	t_ok probe-luks-refuses-128k-metadata
else
	t_fail probe-luks-refuses-128k-metadata "exit $rc: $out"
fi
out=$(printf '%s\n' 'second key' | "$P" luks-open "$W/luks2-slot3.img" 2>&1)
rc=$?
if [ $rc = 0 ] && grep -qx KEYSLOT=3 <<<"$out" && grep -q '^TIME_MS=' <<<"$out"; then
	t_ok probe-luks-open-slot3
else
	t_fail probe-luks-open-slot3 "exit $rc: $(tr '\n' ' ' <<<"$out")"
fi
out=$(printf '%s\n' 'wrong' | "$P" luks-open "$W/luks2-slot3.img" 2>&1)
rc=$?
if [ $rc = 2 ] && grep -qx OPENED=no <<<"$out"; then
	t_ok probe-luks-open-wrong
else
	t_fail probe-luks-open-wrong "exit $rc: $(tr '\n' ' ' <<<"$out")"
fi
# Neither verb may print a key: no hex run as long as a key's.
if "$P" luks "$W/luks2-pbkdf2.img" | grep -Eq '[0-9a-f]{32}' ||
	printf '%s\n' 'correct horse' | "$P" luks-open "$W/luks2-pbkdf2.img" 2>&1 | grep -Eq '[0-9a-f]{32}'; then
	t_fail probe-luks-no-key "a hex string as long as a key in handoff-probe's output"
else
	t_ok probe-luks-no-key
fi

# ---- the kernel's cipher (AF_ALG) ----
# The host's kernel may have no AF_ALG (test_luks then skips those checks):
# the musl build of test_luks runs as PID 1 on the test kernel, whose
# AF_ALG skcipher must agree with the built-in AES for every keyslot cipher.
if ! command -v qemu-system-x86_64 >/dev/null; then
	t_fail kernel-cipher "qemu-system-x86_64 is missing: run tools/install-deps as root"
elif ! make -s ARCH=x86_64 "$BUILD/x86_64/unit/test_luks" "$BUILD/host/mkcpio" kernel >"$W/qbuild.log" 2>&1; then
	t_fail kernel-cipher "make ARCH=x86_64 $BUILD/x86_64/unit/test_luks kernel failed: $(grep -m2 -i error "$W/qbuild.log")"
else
	printf '%s\n' 'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' \
		"file /init $BUILD/x86_64/unit/test_luks 0755 0 0" >"$W/q.list"
	"$BUILD/host/mkcpio" -c gzip -o "$W/q.cpio.gz" "$W/q.list"
	timeout 300 qemu-system-x86_64 -machine q35 -m 256 -nographic -no-reboot \
		-kernel "$BUILD/x86_64/kernel" -initrd "$W/q.cpio.gz" \
		-append "console=ttyS0 panic=-1 quiet" >"$W/q.out" 2>&1 </dev/null
	agree=$(grep -c "^ok .*the kernel's cipher (AF_ALG) and the built-in AES agree: !memcmp" "$W/q.out")
	if [ "$agree" = 6 ] && ! grep -q '^not ok\|^# skip' "$W/q.out"; then
		t_ok kernel-cipher-agrees-with-builtin-aes
	else
		t_fail kernel-cipher-agrees-with-builtin-aes "$agree of 6 ciphers agree under QEMU: $(grep -m3 '^not ok\|^# skip' "$W/q.out")"
	fi
fi
t_exit
