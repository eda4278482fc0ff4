/* The training-time view in-process, on the shipped English model: the
 * predictions panel against --json's "lm" (a separate process), the race
 * (which panels are pending after k presses of b), live training (a key
 * handled while training runs, a step in bounded time, reset), generation
 * against `attnviz generate` for the same seed, and the save effect. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attnviz/explain.h"
#include "attnviz/live.h"
#include "attnviz/model.h"
#include "attnviz/weights.h"
#include "attnviz/train.h"
#include "attnviz/vocab.h"
#include "tui/colors.h"
#include "tui/effects.h"
#include "tui/frame.h"
#include "tui/layout.h"
#include "tui/popup.h"
#include "tui/drill.h"
#include "tui/view.h"
#include "tui/wrap.h"
#include "run_util.h"
#include "tui_screen.h"

static av_model model;
static av_corpus corpus;
static av_live live;
static view v;
static layout L;
static theme th;
static popup_text pop;
static char tmpdir[] = "/tmp/attnviz-train-XXXXXX";

static const char *asset(const char *rel)
{
	static char path[1024];
	const char *dir = getenv("ATTNVIZ_ASSETS");
	snprintf(path, sizeof path, "%s/%s", dir ? dir : "assets", rel);
	return path;
}

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	av_error err;
	av_weights w;
	ck_assert_msg(av_weights_load(&w, asset("models/en.weights"), &err) == AV_OK, "%s", err.msg);
	av_config cfg = av_config_default();
	cfg.d_model = w.d_model, cfg.d_hidden = w.d_hidden, cfg.heads = w.heads;
	cfg.positional = w.positional == 1;
	ck_assert_int_eq(av_model_create(&model, &cfg, &w, &err), AV_OK);
	av_weights_free(&w);
	snprintf(model.weights_name, sizeof model.weights_name, "en");
	ck_assert_int_eq(av_model_set_sentence(&model, AV_DEFAULT_SENTENCE, &err), AV_OK);
	ck_assert_msg(av_corpus_load(&corpus, asset("corpus/en.txt"), &err) == AV_OK, "%s", err.msg);
	av_corpus_split(&corpus, 0.1);
	av_train_config tc = {.batch = TRAIN_VIEW_BATCH, .lr = TRAIN_VIEW_LR,
			      .optimizer = AV_OPT_ADAM, .clip = 1.0f, .seed = AV_DEFAULT_SEED};
	ck_assert_int_eq(av_live_create(&live, &model, &corpus, &tc, &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	v.tv.live = &live;
	open_screen(80, 24);
	theme_init(&th, SCHEME_MONO, true);
}

static void teardown(void)
{
	close_screen();
	av_live_destroy(&live);
	av_corpus_free(&corpus);
	av_model_destroy(&model);
}

static void frame(void)
{
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	v.tv.pred_left_out = L.pred_left_out;
	view_follow(&v, &model, &L);
	ui_draw(&model, &v, &L, &th, &pop);
}

static void press(action a)
{
	view_apply(&v, &model, &L, a, 0);
	frame();
}

/* Row i of panel p's cells, as drawn. */
static const char *panel_row(av_panel_id p, int i)
{
	static char buf[512];
	const panel_box *b = &L.panel[p];
	const char *row = row_text(b->r.y + LAYOUT_HEAD_ROWS + i - v.row_off);
	/* columns to bytes: the row is UTF-8; walk it */
	int col = 0;
	const char *s = row;
	while (*s && col < b->r.x) {
		unsigned char ch = (unsigned char)*s;
		s += ch < 0x80 ? 1 : (ch >> 5) == 6 ? 2 : (ch >> 4) == 14 ? 3 : 4;
		col++;
	}
	/* then the panel's own columns only */
	const char *e = s;
	for (col = 0; *e && col < b->r.w; col++) {
		unsigned char ch = (unsigned char)*e;
		e += ch < 0x80 ? 1 : (ch >> 5) == 6 ? 2 : (ch >> 4) == 14 ? 3 : 4;
	}
	snprintf(buf, sizeof buf, "%.*s", (int)(e - s), s);
	return buf;
}

