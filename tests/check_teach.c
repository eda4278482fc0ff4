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
#include "ref_model.h"
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

/* One word three times, no mask: every row is uniform, so no row has a
 * clear winner and "which key does q_i attend to most?" is never asked. */
START_TEST(quiz_without_a_clear_winner)
{
	make(&a, AV_MASK_NONE, "x x x");
	av_rng r = { 7 };
	for (int k = 0; k < 100; k++) {
		av_quiz_question q;
		av_quiz_make(&q, &a, &r);
		ck_assert_int_ne(q.kind, AV_QUIZ_ARGMAX);
		if (q.kind == AV_QUIZ_MASK_VALUE)
			ck_assert_int_eq(q.answer, 1);
		else
			ck_assert_int_eq(q.answer, 0);
	}
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

/* ---- reading the exports back, independently of the writers ----------- */

/* One <text> element of an SVG: position, class and content (entities
 * decoded, U+2212 minus read as '-'). */
/* A printed number against the exact value: as close as its printed
 * decimals allow ("0.17" within 0.005, "1.2e-08" within 0.05e-08). */
static void expect_printed(const char *text, double want, const char *where)
{
	if (strstr(text, "\xe2\x88\x9e") || strstr(text, "inf")) { /* −∞ or -inf */
		ck_assert_msg(text[0] == '-' && isinf(want) && want < 0, "%s: %s, want %g", where,
			      text, want);
		return;
	}
	char *end;
	double got = strtod(text, &end);
	ck_assert_msg(end != text && *end == '\0', "%s: '%s' is not a number", where, text);
	const char *dot = strchr(text, '.'), *e = strpbrk(text, "eE");
	int decimals = 0;
	if (dot)
		decimals = (int)((e ? e : text + strlen(text)) - dot - 1);
	double ulp = 0.5 * pow(10.0, -decimals) * (e ? pow(10.0, atoi(e + 1)) : 1.0);
	ck_assert_msg(fabs(got - want) <= ulp + 1e-6, "%s: printed %s, want %.6f", where, text, want);
}

/* The texts of the cells of panel id on the slide of head (0-based) in the
 * SVG of several heads (formats/svg.c: <g id="slide-K"> holds <g id="panel-ID-K"> whose
 * cells are <g class="cell"><rect/><text>V</text></g>, row-major), with
 * the entities and the minus sign of −∞ read back; returns the count. */
static int svg_panel_cells(const char *svg, int head, const char *id, char out[][64], int cap)
{
	char pat[64];
	snprintf(pat, sizeof pat, "<g id=\"slide-%d\">", head + 1);
	const char *p = strstr(svg, pat);
	ck_assert_msg(p != NULL, "no %s", pat);
	snprintf(pat, sizeof pat, "<g id=\"panel-%s-%d\"", id, head + 1); /* several heads */
	p = strstr(p, pat);
	ck_assert_msg(p != NULL, "no %s", pat);
	const char *next = strstr(p + 1, "<g id=\"");
	int n = 0;
	for (const char *c = strstr(p, "<g class=\"cell\">"); c && (!next || c < next) && n < cap;
	     c = strstr(c + 1, "<g class=\"cell\">")) {
		const char *t = strstr(c, "<text");
		const char *gt = t ? strchr(t, '>') : NULL, *close = t ? strstr(t, "</text>") : NULL;
		ck_assert(t && gt && close && gt < close);
		size_t k = 0;
		for (const char *q = gt + 1; q < close && k + 1 < 64;) {
			if (strncmp(q, "\xe2\x88\x92", 3) == 0) { /* − */
				out[n][k++] = '-';
				q += 3;
			} else {
				out[n][k++] = *q++;
			}
		}
		out[n][k] = '\0';
		n++;
	}
	return n;
}

/* The numbers of row `label` (e.g. "q_3") in the block of a --print style
 * text that starts with a line beginning `heading` (the head-th such). */
static int txt_row(const char *txt, const char *heading, int head, const char *label, double *out,
		   int cap)
{
	const char *p = txt;
	for (int k = 0; k <= head; k++) {
		do {
			p = strstr(p, heading);
			ck_assert_msg(p != NULL, "no block '%s' %d", heading, head + 1);
		} while (p != txt && p[-1] != '\n' && (p = p + 1));
		p += strlen(heading);
	}
	size_t ll = strlen(label);
	for (const char *line = strchr(p, '\n'); line && line[1] && line[1] != '\n';
	     line = strchr(line + 1, '\n')) {
		if (strncmp(line + 1, label, ll) != 0 || line[1 + ll] != ' ')
			continue;
		const char *c = line + 1 + ll + 1;
		while (*c == ' ')
			c++;
		while (*c && *c != ' ') /* the token */
			c++;
		int k = 0;
		for (;;) {
			while (*c == ' ')
				c++;
			if (*c == '\n' || *c == '\0' || k == cap)
				return k;
			char *end;
			out[k++] = strtod(c, &end);
			ck_assert_msg(end != c, "%s %s: bad number at '%.10s'", heading, label, c);
			c = end;
		}
	}
	ck_abort_msg("no row %s in block '%s'", label, heading);
	return 0;
}

/* SVG, Markdown and text exports carry the right numbers in the right
 * place: every cell of every grid of both heads and every h_t, read back
 * from the file and compared with a double-precision recompute. */
START_TEST(export_formats)
{
	strcpy(dir, "/tmp/attnviz-export-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	av_config cfg = av_config_default();
	cfg.heads = 2;
	ck_assert_int_eq(av_model_create(&a, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&a, "the cat & <dog> sat", &err), AV_OK);
	int n = a.n, H = a.cfg.d_hidden;
	ck_assert_int_eq(n, 7);
	static double S[2][AV_MAX_TOKENS * AV_MAX_TOKENS], P[2][AV_MAX_TOKENS * AV_MAX_TOKENS];
	double h[7 * 4];
	ref_rnn(h, &a);
	for (int k = 0; k < 2; k++)
		ref_head(S[k], P[k], NULL, &a, k);

	char path[256], cmd[400], where[64];
	snprintf(path, sizeof path, "%s/slide.svg", dir);
	ck_assert_msg(export_model(&a, path, &err) == AV_OK, "%s", err.msg);
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	char *svg = slurp(path);
	ck_assert_ptr_nonnull(strstr(svg, "&amp;"));
	ck_assert_ptr_nonnull(strstr(svg, "&lt;"));
	/* every id once: a panel is found by its id (two heads: panel-ID-1, panel-ID-2) */
	for (const char *q = strstr(svg, " id=\""); q; q = strstr(q + 1, " id=\"")) {
		const char *e = strchr(q + 5, '"');
		ck_assert_ptr_nonnull(e);
		char id[80];
		snprintf(id, sizeof id, " id=\"%.*s\"", (int)(e - q - 5), q + 5);
		const char *first = strstr(svg, id);
		ck_assert_msg(first == q, "SVG id%s is given twice", id);
	}
	ck_assert_ptr_nonnull(strstr(svg, "<g id=\"panel-softmax-2\""));
	ck_assert_ptr_nonnull(strstr(svg, "<g id=\"legend-1\""));
	/* the slide of head k: panel id's cells, row-major (formats/svg.c) */
	static char cells[AV_MAX_TOKENS * AV_MAX_TOKENS][64];
	for (int k = 0; k < 2; k++) {
		int c = svg_panel_cells(svg, k, "scores", cells, n * n);
		ck_assert_int_eq(c, n * n);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				snprintf(where, sizeof where, "svg head %d scores[%d][%d]", k + 1, i + 1, j + 1);
				expect_printed(cells[i * n + j], S[k][i * n + j], where);
			}
		ck_assert_int_eq(svg_panel_cells(svg, k, "mask", cells, n * n), n * n);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				ck_assert_int_eq(atoi(cells[i * n + j]), j <= i);
		ck_assert_int_eq(svg_panel_cells(svg, k, "masked", cells, n * n), n * n);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				snprintf(where, sizeof where, "svg head %d masked[%d][%d]", k + 1, i + 1, j + 1);
				expect_printed(cells[i * n + j], j <= i ? S[k][i * n + j] : -INFINITY, where);
			}
		ck_assert_int_eq(svg_panel_cells(svg, k, "softmax", cells, n * n), n * n);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				snprintf(where, sizeof where, "svg head %d softmax[%d][%d]", k + 1, i + 1, j + 1);
				expect_printed(cells[i * n + j], P[k][i * n + j], where);
				if (j > i) /* a masked weight prints 0, as in the TUI */
					ck_assert_str_eq(cells[i * n + j], "0");
			}
		/* the RNN: row t holds h_t's components */
		ck_assert_int_eq(svg_panel_cells(svg, k, "rnn", cells, n * H), n * H);
		for (int t_ = 0; t_ < n; t_++)
			for (int c_ = 0; c_ < H; c_++) {
				snprintf(where, sizeof where, "svg h_%d[%d]", t_ + 1, c_ + 1);
				expect_printed(cells[t_ * H + c_], h[t_ * H + c_], where);
			}
	}
	free(svg);

	snprintf(path, sizeof path, "%s/notes.md", dir);
	ck_assert_int_eq(export_model(&a, path, &err), AV_OK);
	char *md = slurp(path);
	ck_assert_ptr_nonnull(strstr(md, "| q1 the | 1 | 0 | 0 | 0 | 0 | 0 | 0 |"));
	ck_assert_ptr_nonnull(strstr(md, " -inf |"));
	free(md);

	/* the handout: h_n, then per head the scores and softmax blocks */
	snprintf(path, sizeof path, "%s/handout.TXT", dir);
	ck_assert_int_eq(export_model(&a, path, &err), AV_OK);
	char *txt = slurp(path);
	double row[AV_MAX_TOKENS];
	char label[16];
	for (int i = 0; i < n; i++) {
		snprintf(label, sizeof label, "h_%d", i + 1);
		ck_assert_int_eq(txt_row(txt, "h_n:", 0, label, row, AV_MAX_TOKENS), H);
		for (int c = 0; c < H; c++)
			ck_assert_msg(fabs(row[c] - h[i * H + c]) <= 6e-5, "txt h_%d[%d] = %f, want %f",
				      i + 1, c + 1, row[c], h[i * H + c]);
		snprintf(label, sizeof label, "q_%d", i + 1);
		for (int k = 0; k < 2; k++) {
			ck_assert_int_eq(txt_row(txt, "scores", k, label, row, AV_MAX_TOKENS), n);
			for (int j = 0; j < n; j++)
				ck_assert_msg(fabs(row[j] - S[k][i * n + j]) <= 6e-5,
					      "txt head %d scores[%d][%d] = %f, want %f", k + 1, i + 1,
					      j + 1, row[j], S[k][i * n + j]);
			ck_assert_int_eq(txt_row(txt, "softmax", k, label, row, AV_MAX_TOKENS), n);
			for (int j = 0; j < n; j++)
				ck_assert_msg(fabs(row[j] - P[k][i * n + j]) <= 6e-5,
					      "txt head %d softmax[%d][%d] = %f, want %f", k + 1, i + 1,
					      j + 1, row[j], P[k][i * n + j]);
		}
	}
	free(txt);
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

