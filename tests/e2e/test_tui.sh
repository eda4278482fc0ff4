#!/usr/bin/env bash
# End-to-end tests of the interactive view in a detached tmux at 80x24 and
# 120x40: stepping, drill-down, mask toggle, editing (bad then good input),
# help, resize to 20x8 and back, quit status, signals, terminals.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# ---- 80x24, default sentence --------------------------------------------
start 80 24 -- --untrained --tui
expect "first frame" F "step 1/6"
expect "RNN panel" F "RNN h_n"
expect "panel titles" E "scores +mask causal +masked +softmax"
expect "mask row 1" E "^1 the .* 1 0 0 0 0 0 "
expect "mask row 6" E "^6 mat .* 1 1 1 1 1 1 "
expect "counters" F "RNN: 1 of 6 sequential steps (each waits for the previous)"
expect "attention counter" F "attention: all 6 rows at once, 4 batched steps"

keys l l
expect "step right twice" F "step 3/6"
expect "RNN counter follows" F "RNN: 3 of 6 sequential steps"
expect "h_3 computed" E "^3 sat +↓ "
expect "h_4 pending" E "^4 on +┆ · · · ·"
keys h
expect "step back" F "step 2/6"
keys Space
expect "space steps" F "step 3/6"
keys G
expect "last step" F "step 6/6"
keys g
expect "first step" F "step 1/6"

keys Tab Down Down Right Enter
expect "drill-down opens on q_3, k_2" F "attention q_3 → k_2"
expect "drill-down numbers" F "= softmax[3][2]"
want=$("$ATTNVIZ_BIN" --untrained --print | awk '/^softmax weights/ {f = 1} f && /^q_3 / {print $4; exit}')
expect "drill-down number equals --print ($want)" E "probability +$want +"
keys Escape
expect "drill-down closes" '!F' "= softmax[3][2]"
keys BTab Enter
expect "RNN drill-down" F "h_1 = tanh(W_h h_0 + W_e c_1 + b)"
keys q
expect "q closes the popup, not the program" '!F' "tanh(W_h h_0"
expect "still running" F "step 1/6"

keys p
expect "p: positional encoding on" F "pos on"
keys p
expect "p: positional encoding off" F "pos off"
keys s
expect "s: new seed" F "seed 686"
keys l BSpace
expect "Backspace: previous step" F "step 1/6"
keys Home
expect "Home: first step" F "step 1/6"
keys F1
expect "F1: help" F "attnviz keys"
keys Escape C-l
expect "Ctrl-L redraws" F "step 1/6"
keys ']'
expect "one head: ] says so" F "one head only"
keys a +
expect "+: faster auto-play" F "one step every 400 ms"
keys a
keys g
expect "auto-play off, first step" F "step 1/6"
keys e Escape
expect "editor: Esc cancels" F "edit cancelled"

keys m
expect "mask toggled to none" F "mask none"
expect "mask row 1 all ones" E "^1 the .* 1 1 1 1 1 1 "
keys m
expect "mask back to causal" E "^1 the .* 1 0 0 0 0 0 "

keys e C-u Enter
expect "empty sentence is an error" F "empty"
expect "previous sentence kept" F "step 1/6"
keys e C-u
literal "the dog ran"
keys Enter
expect "new sentence" F "step 1/3"
expect "new tokens" F "[the]  dog   ran"
expect "new mask" E "^3 ran .* 1 1 1 "

keys '?'
expect "help overlay" F "attnviz keys"
expect "help lists quit" E "│ q +quit"
keys x
expect "help closes" '!F' "attnviz keys"

tm resize-window -t t -x 20 -y 8
expect "too small" F "terminal too small:"
expect "too small sizes" F "have 20×8"
tm resize-window -t t -x 80 -y 24
expect "back after resize" F "step 1/3"
expect "panels back after resize" E "^1 the .* 1 0 0 "

keys a
expect "auto-play steps on a timer" F "step 3/3"
keys q
expect "quit with status 0" F "EXIT=0"
expect "q restored the screen" '!F' "step 3/3"
expect_restored "q restored: modes and normal screen"

# ---- 120x40: 16 tokens, every row and column in glyph cells ---------------
start 120 40 -- --untrained --tui --sentence "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
expect "16 tokens" F "step 1/16"
expect "16 rows" E "^16 sixte… "
expect "mask row 1 of 16" F "1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"
keys End
expect "last of 16" F "step 16/16"
expect "RNN counter 16" F "RNN: 16 of 16 sequential steps"
keys q
expect "quit 120x40" F "EXIT=0"

start 120 40 -- --untrained --tui
expect "numbers in cells" E "^1 the +• +-?[0-9]\.[0-9]{2} "
expect "-inf shown" F "−∞"
expect "weights row 1" E "  1\.00 +0 +0 +0 +0 +0"
if screen | grep -qi "nan"; then bad "NaN on screen"; else ok; fi
keys C-c
expect "SIGINT exits 130" F "EXIT=130"
expect "SIGINT restored the screen" '!F' "step 1/6"
expect_restored "SIGINT restored: modes and normal screen"

