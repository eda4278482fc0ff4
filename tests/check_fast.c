/* The fast kernels of fast.h against the naive reference chain of
 * attention.h and rnn.h: the same numbers within 1e-5 relative, for many
 * shapes (n not a multiple of the strip, n = 1, d = 1, every mask kind),
 * fully masked rows, +-1000 logits; and the vectorized exp and tanh against
 * libm in double precision; every instruction-set path the CPU runs (AVX-512,
 * AVX2 + FMA, scalar/cblas); the worker pool (threads 1..4, n around each
 * threshold, repeated calls, release and restart); 64-byte alignment. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getcpu, sched_setaffinity: the pool's placement test */
#endif
#include <check.h>
#include <float.h>
#include <stdatomic.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attention.h"
#include "attnviz/fast.h"
#include "attnviz/mask.h"
#include "attnviz/pool.h"
#include "attnviz/rng.h"
#include "attnviz/rnn.h"
#include "core/fast_gemm.h" /* the tile kernels themselves, beside their naive twins */

#define TOL 1e-5f

static float *alloc_floats(size_t count)
{
	float *p = malloc(sizeof(float) * (count ? count : 1));
	ck_assert_ptr_nonnull(p);
	return p;
}

static void fill_random(float *x, size_t count, uint64_t seed, float scale)
{
	av_rng r = av_rng_stream(seed, "check_fast");
	for (size_t i = 0; i < count; i++)
		x[i] = av_rng_symmetric(&r, scale);
}

/* Relative to the reference's own size: |a - b| <= tol * max(|b|, max|ref|)
 * (the normwise error of a matrix product), and never NaN or inf. */
static void assert_close(const float *got, const float *want, size_t count, float tol,
			 const char *what, int n, int d)
{
	float scale = 0.0f;
	for (size_t i = 0; i < count; i++)
		scale = fmaxf(scale, fabsf(want[i]));
	for (size_t i = 0; i < count; i++) {
		ck_assert_msg(isfinite(got[i]), "%s n=%d d=%d: element %zu is %g", what, n, d, i,
			      (double)got[i]);
		float lim = tol * fmaxf(fabsf(want[i]), scale);
		ck_assert_msg(fabsf(got[i] - want[i]) <= lim,
			      "%s n=%d d=%d: element %zu: fast %.9g vs naive %.9g", what, n, d, i,
			      (double)got[i], (double)want[i]);
	}
}

/* Z (n, d) by the naive chain: scores, mask, softmax, weights V. */
static void naive_attention(float *Z, const float *Q, const float *K, const float *V,
			    av_mask_kind kind, int n, int d)
{
	size_t nn = (size_t)n * n;
	float *S = alloc_floats(nn), *M = alloc_floats(nn), *Mk = alloc_floats(nn);
	float *W = alloc_floats(nn);
	av_attn_scores_naive(S, Q, K, n, d);
	av_mask_build(M, kind, n);
	av_attn_apply_mask(Mk, S, M, n);
	av_softmax_rows(W, Mk, n, n);
	av_attn_output_naive(Z, W, V, n, d);
	free(S);
	free(M);
	free(Mk);
	free(W);
}

/* Q, K, V (n, d) of a hand-made case, and what av_fast_attn and the naive
 * chain write for them. */
typedef struct {
	int n, d;
	float *Q, *K, *V, *Z, *Zn, *work;
} attn_case;

static attn_case attn_case_new(int n, int d, int threads)
{
	size_t nd = (size_t)n * d;
	attn_case c = { n, d, alloc_floats(nd), alloc_floats(nd), alloc_floats(nd),
			alloc_floats(nd), alloc_floats(nd),
			alloc_floats(av_fast_attn_workspace(n, d, threads)) };
	return c;
}

/* av_fast_attn against the naive chain on c's Q, K, V: every mask, on 1 to
 * threads threads. */
static void attn_case_check(attn_case *c, int threads)
{
	size_t nd = (size_t)c->n * c->d;
	for (int k = 0; k < AV_MASK_COUNT; k++)
		for (int t = 1; t <= threads; t++) {
			av_fast_attn(c->Z, c->work, c->Q, c->K, c->V, (av_mask_kind)k, c->n, c->d, t);
			naive_attention(c->Zn, c->Q, c->K, c->V, (av_mask_kind)k, c->n, c->d);
			assert_close(c->Z, c->Zn, nd, TOL, av_mask_name((av_mask_kind)k), c->n, c->d);
		}
}

static void attn_case_free(attn_case *c)
{
	free(c->Q);
	free(c->K);
	free(c->V);
	free(c->Z);
	free(c->Zn);
	free(c->work);
}

/* Fast forward (projections + strips) against the naive chain. */
static void check_forward(int n, int D, int d, av_mask_kind kind, uint64_t seed, int threads)
{
	float *X = alloc_floats((size_t)n * D), *Wq = alloc_floats((size_t)D * d);
	float *Wk = alloc_floats((size_t)D * d), *Wv = alloc_floats((size_t)D * d);
	float *Q = alloc_floats((size_t)n * d), *K = alloc_floats((size_t)n * d);
	float *V = alloc_floats((size_t)n * d);
	float *Zf = alloc_floats((size_t)n * d), *Zn = alloc_floats((size_t)n * d);
	float *work = alloc_floats(av_fast_attn_forward_workspace(n, D, d, threads));
	fill_random(X, (size_t)n * D, seed, 1.0f);
	float g = sqrtf(6.0f / (float)(D + d)); /* Glorot, as the model's weights */
	fill_random(Wq, (size_t)D * d, seed + 1, g);
	fill_random(Wk, (size_t)D * d, seed + 2, g);
	fill_random(Wv, (size_t)D * d, seed + 3, g);

	av_attn_project_naive(Q, X, Wq, n, D, d);
	av_attn_project_naive(K, X, Wk, n, D, d);
	av_attn_project_naive(V, X, Wv, n, D, d);
	naive_attention(Zn, Q, K, V, kind, n, d);
	av_fast_attn_forward(Zf, work, X, Wq, Wk, Wv, kind, n, D, d, threads);
	assert_close(Zf, Zn, (size_t)n * d, TOL, av_mask_name(kind), n, d);

	free(X);
	free(Wq);
	free(Wk);
	free(Wv);
	free(Q);
	free(K);
	free(V);
	free(Zf);
	free(Zn);
	free(work);
}

