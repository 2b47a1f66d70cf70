# Sourced by the benchmarks: boots an image on the test kernel, reads times
# off the kernel's log clock in the serial output, and summarises rounds.
# shellcheck shell=bash
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/x86_64
B=$BUILD/bench
mkdir -p "$B"

# CLOCK=tcg: the guest's clocks follow the host's, so a time includes QEMU
# translating code the guest runs for the first time, and the host's load.
# CLOCK=icount: each guest instruction advances the guest clock by 1 ns
# (-icount shift=0); only waits (for the disk, for timers) still run in
# real time. It counts the work the guest does, as a real CPU would, and
# is far steadier on a busy host.
CLOCK=${CLOCK:-tcg}
case $CLOCK in
tcg) QEMU_CLOCK=() ;;
icount) QEMU_CLOCK=(-icount shift=0) ;;
*)
	echo "bench: CLOCK=$CLOCK: use tcg or icount" >&2
	exit 2
	;;
esac

bench_die() {
	echo "bench: $*" >&2
	exit 1
}

command -v qemu-system-x86_64 >/dev/null ||
	bench_die "qemu-system-x86_64 is missing: run tools/install-deps as root"

# Inputs every benchmark needs: our init and image, the sample root, the
# test kernel and the list compiler.
bench_inputs() {
	make -s all initramfs rootfs kernel "$BUILD/host/mkcpio"
}

# The floor image, the "required" image (the floor plus the steps every
# init must take: tests/bench/required-init.c) and the busybox script image.
bench_baselines() {
	musl-gcc -static -Os -s -o "$B/floor-init" tests/bench/floor-init.c
	FLOOR_INIT=$B/floor-init "$BUILD/host/mkcpio" -c gzip -o "$B/floor.cpio.gz" tests/bench/floor.list
	musl-gcc -static -Os -s -o "$B/required-init" tests/bench/required-init.c
	REQUIRED_INIT=$B/required-init "$BUILD/host/mkcpio" -c gzip -o "$B/required.cpio.gz" \
		tests/bench/required.list
	"$BUILD/host/mkcpio" -c gzip -o "$B/busybox.cpio.gz" tests/bench/busybox.list
}

# bench_required_image NAME MODULE...: a "required" baseline's image,
# $B/NAME.cpio.gz: tests/bench/NAME-init.c (required-switch.h's steps)
# as /init, and KVER's plain MODULEs (paths under kernel/, without .ko) as
# /m/NN.ko in the order given, which its init loads them in.
bench_required_image() {
	local name=$1 m ko i=0
	shift
	musl-gcc -static -Os -s -Iinit -o "$B/$name-init" "tests/bench/$name-init.c" ||
		bench_die "tests/bench/$name-init.c does not build"
	{
		grep -v '^file /init' tests/bench/required.list
		echo 'dir /m 0755 0 0'
		for m in "$@"; do
			ko=/lib/modules/$KVER/kernel/$m.ko
			[ -r "$ko" ] || bench_die "$ko is missing: the required baseline needs the plain module"
			printf 'file /m/%02d.ko %s 0644 0 0\n' "$i" "$ko"
			i=$((i + 1))
		done
		echo "file /init $B/$name-init 0755 0 0"
	} >"$B/$name.list"
	"$BUILD/host/mkcpio" -c gzip -o "$B/$name.cpio.gz" "$B/$name.list" >/dev/null ||
		bench_die "mkcpio of $B/$name.list failed"
}

