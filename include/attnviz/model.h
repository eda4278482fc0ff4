/* The model state of one sentence: tokens, inputs X, the RNN's hidden
 * states and every intermediate of attention, per head. Allocated once for
 * up to AV_MAX_TOKENS tokens; computing or stepping allocates nothing.
 * Front ends read the fields directly and never write them. */
#ifndef ATTNVIZ_MODEL_H
#define ATTNVIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "attnviz/status.h"
#include "attnviz/tokenize.h"
#include "attnviz/weights.h"
#include "attnviz/mask.h"
#include "attnviz/vocab.h"

#define AV_DEFAULT_SENTENCE "the cat sat on the mat"
/* The same sentence for a Chinese interface: one token per character. */
#define AV_DEFAULT_SENTENCE_ZH "猫坐在垫子上。"
#define AV_DEFAULT_SEED 685u
#define AV_DEFAULT_DIM 4

/* Sequential steps of attention, whatever n: (1) project Q, K, V,
 * (2) scores Q K^T, (3) mask + softmax, (4) weights V. */
#define AV_ATTN_DEPTH 4

typedef struct {
	uint64_t seed;
	int d_model;  /* D, 1..128 */
	int d_hidden; /* H, 1..128 */
	int heads;    /* 1..8, divides D */
	av_mask_kind mask;
	bool positional;
} av_config;

/* Per-head attention state; every n x n matrix has row stride n (the
 * current number of tokens), i.e. it is densely packed. */
typedef struct {
	float *Q, *K, *V;  /* (n, d_head) */
	float *scores;     /* (n, n) Q K^T / sqrt(d_head), before the mask */
	float *mask;       /* (n, n) 0/1 */
	float *masked;     /* (n, n) scores or -inf */
	float *weights;    /* (n, n) row softmax of masked */
	float *output;     /* (n, d_head) weights V */
	float *leak;       /* (n) mass on later keys j > i */
	float *inc_weights; /* (n, n) row i from tokens 1..i only; 0 for j > i */
	float *inc_output;  /* (n, d_head) */
	float *inc_diff;    /* (n) max |batched - incremental| over row i (weights, output),
			     * both sides in the same plain loops: exactly 0 where row i
			     * sees only tokens 1..i (causal, strict), for any weights */
} av_head_state;

typedef struct {
	av_config cfg;
	av_weights w;
	av_tokens tokens;
	int n; /* tokens.n */

	float *X; /* (n, D) inputs c_n (embeddings [+ positional]) */

	/* RNN: xe is computed for all positions at once; h, wh, pre only for
	 * positions < rnn_steps (the rest is "not computed yet"). */
	float *xe;  /* (n, H) W_e c_t */
	float *wh;  /* (n, H) W_h h_{t-1} */
	float *pre; /* (n, H) W_h h_{t-1} + W_e c_t + b */
	float *h;   /* (n, H) tanh(pre) */
	int rnn_steps;

	av_head_state head[AV_MAX_HEADS];
	float *Z; /* (n, D) heads concatenated */

	float *scratch; /* for the incremental rows */
	float *check;   /* the batched twin of the incremental check: Q, K, V, Z (n, d_head)
			 * and scores, weights (n, n), from the naive kernels */

	/* The language models, when the weights have one (format version 2,
	 * see attnviz/lm.h): lm_V is the vocabulary size, 0 without. */
	int lm_V;
	av_vocab vocab;
	int ids[AV_MAX_TOKENS];    /* vocabulary id of each token (0: <unk>) */
	float *Y;                  /* (n, D) c_t + Z_t */
	float *rnn_logits;         /* (n, V) h_t U + u */
	float *rnn_prob;           /* (n, V) softmax: p(next word | words 1..t) */
	float *attn_logits;        /* (n, V) y_t W_out + b_out */
	float *attn_prob;          /* (n, V) */
	float rnn_loss[AV_MAX_TOKENS];  /* (n - 1) -log p(tok_{t+1}) */
	float attn_loss[AV_MAX_TOKENS]; /* (n - 1) */
	float rnn_mean_loss, attn_mean_loss; /* means over the n - 1 predictions */
	/* Attention as a generator sees it: row t from tokens 1..t only
	 * (the heads' inc_output), y = c_t + z_t^inc; equal to the batched
	 * rows under the causal mask, not without it (the cheat). */
	float *attn_inc_logits;    /* (n, V) */
	float *attn_inc_prob;      /* (n, V) */
	float attn_inc_loss[AV_MAX_TOKENS];
	float attn_inc_mean_loss;

	/* Where the weights came from, for titles: the name of a trained
	 * model ("en") or of a file; empty for seeded weights. Set by the
	 * front end; cleared by av_model_reseed. */
	char weights_name[64];
} av_model;

/* Default config: seed 685, D = H = 4, one head, causal, no positional. */
av_config av_config_default(void);

/* Check a config's ranges; the message names the bad value. */
av_status av_config_check(const av_config *cfg, av_error *err);
/* Every weight finite and |w| <= 1000 (the language model's blocks too):
 * larger ones overflow scores and logits to inf and NaN. The model, attnviz
 * train --weights and attnviz generate refuse a file that fails it. */
av_status av_weights_check_values(const av_weights *w, av_error *err);

/* Create a model for cfg. weights may be NULL (made from cfg.seed) or
 * weights whose shapes must equal cfg (copied). */
av_status av_model_create(av_model *m, const av_config *cfg, const av_weights *weights,
			  av_error *err);
void av_model_destroy(av_model *m);

/* Tokenize text and compute everything (attention for all rows, the RNN
 * for all steps). On error the previous sentence and numbers are kept. */
av_status av_model_set_sentence(av_model *m, const char *text, av_error *err);

/* Change mask / positional and recompute (cheap). */
void av_model_set_mask(av_model *m, av_mask_kind kind);
void av_model_set_positional(av_model *m, bool on);

/* Replace the seed: new seeded weights (per-word embeddings dropped),
 * recompute. */
av_status av_model_reseed(av_model *m, uint64_t seed, av_error *err);

/* Recompute everything from the current tokens and weights. */
void av_model_compute(av_model *m);

/* RNN stepping. rnn_steps is the one count of computed (and shown)
 * states h_1..h_rnn_steps: the front ends read it, never keep their own.
 * reset: 0 computed; advance: compute the next one (false when all n are
 * done); goto: show h_1..h_t (t clamped to 1..n): forward computes the
 * missing steps one by one, back only lowers the count (the states after
 * it count as not computed). Every recompute (sentence, mask, seed, ...)
 * computes all n; a front end showing fewer goes back to its step. */
void av_model_rnn_reset(av_model *m);
bool av_model_rnn_advance(av_model *m);
void av_model_rnn_goto(av_model *m, int t);

/* *out = a copy of the weights in use plus a per-word embedding for every
 * token of the sentence that has none yet (its raw vector, without the
 * positional encoding), so that a saved file reproduces every number of
 * this sentence whatever the seed. Fails with AV_ERR_RANGE when more than
 * AV_MAX_WORDS words would be needed. */
av_status av_model_weights_for_save(const av_model *m, av_weights *out, av_error *err);

/* "trained: en, 3000 steps", "weights: NAME" (a file without a language
 * model) or "random: seed 685". Returns out. */
const char *av_model_weights_label(const av_model *m, char *out, size_t cap);

/* Dependency depth: dependent sequential steps for n tokens. */
int av_model_rnn_depth(int n);  /* n */
int av_model_attn_depth(int n); /* AV_ATTN_DEPTH */

#endif
