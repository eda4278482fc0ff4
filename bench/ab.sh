#!/usr/bin/env bash
# make bench-ab REV=<revision>: the working tree's core against revision REV's,
# in one process, calls alternating (bench/ab.c says why and what it prints).
# Builds REV's core library in a temporary copy (git archive: the working tree
# and its build are not touched), renames each library's public entry points
# (A_ for REV, B_ for the working tree), makes every other symbol local, and
# links both into bench/ab.c.
# Environment: N (default 256,1024,2048), SAMPLES (101 per model and n).
set -euo pipefail

REV=${1:?usage: bench/ab.sh REVISION (make bench-ab REV=...)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-256,1024,2048}
SAMPLES=${SAMPLES:-101}
cd "$HERE"
git rev-parse --verify --quiet "$REV^{commit}" >/dev/null ||
	{ echo "bench/ab.sh: REV '$REV' is not a commit of this repository" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/rev"
git archive "$REV" | tar -x -C "$TMP/rev"
echo "bench/ab.sh: building the core of $REV ($(git rev-parse --short "$REV")) and of the working tree" >&2
make -s -C "$TMP/rev" -j2 build/libattnviz-core.a >&2
make -s -j2 build/libattnviz-core.a >&2

# side PREFIX LIBRARY: one relocatable object, entry points renamed, the rest local
ENTRY=(av_fast_attn_forward av_fast_attn_forward_workspace av_fast_rnn_forward
	av_fast_rnn_workspace av_attn_layer_forward av_attn_layer_backward
	av_attn_layer_cache_size av_attn_layer_scratch_size av_rnn_layer_forward
	av_rnn_layer_backward)
side() {
	local rename=() keep=() e
	for e in "${ENTRY[@]}"; do rename+=(--redefine-sym "$e=$1$e"); keep+=(-G "$1$e"); done
	ld -r -o "$TMP/$1.o" --whole-archive "$2"
	objcopy "${rename[@]}" "$TMP/$1.o"
	objcopy "${keep[@]}" "$TMP/$1.o"
}
side A_ "$TMP/rev/build/libattnviz-core.a"
side B_ build/libattnviz-core.a
# shellcheck disable=SC2046 # pkg-config prints several words
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Ibench -o "$TMP/ab" bench/ab.c "$TMP/A_.o" \
	"$TMP/B_.o" $(pkg-config --libs openblas) -lm -lpthread
echo "A = $REV ($(git rev-parse --short "$REV")), B = the working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src include || echo ', modified'));" \
	"one thread, d = 64, causal; $SAMPLES samples of each, alternating; A/B above 1: B is faster"
OPENBLAS_NUM_THREADS=1 "$TMP/ab" "$N" "$SAMPLES"
