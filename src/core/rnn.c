/* The RNN recurrence. av_rnn_input_proj has no dependency between positions
 * (one sgemm for all of them); av_rnn_step is the part that cannot be
 * parallelised: it needs h_{t-1}. */
#include "attnviz/rnn.h"

#include <cblas.h>
#include <math.h>

void av_rnn_input_proj(float *xe, const float *X, const float *W_e, int n, int D, int H)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, D, 1.0f, X, D, W_e, D, 0.0f,
		    xe, H);
}

void av_rnn_input_proj_naive(float *xe, const float *X, const float *W_e, int n, int D, int H)
{
	for (int t = 0; t < n; t++)
		for (int i = 0; i < H; i++) {
			float s = 0.0f;
			for (int k = 0; k < D; k++)
				s += W_e[i * D + k] * X[t * D + k];
			xe[t * H + i] = s;
		}
}

/* pre = wh + xe_t + b; h = tanh(pre). Shared by both paths. */
static void rnn_finish(float *h, const float *wh, float *pre, const float *xe_t, const float *b,
		       int H)
{
	for (int i = 0; i < H; i++) {
		pre[i] = wh[i] + xe_t[i] + b[i];
		h[i] = tanhf(pre[i]);
	}
}

void av_rnn_step(float *h, float *wh, float *pre, const float *h_prev, const float *xe_t,
		 const float *W_h, const float *b, int H)
{
	if (h_prev)
		cblas_sgemv(CblasRowMajor, CblasNoTrans, H, H, 1.0f, W_h, H, h_prev, 1, 0.0f, wh, 1);
	else
		for (int i = 0; i < H; i++)
			wh[i] = 0.0f;
	rnn_finish(h, wh, pre, xe_t, b, H);
}

void av_rnn_step_naive(float *h, float *wh, float *pre, const float *h_prev, const float *xe_t,
		       const float *W_h, const float *b, int H)
{
	for (int i = 0; i < H; i++) {
		float s = 0.0f;
		if (h_prev)
			for (int k = 0; k < H; k++)
				s += W_h[i * H + k] * h_prev[k];
		wh[i] = s;
	}
	rnn_finish(h, wh, pre, xe_t, b, H);
}
