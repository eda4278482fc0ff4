#!/usr/bin/env bash
# End-to-end tests of the training-time view in a detached tmux, on the
# shipped English model: the predictions panel at 80x24 and 120x40, the race
# (B), live training (T: the loss shown falls; from the trained model, the
# mask off makes attention's training loss fall below a tenth of its causal
# value within a bounded number of steps), the generation-time check (t),
# reset (r), generation (w) against `attnviz generate`, and save (W).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# The numbers of the training line "step N  R/s  train: RNN a attn b ...".
train_field() { # FIELD (step | rnn | attn)
	screen | sed -n 's/.*step \([0-9]*\)  [0-9]*\/s  train: RNN \([0-9.]*\) attn \([0-9.]*\).*/\1 \2 \3/p' |
		head -1 | awk -v f="$1" '{print f == "step" ? $1 : f == "rnn" ? $2 : $3}'
}
# wait_steps N: poll until the training line shows step >= N (E2E_TIMEOUT).
wait_steps() {
	local end=$(($(date +%s) + E2E_TIMEOUT)) s
	while [ "$(date +%s)" -le $end ]; do
		s=$(train_field step)
		[ -n "$s" ] && [ "$s" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# ---- the predictions panel, 80x24 and 120x40 ----------------------------
start 80 24 -- --tui
expect "80x24: predictions beside z_n" E "z_n = Σ w v +▸?next word: mean loss RNN ┆?·? +attn [0-9]"
expect "80x24: target and attention's guess" E "^1 the .* cat +.*cat +\.[0-9][0-9] [0-9.]+"
expect "80x24: the RNN's rows pending" E "^6 mat .*- +· +[a-z]+ +\.[0-9][0-9]"
keys G
expect "80x24: G computes every RNN prediction" E "^6 mat .*- +[a-z]+ +\.[0-9][0-9] +[a-z]+ +\.[0-9][0-9]"
expect "80x24: a wrong guess marked" E "✗"
tm resize-window -t t -x 120 -y 40
expect "120x40: numbers in the grids and the predictions" E "^1 the +[-0-9.]+ +[-0-9.]+ .*"
expect "120x40: predictions" E "next word: mean loss RNN [0-9.]+  attn [0-9.]+"
tm resize-window -t t -x 80 -y 24
keys P
expect "P hides the predictions" F "predictions panel off (P shows it)"
expect "P: gone" !F "next word: mean loss"
keys P
expect "P shows them" F "next word: mean loss"

# ---- the race --------------------------------------------------------------
keys B
expect "race 1: stage 1" F "race: attention stage 1 of 4 for all 6 rows at once: Q K V projected"
expect "race 1: RNN h_1" F "race: RNN h_1 of 6"
expect "race 1: softmax pending" E "^6 mat ┆ .*┆ ┆ ┆ ┆ ┆ ┆ *$"
keys B B B
expect "race 4: attention finished" F "race: attention stage 4 of 4 for all 6 rows at once: softmax, z: finished"
expect "race 4: RNN h_4" F "race: RNN h_4 of 6"
expect "race 4: losses counted" F "losses: attention 5 from one batched pass; RNN 4 of 5"
keys B B B
expect "race over" F "race over: attention needed 4 batched stages for all 6 rows, the RNN 6 steps"
keys q
expect "quits" F "EXIT=0"

# ---- T from scratch: the loss shown falls ---------------------------------
E2E_TIMEOUT=30
start 80 24 -- --tui
keys R
expect "R: fresh weights" F "fresh random weights (seed 685)"
keys T
if wait_steps 10; then ok; else bad "T: no training line"; fi
first=$(train_field attn)
if wait_steps 300; then ok; else bad "T: 300 steps not reached"; fi
later=$(train_field attn)
# From fresh random weights the loss starts near ln V (104 words: 4.64).
# Under load the first reading may come late, when the loss has already
# fallen, so the test asks that it keeps falling and that by step 300 it is
# well below the uniform guess (not that it fell 20% after a late reading).
if awk -v a="$first" -v b="$later" 'BEGIN { exit !(b < a && b < 0.8 * log(104)) }'; then ok; else
	bad "T: attention's loss did not fall ($first at step 10 or later, $later at step 300; uniform 4.64)"; fi
# keys while training: each answered (P's message shows) in well under a
# second; the figure includes tmux's polling (20 ms) and this machine's load
worst=0
for k in 1 2 3 4 5; do
	t0=$(date +%s%N)
	keys P
	wait_for F "predictions panel off (P shows it)" || true
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	[ $ms -gt $worst ] && worst=$ms
	keys P
	wait_for F "predictions panel on (P hides it)" || true
done
echo "train: slowest of 5 keys while training: $worst ms (tmux polling included; noisy under load)"
if [ $worst -lt 2000 ]; then ok; else bad "a key while training took $worst ms"; fi
keys T
expect "T pauses" F "training paused at step"
keys T
expect "T again" F "training: T pauses, m/c change the mask, r resets"
keys r
expect "r: the loaded weights" F "back to the loaded weights (trained: en, 3000 steps)"
keys q
expect "quits after training" F "EXIT=0"

# ---- mask off while training: the cheat, live -----------------------------
# From the shipped model the collapse came after 2,400-5,700 steps in 7 runs
# (it depends on the state the mask goes off in): 10,000 allows for that.
E2E_TIMEOUT=150
start 80 24 -- --tui
keys T
if wait_steps 50; then ok; else bad "causal: 50 steps not reached"; fi
causal=$(train_field attn)
keys m
expect "m while training" F "mask none"
start_step=$(train_field step)
collapsed=""
end=$(($(date +%s) + E2E_TIMEOUT))
while [ "$(date +%s)" -le $end ]; do
	a=$(train_field attn) s=$(train_field step)
	if [ -n "$a" ] && awk -v a="$a" -v c="$causal" 'BEGIN { exit !(a < c / 10) }'; then
		collapsed=$s
		break
	fi
	sleep 0.1
done
if [ -n "$collapsed" ] && [ $((collapsed - start_step)) -le 10000 ]; then ok; else
	bad "mask none: attention's loss not below $causal/10 within 10000 steps (from step $start_step: ${collapsed:-never})"
fi
echo "train: mask none from the shipped model: attention's loss below $causal/10 after $((collapsed - start_step)) steps"
expect "mask none: leak marks fill the upper triangle" E "^1 the .*!.*!.*!"
expect "caption: the cheat" F "no mask: attention copies the next word, its loss collapses"
keys T t
expect "t: generation time fails" F "generation time: row i sees words 1..i only, nothing to copy"
expect "t: the generator's column" F "attn inc p loss"
keys q
expect "quits" F "EXIT=0"

# ---- generation against attnviz generate ------------------------------------
E2E_TIMEOUT=5
want=$("$ATTNVIZ_BIN" generate --prompt "the cat" --tokens 3 | sed -n '/^$/{n;p;q}')
start 80 24 -- --tui
keys l w w w
expect "w: one dependent step per token" F "generation: 3 tokens added to a prompt of 2, one dependent step each"
read -r -a words <<<"$want"
line=$(printf '\\[?%s\\]? +' "${words[@]}")
expect "w: the words of attnviz generate ($want)" E "^ *${line% +}"
keys M
expect "M: the RNN generates" F "w generates with the RNN"
keys q
expect "quits" F "EXIT=0"

# ---- W saves the trained weights -------------------------------------------
(cd "$E2E_TMP" && start 80 24 -- --tui)
keys T
E2E_TIMEOUT=30
if wait_steps 20; then ok; else bad "W: no training"; fi
keys T W
expect "W: saved" F "saved attnviz-trained-1.weights"
keys q
expect "quits" F "EXIT=0"
if [ -s "$E2E_TMP/attnviz-trained-1.weights" ] &&
	"$ATTNVIZ_BIN" --weights "$E2E_TMP/attnviz-trained-1.weights" --print | grep -q "trained: attnviz-trained-1.weights"; then
	ok
else
	bad "W: the saved file does not load"
fi

e2e_summary train
