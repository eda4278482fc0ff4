/* The drill-down's terms (attnviz/explain.h) against an independent
 * recompute in double from Q, K, V and the mask's definition, and a
 * hand-computed 2-token example. */
#include <check.h>
#include <math.h>
#include "attnviz/explain.h"

static av_model m;
static av_error err;

static void setup(void)
{
	av_config cfg = av_config_default();
	cfg.d_model = 8;
	cfg.heads = 2;
	ck_assert_int_eq(av_model_create(&m, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&m, "the cat sat on the mat", &err), AV_OK);
}

static void teardown(void)
{
	av_model_destroy(&m);
}

START_TEST(cell_terms_match_a_double_recompute)
{
	int n = m.n, d = m.w.d_head;
	for (int h = 0; h < m.cfg.heads; h++) {
		const av_head_state *hs = &m.head[h];
		for (int i = 0; i < n; i++) {
			/* row i in double: causal, keys 0..i */
			double sc[AV_MAX_TOKENS], mx = -INFINITY, sum = 0.0;
			for (int j = 0; j <= i; j++) {
				sc[j] = 0.0;
				for (int c = 0; c < d; c++)
					sc[j] += (double)hs->Q[i * d + c] * hs->K[j * d + c];
				mx = fmax(mx, sc[j] / sqrt((double)d));
			}
			for (int j = 0; j <= i; j++)
				sum += exp(sc[j] / sqrt((double)d) - mx);
			for (int j = 0; j < n; j++) {
				av_cell_terms t;
				av_explain_cell(&t, &m, h, i, j);
				ck_assert_int_eq(t.d, d);
				double dot = 0.0;
				for (int c = 0; c < d; c++) {
					double p = (double)hs->Q[i * d + c] * hs->K[j * d + c];
					ck_assert_double_eq_tol(t.products[c], p, 1e-6);
					dot += p;
				}
				ck_assert_double_eq_tol(t.dot, dot, 1e-5);
				ck_assert_double_eq_tol(t.score, dot / sqrt((double)d), 1e-5);
				ck_assert(!t.fully_masked);
				ck_assert_double_eq_tol(t.row_max, mx, 1e-5);
				ck_assert_double_eq_tol(t.row_sum, sum, 1e-5);
				if (j <= i) {
					ck_assert_float_eq(t.mask, 1.0f);
					ck_assert_double_eq_tol(t.exp_j, exp(sc[j] / sqrt((double)d) - mx), 1e-5);
					ck_assert_double_eq_tol(t.weight, exp(sc[j] / sqrt((double)d) - mx) / sum, 1e-5);
				} else { /* a later word: masked, weight exactly 0 */
					ck_assert_float_eq(t.mask, 0.0f);
					ck_assert(isinf(t.masked) && t.masked < 0);
					ck_assert_float_eq(t.exp_j, 0.0f);
					ck_assert_float_eq(t.weight, 0.0f);
				}
			}
		}
	}
}
END_TEST

START_TEST(z_terms_sum_to_z)
{
	int n = m.n, d = m.w.d_head;
	const av_head_state *hs = &m.head[1];
	for (int i = 0; i < n; i++)
		for (int c = 0; c < d; c++) {
			av_z_terms t;
			av_explain_z(&t, &m, 1, i, c);
			ck_assert_int_eq(t.n, n);
			double z = 0.0;
			for (int j = 0; j < n; j++) {
				ck_assert_float_eq(t.value[j], hs->V[j * d + c]);
				ck_assert_double_eq_tol(t.product[j], (double)t.weight[j] * t.value[j], 1e-6);
				z += (double)t.weight[j] * hs->V[j * d + c];
			}
			ck_assert_double_eq_tol(t.z, z, 1e-5);
		}
}
END_TEST

/* Row 1 under the strict mask (j < i) sees nothing: fully masked. */
START_TEST(a_fully_masked_row)
{
	av_model_set_mask(&m, AV_MASK_STRICT);
	av_cell_terms t;
	av_explain_cell(&t, &m, 0, 0, 0);
	ck_assert(t.fully_masked);
	ck_assert_float_eq(t.row_sum, 0.0f);
	ck_assert_float_eq(t.exp_j, 0.0f);
	ck_assert_float_eq(t.weight, 0.0f);
}
END_TEST

/* Under mask none the incremental row i (tokens 1..i) differs from the
 * batched one: its terms recomputed in double over keys 1..i only, and
 * its z terms sum to inc_output (the number the inference view shows). */
START_TEST(incremental_terms_under_none)
{
	av_model_set_mask(&m, AV_MASK_NONE);
	int n = m.n, d = m.w.d_head;
	const av_head_state *hs = &m.head[0];
	for (int i = 0; i < n; i++) {
		double mx = -INFINITY, sum = 0.0, sc[AV_MAX_TOKENS];
		for (int j = 0; j <= i; j++) {
			sc[j] = 0.0;
			for (int c = 0; c < d; c++)
				sc[j] += (double)hs->Q[i * d + c] * hs->K[j * d + c];
			sc[j] /= sqrt((double)d);
			mx = fmax(mx, sc[j]);
		}
		for (int j = 0; j <= i; j++)
			sum += exp(sc[j] - mx);
		for (int j = 0; j <= i; j++) {
			av_cell_terms ct;
			av_explain_cell_incremental(&ct, &m, 0, i, j);
			ck_assert_float_eq_tol(ct.row_sum, sum, 1e-5);
			ck_assert_float_eq_tol(ct.weight, exp(sc[j] - mx) / sum, 1e-6);
			ck_assert(ct.weight == hs->inc_weights[i * n + j]);
		}
		for (int c = 0; c < d; c++) {
			av_z_terms zt;
			av_explain_z_incremental(&zt, &m, 0, i, c);
			ck_assert_int_eq(zt.n, i + 1);
			double z = 0.0;
			for (int j = 0; j <= i; j++)
				z += (double)zt.weight[j] * zt.value[j];
			ck_assert(zt.z == hs->inc_output[i * d + c]);
			ck_assert_float_eq_tol(zt.z, z, 1e-5);
		}
	}
	/* row 1 of the batched result sees 6 words, the incremental one 1 */
	av_z_terms b, inc;
	av_explain_z(&b, &m, 0, 0, 0);
	av_explain_z_incremental(&inc, &m, 0, 0, 0);
	ck_assert_int_eq(b.n, n);
	ck_assert_int_eq(inc.n, 1);
	ck_assert_float_eq_tol(inc.weight[0], 1.0f, 1e-6);
	ck_assert(fabsf(b.z - inc.z) > 1e-3f);
}
END_TEST

START_TEST(row_sums_by_hand)
{
	const float row[4] = {0.25f, 0.5f, 0.125f, 0.125f};
	ck_assert_float_eq(av_row_sum(row, 4), 1.0f);
	ck_assert_float_eq(av_row_sum(row, 2), 0.75f);
	ck_assert_float_eq(av_row_sum(row, 0), 0.0f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("Terms");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cell_terms_match_a_double_recompute);
	tcase_add_test(tc, z_terms_sum_to_z);
	tcase_add_test(tc, a_fully_masked_row);
	tcase_add_test(tc, row_sums_by_hand);
	tcase_add_test(tc, incremental_terms_under_none);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed != 0;
}
