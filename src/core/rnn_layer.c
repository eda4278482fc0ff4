/* RNN layer forward and backward (training time). The forward writes W_e c_t
 * for every position with one sgemm, then runs the n dependent steps in
 * place; the backward runs the chain backwards (BPTT), then batches the
 * weight gradients. Naive twins are the reference. */
#include "attnviz/rnn_layer.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

void av_rnn_layer_forward(float *h, const float *X, const float *W_e, const float *W_h,
			  const float *b, int n, int D, int H)
{
	/* h (n, H) = X W_e^T: the part without dependency */
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, D, 1.0f, X, D, W_e, D, 0.0f, h,
		    H);
	for (int t = 0; t < n; t++) {
		float *ht = h + (size_t)t * H;
		if (t > 0)
			cblas_sgemv(CblasRowMajor, CblasNoTrans, H, H, 1.0f, W_h, H, ht - H, 1, 1.0f,
				    ht, 1);
		for (int i = 0; i < H; i++)
			ht[i] = tanhf(ht[i] + b[i]);
	}
}

void av_rnn_layer_forward_naive(float *h, const float *X, const float *W_e, const float *W_h,
				const float *b, int n, int D, int H)
{
	for (int t = 0; t < n; t++)
		for (int i = 0; i < H; i++) {
			float s = 0.0f;
			for (int k = 0; k < D; k++)
				s += W_e[i * D + k] * X[t * D + k];
			if (t > 0) {
				float r = 0.0f;
				for (int k = 0; k < H; k++)
					r += W_h[i * H + k] * h[(t - 1) * H + k];
				s += r;
			}
			h[t * H + i] = tanhf(s + b[i]);
		}
}

void av_rnn_layer_backward(float *dX, float *dW_e, float *dW_h, float *db, float *dpre,
			   const float *dh, const float *h, const float *X, const float *W_e,
			   const float *W_h, int n, int D, int H)
{
	/* The chain: dpre_t = (dh_t + W_h^T dpre_{t+1}) * (1 - h_t^2). */
	for (int t = n - 1; t >= 0; t--) {
		float *g = dpre + (size_t)t * H;
		memcpy(g, dh + (size_t)t * H, (size_t)H * sizeof *g);
		if (t < n - 1)
			cblas_sgemv(CblasRowMajor, CblasTrans, H, H, 1.0f, W_h, H, g + H, 1, 1.0f, g,
				    1);
		const float *ht = h + (size_t)t * H;
		for (int i = 0; i < H; i++)
			g[i] *= 1.0f - ht[i] * ht[i];
	}
	/* Batched after the chain. */
	for (int t = 0; t < n; t++)
		for (int i = 0; i < H; i++)
			db[i] += dpre[t * H + i];
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, D, n, 1.0f, dpre, H, X, D, 1.0f,
		    dW_e, D);
	if (n > 1)
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, H, n - 1, 1.0f, dpre + H, H,
			    h, H, 1.0f, dW_h, H);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, D, H, 1.0f, dpre, H, W_e, D,
		    1.0f, dX, D);
}

void av_rnn_layer_backward_naive(float *dX, float *dW_e, float *dW_h, float *db, float *dpre,
				 const float *dh, const float *h, const float *X,
				 const float *W_e, const float *W_h, int n, int D, int H)
{
	for (int t = n - 1; t >= 0; t--)
		for (int i = 0; i < H; i++) {
			float g = dh[t * H + i];
			if (t < n - 1)
				for (int k = 0; k < H; k++)
					g += W_h[k * H + i] * dpre[(t + 1) * H + k];
			dpre[t * H + i] = g * (1.0f - h[t * H + i] * h[t * H + i]);
		}
	for (int t = 0; t < n; t++)
		for (int i = 0; i < H; i++) {
			float g = dpre[t * H + i];
			db[i] += g;
			for (int k = 0; k < D; k++) {
				dW_e[i * D + k] += g * X[t * D + k];
				dX[t * D + k] += g * W_e[i * D + k];
			}
			if (t > 0)
				for (int k = 0; k < H; k++)
					dW_h[i * H + k] += g * h[(t - 1) * H + k];
		}
}

int av_rnn_backward_depth(int n)
{
	return n;
}
