/* Internal to the fast kernels: a small row-major matrix product with
 * AVX-512 register tiles, for the shapes of attention (inner size d or a
 * strip's keys, column counts multiples of 16). OpenBLAS picks its kernels
 * from OPENBLAS_CORETYPE, which may name an AVX2 core on a CPU with full
 * AVX-512; these tiles use the wider registers whatever OpenBLAS chose. */
#ifndef ATTNVIZ_CORE_FAST_GEMM_H
#define ATTNVIZ_CORE_FAST_GEMM_H

#include <stdbool.h>

/* Row tile of av_gemm16_nn: M must be a multiple of it. */
#define AV_GEMM_MR 4

/* True when av_gemm16_nn can run here (x86-64 GCC build, CPU with AVX-512F). */
bool av_gemm16_available(void);

/* C (M, N) = A (M, K) . B (K, N); lda, ldb, ldc are row strides.
 * M a multiple of AV_GEMM_MR, N a multiple of 16, K >= 1. */
void av_gemm16_nn(float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M,
		  int N, int K);

#endif