/* 64 words: the cells are too small to print their numbers, so each
 * keeps it as its <title> (the leak mark too), the same text a larger cell
 * prints; the numbers are the model's. */
START_TEST(export_small_cells_keep_their_numbers)
{
	char sentence[64 * 4 + 1] = "";
	for (int i = 0; i < 64; i++)
		strcat(sentence, i % 2 ? "b " : "a ");
	make(&a, AV_MASK_NONE, sentence);
	ck_assert_int_eq(a.n, 64);
	strcpy(dir, "/tmp/attnviz-export-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[256], cmd[400];
	snprintf(path, sizeof path, "%s/big.svg", dir);
	ck_assert_msg(export_model(&a, path, &err) == AV_OK, "%s", err.msg);
	char *svg = slurp(path);
	const char *p = strstr(svg, "<g id=\"panel-softmax\"");
	ck_assert_ptr_nonnull(p);
	const char *end = strstr(p + 1, "<g id=\"");
	int cells = 0, leaks = 0;
	const float *w = a.head[0].weights;
	for (const char *c = strstr(p, "<g class=\"cell\">"); c && (!end || c < end);
	     c = strstr(c + 1, "<g class=\"cell\">")) {
		const char *t = c + strlen("<g class=\"cell\">");
		ck_assert_msg(strncmp(t, "<title>", 7) == 0, "cell %d has no title", cells);
		int i = cells / 64, j = cells % 64;
		double v = strtod(t + 7, NULL);
		ck_assert_msg(fabs(v - w[i * 64 + j]) <= 0.005 + 1e-6, "softmax[%d][%d]: title %.4f, weight %.4f",
			      i + 1, j + 1, v, (double)w[i * 64 + j]);
		const char *close = strstr(t, "</title>");
		ck_assert_ptr_nonnull(close);
		bool bang = close[-1] == '!';
		ck_assert_int_eq(bang, j > i && w[i * 64 + j] > 0.0f);
		leaks += bang;
		const char *text = strstr(t, "<text"), *gend = strstr(t, "</g>");
		ck_assert(gend && (!text || text > gend)); /* colour only on the page */
		cells++;
	}
	ck_assert_int_eq(cells, 64 * 64);
	ck_assert_int_gt(leaks, 0); /* mask none: row 1 sees the later words */
	free(svg);
	snprintf(cmd, sizeof cmd, "xmllint --noout '%s' && rm -rf '%s'", path, dir);
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
	tcase_add_test(quiz, quiz_without_a_clear_winner);
	suite_add_tcase(s, quiz);
	TCase *exp = tcase_create("Export");
	tcase_add_checked_fixture(exp, NULL, teardown);
	tcase_add_test(exp, export_formats);
	tcase_add_test(exp, export_small_cells_keep_their_numbers);
	suite_add_tcase(s, exp);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
