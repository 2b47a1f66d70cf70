#!/bin/bash
# Every input that once crashed a parser (tests/fuzz/crashes/TARGET-*)
# stays a test: its fuzz target replays it under ASan and UBSan.
. tests/lib.sh
BUILD=${BUILD:-build}
t_need clang || t_exit
n=0
built=
for f in tests/fuzz/crashes/*; do
	[ -f "$f" ] || continue
	target=$(basename "$f")
	target=${target%%-*}
	bin=$BUILD/fuzz/fuzz-$target
	# tests/fuzz/run rebuilds a target whose sources are newer: never replay a stale binary.
	case " $built " in
	*" $target "*) ;;
	*) tests/fuzz/run 1 "$target" >/dev/null 2>&1; built="$built $target" ;;
	esac
	if [ ! -x "$bin" ]; then
		t_fail "replay $(basename "$f")" "cannot build $bin (tests/fuzz/run)"
		continue
	fi
	if "$bin" "$f" >"$BUILD/replay.log" 2>&1; then
		t_ok "replay $(basename "$f"): no crash"
	else
		t_fail "replay $(basename "$f")" "$(grep -m3 -E 'ERROR|INVARIANT|runtime error' "$BUILD/replay.log")"
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || t_fail "replays" "no inputs in tests/fuzz/crashes"
t_exit
