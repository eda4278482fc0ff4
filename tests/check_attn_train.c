/* The fast attention layer at training time (core/attn_train.c) against its
 * naive twins (core/attn_layer.c): Z, dX and dW to 1e-5 relative for every
 * mask kind, n around the block size (1, 2, 15, 16, 17, 63, 64, 65, 200,
 * 300), heads 1 and 2, head sizes 8, 16 (and 64 where n is short enough for
 * the naive reference), on every instruction-set path the CPU runs (tiles and
 * cblas); fully masked rows; any buffer alignment; repeated calls on a cache
 * left dirty by a longer sentence (attnviz train reuses one cache). */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attn_layer.h"
#include "attnviz/fast.h"
#include "attnviz/mask.h"
#include "attnviz/rng.h"

#define TOL 1e-5f

static const int sizes[] = { 1, 2, 15, 16, 17, 63, 64, 65, 200, 300 };
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))

static float *alloc_floats(size_t count)
{
	float *p = malloc(sizeof(float) * (count ? count : 1));
	ck_assert_ptr_nonnull(p);
	return p;
}

static void fill_random(float *x, size_t count, uint64_t seed, float scale)
{
	av_rng r = av_rng_stream(seed, "check_attn_train");
	for (size_t i = 0; i < count; i++)
		x[i] = av_rng_symmetric(&r, scale);
}

/* Relative to the reference's own size: |a - b| <= tol * max(|b|, max|ref|)
 * over the whole array (the normwise error of a matrix product: an element
 * that cancels to near 0 is held to the array's scale), and never NaN. */
static void assert_close(const float *got, const float *want, size_t count, const char *what,
			 int mask, int n, int D, int heads)
{
	float scale = 0.0f;
	for (size_t i = 0; i < count; i++)
		scale = fmaxf(scale, fabsf(want[i]));
	for (size_t i = 0; i < count; i++) {
		float lim = TOL * fmaxf(fabsf(want[i]), scale);
		/* ck_assert only on failure: Check records every assertion it
		 * passes (a write each), which is slow under valgrind */
		if (!(isfinite(got[i]) && fabsf(got[i] - want[i]) <= lim))
			ck_abort_msg("%s mask %d n=%d D=%d heads=%d: element %zu: fast %.9g vs "
				     "naive %.9g",
				     what, mask, n, D, heads, i, (double)got[i], (double)want[i]);
	}
}

/* One training pass's inputs and outputs for n tokens, D = heads dh. */
typedef struct {
	int n, D, heads;
	float *X, *W, *dZ;      /* (n, D), (heads, 3, D, dh), (n, D) */
	float *Z, *dX, *dW;     /* outputs */
	float *cache, *scratch; /* av_attn_layer_cache_size, _scratch_size */
} pass;

static void pass_init(pass *p, int n, int D, int heads)
{
	p->n = n, p->D = D, p->heads = heads;
	size_t nD = (size_t)n * D, W = 3 * (size_t)D * D;
	p->X = alloc_floats(nD), p->dZ = alloc_floats(nD), p->W = alloc_floats(W);
	p->Z = alloc_floats(nD), p->dX = alloc_floats(nD), p->dW = alloc_floats(W);
	p->cache = alloc_floats(av_attn_layer_cache_size(n, D, heads));
	p->scratch = alloc_floats(av_attn_layer_scratch_size(n, D, heads));
	fill_random(p->X, nD, 1000 + (uint64_t)n, 1.0f);
	fill_random(p->dZ, nD, 2000 + (uint64_t)n, 1.0f);
	fill_random(p->W, W, 3000 + (uint64_t)D, 0.9f); /* scores of a few units */
}

