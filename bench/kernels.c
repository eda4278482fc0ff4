/* make bench-kernels: where the time of attention's training pass goes on
 * this core, so that a claim like "the products are at the peak, the rest
 * is elsewhere" can be checked rather than believed. Prints the FMA peak
 * measured on this core (attnviz bench's probe), then
 *  1. each register-tile product (core/fast_gemm.h) on a shape the
 *     attention kernels use, its operands hot in cache, as a share of the
 *     peak (fastest of REPS calls): the ceiling of a pass built from them;
 *     and the inference kernel's score tile, which also takes e^x of each
 *     score before it leaves the registers (what that epilogue costs);
 *  2. the training pass that attnviz bench times as attention-train (one
 *     causal head, d = 64: av_attn_layer_forward and _backward) split into
 *     forward and backward, its rate counted two ways: the flops its
 *     products do (whole 64 x 64 blocks on the diagonal, whose upper halves
 *     are masked) and the flops the pass needs (bench's count: the pairs
 *     j <= i only), each as a share of the peak.
 * Part 2 falls short of part 1 by the work outside the products (softmax,
 * its backward, transposes, clearing) and by cache misses; "done" against
 * "needed" is the masked half of the diagonal blocks. Medians and fastest
 * of SAMPLES passes. Not a test: figures to read, on an idle machine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_time.h"
#include "attnviz/attn_layer.h"
#include "attnviz/fast.h"
#include "core/fast_gemm.h" /* the tile products themselves */

enum { REPS = 300, SAMPLES = 21, D = 64 };