START_TEST(attention_many_shapes)
{
	const int ns[] = { 1, 2, 3, 7, AV_FAST_BLOCK - 1, AV_FAST_BLOCK, AV_FAST_BLOCK + 1,
			   100, 2 * AV_FAST_BLOCK + 3, 300 };
	const int dims[][2] = { { 1, 1 }, { 4, 1 }, { 3, 3 }, { 8, 4 }, { 16, 16 },
				{ 12, 24 }, { 64, 64 }, { 128, 128 } };
	uint64_t seed = 1;
	for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
		for (size_t b = 0; b < sizeof dims / sizeof dims[0]; b++)
			check_forward(ns[a], dims[b][0], dims[b][1], AV_MASK_CAUSAL, seed++, 1);
}
END_TEST

START_TEST(attention_every_mask)
{
	const int ns[] = { 1, 2, 5, AV_FAST_BLOCK + 1, 150 };
	for (int k = 0; k < AV_MASK_COUNT; k++)
		for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
			{
				check_forward(ns[a], 8, 8, (av_mask_kind)k, 1000 + (uint64_t)(10 * k) + a, 1);
				check_forward(ns[a], 16, 32, (av_mask_kind)k, 2000 + (uint64_t)(10 * k) + a,
					      1);
			}
}
END_TEST

/* Larger n where strips see thousands of keys (several sgemm blocks). */
START_TEST(attention_long)
{
	check_forward(600, 64, 64, AV_MASK_CAUSAL, 77, 1);
	check_forward(400, 32, 16, AV_MASK_NONE, 78, 1);
	check_forward(400, 32, 16, AV_MASK_FUTURE, 79, 1);
	check_forward(500, 64, 64, AV_MASK_STRICT, 80, 1);
}
END_TEST

/* Threads change who computes a strip, never the numbers. */
START_TEST(attention_threads)
{
	const int ns[] = { 255, AV_FAST_THREADS_MIN_N + 1 };
	for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
		for (int threads = 2; threads <= 3; threads++) {
			check_forward(ns[a], 64, 64, AV_MASK_CAUSAL, 3000 + a, threads);
			check_forward(ns[a], 24, 16, AV_MASK_STRICT, 3100 + a, threads);
			check_forward(ns[a], 8, 8, AV_MASK_CAUSAL, 3200 + a, threads); /* cblas */
		}
}
END_TEST

/* Strict mask: row 0 sees no key, so Z row 0 is exactly zero; nothing is NaN. */
START_TEST(fully_masked_rows_are_zero)
{
	const int ns[] = { 1, 2, 3, AV_FAST_BLOCK + 5 };
	for (size_t a = 0; a < 2 * sizeof ns / sizeof ns[0]; a++) {
		int n = ns[a % 4], d = a < 4 ? 4 : 16; /* cblas and AVX-512 tile paths */
		attn_case c = attn_case_new(n, d, 1);
		fill_random(c.Q, (size_t)n * d, 5, 2.0f);
		fill_random(c.K, (size_t)n * d, 6, 2.0f);
		fill_random(c.V, (size_t)n * d, 7, 2.0f);
		for (size_t i = 0; i < (size_t)n * d; i++)
			c.Z[i] = NAN; /* must be overwritten */
		av_fast_attn(c.Z, c.work, c.Q, c.K, c.V, AV_MASK_STRICT, n, d, 1);
		for (int k = 0; k < d; k++)
			ck_assert_msg(c.Z[k] == 0.0f, "n=%d: Z[0][%d] = %g", n, k, (double)c.Z[k]);
		naive_attention(c.Zn, c.Q, c.K, c.V, AV_MASK_STRICT, n, d);
		assert_close(c.Z, c.Zn, (size_t)n * d, TOL, "strict", n, d);
		attn_case_free(&c);
	}
}
END_TEST

/* Scores of +-1000 (and near-ties far from 0): integer Q, K so that every
 * score is exact in both paths; the softmax must stay finite and equal.
 * d = 4 and 16 (1/sqrt(d) exact) take the cblas and the tile paths. */
START_TEST(large_logits)
{
	const int n = 131, d = _i ? 16 : 4;
	attn_case c = attn_case_new(n, d, 1);
	av_rng r = av_rng_stream(9, "large_logits");
	for (int i = 0; i < n * d; i++) {
		/* k in {-1, 0, 1}, q in {-q_max, ..., q_max}: |score| <= 1000 */
		int q_max = d == 4 ? 500 : 250;
		c.K[i] = (float)((int)(av_rng_uniform(&r) * 3.0f) - 1);
		c.Q[i] = (float)((int)(av_rng_uniform(&r) * (float)(2 * q_max + 1)) - q_max);
	}
	fill_random(c.V, (size_t)n * d, 10, 1.0f);
	attn_case_check(&c, 1);
	attn_case_free(&c);
}
END_TEST

