/* RNN: a hand-computed two-step example, cblas against the naive twin, and
 * the step function's dependency on h_{t-1}. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include "attnviz/rng.h"
#include "attnviz/model.h"
#include "attnviz/rnn.h"

/* H = 2, D = 1: W_e = [1; -1], W_h = 0.5 I, b = [0, 0.1], c = [1], [2]. */
START_TEST(hand_example_two_steps)
{
	const float W_e[] = { 1, -1 }, W_h[] = { 0.5f, 0, 0, 0.5f }, b[] = { 0, 0.1f };
	const float X[] = { 1, 2 };
	float xe[4], h[4], wh[4], pre[4];
	av_rnn_input_proj(xe, X, W_e, 2, 1, 2);
	ck_assert_float_eq_tol(xe[0], 1.0f, 1e-7f);
	ck_assert_float_eq_tol(xe[1], -1.0f, 1e-7f);
	ck_assert_float_eq_tol(xe[2], 2.0f, 1e-7f);
	ck_assert_float_eq_tol(xe[3], -2.0f, 1e-7f);
	av_rnn_step(h, wh, pre, NULL, xe, W_h, b, 2);
	ck_assert(wh[0] == 0.0f && wh[1] == 0.0f); /* h_0 = 0 */
	ck_assert_float_eq_tol(h[0], 0.76159416f, 1e-6f);  /* tanh(1) */
	ck_assert_float_eq_tol(h[1], -0.71629787f, 1e-6f); /* tanh(-0.9) */
	av_rnn_step(h + 2, wh + 2, pre + 2, h, xe + 2, W_h, b, 2);
	ck_assert_float_eq_tol(wh[2], 0.38079708f, 1e-6f);
	ck_assert_float_eq_tol(wh[3], -0.35814894f, 1e-6f);
	ck_assert_float_eq_tol(pre[2], 2.38079708f, 1e-6f);
	ck_assert_float_eq_tol(pre[3], -2.25814894f, 1e-6f);
	ck_assert_float_eq_tol(h[2], 0.98304110f, 1e-6f);
	ck_assert_float_eq_tol(h[3], -0.97837750f, 1e-6f);
}
END_TEST

START_TEST(blas_matches_naive)
{
	const int shapes[][3] = { { 1, 1, 1 }, { 6, 4, 4 }, { 9, 5, 7 }, { 64, 128, 128 } };
	for (size_t s = 0; s < 4; s++) {
		int n = shapes[s][0], D = shapes[s][1], H = shapes[s][2];
		float *X = malloc(sizeof(float) * n * D), *We = malloc(sizeof(float) * H * D);
		float *Wh = malloc(sizeof(float) * H * H), *b = malloc(sizeof(float) * H);
		float *xa = malloc(sizeof(float) * n * H), *xb = malloc(sizeof(float) * n * H);
		float *ha = malloc(sizeof(float) * n * H), *hb = malloc(sizeof(float) * n * H);
		float *wa = malloc(sizeof(float) * H), *wb = malloc(sizeof(float) * H);
		float *pa = malloc(sizeof(float) * H), *pb = malloc(sizeof(float) * H);
		av_rng r = av_rng_stream(s, "rnn-test");
		for (int i = 0; i < n * D; i++)
			X[i] = av_rng_symmetric(&r, 1);
		for (int i = 0; i < H * D; i++)
			We[i] = av_rng_symmetric(&r, 0.3f);
		for (int i = 0; i < H * H; i++)
			Wh[i] = av_rng_symmetric(&r, 0.3f);
		for (int i = 0; i < H; i++)
			b[i] = av_rng_symmetric(&r, 0.1f);
		av_rnn_input_proj(xa, X, We, n, D, H);
		av_rnn_input_proj_naive(xb, X, We, n, D, H);
		for (int i = 0; i < n * H; i++)
			ck_assert_float_eq_tol(xa[i], xb[i], 1e-5f);
		for (int t = 0; t < n; t++) {
			av_rnn_step(ha + t * H, wa, pa, t ? ha + (t - 1) * H : NULL, xa + t * H, Wh, b, H);
			av_rnn_step_naive(hb + t * H, wb, pb, t ? hb + (t - 1) * H : NULL, xa + t * H, Wh,
					  b, H);
			for (int i = 0; i < H; i++) {
				ck_assert_float_eq_tol(ha[t * H + i], hb[t * H + i], 1e-5f);
				ck_assert_float_eq_tol(wa[i], wb[i], 1e-5f);
				ck_assert(fabsf(ha[t * H + i]) <= 1.0f);
			}
		}
		free(X), free(We), free(Wh), free(b), free(xa), free(xb), free(ha), free(hb);
		free(wa), free(wb), free(pa), free(pb);
	}
}
END_TEST

