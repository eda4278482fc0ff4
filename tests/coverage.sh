#!/usr/bin/env bash
# Line coverage per layer from the .gcda files of a --coverage build
# (make coverage), with gcovr: the core, the TUI, the output formats, the
# command line, and the whole program. Fails when the core is below
# CORE_FLOOR or the whole below WHOLE_FLOOR (percent).
# Usage: tests/coverage.sh BUILD_DIR
set -u
build=${1:?usage: coverage.sh BUILD_DIR}
CORE_FLOOR=${CORE_FLOOR:-95}
WHOLE_FLOOR=${WHOLE_FLOOR:-90}

# The lines only the AVX-512 kernels run (each marked AV_TILES_EXCL_LINE in
# src/core/fast_*.c) cannot run on a CPU without avx512f: there they are
# left out of the figures the floors apply to, and counted on their own line.
# (gcovr honours those markers only when given --exclude-pattern-prefix.)
excl=()
if ! grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
	excl=(--exclude-pattern-prefix AV_TILES)
fi

# "lines: 93.4% (1234 out of 1321)" -> "93.4 1234 1321". The report goes to
# a file of the build: never -o /dev/null, gcovr 5.2 unlinks its output file
# after a trial open (it removed the device node once).
summary() {
	local args=()
	for d in "$@"; do args+=(--filter "$d"); done
	gcovr -r . "${SUMMARY_OPTS[@]}" "${args[@]}" --print-summary -o "$build/coverage.txt" "$build" 2>/dev/null |
		sed -n 's/^lines: \([0-9.]*\)% (\([0-9]*\) out of \([0-9]*\)).*/\1 \2 \3/p'
}

# The formats layer is every src/ folder that is not core, tui or cli
# (its name may change: src/out, src/formats, ...).
formats=()
for d in src/*/; do
	case "$d" in src/core/ | src/tui/ | src/cli/) ;; *) formats+=("$d") ;; esac
done

SUMMARY_OPTS=("${excl[@]}")
status=0
printf '%-10s %7s %14s\n' layer lines covered
report() { # name floor dirs...
	local name=$1 floor=$2
	shift 2
	read -r pct hit total < <(summary "$@")
	printf '%-10s %6s%% %7s / %-6s' "$name" "${pct:-?}" "${hit:-?}" "${total:-?}"
	if [ -n "$floor" ]; then
		if [ -n "${pct:-}" ] && awk -v p="$pct" -v f="$floor" 'BEGIN { exit !(p >= f) }'; then
			printf '  (floor %s%%: ok)' "$floor"
		else
			printf '  (floor %s%%: BELOW)' "$floor"
			status=1
		fi
	fi
	printf '\n'
}
report core "$CORE_FLOOR" src/core/
report tui "" src/tui/
report formats "" "${formats[@]}"
report cli "" src/cli/
report whole "$WHOLE_FLOOR" src/
if [ ${#excl[@]} -gt 0 ]; then
	echo "no avx512f on this CPU: the AVX-512 tile code is left out above; with it:"
	SUMMARY_OPTS=()
	report core "" src/core/
	report whole "" src/
fi
echo "per file: gcovr -r . --filter src/ $build"
exit $status
