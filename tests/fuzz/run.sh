#!/usr/bin/env bash
# Build and run the libFuzzer targets (tests/fuzz/fuzz_*.c) against the core.
#   bash tests/fuzz/run.sh [SECONDS]      each target for SECONDS (default 60)
# Environment:
#   FUZZ_RUNS=N        run each target for N executions instead of a time
#   FUZZ_TARGETS="weights tokenize"   which targets (default: all)
#   FUZZ_JOBS=N        parallel fuzzing jobs per target (default 1)
# Binaries go to build-fuzz/, the growing corpus to tests/fuzz/corpus-<target>/
# (not committed; seeded from tests/fuzz/seeds-<target>/), crashing inputs to
# tests/fuzz/crashes/<target>-crash-<sha1>. Prints libFuzzer's final stats
# (number of executions) for each target. Exit status 1 if a target failed.
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
OUT=build-fuzz
FUZZ=tests/fuzz

sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# clang with the libFuzzer runtime (Debian: clang + libclang-rt-14-dev).
probe() {
	printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
		>"$OUT/probe.c" &&
	clang -fsanitize=fuzzer,address,undefined "$OUT/probe.c" -o "$OUT/probe" 2>/dev/null
}
mkdir -p "$OUT" "$FUZZ/crashes"
if ! command -v clang >/dev/null 2>&1 || ! probe; then
	echo "fuzz: installing clang and libclang-rt-14-dev (libFuzzer)"
	sudo_cmd apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive sudo_cmd apt-get install -y -qq clang libclang-rt-14-dev ||
		{ echo "fuzz: could not install clang/libFuzzer (run as root or with sudo)" >&2; exit 1; }
	probe || { echo "fuzz: clang cannot link -fsanitize=fuzzer" >&2; exit 1; }
fi
command -v pkg-config >/dev/null && pkg-config --exists openblas ||
	{ echo "fuzz: openblas not found by pkg-config (run 'make deps')" >&2; exit 1; }

CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc"
# shellcheck disable=SC2086
build() { # target
	echo "fuzz: building $OUT/fuzz_$1"
	clang $CFLAGS $(pkg-config --cflags openblas) "$FUZZ/fuzz_$1.c" src/core/*.c \
		-o "$OUT/fuzz_$1" $(pkg-config --libs openblas) -lm -lpthread
}

TARGETS=${FUZZ_TARGETS:-$(for f in "$FUZZ"/fuzz_*.c; do b=${f##*/fuzz_}; echo "${b%.c}"; done)}
status=0
for t in $TARGETS; do
	build "$t" || { status=1; continue; }
	corpus="$FUZZ/corpus-$t"
	mkdir -p "$corpus"
	args=(-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=16384
		-artifact_prefix="$FUZZ/crashes/$t-")
	[ -f "$FUZZ/$t.dict" ] && args+=(-dict="$FUZZ/$t.dict")
	if [ -n "${FUZZ_RUNS:-}" ]; then args+=(-runs="$FUZZ_RUNS"); else args+=(-max_total_time="$SECONDS_EACH"); fi
	if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then args+=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
	if [ -n "${FUZZ_RUNS:-}" ]; then what="$FUZZ_RUNS runs"; else what="$SECONDS_EACH s"; fi
	echo "fuzz: running $t ($what)"
	log="$OUT/fuzz_$t.log"
	OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$OUT/fuzz_$t" "${args[@]}" "$corpus" "$FUZZ/seeds-$t" 2>&1 | tee "$log" |
		grep -E '^(stat::|==|SUMMARY|Done|INFO: (Seed|Loaded))|ERROR|crash-' 
	rc=${PIPESTATUS[0]}
	runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
	echo "fuzz: $t: ${runs:-?} executions, exit $rc (log: $log)"
	[ "$rc" = 0 ] || status=1
done
exit $status
