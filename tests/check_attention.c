/* Attention kernels: a hand-computed 3-token example, every cblas kernel
 * against its naive twin, the masks, and the stable masked softmax. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attention.h"
#include "attnviz/mask.h"
#include "attnviz/rng.h"

#define TOL 1e-5f

static void fill_random(float *x, int count, uint64_t seed, float scale)
{
	av_rng r = av_rng_stream(seed, "test");
	for (int i = 0; i < count; i++)
		x[i] = av_rng_symmetric(&r, scale);
}

static void assert_close(const float *a, const float *b, int count, float tol)
{
	for (int i = 0; i < count; i++) {
		float scale = fmaxf(1.0f, fabsf(b[i]));
		ck_assert_msg(fabsf(a[i] - b[i]) <= tol * scale, "element %d: %.9g vs %.9g", i,
			      (double)a[i], (double)b[i]);
	}
}

/* Q = K = [[1,0],[0,1],[1,1]], V = [[1,2],[3,4],[5,6]], causal.
 * Expected values computed by hand (and checked in double precision). */
START_TEST(hand_example_3x2)
{
	const float Q[] = { 1, 0, 0, 1, 1, 1 }, K[] = { 1, 0, 0, 1, 1, 1 };
	const float V[] = { 1, 2, 3, 4, 5, 6 };
	float scores[9], M[9], masked[9], w[9], Z[6];
	av_attn_scores(scores, Q, K, 3, 2);
	const float r2 = 0.70710678f;
	const float want_scores[] = { r2, 0, r2, 0, r2, r2, r2, r2, 2 * r2 };
	assert_close(scores, want_scores, 9, TOL);
	av_mask_build(M, AV_MASK_CAUSAL, 3);
	const float want_mask[] = { 1, 0, 0, 1, 1, 0, 1, 1, 1 };
	ck_assert_int_eq(memcmp(M, want_mask, sizeof M), 0);
	av_attn_apply_mask(masked, scores, M, 3);
	ck_assert(isinf(masked[1]) && masked[1] < 0);
	ck_assert(isinf(masked[5]) && masked[5] < 0);
	av_softmax_rows(w, masked, 3, 3);
	const float want_w[] = { 1, 0, 0, 0.33023845f, 0.66976155f, 0,
				 0.24825508f, 0.24825508f, 0.50348984f };
	assert_close(w, want_w, 9, TOL);
	/* exact zeros above the diagonal */
	ck_assert(w[1] == 0.0f && w[2] == 0.0f && w[5] == 0.0f);
	av_attn_output(Z, w, V, 3, 2);
	const float want_Z[] = { 1, 2, 2.33952310f, 3.33952310f, 3.51046953f, 4.51046953f };
	assert_close(Z, want_Z, 6, TOL);
}
END_TEST

START_TEST(blas_matches_naive)
{
	const int shapes[][3] = { { 1, 1, 1 }, { 3, 2, 2 }, { 6, 4, 4 }, { 7, 5, 3 },
				  { 17, 12, 6 }, { 64, 128, 16 }, { 64, 8, 128 } };
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		int n = shapes[s][0], D = shapes[s][1], d = shapes[s][2];
		float *X = malloc(sizeof(float) * n * D), *W = malloc(sizeof(float) * D * d);
		float *A = malloc(sizeof(float) * n * d), *B = malloc(sizeof(float) * n * d);
		float *S1 = malloc(sizeof(float) * n * n), *S2 = malloc(sizeof(float) * n * n);
		float *Wt = malloc(sizeof(float) * n * n);
		fill_random(X, n * D, 1 + s, 1.0f);
		fill_random(W, D * d, 100 + s, 0.5f);
		av_attn_project(A, X, W, n, D, d);
		av_attn_project_naive(B, X, W, n, D, d);
		assert_close(A, B, n * d, TOL);
		av_attn_scores(S1, A, A, n, d);
		av_attn_scores_naive(S2, A, A, n, d);
		assert_close(S1, S2, n * n, TOL);
		av_softmax_rows(Wt, S1, n, n);
		av_attn_output(A, Wt, B, n, d);
		float *Z2 = malloc(sizeof(float) * n * d);
		av_attn_output_naive(Z2, Wt, B, n, d);
		assert_close(A, Z2, n * d, TOL);
		free(X), free(W), free(A), free(B), free(S1), free(S2), free(Wt), free(Z2);
	}
}
END_TEST

START_TEST(mask_variants)
{
	float M[16];
	av_mask_build(M, AV_MASK_CAUSAL, 4);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			ck_assert_float_eq(M[i * 4 + j], j <= i ? 1.0f : 0.0f);
	av_mask_build(M, AV_MASK_NONE, 4);
	for (int i = 0; i < 16; i++)
		ck_assert_float_eq(M[i], 1.0f);
	av_mask_build(M, AV_MASK_STRICT, 4);
	ck_assert_float_eq(M[0], 0.0f); /* row 1 sees nothing */
	ck_assert_float_eq(M[4], 1.0f);
	ck_assert_float_eq(M[5], 0.0f);
	av_mask_build(M, AV_MASK_FUTURE, 4);
	ck_assert_float_eq(M[0], 1.0f);
	ck_assert_float_eq(M[3], 1.0f);
	ck_assert_float_eq(M[4], 0.0f);
	av_mask_kind k;
	ck_assert_int_eq(av_mask_parse("strict", &k), 0);
	ck_assert_int_eq(k, AV_MASK_STRICT);
	ck_assert_int_eq(av_mask_parse("Causal", &k), -1);
	ck_assert_str_eq(av_mask_name(AV_MASK_FUTURE), "future");
}
END_TEST

