/* Fast RNN over a whole sequence: h_t = tanh(W_h h_{t-1} + W_e c_t + b).
 * The input projections have no dependency and are tile products over
 * blocks of rows; the recurrence is a chain of n dependent (H, H)
 * matrix-vector products, too small for a BLAS call to pay off: at H = 64,
 * n = 1024 the chain of cblas_sgemv + tanhf calls (av_rnn_step) takes
 * 1.7 ms here, this file about 0.2 ms. With AVX2 + FMA or AVX-512 and
 * H = 16/32/64/128 the sums of W_h h stay in registers; otherwise a loop
 * over W_h^T that the compiler vectorizes. Both end with the rational tanh
 * of core/fast_math.h, whose latency is on the chain.
 * On AVX2 the projections are not computed inside the chain's loop: each
 * needs about 8 accumulators to keep 2 FMA units of 4 cycles' latency busy,
 * and 8 + 8 plus the broadcasts do not fit in 16 registers (tried: with 4
 * accumulators the projection's own chains made the step a third slower). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "attnviz/fast.h"

#include <cblas.h>
#include <stdint.h>

#include "fast_gemm.h"
#include "fast_math.h"

AV_CLONES
void av_fast_tanhf(float *y, const float *x, int len)
{
	for (int j = 0; j < len; j++)
		y[j] = av_tanh_lane(x[j]);
}

/* Floats, rounded up to a whole number of 64-byte lines. */
static size_t lines(size_t floats)
{
	return (floats + 15) / 16 * 16;
}

size_t av_fast_rnn_workspace(int D, int H)
{
	/* W_h^T, pre, b, W_e^T, and a line's worth to start them on a line */
	return lines((size_t)H * (size_t)H) + 2 * lines((size_t)H) + (size_t)D * (size_t)H + 16;
}

/* h (n, H) holds W_e c_t in row t on entry and h_{t+1} on return.
 * WhT (H, H) is W_h transposed, so that W_h h = sum_j h[j] WhT[j][:] runs
 * along contiguous rows; acc (H) is scratch. */
AV_CLONES
static void rnn_recur(float *restrict h, const float *restrict WhT, const float *restrict b,
		      float *restrict acc, int n, int H)
{
	for (int t = 0; t < n; t++) {
		float *ht = h + (size_t)t * H;
		for (int i = 0; i < H; i++)
			acc[i] = ht[i] + b[i];
		if (t > 0) {
			const float *hp = ht - H; /* h_{t-1} */
			int j = 0;
			for (; j + 4 <= H; j += 4) {
				const float *w0 = WhT + (size_t)j * H, *w1 = w0 + H, *w2 = w1 + H,
					    *w3 = w2 + H;
				float a0 = hp[j], a1 = hp[j + 1], a2 = hp[j + 2], a3 = hp[j + 3];
				for (int i = 0; i < H; i++)
					acc[i] = acc[i] + a0 * w0[i] + a1 * w1[i] + a2 * w2[i] +
						 a3 * w3[i];
			}
			for (; j < H; j++) {
				const float *w = WhT + (size_t)j * H;
				float a = hp[j];
				for (int i = 0; i < H; i++)
					acc[i] += a * w[i];
			}
		}
		for (int i = 0; i < H; i++)
			ht[i] = av_tanh_lane(acc[i]);
	}
}

typedef void rnn_kernel_fn(float *, const float *, const float *, float *, int, int);
/* A register kernel and the panel width (G W) it wants W_h^T in (no kernel
 * without GCC on x86-64: the #else below). */
typedef struct {
	rnn_kernel_fn *fn;
	int panel;
} rnn_kernel;

