/* libFuzzer target: the weight-file parser on version-2 files (vocabulary,
 * E, U/u, W_out/b_out, settings). The checks are fuzz_weights.c's: an error
 * leaves nothing allocated and names the file in one line; a success
 * round-trips bit-for-bit through av_weights_write. This target differs by
 * its seeds (seeds-weights_v2/) and dictionary, which reach the version-2
 * paths quickly. */
#include "fuzz_weights.c"
