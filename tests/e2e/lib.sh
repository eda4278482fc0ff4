# Shared helpers of the tmux end-to-end tests: a private tmux server, start
# attnviz in a detached session of a given size, send keys, poll the screen
# until it shows what is expected (no fixed sleeps), count passes/failures.
# Source it; set ATTNVIZ_BIN first.

: "${ATTNVIZ_BIN:?set ATTNVIZ_BIN to the attnviz binary}"
E2E_SOCK="attnviz-e2e-$$"
E2E_TMP=$(mktemp -d)
E2E_PASS=0
E2E_FAIL=0
E2E_TIMEOUT=${E2E_TIMEOUT:-5}

tm() { tmux -L "$E2E_SOCK" -f /dev/null "$@"; }

e2e_cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT

# start W H [ENV=VALUE ...] -- [attnviz args...]: a fresh session "t" running
# attnviz, then "EXIT=<status>" once it ends.
start() {
	local w=$1 h=$2 env=() args=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do env+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	args=("$@")
	# A session that outlives every "t": killing the last session ends the
	# tmux server, and the next new-session could reach the dying server
	# ("server exited unexpectedly"), a flaky failure.
	tm has-session -t keeper 2>/dev/null || tm new-session -d -s keeper "sleep 86400"
	tm kill-session -t t >/dev/null 2>&1
	local cmd="env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8"
	[ ${#env[@]} -gt 0 ] && cmd="$cmd $(printf '%q ' "${env[@]}")"
	cmd="$cmd $(printf '%q ' "$ATTNVIZ_BIN")"
	[ ${#args[@]} -gt 0 ] && cmd="$cmd $(printf '%q ' "${args[@]}")"
	rm -f "$E2E_TMP/stty.before" "$E2E_TMP/stty.after"
	tm new-session -d -s t -x "$w" -y "$h" "stty -g > $E2E_TMP/stty.before; $cmd; rc=\$?; stty -g > $E2E_TMP/stty.after; echo EXIT=\$rc; sleep 600"
}

# expect_restored DESC: once attnviz has ended (EXIT= shown), the pane is back
# on the normal screen and the terminal modes are what they were before it.
expect_restored() {
	if ! wait_for F "EXIT="; then bad "$1: attnviz did not end"; return 0; fi
	local alt before after
	alt=$(tm display -p -t t '#{alternate_on}')
	before=$(cat "$E2E_TMP/stty.before" 2>/dev/null) after=$(cat "$E2E_TMP/stty.after" 2>/dev/null)
	if [ "$alt" = 0 ] && [ -n "$before" ] && [ "$before" = "$after" ]; then
		ok
	else
		bad "$1 (alternate screen $alt; stty before '$before', after '$after')"
	fi
}

screen() { tm capture-pane -p -t t 2>/dev/null; }
keys() { tm send-keys -t t "$@"; }
literal() { tm send-keys -t t -l "$@"; }

# wait_for MODE PATTERN: poll up to E2E_TIMEOUT s for the screen to match
# (MODE F: fixed string, E: extended regex; prefix ! to wait for no match).
wait_for() {
	local mode=$1 pat=$2 neg=0 end
	case $mode in !*) neg=1; mode=${mode#!} ;; esac
	end=$(($(date +%s%N) / 1000000 + E2E_TIMEOUT * 1000))
	while [ $(($(date +%s%N) / 1000000)) -lt $end ]; do
		if screen | grep -q"$mode" -- "$pat"; then
			[ $neg = 0 ] && return 0
		else
			[ $neg = 1 ] && return 0
		fi
		sleep 0.02
	done
	return 1
}

ok() {
	E2E_PASS=$((E2E_PASS + 1))
}

bad() {
	E2E_FAIL=$((E2E_FAIL + 1))
	echo "FAIL: $1"
	screen | grep -v '^ *$' | head -40 | sed 's/^/    | /'
}

# expect DESC MODE PATTERN
expect() {
	local t0=$SECONDS
	if wait_for "$2" "$3"; then ok; else bad "$1 (wanted ${2}: '$3')"; fi
	[ -n "${E2E_VERBOSE:-}" ] && echo "$((SECONDS - t0))s $1"
	return 0
}

e2e_summary() {
	echo "e2e $1: $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" = 0 ]
}
