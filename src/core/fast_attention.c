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

#include "core/fast_gemm.h"
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

/* One strip row for query i: keys k0 .. k0 + keys - 1 are in s; the ones
 * the mask hides become exactly 0, the others e^(s - max). Returns 1 / sum,
 * or 0 for a fully masked row (all zeros). */
static float softmax_row(float *s, av_mask_kind kind, int i, int n, int k0, int keys)
{
	int lo, hi;
	key_range(kind, i, n, &lo, &hi);
	lo -= k0;
	hi -= k0;
	if (hi <= lo) {
		memset(s, 0, sizeof *s * (size_t)keys);
		return 0.0f;
	}
	memset(s, 0, sizeof *s * (size_t)lo);
	memset(s + hi, 0, sizeof *s * (size_t)(keys - hi));
	return 1.0f / exp_shift_sum(s + lo, hi - lo);
}

/* Z row *= s (d). */
static void scale_row(float *z, float s, int d)
{
	for (int c = 0; c < d; c++)
		z[c] *= s;
}

/* Round up to a multiple of m. */
static int round_up(int v, int m)
{
	return (v + m - 1) / m * m;
}

/* The strip loop on cblas: any d, any CPU. work: 64 n + 64 floats. */
static void strips_blas(float *Z, float *work, const float *Q, const float *K, const float *V,
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
		for (int r = 0; r < rows; r++)
			inv[r] = softmax_row(strip + (size_t)r * keys, kind, i0 + r, n, k_lo, keys);

		/* z (rows, d) = e^(strip - max) V[k_lo..k_hi), then / row sums */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, d, keys, 1.0f, strip,
			    keys, V + (size_t)k_lo * d, d, 0.0f, z, d);
		for (int r = 0; r < rows; r++)
			scale_row(z + (size_t)r * d, inv[r], d);
	}
}

/* ---- AVX-512 tile path (d a multiple of 16) ------------------------------ */

/* The tile path's layout for n queries: rows padded to n_pad (a multiple of
 * 16) with zero rows, so that every product has whole tiles. */
typedef struct {
	int n_pad;
	int ldk; /* row stride of KT and of the strip: n_pad + 16, so that rows
		    1024 floats apart do not fall in the same L1 sets */
	float *QKV;   /* (n_pad, 3 d): Q / sqrt(d) | K | V, zero rows from n */
	float *KT;    /* (d, ldk): K transposed */
	float *strip; /* (AV_FAST_BLOCK, ldk) */
	float *zt;    /* (AV_FAST_BLOCK, d) */
	float *inv;   /* (AV_FAST_BLOCK) */
	float *end;   /* first float after */
} tile_layout;

/* Floats of the tile layout for n queries of size d. */
static size_t tile_floats(int n, int d)
{
	size_t n_pad = (size_t)round_up(n, 16), ldk = n_pad + 16;
	return n_pad * 3 * (size_t)d + (size_t)d * ldk + AV_FAST_BLOCK * ldk +
	       AV_FAST_BLOCK * (size_t)d + AV_FAST_BLOCK;
}

static tile_layout tile_layout_at(float *work, int n, int d)
{
	tile_layout t;
	t.n_pad = round_up(n, 16);
	t.ldk = t.n_pad + 16;
	t.QKV = work;
	t.KT = t.QKV + (size_t)t.n_pad * 3 * d;
	t.strip = t.KT + (size_t)d * t.ldk;
	t.zt = t.strip + (size_t)AV_FAST_BLOCK * t.ldk;
	t.inv = t.zt + (size_t)AV_FAST_BLOCK * d;
	t.end = t.inv + AV_FAST_BLOCK; /* == work + tile_floats(n, d) */
	return t;
}

static bool tiles_usable(int d)
{
	return d % 16 == 0 && av_gemm16_available();
}

/* The strip loop on AVX-512 tiles; QKV filled (Q already scaled). */
static void strips_tiles(float *Z, const tile_layout *t, av_mask_kind kind, int n, int d)
{
	const int ld3 = 3 * d;
	/* KT (d, n_pad) = K^T, so that score tiles read keys along rows. */
	for (int j = 0; j < t->n_pad; j++) {
		const float *k = t->QKV + (size_t)j * ld3 + d;
		for (int c = 0; c < d; c++)
			t->KT[(size_t)c * t->ldk + j] = k[c];
	}

	for (int i0 = 0; i0 < n; i0 += AV_FAST_BLOCK) {
		int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
		int rows_al = round_up(rows, AV_GEMM_MR); /* <= n_pad - i0 */
		int k_lo, k_hi, unused;
		key_range(kind, i0, n, &k_lo, &unused);
		key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
		float *z = Z + (size_t)i0 * d;
		if (k_hi <= k_lo) {
			memset(z, 0, sizeof *z * (size_t)rows * d);
			continue;
		}
		int k0 = k_lo / 16 * 16, keys = round_up(k_hi, 16) - k0; /* whole tiles */

		/* strip (rows_al, keys) = (Q / sqrt d)[i0..] KT[:, k0..] */
		av_gemm16_nn(t->strip, t->ldk, t->QKV + (size_t)i0 * ld3, ld3, t->KT + k0, t->ldk,
			     rows_al, keys, d);
		for (int r = 0; r < rows; r++)
			t->inv[r] = softmax_row(t->strip + (size_t)r * t->ldk, kind, i0 + r, n, k0,
						keys);
		for (int r = rows; r < rows_al; r++) /* padding rows: weight 0 */
			memset(t->strip + (size_t)r * t->ldk, 0, sizeof(float) * (size_t)keys);

		/* zt (rows_al, d) = e^(strip - max) V[k0..] */
		av_gemm16_nn(t->zt, d, t->strip, t->ldk, t->QKV + (size_t)k0 * ld3 + 2 * d, ld3,
			     rows_al, d, keys);
		for (int r = 0; r < rows; r++) {
			memcpy(z + (size_t)r * d, t->zt + (size_t)r * d, sizeof *z * (size_t)d);
			scale_row(z + (size_t)r * d, t->inv[r], d);
		}
	}
}

