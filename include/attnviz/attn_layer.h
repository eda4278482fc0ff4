/* The attention layer at training time, forward and backward side by side,
 * for one sentence of n tokens and K heads (attnviz bench times these as
 * `attention-train`; no vocabulary head here, see attnviz/lm.h):
 *   Q_k = X W_q.k, K_k = X W_k.k, V_k = X W_v.k        (n, dh) each
 *   A_k = softmax_rows(mask(Q_k K_k^T / sqrt(dh)))    (n, n)
 *   Z[:, k*dh : (k+1)*dh] = A_k V_k                    Z (n, D), dh = D / K
 * The fast kernels (core/attn_train.c) walk the rows in blocks of
 * AV_ATTN_TRAIN_BLOCK and compute only the key blocks some row of a block
 * may see, so under a causal mask the blocks above the diagonal cost
 * nothing, forward or backward. The backward is matrix work over all n rows
 * at once: its depth does not grow with n (AV_ATTN_BACKWARD_DEPTH). Each
 * kernel has a naive twin with plain loops, the reference of the tests. */
#ifndef ATTNVIZ_ATTN_LAYER_H
#define ATTNVIZ_ATTN_LAYER_H

#include <stddef.h>
#include "attnviz/mask.h"

/* Rows (queries) and columns (keys) of the blocks the fast kernels skip or
 * compute whole. */
#define AV_ATTN_TRAIN_BLOCK 64
/* Keys per chunk of a row block in the backward (a multiple of the block),
 * and the row stride of its buffer (an odd multiple of 16: see the stride
 * below): a row block's dS chunk is 68 KiB whatever n. */
#define AV_ATTN_TRAIN_CHUNK 256
#define AV_ATTN_TRAIN_DS_LD (AV_ATTN_TRAIN_CHUNK + 16)

/* Dependent steps of the backward, whatever n: (1) dV = A^T dZ and
 * dA = dZ V^T, (2) softmax backward dS, (3) dQ = dS K, dK = dS^T Q,
 * (4) dX and dW from dQ, dK, dV. */
#define AV_ATTN_BACKWARD_DEPTH 4

/* Row stride of the (n, n) matrices in the cache and scratch: n rounded
 * up to a multiple of 16 (the tile products' column multiple), then to an
 * odd multiple of 16 so that the rows do not all fall into the same L1
 * cache sets (a stride of 4 KiB would). */
int av_attn_layer_stride(int n);

/* Floats of the forward cache: per head Q, K, V and the head's output O
 * (n, dh), the forward's scaled K^T (dh, stride) and A (n, stride). Grows with n, so a cache sized
 * for the longest sentence serves every shorter one. */
size_t av_attn_layer_cache_size(int n, int D, int heads);
/* Floats of the backward scratch (one head at a time): a chunk of dS
 * (AV_ATTN_TRAIN_BLOCK, AV_ATTN_TRAIN_DS_LD) (at least n floats),
 * d(QKV) (n, 3 dh), V^T (dh, stride), W^T (3 dh, D). */
size_t av_attn_layer_scratch_size(int n, int D, int heads);

/* Head k's attention weights A (n, av_attn_layer_stride(n)) in a cache the
 * forward of n tokens wrote (defined inside each row's key range). */
const float *av_attn_layer_weights(const float *cache, int n, int D, int heads, int k);

/* Z (n, D); cache (av_attn_layer_cache_size) keeps Q, K, V, O, A for the
 * backward; X (n, D); W (heads, 3, D, dh): W_q, W_k, W_v of each head.
 * A fully masked row (strict mask, row 0) has A = 0 and Z = 0. Only the
 * entries of A inside row i's key range (av_mask_allows) are defined
 * afterwards: the fast forward never touches the blocks the mask hides.
 * One thread, whatever OpenBLAS is set to when every product runs on the
 * tiles (dh and D multiples of 16 on an AVX2 or AVX-512 CPU). */
void av_attn_layer_forward(float *Z, float *cache, const float *X, const float *W,
			   av_mask_kind mask, int n, int D, int heads);
void av_attn_layer_forward_naive(float *Z, float *cache, const float *X, const float *W,
				 av_mask_kind mask, int n, int D, int heads);

/* dX (n, D) += dL/dX; dW (heads, 3, D, dh) += dL/dW, given dZ (n, D) =
 * dL/dZ and the cache of the forward of the same X, W and mask (the forward
 * and the naive forward write the same cache). scratch:
 * av_attn_layer_scratch_size floats. */
void av_attn_layer_backward(float *dX, float *dW, float *scratch, const float *dZ,
			    const float *cache, const float *X, const float *W, av_mask_kind mask,
			    int n, int D, int heads);
void av_attn_layer_backward_naive(float *dX, float *dW, float *scratch, const float *dZ,
				  const float *cache, const float *X, const float *W,
				  av_mask_kind mask, int n, int D, int heads);

#endif
