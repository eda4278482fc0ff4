/* Fast attention for long sequences: the same numbers as the naive chain
 * scores -> mask -> softmax -> weights V, without ever holding the n x n
 * matrices. Queries go in strips of AV_FAST_BLOCK rows; a strip's scores
 * are one sgemm against the keys some row of the strip may see, so under a
 * causal mask the key blocks above the diagonal are never computed (about
 * half the flops of the dense product). Each score row is turned into
 * e^(s - max) in place with a vectorized exp; the strip times V is a second
 * sgemm, and each output row is divided by its row sum at the end (d
 * divisions per row instead of n). */
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#include "attnviz/fast.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "core/fast_math.h"

/* Keys row i may see form one range [lo, hi) for every mask kind. */
static void key_range(av_mask_kind kind, int i, int n, int *lo, int *hi)
{
	switch (kind) {
	case AV_MASK_CAUSAL: *lo = 0; *hi = i + 1; break;
	case AV_MASK_NONE: *lo = 0; *hi = n; break;
	case AV_MASK_STRICT: *lo = 0; *hi = i; break;
	case AV_MASK_FUTURE: *lo = i; *hi = n; break;
	default: *lo = 0; *hi = 0; break;
	}
}

/* Independent accumulators of the max and sum reductions: enough for the
 * vectorizer to keep several vectors in flight (no reassociation needed). */
#define LANES 32

AV_CLONES
void av_fast_expf(float *y, const float *x, int len)
{
	for (int j = 0; j < len; j++)
		y[j] = av_exp_lane(x[j]);
}

/* row (len >= 1) = e^(row - max(row)) in place; returns the sum. */
AV_CLONES
static float exp_shift_sum(float *row, int len)
{
	float acc[LANES];
	int j = 0;
	float m = row[0];
	if (len >= LANES) {
		for (int k = 0; k < LANES; k++)
			acc[k] = row[k];
		for (j = LANES; j + LANES <= len; j += LANES)
			for (int k = 0; k < LANES; k++)
				acc[k] = row[j + k] > acc[k] ? row[j + k] : acc[k];
		for (int k = 0; k < LANES; k++)
			m = acc[k] > m ? acc[k] : m;
	}
	for (; j < len; j++)
		m = row[j] > m ? row[j] : m;

	for (j = 0; j < len; j++)
		row[j] = av_exp_lane(row[j] - m);

	float sum = 0.0f;
	j = 0;
	if (len >= LANES) {
		for (int k = 0; k < LANES; k++)
			acc[k] = 0.0f;
		for (; j + LANES <= len; j += LANES)
			for (int k = 0; k < LANES; k++)
				acc[k] += row[j + k];
		for (int k = 0; k < LANES; k++)
			sum += acc[k];
	}
	for (; j < len; j++)
		sum += row[j];
	return sum;
}

/* Z row *= s (d). */
static void scale_row(float *z, float s, int d)
{
	for (int c = 0; c < d; c++)
		z[c] *= s;
}

size_t av_fast_attn_workspace(int n)
{
	return (size_t)AV_FAST_BLOCK * (size_t)(n > 0 ? n : 0) + AV_FAST_BLOCK;
}

void av_fast_attn(float *Z, float *work, const float *Q, const float *K, const float *V,
		  av_mask_kind kind, int n, int d)
{
	float *strip = work;                           /* (AV_FAST_BLOCK, keys) */
	float *inv = work + (size_t)AV_FAST_BLOCK * n; /* (AV_FAST_BLOCK) 1 / row sum */
	const float scale = 1.0f / sqrtf((float)d);

	for (int i0 = 0; i0 < n; i0 += AV_FAST_BLOCK) {
		int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
		/* Key ranges only grow with i: the strip needs [lo(i0), hi(last)). */
		int k_lo, k_hi, unused;
		key_range(kind, i0, n, &k_lo, &unused);
		key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
		float *z = Z + (size_t)i0 * d;
		if (k_hi <= k_lo) { /* every row of the strip fully masked */
			memset(z, 0, sizeof *z * (size_t)rows * d);
			continue;
		}
		int keys = k_hi - k_lo;

		/* strip (rows, keys) = Q[i0..] K[k_lo..k_hi)^T / sqrt(d) */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, keys, d, scale,
			    Q + (size_t)i0 * d, d, K + (size_t)k_lo * d, d, 0.0f, strip, keys);

		for (int r = 0; r < rows; r++) {
			float *s = strip + (size_t)r * keys;
			int lo, hi;
			key_range(kind, i0 + r, n, &lo, &hi);
			lo -= k_lo;
			hi -= k_lo;
			if (hi <= lo) { /* fully masked row -> zeros */
				memset(s, 0, sizeof *s * (size_t)keys);
				inv[r] = 0.0f;
				continue;
			}
			/* Masked keys get weight exactly 0, as e^-inf would. */
			memset(s, 0, sizeof *s * (size_t)lo);
			memset(s + hi, 0, sizeof *s * (size_t)(keys - hi));
			inv[r] = 1.0f / exp_shift_sum(s + lo, hi - lo);
		}

		/* z (rows, d) = e^(strip - max) V[k_lo..k_hi), then / row sums */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, d, keys, 1.0f, strip,
			    keys, V + (size_t)k_lo * d, d, 0.0f, z, d);
		for (int r = 0; r < rows; r++)
			scale_row(z + (size_t)r * d, inv[r], d);
	}
}

size_t av_fast_attn_forward_workspace(int n, int d_head)
{
	size_t nn = (size_t)(n > 0 ? n : 0);
	return 3 * nn * (size_t)d_head + av_fast_attn_workspace(n);
}

void av_fast_attn_forward(float *Z, float *work, const float *X, const float *W_q,
			  const float *W_k, const float *W_v, av_mask_kind kind, int n, int D,
			  int d_head)
{
	if (n <= 0)
		return;
	size_t nd = (size_t)n * d_head;
	float *Q = work, *K = work + nd, *V = work + 2 * nd; /* (n, d_head) each */
	const float *W[3] = { W_q, W_k, W_v };
	float *out[3] = { Q, K, V };
	for (int p = 0; p < 3; p++)
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d_head, D, 1.0f, X, D,
			    W[p], d_head, 0.0f, out[p], d_head);
	av_fast_attn(Z, work + 3 * nd, Q, K, V, kind, n, d_head);
}
