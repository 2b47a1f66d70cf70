#!/bin/bash
# The benchmarks' arithmetic: reading the marks of a boot off its serial
# output, the figures derived from them, medians and the rotation of the
# boot order. (The benchmarks themselves run with `make bench`, not here.)
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh

T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

for f in tests/bench/*; do
	case $f in *.c | *.h | *.list) continue ;; esac
	t_check "bench-syntax-$(basename "$f")" bash -n "$f"
done

# The baselines' inits (what the benchmarks build and boot) build warning-free.
for f in tests/bench/*-init.c; do
	t_check "bench-builds-$(basename "$f" .c)" musl-gcc -static -Os -Wall -Wextra -Werror -Iinit \
		-o "$T/$(basename "$f" .c)" "$f"
done

# lib.sh changes directory and sets -eu: use it in a subshell.
bench() { (BUILD=$T/build . tests/bench/lib.sh && "$@"); }

cat >"$T/boot.log" <<'LOG'
[    0.000000] Linux version 6.1
[    0.334261] Unpacking initramfs...
[    0.640945] Freeing initrd memory: 28K
[    0.831333] Run /init as init process
rootfs: pid 1
rootfs: meminfo MemTotal=250000 MemAvailable=241024
rootfs: handoff timings start_ms=885 setup_ms=3 wait_ms=11 mount_ms=17 check_ms=6 switch_ms=9 total_ms=46
rootfs: real init started at 0.906000 s in the kernel's log clock
LOG
metric() {
	local got
	got=$(bench bench_metric "$T/boot.log" "$1")
	if [ "$got" = "$2" ]; then t_ok "bench-metric-$1"; else
		t_fail "bench-metric-$1" "got '$got', want '$2'"
	fi
}
metric stage_ms 74.7
metric unpack_ms 306.7
metric from_unpack_ms 571.7
metric to_init_ms 906.0
metric switch_ms 9.0
metric mem_avail_kib 241024.0
if bench bench_metric "$T/boot.log" no_such_mark >/dev/null; then
	t_fail bench-metric-missing "a mark the boot did not pass gave a value"
else
	t_ok bench-metric-missing
fi
# Without an initramfs there is no "Run /init": no stage time, but a time to init.
grep -v -e 'Run /init' -e Unpacking -e 'Freeing initrd' "$T/boot.log" >"$T/noinitrd.log"
if bench bench_metric "$T/noinitrd.log" stage_ms >/dev/null; then
	t_fail bench-metric-no-initramfs "a stage time without Run /init"
else
	t_ok bench-metric-no-initramfs
fi

# A dump of dmesg in the real root: only its prefixed lines are kernel marks.
printf '%s\n' '[    0.500000] Run /init as init process' \
	'dmesg: [    0.800000] Run /init as init process' \
	'dmesg: [    0.850000] handoff: mounted /dev/vda on /sysroot as ext4 (ro)' >"$T/dmesg.log"
got=$(bench bench_times "$T/dmesg.log" "dmesg: " | tr '\n' ' ')
if [ "$got" = "run_init 0.800000 mounted 0.850000 " ]; then t_ok bench-times-prefix; else
	t_fail bench-times-prefix "got '$got'"
fi

printf 'a m 3\na m 1\na m 2\nb m 4\nb m 1\nb m 3\nb m 2\nc x 9\n' >"$T/raw"
stats() {
	local got
	got=$(bench bench_stats "$T/raw" "$1" m)
	if [ "$got" = "$2" ]; then t_ok "bench-stats-$1"; else t_fail "bench-stats-$1" "got '$got', want '$2'"; fi
}
stats a "2.0 1.0 3.0 3"
stats b "2.5 1.0 4.0 4"
if bench bench_stats "$T/raw" c m >/dev/null; then
	t_fail bench-stats-empty "a name without rounds gave a median"
else
	t_ok bench-stats-empty
fi

got=$(bench bench_median "$T/raw" b m)
if [ "$got" = 2.5 ]; then t_ok bench-median; else t_fail bench-median "got '$got'"; fi
got=$(bench bench_median "$T/raw" c m)
if [ "$got" = - ]; then t_ok bench-median-none; else t_fail bench-median-none "got '$got'"; fi

got=$(bench bench_order 1 a b c | tr '\n' ' ')
if [ "$got" = "b c a " ]; then t_ok bench-order; else t_fail bench-order "got '$got'"; fi
got=$(bench bench_order 3 a b c | tr '\n' ' ')
if [ "$got" = "a b c " ]; then t_ok bench-order-wraps; else t_fail bench-order-wraps "got '$got'"; fi
# Translated blocks: firmware and the kernel before userspace do not
# count; a block at the real init's address with other bytes (our init's
# own code there) does not end the count.
cat >"$T/in_asm.log" <<'LOG'
----------------
IN: 
0xfffffff0:  e9 8d ff                 jmp      0xff80
IN: 
0x000f1234:  31 c0                    xorw     %ax, %ax
IN: 
0xffffffff81000000:  48 89 e5         movq     %rsp, %rbp
IN: 
0x00401000:  48 31 ed                 xorq     %rbp, %rbp
IN: 
0xffffffff81001000:  0f 01 f8         swapgs
IN: 
0x0040123b:  48 31 ed                 xorq     %rbp, %rbp
IN: 
0x0040123b:  31 ed                    xorl     %ebp, %ebp
IN: 
0x00401240:  c3                       retq
LOG
got=$(bench bench_blocks "$T/in_asm.log" "0x0040123b 31 ed 49 89 d1 5e 48 89")
if [ "$got" = "kernel 1 user 2" ]; then t_ok bench-blocks; else t_fail bench-blocks "got '$got'"; fi
# An /init whose entry is the real init's (both musl programs): its own
# first block does not end the count.
cat >"$T/same_entry.log" <<'LOG'
IN: 
0xffffffff81000000:  48 89 e5         movq     %rsp, %rbp
IN: 
0x0040123b:  31 ed                    xorl     %ebp, %ebp
IN: 
0x00401240:  c3                       retq
IN: 
0xffffffff81001000:  0f 01 f8         swapgs
IN: 
0x0040123b:  31 ed                    xorl     %ebp, %ebp
LOG
got=$(bench bench_blocks "$T/same_entry.log" "0x0040123b 31 ed 49 89 d1 5e 48 89")
if [ "$got" = "kernel 1 user 2" ]; then t_ok bench-blocks-same-entry; else t_fail bench-blocks-same-entry "got '$got'"; fi
if bench bench_blocks "$T/in_asm.log" "0x00409999 31 ed" >/dev/null; then
	t_fail bench-blocks-no-end "counted a boot whose real init never started"
else
	t_ok bench-blocks-no-end
fi
if [ -x /bin/busybox ]; then
	want=$(readelf -h /bin/busybox | awk '/Entry point address/ { print $4 }')
	got=$(bench bench_entry /bin/busybox)
	case $got in
	"$(printf '0x%08x' "$want") "[0-9a-f][0-9a-f]" "*) t_ok bench-entry ;;
	*) t_fail bench-entry "got '$got' for entry $want" ;;
	esac
fi
t_exit