# bench_extra: adds the images of BENCH_EXTRA_IMAGE="NAME=PATH ..." (say,
# the image of another revision) to image[], root[] and names[], so they
# boot in the same rounds, and lists them in extras[]. NAME-SUFFIX after a
# built-in NAME boots with its root= and is compared with it (bench_versus);
# any other name boots with root=/dev/vda. Sets name_w, the width of the
# tables' first column.
bench_extra() {
	local w n p
	extras=()
	name_w=13
	for w in ${BENCH_EXTRA_IMAGE:-}; do
		n=${w%%=*} p=${w#*=}
		[[ $w == *=* && -n $n && -n $p && -z ${image[$n]+x} ]] ||
			bench_die "BENCH_EXTRA_IMAGE: '$w': write NAME=PATH, with a NAME not taken"
		[ -f "$p" ] || bench_die "BENCH_EXTRA_IMAGE: $n: no image at $p: run make initramfs there"
		image[$n]=$p
		root[$n]=${root[${n%-*}]:-/dev/vda}
		names+=("$n")
		extras+=("$n")
		((${#n} < name_w)) || name_w=$((${#n} + 1))
	done
}

# bench_versus RAW EXTRA METRIC...: for an extra image NAME-SUFFIX, one line
# of the medians of NAME and NAME-SUFFIX and their ratio, per metric: "m
# 96.2/90.1 1.07" (above 1: NAME is slower).
bench_versus() {
	local raw=$1 n=$2 base=${2%-*} m a b line=
	shift 2
	[[ $n == *-* && -n ${image[$base]+x} ]] || return 0
	for m in "$@"; do
		a=$(bench_median "$raw" "$base" "$m")
		b=$(bench_median "$raw" "$n" "$m")
		[ "$a" != - ] && [ "$b" != - ] || continue
		line+=$(awk -v m="$m" -v a="$a" -v b="$b" \
			'BEGIN { printf " %s %s/%s %s", m, a, b, (b > 0 ? sprintf("%.2f", a / b) : "-") }')
	done
	echo "$base / $n:$line"
}

# bench_cloud_kernel [initrd]: KVER, the newest Debian cloud kernel under
# /lib/modules, and KERNEL, its /boot/vmlinuz-KVER; with "initrd", also
# THEIRS, Debian's own initramfs-tools image of it, /boot/initrd.img-KVER.
bench_cloud_kernel() {
	local f
	KVER=$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*-cloud-amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -1)
	KERNEL=/boot/vmlinuz-$KVER
	THEIRS=/boot/initrd.img-$KVER
	[ -n "$KVER" ] ||
		bench_die "no *-cloud-amd64 kernel under /lib/modules: install linux-image-cloud-amd64 (tools/install-deps, as root)"
	for f in "$KERNEL" ${1:+"$THEIRS"}; do
		[ -r "$f" ] ||
			bench_die "$f is missing or unreadable: install linux-image-cloud-amd64 and initramfs-tools (tools/install-deps, as root)"
	done
}

# bench_boot LOG INITRD APPEND [DISK...]: one boot from fresh copies of the
# DISKs (default: the sample root), read-only unless BENCH_RW is set, serial
# output in LOG. INITRD may be empty (no initramfs). The sample root's init
# powers off at once. BENCH_KERNEL boots another kernel than the test kernel
# (a distro's: it needs more time, BENCH_TIMEOUT seconds, 120 unless set).
bench_boot() {
	local log=$1 initrd=$2 append=$3 d copy i=0 disks=() ro=:ro
	shift 3
	[ -z "${BENCH_RW:-}" ] || ro=
	[ $# -gt 0 ] || set -- "$OUT/rootfs.img"
	for d in "$@"; do
		copy=$B/disk${i#0}.img
		cp --reflink=auto "$d" "$copy"
		disks+=(--disk "$copy$ro")
		i=$((i + 1))
	done
	qemu/boot --kernel "${BENCH_KERNEL:-$OUT/kernel}" ${initrd:+--initrd "$initrd"} "${disks[@]}" \
		--timeout "${BENCH_TIMEOUT:-120}" --append "console=ttyS0 $append rootfs.poweroff" \
		${QEMU_CLOCK[@]+-- "${QEMU_CLOCK[@]}"} >"$log.raw" 2>&1 </dev/null || true
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
}

# bench_times LOG [PREFIX]: the kernel-clock times (seconds) of the marks a
# boot passes, as "key value" lines; a mark the boot did not pass is absent.
# With PREFIX, kernel-log lines count only when they start with it (a dump
# of dmesg printed as "PREFIX[ stamp] ...", which also has the lines below
# the console's level: handoff's own).
#   unpack     "Unpacking initramfs..."   unpacked "Freeing initrd memory"
#   run_init   "Run /init"                real_init  the real init's first step
#   mounted, switched, starting   handoff's kernel-log lines of those steps
#   meminfo    MemAvailable in the real root (KiB), and the lines of
#   /run/handoff/timings (ms) when the sample root printed them
bench_times() {
	awk -v p="${2:-}" '
	function stamp(line) { sub(/^[^[]*\[ */, "", line); sub(/\].*$/, "", line); return line }
	{ kernel = p == "" || index($0, p "[") == 1 }
	kernel && /Unpacking initramfs\.\.\.|Trying to unpack rootfs image/ { print "unpack", stamp($0) }
	kernel && /Freeing initrd memory/ { print "unpacked", stamp($0) }
	kernel && /Run \/init as init process/ { print "run_init", stamp($0) }
	kernel && /handoff: mounted / { print "mounted", stamp($0) }
	kernel && /handoff: switched root/ { print "switched", stamp($0) }
	kernel && /handoff: starting / { print "starting", stamp($0) }
	/^rootfs: real init started at .* in the kernel.s log clock/ { print "real_init", $6 }
	/^rootfs: meminfo / { for (i = 1; i <= NF; i++) if ($i ~ /^MemAvailable=/) { sub(/.*=/, "", $i); print "mem_avail_kib", $i } }
	/^rootfs: handoff timings / { for (i = 4; i <= NF; i++) { split($i, kv, "="); print kv[1], kv[2] } }
	' "$1"
}

# bench_metric LOG NAME: one derived figure of a boot, or nothing.
#   stage_ms        "Run /init" to the real init
#   to_init_ms      kernel start to the real init
#   unpack_ms       the kernel unpacking the image
#   from_unpack_ms  start of unpacking to the real init
#   any key of bench_times
bench_metric() {
	bench_times "$1" | awk -v want="$2" '
	{ t[$1] = $2 }
	END {
		if (want == "stage_ms" && ("run_init" in t) && ("real_init" in t)) v = (t["real_init"] - t["run_init"]) * 1000
		else if (want == "to_init_ms" && ("real_init" in t)) v = t["real_init"] * 1000
		else if (want == "unpack_ms" && ("unpack" in t) && ("unpacked" in t)) v = (t["unpacked"] - t["unpack"]) * 1000
		else if (want == "from_unpack_ms" && ("unpack" in t) && ("real_init" in t)) v = (t["real_init"] - t["unpack"]) * 1000
		else if (want in t) v = t[want]
		else exit 1
		printf "%.1f\n", v
	}'
}

# bench_record RAW NAME LOG METRIC...: appends "NAME METRIC VALUE" for each
# metric the boot yielded; complains about a boot that yielded none.
bench_record() {
	local raw=$1 name=$2 log=$3 m v got=0
	shift 3
	for m in "$@"; do
		if v=$(bench_metric "$log" "$m"); then
			echo "$name $m $v" >>"$raw"
			got=1
		fi
	done
	[ $got = 1 ] || echo "bench: $name: no timing in $log (kept as $log.failed)" >&2
	[ $got = 1 ] || cp "$log" "$log.failed"
}

# bench_stats RAW NAME METRIC: "median min max count" of the rounds.
bench_stats() {
	awk -v n="$2" -v m="$3" '$1 == n && $2 == m { print $3 }' "$1" | sort -g |
		awk '{ a[NR] = $1 }
		END { if (!NR) exit 1
		      med = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		      printf "%.1f %.1f %.1f %d\n", med, a[1], a[NR], NR }'
}

# bench_median RAW NAME METRIC: the median of the rounds, or "-" when no
# boot yielded the figure.
bench_median() {
	local s
	s=$(bench_stats "$@") || s=-
	echo "${s%% *}"
}

# bench_order ROUND NAME...: the names rotated by ROUND, so no image is
# always booted first (a cold host cache would favour or hurt it).
bench_order() {
	local r=$1
	shift
	local names=("$@") k=$((r % $#))
	printf '%s\n' "${names[@]:k}" "${names[@]:0:k}"
}

# bench_entry ELF: the entry point and the first bytes there, as QEMU's
# in_asm log prints a block's first line: "0x00401e27 48 31 ed ..." (static
# non-PIE executables only: the address is the load address).
bench_entry() {
	local entry off= type o v f _
	entry=$(readelf -h "$1" | awk '/Entry point address/ { print $4 }')
	while read -r type o v _ f _; do
		[ "$type" = LOAD ] || continue
		if ((entry >= v && entry < v + f)); then
			off=$((entry - v + o))
			break
		fi
	done < <(readelf -lW "$1")
	[ -n "$off" ] || bench_die "$1: no loadable segment holds the entry point $entry"
	printf '0x%08x %s\n' "$((entry))" "$(od -An -tx1 -N8 -j "$off" "$1" | xargs)"
}

# bench_blocks LOG TO: counts the blocks QEMU translated (-d in_asm) from
# the first block of userspace after the kernel's (the kernel runs /init
# before any other program) to the one at TO's entry with TO's bytes there
# (bench_entry), as "kernel N user N". /init's own first block never
# counts as TO's: a musl program's entry code and address can be the real
# init's. Under TCG the first run of any code is its translation: this is
# the stage's work without the host's noise.
bench_blocks() {
	awk -v to_addr="${2%% *}" -v to_bytes="${2#* }" '
	prev == "IN: " && /^0x[0-9a-f]+:/ {
		addr = substr($1, 1, length($1) - 1)
		# 64-bit kernel addresses; the firmware before it runs low.
		kernel = length(addr) == 18 && addr ~ /^0xffff/
		if (kernel) in_kernel = 1
		else if (in_kernel) started = 1
		if (started && u && addr == to_addr) {
			bytes = ""
			for (i = 2; i <= NF && $i ~ /^[0-9a-f][0-9a-f]$/; i++)
				bytes = bytes (bytes == "" ? "" : " ") $i
			if (bytes != "" && index(to_bytes, bytes) == 1) { done = 1; exit }
		}
		if (started && kernel) k++
		else if (started) u++
	}
	{ prev = $0 }
	END { if (!done) exit 1; printf "kernel %d user %d\n", k, u }' "$1"
}

# bench_handoff_image DEST MAKE_ARG...: make initramfs with the arguments
# (KVER=, MODULES=, ...), the image it wrote copied to DEST.
bench_handoff_image() {
	local dest=$1 made
	shift
	touch "$dest.stamp"
	make -s initramfs "$@" || bench_die "make initramfs $* failed"
	made=$(find "$OUT" -maxdepth 1 -name 'initramfs*.cpio.*' -newer "$dest.stamp" | head -1)
	rm -f "$dest.stamp"
	[ -n "$made" ] || bench_die "make initramfs $* wrote no new $OUT/initramfs*.cpio.*"
	cp "$made" "$dest"
}

# bench_table RAW TSV REF METRIC...: for each image of names[] (its file in
# image[]), each METRIC's median, spread and count, REF's median over it,
# the image's size and REF's size over it; written to TSV and printed. An
# image that yielded none of the first METRIC still gets a line (its size).
bench_table() {
	local raw=$1 tsv=$2 ref=$3 n m med lo hi cnt t size rsize ratio sratio
	shift 3
	rsize=$(stat -c %s "${image[$ref]}")
	printf 'name\tmetric\tmedian_ms\tmin_ms\tmax_ms\tboots\t%s_over_this\timage_bytes\tsize_ratio\n' \
		"${ref//-/_}" >"$tsv"
	for n in "${names[@]}"; do
		size=$(stat -c %s "${image[$n]}")
		for m in "$@"; do
			if ! read -r med lo hi cnt < <(bench_stats "$raw" "$n" "$m"); then
				[ "$m" = "$1" ] || continue
				med=- lo=- hi=- cnt=0
			fi
			t=$(bench_median "$raw" "$ref" "$m")
			awk -v n="$n" -v m="$m" -v med="$med" -v lo="$lo" -v hi="$hi" -v c="$cnt" -v t="$t" \
				-v s="$size" -v rs="$rsize" 'BEGIN {
				printf "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%.1f\n", n, m, med, lo, hi, c,
					(t != "-" && med != "-" && med > 0 ? sprintf("%.2f", t / med) : "-"), s, rs / s }'
		done
	done >>"$tsv"
	printf '%-16s %-13s %10s %8s %8s %6s %10s %10s %9s\n' image metric median min max boots "faster x" bytes "smaller x"
	tail -n +2 "$tsv" | while IFS=$'\t' read -r n m med lo hi cnt ratio size sratio; do
		printf '%-16s %-13s %7s ms %8s %8s %6s %10s %10s %9s\n' "$n" "$m" "$med" "$lo" "$hi" "$cnt" "$ratio" "$size" "$sratio"
	done
}
