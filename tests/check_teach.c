/* Teaching modes: the causality diff at every position, the quiz, and the
 * export formats (SVG well-formed with the model's numbers, atomic writes). */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attnviz/diff.h"
#include "attnviz/quiz.h"
#include "formats/export.h"
#include "formats/print.h"
#include "run_util.h"

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

/* Replace word p of "w1 w2 ... w6" and check what changes. */
START_TEST(diff_at_each_position)
{
	const char *base = "the cat sat on the mat";
	for (int p = 0; p < 6; p++) {
		char other[64] = "";
		const char *words[] = { "the", "cat", "sat", "on", "the", "mat" };
		for (int i = 0; i < 6; i++) {
			strcat(other, i == p ? "zebra" : words[i]);
			strcat(other, " ");
		}
		av_diff d;
		for (int kind = 0; kind < 2; kind++) {
			av_mask_kind mask = kind ? AV_MASK_NONE : AV_MASK_CAUSAL;
			make(&a, mask, base);
			make(&b, mask, other);
			ck_assert_int_eq(av_model_diff(&d, &a, &b, &err), AV_OK);
			ck_assert_int_eq(d.first_changed, p);
			for (int i = 0; i < p; i++) {
				ck_assert(d.h[i] == 0.0f); /* the RNN never looks ahead */
				if (mask == AV_MASK_CAUSAL)
					ck_assert(d.weights[i] == 0.0f && d.output[i] == 0.0f);
				else
					ck_assert_float_gt(d.output[i], 0.0f); /* every row changes */
			}
			for (int i = p; i < 6; i++)
				ck_assert_float_gt(d.h[i], 0.0f);
			ck_assert_float_gt(d.output[p], 0.0f);
			av_model_destroy(&a);
			av_model_destroy(&b);
		}
	}
}
END_TEST

START_TEST(diff_needs_same_length)
{
	make(&a, AV_MASK_CAUSAL, "a b c");
	make(&b, AV_MASK_CAUSAL, "a b");
	av_diff d;
	ck_assert_int_eq(av_model_diff(&d, &a, &b, &err), AV_ERR_SHAPE);
	ck_assert_ptr_nonnull(strstr(err.msg, "3 and 2 tokens"));
}
END_TEST

START_TEST(quiz_answers_match_the_model)
{
	make(&a, AV_MASK_CAUSAL, "the cat sat on the mat");
	av_rng r = { 12345 };
	av_quiz_score score = { 0, 0 };
	int seen[AV_QUIZ_KIND_COUNT] = { 0 };
	for (int k = 0; k < 200; k++) {
		av_quiz_question q;
		av_quiz_make(&q, &a, &r);
		ck_assert_int_lt(q.row, 6);
		ck_assert_int_lt(q.col, 6);
		seen[q.kind]++;
		const float *w = a.head[0].weights;
		switch (q.kind) {
		case AV_QUIZ_MASK_VALUE: ck_assert_int_eq(q.answer, q.col <= q.row); break;
		case AV_QUIZ_IS_MASKED: ck_assert_int_eq(q.answer, q.col > q.row); break;
		case AV_QUIZ_ARGMAX:
			for (int j = 0; j < 6; j++)
				ck_assert(w[q.row * 6 + j] <= w[q.row * 6 + q.answer]);
			break;
		default: ck_abort();
		}
		ck_assert(av_quiz_answer(&q, q.answer, &score));
		ck_assert(!av_quiz_answer(&q, q.answer + 1, &score));
	}
	ck_assert_int_eq(score.asked, 400);
	ck_assert_int_eq(score.right, 200);
	for (int k = 0; k < AV_QUIZ_KIND_COUNT; k++)
		ck_assert_int_gt(seen[k], 10);
}
END_TEST

static char dir[] = "/tmp/attnviz-export-XXXXXX";

static char *slurp(const char *path)
{
	return util_slurp(path, NULL);
}

static int count_files(const char *d)
{
	DIR *dp = opendir(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dp)))
		n += e->d_name[0] != '.';
	closedir(dp);
	return n;
}

START_TEST(export_formats)
{
	strcpy(dir, "/tmp/attnviz-export-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	make(&a, AV_MASK_CAUSAL, "the cat & <dog> sat");
	char path[256], cmd[400];
	snprintf(path, sizeof path, "%s/slide.svg", dir);
	ck_assert_msg(export_model(&a, path, &err) == AV_OK, "%s", err.msg);
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	char *svg = slurp(path);
	ck_assert_ptr_nonnull(strstr(svg, "&amp;"));
	ck_assert_ptr_nonnull(strstr(svg, "&lt;"));
	ck_assert_ptr_nonnull(strstr(svg, "mask (causal)"));
	/* the softmax cells carry the model's weights, to 2 decimals */
	int n = a.n;
	for (int i = 0; i < n; i++)
		for (int j = 0; j <= i; j++) {
			char num[64];
			float w = a.head[0].weights[i * n + j];
			snprintf(num, sizeof num, ">%.2f</text>", (double)(fabsf(w) < 0.005f ? 0.0f : w));
			ck_assert_msg(strstr(svg, num) != NULL, "%s missing", num);
		}
	free(svg);

	snprintf(path, sizeof path, "%s/notes.md", dir);
	ck_assert_int_eq(export_model(&a, path, &err), AV_OK);
	char *md = slurp(path);
	ck_assert_ptr_nonnull(strstr(md, "| q1 the | 1 | 0 | 0 | 0 | 0 | 0 | 0 |"));
	ck_assert_ptr_nonnull(strstr(md, " -inf |"));
	free(md);

	snprintf(path, sizeof path, "%s/handout.TXT", dir);
	ck_assert_int_eq(export_model(&a, path, &err), AV_OK);
	char *txt = slurp(path);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	ck_assert_int_eq(print_model(mem, &a), 0);
	fclose(mem);
	ck_assert_str_eq(txt, buf);
	free(txt);
	free(buf);
	ck_assert_int_eq(count_files(dir), 3); /* no temporary left */

	snprintf(path, sizeof path, "%s/x.png", dir);
	ck_assert_int_ne(export_model(&a, path, &err), AV_OK);
	ck_assert_ptr_nonnull(strstr(err.msg, "'.png', allowed .svg, .md, .txt"));
	snprintf(path, sizeof path, "%s/missing/x.svg", dir);
	ck_assert_int_ne(export_model(&a, path, &err), AV_OK);
	ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));
	ck_assert_int_eq(count_files(dir), 3);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("teach");
	TCase *diff = tcase_create("Diff");
	tcase_add_checked_fixture(diff, NULL, teardown);
	tcase_add_test(diff, diff_at_each_position);
	tcase_add_test(diff, diff_needs_same_length);
	suite_add_tcase(s, diff);
	TCase *quiz = tcase_create("Quiz");
	tcase_add_checked_fixture(quiz, NULL, teardown);
	tcase_add_test(quiz, quiz_answers_match_the_model);
	suite_add_tcase(s, quiz);
	TCase *exp = tcase_create("Export");
	tcase_add_checked_fixture(exp, NULL, teardown);
	tcase_add_test(exp, export_formats);
	suite_add_tcase(s, exp);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
