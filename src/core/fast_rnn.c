/* Fast RNN over a whole sequence: h_t = tanh(W_h h_{t-1} + W_e c_t + b).
 * The input projections have no dependency and are one sgemm for all t; the
 * recurrence is a chain of n dependent (H, H) matrix-vector products, too
 * small for a BLAS call to pay off (a cblas_sgemv call costs about as much as
 * the product at H = 64), so it is a hand-written loop over W_h^T that the
 * compiler vectorizes, followed by a vectorized tanh. */
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#include "attnviz/fast.h"

#include <cblas.h>

#include "core/fast_math.h"

AV_CLONES
void av_fast_tanhf(float *y, const float *x, int len)
{
	for (int j = 0; j < len; j++)
		y[j] = av_tanh_lane(x[j]);
}

size_t av_fast_rnn_workspace(int H)
{
	return (size_t)H * (size_t)H + (size_t)H;
}

/* h (n, H) holds W_e c_t in row t on entry and h_{t+1} on return.
 * WhT (H, H) is W_h transposed, so that W_h h = sum_j h[j] WhT[j][:] runs
 * along contiguous rows; acc (H) is scratch. */
AV_CLONES
static void rnn_recur(float *restrict h, const float *restrict WhT, const float *restrict b,
		      float *restrict acc, int n, int H)
{
	for (int t = 0; t < n; t++) {
		float *ht = h + (size_t)t * H;
		for (int i = 0; i < H; i++)
			acc[i] = ht[i] + b[i];
		if (t > 0) {
			const float *hp = ht - H; /* h_{t-1} */
			int j = 0;
			for (; j + 4 <= H; j += 4) {
				const float *w0 = WhT + (size_t)j * H, *w1 = w0 + H, *w2 = w1 + H,
					    *w3 = w2 + H;
				float a0 = hp[j], a1 = hp[j + 1], a2 = hp[j + 2], a3 = hp[j + 3];
				for (int i = 0; i < H; i++)
					acc[i] = acc[i] + a0 * w0[i] + a1 * w1[i] + a2 * w2[i] +
						 a3 * w3[i];
			}
			for (; j < H; j++) {
				const float *w = WhT + (size_t)j * H;
				float a = hp[j];
				for (int i = 0; i < H; i++)
					acc[i] += a * w[i];
			}
		}
		for (int i = 0; i < H; i++)
			ht[i] = av_tanh_lane(acc[i]);
	}
}

void av_fast_rnn_forward(float *h, float *work, const float *X, const float *W_e,
			 const float *W_h, const float *b, int n, int D, int H)
{
	if (n <= 0)
		return;
	float *WhT = work;                   /* (H, H) */
	float *acc = work + (size_t)H * H;   /* (H) */
	for (int i = 0; i < H; i++)
		for (int j = 0; j < H; j++)
			WhT[(size_t)j * H + i] = W_h[(size_t)i * H + j];
	/* h (n, H) = X (n, D) . W_e^T: row t is W_e c_t */
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, D, 1.0f, X, D, W_e, D, 0.0f, h,
		    H);
	rnn_recur(h, WhT, b, acc, n, H);
}