/* Scores that jump far above every earlier key block's (by 400 per block of
 * 256 keys, more than EXP_HEADROOM): the one-pass softmax of later blocks must notice and redo the
 * row against the new max. */
START_TEST(scores_jump_between_key_blocks)
{
	const int n = 700, d = 16;
	attn_case c = attn_case_new(n, d, 1);
	fill_random(c.V, (size_t)n * d, 11, 1.0f);
	for (int j = 0; j < n; j++)
		for (int k = 0; k < d; k++) {
			c.Q[(size_t)j * d + k] = 1.0f;
			/* q . k / sqrt(d) = sum k / 4: 400 per block, plus 0 .. 0.25
			 * that tells keys apart; every sum exact in float */
			c.K[(size_t)j * d + k] =
				(float)(j / 256) * 100.0f + (float)((j * 7 + k) % 5) * 0.25f;
		}
	attn_case_check(&c, 1);
	attn_case_free(&c);
}
END_TEST

/* A query whose length is far above what its scores reach (|q| |k| vs
 * q . k): the fixed-shift softmax's shift, |q| max |k|, is then more than
 * 32 doublings above every score of the row, its weights' sum falls below
 * SHIFT_MIN_SUM and the strip must be redone against the row's max. Rows
 * of every kind in one strip: some far (q nearly orthogonal to every k,
 * long), the rest ordinary; every mask, one and two threads. */
START_TEST(shift_far_above_scores)
{
	const int n = 300, d = 16;
	attn_case c = attn_case_new(n, d, 2);
	fill_random(c.Q, (size_t)n * d, 12, 1.0f);
	fill_random(c.V, (size_t)n * d, 13, 1.0f);
	fill_random(c.K, (size_t)n * d, 14, 1.0f);
	for (int j = 0; j < n; j++)
		c.K[(size_t)j * d] = 0.0f; /* no key has a component along e_0 ... */
	for (int i = 0; i < n; i += 7)
		c.Q[(size_t)i * d] = 4000.0f; /* ... which these queries are long in */
	attn_case_check(&c, 2);
	attn_case_free(&c);
}
END_TEST

/* The score-to-weight kernel of every tile instruction set against double
 * loops: weights 2^(log2(e) s - shift) inside each row's [lo, hi) and
 * exactly 0 outside (lo, hi before, inside and after the block, empty
 * ranges), the clamp far below the shift (about 2^-125, never 0 or a
 * subnormal), row sums added to what rowsum held; every row and column
 * tail of the tiles. */
START_TEST(score_exp_matches_naive)
{
	const int shapes[][3] = { { 1, 16, 1 }, { 6, 32, 64 }, { 13, 80, 7 },
				  { 64, 48, 64 }, { 11, 16, 16 }, { 4, 64, 3 } };
	for (int isa = AV_ISA_AVX2; isa <= (int)av_fast_isa_supported(); isa++) {
		av_score_exp_fn *fn = av_score_exp_tiles((av_isa)isa);
		ck_assert_ptr_nonnull(fn);
		for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
			int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
			int lda = K + 1, ldb = N + 16, ldp = N + 3;
			float *A = alloc_floats((size_t)M * lda), *B = alloc_floats((size_t)K * ldb);
			float *P = alloc_floats((size_t)M * ldp);
			float *rowsum = alloc_floats((size_t)M * AV_SE_SUM), shift[64];
			int lo[64], hi[64];
			fill_random(A, (size_t)M * lda, 90 + s, 1.0f);
			fill_random(B, (size_t)K * ldb, 95 + s, 1.0f);
			for (int r = 0; r < M; r++) {
				double big = 0.0; /* the row's largest score */
				for (int c = 0; c < N; c++) {
					double acc = 0.0;
					for (int k = 0; k < K; k++)
						acc += (double)A[r * lda + k] * B[k * ldb + c];
					big = c == 0 || acc > big ? acc : big;
				}
				/* at the max, a few doublings above, or far above (clamp) */
				double above = r % 3 == 0 ? 0.0 : r % 3 == 1 ? 5.5 : 200.0;
				shift[r] = (float)(big * M_LOG2E + above + 1e-4);
				lo[r] = (r * 5) % (N + 8) - 4;
				hi[r] = r % 4 == 3 ? lo[r] - 1 : lo[r] + 1 + (r * 11) % (N + 4);
				for (int k = 0; k < AV_SE_SUM; k++)
					rowsum[r * AV_SE_SUM + k] = (float)k; /* added to */
			}
			fn(P, ldp, rowsum, A, lda, B, ldb, shift, lo, hi, M, N, K);
			for (int r = 0; r < M; r++) {
				double sum = 0.0, got_sum = 0.0;
				for (int c = 0; c < N; c++) {
					double acc = 0.0, mag = 0.0; /* the score, sum |terms| */
					for (int k = 0; k < K; k++) {
						acc += (double)A[r * lda + k] * B[k * ldb + c];
						mag += fabs((double)A[r * lda + k] * B[k * ldb + c]);
					}
					double x = acc * M_LOG2E - shift[r];
					float got = P[r * ldp + c];
					if (c < lo[r] || c >= hi[r]) {
						ck_assert_msg(got == 0.0f, "masked [%d][%d] = %g", r, c,
							      (double)got);
						continue;
					}
					sum += got;
					if (x < -125.5) { /* clamped: tiny, normal, harmless */
						ck_assert_msg(got >= 0x1p-126f && got <= 0x1p-124f,
							      "clamped [%d][%d] = %g", r, c, (double)got);
						continue;
					}
					/* the exp's 2e-7, x's rounding, the float score's */
					double want = exp2(x);
					double tol = 2e-7 + 0x1p-24 * fabs(x) + 0x1p-22 * mag;
					ck_assert_msg(fabs(got - want) <= tol * want,
						      "isa %d %dx%dx%d [%d][%d]: %.9g vs %.9g", isa, M, N, K,
						      r, c, (double)got, want);
				}
				for (int k = 0; k < AV_SE_SUM; k++)
					got_sum += rowsum[r * AV_SE_SUM + k] - (float)k;
				ck_assert_msg(fabs(got_sum - sum) <= 1e-5 * (sum + 1.0), "row %d sum %g vs %g",
					      r, got_sum, sum);
			}
			free(A);
			free(B);
			free(P);
			free(rowsum);
		}
	}
}
END_TEST

