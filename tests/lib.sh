# Shared helpers for test scripts. Source it; every check prints one line:
#   "ok NAME" or "not ok NAME: REASON"; tests/run counts those lines.
# A script's exit status is 1 when any of its checks failed.

T_FAILED=0

t_ok() { printf 'ok %s\n' "$1"; }

t_fail() {
	printf 'not ok %s: %s\n' "$1" "$2"
	T_FAILED=1
}

# t_check NAME CMD...: passes when CMD exits 0.
t_check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then t_ok "$name"; else t_fail "$name" "failed: $*"; fi
}

# t_grep NAME FILE PATTERN: passes when FILE has a line matching the
# extended regular expression PATTERN.
t_grep() {
	if grep -Eq -- "$3" "$2"; then t_ok "$1"; else t_fail "$1" "no line matching /$3/ in $2"; fi
}

# t_nogrep NAME FILE PATTERN: passes when no line of FILE matches.
t_nogrep() {
	if grep -Eq -- "$3" "$2"; then
		t_fail "$1" "unexpected line in $2: $(grep -Em1 -- "$3" "$2")"
	else
		t_ok "$1"
	fi
}

# t_need TOOL...: a missing tool is a loud failure, never a skip. Returns
# whether these tools are all there (not whether anything failed before:
# an earlier failure then skipped whole sections under a wrong message).
t_need() {
	local tool missing=0
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 && continue
		t_fail "need-$tool" "$tool is not installed: run tools/install-deps as root"
		missing=1
	done
	return $missing
}

t_exit() { exit $T_FAILED; }
