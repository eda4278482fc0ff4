#!/usr/bin/env bash
# End-to-end checks of issue 10 (in front of a class) where colour and
# terminal type matter, read with tmux capture-pane -e: no value glyph in
# reverse video (xterm-256color and vt100), the light theme's colours,
# --theme's errors, and presenter mode.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

screen_e() { tm capture-pane -p -e -t t 2>/dev/null; }

# rows of the grids (after the column-header row, before the counters), with
# their escapes
grid_rows_e() { screen_e | sed -n '/c_n/,/RNN:/p' | sed '1d;$d'; }

# has_reverse: stdin has an SGR sequence turning reverse video on: a
# parameter 7 of its own (not the colour number of 38;5;N / 48;5;N, such
# as 197, nor part of 38;2;R;G;B)
has_reverse() {
	grep -o $'\e\[[0-9;]*m' | tr -d '\033[m' | awk -F';' '
		{ for (i = 1; i <= NF; i++) {
			if (($i == 38 || $i == 48) && $(i + 1) == 5) { i += 2; continue }
			if (($i == 38 || $i == 48) && $(i + 1) == 2) { i += 4; continue }
			if ($i == 7) found = 1
		} }
		END { exit !found }'
}

# ---- the step row and the cursor are never reverse video ------------------
for term in xterm-256color vt100; do
	start 80 24 "TERM=$term" -- --tui
	expect "$term: started" F "step 1/6"
	keys Space Space Space
	expect "$term: step 4" F "step 4/6"
	if grid_rows_e | has_reverse; then
		bad "$term: reverse video in the grids at step 4"
	else ok; fi
	keys Tab Down
	expect "$term: scores focused" F "score[5][1]"
	if grid_rows_e | has_reverse; then
		bad "$term: the grid cursor is reverse video"
	else ok; fi
	keys q
	expect "$term: quits" F "EXIT=0"
done

# ---- --theme light: the current word and 1.00 in dark colours -------------
start 80 24 -- --tui --theme light
expect "light: started" F "step 1/6"
if screen_e | grep -q $'38;5;124m\\[the\\]\\|38;5;124m *step 1/6\\|38;5;124m[^\e]*step 1/6'; then ok
else bad "light: the current word/step not in colour 124: $(screen_e | sed -n 2p | cat -v)"; fi
if screen_e | grep -q '38;5;184'; then bad "light: yellow 184 (1.00) on a light background"; else ok; fi
keys q
expect "light quits" F "EXIT=0"
start 80 24 "COLORFGBG=0;15" -- --tui
expect "auto from COLORFGBG: started" F "step 1/6"
if screen_e | grep -q '38;5;124'; then ok; else bad "COLORFGBG=0;15 did not choose the light theme"; fi
keys q
expect "auto quits" F "EXIT=0"

# ---- --theme errors -----------------------------------------------------
out=$("$ATTNVIZ_BIN" --theme sepia --print 2>"$E2E_TMP/err"); rc=$?
[ "$rc" = 2 ] && [ -z "$out" ] && grep -q "allowed dark, light, auto" "$E2E_TMP/err" && ok ||
	bad "--theme sepia: rc $rc, stderr $(cat "$E2E_TMP/err")"

# ---- presenter mode -----------------------------------------------------
start 80 24 -- --untrained --tui --big
expect "--big: numbers in cells" E "^1 the +• +0\.[0-9][0-9] "
expect "!--big: no masked panel" "!F" "masked"
keys b
expect "b: back to glyphs" E "^1 the • [▁▂▃▄▅▆▇█] "
keys q
expect "big quits" F "EXIT=0"

e2e_summary classroom
