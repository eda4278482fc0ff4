/* Fast RNN over a whole sequence: h_t = tanh(W_h h_{t-1} + W_e c_t + b).
 * The input projections have no dependency and are one product for all t;
 * the recurrence is a chain of n dependent (H, H) matrix-vector products,
 * too small for a BLAS call to pay off: at H = 64, n = 1024 the chain of
 * cblas_sgemv + tanhf calls (av_rnn_step) takes 1.7 ms here, this file
 * 0.2 ms. With AVX-512 and H = 16/32/64/128 the sums of W_h h stay in
 * registers; otherwise a loop over W_h^T that the compiler vectorizes. Both
 * end with the vectorized tanh of core/fast_math.h. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "attnviz/fast.h"

#include <cblas.h>

#include "fast_gemm.h"
#include "fast_math.h"

AV_CLONES
void av_fast_tanhf(float *y, const float *x, int len)
{
	for (int j = 0; j < len; j++)
		y[j] = av_tanh_lane(x[j]);
}

size_t av_fast_rnn_workspace(int D, int H)
{
	return (size_t)H * (size_t)H + (size_t)H + (size_t)D * (size_t)H;
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

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
/* With AVX-512 and H a multiple of 16 (up to 128), W_h h_{t-1} keeps its
 * H / 16 vectors of sums in registers, split into two partial sums (even
 * and odd j) so that twice as many FMAs are in flight; then the vectorized
 * tanh. pre (H) is scratch. */
/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
typedef float v16 __attribute__((vector_size(64), may_alias, aligned(4)));
#define LOAD(p) (*(const v16 *)(const void *)(p))
#define STORE(p, v) (*(v16 *)(void *)(p) = (v))
#define RNN_V(NV)                                                                     \
	__attribute__((target("avx512f,fma"))) static void rnn_recur_v##NV(            \
		float *h, const float *WhT, const float *b, float *pre, int n)         \
	{                                                                             \
		const int H = 16 * NV;                                                \
		for (int t = 0; t < n; t++) {                                         \
			float *ht = h + (size_t)t * H;                                \
			v16 a[NV], c[NV];                                             \
			for (int v = 0; v < NV; v++) {                                \
				a[v] = LOAD(ht + 16 * v) + LOAD(b + 16 * v);          \
				c[v] = (v16){ 0 };                                    \
			}                                                             \
			if (t > 0) {                                                  \
				const float *hp = ht - H;                             \
				for (int j = 0; j < H; j += 2) {                      \
					const float *w0 = WhT + (size_t)j * H, *w1 = w0 + H; \
					float x0 = hp[j], x1 = hp[j + 1];             \
					for (int v = 0; v < NV; v++) {                \
						a[v] += x0 * LOAD(w0 + 16 * v);       \
						c[v] += x1 * LOAD(w1 + 16 * v);       \
					}                                             \
				}                                                     \
			}                                                             \
			for (int v = 0; v < NV; v++)                                  \
				STORE(pre + 16 * v, a[v] + c[v]);                     \
			av_fast_tanhf(ht, pre, H);                                    \
		}                                                                     \
	}
RNN_V(1)
RNN_V(2)
RNN_V(4)
RNN_V(8)
/* AV_TILES_EXCL_STOP */

/* The register kernel for H, or NULL. */
static void (*rnn_recur_vec(int H))(float *, const float *, const float *, float *, int)
{
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx512f"))
		return NULL;
	/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
	switch (H) {
	case 16: return rnn_recur_v1;
	case 32: return rnn_recur_v2;
	case 64: return rnn_recur_v4;
	case 128: return rnn_recur_v8;
	default: return NULL;
	}
	/* AV_TILES_EXCL_STOP */
}
#else
static void (*rnn_recur_vec(int H))(float *, const float *, const float *, float *, int)
{
	(void)H;
	return NULL;
}
#endif

void av_fast_rnn_forward(float *h, float *work, const float *X, const float *W_e,
			 const float *W_h, const float *b, int n, int D, int H)
{
	if (n <= 0)
		return;
	float *WhT = work;                             /* (H, H) */
	float *acc = work + (size_t)H * H;             /* (H) */
	float *WeT = acc + H;                          /* (D, H) */
	for (int i = 0; i < H; i++)
		for (int j = 0; j < H; j++)
			WhT[(size_t)j * H + i] = W_h[(size_t)i * H + j];
	/* h (n, H) = X (n, D) . W_e^T: row t is W_e c_t */
	void (*vec)(float *, const float *, const float *, float *, int) = rnn_recur_vec(H);
	if (vec) { /* the AVX-512 tiles, whole 4-row tiles; the last rows by hand */
		/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
		for (int i = 0; i < H; i++)
			for (int k = 0; k < D; k++)
				WeT[(size_t)k * H + i] = W_e[(size_t)i * D + k];
		int n4 = n / AV_GEMM_MR * AV_GEMM_MR;
		if (n4 > 0)
			av_gemm16_nn(h, H, X, D, WeT, H, n4, H, D);
		for (int t = n4; t < n; t++)
			for (int i = 0; i < H; i++) {
				float s = 0.0f;
				for (int k = 0; k < D; k++)
					s += X[(size_t)t * D + k] * WeT[(size_t)k * H + i];
				h[(size_t)t * H + i] = s;
			}
		vec(h, WhT, b, acc, n);
		/* AV_TILES_EXCL_STOP */
	} else {
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, H, D, 1.0f, X, D, W_e, D,
			    0.0f, h, H);
		rnn_recur(h, WhT, b, acc, n, H);
	}
}
