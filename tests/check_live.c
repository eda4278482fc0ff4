/* Live training for a viewer (attnviz/live.h) and the model's prediction
 * numbers (attnviz/explain.h, the incremental rows of model.c), against
 * the plain trainer and decoder and hand recomputes: the same steps give
 * the same parameters bit for bit, the curves average their steps, sync
 * gives the model the LM's own probabilities, reset gives back the loaded
 * weights exactly, generation draws as attnviz generate draws. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/explain.h"
#include "attnviz/live.h"
#include "attnviz/model.h"

static const char tiny[] = "the cat sat on the mat\n"
			   "the dog sat on the rug\n"
			   "a cat ran to the door\n"
			   "a dog ran to the mat\n"
			   "the cat saw the dog\n"
			   "the dog saw the cat\n";

static av_corpus corpus;
static av_vocab vocab;
static av_lm init_lm;   /* the "loaded" weights */
static av_weights w;    /* init_lm as a weight file */
static av_model model;
static const av_train_config cfg = {.batch = 2, .lr = 0.03f, .optimizer = AV_OPT_ADAM,
				     .clip = 1.0f, .seed = 5};

/* A model of D = 8, H = 6, 2 heads, positional, with a language model over
 * the tiny corpus, trained_steps 100 as if it came from a file. */
static void setup(void)
{
	ck_assert_int_eq(av_corpus_parse(&corpus, tiny, strlen(tiny), "tiny", NULL), AV_OK);
	av_corpus_split(&corpus, 0.34);
	ck_assert_int_eq(av_vocab_init(&vocab, NULL), AV_OK);
	ck_assert_int_eq(av_corpus_vocab(&vocab, &corpus, NULL), AV_OK);
	av_corpus_map(&corpus, &vocab);
	ck_assert_int_eq(av_lm_create(&init_lm, vocab.n, 8, 6, 2, AV_MASK_CAUSAL, true, NULL), AV_OK);
	av_lm_init(&init_lm, 3);
	ck_assert_int_eq(av_lm_to_weights(&w, &init_lm, &vocab, NULL), AV_OK);
	w.trained_steps = 100;
	av_config c = av_config_default();
	c.d_model = 8, c.d_hidden = 6, c.heads = 2, c.positional = true;
	ck_assert_int_eq(av_model_create(&model, &c, &w, NULL), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&model, "the cat saw the dog", NULL), AV_OK);
}

static void teardown(void)
{
	av_model_destroy(&model);
	av_weights_free(&w);
	av_lm_destroy(&init_lm);
	av_vocab_free(&vocab);
	av_corpus_free(&corpus);
}

/* The live session's steps are the trainer's: same parameters, bit for
 * bit, and the curves hold each step's batch losses. */
START_TEST(steps_are_the_trainers)
{
	av_live s;
	ck_assert_int_eq(av_live_create(&s, &model, &corpus, &cfg, NULL), AV_OK);
	ck_assert(av_live_can_train(&s));
	av_lm ref;
	ck_assert_int_eq(av_lm_create(&ref, vocab.n, 8, 6, 2, AV_MASK_CAUSAL, true, NULL), AV_OK);
	memcpy(ref.params, init_lm.params, ref.n_params * sizeof(float));
	av_trainer t;
	ck_assert_int_eq(av_trainer_create(&t, &ref, &corpus, &cfg, NULL), AV_OK);
	for (int k = 0; k < 30; k++) {
		av_train_stats a, b;
		av_live_step(&s, AV_MASK_CAUSAL, true, &a);
		av_trainer_step(&t, &b);
		ck_assert_float_eq(a.loss_attn, b.loss_attn);
		ck_assert_float_eq(s.curve[AV_CURVE_ATTN_TRAIN][k], b.loss_attn);
		ck_assert_float_eq(s.curve[AV_CURVE_RNN_TRAIN][k], b.loss_rnn);
		ck_assert_int_eq(s.point_step[k], k + 1);
	}
	ck_assert(memcmp(s.lm.params, ref.params, ref.n_params * sizeof(float)) == 0);
	ck_assert_int_eq(s.n_points, 30);
	ck_assert_int_eq(s.steps, 30);
	/* held-out: evaluated at steps 1 and 25, the same as av_lm_evaluate */
	ck_assert(s.heldout_loss[1] > 0.0f);
	ck_assert_float_eq(s.curve[AV_CURVE_ATTN_HELD][29], s.heldout_loss[1]);
	ck_assert(s.curve[AV_CURVE_ATTN_HELD][0] != s.curve[AV_CURVE_ATTN_HELD][29]);
	av_trainer_destroy(&t);
	av_lm_destroy(&ref);
	av_live_destroy(&s);
}
END_TEST

