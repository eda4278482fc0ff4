/* Internal to the fast kernels: an e^x and a tanh written as straight-line
 * float arithmetic and selects, so that GCC vectorizes the loops that call
 * them (a call to libm's expf would keep a loop scalar). No -ffast-math:
 * -inf and the range ends are handled by explicit selects. */
#ifndef ATTNVIZ_CORE_FAST_MATH_H
#define ATTNVIZ_CORE_FAST_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Every file that includes this one starts with
 *   #pragma GCC optimize("O3", "no-trapping-math")
 * so that its loops are vectorized whatever the build's -O level. Without
 * -fno-trapping-math GCC will not turn the selects below into vector blends
 * (a compare could raise an FP exception flag); it changes no computed
 * value, unlike -ffast-math, which we never use: -inf, NaN and signed zeros
 * keep their IEEE meaning. With GCC on x86-64 Linux the hot loops are also
 * compiled for AVX-512 and for AVX2 + FMA and picked at load time by what the CPU has
 * (target_clones); sanitizer builds keep one plain version (an ifunc
 * resolver runs before the sanitizer's runtime is ready). The helpers are
 * always inlined so that each clone gets them for its own target. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
	!defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define AV_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define AV_CLONES
#endif
#if defined(__GNUC__)
#define AV_INLINE __attribute__((always_inline)) static inline
#else
#define AV_INLINE static inline
#endif

#define AV_EXP_LO (-87.3365478515625f) /* ln(FLT_MIN), rounded up */
#define AV_EXP_HI 88.3762626647949f     /* largest x with 2^round(x/ln2) finite */

AV_INLINE float av_bits_to_float(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* e^x by range reduction x = k ln2 + r, |r| <= ln2/2, and the Cephes
 * degree-7 polynomial for e^r (relative error about 1.2e-7), times 2^k
 * built in the exponent bits. */
AV_INLINE float av_exp_lane(float x)
{
	float xc = x < AV_EXP_LO ? AV_EXP_LO : x;
	xc = xc > AV_EXP_HI ? AV_EXP_HI : xc;
	/* k = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer. */
	const float shifter = 12582912.0f;
	float kf = (xc * 1.44269504088896341f + shifter) - shifter;
	float r = xc - kf * 0.693359375f;
	r = r - kf * -2.12194440e-4f;
	float p = 1.9875691500e-4f;
	p = p * r + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * (r * r) + r + 1.0f;
	int32_t k = (int32_t)kf;
	float scale = av_bits_to_float((uint32_t)(k + 127) << 23);
	float y = p * scale;
	y = x < AV_EXP_LO ? 0.0f : y;
	y = x > AV_EXP_HI ? INFINITY : y;
	return y;
}

/* e^x for x <= 0 only (a softmax's score minus its row max), the lean
 * version of av_exp_lane: no upper range, x below AV_EXP_LO gives
 * e^AV_EXP_LO (about 1.2e-38, where e^x would be a subnormal or 0: nothing a
 * sum of weights that includes e^0 = 1 can tell apart), 2^k taken from the
 * rounding constant's own bits, and a degree-6 Taylor polynomial on
 * |r| <= ln2/2 (truncation below 1.7e-7 relative). About 15 vector
 * operations against 25: the softmax's exps cost as much as a fifth of
 * attention's time on AVX2. */
AV_INLINE float av_exp_neg_lane(float x)
{
	float xc = x > AV_EXP_LO ? x : AV_EXP_LO; /* one max instruction */
	const float shifter = 12582912.0f; /* 1.5 * 2^23: k lands in the low bits */
	float ks = xc * 1.44269504088896341f + shifter;
	float kf = ks - shifter;
	float r = xc - kf * 0.693359375f;
	r = r - kf * -2.12194440e-4f;
	float p = 1.0f / 720.0f;
	p = p * r + 1.0f / 120.0f;
	p = p * r + 1.0f / 24.0f;
	p = p * r + 1.0f / 6.0f;
	p = p * r + 0.5f;
	p = p * r + 1.0f;
	p = p * r + 1.0f;
	uint32_t kbits;
	memcpy(&kbits, &ks, sizeof kbits); /* 0x4B400000 + k */
	float scale = av_bits_to_float((kbits - 0x4B400000u + 127u) << 23);
	return p * scale;
}

/* tanh(x) = x P(x^2) / Q(x^2), P of degree 5 and Q of degree 3 in x^2,
 * fitted on |x| <= 9 for the least largest relative error (6e-8 in exact
 * arithmetic, below 3e-7 in float: measured against tanh in double on
 * 600,000 points); +-1 from |x| = 9 on (tanh 9 = 1 - 3e-8), where x^2
 * would make P overflow. From about 7.97 the fit rounds to 1 + 2^-23 at
 * some points: it is clamped to +-1 (a tanh is never above 1 in size;
 * the comparisons keep NaN, where fminf would not). P(0) = Q(0) = 1: tiny x give x itself; NaN stays NaN. 14 vector
 * operations in a chain of about 40 cycles, which the RNN waits on every
 * step; the formula before it, sign(x) (1 - e) / (1 + e) with
 * e = e^{-2|x|} by av_exp_neg_lane, took about 30 and 70. */
AV_INLINE float av_tanh_lane(float x)
{
	float s = x * x;
	float p = 1.84206626e-11f;
	p = p * s + -1.28549456e-08f;
	p = p * s + 9.29567705e-06f;
	p = p * s + 2.92416196e-03f;
	p = p * s + 0.129225284f;
	p = p * s + 1.0f;
	float q = 2.28551289e-04f;
	q = q * s + 2.37774793e-02f;
	q = q * s + 0.46255827f;
	q = q * s + 1.0f;
	float y = x * p / q;
	y = y > 1.0f ? 1.0f : y;
	y = y < -1.0f ? -1.0f : y;
	return fabsf(x) >= 9.0f ? copysignf(1.0f, x) : y;
}

/* Independent accumulators of the fast kernels' max and sum reductions:
 * enough for the vectorizer to keep several vectors in flight (no
 * reassociation needed). */
#define AV_LANES 32

/* Largest of row (len >= 1), in AV_LANES running maxima. */
AV_INLINE float av_row_max(const float *row, int len)
{
	float acc[AV_LANES];
	int j = 0;
	float m = row[0];
	if (len >= AV_LANES) {
		for (int k = 0; k < AV_LANES; k++)
			acc[k] = row[k];
		for (j = AV_LANES; j + AV_LANES <= len; j += AV_LANES)
			for (int k = 0; k < AV_LANES; k++)
				acc[k] = row[j + k] > acc[k] ? row[j + k] : acc[k];
		for (int k = 0; k < AV_LANES; k++)
			m = acc[k] > m ? acc[k] : m;
	}
	for (; j < len; j++)
		m = row[j] > m ? row[j] : m;
	return m;
}

#endif
