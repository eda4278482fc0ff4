#!/usr/bin/env bash
# make bench-peer: attnviz bench --csv and the same passes in PyTorch (CPU),
# same n, d and thread counts, in the same run; prints the ratios.
# Installs Debian's python3-torch on demand (this script only: attnviz never
# needs PyTorch to build, run or test). Usage: bench/peer.sh /abs/path/attnviz
# Environment: N (default 16,64,256,1024,2048,4096), DIM (64),
# THREADS (1 and all cores), REPS (9).
set -euo pipefail

BIN=${1:?usage: bench/peer.sh /path/to/attnviz}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3 # Debian's python3, where python3-torch installs (not a pyenv one)
N=${N:-16,64,256,1024,2048,4096}
DIM=${DIM:-64}
CORES=$(nproc 2>/dev/null || echo 1)
if [ "$CORES" -gt 1 ]; then THREADS=${THREADS:-1,$CORES}; else THREADS=${THREADS:-1}; fi
REPS=${REPS:-9}

[ -x "$BIN" ] || { echo "bench/peer.sh: $BIN is not an executable (run make first)" >&2; exit 2; }
[ -x "$PY" ] || { echo "bench/peer.sh: $PY not found (apt-get install python3)" >&2; exit 1; }

if ! "$PY" -c 'import torch' 2>/dev/null; then
	echo "bench/peer.sh: installing Debian's python3-torch (for this benchmark only)..." >&2
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-torch >/dev/null
	"$PY" -c 'import torch' || { echo "bench/peer.sh: python3-torch did not install" >&2; exit 1; }
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "attnviz vs PyTorch $("$PY" -c 'import torch; print(torch.__version__)') on" \
	"$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')," \
	"$CORES cores; n = $N, d = $DIM, threads = $THREADS, $REPS samples (median)"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}"
"$BIN" bench --csv --n "$N" --dim "$DIM" --threads "$THREADS" --reps "$REPS" >"$TMP/attnviz.csv"
"$PY" "$HERE/peer.py" time --n "$N" --dim "$DIM" --threads "$THREADS" --reps "$REPS" >"$TMP/pytorch.csv"
echo
"$PY" "$HERE/peer.py" compare "$TMP/attnviz.csv" "$TMP/pytorch.csv"