START_TEST(softmax_rows_sum_to_one)
{
	enum { R = 9, C = 13 };
	float x[R * C], w[R * C];
	fill_random(x, R * C, 7, 5.0f);
	for (int i = 0; i < R; i++)
		for (int j = 0; j < C; j++)
			if ((i + j) % 3 == 0 && j != i)
				x[i * C + j] = -INFINITY;
	av_softmax_rows(w, x, R, C);
	for (int i = 0; i < R; i++) {
		double sum = 0;
		for (int j = 0; j < C; j++) {
			ck_assert(!isnan(w[i * C + j]));
			ck_assert(w[i * C + j] >= 0.0f);
			if (isinf(x[i * C + j]))
				ck_assert(w[i * C + j] == 0.0f);
			sum += w[i * C + j];
		}
		ck_assert_double_eq_tol(sum, 1.0, 1e-6);
	}
}
END_TEST

START_TEST(softmax_extreme_logits)
{
	const float x[] = { 1000, -1000, 0, 1000, 1000, -INFINITY, -1000, -1000, -1000 };
	float w[9];
	av_softmax_rows(w, x, 3, 3);
	ck_assert_float_eq_tol(w[0], 1.0f, 1e-7f);
	ck_assert(w[1] == 0.0f);
	ck_assert(w[2] == 0.0f);
	ck_assert_float_eq_tol(w[3], 0.5f, 1e-7f);
	ck_assert_float_eq_tol(w[4], 0.5f, 1e-7f);
	ck_assert(w[5] == 0.0f);
	for (int j = 6; j < 9; j++)
		ck_assert_float_eq_tol(w[j], 1.0f / 3.0f, 1e-7f);
}
END_TEST

START_TEST(softmax_fully_masked_row_is_zero)
{
	const float x[] = { -INFINITY, -INFINITY, -INFINITY, 0.5f, -INFINITY, -INFINITY };
	float w[6];
	av_softmax_rows(w, x, 2, 3);
	for (int j = 0; j < 3; j++)
		ck_assert(w[j] == 0.0f); /* zeros, not NaN */
	ck_assert_float_eq(w[3], 1.0f);
	ck_assert(w[4] == 0.0f && w[5] == 0.0f);
}
END_TEST

START_TEST(leak_sums_later_keys)
{
	const float w[] = { 0.5f, 0.25f, 0.25f, 0.1f, 0.6f, 0.3f, 0.2f, 0.3f, 0.5f };
	float leak[3];
	av_attn_leak(leak, w, 3);
	ck_assert_float_eq_tol(leak[0], 0.5f, 1e-7f);
	ck_assert_float_eq_tol(leak[1], 0.3f, 1e-7f);
	ck_assert_float_eq(leak[2], 0.0f);
}
END_TEST

/* Row i from tokens 1..i alone equals row i of the batched result. */
START_TEST(incremental_equals_batched)
{
	const av_mask_kind kinds[] = { AV_MASK_CAUSAL, AV_MASK_STRICT };
	for (int kk = 0; kk < 2; kk++) {
		enum { N = 11, D = 6, DH = 3 };
		float X[N * D], Wq[D * DH], Wk[D * DH], Wv[D * DH];
		float Q[N * DH], K[N * DH], V[N * DH], S[N * N], M[N * N], Mk[N * N], W[N * N],
			Z[N * DH];
		float scratch[2 * N * DH + DH], wr[N], zr[DH];
		fill_random(X, N * D, 11, 1.0f);
		fill_random(Wq, D * DH, 12, 0.7f);
		fill_random(Wk, D * DH, 13, 0.7f);
		fill_random(Wv, D * DH, 14, 0.7f);
		av_attn_project(Q, X, Wq, N, D, DH);
		av_attn_project(K, X, Wk, N, D, DH);
		av_attn_project(V, X, Wv, N, D, DH);
		av_attn_scores(S, Q, K, N, DH);
		av_mask_build(M, kinds[kk], N);
		av_attn_apply_mask(Mk, S, M, N);
		av_softmax_rows(W, Mk, N, N);
		av_attn_output(Z, W, V, N, DH);
		for (int i = 0; i < N; i++) {
			av_attn_row_incremental(wr, zr, scratch, X, Wq, Wk, Wv, kinds[kk], i, D, DH);
			assert_close(wr, W + i * N, i + 1, TOL);
			for (int j = i + 1; j < N; j++)
				ck_assert(W[i * N + j] == 0.0f);
			assert_close(zr, Z + i * DH, DH, TOL);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attention");
	TCase *hand = tcase_create("Hand");
	tcase_add_test(hand, hand_example_3x2);
	tcase_add_test(hand, leak_sums_later_keys);
	suite_add_tcase(s, hand);
	TCase *ref = tcase_create("Reference");
	tcase_add_test(ref, blas_matches_naive);
	tcase_add_test(ref, incremental_equals_batched);
	suite_add_tcase(s, ref);
	TCase *mask = tcase_create("Mask");
	tcase_add_test(mask, mask_variants);
	suite_add_tcase(s, mask);
	TCase *sm = tcase_create("Softmax");
	tcase_add_test(sm, softmax_rows_sum_to_one);
	tcase_add_test(sm, softmax_extreme_logits);
	tcase_add_test(sm, softmax_fully_masked_row_is_zero);
	suite_add_tcase(s, sm);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