/* The tile product against plain loops in double: whole tiles, partial
 * column tiles (N = 16, 32, 48, 80), inner sizes across the 128 block, and
 * shapes the tiles do not take (cblas then); row strides wider than N. */
START_TEST(gemm_matches_naive)
{
	const int shapes[][3] = { { 4, 16, 1 },   { 4, 64, 64 },  { 8, 32, 3 },
				  { 12, 48, 129 }, { 16, 80, 300 }, { 64, 192, 64 },
				  { 5, 16, 7 },   { 4, 20, 9 },   { 1, 1, 1 } };
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
		int lda = K + 3, ldb = N + 5, ldc = N + 7;
		float *A = alloc_floats((size_t)M * lda), *B = alloc_floats((size_t)K * ldb);
		float *C = alloc_floats((size_t)M * ldc), *want = alloc_floats((size_t)M * N);
		fill_random(A, (size_t)M * lda, 40 + s, 1.0f);
		fill_random(B, (size_t)K * ldb, 60 + s, 1.0f);
		for (int i = 0; i < M; i++)
			for (int j = 0; j < N; j++) {
				double acc = 0.0;
				for (int k = 0; k < K; k++)
					acc += (double)A[i * lda + k] * B[k * ldb + j];
				want[i * N + j] = (float)acc;
			}
		av_fast_gemm(C, ldc, A, lda, B, ldb, M, N, K);
		float *got = alloc_floats((size_t)M * N);
		for (int i = 0; i < M; i++)
			memcpy(got + i * N, C + i * ldc, sizeof(float) * (size_t)N);
		assert_close(got, want, (size_t)M * N, TOL, "gemm", M, N);
		free(A);
		free(B);
		free(C);
		free(want);
		free(got);
	}
}
END_TEST

START_TEST(exp_accuracy)
{
	enum { N = 4096 };
	static float x[N], y[N];
	double worst = 0.0;
	/* Sweep [-87.3, 88.3] in blocks of N (also exercises the vector tails). */
	for (double lo = -87.3; lo < 88.3; lo += N * 0.0007) {
		int len = N - abs((int)(lo * 7.0)) % 5; /* vary the length */
		for (int i = 0; i < len; i++)
			x[i] = (float)fmin(lo + i * 0.0007, 88.3);
		av_fast_expf(y, x, len);
		for (int i = 0; i < len; i++) {
			double want = exp((double)x[i]);
			double rel = fabs((double)y[i] - want) / want;
			if (rel > worst)
				worst = rel;
			ck_assert_msg(rel < 2e-7, "exp(%.9g): %.9g vs %.9g", (double)x[i],
				      (double)y[i], want);
		}
	}
	ck_assert(worst > 0.0); /* the sweep ran */

	const float special[] = { -INFINITY, -1e30f, -1000.0f, -104.0f, -87.5f, 0.0f, -0.0f,
				  89.0f, 1000.0f, INFINITY };
	float out[sizeof special / sizeof special[0]];
	int count = (int)(sizeof special / sizeof special[0]);
	av_fast_expf(out, special, count);
	for (int i = 0; i < 5; i++) /* far below ln(FLT_MIN): exactly 0 */
		ck_assert_msg(out[i] == 0.0f, "exp(%g) = %g", (double)special[i], (double)out[i]);
	ck_assert(out[5] == 1.0f && out[6] == 1.0f);
	for (int i = 7; i < count; i++)
		ck_assert(isinf(out[i]) && out[i] > 0.0f);
	/* in place */
	float inplace[3] = { 0.0f, 1.0f, -1.0f };
	av_fast_expf(inplace, inplace, 3);
	ck_assert_float_eq_tol(inplace[1], 2.718281828f, 1e-6f);
	ck_assert_float_eq_tol(inplace[2], 0.367879441f, 1e-7f);
	/* the gap just above ln(FLT_MIN): tiny, never negative */
	float edge = -87.33f, e;
	av_fast_expf(&e, &edge, 1);
	ck_assert(e >= 0.0f && e < 2.0f * FLT_MIN);
}
END_TEST

START_TEST(tanh_accuracy)
{
	enum { N = 2001 };
	static float x[N], y[N];
	for (int block = 0; block < 20; block++) {
		for (int i = 0; i < N; i++)
			x[i] = -20.0f + (float)(block * N + i) * (40.0f / (20.0f * N));
		av_fast_tanhf(y, x, N);
		for (int i = 0; i < N; i++) {
			double want = tanh((double)x[i]);
			double err = fabs((double)y[i] - want);
			ck_assert_msg(err <= 1e-6 * fmax(fabs(want), 1e-30), "tanh(%.9g): %.9g vs %.9g",
				      (double)x[i], (double)y[i], want);
		}
	}
	const float special[] = { 0.0f, 1e-20f, -1e-20f, INFINITY, -INFINITY, 1e30f };
	float out[6];
	av_fast_tanhf(out, special, 6);
	ck_assert(out[0] == 0.0f);
	ck_assert(out[1] == 1e-20f && out[2] == -1e-20f);
	ck_assert_msg(out[3] == 1.0f && out[4] == -1.0f && out[5] == 1.0f,
		      "tanh(inf, -inf, 1e30) = %g %g %g", (double)out[3], (double)out[4],
		      (double)out[5]);
}
END_TEST