static void pass_free(pass *p)
{
	float *all[] = { p->X, p->W, p->dZ, p->Z, p->dX, p->dW, p->cache, p->scratch };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

/* Forward then backward, gradients started from a nonzero dX, dW (the
 * kernels add to them). */
static void pass_run(pass *p, av_mask_kind mask, int naive)
{
	size_t nD = (size_t)p->n * p->D, W = 3 * (size_t)p->D * p->D;
	fill_random(p->dX, nD, 4, 0.5f);
	fill_random(p->dW, W, 5, 0.5f);
	(naive ? av_attn_layer_forward_naive : av_attn_layer_forward)(
		p->Z, p->cache, p->X, p->W, mask, p->n, p->D, p->heads);
	(naive ? av_attn_layer_backward_naive : av_attn_layer_backward)(
		p->dX, p->dW, p->scratch, p->dZ, p->cache, p->X, p->W, mask, p->n, p->D, p->heads);
}

static void assert_pass_close(const pass *got, const pass *want, int mask)
{
	size_t nD = (size_t)got->n * got->D, W = 3 * (size_t)got->D * got->D;
	assert_close(got->Z, want->Z, nD, "Z", mask, got->n, got->D, got->heads);
	assert_close(got->dX, want->dX, nD, "dX", mask, got->n, got->D, got->heads);
	assert_close(got->dW, want->dW, W, "dW", mask, got->n, got->D, got->heads);
}

/* Loop index _i: the mask kind. Every n, heads and head size against the
 * naive twins, on every instruction set this CPU runs (the reference is
 * computed once per shape). */
START_TEST(fast_matches_naive)
{
	av_mask_kind mask = (av_mask_kind)_i;
	static const int head_sizes[] = { 8, 16, 64 };
	av_isa top = av_fast_isa_supported();
	for (int s = 0; s < N_SIZES; s++)
		for (int heads = 1; heads <= 2; heads++)
			for (int h = 0; h < 3; h++) {
				int n = sizes[s], D = heads * head_sizes[h];
				if (head_sizes[h] == 64 && heads == 2 && n > 65)
					continue; /* the naive twin's cost; heads 1 covers it */
				pass want, got;
				pass_init(&want, n, D, heads);
				pass_init(&got, n, D, heads);
				pass_run(&want, mask, 1);
				for (int isa = 0; isa <= (int)top; isa++) {
					av_fast_set_isa((av_isa)isa);
					pass_run(&got, mask, 0);
					assert_pass_close(&got, &want, _i);
				}
				av_fast_set_isa(AV_ISA_COUNT);
				pass_free(&want);
				pass_free(&got);
			}
}
END_TEST

/* The strict mask's row 0 sees no key: Z row 0 is exactly 0 and its
 * gradient through the attention is 0; n = 1 under strict gives dW = 0. */
START_TEST(fully_masked_rows)
{
	for (int n = 1; n <= 70; n += 69) {
		pass p;
		pass_init(&p, n, 16, 1);
		size_t W = 3 * 16 * 16;
		av_attn_layer_forward(p.Z, p.cache, p.X, p.W, AV_MASK_STRICT, n, 16, 1);
		memset(p.dX, 0, sizeof(float) * (size_t)n * 16);
		memset(p.dW, 0, sizeof(float) * W);
		av_attn_layer_backward(p.dX, p.dW, p.scratch, p.dZ, p.cache, p.X, p.W,
				       AV_MASK_STRICT, n, 16, 1);
		for (int c = 0; c < 16; c++)
			ck_assert(p.Z[c] == 0.0f);
		for (size_t i = 0; i < (size_t)n * 16; i++)
			ck_assert(isfinite(p.dX[i]) && isfinite(p.Z[i]));
		for (size_t i = 0; i < W && n == 1; i++)
			ck_assert(p.dW[i] == 0.0f);
		pass_free(&p);
	}
}
END_TEST

/* Every buffer moved off its 64-byte line by one float gives the same
 * numbers, bit for bit (the tiles load and store any alignment). */
START_TEST(any_alignment_same_result)
{
	const int n = 100, D = 32, heads = 2;
	pass a;
	pass_init(&a, n, D, heads);
	pass_run(&a, AV_MASK_CAUSAL, 0);
	size_t nD = (size_t)n * D, W = 3 * (size_t)D * D;
	size_t cs = av_attn_layer_cache_size(n, D, heads), ss = av_attn_layer_scratch_size(n, D, heads);
	float *X = av_fast_alloc(nD + 1), *Wt = av_fast_alloc(W + 1), *dZ = av_fast_alloc(nD + 1);
	float *Z = av_fast_alloc(nD + 1), *dX = av_fast_alloc(nD + 1), *dW = av_fast_alloc(W + 1);
	float *cache = av_fast_alloc(cs + 1), *scratch = av_fast_alloc(ss + 1);
	ck_assert(X && Wt && dZ && Z && dX && dW && cache && scratch);
	memcpy(X + 1, a.X, nD * sizeof(float));
	memcpy(Wt + 1, a.W, W * sizeof(float));
	memcpy(dZ + 1, a.dZ, nD * sizeof(float));
	fill_random(dX + 1, nD, 4, 0.5f);
	fill_random(dW + 1, W, 5, 0.5f);
	av_attn_layer_forward(Z + 1, cache + 1, X + 1, Wt + 1, AV_MASK_CAUSAL, n, D, heads);
	av_attn_layer_backward(dX + 1, dW + 1, scratch + 1, dZ + 1, cache + 1, X + 1, Wt + 1,
			       AV_MASK_CAUSAL, n, D, heads);
	ck_assert_mem_eq(Z + 1, a.Z, nD * sizeof(float));
	ck_assert_mem_eq(dX + 1, a.dX, nD * sizeof(float));
	ck_assert_mem_eq(dW + 1, a.dW, W * sizeof(float));
	float *all[] = { X, Wt, dZ, Z, dX, dW, cache, scratch };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
	pass_free(&a);
}
END_TEST

/* attnviz train sizes one cache for AV_MAX_TOKENS and passes sentences of
 * every length: a pass after a longer one on the same (now dirty) cache and
 * scratch gives the numbers of a fresh pass, for every mask. */
START_TEST(dirty_cache_same_result)
{
	const int D = 32, heads = 2, n = 40;
	for (int mask = 0; mask < AV_MASK_COUNT; mask++) {
		pass fresh, big;
		pass_init(&fresh, n, D, heads);
		pass_init(&big, 64, D, heads);
		pass_run(&fresh, (av_mask_kind)mask, 0);
		pass_run(&big, (av_mask_kind)(AV_MASK_COUNT - 1 - mask), 0);
		/* the short sentence on the long one's cache and scratch */
		size_t nD = (size_t)n * D;
		memcpy(big.X, fresh.X, nD * sizeof(float));
		memcpy(big.dZ, fresh.dZ, nD * sizeof(float));
		memcpy(big.W, fresh.W, 3 * (size_t)D * D * sizeof(float));
		big.n = n;
		pass_run(&big, (av_mask_kind)mask, 0);
		ck_assert_mem_eq(big.Z, fresh.Z, nD * sizeof(float));
		ck_assert_mem_eq(big.dX, fresh.dX, nD * sizeof(float));
		ck_assert_mem_eq(big.dW, fresh.dW, 3 * (size_t)D * D * sizeof(float));
		pass_free(&fresh);
		pass_free(&big);
	}
}
END_TEST

/* The cache grows with n (one sized for the longest sentence serves all)
 * and its (n, n) rows have an odd multiple of 16 floats. */
START_TEST(sizes_grow_with_n)
{
	for (int n = 1; n < 3000; n++) {
		int ld = av_attn_layer_stride(n);
		ck_assert_int_ge(ld, n);
		ck_assert_int_eq(ld % 16, 0);
		ck_assert_int_eq((ld / 16) % 2, 1);
		ck_assert_uint_ge(av_attn_layer_cache_size(n + 1, 64, 2),
				  av_attn_layer_cache_size(n, 64, 2));
		ck_assert_uint_ge(av_attn_layer_scratch_size(n + 1, 64, 2),
				  av_attn_layer_scratch_size(n, 64, 2));
	}
}
END_TEST

static Suite *attn_train_suite(void)
{
	Suite *s = suite_create("attn_train");
	TCase *match = tcase_create("Naive");
	tcase_add_loop_test(match, fast_matches_naive, 0, AV_MASK_COUNT);
	tcase_set_timeout(match, 600); /* the naive twin is slow under valgrind */
	suite_add_tcase(s, match);
	TCase *limits = tcase_create("Limits");
	tcase_add_test(limits, fully_masked_rows);
	tcase_add_test(limits, any_alignment_same_result);
	tcase_add_test(limits, dirty_cache_same_result);
	tcase_add_test(limits, sizes_grow_with_n);
	tcase_set_timeout(limits, 120);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(attn_train_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
