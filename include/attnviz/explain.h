/* The terms behind one number, for the front ends that show how it was
 * computed (the TUI's drill-down and detail line): the core computes them
 * once, the front ends only format and place them. Read-only over a
 * computed model; allocates nothing. */
#ifndef ATTNVIZ_EXPLAIN_H
#define ATTNVIZ_EXPLAIN_H

#include <stdbool.h>
#include "attnviz/model.h"

/* Attention cell (i, j) of one head, step by step. */
typedef struct {
	int d;                      /* d_head */
	float products[AV_MAX_DIM]; /* (d) q_i[c] * k_j[c] */
	float dot;                  /* sum_c products[c] (before / sqrt(d_head)) */
	float score;                /* scores[i][j] = dot / sqrt(d_head) */
	float mask;                 /* 0 or 1 */
	float masked;               /* score, or -inf where the mask is 0 */
	bool fully_masked;          /* row i has no finite masked score: weights 0 */
	float row_max;              /* max finite masked score of row i */
	float exp_j;                /* exp(masked - row_max), 0 when masked */
	float row_sum;              /* sum over the row of exp(masked - row_max) */
	float weight;               /* softmax[i][j] = exp_j / row_sum */
} av_cell_terms;

/* z_i[c] of one head as sum_j weights[i][j] * v_j[c]. */
typedef struct {
	int n;
	float weight[AV_MAX_TOKENS];  /* (n) weights[i][j] */
	float value[AV_MAX_TOKENS];   /* (n) v_j[c] */
	float product[AV_MAX_TOKENS]; /* (n) weight * value */
	float z;                      /* output[i][c] */
} av_z_terms;

/* The next-word prediction of row t of one language model (the RNN's
 * logits_t = h_t U + u, attention's logits_t = y_t W_out + b_out): the
 * five most probable words, and for the top word and the target the logit
 * term by term, then the loss -log p(target) = log sum exp - logit. */
#define AV_PRED_TOP 5
typedef struct {
	bool rnn;
	int t, V;
	int in_dim;                 /* d_hidden (RNN) or d_model (attention) */
	const float *in;            /* (in_dim) h_t or y_t, inside the model */
	int n_top;
	int top[AV_PRED_TOP];       /* ids, most probable first (ties: lower id) */
	float top_p[AV_PRED_TOP];
	int target;                 /* tok_{t+1}'s id, or -1 on the last row */
	/* word[0] = the top word, word[1] = the target */
	int word[2];
	float products[2][AV_MAX_DIM]; /* in[c] * W[c][word] */
	float dot[2], bias[2], logit[2];
	float max_logit, log_sum_exp; /* log sum_v exp(logit_v) */
	float target_p, loss;          /* loss: the model's own rnn_loss / attn_loss */
} av_pred_terms;

/* Terms of row t's prediction (m must have a language model). */
void av_explain_prediction(av_pred_terms *out, const av_model *m, bool rnn, int t);

/* The k most probable of prob (V) into top / top_p, most probable first
 * (ties: the lower id); returns min(k, V). */
int av_top_k_ids(int *top, float *top_p, const float *prob, int V, int k);

/* Terms of cell (i, j) of head; i, j in 0..n-1, head in 0..heads-1. */
void av_explain_cell(av_cell_terms *out, const av_model *m, int head, int i, int j);

/* Terms of z_i[c] of head; c in 0..d_head-1. */
void av_explain_z(av_z_terms *out, const av_model *m, int head, int i, int c);

/* The same for the incremental result (row i from tokens 1..i alone, as a
 * decoder computes it): the softmax runs over keys 1..i, the weights are
 * inc_weights, z is inc_output and out->n is i + 1. Under causal these
 * equal the batched terms; under none they do not. */
void av_explain_cell_incremental(av_cell_terms *out, const av_model *m, int head, int i, int j);
void av_explain_z_incremental(av_z_terms *out, const av_model *m, int head, int i, int c);

/* sum_j row[j] over n entries (a softmax row: 1 up to rounding, 0 when
 * fully masked). */
float av_row_sum(const float *row, int n);

#endif
