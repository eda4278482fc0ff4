/* Register-tiled matrix products for the fast kernels: one template
 * (core/fast_gemm_tpl.h) compiled for AVX2 + FMA (16 ymm registers: tiles of
 * 6 rows x 2 vectors, 12 accumulators) and for AVX-512 (32 zmm registers:
 * 6 rows x 4 vectors, 24 accumulators), each only in functions carrying its
 * target attribute, so the binary still runs on a plain x86-64 CPU.
 * The naive twin is any of the naive kernels: tests compare whole results. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "fast_gemm.h"

#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_TILES 1
#else
#define HAVE_TILES 0
#endif

#if HAVE_TILES

/* Inner-dimension block (see the template). */
#define GEMM_KB 256

#include <immintrin.h> /* vmaxps only; each use sits in a function of its target */

typedef float v8 __attribute__((vector_size(32), may_alias, aligned(4)));
typedef float v16 __attribute__((vector_size(64), may_alias, aligned(4)));
typedef int v8i __attribute__((vector_size(32)));
typedef unsigned v8u __attribute__((vector_size(32)));
typedef int v16i __attribute__((vector_size(64)));
typedef unsigned v16u __attribute__((vector_size(64)));

#define TPL_V v8
#define TPL_W 8
#define TPL_TGT "avx2,fma"
#define TPL_SUF avx2
#define TPL_MR 6
#define TPL_NV 2
#define TPL_LOAD(p) (*(const v8 *)(const void *)(p))
#define TPL_STORE(p, v) (*(v8 *)(void *)(p) = (v))
#define TPL_VI v8i
#define TPL_VU v8u
#define TPL_SPLAT(x) ((v8){ 0 } + (x))
#define TPL_MAX(a, b) ((v8)_mm256_max_ps((__m256)(a), (__m256)(b)))
#define TPL_IOTA ((v8i){ 0, 1, 2, 3, 4, 5, 6, 7 })
#include "fast_gemm_tpl.h"
#undef TPL_V
#undef TPL_W
#undef TPL_TGT
#undef TPL_SUF
#undef TPL_MR
#undef TPL_NV
#undef TPL_LOAD
#undef TPL_STORE
#undef TPL_VI
#undef TPL_VU
#undef TPL_SPLAT
#undef TPL_MAX
#undef TPL_IOTA

#define TPL_V v16
#define TPL_W 16
#define TPL_TGT "avx512f"
#define TPL_SUF avx512
#define TPL_MR 6
#define TPL_NV 4
#define TPL_LOAD(p) (*(const v16 *)(const void *)(p))
#define TPL_STORE(p, v) (*(v16 *)(void *)(p) = (v))
#define TPL_VI v16i
#define TPL_VU v16u
#define TPL_SPLAT(x) ((v16){ 0 } + (x))
#define TPL_MAX(a, b) ((v16)_mm512_max_ps((__m512)(a), (__m512)(b)))
#define TPL_IOTA ((v16i){ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 })
#include "fast_gemm_tpl.h"

av_gemm_fn *av_gemm_tiles(av_isa isa)
{
	switch (isa) {
	case AV_ISA_AVX512: return gemm_avx512; /* AV_TILES_EXCL_LINE: AVX-512 only */
	case AV_ISA_AVX2: return gemm_avx2;
	default: return NULL;
	}
}

av_score_exp_fn *av_score_exp_tiles(av_isa isa)
{
	switch (isa) {
	case AV_ISA_AVX512: return score_exp_avx512; /* AV_TILES_EXCL_LINE: AVX-512 only */
	case AV_ISA_AVX2: return score_exp_avx2;
	default: return NULL;
	}
}

av_gemm_fn *av_gemm_tn_tiles(av_isa isa)
{
	switch (isa) {
	case AV_ISA_AVX512: return gemm_tn_avx512; /* AV_TILES_EXCL_LINE: AVX-512 only */
	case AV_ISA_AVX2: return gemm_tn_avx2;
	default: return NULL;
	}
}

#else /* no tiles in this build: callers take the cblas path */

av_gemm_fn *av_gemm_tiles(av_isa isa)
{
	(void)isa;
	return NULL;
}

av_score_exp_fn *av_score_exp_tiles(av_isa isa)
{
	(void)isa;
	return NULL;
}

av_gemm_fn *av_gemm_tn_tiles(av_isa isa)
{
	(void)isa;
	return NULL;
}

#endif