static json_t *json_of_default(void)
{
	const char *args[] = {"--json", NULL};
	run_result r = util_run(tmpdir, NULL, args);
	ck_assert_int_eq(r.status, 0);
	json_error_t jerr;
	json_t *root = json_loads(r.out, 0, &jerr);
	ck_assert_msg(root != NULL, "--json: %s", jerr.text);
	util_result_free(&r);
	return root;
}

static int argmax_json(json_t *row)
{
	int best = 0;
	for (size_t k = 1; k < json_array_size(row); k++)
		if (json_real_value(json_array_get(row, k)) >
		    json_real_value(json_array_get(row, (size_t)best)))
			best = (int)k;
	return best;
}

/* Every row of the panel (target, each model's top word, p, loss) and the
 * means in the title are --json's lm, computed by another process. */
START_TEST(predictions_equal_json_lm)
{
	press(ACT_STEP_LAST); /* every RNN state: every RNN prediction */
	ck_assert(L.panel[AV_PANEL_PRED].visible);
	json_t *root = json_of_default();
	json_t *lm = json_object_get(root, "lm");
	ck_assert_ptr_nonnull(lm);
	json_t *vocab = json_object_get(lm, "vocab");
	const char *models[2] = {"rnn", "attention"};
	for (int k = 0; k < 2; k++) {
		json_t *o = json_object_get(lm, models[k]);
		json_t *logits = json_object_get(o, "logits"), *loss = json_object_get(o, "loss");
		ck_assert_int_eq((int)json_array_size(logits), model.n);
		char want[64];
		snprintf(want, sizeof want, k ? "attn %.2f" : "RNN %.2f",
			 json_real_value(json_object_get(o, "mean_loss")));
		ck_assert_msg(screen_has(want), "title: %s", want);
		for (int i = 0; i < model.n; i++) {
			json_t *row = json_array_get(logits, (size_t)i);
			int best = argmax_json(row);
			/* p of the top word: softmax of the JSON logits, in double */
			double mx = json_real_value(json_array_get(row, (size_t)best)), sum = 0;
			for (size_t c = 0; c < json_array_size(row); c++)
				sum += exp(json_real_value(json_array_get(row, c)) - mx);
			double p = 1.0 / sum;
			const char *word = json_string_value(json_array_get(vocab, (size_t)best));
			char cell[64], pstr[8];
			if (p >= 0.995)
				snprintf(pstr, sizeof pstr, "1.0");
			else
				snprintf(pstr, sizeof pstr, ".%02d", (int)(p * 100 + 0.5));
			if (i + 1 < model.n)
				snprintf(cell, sizeof cell, "%-6.6s %s %4.2f", word, pstr,
					 json_real_value(json_array_get(loss, (size_t)i)));
			else
				snprintf(cell, sizeof cell, "%-6.6s %s", word, pstr);
			const char *shown = panel_row(AV_PANEL_PRED, i);
			ck_assert_msg(strstr(shown, cell), "row %d %s: want '%s' in '%s'", i + 1,
				      models[k], cell, shown);
			/* a wrong prediction is marked */
			bool wrong = i + 1 < model.n && best != model.ids[i + 1];
			snprintf(cell + strlen(cell), sizeof cell - strlen(cell), "%s", "✗");
			ck_assert_msg((strstr(shown, cell) != NULL) == wrong, "row %d %s mark", i + 1,
				      models[k]);
		}
		if (k == 0) /* targets: the next token */
			for (int i = 0; i + 1 < model.n; i++)
				ck_assert_msg(strncmp(panel_row(AV_PANEL_PRED, i), model.tokens.text[i + 1],
						      strlen(model.tokens.text[i + 1])) == 0,
					      "target of row %d", i + 1);
	}
	json_decref(root);
}
END_TEST

