/* Attention layer forward and backward (training time): cblas over all rows
 * of a sentence at once, with naive twins. Cache layout per head k:
 * Q, K, V (n, dh) then A (n, n), heads one after the other. */
#include "attnviz/attn_layer.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#include "attnviz/attention.h"

static size_t head_cache(int n, int dh)
{
	return 3 * (size_t)n * (size_t)dh + (size_t)n * (size_t)n;
}

size_t av_attn_layer_cache_size(int n, int D, int heads)
{
	return (size_t)heads * head_cache(n, D / heads);
}

size_t av_attn_layer_scratch_size(int n, int D, int heads)
{
	int dh = D / heads;
	return 3 * (size_t)n * (size_t)dh + (size_t)n * (size_t)n;
}

/* Pointers of head k into cache and W. */
typedef struct {
	float *Q, *K, *V, *A;
	const float *Wq, *Wk, *Wv;
} head_view;

static head_view view(const float *cache, const float *W, int k, int n, int D, int dh)
{
	float *c = (float *)cache + (size_t)k * head_cache(n, dh);
	const float *w = W + (size_t)k * 3 * (size_t)D * (size_t)dh;
	size_t nd = (size_t)n * (size_t)dh, Dd = (size_t)D * (size_t)dh;
	head_view v = { c, c + nd, c + 2 * nd, c + 3 * nd, w, w + Dd, w + 2 * Dd };
	return v;
}

/* A (n, n): scores masked with -inf, then row softmax in place. */
static void mask_softmax(float *A, av_mask_kind mask, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (!av_mask_allows(mask, i, j))
				A[i * n + j] = -INFINITY;
	av_softmax_rows(A, A, n, n);
}

void av_attn_layer_forward(float *Z, float *cache, const float *X, const float *W,
			   av_mask_kind mask, int n, int D, int heads)
{
	int dh = D / heads;
	for (int k = 0; k < heads; k++) {
		head_view h = view(cache, W, k, n, D, dh);
		av_attn_project(h.Q, X, h.Wq, n, D, dh);
		av_attn_project(h.K, X, h.Wk, n, D, dh);
		av_attn_project(h.V, X, h.Wv, n, D, dh);
		av_attn_scores(h.A, h.Q, h.K, n, dh);
		mask_softmax(h.A, mask, n);
		/* Z columns k*dh.. (row stride D) = A V */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, dh, n, 1.0f, h.A, n, h.V,
			    dh, 0.0f, Z + k * dh, D);
	}
}

void av_attn_layer_forward_naive(float *Z, float *cache, const float *X, const float *W,
				 av_mask_kind mask, int n, int D, int heads)
{
	int dh = D / heads;
	for (int k = 0; k < heads; k++) {
		head_view h = view(cache, W, k, n, D, dh);
		av_attn_project_naive(h.Q, X, h.Wq, n, D, dh);
		av_attn_project_naive(h.K, X, h.Wk, n, D, dh);
		av_attn_project_naive(h.V, X, h.Wv, n, D, dh);
		av_attn_scores_naive(h.A, h.Q, h.K, n, dh);
		mask_softmax(h.A, mask, n);
		for (int i = 0; i < n; i++)
			for (int c = 0; c < dh; c++) {
				float s = 0.0f;
				for (int j = 0; j < n; j++)
					s += h.A[i * n + j] * h.V[j * dh + c];
				Z[i * D + k * dh + c] = s;
			}
	}
}

/* dS (n, n) in place of dA: dS_ij = A_ij (dA_ij - sum_l A_il dA_il) * scale.
 * Masked entries have A = 0, so their gradient is exactly 0. */
static void softmax_backward(float *dA, const float *A, int n, float scale)
{
	for (int i = 0; i < n; i++) {
		float dot = 0.0f;
		for (int j = 0; j < n; j++)
			dot += A[i * n + j] * dA[i * n + j];
		for (int j = 0; j < n; j++)
			dA[i * n + j] = A[i * n + j] * (dA[i * n + j] - dot) * scale;
	}
}