/* ---- public entry points ------------------------------------------------- */

size_t av_fast_attn_workspace(int n, int d)
{
	if (n < 1 || d < 1)
		return 1;
	size_t blas = (size_t)AV_FAST_BLOCK * n + AV_FAST_BLOCK;
	size_t tiles = tile_floats(n, d);
	return blas > tiles ? blas : tiles;
}

void av_fast_attn(float *Z, float *work, const float *Q, const float *K, const float *V,
		  av_mask_kind kind, int n, int d)
{
	if (n < 1)
		return;
	if (!tiles_usable(d)) {
		strips_blas(Z, work, Q, K, V, kind, n, d);
		return;
	}
	tile_layout t = tile_layout_at(work, n, d);
	const float scale = 1.0f / sqrtf((float)d);
	for (int j = 0; j < t.n_pad; j++) {
		float *row = t.QKV + (size_t)j * 3 * d;
		if (j >= n) {
			memset(row, 0, sizeof *row * 3 * (size_t)d);
			continue;
		}
		for (int c = 0; c < d; c++)
			row[c] = Q[(size_t)j * d + c] * scale;
		memcpy(row + d, K + (size_t)j * d, sizeof *row * (size_t)d);
		memcpy(row + 2 * d, V + (size_t)j * d, sizeof *row * (size_t)d);
	}
	strips_tiles(Z, &t, kind, n, d);
}

size_t av_fast_attn_forward_workspace(int n, int D, int d_head)
{
	if (n < 1 || D < 1 || d_head < 1)
		return 1;
	size_t nd = (size_t)n * d_head;
	size_t blas = 3 * nd + av_fast_attn_workspace(n, d_head);
	/* tiles: the layout, then X padded (n_pad, D) and W_qkv (D, 3 d_head) */
	size_t tiles = tile_floats(n, d_head) + (size_t)round_up(n, 16) * D +
		       (size_t)D * 3 * d_head;
	return blas > tiles ? blas : tiles;
}

void av_fast_attn_forward(float *Z, float *work, const float *X, const float *W_q,
			  const float *W_k, const float *W_v, av_mask_kind kind, int n, int D,
			  int d_head)
{
	if (n < 1)
		return;
	const int d = d_head;
	if (!tiles_usable(d)) {
		size_t nd = (size_t)n * d;
		float *Q = work, *K = work + nd, *V = work + 2 * nd; /* (n, d) each */
		const float *W[3] = { W_q, W_k, W_v };
		float *out[3] = { Q, K, V };
		for (int p = 0; p < 3; p++)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, D, 1.0f, X, D,
				    W[p], d, 0.0f, out[p], d);
		strips_blas(Z, work + 3 * nd, Q, K, V, kind, n, d);
		return;
	}
	tile_layout t = tile_layout_at(work, n, d);
	float *Xp = t.end;                        /* (n_pad, D) X, zero rows from n */
	float *Wqkv = Xp + (size_t)t.n_pad * D;   /* (D, 3 d) W_q / sqrt(d) | W_k | W_v */
	const float scale = 1.0f / sqrtf((float)d);
	memcpy(Xp, X, sizeof *Xp * (size_t)n * D);
	memset(Xp + (size_t)n * D, 0, sizeof *Xp * (size_t)(t.n_pad - n) * D);
	for (int r = 0; r < D; r++) {
		float *w = Wqkv + (size_t)r * 3 * d;
		for (int c = 0; c < d; c++)
			w[c] = W_q[(size_t)r * d + c] * scale;
		memcpy(w + d, W_k + (size_t)r * d, sizeof *w * (size_t)d);
		memcpy(w + 2 * d, W_v + (size_t)r * d, sizeof *w * (size_t)d);
	}
	/* QKV (n_pad, 3 d) = Xp . Wqkv: the three projections in one product */
	av_gemm16_nn(t.QKV, 3 * d, Xp, D, Wqkv, 3 * d, t.n_pad, 3 * d, D);
	strips_tiles(Z, &t, kind, n, d);
}