/* Enter on a prediction: the top 5 and the loss = log-sum-exp - logit. */
START_TEST(prediction_drill_down)
{
	press(ACT_STEP_LAST);
	v.focus = AV_PANEL_PRED;
	v.ci = 1;
	v.cj = 2;
	drill_build(&pop, &model, &v, 76, true);
	av_pred_terms pt;
	av_explain_prediction(&pt, &model, false, 1);
	ck_assert_int_eq(pt.n_top, 5);
	for (int k = 1; k < 5; k++)
		ck_assert(pt.top_p[k] <= pt.top_p[k - 1]);
	/* logit = sum of the products + bias, and the loss is the model's */
	for (int w = 0; w < 2; w++) {
		double s = pt.bias[w];
		for (int c = 0; c < pt.in_dim; c++)
			s += (double)pt.products[w][c];
		ck_assert_double_eq_tol(s, pt.logit[w], 1e-4);
	}
	ck_assert_float_eq_tol(pt.loss, pt.log_sum_exp - pt.logit[1], 1e-4);
	ck_assert_float_eq_tol(pt.loss, model.attn_loss[1], 1e-6);
	ck_assert_float_eq_tol(pt.target_p, expf(-pt.loss), 1e-4);
	bool top = false, loss = false;
	for (int i = 0; i < pop.n; i++) {
		top |= strstr(pop.line[i], "1. ") && strstr(pop.line[i], model.vocab.word[pt.top[0]]);
		loss |= strstr(pop.line[i], "loss -log p(target)") != NULL;
	}
	ck_assert(top && loss);
}
END_TEST

/* b: attention's four stages for every row, one RNN step per press. */
START_TEST(race_pending_panels)
{
	static const av_panel_id grids[] = {AV_PANEL_SCORES, AV_PANEL_MASK, AV_PANEL_MASKED,
					    AV_PANEL_SOFTMAX, AV_PANEL_OUTPUT};
	/* stage at which each grid shows */
	static const int shows_at[] = {2, 3, 3, 4, 4};
	for (int k = 1; k <= 4; k++) {
		press(ACT_RACE);
		ck_assert_int_eq(v.tv.race, k);
		ck_assert_int_eq(model.rnn_steps, k);
		for (size_t g = 0; g < sizeof grids / sizeof grids[0]; g++) {
			bool pending = strstr(panel_row(grids[g], model.n - 1), "┆") != NULL;
			ck_assert_msg(pending == (k < shows_at[g]), "press %d: %s pending %d", k,
				      layout_panel_name(grids[g]), pending);
		}
		/* attention's predictions all at once at stage 4; the RNN's by rows */
		for (int i = 0; i < model.n; i++) {
			const char *row = panel_row(AV_PANEL_PRED, i);
			int dots = 0;
			for (const char *s = row; (s = strstr(s, "·")) != NULL; s++)
				dots++;
			int want = (i >= k) + (k < 4);
			ck_assert_msg(dots == want, "press %d row %d: %d pending in '%s'", k, i + 1, dots,
				      row);
		}
	}
	ck_assert(screen_has("race: attention stage 4 of 4 for all 6 rows at once"));
	ck_assert(screen_has("race: RNN h_4 of 6"));
	ck_assert(screen_has("losses: attention 5 from one batched pass; RNN 4 of 5"));
	press(ACT_RACE);
	press(ACT_RACE);
	ck_assert_int_eq(model.rnn_steps, 6);
	press(ACT_RACE); /* the RNN is done: the race ends */
	ck_assert_int_eq(v.tv.race, RACE_OFF);
	ck_assert_ptr_nonnull(strstr(v.status, "4 batched stages for all 6 rows, the RNN 6 steps"));
}
END_TEST

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* T: training runs in steps the loop takes between keys; a key in the
 * middle is handled at once; r goes back to the loaded weights. */
