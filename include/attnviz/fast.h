/* The fast paths of the compute core, for long sequences (attnviz bench).
 * They compute the same numbers as the naive kernels of attention.h and
 * rnn.h (tests/check_fast.c holds them to 1e-5 relative) without the n x n
 * matrices: attention walks the queries in strips of AV_FAST_BLOCK rows and
 * computes, for each strip, only the keys some row of it may see, so under a
 * causal mask the blocks above the diagonal are never computed. When d is a
 * multiple of 16 and the CPU has AVX2 + FMA or AVX-512, the products run on
 * attnviz's own register tiles (core/fast_gemm.c), otherwise on cblas_sgemm.
 * No kernel allocates: the caller gives a workspace of the size the
 * *_workspace function returns, once, outside any timed loop, best from
 * av_fast_alloc (64-byte aligned). Kernels are out-first. */
#ifndef ATTNVIZ_FAST_H
#define ATTNVIZ_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/mask.h"

/* Query rows per strip. */
#define AV_FAST_BLOCK 64
/* Most threads av_fast_attn uses, and the shortest input it shares among
 * threads. Threads come from one persistent pool (attnviz/pool.h), started
 * on the first call that shares work and parked between calls; a worker
 * that the scheduler has not run by the time the caller ran out of work
 * stays out of the call, so threads never make a call slower. Measured on
 * the 2-core AVX2 VM attnviz is developed on (best of 60-300 calls, d = 64,
 * other jobs running): 2 threads gain 1.00x at n = 256, up to 1.83x at
 * 384, 1.85x at 512, 1.87x at 640, 1.96x at 1024 when the second core is
 * free (see README "Why attention parallelizes"). */
#define AV_FAST_MAX_THREADS 64
#ifndef AV_FAST_THREADS_MIN_N /* -D for measuring the threshold */
#define AV_FAST_THREADS_MIN_N 384
#endif

/* Stop and join the fast kernels' worker pool (it is also stopped at exit;
 * the next call that shares work starts a new one). */
void av_fast_release(void);
/* Threads of the worker pool now (the caller included), 0 when none. */
int av_fast_pool_threads(void);

/* Vector instruction sets the fast kernels have versions for, narrowest
 * first. The binary is built for plain x86-64; the versions are chosen at
 * run time by what the CPU has. */
typedef enum { AV_ISA_SCALAR, AV_ISA_AVX2, AV_ISA_AVX512, AV_ISA_COUNT } av_isa;

/* "scalar", "AVX2+FMA" or "AVX-512". */
const char *av_fast_isa_name(av_isa isa);
/* The widest set this CPU runs (AV_ISA_SCALAR off x86-64 GCC builds). */
av_isa av_fast_isa_supported(void);
/* The set the kernels use now: the widest supported, or less after
 * av_fast_set_isa. */
av_isa av_fast_isa(void);
/* Limit the kernels to limit (tests use it to run every path on a wide
 * CPU; AV_ISA_COUNT lifts the limit); returns the set now in use. Not to
 * be called while a kernel runs. */
av_isa av_fast_set_isa(av_isa limit);

/* Measured peak of this core in flop/s (an FMA counted as two) with the
 * widest FMA of isa (clamped to what the CPU runs): independent chains of
 * FMAs, enough to keep every FMA unit busy, best run within about seconds
 * of probing. */
double av_fast_fma_peak(av_isa isa, double seconds);

/* Alignment of every buffer av_fast_alloc returns, in bytes: a cache line
 * and an AVX-512 vector. */
#define AV_FAST_ALIGN 64

/* floats (>= 1) floats aligned to AV_FAST_ALIGN, for the workspaces and
 * arrays of the kernels below (they run on any alignment, fastest on
 * this); NULL when out of memory. Free with free(). */
float *av_fast_alloc(size_t floats);

/* True when the tile products run here: AVX2 + FMA or AVX-512 in use. */
bool av_fast_has_tiles(void);

/* C (M, N) = A (M, K) . B (K, N), row-major with row strides ldc, lda,
 * ldb: attnviz's tile product when it can run (N a multiple of 16),
 * cblas_sgemm otherwise. For measuring the tiles' rate next to OpenBLAS's
 * (strides that are multiples of 1024 floats slow the tiles down: L1 sets). */
void av_fast_gemm(float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M,
		  int N, int K);

/* y (len) = e^x (len), elementwise, vectorized. Relative error below 2e-7
 * for -87.3 <= x <= 88.3; e^-inf = 0, e^x = 0 below -87.34 (where expf
 * gives subnormals, under 1.2e-38), +inf above 88.38. y may equal x. */
void av_fast_expf(float *y, const float *x, int len);

/* y (len) = tanh(x) (len), elementwise, vectorized; y may equal x. Error
 * below 1e-6 relative. */
void av_fast_tanhf(float *y, const float *x, int len);

/* Floats of workspace av_fast_attn needs for n queries of size d on
 * threads threads. */
size_t av_fast_attn_workspace(int n, int d, int threads);

/* Z (n, d) = softmax(mask(Q K^T / sqrt(d))) V, the result of
 * av_attn_scores -> av_attn_apply_mask -> av_softmax_rows -> av_attn_output
 * under mask kind, computing only the key blocks the mask lets through.
 * Q, K, V (n, d); a fully masked row of Z is all zeros.
 * threads: on the tile path, strips run on up to that many threads of the
 * pool (one below AV_FAST_THREADS_MIN_N; the result does not depend on it); on
 * the cblas path OpenBLAS threads as openblas_set_num_threads said.
 * work: av_fast_attn_workspace(n, d, threads) floats. */
void av_fast_attn(float *Z, float *work, const float *Q, const float *K, const float *V,
		  av_mask_kind kind, int n, int d, int threads);

/* Floats of workspace av_fast_attn_forward needs. */
size_t av_fast_attn_forward_workspace(int n, int D, int d_head, int threads);

/* The whole forward pass of one head from its inputs: Q = X W_q,
 * K = X W_k, V = X W_v (one product for all three on the tile path, one
 * sgemm each otherwise), then av_fast_attn.
 * Z (n, d_head); X (n, D); W_q, W_k, W_v (D, d_head).
 * threads as for av_fast_attn.
 * work: av_fast_attn_forward_workspace(n, D, d_head, threads) floats. */
void av_fast_attn_forward(float *Z, float *work, const float *X, const float *W_q,
			  const float *W_k, const float *W_v, av_mask_kind kind, int n, int D,
			  int d_head, int threads);

/* Floats of workspace av_fast_rnn_forward needs (a line more than its
 * arrays: it starts them on a 64-byte line wherever work starts). */
size_t av_fast_rnn_workspace(int D, int H);

/* The RNN over all n positions: h_t = tanh(W_h h_{t-1} + W_e c_t + b),
 * h_0 = 0; the input projections W_e c_t are products over blocks of rows,
 * each followed by the recurrence through them: a tight loop of dependent
 * matrix-vector products (sums held in vector registers when the CPU has
 * AVX2 + FMA or AVX-512 and H is 16, 32, 64 or 128). Any alignment of the
 * arrays gives the same bits at about the same speed.
 * h (n, H): row t is h_{t+1}; X (n, D) rows c_t; W_e (H, D); W_h (H, H);
 * b (H). work: av_fast_rnn_workspace(D, H) floats. */
void av_fast_rnn_forward(float *h, float *work, const float *X, const float *W_e,
			 const float *W_h, const float *b, int n, int D, int H);

#endif
