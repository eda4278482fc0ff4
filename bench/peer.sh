#!/usr/bin/env bash
# make bench-peer: attnviz bench --csv and the same passes in its peers, same
# n, d and thread counts, same run, then the ratios. Peers:
#   ONNX Runtime (npm onnxruntime-node, installed with its scripts disabled
#     into ~/.cache/attnviz-peer): Q/K/V MatMuls + its fused causal
#     GroupQueryAttention (bench/peer_ort.js);
#   PyTorch (Debian's python3-torch): the naive pass, a blocked-causal pass
#     that skips the masked half, and torch.nn.RNN;
#   numpy (Debian's python3-numpy): the RNN loop.
# Each peer is first checked against attnviz's own output (attnviz bench
# --dump) and skipped, with one line saying why, when it is missing, cannot
# be installed or disagrees. Threads are pinned: PyTorch gets OMP threads and
# OpenBLAS one thread, ONNX Runtime intra-op threads and one inter-op thread.
# attnviz never needs any of them to build, run or test.
# The timings are taken in ROUNDS rounds, each timing attnviz and then every
# peer, so that all of them sample the same minutes of a machine whose speed
# drifts (a shared VM): a peer's ratio is the median over rounds of its time
# over attnviz's in the same round.
# Usage: bench/peer.sh /abs/path/attnviz
# Environment: N (default 16,64,256,1024,2048,4096), DIM (64),
# THREADS (1 and all cores), REPS (9 samples per round), ROUNDS (3).
set -euo pipefail

BIN=${1:?usage: bench/peer.sh /path/to/attnviz}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3 # Debian's python3, where python3-torch installs (not a pyenv one)
N=${N:-16,64,256,1024,2048,4096}
DIM=${DIM:-64}
CORES=$(nproc 2>/dev/null || echo 1)
if [ "$CORES" -gt 1 ]; then THREADS=${THREADS:-1,$CORES}; else THREADS=${THREADS:-1}; fi
REPS=${REPS:-9}
ROUNDS=${ROUNDS:-3}
case $ROUNDS in ''|*[!0-9]*|0) echo "bench/peer.sh: ROUNDS '$ROUNDS': expected a whole number >= 1" >&2; exit 2 ;; esac
CHECK_N=300 # not a multiple of any block: padding and partial strips checked too
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/attnviz-peer

[ -x "$BIN" ] || { echo "bench/peer.sh: $BIN is not an executable (run make first)" >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/check"
PEERS=()
skip() { echo "skipped $1"; }

echo "attnviz bench against its peers on" \
	"$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')," \
	"$CORES cores; n = $N, d = $DIM, threads = $THREADS, $ROUNDS rounds of $REPS samples;" \
	"load average now $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$BIN" bench --dump "$TMP/check" --n "$CHECK_N" --dim "$DIM"

# ---- ONNX Runtime ---------------------------------------------------------
ORT="$CACHE/node_modules/onnxruntime-node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	skip "ONNX Runtime: node and npm are not installed (apt-get install nodejs npm)"
else
	if [ ! -d "$ORT" ]; then
		echo "bench/peer.sh: installing onnxruntime-node from npm (scripts disabled) into $CACHE..." >&2
		mkdir -p "$CACHE"
		npm install --prefix "$CACHE" --ignore-scripts --no-audit --no-fund onnxruntime-node \
			>"$TMP/npm.log" 2>&1 || true
	fi
	if [ ! -d "$ORT" ]; then
		skip "ONNX Runtime: npm could not install onnxruntime-node ($(tail -1 "$TMP/npm.log"))"
	elif ORT_MODULE="$ORT" node "$HERE/peer_ort.js" check "$TMP/check" "$CHECK_N" "$DIM"; then
		PEERS+=(ORT)
	else
		skip "ONNX Runtime: its result does not match attnviz's (above)"
	fi
fi

# ---- numpy and PyTorch (Debian's packages) --------------------------------
if [ -x "$PY" ] && ! "$PY" -c 'import numpy, torch' 2>/dev/null; then
	echo "bench/peer.sh: installing Debian's python3-numpy and python3-torch (for this benchmark only)..." >&2
	{ $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		python3-numpy python3-torch; } >/dev/null 2>&1 || true
fi
if [ ! -x "$PY" ]; then
	skip "numpy and PyTorch: $PY not found (apt-get install python3)"
elif ! "$PY" -c 'import numpy' 2>/dev/null; then
	skip "numpy and PyTorch: python3-numpy is not installed and could not be"
else
	HAVE_TORCH=
	"$PY" -c 'import torch' 2>/dev/null && HAVE_TORCH=--torch
	[ -n "$HAVE_TORCH" ] || skip "PyTorch: python3-torch is not installed and could not be"
	if OPENBLAS_NUM_THREADS=1 "$PY" "$HERE/peer.py" check "$TMP/check" "$CHECK_N" "$DIM" $HAVE_TORCH; then
		PEERS+=(numpy)
		[ -z "$HAVE_TORCH" ] || PEERS+=(PyTorch)
	else
		skip "numpy and PyTorch: a result does not match attnviz's (above)"
	fi
fi

# ---- the timed rounds -------------------------------------------------------
# time_one NAME OUT: one round of NAME's timings as CSV into OUT.
time_one() {
	case $1 in
	attnviz) "$BIN" bench --csv --n "$N" --dim "$DIM" --threads "$THREADS" --reps "$REPS" ;;
	ORT) ORT_MODULE="$ORT" node "$HERE/peer_ort.js" time --n "$N" --dim "$DIM" \
		--threads "$THREADS" --reps "$REPS" ;;
	numpy) "$PY" "$HERE/peer.py" time --peer numpy --n "$N" --dim "$DIM" --threads 1 \
		--reps "$REPS" ;;
	PyTorch) "$PY" "$HERE/peer.py" time --peer torch --n "$N" --dim "$DIM" \
		--threads "$THREADS" --reps "$REPS" ;;
	esac >"$2"
}
for r in $(seq "$ROUNDS"); do
	echo "bench/peer.sh: round $r of $ROUNDS: attnviz ${PEERS[*]}" >&2
	for name in attnviz "${PEERS[@]}"; do time_one "$name" "$TMP/$name.$r.csv"; done
done
# NAME=round1.csv:round2.csv:...
rounds_of() { local r list=; for r in $(seq "$ROUNDS"); do list+="${list:+:}$TMP/$1.$r.csv"; done; echo "$list"; }

echo
if [ ${#PEERS[@]} -eq 0 ]; then
	echo "no peer could run; attnviz alone:"
	cat "$TMP"/attnviz.*.csv
	exit 0
fi
SPECS=()
for p in "${PEERS[@]}"; do SPECS+=("$p=$(rounds_of "$p")"); done
python3 "$HERE/peer.py" compare "$(rounds_of attnviz)" "${SPECS[@]}"
echo
echo "raw CSV (attnviz, then each peer; round by round):"
for name in attnviz "${PEERS[@]}"; do
	for r in $(seq "$ROUNDS"); do echo "# $name, round $r"; cat "$TMP/$name.$r.csv"; done
done