/* n floats, 64-byte aligned, filled with small values (never NaN). */
static float *floats(size_t n, unsigned seed)
{
	float *p = aligned_alloc(64, (n * sizeof *p + 63) / 64 * 64);
	if (!p) {
		fprintf(stderr, "bench-kernels: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (float)((i * 2654435761u + seed) % 1000) * 1e-3f - 0.5f;
	return p;
}

/* One tile product: C (M, N) (+)= op(A) B with the strides the kernels use. */
typedef struct {
	const char *what;
	bool trans_a, acc;
	int M, N, K, lda, ldb, ldc;
} shape;

static void products(double peak)
{
	av_isa isa = av_fast_isa();
	av_gemm_fn *nn = av_gemm_tiles(isa), *tn = av_gemm_tn_tiles(isa);
	if (!nn || !tn) {
		printf("1. tile products: none on this CPU (no AVX2 + FMA): the kernels use cblas\n\n");
		return;
	}
	int ld = av_attn_layer_stride(1024), dsld = AV_ATTN_TRAIN_DS_LD;
	const shape shapes[] = {
		{ "Q = X W_q        projection  ", false, false, 1024, 64, 64, 64, 64, 64 },
		{ "S = Q K^T        forward     ", false, false, 64, 1024, 64, 64, ld, ld },
		{ "O = A V          forward     ", false, false, 64, 64, 1024, ld, 64, 64 },
		{ "dA = dO V^T      backward    ", false, false, 64, 256, 64, 64, ld, dsld },
		{ "dQ += dS K       backward    ", false, true, 64, 64, 256, dsld, 64, 192 },
		{ "dV += A^T dO     backward    ", true, true, 256, 64, 64, ld, 64, 192 },
		{ "dW += X^T dQ     backward    ", true, true, 64, 64, 1024, 64, 192, 64 },
	};
	float *A = floats((size_t)1024 * ld, 1), *B = floats((size_t)1024 * ld, 2);
	float *C = floats((size_t)1024 * ld, 3);
	printf("1. tile products (%s), operands hot in cache, fastest of %d calls\n",
	       isa == AV_ISA_AVX512 ? "AVX-512" : "AVX2 + FMA", REPS);
	printf("   %-30s %6s %6s %6s %9s %9s\n", "product", "M", "N", "inner", "GFLOP/s", "% peak");
	for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
		const shape *x = &shapes[s];
		av_gemm_fn *f = x->trans_a ? tn : nn;
		double best = INFINITY;
		for (int r = 0; r < REPS; r++) {
			double t0 = bench_now_s();
			f(C, x->ldc, A, x->lda, B, x->ldb, x->M, x->N, x->K, x->acc);
			double t = bench_now_s() - t0;
			best = t < best ? t : best;
		}
		double gf = 2.0 * x->M * x->N * x->K / best / 1e9;
		printf("   %-30s %6d %6d %6d %9.1f %8.0f%%\n", x->what, x->M, x->N, x->K, gf,
		       100.0 * gf * 1e9 / peak);
	}
	/* the inference kernel's score tile with e^x in its epilogue, beside the
	 * plain S = Q K^T above: what moving the softmax into a tile costs */
	av_score_exp_fn *se = av_score_exp_tiles(isa);
	float shift[64], rowsum[64 * AV_SE_SUM];
	int lo[64], hi[64];
	for (int r = 0; r < 64; r++)
		shift[r] = 1.0f, lo[r] = 0, hi[r] = 1024;
	double best = INFINITY;
	for (int r = 0; r < REPS; r++) {
		memset(rowsum, 0, sizeof rowsum);
		double t0 = bench_now_s();
		se(C, ld, rowsum, A, 64, B, ld, shift, lo, hi, 64, 1024, 64);
		double t = bench_now_s() - t0;
		best = t < best ? t : best;
	}
	double gf = 2.0 * 64 * 1024 * 64 / best / 1e9;
	printf("   %-30s %6d %6d %6d %9.1f %8.0f%%\n", "P = e^(S - shift) inference   ", 64, 1024,
	       64, gf, 100.0 * gf * 1e9 / peak);
	printf("\n");
	free(A);
	free(B);
	free(C);
}

/* Flops of the products of one causal pass of n tokens (d = D, one head) as
 * core/attn_train.c does them: row block b of 64 rows computes the key
 * columns up to its last row, whole blocks, the last rounded to 16. */
static void pass_flops(int n, double *fwd_done, double *bwd_done, double *fwd_need,
		       double *bwd_need)
{
	double pairs = 0, N = n, d = D;
	int blk = AV_ATTN_TRAIN_BLOCK;
	for (int r0 = 0; r0 < n; r0 += blk) {
		int r1 = r0 + blk < n ? r0 + blk : n;
		int c1 = (r1 + blk - 1) / blk * blk, n16 = (n + 15) / 16 * 16;
		pairs += (double)(r1 - r0) * (c1 < n16 ? c1 : n16);
	}
	*fwd_done = 6.0 * N * d * d + 2.0 * 2.0 * d * pairs;       /* QKV; S and A V */
	*bwd_done = 12.0 * N * d * d + 4.0 * 2.0 * d * pairs;      /* dW, dX; dA dQ dV dK */
	*fwd_need = 6.0 * N * d * d + 2.0 * d * N * (N + 1.0);     /* as attnviz bench */
	*bwd_need = 12.0 * N * d * d + 4.0 * d * N * (N + 1.0);
}

static void pass(int n, double peak)
{
	size_t nd = (size_t)n * D;
	float *X = floats(nd, 4), *W = floats(3 * (size_t)D * D, 5), *dZ = floats(nd, 6);
	float *Z = floats(nd, 7), *dX = floats(nd, 8), *dW = floats(3 * (size_t)D * D, 9);
	float *cache = floats(av_attn_layer_cache_size(n, D, 1), 10);
	float *scratch = floats(av_attn_layer_scratch_size(n, D, 1), 11);
	for (size_t i = 0; i < 3 * (size_t)D * D; i++)
		W[i] *= 0.25f; /* moderate logits, as trained weights give */
	double f[SAMPLES], b[SAMPLES];
	for (int s = -1; s < SAMPLES; s++) { /* s = -1: a warm-up pass */
		double t0 = bench_now_s();
		av_attn_layer_forward(Z, cache, X, W, AV_MASK_CAUSAL, n, D, 1);
		double t1 = bench_now_s();
		memset(dX, 0, sizeof *dX * nd);
		memset(dW, 0, sizeof *dW * 3 * (size_t)D * D);
		double t2 = bench_now_s();
		av_attn_layer_backward(dX, dW, scratch, dZ, cache, X, W, AV_MASK_CAUSAL, n, D, 1);
		double t3 = bench_now_s();
		if (s >= 0)
			f[s] = t1 - t0, b[s] = t3 - t2;
	}
	qsort(f, SAMPLES, sizeof *f, bench_cmp_double);
	qsort(b, SAMPLES, sizeof *b, bench_cmp_double);
	double fd, bd, fn, bn;
	pass_flops(n, &fd, &bd, &fn, &bn);
	const char *part[2] = { "forward", "backward" };
	double *t[2] = { f, b }, done[2] = { fd, bd }, need[2] = { fn, bn };
	for (int k = 0; k < 2; k++)
		printf("   %5d  %-8s %9.3f %9.3f %9.1f %9.0f%% %9.0f%%\n", n, part[k],
		       1e3 * t[k][SAMPLES / 2], 1e3 * t[k][0], done[k] / t[k][0] / 1e9,
		       100.0 * done[k] / t[k][0] / peak, 100.0 * need[k] / t[k][0] / peak);
	free(X);
	free(W);
	free(dZ);
	free(Z);
	free(dX);
	free(dW);
	free(cache);
	free(scratch);
}

int main(void)
{
	av_isa isa = av_fast_isa();
	double peak = av_fast_fma_peak(isa, 0.3);
	printf("attnviz bench-kernels: FMA peak of this core %.1f GFLOP/s (%s)\n\n", peak / 1e9,
	       isa == AV_ISA_AVX512 ? "AVX-512" : isa == AV_ISA_AVX2 ? "AVX2 + FMA" : "scalar");
	products(peak);
	printf("2. training pass (attention-train: one causal head, d = %d), %d passes;\n"
	       "   rates of the fastest pass: of the flops done (whole diagonal blocks)\n"
	       "   and of the flops needed (pairs j <= i, as attnviz bench counts)\n",
	       D, SAMPLES);
	printf("   %5s  %-8s %9s %9s %9s %10s %10s\n", "n", "part", "median ms", "best ms",
	       "GFLOP/s", "done/peak", "need/peak");
	int ns[] = { 256, 1024, 2048 };
	for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
		pass(ns[i], peak);
	return 0;
}