/* The RNN's tanh where its formula changes: +-1 from |x| = 9 on, at most
 * 1 + 2^-23 just below, tiny x and -0 unchanged, NaN kept. */
START_TEST(tanh_edges)
{
	const float x[] = { 9.0f, -9.0f, nextafterf(9.0f, 0.0f), -nextafterf(9.0f, 0.0f), 8.5f,
			    FLT_MAX, -FLT_MAX, FLT_MIN / 8.0f, -0.0f, NAN };
	enum { N = sizeof x / sizeof x[0] };
	float y[N];
	av_fast_tanhf(y, x, N);
	ck_assert(y[0] == 1.0f && y[1] == -1.0f && y[5] == 1.0f && y[6] == -1.0f);
	for (int i = 2; i <= 4; i++) {
		double want = tanh((double)x[i]);
		ck_assert_msg(fabs(y[i] - want) <= 1e-6 * fabs(want) && fabsf(y[i]) <= 1.0f + FLT_EPSILON,
			      "tanh(%.9g) = %.9g, want %.9g", (double)x[i], (double)y[i], want);
	}
	ck_assert(y[7] == x[7]);
	ck_assert(y[8] == 0.0f && signbit(y[8]));
	ck_assert(isnan(y[9]));

	/* never above 1 in size: every float of [7.9, 9.1] (where the fit
	 * rounded to 1 + 2^-23 at thousands of points before the clamp) */
	enum { SPAN = 1 << 14 };
	float *xs = malloc(sizeof *xs * SPAN), *ys = malloc(sizeof *ys * SPAN);
	ck_assert(xs && ys);
	float v = 7.9f;
	long over = 0;
	while (v <= 9.1f) {
		int m = 0;
		for (; m < SPAN && v <= 9.1f; m++, v = nextafterf(v, 10.0f))
			xs[m] = (m & 1) ? -v : v;
		av_fast_tanhf(ys, xs, m);
		for (int i = 0; i < m; i++)
			over += fabsf(ys[i]) > 1.0f;
	}
	free(xs);
	free(ys);
	ck_assert_msg(over == 0, "%ld values of tanh above 1 in size on [7.9, 9.1]", over);
}
END_TEST

/* Fast RNN against input_proj_naive + n x rnn_step_naive. The arrays and
 * the workspace, each allocated to its exact size, start on a 64-byte line
 * (off = 0), where malloc puts them (off < 0) or off floats past that (off
 * > 0: not on a line, so that a kernel that rounds its workspace up to a line
 * needs the slack it asked for); the fast result is copied to out (n, H)
 * when not NULL. */
static void check_rnn_at(int n, int D, int H, uint64_t seed, int off, float *out)
{
	size_t pad = off < 0 ? 0 : (size_t)off;
	float *base[7];
	const size_t size[7] = { (size_t)n * D, (size_t)H * D, (size_t)H * H, (size_t)H,
				 (size_t)n * H, av_fast_rnn_workspace(D, H), (size_t)H * 2 };
	for (int k = 0; k < 7; k++) {
		base[k] = off == 0 ? av_fast_alloc(size[k]) : alloc_floats(size[k] + pad);
		ck_assert_ptr_nonnull(base[k]);
	}
	float *X = base[0] + pad, *W_e = base[1] + pad, *W_h = base[2] + pad, *b = base[3] + pad;
	float *hf = base[4] + pad, *work = base[5] + pad;
	float *wh = base[6], *pre = wh + H; /* the naive chain's scratch */
	float *hn = alloc_floats((size_t)n * H), *xe = alloc_floats((size_t)n * H);
	fill_random(X, (size_t)n * D, seed, 1.0f);
	fill_random(W_e, (size_t)H * D, seed + 1, sqrtf(6.0f / (float)(H + D)));
	fill_random(W_h, (size_t)H * H, seed + 2, sqrtf(6.0f / (float)(2 * H)));
	fill_random(b, (size_t)H, seed + 3, 0.1f);

	av_rnn_input_proj_naive(xe, X, W_e, n, D, H);
	for (int t = 0; t < n; t++)
		av_rnn_step_naive(hn + (size_t)t * H, wh, pre, t ? hn + (size_t)(t - 1) * H : NULL,
				  xe + (size_t)t * H, W_h, b, H);
	av_fast_rnn_forward(hf, work, X, W_e, W_h, b, n, D, H);
	assert_close(hf, hn, (size_t)n * H, TOL, "rnn", n, H);
	if (out)
		memcpy(out, hf, sizeof *hf * (size_t)n * H);

	for (int k = 0; k < 7; k++)
		free(base[k]);
	free(hn);
	free(xe);
}

static void check_rnn(int n, int D, int H, uint64_t seed)
{
	check_rnn_at(n, D, H, seed, -1, NULL);
}

START_TEST(rnn_many_shapes)
{
	const int ns[] = { 1, 2, 5, 64, 333 };
	/* (D, H): H = 16, 32, 64, 128 take the AVX-512 kernels when the CPU has them */
	const int dims[][2] = { { 1, 1 }, { 4, 4 }, { 3, 5 }, { 8, 17 }, { 5, 16 }, { 40, 32 },
				{ 64, 64 }, { 32, 100 }, { 128, 128 } };
	uint64_t seed = 500;
	for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
		for (size_t c = 0; c < sizeof dims / sizeof dims[0]; c++)
			check_rnn(ns[a], dims[c][0], dims[c][1], seed++);
}
END_TEST

