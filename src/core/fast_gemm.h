/* Internal to the fast kernels: a small row-major matrix product on
 * register tiles, for the shapes of attention (inner size d or a block of
 * keys, column counts multiples of 16), in an AVX2 + FMA and an AVX-512
 * version of one template (core/fast_gemm_tpl.h). OpenBLAS picks its kernels
 * from OPENBLAS_CORETYPE, which may name an older core than the CPU's; these
 * tiles use the widest registers the CPU has whatever OpenBLAS chose. */
#ifndef ATTNVIZ_CORE_FAST_GEMM_H
#define ATTNVIZ_CORE_FAST_GEMM_H

#include <stdbool.h>

#include "attnviz/fast.h"

/* Column multiple every tile product needs. */
#define AV_GEMM_NR 16

/* C (M, N) = A (M, K) . B (K, N), or C += A . B when acc; lda, ldb, ldc are
 * row strides. M >= 1, N a multiple of AV_GEMM_NR, K >= 1. */
typedef void av_gemm_fn(float *C, int ldc, const float *A, int lda, const float *B, int ldb,
			int M, int N, int K, bool acc);

/* The tile product for isa, or NULL for AV_ISA_SCALAR (callers use cblas). */
av_gemm_fn *av_gemm_tiles(av_isa isa);

/* Lanes of a row's running sum in av_score_exp_fn. */
#define AV_SE_SUM 16

/* Softmax weights of a block of scores against a fixed shift per row, the
 * scores never leaving the registers: for row r of the block and column c,
 *   P[r][c] = 2^(log2(e) (A B)[r][c] - shift[r])  when lo[r] <= c < hi[r],
 *             0                                   otherwise,
 * and rowsum[r][c mod AV_SE_SUM] += P[r][c]. shift[r] (log2 units) must be
 * at least log2(e) times the row's largest score, up to rounding: weights
 * are at most about 1; one more than 86 nats below the shift comes out as
 * about 2^-125 instead of its true value.
 * P (M, N), row stride ldp; rowsum (M, AV_SE_SUM); A (M, K), stride lda;
 * B (K, N), stride ldb; shift, lo, hi (M). M >= 1, N a multiple of
 * AV_GEMM_NR, K >= 1; lo and hi may lie outside [0, N]. */
typedef void av_score_exp_fn(float *P, int ldp, float *rowsum, const float *A, int lda,
			     const float *B, int ldb, const float *shift, const int *lo,
			     const int *hi, int M, int N, int K);

/* The score-to-weight kernel for isa, or NULL for AV_ISA_SCALAR. */
av_score_exp_fn *av_score_exp_tiles(av_isa isa);

/* The transposed-A product for isa, or NULL for AV_ISA_SCALAR: the same
 * signature, but C (M, N) = A^T . B (or += when acc) with A stored (K, M),
 * row stride lda (the training pass's dV = A^T dO, dK = dS^T Q, dW = X^T dQ). */
av_gemm_fn *av_gemm_tn_tiles(av_isa isa);

#endif