void av_attn_layer_backward(float *dX, float *dW, float *scratch, const float *dZ,
			    const float *cache, const float *X, const float *W, int n, int D,
			    int heads)
{
	int dh = D / heads;
	size_t nd = (size_t)n * (size_t)dh;
	float *dQ = scratch, *dK = scratch + nd, *dV = scratch + 2 * nd, *dA = scratch + 3 * nd;
	float scale = 1.0f / sqrtf((float)dh);
	for (int k = 0; k < heads; k++) {
		head_view h = view(cache, W, k, n, D, dh);
		const float *dO = dZ + k * dh; /* (n, dh), row stride D */
		float *dWq = dW + (size_t)k * 3 * (size_t)D * (size_t)dh;
		float *dWk = dWq + (size_t)D * (size_t)dh, *dWv = dWk + (size_t)D * (size_t)dh;
		/* (1) dV = A^T dO, dA = dO V^T */
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, dh, n, 1.0f, h.A, n, dO, D,
			    0.0f, dV, dh);
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, dh, 1.0f, dO, D, h.V, dh,
			    0.0f, dA, n);
		/* (2) through the softmax and the 1/sqrt(dh) */
		softmax_backward(dA, h.A, n, scale);
		/* (3) dQ = dS K, dK = dS^T Q */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, dh, n, 1.0f, dA, n, h.K,
			    dh, 0.0f, dQ, dh);
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, dh, n, 1.0f, dA, n, h.Q, dh,
			    0.0f, dK, dh);
		/* (4) dW += X^T d(QKV); dX += d(QKV) W^T */
		const float *d3[3] = { dQ, dK, dV };
		float *dW3[3] = { dWq, dWk, dWv };
		const float *W3[3] = { h.Wq, h.Wk, h.Wv };
		for (int m = 0; m < 3; m++) {
			cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, dh, n, 1.0f, X, D,
				    d3[m], dh, 1.0f, dW3[m], dh);
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, D, dh, 1.0f, d3[m],
				    dh, W3[m], dh, 1.0f, dX, D);
		}
	}
}

void av_attn_layer_backward_naive(float *dX, float *dW, float *scratch, const float *dZ,
				  const float *cache, const float *X, const float *W, int n, int D,
				  int heads)
{
	int dh = D / heads;
	size_t nd = (size_t)n * (size_t)dh;
	float *dQ = scratch, *dK = scratch + nd, *dV = scratch + 2 * nd, *dA = scratch + 3 * nd;
	float scale = 1.0f / sqrtf((float)dh);
	for (int k = 0; k < heads; k++) {
		head_view h = view(cache, W, k, n, D, dh);
		const float *dO = dZ + k * dh;
		float *dWq = dW + (size_t)k * 3 * (size_t)D * (size_t)dh;
		float *dWk = dWq + (size_t)D * (size_t)dh, *dWv = dWk + (size_t)D * (size_t)dh;
		for (int j = 0; j < n; j++)
			for (int c = 0; c < dh; c++) {
				float s = 0.0f;
				for (int i = 0; i < n; i++)
					s += h.A[i * n + j] * dO[i * D + c];
				dV[j * dh + c] = s;
			}
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				float s = 0.0f;
				for (int c = 0; c < dh; c++)
					s += dO[i * D + c] * h.V[j * dh + c];
				dA[i * n + j] = s;
			}
		softmax_backward(dA, h.A, n, scale);
		for (int i = 0; i < n; i++)
			for (int c = 0; c < dh; c++) {
				float q = 0.0f, kk = 0.0f;
				for (int j = 0; j < n; j++) {
					q += dA[i * n + j] * h.K[j * dh + c];
					kk += dA[j * n + i] * h.Q[j * dh + c];
				}
				dQ[i * dh + c] = q;
				dK[i * dh + c] = kk;
			}
		const float *d3[3] = { dQ, dK, dV };
		float *dW3[3] = { dWq, dWk, dWv };
		const float *W3[3] = { h.Wq, h.Wk, h.Wv };
		for (int m = 0; m < 3; m++) {
			for (int r = 0; r < D; r++)
				for (int c = 0; c < dh; c++) {
					float s = 0.0f;
					for (int i = 0; i < n; i++)
						s += X[i * D + r] * d3[m][i * dh + c];
					dW3[m][r * dh + c] += s;
				}
			for (int i = 0; i < n; i++)
				for (int r = 0; r < D; r++) {
					float s = 0.0f;
					for (int c = 0; c < dh; c++)
						s += d3[m][i * dh + c] * W3[m][r * dh + c];
					dX[i * D + r] += s;
				}
		}
	}
}