/* A full history: points are halved, each the mean of per_point steps. */
START_TEST(curves_keep_the_whole_history)
{
	av_live s;
	ck_assert_int_eq(av_live_create(&s, &model, &corpus, &cfg, NULL), AV_OK);
	enum { STEPS = 600 };
	static float loss[STEPS];
	for (int k = 0; k < STEPS; k++) {
		av_train_stats st;
		av_live_step(&s, AV_MASK_CAUSAL, true, &st);
		loss[k] = st.loss_attn;
	}
	/* 256 points at 1 step, halved to 128 at 2, filled at step 512,
	 * halved to 128 at 4, then (600 - 512) / 4 = 22 more */
	ck_assert_int_eq(s.per_point, 4);
	ck_assert_int_eq(s.n_points, 150);
	ck_assert_int_eq(s.point_step[s.n_points - 1], STEPS);
	for (int k = 0; k < s.n_points; k++) {
		double mean = 0.0;
		for (int j = 0; j < 4; j++)
			mean += loss[4 * k + j];
		ck_assert_double_eq_tol(s.curve[AV_CURVE_ATTN_TRAIN][k], mean / 4, 1e-5);
		ck_assert_int_eq(s.point_step[k], 4 * k + 4);
	}
	ck_assert(av_live_curve_max(&s) >= s.curve[AV_CURVE_ATTN_TRAIN][0]);
	av_live_destroy(&s);
}
END_TEST

static void assert_probs_eq(const float *a, const float *b, int count, float tol)
{
	for (int i = 0; i < count; i++)
		ck_assert_float_eq_tol(a[i], b[i], tol);
}

/* sync: the model's grids and predictions are the trained LM's; reset: the
 * loaded weights, exactly; a new seed (no LM): sync refuses. */
START_TEST(sync_and_reset)
{
	av_live s;
	ck_assert_int_eq(av_live_create(&s, &model, &corpus, &cfg, NULL), AV_OK);
	float before = model.attn_mean_loss;
	for (int k = 0; k < 40; k++)
		av_live_step(&s, AV_MASK_CAUSAL, true, NULL);
	ck_assert(av_live_sync(&s, &model));
	ck_assert_int_eq(model.w.trained_steps, 140);
	ck_assert(model.attn_mean_loss != before);
	int n = model.n, V = model.lm_V;
	av_lm_forward(&s.lm, model.ids, n, NULL, NULL);
	assert_probs_eq(model.attn_prob, s.lm.a_prob, n * V, 1e-5f);
	assert_probs_eq(model.rnn_prob, s.lm.r_prob, n * V, 1e-5f);

	av_live_reset(&s);
	ck_assert_int_eq(s.steps, 0);
	ck_assert_int_eq(s.n_points, 0);
	ck_assert(av_live_sync(&s, &model));
	ck_assert_int_eq(model.w.trained_steps, 100);
	ck_assert(memcmp(model.w.W_out, w.W_out, (size_t)8 * V * sizeof(float)) == 0);
	ck_assert(memcmp(model.w.E, w.E, (size_t)V * 8 * sizeof(float)) == 0);
	ck_assert_float_eq(model.attn_mean_loss, before);
	/* after a reset the same steps give the same weights again */
	av_live_step(&s, AV_MASK_CAUSAL, true, NULL);
	float once = s.lm.params[7];
	av_live_reset(&s);
	av_live_step(&s, AV_MASK_CAUSAL, true, NULL);
	ck_assert_float_eq(s.lm.params[7], once);
	/* from scratch: other weights, zero steps behind them */
	av_live_reinit(&s, 685);
	ck_assert(memcmp(s.lm.params, s.loaded, s.lm.n_params * sizeof(float)) != 0);
	ck_assert(av_live_sync(&s, &model));
	ck_assert_int_eq(model.w.trained_steps, 0);
	av_live_reset(&s);
	ck_assert(av_live_sync(&s, &model));
	ck_assert_int_eq(model.w.trained_steps, 100);

	ck_assert_int_eq(av_model_reseed(&model, 9, NULL), AV_OK);
	ck_assert(!av_live_sync(&s, &model));
	av_live_destroy(&s);

	/* without a language model there is nothing to train */
	ck_assert_int_ne(av_live_create(&s, &model, &corpus, &cfg, NULL), AV_OK);
}
END_TEST

/* The generator's rows (row t from tokens 1..t): the batched ones under
 * the causal mask; not without it; each loss is -log p(target). */
