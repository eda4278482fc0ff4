/* Attention layer forward and backward (training time): the sizes and the
 * naive twins of the fast kernels of core/attn_train.c, plain loops over
 * the same cache (core/attn_train.h). */
#include "attnviz/attn_layer.h"

#include <math.h>
#include <string.h>
#include "attnviz/attention.h"
#include "attn_train.h"

int av_attn_layer_stride(int n)
{
	int ld = (n + 15) / 16 * 16;
	return (ld / 16) % 2 ? ld : ld + 16;
}

size_t av_attn_layer_cache_size(int n, int D, int heads)
{
	return (size_t)heads * attn_head_cache(n, D / heads, av_attn_layer_stride(n));
}

size_t av_attn_layer_scratch_size(int n, int D, int heads)
{
	return attn_scratch(n, D, D / heads, av_attn_layer_stride(n));
}

const float *av_attn_layer_weights(const float *cache, int n, int D, int heads, int k)
{
	int dh = D / heads, ld = av_attn_layer_stride(n);
	return cache + (size_t)k * attn_head_cache(n, dh, ld) + 4 * (size_t)n * dh +
	       (size_t)dh * ld; /* as attn_head_view lays it out */
}

void av_attn_layer_forward_naive(float *Z, float *cache, const float *X, const float *W,
				 av_mask_kind mask, int n, int D, int heads)
{
	int dh = D / heads, ld = av_attn_layer_stride(n);
	float scale = 1.0f / sqrtf((float)dh);
	for (int k = 0; k < heads; k++) {
		attn_head h = attn_head_view(cache, W, k, n, D, dh, ld);
		av_attn_project_naive(h.Q, X, h.Wq, n, D, dh);
		av_attn_project_naive(h.K, X, h.Wk, n, D, dh);
		av_attn_project_naive(h.V, X, h.Wv, n, D, dh);
		for (int i = 0; i < n; i++) {
			float *a = h.A + (size_t)i * ld;
			for (int j = 0; j < n; j++) {
				float s = 0.0f;
				for (int c = 0; c < dh; c++)
					s += h.Q[i * dh + c] * h.K[j * dh + c];
				a[j] = av_mask_allows(mask, i, j) ? s * scale : -INFINITY;
			}
			av_softmax_rows(a, a, 1, n); /* a fully masked row gives zeros */
		}
		for (int i = 0; i < n; i++)
			for (int c = 0; c < dh; c++) {
				float s = 0.0f;
				for (int j = 0; j < n; j++)
					s += h.A[(size_t)i * ld + j] * h.V[j * dh + c];
				Z[i * D + k * dh + c] = h.O[i * dh + c] = s;
			}
	}
}

/* A_ij where the mask lets i see j, else 0 (the cache holds nothing there). */
static float weight(const attn_head *h, av_mask_kind mask, int ld, int i, int j)
{
	return av_mask_allows(mask, i, j) ? h->A[(size_t)i * ld + j] : 0.0f;
}

/* dL/dA_ij = dO_i . V_j */
static float dA(const attn_head *h, const float *dO, int D, int dh, int i, int j)
{
	float s = 0.0f;
	for (int c = 0; c < dh; c++)
		s += dO[i * D + c] * h->V[j * dh + c];
	return s;
}

void av_attn_layer_backward_naive(float *dX, float *dW, float *scratch, const float *dZ,
				  const float *cache, const float *X, const float *W,
				  av_mask_kind mask, int n, int D, int heads)
{
	int dh = D / heads, ld = av_attn_layer_stride(n), d3 = 3 * dh;
	float scale = 1.0f / sqrtf((float)dh);
	for (int k = 0; k < heads; k++) {
		attn_head h = attn_head_view(cache, W, k, n, D, dh, ld);
		attn_grads g = attn_grads_view(dW, scratch, dZ, k, n, D, dh, ld);
		const float *dO = g.dO;
		float *dQ = g.dQKV, *dK = g.dQKV + dh, *dV = g.dQKV + 2 * dh;
		/* dV = A^T dO */
		for (int j = 0; j < n; j++)
			for (int c = 0; c < dh; c++) {
				float s = 0.0f;
				for (int i = 0; i < n; i++)
					s += weight(&h, mask, ld, i, j) * dO[i * D + c];
				dV[j * d3 + c] = s;
			}
		/* dA_ij = dO_i . V_j; dS_ij = A_ij (dA_ij - sum_l A_il dA_il) /
		 * sqrt(dh), 0 where masked; dQ = dS K, dK = dS^T Q, one dS_ij at a
		 * time (dot: n floats of the scratch) */
		float *dot = g.dS;
		for (int i = 0; i < n; i++) {
			dot[i] = 0.0f;
			for (int j = 0; j < n; j++)
				dot[i] += weight(&h, mask, ld, i, j) * dA(&h, dO, D, dh, i, j);
		}
		for (int i = 0; i < n; i++)
			for (int c = 0; c < dh; c++)
				dQ[i * d3 + c] = dK[i * d3 + c] = 0.0f;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				float ds = weight(&h, mask, ld, i, j) *
					   (dA(&h, dO, D, dh, i, j) - dot[i]) * scale;
				for (int c = 0; c < dh; c++) {
					dQ[i * d3 + c] += ds * h.K[j * dh + c];
					dK[j * d3 + c] += ds * h.Q[i * dh + c];
				}
			}
		/* dW += X^T d(QKV); dX += d(QKV) W^T */
		const float *dm[3] = { dQ, dK, dV };
		const float *W3[3] = { h.Wq, h.Wk, h.Wv };
		for (int m = 0; m < 3; m++) {
			for (int r = 0; r < D; r++)
				for (int c = 0; c < dh; c++) {
					float s = 0.0f;
					for (int i = 0; i < n; i++)
						s += X[i * D + r] * dm[m][i * d3 + c];
					g.dW3[m][r * dh + c] += s;
				}
			for (int i = 0; i < n; i++)
				for (int r = 0; r < D; r++) {
					float s = 0.0f;
					for (int c = 0; c < dh; c++)
						s += dm[m][i * d3 + c] * W3[m][r * dh + c];
					dX[i * D + r] += s;
				}
		}
	}
}