START_TEST(training_answers_keys)
{
	float loaded = model.attn_mean_loss;
	frame();
	press(ACT_TRAIN);
	ck_assert(v.tv.running);
	/* one step, the copy into the model and a frame: the most a key waits
	 * after a slice (the bound is loose: sanitizers and valgrind) */
	double t0 = secs();
	ck_assert(train_view_step(&v, &model));
	train_view_sync(&v, &model);
	frame();
	ck_assert_msg(secs() - t0 < 2.0, "a step, sync and frame took %.3f s", secs() - t0);
	for (int k = 0; k < 20; k++)
		train_view_step(&v, &model);
	train_view_sync(&v, &model);
	ck_assert_int_eq(live.steps, 21);
	ck_assert_int_eq(model.w.trained_steps, 3021);
	ck_assert(model.attn_mean_loss != loaded); /* the sentence follows the weights */
	/* a key while training: m turns the mask off, training goes on */
	press_key(&v, &model, &L, 'm', false, 0);
	ck_assert_int_eq(model.cfg.mask, AV_MASK_NONE);
	ck_assert(v.tv.running);
	ck_assert(train_view_step(&v, &model));
	ck_assert_int_eq(live.lm.mask, AV_MASK_NONE);
	frame();
	ck_assert(screen_has("step 22"));
	ck_assert(screen_has("no mask: attention copies the next word"));
	/* r: the loaded weights again, exactly */
	press_key(&v, &model, &L, 'm', false, 0);
	press_key(&v, &model, &L, 'r', false, 0);
	ck_assert(!v.tv.running);
	ck_assert_float_eq(live.tr.cfg.lr, TRAIN_VIEW_LR);
	ck_assert_int_eq(live.steps, 0);
	ck_assert_float_eq(model.attn_mean_loss, loaded);
	ck_assert_int_eq(model.w.trained_steps, 3000);
}
END_TEST

/* Training with the mask off: attention's loss on the batches collapses
 * (the cheat), and on this sentence the generator's rows (inference view)
 * are worse than the batched ones. */
START_TEST(mask_off_collapses)
{
	av_model_set_mask(&model, AV_MASK_NONE);
	press(ACT_TRAIN_SCRATCH); /* from fresh weights, at the larger step */
	ck_assert_float_eq(live.tr.cfg.lr, TRAIN_VIEW_LR_SCRATCH);
	press(ACT_TRAIN);
	for (int k = 0; k < 300; k++)
		train_view_step(&v, &model);
	train_view_sync(&v, &model);
	ck_assert_msg(live.smooth_loss[1] < 0.3f, "attention train loss %.3f", live.smooth_loss[1]);
	ck_assert_msg(model.attn_inc_mean_loss > 4 * model.attn_mean_loss,
		      "batched %.3f, incremental %.3f", model.attn_mean_loss,
		      model.attn_inc_mean_loss);
	press(ACT_MODE_TOGGLE);
	ck_assert(screen_has("attn inc"));
	ck_assert(screen_has("generation time: row i sees words 1..i only"));
}
END_TEST

/* The last line of `attnviz generate` output holding the text. */
static void generate_cli(char *out, size_t size, const char *model_name)
{
	const char *args[] = {"generate", "--prompt", "the cat", "--tokens", "5", "--model",
			      model_name, NULL};
	run_result r = util_run(tmpdir, NULL, args);
	ck_assert_int_eq(r.status, 0);
	/* the generated sentence: the line after the blank line after the tokens */
	char *s = strstr(r.out, "\n\n");
	ck_assert_ptr_nonnull(s);
	s += 2;
	char *e = strchr(s, '\n');
	ck_assert_ptr_nonnull(e);
	snprintf(out, size, "%.*s", (int)(e - s), s);
	util_result_free(&r);
}

