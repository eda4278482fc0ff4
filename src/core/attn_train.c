/* The fast attention layer at training time (attnviz/attn_layer.h): forward
 * and backward in blocks of AV_ATTN_TRAIN_BLOCK query rows and key columns.
 * Each row block computes only the key blocks some row of it may see (the
 * keys of row i form one range [lo, hi) for every mask kind, and both ends
 * only grow with i), so under a causal mask the blocks above the diagonal are
 * never computed, forward or backward: about half the flops of the dense
 * products. The elementwise work (mask, softmax, softmax backward) runs on
 * each block row right after the product that wrote it, while it is in L1.
 *
 * The weights A are stored (n, ld) in the cache rather than recomputed in the
 * backward (flash-style): reading 4 bytes per pair costs less than the 2 dh
 * flops and the exp of recomputing it. The backward walks the same row
 * blocks, their keys in chunks of AV_ATTN_TRAIN_CHUNK:
 *   dA = dO V^T, dS = A (dA - dO_i . O_i) / sqrt(dh)   (a chunk-sized buffer)
 *   dQ += dS K, dV += A^T dO, dK += dS^T Q             (the chunk's share)
 * (the softmax backward's row sum sum_j A_ij dA_ij is dO_i . O_i, so it
 * needs no pass over the row and each chunk stands alone), then
 * dW += X^T d(QKV) and dX += d(QKV) W^T over all n rows. The sums run in
 * a fixed order: the same numbers on every run.
 *
 * The products run on attnviz's register tiles (core/fast_gemm.c, and its
 * transposed-A variant for A^T dO, dS^T Q and X^T dQ) when the CPU has AVX2 +
 * FMA or AVX-512 and the product's column count is a multiple of 16, on
 * cblas_sgemm otherwise (scalar CPUs, head sizes like 8 or 24). Products
 * with a transposed right operand use transposed copies of K, V and W (n dh
 * or D dh floats, against the n^2 of the products). One thread: the result
 * does not depend on any thread count when the tiles run. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "attnviz/attn_layer.h"

#include <cblas.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "attnviz/fast.h"
#include "attn_train.h"
#include "fast_gemm.h"
#include "fast_math.h"

enum { BLOCK = AV_ATTN_TRAIN_BLOCK, CHUNK = AV_ATTN_TRAIN_CHUNK, DS_LD = AV_ATTN_TRAIN_DS_LD };

/* Keys row i may see: one range [lo, hi) for every mask kind. */
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

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* Key columns [c0, c1) the row block [r0, r1) computes: whole key blocks
 * from the first row's lo to the last row's hi, the last one ending at n
 * rounded up to 16 (the tiles' column multiple); c0 = c1 when every row of
 * the block is fully masked. */
static void block_cols(av_mask_kind kind, int r0, int r1, int n, int *c0, int *c1)
{
	int lo, hi, lo_last, hi_last;
	key_range(kind, r0, n, &lo, &hi);
	key_range(kind, r1 - 1, n, &lo_last, &hi_last);
	if (hi_last <= lo) {
		*c0 = *c1 = 0;
		return;
	}
	*c0 = lo / BLOCK * BLOCK;
	*c1 = min_int((hi_last + BLOCK - 1) / BLOCK * BLOCK, (n + 15) / 16 * 16);
}

/* The products of this call: tiles for this CPU, or NULL for cblas. */
typedef struct {
	av_gemm_fn *nn, *tn;
} products;

/* C (M, N) = op(A) . B, or += when acc; op(A) = A^T (A stored (K, M)) when
 * trans_a. Row-major with row strides ldc, lda, ldb. K = 0 gives C = 0. */
static void product(const products *p, bool trans_a, float *C, int ldc, const float *A, int lda,
		    const float *B, int ldb, int M, int N, int K, bool acc)
{
	if (M <= 0 || N <= 0)
		return;
	if (K <= 0) {
		for (int i = 0; i < M && !acc; i++)
			memset(C + (size_t)i * ldc, 0, sizeof *C * (size_t)N);
		return;
	}
	av_gemm_fn *tile = trans_a ? p->tn : p->nn;
	if (tile && N % AV_GEMM_NR == 0) {
		tile(C, ldc, A, lda, B, ldb, M, N, K, acc);
		return;
	}
	cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, CblasNoTrans, M, N, K, 1.0f,
		    A, lda, B, ldb, acc ? 1.0f : 0.0f, C, ldc);
}

