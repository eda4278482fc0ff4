/* The one "changed" rule (av_changed) and the cell-by-cell comparison that
 * --diff, the TUI's marks and its summary share. Expectations are hand
 * values and the causal mask's guarantee, not the code's own output. */
#include <check.h>
#include <math.h>
#include "attnviz/diff.h"

static av_model a, b;
static av_error err;

static void make(av_model *m, av_mask_kind mask, const char *sentence)
{
	av_config cfg = av_config_default();
	cfg.mask = mask;
	ck_assert_int_eq(av_model_create(m, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(m, sentence, &err), AV_OK);
}

static void teardown(void)
{
	av_model_destroy(&a);
	av_model_destroy(&b);
}

START_TEST(changed_means_more_than_rounding)
{
	ck_assert(!av_changed(0.25f, 0.25f));
	ck_assert(!av_changed(1.0f, 1.0f + 5e-7f)); /* rounding */
	ck_assert(av_changed(1.0f, 1.0f + 3e-6f));
	ck_assert(av_changed(0.0f, -2e-6f));
	ck_assert(!av_changed(-INFINITY, -INFINITY)); /* a masked score stays masked */
	ck_assert(av_changed(-INFINITY, 0.5f));
	ck_assert(av_changed(0.5f, -INFINITY));
}
END_TEST

/* "the cat sat on the mat" vs "... the dog": word 6 changed. Under the
 * causal mask rows 1..5 of every panel keep every value; row 6's h and
 * z change; the scores of rows 1..5 change in column 6 only (k_6). */
START_TEST(cells_under_the_causal_mask)
{
	make(&a, AV_MASK_CAUSAL, "the cat sat on the mat");
	make(&b, AV_MASK_CAUSAL, "the cat sat on the dog");
	av_diff d;
	ck_assert_int_eq(av_model_diff(&d, &a, &b, &err), AV_OK);
	ck_assert_int_eq(d.first_changed, 5);
	ck_assert_int_eq(d.earliest_attn, 5);
	ck_assert_int_eq(d.earliest_rnn, 5);
	for (int i = 0; i < 5; i++) {
		ck_assert(!d.attn_changed[i] && !d.rnn_changed[i]);
		for (int c = 0; c < a.cfg.d_hidden; c++)
			ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_RNN, 0, i, c));
		for (int j = 0; j < 6; j++) {
			ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_SOFTMAX, 0, i, j));
			ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_MASK, 0, i, j));
			ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_MASKED, 0, i, j));
			ck_assert_int_eq(av_diff_cell_changed(&a, &b, AV_PANEL_SCORES, 0, i, j), j == 5);
		}
	}
	ck_assert(d.attn_changed[5] && d.rnn_changed[5]);
	bool any_h = false, any_z = false;
	for (int c = 0; c < a.cfg.d_hidden; c++)
		any_h |= av_diff_cell_changed(&a, &b, AV_PANEL_RNN, 0, 5, c);
	for (int c = 0; c < a.w.d_head; c++)
		any_z |= av_diff_cell_changed(&a, &b, AV_PANEL_OUTPUT, 0, 5, c);
	ck_assert(any_h && any_z);
	bool cols[AV_MAX_TOKENS];
	ck_assert(av_diff_score_cols(cols, &a, &b, 5));
	for (int j = 0; j < 6; j++)
		ck_assert_int_eq(cols[j], j == 5);
	/* outside the panel, or another token count: not changed */
	ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_SCORES, 0, 5, 6));
	ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_SCORES, 0, -1, 0));
	ck_assert(!av_diff_cell_changed(&a, &b, AV_PANEL_SCORES, 1, 5, 5)); /* one head only */
}
END_TEST

/* Without a mask every row sees word 6: every row's attention changes. */
START_TEST(every_row_without_a_mask)
{
	make(&a, AV_MASK_NONE, "the cat sat on the mat");
	make(&b, AV_MASK_NONE, "the cat sat on the dog");
	av_diff d;
	ck_assert_int_eq(av_model_diff(&d, &a, &b, &err), AV_OK);
	ck_assert_int_eq(d.earliest_attn, 0);
	ck_assert_int_eq(d.earliest_rnn, 5); /* the RNN still never looks ahead */
	for (int i = 0; i < 6; i++)
		ck_assert(d.attn_changed[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("Changed");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, changed_means_more_than_rounding);
	tcase_add_test(tc, cells_under_the_causal_mask);
	tcase_add_test(tc, every_row_without_a_mask);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed != 0;
}