#if defined(__GNUC__) && defined(__x86_64__)
/* With AVX2 + FMA or AVX-512 and H = 16, 32, 64 or 128, W_h h_{t-1} keeps
 * its sums in registers: G vectors of outputs at a time (all of them when
 * they fit), each split into P partial sums over alternate j, so that at
 * least 8 FMAs are independent (2 FMA units x 4 cycles of latency) while
 * the accumulators fit in the register file; then the tanh, vectorized for
 * the same target. Steps t0 .. t1 - 1 (h_0 = 0 at t = 0): row t of h holds
 * W_e c_t on entry and h_{t+1} on return; pre (H) is scratch. The chain's
 * floor is H^2 / (2 W) cycles a step (the FMAs, W floats each, two a cycle).
 * WhT is W_h^T in panels of G W columns, each panel H rows of G W floats
 * one after the other, so that a group streams through memory in order.
 * When W_h^T (64 KB at H = 128) does not fit in L1 (ZZ), every other step
 * walks the groups and j backwards: the lines read last, still in L1, are
 * read first (no software prefetch: the hardware's keeps up; one 8
 * or 16 rows ahead measured the same or slower). */
typedef float v8 __attribute__((vector_size(32), may_alias, aligned(4)));
typedef float v16 __attribute__((vector_size(64), may_alias, aligned(4)));
#define RNN_KERNEL(NAME, V, W, TGT, H, G, P, ZZ)                                        \
	__attribute__((target(TGT))) static void NAME(float *restrict h,                \
						      const float *restrict WhT,        \
						      const float *restrict b,          \
						      float *restrict pre, int t0,      \
						      int t1)                           \
	{                                                                              \
		enum { NG = H / W / G, GW = G * W }; /* NG groups of G vectors */      \
		for (int t = t0; t < t1; t++) {                                        \
			float *ht = h + (size_t)t * H;                                 \
			const float *hp = ht - H; /* h_{t-1} */                        \
			int back = ZZ && (t & 1); /* this step walks W_h^T backwards */ \
			for (int gi = 0; gi < NG; gi++) {                              \
				int g = back ? NG - 1 - gi : gi, g0 = g * G;           \
				const float *panel = WhT + (size_t)g * H * GW;         \
				V a[P][G];                                             \
				for (int v = 0; v < G; v++) {                          \
					a[0][v] = *(const V *)(ht + W * (g0 + v)) +    \
						  *(const V *)(b + W * (g0 + v));      \
					for (int p = 1; p < P; p++)                    \
						a[p][v] = (V){ 0 };                    \
				}                                                      \
				if (t > 0)                                             \
					for (int jj = 0; jj < H; jj += P) {            \
						int j = back ? H - P - jj : jj;        \
						for (int p = 0; p < P; p++) {          \
							const float *w = panel + (size_t)(j + p) * GW; \
							V x = hp[j + p] - (V){ 0 };    \
							for (int v = 0; v < G; v++)    \
								a[p][v] += x * *(const V *)(w + W * v); \
						}                                      \
					}                                              \
				for (int v = 0; v < G; v++) {                          \
					for (int p = 1; p < P; p++)                    \
						a[0][v] += a[p][v];                    \
					*(V *)(pre + W * (g0 + v)) = a[0][v];          \
				}                                                      \
				/* this group's tanh overlaps the next group's FMAs */ \
				for (int i = W * g0; i < W * (g0 + G); i++)            \
					ht[i] = av_tanh_lane(pre[i]);                 \
			}                                                              \
		}                                                                      \
	}
/* AVX2: 16 registers, at most 8 accumulators plus the row and the broadcast. */
RNN_KERNEL(rnn_avx2_16, v8, 8, "avx2,fma", 16, 2, 4, 0)
RNN_KERNEL(rnn_avx2_32, v8, 8, "avx2,fma", 32, 4, 2, 0)
RNN_KERNEL(rnn_avx2_64, v8, 8, "avx2,fma", 64, 8, 1, 0)
RNN_KERNEL(rnn_avx2_128, v8, 8, "avx2,fma", 128, 8, 1, 1)
/* AVX-512: 32 registers, up to 16 accumulators. */
RNN_KERNEL(rnn_avx512_16, v16, 16, "avx512f", 16, 1, 8, 0) /* AV_TILES_EXCL_LINE: AVX-512 only */
RNN_KERNEL(rnn_avx512_32, v16, 16, "avx512f", 32, 2, 4, 0) /* AV_TILES_EXCL_LINE: AVX-512 only */
RNN_KERNEL(rnn_avx512_64, v16, 16, "avx512f", 64, 4, 2, 0) /* AV_TILES_EXCL_LINE: AVX-512 only */
RNN_KERNEL(rnn_avx512_128, v16, 16, "avx512f", 128, 8, 2, 1) /* AV_TILES_EXCL_LINE: AVX-512 only */