START_TEST(generation_equals_cli)
{
	for (int k = 0; k < 2; k++) {
		char want[512];
		generate_cli(want, sizeof want, k ? "rnn" : "attention");
		av_error err;
		ck_assert_int_eq(av_model_set_sentence(&model, AV_DEFAULT_SENTENCE, &err), AV_OK);
		v.tv.gen_on = false;
		v.tv.gen_rnn = k == 1;
		av_model_rnn_goto(&model, 2); /* the prompt: "the cat" */
		for (int t = 0; t < 5; t++)
			press(ACT_GENERATE);
		ck_assert_int_eq(model.n, 7);
		ck_assert_int_eq(v.tv.gen_count, 5);
		ck_assert_str_eq(v.sentence, want);
		ck_assert_int_eq(v.mode, VIEW_INFERENCE);
		ck_assert(screen_has("generation: 5 tokens added to a prompt of 2, one dependent step"));
		v.mode = VIEW_TRAINING;
	}
}
END_TEST

/* W: the trained weights, written by the effect (in the scratch dir). */
START_TEST(save_trained_weights)
{
	char cwd[1024];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(tmpdir), 0);
	press(ACT_TRAIN);
	for (int k = 0; k < 5; k++)
		train_view_step(&v, &model);
	train_view_sync(&v, &model);
	press(ACT_SAVE_WEIGHTS);
	ck_assert_int_eq(v.effect, VIEW_EFFECT_SAVE_WEIGHTS);
	effects_run(&v, &model, NULL);
	ck_assert_msg(strstr(v.status, "saved attnviz-trained-1.weights"), "%s", v.status);
	/* it fits an 80-column status line, so "--weights loads it" is read */
	ck_assert_msg(screen_width(v.status, true) <= 80 && strstr(v.status, "--weights loads it"),
		      "%s", v.status);
	av_weights w;
	av_error err;
	ck_assert_int_eq(av_weights_load(&w, "attnviz-trained-1.weights", &err), AV_OK);
	ck_assert_int_eq(w.trained_steps, 3005);
	ck_assert_int_eq(w.vocab_size, model.lm_V);
	for (int i = 0; i < model.lm_V * w.d_model; i++)
		ck_assert_float_eq(w.E[i], model.w.E[i]);
	for (int i = 0; i < w.d_model * model.lm_V; i++)
		ck_assert_float_eq(w.W_out[i], live.lm.p.W_out[i]);
	av_weights_free(&w);
	unlink("attnviz-trained-1.weights");
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

/* Walk at 80x24: the status after w is wider than the line; it ends in
 * "…" and is never cut mid-word without it (was "... against the ca"). */
START_TEST(status_message_cut_with_ellipsis)
{
	av_model_rnn_goto(&model, 2);
	press(ACT_GENERATE);
	const char *last = row_text(LINES - 1);
	ck_assert_msg(strstr(last, "drew"), "%s", last);
	size_t n = strlen(last);
	while (n > 0 && last[n - 1] == ' ')
		n--;
	ck_assert_msg(n >= 3 && strncmp(last + n - 3, "…", 3) == 0, "status cut: '%s'", last);
}
END_TEST

/* wrap_put with text left over after its last row ends that row in "…",
 * whole words only (the plot legend lost "held-out" silently). */
START_TEST(wrap_cut_says_so)
{
	erase();
	int rows = wrap_put(0, 0, 20, 1, 0, "loss over 200 steps: r RNN, a attention", true);
	ck_assert_int_eq(rows, 1);
	ck_assert_msg(strncmp(row_text(0), "loss over 200 …     ", 22) == 0, "%s", row_text(0));
	erase();
	rows = wrap_put(0, 0, 20, 2, 0, "loss over 200 steps: r RNN, a attention", true);
	ck_assert_int_eq(rows, 2);
	ck_assert(strncmp(row_text(0), "loss over 200 steps:", 20) == 0);
	ck_assert(strncmp(row_text(1), "r RNN, a attention  ", 20) == 0);
	erase();
	wrap_put(0, 0, 8, 1, 0, "unbreakable", true); /* one word: cut with … */
	ck_assert(strncmp(row_text(0), "unbreak… ", 11) == 0);
}
END_TEST