/* The recurrence is real: the same input after a different h_{t-1} gives a
 * different h_t. */
START_TEST(step_depends_on_previous)
{
	const float W_h[] = { 0.9f, 0, 0, 0.9f }, b[] = { 0, 0 }, xe[] = { 0.2f, -0.2f };
	const float h_a[] = { 0.5f, 0.5f }, h_b[] = { -0.5f, 0.1f };
	float h1[2], h2[2], wh[2], pre[2];
	av_rnn_step(h1, wh, pre, h_a, xe, W_h, b, 2);
	av_rnn_step(h2, wh, pre, h_b, xe, W_h, b, 2);
	ck_assert_float_eq_tol(h1[0], tanhf(0.65f), 1e-6f);
	ck_assert_float_eq_tol(h2[0], tanhf(-0.25f), 1e-6f);
	ck_assert(h1[1] != h2[1]);
}
END_TEST

/* The model's one step count: goto forward computes h_t one by one (each
 * equal to tanh(W_h h_{t-1} + W_e c_t + b) recomputed in double), back only
 * lowers the count, a recompute computes all n. */
START_TEST(model_goto_owns_the_step)
{
	av_model m;
	av_error err;
	av_config cfg = av_config_default();
	ck_assert_int_eq(av_model_create(&m, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&m, "the cat sat on the mat", &err), AV_OK);
	ck_assert_int_eq(m.rnn_steps, 6);
	av_model_rnn_goto(&m, 2);
	ck_assert_int_eq(m.rnn_steps, 2);
	av_model_rnn_reset(&m);
	av_model_rnn_goto(&m, 0); /* clamped to 1 */
	ck_assert_int_eq(m.rnn_steps, 1);
	av_model_rnn_goto(&m, 99); /* clamped to n, computed step by step */
	ck_assert_int_eq(m.rnn_steps, 6);
	int D = m.cfg.d_model, H = m.cfg.d_hidden;
	double prev[AV_MAX_DIM] = {0};
	for (int t = 0; t < 6; t++) {
		double cur[AV_MAX_DIM];
		for (int k = 0; k < H; k++) {
			double pre = m.w.b[k];
			for (int c = 0; c < D; c++)
				pre += (double)m.w.W_e[k * D + c] * m.X[t * D + c];
			for (int c = 0; c < H; c++)
				pre += (double)m.w.W_h[k * H + c] * prev[c];
			cur[k] = tanh(pre);
			ck_assert_double_eq_tol(m.h[t * H + k], cur[k], 1e-5);
		}
		for (int k = 0; k < H; k++)
			prev[k] = cur[k];
	}
	av_model_rnn_goto(&m, 3);
	av_model_set_mask(&m, AV_MASK_NONE); /* a recompute: every h_n again */
	ck_assert_int_eq(m.rnn_steps, 6);
	av_model_destroy(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rnn");
	TCase *hand = tcase_create("Hand");
	tcase_add_test(hand, hand_example_two_steps);
	tcase_add_test(hand, step_depends_on_previous);
	tcase_add_test(hand, model_goto_owns_the_step);
	suite_add_tcase(s, hand);
	TCase *ref = tcase_create("Reference");
	tcase_add_test(ref, blas_matches_naive);
	suite_add_tcase(s, ref);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
