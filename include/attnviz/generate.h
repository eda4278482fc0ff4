/* Generation, one token at a time, as a decoder runs: the RNN keeps h_t,
 * attention keeps a cache of the K and V rows seen so far, so row t is
 * computed from the cache and the new token alone (never a recompute of
 * the whole grid). Each token waits for the one before: generation is
 * sequential for both models; attention's parallelism is a training-time
 * property. */
#ifndef ATTNVIZ_GENERATE_H
#define ATTNVIZ_GENERATE_H

#include <stdbool.h>
#include "attnviz/lm.h"
#include "attnviz/rng.h"

typedef struct {
	const av_lm *lm; /* borrowed */
	int n;           /* tokens pushed so far */
	float *K, *V;    /* (heads, AV_MAX_TOKENS, dh) the cache */
	float *h;        /* (H) the RNN state h_{n-1} */
	float *x, *y;    /* (D) c_t, y_t */
	float *q;        /* (dh) */
	float *w;        /* (heads, AV_MAX_TOKENS) attention weights of the last row */
	float *rnn_prob, *attn_prob; /* (V) p(next) after the last token */
} av_decoder;

av_status av_decoder_create(av_decoder *d, const av_lm *lm, av_error *err);
void av_decoder_destroy(av_decoder *d);
void av_decoder_reset(av_decoder *d);

/* Feed token id at position d->n: one RNN step and one attention row
 * (query q_t against the cached k_0..k_t, the mask restricted to keys seen
 * so far), then the next-word probabilities of both models. Returns false
 * (doing nothing) when AV_MAX_TOKENS tokens are already in. */
bool av_decoder_push(av_decoder *d, int id);

/* A token drawn from prob (V): temperature 0 picks the most probable;
 * otherwise p^(1/T) renormalized over the top_k most probable (top_k 0:
 * all), sampled with r. */
int av_sample(const float *prob, int V, float temperature, int top_k, av_rng *r);

/* ids (k) of the k most probable tokens of prob (V), most probable first
 * (ties: the lower id first); k <= V. For views of the predictions. */
void av_top_k(int *ids, const float *prob, int V, int k);

#endif
