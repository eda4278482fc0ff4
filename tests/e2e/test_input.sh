#!/usr/bin/env bash
# End-to-end tests of the input paths the other suites do not reach: the
# z_n drill-down (its terms recomputed here from --print's softmax and V),
# every editing key of the sentence editor (readline semantics), mouse
# clicks (SGR protocol) on a token and on a cell, --keys replay, and SIGHUP
# and SIGQUIT restoring the terminal. The seeded (--untrained) model keeps the
# layout at d_model 4.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

print=$("$ATTNVIZ_BIN" --untrained --print)
# cell ROW_LABEL COLUMN BLOCK_PREFIX: a number of --print, e.g. cell q_2 1 "softmax weights"
cell() {
	printf '%s\n' "$print" | awk -v lab="$1" -v col="$2" -v blk="$3" '
		index($0, blk) == 1 { f = 1; next }
		f && $1 == lab { print $(col + 2); exit }'
}
# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# ---- z_n drill-down: z_2[1] = sum_j softmax[2][j] v_j[1] -------------------
start 80 24 -- --untrained --tui
expect "first frame" F "step 1/6"
keys Tab Tab Tab Tab Tab Down Enter
expect "z_n drill-down opens on z_2[1]" F "z_2[1] = Σ_j softmax[2][j] × v_j[1]"
sum=0
for j in 1 2 3 4 5 6; do
	w=$(cell q_2 "$j" "softmax weights") v=$(cell "v_$j" 1 "V = X W_v")
	line=$(screen | grep -E "│ j=$j ")
	# "j=1 the   0.5156 × -0.8780 = -0.4527": the three numbers of the term
	read -r gw gv gp < <(printf '%s\n' "$line" | sed -E 's/.*j='"$j"' +[^ ]+ +([-0-9.]+) × +([-0-9.]+) = +([-0-9.]+).*/\1 \2 \3/')
	if near "${gw:-x}" "$w" 1e-4 && near "${gv:-x}" "$v" 1e-4 && near "${gp:-x}" "$(awk -v a="$w" -v b="$v" 'BEGIN { print a * b }')" 2e-4; then
		ok
	else
		bad "z_2[1] term j=$j: '$line', want $w × $v"
	fi
	sum=$(awk -v s="$sum" -v a="$w" -v b="$v" 'BEGIN { printf "%.6f", s + a * b }')
done
total=$(screen | grep -E "│ z_2\[1\] " | sed -E 's/.*z_2\[1\] +([-0-9.]+).*/\1/')
if near "${total:-x}" "$sum" 3e-4 && near "$total" "$(cell z_2 1 "output z_n")" 1e-4; then ok; else bad "z_2[1] total '$total', want $sum"; fi
keys j
expect "j scrolls, popup stays" F "z_2[1] = Σ_j"
keys Escape
expect "z_n drill-down closes" '!F' "z_2[1] = Σ_j"
expect "z_n detail line" E "^z_2 \"cat\" = "
keys q
expect "quit after z_n" F "EXIT=0"
expect_restored "q restored the terminal"

# ---- the sentence editor: every editing key --------------------------------
start 80 24 -- --untrained --tui
expect "editor: first frame" F "step 1/6"
keys e
expect "editor opens on the sentence" E "^sentence: the cat sat on the mat *$"
keys C-a; literal X
expect "Ctrl-A: start of line" E "^sentence: Xthe cat sat on the mat *$"
keys C-e; literal Y
expect "Ctrl-E: end of line" E "^sentence: Xthe cat sat on the matY *$"
keys C-b C-b; literal Z
expect "Ctrl-B: back one character" E "^sentence: Xthe cat sat on the maZtY *$"
keys C-f; literal W
expect "Ctrl-F: forward one character" E "^sentence: Xthe cat sat on the maZtWY *$"
keys Home DC
expect "Home, Del: deletes under the cursor" E "^sentence: the cat sat on the maZtWY *$"
keys Right Right DC
expect "Right twice, Del" E "^sentence: th cat sat on the maZtWY *$"
keys C-k
expect "Ctrl-K: kill to end of line" E "^sentence: th *$"
literal " dog runs fast"
keys C-w
expect "Ctrl-W: delete the word before the cursor" E "^sentence: th dog runs *$"
keys C-w End; literal "x"
expect "Ctrl-W again, End" E "^sentence: th dog x *$"
literal "é"
keys C-b Left; literal "a"
expect "UTF-8: the cursor moves by whole characters" E "^sentence: th dog axé *$"
keys BSpace
expect "Backspace deletes before the cursor" E "^sentence: th dog xé *$"
keys Enter
expect "edited sentence applied" E "^\[th\]  dog   xé .*step 1/3"
keys q
expect "quit after editing" F "EXIT=0"

# ---- mouse: click a token, click a cell -------------------------------------
start 80 24 -- --untrained --tui
expect "mouse: first frame" F "step 1/6"
row=$(screen | grep -n "^\[the\]" | cut -d: -f1)
col=$(screen | sed -n "${row}p" | awk '{ print index($0, " sat ") + 2 }')
literal $'\e'"[<0;${col};${row}M"$'\e'"[<0;${col};${row}m"
expect "click on 'sat' goes to step 3" F "step 3/6"
expect "the token strip marks it" E "^ the   cat  \[sat\]"
# the first cell of the scores grid in row 2 ("2 cat")
grow=$(screen | grep -n "^2 cat " | cut -d: -f1)
hdr=$(screen | grep -n "^c_n " | cut -d: -f1)
gcol=$(screen | sed -n "${hdr}p" | awk '{ n = index($0, "h 1 2 3 4  "); print n + length("h 1 2 3 4  ") }')
literal $'\e'"[<0;${gcol};${grow}M"$'\e'"[<0;${gcol};${grow}m"
want=$(cell q_2 1 "scores =" | awk '{ printf "%.2f", $1 }')
expect "click on a score cell selects score[2][1] = $want" F "score[2][1] = $want"
keys q
expect "quit after mouse" F "EXIT=0"

# ---- --keys replay -----------------------------------------------------------
start 80 24 -- --untrained --tui --keys 'lll<Enter>'
expect "--keys: three steps then Enter" F "h_4 = tanh(W_h h_3 + W_e c_4 + b)"
expect "--keys: step 4" F "step 4/6"
keys Escape
expect "--keys: then the keyboard" '!F' "h_4 = tanh("
keys l
expect "--keys: keyboard steps on" F "step 5/6"
keys q
expect "quit after --keys" F "EXIT=0"
start 80 24 -- --untrained --tui --keys 'e<End> dog<Enter><Tab><Tab>m'
expect "--keys drives the editor" F "step 1/7"
expect "--keys: focus and mask" F "mask none"
keys q
expect "quit after --keys editor" F "EXIT=0"

# ---- SIGHUP and SIGQUIT restore the terminal ---------------------------------
for sig in HUP:129 QUIT:131; do
	name=${sig%%:*} code=${sig#*:}
	start 80 24 -- --untrained --tui
	expect "first frame for SIG$name" F "step 1/6"
	pane_pid=$(tm display -p -t t '#{pane_pid}')
	app_pid=$(pgrep -P "$pane_pid" | head -1)
	[ -n "$app_pid" ] && kill -"$name" "$app_pid"
	expect "SIG$name exits $code" F "EXIT=$code"
	expect "SIG$name restored the screen" '!F' "step 1/6"
	expect_restored "SIG$name restored the terminal modes and the normal screen"
done

e2e_summary input
