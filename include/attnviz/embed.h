/* Inputs c_n: one vector per token string, and the optional sinusoidal
 * positional encoding. */
#ifndef ATTNVIZ_EMBED_H
#define ATTNVIZ_EMBED_H

#include <stdint.h>

/* out (d): the embedding of token under seed: draws from the stream
 * av_rng_stream(seed ^ fnv1a(token), "embed"), uniform in [-1, 1). The same
 * string always gets the same vector, at any position, in any sentence. */
void av_embed_token(float *out, const char *token, uint64_t seed, int d);

/* X (n, d) += PE, PE[p][2i] = sin(p / 10000^(2i/d)),
 * PE[p][2i+1] = cos(p / 10000^(2i/d)), p counted from 0. */
void av_positional_add(float *X, int n, int d);

#endif
