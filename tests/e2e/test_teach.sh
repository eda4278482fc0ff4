#!/usr/bin/env bash
# End-to-end tests of the teaching modes in a detached tmux at 80x24: the
# parallel-attention lesson from its first step to its end (every step's
# title on screen), the quiz with a right and a wrong answer (the answers
# worked out from the question on screen and --print), training vs
# inference (t), the mask cycle with leak marks (c), the causality test (x)
# and export (X, checked with xmllint).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

lesson_file="$here/../../assets/lessons/parallel-attention.lesson"

# ---- the lesson, start to finish at 80x24 --------------------------------
start 80 24 -- --untrained --tui --lesson parallel-attention
mapfile -t titles < <(sed -n 's/^step  *//p' "$lesson_file" | sed 's/ *#.*//')
total=${#titles[@]}
if [ "$total" -lt 2 ]; then bad "lesson: no steps read from $lesson_file"; fi
# the step that shows the softmax: from there on every grid is on screen
all_from=$(awk '/^step /{k++} /^show .*softmax/{print k; exit}' "$lesson_file")
for ((k = 0; k < total; k++)); do
	# titles are clipped at 80 columns: compare their first 40 characters
	expect "lesson step $((k + 1))/$total" F "lesson step $((k + 1))/$total: ${titles[k]:0:40}"
	if [ $((k + 1)) -ge "${all_from:-1}" ]; then
		expect "lesson step $((k + 1)): grids visible" E "^c_n +h 1 2 3 4 +1 2 3 4 5 6 +1 2 3 4 5 6"
	else # the panels not introduced yet are not drawn
		expect "lesson step $((k + 1)): RNN visible" E "^c_n +h +1 +2 +3 +4"
		expect "lesson step $((k + 1)): no softmax yet" "!F" "softmax"
	fi
	expect "lesson step $((k + 1)): row 6 visible" E "^6 mat "
	[ $((k + 1)) -lt "$total" ] && keys n
done
expect "last step: mask causal again" F "mask causal"
expect "last step: training" F "training"
keys n
expect "n after the last step" F "end of the lesson"
keys N
expect "N goes back" F "lesson step $((total - 1))/$total"
keys N
expect "N again" F "lesson step $((total - 2))/$total"
keys N
expect "N to the causal inference step" F "lesson step $((total - 3))/$total"
expect "inference step has pending rows" E "^6 mat +┆ .*┆ ┆ ┆"
expect "inference step: the check" E "^max\|diff\| +0 "
keys q
expect "lesson quits" F "EXIT=0"

# ---- quiz: one right, one wrong answer ------------------------------------
# Under causal, M[i][j] = 1 iff j <= i and score (i, j) is masked iff j > i;
# the argmax of row i comes from --print.
argmax_col() {
	"$ATTNVIZ_BIN" --untrained --print | awk -v row="q_$1" '
		/^softmax weights/ {f = 1; next}
		f && $1 == row {best = 3; for (c = 4; c <= NF; c++) if ($c + 0 > $best + 0) best = c;
				print best - 2; exit}'
}
# answer RIGHT|WRONG: read the question on screen and answer it.
answer() {
	local s i j col want
	s=$(screen)
	if [[ $s =~ Is\ mask\ cell\ M\[([0-9]+)\]\[([0-9]+)\] ]]; then
		i=${BASH_REMATCH[1]} j=${BASH_REMATCH[2]}
		want=$([ "$j" -le "$i" ] && echo 1 || echo 0)
		[ "$1" = WRONG ] && want=$((1 - want))
		keys "$want"
	elif [[ $s =~ Is\ score\[([0-9]+)\]\[([0-9]+)\] ]]; then
		i=${BASH_REMATCH[1]} j=${BASH_REMATCH[2]}
		want=$([ "$j" -gt "$i" ] && echo y || echo n)
		[ "$1" = WRONG ] && want=$([ "$want" = y ] && echo n || echo y)
		keys "$want"
	elif [[ $s =~ Which\ key\ does\ q_([0-9]+) ]]; then
		i=${BASH_REMATCH[1]}
		col=$(argmax_col "$i")
		[ "$1" = WRONG ] && col=$((col % 6 + 1))
		for ((c = 1; c < col; c++)); do keys Right; done
		keys Enter
	else
		bad "quiz: no question on screen"
	fi
}
start 80 24 -- --untrained --tui --quiz
expect "quiz starts" F "quiz: question 1   0/0 right"
expect "quiz title" E "^attnviz .* quiz +mask causal"
expect "quiz hides cells" F "? ? ?"
expect "quiz hints" F "1/0 y/n answer"
answer RIGHT
expect "right answer counted" F "right, 1/1"
expect "drill-down of the answer" F "probability"
keys Escape
expect "score after a right answer" F "quiz: question 1   1/1 right"
keys Space
expect "second question" F "quiz: question 2   1/1 right"
answer WRONG
expect "wrong answer counted" F "wrong (you said"
keys Escape
expect "score after a wrong answer" F "1/2 right"
keys Space Escape
expect "Esc leaves the quiz" F "quiz over: 1/2 right"
expect "cells shown again" '!F' "? ? ?"
keys Q
expect "Q starts the quiz again, score kept" F "quiz: question 4   1/2 right"
answer RIGHT
expect "verdict once" E "right, 2/3"
n=$(screen | grep -c "right, 2/3")
[ "$n" = 1 ] && ok || bad "verdict shown $n times"
keys Space
expect "one Space closes the drill-down and asks the next" F "quiz: question 5   2/3 right"
expect "drill-down closed" '!F' "probability"
keys Q
expect "Q leaves it" F "quiz over: 2/3 right"
keys q
expect "quiz quits" F "EXIT=0"

# ---- t, c, x, X in a scratch directory ------------------------------------
(cd "$E2E_TMP" && start 80 24 -- --untrained --tui)
expect "first frame" F "step 1/6"
expect "training in the title" E "^attnviz .* training +mask causal"
keys t
expect "t: inference view" E "^attnviz .* inference +mask causal"
expect "t: rows after the step pending" E "^2 cat +┆ · · · · +┆ ┆ ┆ ┆ ┆ ┆"
keys l
expect "stepping grows the rows" E "^2 cat +↓ [^┆]*$"
expect "row 3 still pending" E "^3 sat +┆ · · · · +┆ ┆ ┆"
expect "inference check" E "^max\|diff\| +0 "
keys t
expect "t: training again" E "^attnviz .* training"

keys c
expect "c: mask none" F "mask none"
expect "none: leak marks in softmax" E "^1 the .*!.*!.*!.*!.*!"
expect "none: leaked mass per row" E "^leak j>i +0\.[0-9]{2} "
keys c
expect "c: mask strict" F "mask strict"
expect "strict: row 1 masked, weights 0" E "^1 the .* 0 0 0 0 0 0 .* · · · · · · "
if screen | grep -qi "nan"; then bad "strict: NaN on screen"; else ok; fi
keys c
expect "c: mask future" F "mask future"
keys c
expect "c: back to causal" F "mask causal"

keys g l l l l x
expect "x: editor on word 5 (empty)" E "replace word 5 'the': *$"
keys C-u
literal "a"
keys Enter
expect "x: causal keeps rows 1..4" F "causal: word 5 changed; rows 1..4 unchanged apart from their masked k_5 scores"
expect "x: changed cells marked" E "^5 a +↓ .*\*"
expect "x: h_1 not marked" E "^1 the +• ([^ *] ){4}"
keys c
expect "x then none: every row changed" F "none: word 5 changed; every row changed"
keys m
keys x C-u Enter
expect "x: empty word is an error" F "empty word"
expect "x: sentence kept" F "5 a "

keys X
expect "X: export named" F "exported attnviz-export-1.svg"
if [ -s "$E2E_TMP/attnviz-export-1.svg" ] && xmllint --noout "$E2E_TMP/attnviz-export-1.svg"; then
	ok
else
	bad "X: attnviz-export-1.svg missing or not well-formed"
fi
keys X
expect "X: next free name" F "exported attnviz-export-2.svg"
keys '?'
expect "help lists the teaching keys" F "causality test"
keys Escape q
expect "quits" F "EXIT=0"

# ---- the lesson in ASCII on a vt100 ----------------------------------------
start 80 24 "TERM=vt100" "LANG=C" "LC_ALL=C" -- --untrained --tui --lesson parallel-attention --no-color
expect "vt100: lesson caption" F "lesson step 1/$total"
for ((k = 1; k < ${all_from:-1}; k++)); do keys n; done
expect "vt100: the softmax step" F "lesson step ${all_from:-1}/$total"
keys c
expect "vt100: leak marks" E "^1 the .*!"
keys q
expect "vt100 quits" F "EXIT=0"

# ---- the training-time lesson, start to finish at 80x24 --------------------
# On the shipped model; its steps train (directives), so allow time under ASan.
saved_timeout=$E2E_TIMEOUT
E2E_TIMEOUT=60
tt_file="$here/../../assets/lessons/training-time.lesson"
start 80 24 -- --tui --lesson training-time
mapfile -t tt_titles < <(sed -n 's/^step  *//p' "$tt_file")
mapfile -t tt_focus < <(awk '/^step /{if (n++) print f; f="-"} /^focus /{f=$2} END{print f}' "$tt_file")
tt_total=${#tt_titles[@]}
[ "$tt_total" -ge 6 ] || bad "training-time: no steps read from $tt_file"
for ((k = 0; k < tt_total; k++)); do
	expect "training-time step $((k + 1))/$tt_total" F "lesson step $((k + 1))/$tt_total: ${tt_titles[k]:0:40}"
	expect "training-time step $((k + 1)): grids visible" E "^6 [a-z]+ +[•↓┆] "
	if [ "${tt_focus[k]}" = predictions ]; then
		expect "training-time step $((k + 1)): predictions beside the grids" E "^1 the .* cat +"
	fi
	case ${tt_titles[k]} in
	"Attention: all the losses"*)
		expect "training-time: the race at stage 4" F "race: attention stage 4 of 4" ;;
	"Take the mask off"*)
		expect "training-time: the cheat trained" E "mask none .*trained: en, 300 steps"
		expect "training-time: leaks" E "^1 the .*!.*!.*!" ;;
	"At generation time"*)
		expect "training-time: the generator's column" F "attn inc p loss" ;;
	"Generation shows it"*)
		expect "training-time: 4 words generated" F "generation: 4 tokens added to a prompt of 2" ;;
	esac
	[ $((k + 1)) -lt "$tt_total" ] && keys n
done
expect "training-time: causal at the end" F "mask causal"
expect "training-time: the shipped weights at the end" F "trained: en, 3000 steps"
keys n
expect "training-time: n after the last step" F "end of the lesson"
keys q
expect "training-time: quits" F "EXIT=0"
E2E_TIMEOUT=$saved_timeout

e2e_summary teach
