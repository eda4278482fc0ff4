/* Which vector instructions the fast kernels use, chosen at run time: the
 * binary is built for plain x86-64 (never -march=native) and carries
 * AVX-512 and AVX2 + FMA versions of its hot loops behind GCC target
 * attributes; this file asks the CPU once which of them may run, lets tests
 * force a narrower set (so that every path is tested on a wide machine), and
 * measures the FMA peak of the core it runs on for attnviz bench. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O2", "fp-contract=fast") /* x * m + a is one FMA */
#endif
#include "attnviz/fast.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#if defined(__GNUC__) && defined(__x86_64__)
#define HAVE_X86_VEC 1
#else
#define HAVE_X86_VEC 0
#endif

static const char *const isa_names[AV_ISA_COUNT] = { "scalar", "AVX2+FMA", "AVX-512" };

const char *av_fast_isa_name(av_isa isa)
{
	return isa >= 0 && isa < AV_ISA_COUNT ? isa_names[isa] : "?";
}

av_isa av_fast_isa_supported(void)
{
#if HAVE_X86_VEC
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f"))
		return AV_ISA_AVX512; /* AV_TILES_EXCL_LINE: AVX-512 only */
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return AV_ISA_AVX2;
#endif
	return AV_ISA_SCALAR;
}

/* -1: not chosen yet (the widest supported). */
static atomic_int isa_limit = -1;

av_isa av_fast_isa(void)
{
	int limit = atomic_load_explicit(&isa_limit, memory_order_relaxed);
	av_isa have = av_fast_isa_supported();
	return limit >= 0 && limit < (int)have ? (av_isa)limit : have;
}

av_isa av_fast_set_isa(av_isa limit)
{
	atomic_store(&isa_limit, (int)limit);
	return av_fast_isa();
}

/* ---- FMA peak probe ------------------------------------------------------ */

/* CPU time of this thread: a busy machine that takes the core away for a
 * while does not count against the probe. */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* (noipa: without it GCC may see a probe as a pure function and move the
 * call out of the timed region.) Each probe runs CHAINS independent chains x = x * m + a for iters steps
 * and returns the sum of the chains (so that nothing is optimized away).
 * With more chains than FMA units times FMA latency (2 x 4 on current x86
 * cores) the units never wait: the rate is the peak. m is just below 1 and
 * a small, so the chains converge and stay finite and normal. */
#define CHAINS 12
/* The chains as named variables (an array could live in memory). */
#define CHAIN_DECL(V, INIT)                                                         \
	V x0 = INIT(0), x1 = INIT(1), x2 = INIT(2), x3 = INIT(3), x4 = INIT(4),      \
	  x5 = INIT(5), x6 = INIT(6), x7 = INIT(7), x8 = INIT(8), x9 = INIT(9),      \
	  x10 = INIT(10), x11 = INIT(11)
#define CHAIN_STEP(m, a)                                                            \
	do {                                                                        \
		x0 = x0 * m + a, x1 = x1 * m + a, x2 = x2 * m + a, x3 = x3 * m + a;  \
		x4 = x4 * m + a, x5 = x5 * m + a, x6 = x6 * m + a, x7 = x7 * m + a;  \
		x8 = x8 * m + a, x9 = x9 * m + a, x10 = x10 * m + a;                 \
		x11 = x11 * m + a;                                                  \
	} while (0)
#define CHAIN_SUM() (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11)

#define SCALAR_INIT(c) ((float)(c))
__attribute__((noipa)) static float probe_scalar(long iters, float m, float a)
{
	CHAIN_DECL(float, SCALAR_INIT);
	for (long i = 0; i < iters; i++)
		CHAIN_STEP(m, a);
	return CHAIN_SUM();
}

#if HAVE_X86_VEC
typedef float v8 __attribute__((vector_size(32)));
typedef float v16 __attribute__((vector_size(64)));

#define VEC_INIT(c) ((float)(c) - zero)
#define PROBE(NAME, V, TGT)                                                        \
	__attribute__((target(TGT), noipa)) static float NAME(long iters, float m, float a) \
	{                                                                         \
		V zero = { 0 };                                                   \
		V mv = m - zero, av = a - zero;                                   \
		CHAIN_DECL(V, VEC_INIT);                                          \
		for (long i = 0; i < iters; i++)                                  \
			CHAIN_STEP(mv, av);                                       \
		V s = CHAIN_SUM();                                                \
		float t = 0.0f;                                                   \
		for (unsigned k = 0; k < sizeof(V) / sizeof(float); k++)          \
			t += s[k];                                                \
		return t;                                                         \
	}
PROBE(probe_avx2, v8, "avx2,fma")
PROBE(probe_avx512, v16, "avx512f") /* AV_TILES_EXCL_LINE: AVX-512 only */
#endif

__attribute__((noipa)) static float probe_run(av_isa isa, long iters, float m, float a)
{
#if HAVE_X86_VEC
	if (isa == AV_ISA_AVX512)
		return probe_avx512(iters, m, a); /* AV_TILES_EXCL_LINE: AVX-512 only */
	if (isa == AV_ISA_AVX2)
		return probe_avx2(iters, m, a);
#endif
	(void)isa;
	return probe_scalar(iters, m, a);
}

/* Float lanes of one FMA instruction. */
static int isa_lanes(av_isa isa)
{
	return isa == AV_ISA_AVX512 ? 16 : isa == AV_ISA_AVX2 ? 8 : 1;
}

double av_fast_fma_peak(av_isa isa, double seconds)
{
	if (isa > av_fast_isa_supported())
		isa = av_fast_isa_supported();
	/* Grow the step count until one run lasts a tenth of the budget, then
	 * keep the best of the runs that fit in it (a busy machine only slows
	 * a run down, never speeds it up). */
	volatile float sink = 0.0f;
	long iters = 1000;
	double t;
	for (;;) {
		double t0 = now_s();
		sink = sink + probe_run(isa, iters, 0.999f, 1e-3f);
		t = now_s() - t0;
		if (t >= seconds / 10.0 || iters > (1L << 40))
			break;
		iters *= t > 0 ? (long)(seconds / 10.0 / t) + 2 : 10;
	}
	double best = t, spent = t;
	while (spent < seconds) {
		double t0 = now_s();
		sink = sink + probe_run(isa, iters, 0.999f, 1e-3f);
		double dt = now_s() - t0;
		best = dt < best ? dt : best;
		spent += dt;
	}
	(void)sink;
	return best > 0 ? 2.0 * CHAINS * isa_lanes(isa) * (double)iters / best : 0.0;
}

/* ---- aligned workspaces -------------------------------------------------- */

float *av_fast_alloc(size_t floats)
{
	if (floats == 0)
		floats = 1;
	if (floats > (SIZE_MAX - AV_FAST_ALIGN) / sizeof(float))
		return NULL;
	/* aligned_alloc wants a size that is a multiple of the alignment. */
	size_t bytes = (floats * sizeof(float) + AV_FAST_ALIGN - 1) / AV_FAST_ALIGN * AV_FAST_ALIGN;
	return aligned_alloc(AV_FAST_ALIGN, bytes);
}
