#!/usr/bin/env bash
# README's pictures of the interactive view are the view: each 80x24 screen
# README shows (the random weights of --untrained, and the trained model as
# attnviz opens) is compared, line by line, with the screen tmux captures of
# the same command. A change to the view fails here until README shows it.
set -u
. "$(dirname "$0")/lib.sh"
readme="$(dirname "$0")/../../README.md"

# readme_block FIRST: the code block of README whose first line starts with
# FIRST, trailing blanks removed.
readme_block() {
	awk -v first="$1" '
		/^```/ { if (on) exit; fence = !fence; top = fence; next }
		top { top = 0; if (index($0, first) == 1) on = 1 }
		on { sub(/[ \t]+$/, ""); print }' "$readme"
}

# compare DESC FIRST ARGS...: README's block against the screen of ARGS.
compare() {
	local desc=$1 first=$2 want got
	shift 2
	want=$(readme_block "$first")
	if [ -z "$want" ]; then
		bad "$desc: README has no screen starting with '$first'"
		return
	fi
	start 80 24 -- "$@"
	if ! wait_for F "step 1/"; then
		bad "$desc: the view did not open"
		return
	fi
	sleep 0.2 # the first frame is complete once the key hints are drawn
	wait_for F "q quit" || true
	got=$(screen | sed 's/[ \t]*$//' | head -n "$(printf '%s\n' "$want" | wc -l)")
	if [ "$got" = "$want" ]; then
		ok
	else
		bad "$desc: README's screen differs from the view (regenerate it with tmux capture-pane)"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -20 | sed 's/^/    /'
	fi
	keys q
}

compare "untrained view" "attnviz  training  mask causal  pos off  random: seed 685" --untrained
compare "trained view" "attnviz      training  mask causal  pos on  trained: en"

e2e_summary docs
