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

/* The transposed-A product for isa, or NULL for AV_ISA_SCALAR: the same
 * signature, but C (M, N) = A^T . B (or += when acc) with A stored (K, M),
 * row stride lda (the training pass's dV = A^T dO, dK = dS^T Q, dW = X^T dQ). */
av_gemm_fn *av_gemm_tn_tiles(av_isa isa);

#endif