/* The register kernel for H on the instruction set in use; fn NULL and
 * panel H (plain W_h^T) when there is none. */
static rnn_kernel rnn_recur_vec(int H)
{
	static const rnn_kernel avx2[] = { { rnn_avx2_16, 16 }, { rnn_avx2_32, 32 },
					   { rnn_avx2_64, 64 }, { rnn_avx2_128, 64 } };
	static const rnn_kernel avx512[] = { { rnn_avx512_16, 16 }, { rnn_avx512_32, 32 },
					     { rnn_avx512_64, 64 }, { rnn_avx512_128, 128 } };
	int k = H == 16 ? 0 : H == 32 ? 1 : H == 64 ? 2 : H == 128 ? 3 : -1;
	switch (k < 0 ? AV_ISA_SCALAR : av_fast_isa()) {
	case AV_ISA_AVX512: return avx512[k]; /* AV_TILES_EXCL_LINE: AVX-512 only */
	case AV_ISA_AVX2: return avx2[k];
	default: return (rnn_kernel){ NULL, H };
	}
}
#else
static rnn_kernel rnn_recur_vec(int H)
{
	return (rnn_kernel){ NULL, H };
}
#endif

void av_fast_rnn_forward(float *h, float *work, const float *X, const float *W_e,
			 const float *W_h, const float *b, int n, int D, int H)
{
	if (n <= 0)
		return;
	/* Every array on a 64-byte line of its own wherever work starts: the
	 * kernels' loads of W_h^T, W_e^T and b never straddle two lines. */
	work = (float *)(((uintptr_t)work + AV_FAST_ALIGN - 1) & ~(uintptr_t)(AV_FAST_ALIGN - 1));
	float *WhT = work;                                 /* (H, H) */
	float *pre = WhT + lines((size_t)H * H);           /* (H) */
	float *bb = pre + lines((size_t)H);                /* (H) */
	float *WeT = bb + lines((size_t)H);                /* (D, H) */
	rnn_kernel vec = rnn_recur_vec(H);
	av_gemm_fn *gemm = av_gemm_tiles(av_fast_isa());
	if (!gemm)
		vec = (rnn_kernel){ NULL, H };
	size_t pw = (size_t)vec.panel; /* W_h^T in panels of pw columns */
	for (int i = 0; i < H; i++)
		for (int j = 0; j < H; j++)
			WhT[(size_t)i / pw * H * pw + (size_t)j * pw + (size_t)i % pw] =
				W_h[(size_t)i * H + j];
	for (int i = 0; i < H; i++)
		bb[i] = b[i];
	if (vec.fn) {
		for (int i = 0; i < H; i++)
			for (int k = 0; k < D; k++)
				WeT[(size_t)k * H + i] = W_e[(size_t)i * D + k];
		/* Blocks of rows: W_e c_t for the block's t by the tile product,
		 * then the chain through them, while X's and h's rows are still in
		 * L2 (at n = 4096, d = 128 they are 2 MiB each). */
		int rows = 32768 / (D + H) < 16 ? 16 : 32768 / (D + H);
		for (int t0 = 0; t0 < n; t0 += rows) {
			int t1 = n - t0 < rows ? n : t0 + rows;
			gemm(h + (size_t)t0 * H, H, X + (size_t)t0 * D, D, WeT, H, t1 - t0, H, D,
			     false);
			vec.fn(h, WhT, bb, pre, t0, t1);
		}
	} else {
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, D, 1.0f, X, D, W_e, D,
			    0.0f, h, H);
		rnn_recur(h, WhT, bb, pre, n, H);
	}
}
