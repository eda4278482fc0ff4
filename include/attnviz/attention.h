/* Scaled dot-product attention for one head, as matrix products:
 *   Q = X W_q, K = X W_k, V = X W_v          (n, d_head) each
 *   scores = Q K^T / sqrt(d_head)             (n, n)
 *   masked = scores where M = 1, -inf where M = 0
 *   weights = row softmax(masked)             (n, n), a fully masked row -> 0
 *   Z = weights V                             (n, d_head)
 * and the incremental path that computes row i from tokens 1..i alone, as a
 * decoder does at generation time. Every cblas kernel has a naive twin. */
#ifndef ATTNVIZ_ATTENTION_H
#define ATTNVIZ_ATTENTION_H

#include "attnviz/mask.h"

/* out (n, d_head) = X (n, D) . W (D, d_head). */
void av_attn_project(float *out, const float *X, const float *W, int n, int D, int d_head);
void av_attn_project_naive(float *out, const float *X, const float *W, int n, int D, int d_head);

/* scores (n, n) = Q (n, d) . K^T / sqrt(d). */
void av_attn_scores(float *scores, const float *Q, const float *K, int n, int d);
void av_attn_scores_naive(float *scores, const float *Q, const float *K, int n, int d);

/* masked (n, n) = scores where M != 0, -INFINITY where M == 0. */
void av_attn_apply_mask(float *masked, const float *scores, const float *M, int n);

/* weights (rows, cols): stable row softmax of x, subtracting each row's
 * max over finite entries; -inf entries get exactly 0; a row with no
 * finite entry gets all zeros (never NaN). */
void av_softmax_rows(float *weights, const float *x, int rows, int cols);

/* Z (n, d) = weights (n, n) . V (n, d). */
void av_attn_output(float *Z, const float *weights, const float *V, int n, int d);
void av_attn_output_naive(float *Z, const float *weights, const float *V, int n, int d);

/* Leaked mass per row: leak[i] = sum_{j > i} weights[i][j] (attention to
 * later words; 0 under a causal mask). */
void av_attn_leak(float *leak, const float *weights, int n);

/* Incremental row i: uses only X rows 0..i (projects q_i, k_j, v_j itself),
 * applies kind restricted to keys 0..i, softmax, sums v_j.
 * w_row (i+1): weights over keys 0..i; z_row (d_head).
 * scratch: at least 2 * (i+1) * d_head + d_head floats. Under causal and
 * strict masks this equals row i of the batched result. */
void av_attn_row_incremental(float *w_row, float *z_row, float *scratch, const float *X,
			     const float *W_q, const float *W_k, const float *W_v,
			     av_mask_kind kind, int i, int D, int d_head);

#endif
