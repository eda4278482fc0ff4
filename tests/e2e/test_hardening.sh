#!/usr/bin/env bash
# Issue 14 in a real terminal (tmux, private socket): a 4,000-character
# paste into the sentence editor, terminating signals that must restore the
# terminal, Ctrl-S (flow control off), and --tui with stdout redirected.
set -u
here=$(cd "$(dirname "$0")" && pwd)
E2E_TIMEOUT=${E2E_TIMEOUT:-10}
. "$here/lib.sh"
bin=$(printf %q "$ATTNVIZ_BIN")

# session "t" running a shell command; after it, the terminal's modes
# ("modes: icanon echo ixon" as stty reports them) and EXIT=<status>.
# (The pane is respawned rather than the session killed: a server left
# without sessions may exit under the next command.)
run_sh() {
	local cmd="env TERM=xterm-256color LC_ALL=C.UTF-8 $1; rc=\$?; echo MODES \$(stty -a | tr ' ' '\n' | grep -xE -- '-?(icanon|echo|ixon)' | tr '\n' ' '); echo EXIT=\$rc; sleep 600"
	if tm has-session -t t 2>/dev/null; then
		tm respawn-pane -k -t t "$cmd"
		tm resize-window -t t -x 80 -y 24
	else
		tm new-session -d -s t -x 80 -y 24 "$cmd"
	fi
}
app_pid() {
	local pane_pid
	pane_pid=$(tm display -p -t t '#{pane_pid}')
	pgrep -P "$pane_pid" | head -1
}

# ---- a 4,000-character paste into the editor -----------------------------
start 80 24 -- --tui
expect "paste: first frame" F "step 1/6"
keys e C-u
paste=$(head -c 3992 /dev/zero | tr '\0' 'a')TAILMARK
t0=$(date +%s%N)
literal "$paste"
expect "paste: the end of 4,000 characters shows, the cursor after it" F "aaaaTAILMARK"
t1=$(date +%s%N)
echo "paste of 4000 characters drawn in $(((t1 - t0) / 1000000)) ms (shared machine: noisy)"
keys Escape
expect "paste: Esc cancels" F "edit cancelled"
expect "paste: sentence kept" F "[the]"
keys q
expect "paste: quits" F "EXIT=0"

# ---- every terminating signal restores the terminal ----------------------
for sig in USR1 USR2 ALRM PIPE HUP; do
	run_sh "$bin --tui"
	expect "SIG$sig: first frame" F "step 1/6"
	pid=$(app_pid)
	[ -n "$pid" ] && kill -"$sig" "$pid"
	num=$(kill -l "$sig")
	expect "SIG$sig exits $((128 + num))" F "EXIT=$((128 + num))"
	expect "SIG$sig restores line mode and echo" E "MODES (-?ixon )?icanon echo"
	expect "SIG$sig cleared the view" '!F' "step 1/6"
done

# ---- Ctrl-S does not freeze the display ----------------------------------
run_sh "$bin --tui"
expect "Ctrl-S: first frame" F "step 1/6"
keys C-s
keys l
expect "Ctrl-S: the view still answers" F "step 2/6"
keys C-q q
expect "Ctrl-S: quits" F "EXIT=0"
expect "Ctrl-S: the shell's flow control is back" F "MODES ixon icanon echo"

# ---- --tui > file draws on the terminal ----------------------------------
run_sh "$bin --tui > $(printf %q "$E2E_TMP/out.txt")"
expect "--tui > file: the view is on the terminal" F "step 1/6"
keys l
expect "--tui > file: keys work (raw mode on the terminal)" F "step 2/6"
keys q
expect "--tui > file: quits 0" F "EXIT=0"
expect "--tui > file: terminal restored" E "MODES (-?ixon )?icanon echo"
if [ -s "$E2E_TMP/out.txt" ]; then bad "--tui > file: the file got $(wc -c <"$E2E_TMP/out.txt") bytes"; else ok; fi

# ---- --tui with no terminal at all (no controlling tty): one line, status 2
if command -v setsid >/dev/null; then
	out=$(TERM=xterm-256color setsid -w "$ATTNVIZ_BIN" --tui 2>&1 >"$E2E_TMP/none.txt" </dev/null); rc=$?
	if [ $rc = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | grep -q "no terminal to draw on" &&
		[ ! -s "$E2E_TMP/none.txt" ]; then ok; else bad "--tui without a terminal: rc=$rc out=$out"; fi
fi

e2e_summary hardening
