/* The attention layer at training time, forward and backward side by side,
 * for one sentence of n tokens and K heads (the perf helper benches these
 * as `attention-train`; no vocabulary head here, see attnviz/lm.h):
 *   Q_k = X W_q.k, K_k = X W_k.k, V_k = X W_v.k        (n, dh) each
 *   A_k = softmax_rows(mask(Q_k K_k^T / sqrt(dh)))    (n, n)
 *   Z[:, k*dh : (k+1)*dh] = A_k V_k                    Z (n, D), dh = D / K
 * The backward is matrix work over all n rows at once (cblas): its depth
 * does not grow with n (AV_ATTN_BACKWARD_DEPTH). Each kernel has a naive
 * twin with plain loops, the reference of the tests. */
#ifndef ATTNVIZ_ATTN_LAYER_H
#define ATTNVIZ_ATTN_LAYER_H

#include <stddef.h>
#include "attnviz/mask.h"

/* Dependent steps of the backward, whatever n: (1) dV = A^T dZ and
 * dA = dZ V^T, (2) softmax backward dS, (3) dQ = dS K, dK = dS^T Q,
 * (4) dX and dW from dQ, dK, dV. */
#define AV_ATTN_BACKWARD_DEPTH 4

/* Floats of the forward cache: per head Q, K, V (n, dh) and A (n, n). */
size_t av_attn_layer_cache_size(int n, int D, int heads);
/* Floats of the backward scratch: dQ, dK, dV (n, dh) and dA (n, n). */
size_t av_attn_layer_scratch_size(int n, int D, int heads);

/* Z (n, D); cache (av_attn_layer_cache_size) keeps Q, K, V, A for the
 * backward; X (n, D); W (heads, 3, D, dh): W_q, W_k, W_v of each head.
 * A fully masked row (strict mask, row 0) has A = 0 and Z = 0. */
void av_attn_layer_forward(float *Z, float *cache, const float *X, const float *W,
			   av_mask_kind mask, int n, int D, int heads);
void av_attn_layer_forward_naive(float *Z, float *cache, const float *X, const float *W,
				 av_mask_kind mask, int n, int D, int heads);

/* dX (n, D) += dL/dX; dW (heads, 3, D, dh) += dL/dW, given dZ (n, D) =
 * dL/dZ and the cache of the forward of the same X and W. scratch:
 * av_attn_layer_scratch_size floats. */
void av_attn_layer_backward(float *dX, float *dW, float *scratch, const float *dZ,
			    const float *cache, const float *X, const float *W, int n, int D,
			    int heads);
void av_attn_layer_backward_naive(float *dX, float *dW, float *scratch, const float *dZ,
				  const float *cache, const float *X, const float *W, int n, int D,
				  int heads);

#endif
