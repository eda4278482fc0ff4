/* The fast paths of the compute core, for long sequences (attnviz bench).
 * They compute the same numbers as the naive kernels of attention.h and
 * rnn.h (tests/check_fast.c holds them to 1e-5 relative) without the n x n
 * matrices: attention walks the queries in strips of AV_FAST_BLOCK rows and
 * computes, for each strip, only the keys some row of it may see, so under a
 * causal mask the blocks above the diagonal are never computed. When d is a
 * multiple of 16 and the CPU has AVX-512, the products run on attnviz's own
 * register tiles (core/fast_gemm.c), otherwise on cblas_sgemm. No kernel
 * allocates: the caller gives a workspace of the size the *_workspace
 * function returns, once, outside any timed loop. Kernels are out-first. */
#ifndef ATTNVIZ_FAST_H
#define ATTNVIZ_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/mask.h"

/* Query rows per strip. */
#define AV_FAST_BLOCK 64
/* Most threads av_fast_attn uses, and the shortest input it shares among
 * threads (below, starting a thread costs more than it saves: about 55 us
 * on the 2-core VM attnviz is developed on, where 2 threads gain 1.1x at
 * n = 768, 1.3x at 1024, 1.6x at 2048, 1.7x at 4096). */
#define AV_FAST_MAX_THREADS 64
#define AV_FAST_THREADS_MIN_N 768

/* True when this CPU runs the AVX-512 tile products (x86-64 GCC build). */
bool av_fast_has_tiles(void);

/* C (M, N) = A (M, K) . B (K, N), row-major with row strides ldc, lda,
 * ldb: attnviz's tile product when it can run (M a multiple of 4, N of 16),
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
 * threads: on the tile path, strips run on up to that many POSIX threads
 * (one below AV_FAST_THREADS_MIN_N; the result does not depend on it); on
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

/* Floats of workspace av_fast_rnn_forward needs. */
size_t av_fast_rnn_workspace(int D, int H);

/* The RNN over all n positions: h_t = tanh(W_h h_{t-1} + W_e c_t + b),
 * h_0 = 0; the input projections W_e c_t of every t are one product, the
 * recurrence is a tight loop of n dependent matrix-vector products (sums
 * held in AVX-512 registers when the CPU has them and H is 16, 32, 64 or
 * 128).
 * h (n, H): row t is h_{t+1}; X (n, D) rows c_t; W_e (H, D); W_h (H, H);
 * b (H). work: av_fast_rnn_workspace(D, H) floats. */
void av_fast_rnn_forward(float *h, float *work, const float *X, const float *W_e,
			 const float *W_h, const float *b, int n, int D, int H);

#endif