/* dst (cols, ldd) = s src^T for src (rows, cols) of row stride lds; columns
 * rows .. width - 1 of dst = 0 (the padding the tiles read). */
static void transpose(float *dst, int ldd, const float *src, int lds, int rows, int cols,
		      float s, int width)
{
	for (int c = 0; c < cols; c++) {
		float *d = dst + (size_t)c * ldd;
		for (int r = 0; r < rows; r++)
			d[r] = src[(size_t)r * lds + c] * s;
		memset(d + rows, 0, sizeof *d * (size_t)(width - rows));
	}
}

#define LANES AV_LANES /* the reductions' running sums (core/fast_math.h) */

/* row (len >= 1) = softmax(row) in place. */
AV_CLONES
static void softmax_span(float *row, int len)
{
	float acc[LANES], m = av_row_max(row, len), sum = 0.0f;
	/* e^(s - max) and its sum in one pass */
	int j = 0;
	if (len >= LANES) {
		for (int k = 0; k < LANES; k++)
			acc[k] = 0.0f;
		for (; j + LANES <= len; j += LANES)
			for (int k = 0; k < LANES; k++) {
				row[j + k] = av_exp_neg_lane(row[j + k] - m);
				acc[k] += row[j + k];
			}
		for (int k = 0; k < LANES; k++)
			sum += acc[k];
	}
	for (; j < len; j++) {
		row[j] = av_exp_neg_lane(row[j] - m);
		sum += row[j];
	}
	float inv = 1.0f / sum;
	for (j = 0; j < len; j++)
		row[j] *= inv;
}

/* g (len) = a (g - dot) scale in place: the softmax's backward, where dot
 * = a . g is given (see the backward: dO_i . O_i). One pass. */
AV_CLONES
static void softmax_backward_span(float *g, const float *a, int len, float dot, float scale)
{
	for (int j = 0; j < len; j++)
		g[j] = a[j] * (g[j] - dot) * scale;
}

/* row (c1 - c0), columns c0 .. c1 - 1 of one row of a block: 0 outside the
 * row's key range [lo, hi). */
static void zero_outside(float *row, int c0, int c1, int lo, int hi)
{
	if (hi <= lo) {
		memset(row, 0, sizeof *row * (size_t)(c1 - c0));
		return;
	}
	memset(row, 0, sizeof *row * (size_t)(lo - c0));
	memset(row + (hi - c0), 0, sizeof *row * (size_t)(c1 - hi));
}

static products products_now(void)
{
	av_isa isa = av_fast_isa();
	products p = { av_gemm_tiles(isa), av_gemm_tn_tiles(isa) };
	return p;
}

void av_attn_layer_forward(float *Z, float *cache, const float *X, const float *W,
			   av_mask_kind mask, int n, int D, int heads)
{
	int dh = D / heads, ld = av_attn_layer_stride(n);
	float scale = 1.0f / sqrtf((float)dh);
	products p = products_now();
	for (int k = 0; k < heads; k++) {
		attn_head h = attn_head_view(cache, W, k, n, D, dh, ld);
		product(&p, false, h.Q, dh, X, D, h.Wq, dh, n, dh, D, false);
		product(&p, false, h.K, dh, X, D, h.Wk, dh, n, dh, D, false);
		product(&p, false, h.V, dh, X, D, h.Wv, dh, n, dh, D, false);
		/* The scale goes into K^T: the scores come out of the product scaled. */
		transpose(h.Kt, ld, h.K, dh, n, dh, scale, ld);
		float *Zk = Z + k * dh;
		for (int r0 = 0; r0 < n; r0 += BLOCK) {
			int r1 = min_int(r0 + BLOCK, n), c0, c1;
			block_cols(mask, r0, r1, n, &c0, &c1);
			float *S = h.A + (size_t)r0 * ld + c0; /* (r1 - r0, c1 - c0) */
			/* scores, softmax over each row's keys, then A V */
			product(&p, false, S, ld, h.Q + (size_t)r0 * dh, dh, h.Kt + c0, ld, r1 - r0,
				c1 - c0, dh, false);
			for (int i = r0; i < r1; i++) {
				int lo, hi;
				key_range(mask, i, n, &lo, &hi);
				float *row = h.A + (size_t)i * ld;
				zero_outside(row + c0, c0, c1, lo, hi);
				if (hi > lo)
					softmax_span(row + lo, hi - lo);
			}
			product(&p, false, h.O + (size_t)r0 * dh, dh, S, ld, h.V + (size_t)c0 * dh,
				dh, r1 - r0, dh, min_int(c1, n) - c0, false);
		}
		for (int i = 0; i < n; i++)
			memcpy(Zk + (size_t)i * D, h.O + (size_t)i * dh, sizeof(float) * (size_t)dh);
	}
}