START_TEST(incremental_predictions)
{
	int n = model.n, V = model.lm_V;
	assert_probs_eq(model.attn_inc_prob, model.attn_prob, n * V, 1e-5f);
	ck_assert_float_eq_tol(model.attn_inc_mean_loss, model.attn_mean_loss, 1e-5f);
	av_model_set_mask(&model, AV_MASK_NONE);
	float most = 0.0f;
	for (int i = 0; i < n * V; i++)
		most = fmaxf(most, fabsf(model.attn_inc_prob[i] - model.attn_prob[i]));
	ck_assert_msg(most > 1e-3f, "none: incremental and batched agree (%g)", (double)most);
	/* the last row sees every token either way */
	assert_probs_eq(model.attn_inc_prob + (size_t)(n - 1) * V,
			model.attn_prob + (size_t)(n - 1) * V, V, 1e-5f);
	for (int t = 0; t + 1 < n; t++)
		ck_assert_float_eq_tol(model.attn_inc_loss[t],
				       -logf(model.attn_inc_prob[(size_t)t * V + model.ids[t + 1]]),
				       1e-4f);
}
END_TEST

/* Top k against a sort; the prediction's terms add up. */
START_TEST(top_k_and_prediction_terms)
{
	const float p[7] = {0.1f, 0.3f, 0.05f, 0.3f, 0.2f, 0.0f, 0.05f};
	int top[5];
	float tp[5];
	ck_assert_int_eq(av_top_k_ids(top, tp, p, 7, 5), 5);
	const int want[5] = {1, 3, 4, 0, 2}; /* ties: the lower id first */
	for (int k = 0; k < 5; k++) {
		ck_assert_int_eq(top[k], want[k]);
		ck_assert_float_eq(tp[k], p[want[k]]);
	}
	ck_assert_int_eq(av_top_k_ids(top, tp, p, 3, 5), 3);
	ck_assert_int_eq(top[0], 1);
	ck_assert_int_eq(top[2], 2);

	for (int rnn = 0; rnn < 2; rnn++)
		for (int t = 0; t < model.n; t++) {
			av_pred_terms pt;
			av_explain_prediction(&pt, &model, rnn, t);
			const float *prob = (rnn ? model.rnn_prob : model.attn_prob) + (size_t)t * model.lm_V;
			ck_assert_int_eq(pt.top[0], av_argmax(prob, model.lm_V));
			for (int w2 = 0; w2 < 2; w2++) {
				double s = pt.bias[w2];
				for (int c = 0; c < pt.in_dim; c++)
					s += pt.products[w2][c];
				ck_assert_double_eq_tol(s, pt.logit[w2], 1e-4);
			}
			if (t + 1 < model.n) {
				ck_assert_int_eq(pt.target, model.ids[t + 1]);
				ck_assert_float_eq_tol(pt.loss, pt.log_sum_exp - pt.logit[1], 1e-4f);
				ck_assert_float_eq_tol(pt.target_p, prob[pt.target], 1e-7f);
			} else {
				ck_assert_int_eq(pt.target, -1);
			}
		}
}
END_TEST

/* Generation draws what a decoder with the CLI's stream draws. */
START_TEST(generation_is_the_decoders)
{
	av_live s;
	ck_assert_int_eq(av_live_create(&s, &model, NULL, &cfg, NULL), AV_OK);
	ck_assert(!av_live_can_train(&s));
	av_decoder d;
	ck_assert_int_eq(av_decoder_create(&d, &init_lm, NULL), AV_OK);
	for (int rnn = 0; rnn < 2; rnn++) {
		av_live_gen_start(&s, model.ids, 2, 685, AV_MASK_CAUSAL, true);
		av_decoder_reset(&d);
		av_decoder_push(&d, model.ids[0]);
		av_decoder_push(&d, model.ids[1]);
		av_rng r = av_rng_stream(685, "generate");
		for (int k = 0; k < 6; k++) {
			float p;
			int got = av_live_gen_next(&s, &p, rnn, 0.8f, 0);
			const float *prob = rnn ? d.rnn_prob : d.attn_prob;
			int want = av_sample(prob, init_lm.V, 0.8f, 0, &r);
			ck_assert_int_eq(got, want);
			ck_assert_float_eq(p, prob[want]);
			av_decoder_push(&d, want);
		}
	}
	av_decoder_destroy(&d);
	av_live_destroy(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("Core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, steps_are_the_trainers);
	tcase_add_test(tc, curves_keep_the_whole_history);
	tcase_add_test(tc, sync_and_reset);
	tcase_add_test(tc, incremental_predictions);
	tcase_add_test(tc, top_k_and_prediction_terms);
	tcase_add_test(tc, generation_is_the_decoders);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
