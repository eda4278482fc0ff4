/* AVX-512 register-tiled matrix product for the fast attention path: a
 * 4-row by 64-column tile of C lives in 16 vector registers while the inner
 * dimension streams through (4 row loads of B, 4 broadcasts of A, 16 FMAs
 * per step). Written with GCC vector extensions and compiled for AVX-512F
 * only in the functions below; callers check av_gemm16_available() first.
 * The naive twin is any of the naive kernels: tests compare whole results. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "fast_gemm.h"

#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define HAVE_GEMM16 1
#else
#define HAVE_GEMM16 0
#endif

#if HAVE_GEMM16

#define TARGET __attribute__((target("avx512f,fma")))

typedef float v16 __attribute__((vector_size(64), may_alias, aligned(4)));

#define LOAD(p) (*(const v16 *)(const void *)(p))
#define STORE(p, v) (*(v16 *)(void *)(p) = (v))

bool av_gemm16_available(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f");
}
/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */

/* C (4, 16 NV) = A (4, K) . B (K, 16 NV), or C += when acc. */
#define TILE(NV)                                                                       \
	TARGET static void tile4x##NV(float *C, int ldc, const float *A, int lda,       \
				      const float *B, int ldb, int K, bool acc)        \
	{                                                                              \
		v16 c0[NV], c1[NV], c2[NV], c3[NV];                                    \
		for (int v = 0; v < NV; v++) {                                         \
			if (acc) {                                                     \
				c0[v] = LOAD(C + 16 * v);                              \
				c1[v] = LOAD(C + ldc + 16 * v);                        \
				c2[v] = LOAD(C + 2 * ldc + 16 * v);                    \
				c3[v] = LOAD(C + 3 * ldc + 16 * v);                    \
			} else {                                                       \
				c0[v] = c1[v] = c2[v] = c3[v] = (v16){ 0 };            \
			}                                                              \
		}                                                                      \
		const float *a0 = A, *a1 = A + lda, *a2 = A + 2 * lda, *a3 = A + 3 * lda; \
		for (int k = 0; k < K; k++) {                                          \
			const float *b = B + (long)k * ldb;                            \
			v16 bv[NV];                                                    \
			for (int v = 0; v < NV; v++)                                   \
				bv[v] = LOAD(b + 16 * v);                              \
			float x0 = a0[k], x1 = a1[k], x2 = a2[k], x3 = a3[k];          \
			for (int v = 0; v < NV; v++) {                                 \
				c0[v] += x0 * bv[v];                                   \
				c1[v] += x1 * bv[v];                                   \
				c2[v] += x2 * bv[v];                                   \
				c3[v] += x3 * bv[v];                                   \
			}                                                              \
		}                                                                      \
		for (int v = 0; v < NV; v++) {                                         \
			STORE(C + 16 * v, c0[v]);                                      \
			STORE(C + ldc + 16 * v, c1[v]);                                \
			STORE(C + 2 * ldc + 16 * v, c2[v]);                            \
			STORE(C + 3 * ldc + 16 * v, c3[v]);                            \
		}                                                                      \
	}
TILE(4)
TILE(2)
TILE(1)

/* Inner-dimension block: a (KB, 64) panel of B is 32 KiB and stays in L1
 * while every row tile of A passes over it. */
#define KB 128

TARGET void av_gemm16_nn(float *C, int ldc, const float *A, int lda, const float *B, int ldb,
			 int M, int N, int K)
{
	for (int k0 = 0; k0 < K; k0 += KB) {
		int kb = K - k0 < KB ? K - k0 : KB;
		bool acc = k0 > 0;
		const float *Ak = A + k0, *Bk = B + (long)k0 * ldb;
		/* Columns outer so that the B panel stays in L1 across row tiles. */
		int j = 0;
		for (; j + 64 <= N; j += 64)
			for (int i = 0; i < M; i += AV_GEMM_MR)
				tile4x4(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, Bk + j,
					ldb, kb, acc);
		for (; j + 32 <= N; j += 32)
			for (int i = 0; i < M; i += AV_GEMM_MR)
				tile4x2(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, Bk + j,
					ldb, kb, acc);
		for (; j + 16 <= N; j += 16)
			for (int i = 0; i < M; i += AV_GEMM_MR)
				tile4x1(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, Bk + j,
					ldb, kb, acc);
	}
}

/* AV_TILES_EXCL_STOP */
#else /* no AVX-512 tiles in this build: callers take the cblas path */

bool av_gemm16_available(void)
{
	return false;
}

void av_gemm16_nn(float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M,
		  int N, int K)
{
	/* Plain loops, for completeness; never called when unavailable. */
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			float s = 0.0f;
			for (int k = 0; k < K; k++)
				s += A[(long)i * lda + k] * B[(long)k * ldb + j];
			C[(long)i * ldc + j] = s;
		}
}

#endif
