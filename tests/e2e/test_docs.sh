#!/usr/bin/env bash
# README's pictures of the interactive view are the view: each 80x24 screen
# README shows (the random weights of --untrained, and the trained model as
# attnviz opens) is compared, line by line, with the screen tmux captures of
# the same command. A change to the view fails here until README shows it.
set -u
. "$(dirname "$0")/lib.sh"
readme="$(dirname "$0")/../../README.md"

# readme_block FIRST SECOND: the code block of README whose first line
# starts with FIRST and whose second line starts with SECOND, trailing blanks
# removed.
readme_block() {
	awk -v first="$1" -v second="$2" '
		/^```/ { if (on) exit; fence = !fence; top = fence; buf = ""; next }
		top == 1 { top = 2; if (index($0, first) == 1) { buf = $0; next } top = 0; next }
		top == 2 { top = 0; if (buf != "" && index($0, second) == 1) { on = 1; sub(/[ \t]+$/, "", buf); print buf } buf = "" }
		on { sub(/[ \t]+$/, ""); print }' "$readme"
}

# compare DESC FIRST SECOND KEY ARGS...: README's block (first two lines
# starting FIRST, SECOND) against the screen of ARGS after KEY ("" for none).
compare() {
	local desc=$1 first=$2 second=$3 key=$4 want got
	shift 4
	want=$(readme_block "$first" "$second")
	if [ -z "$want" ]; then
		bad "$desc: README has no screen starting with '$first' / '$second'"
		return
	fi
	start 80 24 -- "$@"
	if ! wait_for F "step 1/"; then
		bad "$desc: the view did not open"
		return
	fi
	sleep 0.2 # the first frame is complete once the key hints are drawn
	wait_for F "q quit" || true
	if [ -n "$key" ]; then
		keys "$key"
		wait_for F "step 6/6" || true
		sleep 0.2
	fi
	got=$(screen | sed 's/[ \t]*$//' | head -n "$(printf '%s\n' "$want" | wc -l)")
	if [ "$got" = "$want" ]; then
		ok
	else
		bad "$desc: README's screen differs from the view (regenerate it with tmux capture-pane)"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20 | sed 's/^/    /'
	fi
	keys q
}

compare "untrained view" "attnviz  training  mask causal  pos off  random: seed 685" "[the]" "" \
	--untrained
compare "trained view" "attnviz      training  mask causal  pos on  trained: en" "[the]" ""
compare "trained view after G" "attnviz      training  mask causal  pos on  trained: en" \
	" the   cat   sat   on   the  [mat]" G

e2e_summary docs