/* Walk: both models train to nearly the same loss, and the 80x24 plot has
 * four rows: where the two train curves share a cell it says "b" (both),
 * so the RNN's curve is not hidden under attention's "a". */
START_TEST(plot_shows_both_curves)
{
	v.tv.pred_hide = true;
	resizeterm(40, 120);
	press(ACT_TRAIN);
	for (int k = 0; k < 40; k++)
		train_view_step(&v, &model);
	train_view_sync(&v, &model);
	frame();
	int legend = find_row("loss over");
	ck_assert_int_ge(legend, 0);
	int a = 0, r = 0, b = 0;
	for (int y = legend + 1; y < LINES; y++) {
		const char *t = strchr(row_text(y), '|');
		const char *u = strstr(row_text(y), "│");
		const char *s = u ? u + 3 : t ? t + 1 : NULL;
		for (; s && *s; s++)
			a += *s == 'a', r += *s == 'r', b += *s == 'b';
	}
	int cols = live.n_points < 40 ? live.n_points : 40;
	ck_assert_msg(r + b >= cols / 2 && a + b >= cols / 2, "r %d a %d b %d over %d points", r,
		      a, b, live.n_points);
}
END_TEST

/* Walk: the predictions panel names the word its loss is about. A word
 * cut to its cell ends in "…" ("herself" was "hersel"), and a word the
 * model does not know is scored as <unk>, so the target says <unk> (as
 * --print does), in the cell and in the drill-down's title. */
START_TEST(prediction_words_say_what_is_scored)
{
	av_error err;
	ck_assert_int_eq(av_model_set_sentence(&model, "tom watched", &err), AV_OK);
	view_init(&v, &model, "tom watched");
	v.tv.live = &live;
	press(ACT_STEP_LAST);
	ck_assert(L.panel[AV_PANEL_PRED].visible);
	/* the top words after "watched" are herself (RNN) and himself (attention) */
	ck_assert_str_eq(model.vocab.word[av_argmax(model.rnn_prob + model.lm_V, model.lm_V)],
			 "herself");
	const char *row = panel_row(AV_PANEL_PRED, 1);
	ck_assert_msg(strstr(row, "herse… ") && strstr(row, "himse… "), "%s", row);
	ck_assert_int_eq(av_model_set_sentence(&model, "zebra quantum the cat", &err), AV_OK);
	view_init(&v, &model, "zebra quantum the cat");
	v.tv.live = &live;
	press(ACT_STEP_LAST);
	ck_assert_int_eq(model.ids[1], AV_UNK_ID);
	row = panel_row(AV_PANEL_PRED, 0);
	ck_assert_msg(strncmp(row, "<unk> ", 6) == 0, "%s", row);
	v.focus = AV_PANEL_PRED;
	v.ci = 0;
	v.cj = 1;
	drill_build(&pop, &model, &v, 76, true);
	ck_assert_msg(strstr(pop.title, "target \"<unk>\""), "%s", pop.title);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("train_view");
	TCase *tc = tcase_create("Core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, predictions_equal_json_lm);
	tcase_add_test(tc, prediction_drill_down);
	tcase_add_test(tc, race_pending_panels);
	tcase_add_test(tc, training_answers_keys);
	tcase_add_test(tc, mask_off_collapses);
	tcase_add_test(tc, generation_equals_cli);
	tcase_add_test(tc, save_trained_weights);
	tcase_add_test(tc, status_message_cut_with_ellipsis);
	tcase_add_test(tc, wrap_cut_says_so);
	tcase_add_test(tc, plot_shows_both_curves);
	tcase_add_test(tc, prediction_words_say_what_is_scored);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rmdir(tmpdir);
	return failed ? 1 : 0;
}