void av_attn_layer_backward(float *dX, float *dW, float *scratch, const float *dZ,
			    const float *cache, const float *X, const float *W, av_mask_kind mask,
			    int n, int D, int heads)
{
	int dh = D / heads, ld = av_attn_layer_stride(n), d3 = 3 * dh;
	float scale = 1.0f / sqrtf((float)dh);
	products p = products_now();
	for (int k = 0; k < heads; k++) {
		attn_head h = attn_head_view(cache, W, k, n, D, dh, ld);
		attn_grads g = attn_grads_view(dW, scratch, dZ, k, n, D, dh, ld);
		float *dQ = g.dQKV, *dK = g.dQKV + dh, *dV = g.dQKV + 2 * dh;
		transpose(g.Vt, ld, h.V, dh, n, dh, 1.0f, ld);
		const float *W3[3] = { h.Wq, h.Wk, h.Wv };
		for (int m = 0; m < 3; m++)
			transpose(g.Wt + (size_t)m * dh * D, D, W3[m], dh, D, dh, 1.0f, D);

		/* Per row block and chunk of AV_ATTN_TRAIN_CHUNK keys: dA = dO V^T,
		 * dS through the softmax (in a chunk-sized buffer that stays in L2
		 * whatever n), dQ += dS K, and the chunk's share of dV += A^T dO
		 * and dK += dS^T Q. */
		memset(g.dQKV, 0, sizeof(float) * (size_t)n * d3);
		for (int r0 = 0; r0 < n; r0 += BLOCK) {
			int r1 = min_int(r0 + BLOCK, n), rows = r1 - r0, c0, c1;
			block_cols(mask, r0, r1, n, &c0, &c1);
			const float *dO = g.dO + (size_t)r0 * D;
			/* sum_j A_ij dA_ij = sum_j A_ij dO_i . V_j = dO_i . O_i: dh
			 * products per row instead of a pass over it, and the softmax
			 * backward becomes elementwise, so the keys can go in chunks */
			float dot[BLOCK];
			for (int i = r0; i < r1; i++) {
				const float *dOi = g.dO + (size_t)i * D, *Oi = h.O + (size_t)i * dh;
				dot[i - r0] = 0.0f;
				for (int c = 0; c < dh; c++)
					dot[i - r0] += dOi[c] * Oi[c];
			}
			for (int k0 = c0; k0 < c1; k0 += CHUNK) {
				int k1 = min_int(k0 + CHUNK, c1), keys = min_int(k1, n) - k0;
				const float *A = h.A + (size_t)r0 * ld + k0;
				float *dS = g.dS; /* (rows, k1 - k0), row stride DS_LD */
				product(&p, false, dS, DS_LD, dO, D, g.Vt + k0, ld, rows, k1 - k0, dh,
					false);
				for (int i = r0; i < r1; i++) {
					int lo, hi;
					key_range(mask, i, n, &lo, &hi);
					lo = lo > k0 ? lo : k0;
					hi = min_int(hi, k1);
					float *row = dS + (size_t)(i - r0) * DS_LD; /* at key k0 */
					zero_outside(row, k0, k1, lo, hi);
					if (hi > lo)
						softmax_backward_span(row + (lo - k0),
								      h.A + (size_t)i * ld + lo, hi - lo,
								      dot[i - r0], scale);
				}
				product(&p, false, dQ + (size_t)r0 * d3, d3, dS, DS_LD,
					h.K + (size_t)k0 * dh, dh, rows, dh, keys, k0 > c0);
				product(&p, true, dV + (size_t)k0 * d3, d3, A, ld, dO, D, keys, dh, rows,
					true);
				product(&p, true, dK + (size_t)k0 * d3, d3, dS, DS_LD,
					h.Q + (size_t)r0 * dh, dh, keys, dh, rows, true);
			}
		}
		/* dW += X^T d(QKV), dX += d(QKV) W^T */
		for (int m = 0; m < 3; m++)
			product(&p, true, g.dW3[m], dh, X, D, g.dQKV + m * dh, d3, D, dh, n, true);
		product(&p, false, dX, D, g.dQKV, d3, g.Wt, D, n, D, d3, true);
	}
}