start 80 24 -- --untrained --tui
expect "first frame for SIGTERM" F "step 1/6"
pane_pid=$(tm display -p -t t '#{pane_pid}')
app_pid=$(pgrep -P "$pane_pid" | head -1)
if [ -n "$app_pid" ]; then kill -TERM "$app_pid"; fi
expect "SIGTERM exits 143" F "EXIT=143"
expect "SIGTERM restored the screen" '!F' "step 1/6"
expect_restored "SIGTERM restored: modes and normal screen"

# ---- 80x24, 9 tokens: rows scroll together, counters on their own lines --
start 80 24 -- --untrained --tui --sentence "one two three four five six seven eight nine"
expect "9 tokens" F "step 1/9"
expect "RNN counter on its own line" E "^RNN: 1 of 9 sequential steps \(each waits for the previous\)$"
expect "attention counter on its own line" E "^attention: all 9 rows at once, 4 batched steps for any n$"
expect "z_n title not run into the counters" '!E' "z_n.*RNN:"
n=$(screen | grep -c "^1 one ")
[ "$n" = 2 ] && ok || bad "row 1 shown in $n bands (want both)"
keys G
expect "step 9" F "step 9/9"
n=$(screen | grep -c "^9 nine ")
[ "$n" = 2 ] && ok || bad "row 9 shown in $n bands (want both)"
expect "attention counter at step 9" F "attention: all 9 rows at once"
keys q
expect "quit 9 tokens" F "EXIT=0"

# ---- 120x40: explanations on full-width lines under the grids -------------
start 120 40 -- --untrained --tui
expect "explanation on one line" F 'after masking, softmax gives valid attention distributions without any "cheating": each row sums to 1'
keys q
expect "quit 120x40 explanations" F "EXIT=0"

# ---- ASCII on a vt100: ordered ramps, their own legends, 0 for weight 0 ---
start 80 24 "TERM=vt100" "LANG=C" "LC_ALL=C" -- --untrained --tui --no-color
expect "vt100 weights row 1" E "^1 the .* @ 0 0 0 0 0 "
expect "vt100 legend per ramp" F "score,h,z =-~,o+*# (-..+)  weight .:-=+*#@ (0..1)  0 weight 0  x masked"
keys c
expect "vt100 mask none: legend kept" F "0 weight 0"
expect "vt100 mask none: no-dependency line kept" F "no dependency between z_n and z_{n-1}"
keys q
expect "vt100 quits" F "EXIT=0"

# ---- stdin is a pipe: keys come from /dev/tty -----------------------------
tm kill-session -t t >/dev/null 2>&1
tm new-session -d -s t -x 80 -y 24 "echo x | env TERM=xterm-256color LC_ALL=C.UTF-8 $(printf %q "$ATTNVIZ_BIN") --tui; echo EXIT=\$?; sleep 600"
expect "stdin a pipe: first frame" F "step 1/6"
keys l
expect "stdin a pipe: keys from the terminal" F "step 2/6"
keys q
expect "stdin a pipe: quits" F "EXIT=0"

# ---- heads ---------------------------------------------------------------
start 100 30 -- --untrained --tui --heads 2 --dim 4
expect "two heads" F "head 1/2"
keys ']'
expect "]: next head" F "head 2/2"
keys '['
expect "[: previous head" F "head 1/2"
keys 2
expect "2: head 2" F "head 2/2"
keys 8
expect "8: no such head" F "no head 8"
keys q
expect "quit heads" F "EXIT=0"

# ---- terminals and locales ----------------------------------------------
for term in xterm linux vt100; do
	start 80 24 "TERM=$term" -- --untrained --tui
	expect "TERM=$term draws" E "^1 the .* 1 0 0 0 0 0 "
	keys q
	expect "TERM=$term quits" F "EXIT=0"
	expect "TERM=$term leaves a clean screen" '!F' "mask causal"
done
start 80 24 "LANG=C" "LC_ALL=C" -- --untrained --tui
expect "C locale draws ASCII" E "^1 the +> .* 1 0 0 0 0 0 "
if screen | grep -qP '[^\x00-\x7f]'; then bad "C locale: non-ASCII on screen"; else ok; fi
keys q
expect "C locale quits" F "EXIT=0"
start 80 24 "NO_COLOR=1" -- --untrained --tui --ascii
expect "--ascii draws" F "step 1/6"
tm kill-session -t t

# ---- the default: the trained model (issue 9) --------------------------------
start 120 40 -- --tui
expect "trained model by default" F "trained: en, 3000 steps"
expect "trained model sizes" F "d_model 16"
expect "positional from the model" F "pos on"
keys s
expect "s: new random weights" F "random: seed 686"
keys q
start 120 40 -- --tui --sentence "猫坐在垫子上。"
expect "Chinese sentence: Chinese model" F "trained: zh, 3000 steps"
keys q
start 120 40 -- --tui --seed 685
expect "--seed: random weights" F "random: seed 685"
keys q
tm kill-session -t t

out=$(TERM=attnviz-no-such-terminal "$ATTNVIZ_BIN" --tui 2>&1 </dev/null); rc=$?
if [ $rc = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | grep -q "unknown terminal"; then ok; else bad "unknown TERM: rc=$rc out=$out"; fi
out=$(TERM=dumb "$ATTNVIZ_BIN" --tui 2>&1 </dev/null); rc=$?
if [ $rc = 2 ] && printf '%s' "$out" | grep -q "cannot move the cursor"; then ok; else bad "TERM=dumb: rc=$rc out=$out"; fi

e2e_summary tui