/* A long chain: errors must not grow along the recurrence. */
START_TEST(rnn_long)
{
	check_rnn(2048, 64, 64, 900);
}
END_TEST

/* Every shape the register kernels have (H = 16, 32, 64, 128 on each
 * instruction set the CPU runs) and odd ones (H = 7, 33, D != H), n = 1, 2,
 * 3 and 9 (H = 128 walks W_h^T backwards on odd steps), with the arrays and
 * workspace on a 64-byte line and 1 or 3 floats past where malloc puts them:
 * the naive chain's numbers, and the same bits wherever the arrays start. */
START_TEST(rnn_any_placement_every_path)
{
	const int hs[] = { 16, 32, 64, 128, 7, 33 };
	const int ns[] = { 1, 2, 3, 9 };
	av_isa top = av_fast_isa_supported();
	for (int isa = AV_ISA_SCALAR; isa <= (int)top; isa++) {
		ck_assert_int_eq(av_fast_set_isa((av_isa)isa), isa);
		uint64_t seed = 7000 + 100 * (uint64_t)isa;
		for (size_t h = 0; h < sizeof hs / sizeof hs[0]; h++)
			for (int same = 0; same < 2; same++)
				for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++) {
					int H = hs[h], D = same ? H : 20, n = ns[a];
					float *at0 = alloc_floats((size_t)n * H);
					float *at = alloc_floats((size_t)n * H);
					check_rnn_at(n, D, H, seed, 0, at0);
					for (int off = 1; off <= 3; off += 2) {
						check_rnn_at(n, D, H, seed, off, at);
						ck_assert_msg(memcmp(at, at0, sizeof *at * (size_t)n * H) == 0,
							      "%s n=%d D=%d H=%d: %d floats off a line "
							      "changes the result",
							      av_fast_isa_name((av_isa)isa), n, D, H, off);
					}
					free(at0);
					free(at);
					seed += 10;
				}
	}
	ck_assert_int_eq(av_fast_set_isa(AV_ISA_COUNT), top);
}
END_TEST

/* ---- every instruction-set path ----------------------------------------- */

/* The shapes above again with the kernels held to each narrower
 * instruction set the CPU runs: the AVX2 tiles are tested on an AVX-512
 * machine, the cblas and plain loops everywhere. */
START_TEST(every_isa_path)
{
	av_isa top = av_fast_isa_supported();
	for (int isa = AV_ISA_SCALAR; isa <= (int)top; isa++) {
		ck_assert_int_eq(av_fast_set_isa((av_isa)isa), isa);
		ck_assert_int_eq(av_fast_has_tiles(), isa != AV_ISA_SCALAR);
		const int ns[] = { 1, 15, AV_FAST_BLOCK, AV_FAST_BLOCK + 1, 257, 520 };
		for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
			for (int k = 0; k < AV_MASK_COUNT; k++) {
				check_forward(ns[a], 16, 16, (av_mask_kind)k, 4000 + a * 10 + (uint64_t)k,
					      1);
				check_forward(ns[a], 64, 64, (av_mask_kind)k, 4500 + a * 10 + (uint64_t)k,
					      2);
			}
		check_forward(300, 128, 128, AV_MASK_CAUSAL, 4900, 1);
		const int hs[] = { 16, 32, 64, 128, 24 };
		for (size_t h = 0; h < sizeof hs / sizeof hs[0]; h++)
			check_rnn(70, 20, hs[h], 5000 + h);
	}
	ck_assert_int_eq(av_fast_set_isa(AV_ISA_COUNT), top);
}
END_TEST

/* The FMA probe returns a plausible rate for every set: finite and above
 * 1 MFLOP/s. Which set is faster is a benchmark's question, not a test's:
 * under valgrind the vector sets run emulated, slower than scalar code. */
START_TEST(fma_peak_probe)
{
	for (int isa = AV_ISA_SCALAR; isa <= (int)av_fast_isa_supported(); isa++) {
		double p = av_fast_fma_peak((av_isa)isa, 0.02);
		ck_assert_msg(isfinite(p) && p > 1e6, "%s: %g flop/s",
			      av_fast_isa_name((av_isa)isa), p);
	}
	ck_assert_str_eq(av_fast_isa_name(AV_ISA_AVX2), "AVX2+FMA");
}
END_TEST

/* ---- alignment ----------------------------------------------------------- */

