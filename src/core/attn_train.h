/* Internal to the attention layer (core/attn_layer.c, the naive twins, and
 * core/attn_train.c, the fast kernels): where each head's arrays live in the
 * forward cache and the backward scratch, shared so that the fast and naive
 * kernels read each other's caches. ld = av_attn_layer_stride(n). */
#ifndef ATTNVIZ_CORE_ATTN_TRAIN_H
#define ATTNVIZ_CORE_ATTN_TRAIN_H

#include <stddef.h>
#include "attnviz/attn_layer.h"

/* Head k's part of the cache, its weights, and its gradients. */
typedef struct {
	float *Q, *K, *V; /* (n, dh) each */
	float *O;         /* (n, dh): the head's output A V (Z's columns of the head) */
	float *Kt;        /* (dh, ld): K^T / sqrt(dh), zero in columns n .. ld - 1 */
	float *A;         /* (n, ld): attention weights */
	const float *Wq, *Wk, *Wv; /* (D, dh) each */
} attn_head;

/* Floats of one head's cache. */
static inline size_t attn_head_cache(int n, int dh, int ld)
{
	return 4 * (size_t)n * (size_t)dh + ((size_t)dh + (size_t)n) * (size_t)ld;
}

static inline attn_head attn_head_view(const float *cache, const float *W, int k, int n, int D,
				       int dh, int ld)
{
	float *c = (float *)cache + (size_t)k * attn_head_cache(n, dh, ld);
	const float *w = W + (size_t)k * 3 * (size_t)D * (size_t)dh;
	size_t nd = (size_t)n * (size_t)dh, Dd = (size_t)D * (size_t)dh;
	attn_head h = { c, c + nd, c + 2 * nd, c + 3 * nd, c + 4 * nd, c + 4 * nd + (size_t)dh * ld,
			w, w + Dd, w + 2 * Dd };
	return h;
}

/* The backward of head k: the columns of dZ it reads (dO (n, dh), row
 * stride D), the gradients of its W (dWq, dWk, dWv (D, dh), laid out as W)
 * and the scratch it works in (reused by every head). */
typedef struct {
	const float *dO;
	float *dW3[3];
	float *dS;   /* (AV_ATTN_TRAIN_BLOCK, AV_ATTN_TRAIN_DS_LD): a chunk's dA, then dS */
	float *dQKV; /* (n, 3 dh): dQ, dK, dV side by side in each row */
	float *Vt;   /* (dh, ld): V^T, zero in columns n .. ld - 1 */
	float *Wt;   /* (3 dh, D): W_q^T, W_k^T, W_v^T stacked */
} attn_grads;

/* Floats of the dS chunk: AV_ATTN_TRAIN_BLOCK rows of AV_ATTN_TRAIN_DS_LD,
 * or n when more (the naive backward keeps n row sums there). */
static inline size_t attn_ds_size(int n)
{
	size_t chunk = (size_t)AV_ATTN_TRAIN_BLOCK * AV_ATTN_TRAIN_DS_LD;
	return (size_t)n > chunk ? (size_t)n : chunk;
}

static inline size_t attn_scratch(int n, int D, int dh, int ld)
{
	return attn_ds_size(n) + (size_t)dh * (size_t)ld + 3 * (size_t)n * (size_t)dh +
	       3 * (size_t)dh * (size_t)D;
}

static inline attn_grads attn_grads_view(float *dW, float *scratch, const float *dZ, int k,
					 int n, int D, int dh, int ld)
{
	size_t Dd = (size_t)D * (size_t)dh;
	float *dWq = dW + (size_t)k * 3 * Dd;
	float *dS = scratch, *dQKV = dS + attn_ds_size(n), *Vt = dQKV + 3 * (size_t)n * dh;
	attn_grads g = { dZ + k * dh, { dWq, dWq + Dd, dWq + 2 * Dd }, dS, dQKV, Vt,
			 Vt + (size_t)dh * ld };
	return g;
}

#endif
