/* The two language models trained by attnviz, on one shared embedding:
 *   c_t = E[tok_t] (+ the sinusoidal encoding with positional)   E (V, D)
 *   RNN:       h_t = tanh(W_h h_{t-1} + W_e c_t + b),  logits_t = h_t U + u
 *   attention: Z = heads concatenated (attnviz/attn_layer.h),
 *              y_t = c_t + Z_t,  logits_t = y_t W_out + b_out
 *   loss_t = -log softmax(logits_t)[tok_{t+1}],  t = 0..n-2
 * Every parameter lives in one block allocated once (params, in the order
 * of av_lm_tensors), every gradient in a second block of the same layout;
 * activations for one sentence of up to AV_MAX_TOKENS tokens are allocated
 * once too. Nothing here allocates after av_lm_create. */
#ifndef ATTNVIZ_LM_H
#define ATTNVIZ_LM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "attnviz/mask.h"
#include "attnviz/status.h"
#include "attnviz/weights.h"

/* Pointers into a parameter (or gradient) block. */
typedef struct {
	float *E;      /* (V, D) */
	float *W_e;    /* (H, D) */
	float *W_h;    /* (H, H) */
	float *b;      /* (H) */
	float *U;      /* (H, V) */
	float *u;      /* (V) */
	float *W_attn; /* (heads, 3, D, dh): W_q.k, W_k.k, W_v.k */
	float *W_out;  /* (D, V) */
	float *b_out;  /* (V) */
} av_lm_tensors;

#define AV_LM_TENSORS 9
/* Name and size (floats) of tensor i of the block, in block order. */
const char *av_lm_tensor_name(int i);

typedef struct {
	int V, D, H, heads, dh;
	av_mask_kind mask;
	bool positional;

	size_t n_params;
	float *params; /* (n_params) */
	float *grads;  /* (n_params) */
	av_lm_tensors p, g;
	size_t tensor_size[AV_LM_TENSORS];

	/* Activations of the last av_lm_forward (n tokens). */
	int n;
	float *X;      /* (N, D) c_t */
	float *h;      /* (N, H) */
	float *r_prob; /* (N, V) RNN softmax(logits) */
	float *cache;  /* attention layer cache */
	float *Y;      /* (N, D) c_t + Z_t (Z first, then the residual added) */
	float *Z;      /* (N, D) */
	float *a_prob; /* (N, V) attention softmax(logits) */
	/* Backward scratch. */
	float *dlogits, *d_h, *dpre, *dX, *dY, *scratch;
} av_lm;

/* Allocate an LM of the given sizes; parameters zero. */
av_status av_lm_create(av_lm *lm, int V, int D, int H, int heads, av_mask_kind mask,
		       bool positional, av_error *err);
void av_lm_destroy(av_lm *lm);

/* Initialise from seed: E uniform in [-1, 1) (stream "E"), W_e, W_h, b,
 * W_q/W_k/W_v as av_weights_init_seed, U and W_out Glorot (streams "U",
 * "W_out"), u and b_out zero. */
void av_lm_init(av_lm *lm, uint64_t seed);

/* dst's parameters = src's (same sizes): a snapshot before training, or a
 * reset to it. */
void av_lm_copy_params(av_lm *dst, const av_lm *src);

/* Parameters from a version-2 weight file of the same sizes, and back
 * (vocab copied into w; w allocated by av_lm_to_weights). */
av_status av_lm_from_weights(av_lm *lm, const av_weights *w, av_error *err);
av_status av_lm_to_weights(av_weights *w, const av_lm *lm, const av_vocab *vocab, av_error *err);

/* Copy the parameters into w, already allocated with the same sizes (a
 * viewer's weights following a live training); allocates nothing. */
void av_lm_params_to_weights(av_weights *w, const av_lm *lm);

/* Forward one sentence ids (n, 1..AV_MAX_TOKENS). loss_r, loss_a (n - 1)
 * receive -log p(tok_{t+1}) of each model (either may be NULL); the
 * probabilities stay in r_prob, a_prob. Returns nothing: never fails. */
void av_lm_forward(av_lm *lm, const int *ids, int n, float *loss_r, float *loss_a);

/* Backward of the last av_lm_forward: grads += scale * d(sum_t loss_r_t +
 * sum_t loss_a_t)/d params. Use scale = 1 / (predictions in the batch) for
 * the mean. naive selects the plain-loop kernels (tests). */
void av_lm_backward(av_lm *lm, const int *ids, int n, float scale, bool naive);
void av_lm_zero_grad(av_lm *lm);

/* The vocabulary head, shared by both models and the viewer:
 * logits (n, V) = in (n, in_dim) W (in_dim, V) + bias (V). */
void av_lm_head(float *logits, const float *in, const float *W, const float *bias, int n, int in_dim,
		int V);
void av_lm_head_naive(float *logits, const float *in, const float *W, const float *bias, int n,
		      int in_dim, int V);
/* prob (n, V) = row softmax of logits (in place allowed); loss (n - 1):
 * -log prob[t][ids[t + 1]] (loss may be NULL). */
void av_lm_softmax_loss(float *prob, float *loss, const float *logits, const int *ids, int n,
			int V);

/* Dependent steps of one training step's backward for n tokens: the RNN's
 * chain is n long, attention's is AV_ATTN_BACKWARD_DEPTH whatever n (the
 * vocabulary heads add one step to each). */
int av_lm_rnn_backward_depth(int n);
int av_lm_attn_backward_depth(int n);

#endif