START_TEST(alloc_is_aligned)
{
	const size_t sizes[] = { 0, 1, 3, 15, 16, 17, 1000, 65537 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		float *p = av_fast_alloc(sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_msg((uintptr_t)p % AV_FAST_ALIGN == 0, "%zu floats at %p", sizes[i],
			      (void *)p);
		for (size_t k = 0; k < (sizes[i] ? sizes[i] : 1); k++) /* all of it usable */
			p[k] = (float)k;
		free(p);
	}
	ck_assert_ptr_null(av_fast_alloc(SIZE_MAX / 2));
	/* every workspace size is a whole number of lines of the arrays in it */
	ck_assert_uint_ge(av_fast_attn_forward_workspace(100, 64, 64, 2),
			  av_fast_attn_workspace(100, 64, 2));
}
END_TEST

/* The kernels read and write on any alignment (they are fastest on 64
 * bytes): the same bits whether the arrays and workspace start on a line
 * or one float past it. */
START_TEST(any_alignment_same_result)
{
	const int n = 200, D = 64, d = 64;
	size_t ws = av_fast_attn_forward_workspace(n, D, d, 1);
	float *X = av_fast_alloc((size_t)n * D + 1), *W = av_fast_alloc(3 * (size_t)D * d + 1);
	float *Z = av_fast_alloc((size_t)n * d + 1), *Z1 = av_fast_alloc((size_t)n * d);
	float *work = av_fast_alloc(ws + 1);
	fill_random(X, (size_t)n * D + 1, 31, 1.0f);
	fill_random(W, 3 * (size_t)D * d + 1, 32, 0.2f);
	av_fast_attn_forward(Z1, work, X, W, W + D * d, W + 2 * D * d, AV_MASK_CAUSAL, n, D, d, 1);
	memmove(X + 1, X, sizeof *X * (size_t)n * D);
	memmove(W + 1, W, sizeof *W * 3 * (size_t)D * d);
	av_fast_attn_forward(Z + 1, work + 1, X + 1, W + 1, W + 1 + D * d, W + 1 + 2 * D * d,
			     AV_MASK_CAUSAL, n, D, d, 1);
	ck_assert(memcmp(Z + 1, Z1, sizeof *Z * (size_t)n * d) == 0);
	float *rw = av_fast_alloc(av_fast_rnn_workspace(D, d) + 1);
	av_fast_rnn_forward(Z1, rw, X + 1, W + 1, W + 1 + D * d, W + 1 + 2 * D * d, n, D, d);
	av_fast_rnn_forward(Z + 1, rw + 1, X + 1, W + 1, W + 1 + D * d, W + 1 + 2 * D * d, n, D,
			    d);
	ck_assert(memcmp(Z + 1, Z1, sizeof *Z * (size_t)n * d) == 0);
	free(X);
	free(W);
	free(Z);
	free(Z1);
	free(work);
	free(rw);
}
END_TEST

/* ---- the worker pool ----------------------------------------------------- */

typedef struct {
	atomic_int ran[AV_POOL_MAX_THREADS];
	atomic_int calls;
	int want; /* tid 0 waits (at most 10 s) for this many tasks to start */
} pool_probe;

static void pool_probe_task(void *arg, int tid)
{
	pool_probe *p = arg;
	atomic_fetch_add(&p->ran[tid], 1);
	atomic_fetch_add(&p->calls, 1);
	if (tid == 0) /* hold the job open until the workers have joined */
		for (long spins = 0; atomic_load(&p->calls) < p->want && spins < 100000000L; spins++)
			sched_yield();
}

/* Pools of 1..4 threads, jobs of 1..5 threads, many times over: with the
 * job held open, tids 0 .. min(job, pool) - 1 each run exactly once and no
 * other; with a job that ends at once, whoever joined formed a prefix of
 * the tids, each once. */
START_TEST(pool_runs_each_tid_once)
{
	for (int size = 1; size <= 4; size++) {
		av_pool *pool = av_pool_create(size);
		ck_assert_ptr_nonnull(pool);
		ck_assert_int_eq(av_pool_threads(pool), size);
		for (int rep = 0; rep < 200; rep++) {
			int job = 1 + rep % 5, want = job < size ? job : size;
			bool hold = rep % 2 == 0;
			pool_probe p = { .want = hold ? want : 0 };
			av_pool_run(pool, pool_probe_task, &p, job);
			int calls = atomic_load(&p.calls);
			if (hold)
				ck_assert_int_eq(calls, want);
			ck_assert(calls >= 1 && calls <= want);
			for (int tid = 0; tid < AV_POOL_MAX_THREADS; tid++)
				ck_assert_int_eq(atomic_load(&p.ran[tid]), tid < calls);
		}
		av_pool_free(pool);
	}
	pool_probe p = { .want = 0 };
	av_pool_run(NULL, pool_probe_task, &p, 4); /* no pool: the caller alone */
	ck_assert_int_eq(atomic_load(&p.calls), 1);
	av_pool_free(NULL);
}
END_TEST

#if defined(__linux__)
typedef struct {
	atomic_int cpu[AV_POOL_MAX_THREADS]; /* where each tid ran, -1 before */
	atomic_int calls;
	int want;
} pool_place;

static void pool_place_task(void *arg, int tid)
{
	pool_place *p = arg;
	atomic_store(&p->cpu[tid], sched_getcpu());
	atomic_fetch_add(&p->calls, 1);
	if (tid == 0)
		for (long spins = 0; atomic_load(&p->calls) < p->want && spins < 100000000L; spins++)
			sched_yield();
}

/* Creates a pool of 2 from a thread held on one CPU: its worker starts
 * there too (threads inherit their creator's CPUs). */
static void *pool_create_pinned(void *arg)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(*(int *)arg, &one);
	if (sched_setaffinity(0, sizeof one, &one) != 0)
		return NULL;
	return av_pool_create(2);
}

/* A worker that finds itself on its caller's CPU when it joins a job
 * leaves it for the process's other CPUs (two threads of one job on one
 * CPU take as long as one): the worker starts held on the caller's CPU,
 * and still never runs its task there. Skipped where the process has one
 * CPU or the CPU is unknown (sched_getcpu -1). */
START_TEST(pool_workers_leave_caller_cpu)
{
	cpu_set_t all;
	ck_assert_int_eq(sched_getaffinity(0, sizeof all, &all), 0);
	int here = sched_getcpu();
	if (CPU_COUNT(&all) < 2 || here < 0 || !CPU_ISSET(here, &all))
		return;
	pthread_t creator;
	void *made = NULL;
	ck_assert_int_eq(pthread_create(&creator, NULL, pool_create_pinned, &here), 0);
	ck_assert_int_eq(pthread_join(creator, &made), 0);
	av_pool *pool = made;
	ck_assert_ptr_nonnull(pool);
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(here, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof one, &one), 0); /* the caller stays */
	for (int rep = 0; rep < 20; rep++) {
		pool_place p = { .want = 2 };
		for (int k = 0; k < AV_POOL_MAX_THREADS; k++)
			atomic_init(&p.cpu[k], -1);
		av_pool_run(pool, pool_place_task, &p, 2);
		ck_assert_int_eq(atomic_load(&p.calls), 2);
		ck_assert_int_eq(atomic_load(&p.cpu[0]), here);
		ck_assert_msg(atomic_load(&p.cpu[1]) != here, "rep %d: worker on the caller's CPU %d",
			      rep, here);
	}
	ck_assert_int_eq(sched_setaffinity(0, sizeof all, &all), 0);
	av_pool_free(pool);
}
END_TEST
#endif

/* Attention on 1..4 threads from the shared pool, n on both sides of the
 * threshold and of the strips' split: bit-for-bit the one-thread result,
 * call after call, and again after the pool is released and restarted. */
START_TEST(pool_attention_threads)
{
	const int ns[] = { 4 * AV_FAST_BLOCK + 1, AV_FAST_THREADS_MIN_N - 1,
			   AV_FAST_THREADS_MIN_N, AV_FAST_THREADS_MIN_N + 1 };
	const int D = 16, d = 16;
	for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++) {
		int n = ns[a];
		float *X = av_fast_alloc((size_t)n * D), *W = av_fast_alloc(3 * (size_t)D * d);
		float *Z1 = av_fast_alloc((size_t)n * d), *Z = av_fast_alloc((size_t)n * d);
		float *work = av_fast_alloc(av_fast_attn_forward_workspace(n, D, d, 4));
		fill_random(X, (size_t)n * D, 70 + a, 1.0f);
		fill_random(W, 3 * (size_t)D * d, 80 + a, 0.4f);
		av_fast_attn_forward(Z1, work, X, W, W + D * d, W + 2 * D * d, AV_MASK_CAUSAL, n, D,
				     d, 1);
		for (int threads = 1; threads <= 4; threads++)
			for (int rep = 0; rep < 3; rep++) {
				memset(Z, 0xff, sizeof *Z * (size_t)n * d); /* NaN until written */
				av_fast_attn_forward(Z, work, X, W, W + D * d, W + 2 * D * d,
						     AV_MASK_CAUSAL, n, D, d, threads);
				ck_assert_msg(memcmp(Z, Z1, sizeof *Z * (size_t)n * d) == 0,
					      "n=%d threads=%d rep=%d", n, threads, rep);
				if (rep == 1)
					av_fast_release(); /* the next call starts a new pool */
			}
		free(X);
		free(W);
		free(Z1);
		free(Z);
		free(work);
	}
	if (av_fast_has_tiles()) { /* the pool holds what the last call could use */
		int strips = (AV_FAST_THREADS_MIN_N + 1 + AV_FAST_BLOCK - 1) / AV_FAST_BLOCK;
		ck_assert_int_eq(av_fast_pool_threads(), strips / 2 < 4 ? strips / 2 : 4);
		av_fast_release();
		ck_assert_int_eq(av_fast_pool_threads(), 0);
	}
}
END_TEST

static Suite *fast_suite(void)
{
	Suite *s = suite_create("fast");
	TCase *attn = tcase_create("Attention");
	tcase_add_test(attn, attention_many_shapes);
	tcase_add_test(attn, attention_every_mask);
	tcase_add_test(attn, attention_long);
	tcase_add_test(attn, attention_threads);
	tcase_set_timeout(attn, 240); /* the naive reference is slow under ASan */
	suite_add_tcase(s, attn);
	TCase *limits = tcase_create("Limits");
	tcase_add_test(limits, fully_masked_rows_are_zero);
	tcase_add_loop_test(limits, large_logits, 0, 2);
	tcase_add_test(limits, scores_jump_between_key_blocks);
	tcase_add_test(limits, shift_far_above_scores);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, limits);
	TCase *math = tcase_create("Math");
	tcase_add_test(math, gemm_matches_naive);
	tcase_add_test(math, score_exp_matches_naive);
	tcase_add_test(math, exp_accuracy);
	tcase_add_test(math, tanh_accuracy);
	tcase_add_test(math, tanh_edges);
	tcase_set_timeout(math, 60);
	suite_add_tcase(s, math);
	TCase *rnn = tcase_create("RNN");
	tcase_add_test(rnn, rnn_many_shapes);
	tcase_add_test(rnn, rnn_long);
	tcase_add_test(rnn, rnn_any_placement_every_path);
	tcase_set_timeout(rnn, 120);
	suite_add_tcase(s, rnn);
	TCase *isa = tcase_create("Paths");
	tcase_add_test(isa, every_isa_path);
	tcase_add_test(isa, fma_peak_probe);
	tcase_set_timeout(isa, 300);
	suite_add_tcase(s, isa);
	TCase *mem = tcase_create("Alignment");
	tcase_add_test(mem, alloc_is_aligned);
	tcase_add_test(mem, any_alignment_same_result);
	suite_add_tcase(s, mem);
	TCase *pool = tcase_create("Pool");
	tcase_add_test(pool, pool_runs_each_tid_once);
	tcase_add_test(pool, pool_attention_threads);
#if defined(__linux__)
	tcase_add_test(pool, pool_workers_leave_caller_cpu);
#endif
	tcase_set_timeout(pool, 240);
	suite_add_tcase(s, pool);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fast_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
