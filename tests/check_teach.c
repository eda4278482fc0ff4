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
typedef struct {
	int x, y;
	char cls[8];
	char s[64];
} svg_text;

static int svg_attr(const char *tag, const char *end, const char *name, char *out, size_t size)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s=\"", name);
	const char *p = strstr(tag, pat);
	if (!p || p > end)
		return -1;
	p += strlen(pat);
	size_t k = 0;
	while (*p && *p != '"' && k + 1 < size)
		out[k++] = *p++;
	out[k] = '\0';
	return 0;
}

/* Every <text> of svg into t (at most cap); returns the count. */
static int svg_texts(const char *svg, svg_text *t, int cap)
{
	int n = 0;
	for (const char *p = strstr(svg, "<text "); p && n < cap; p = strstr(p + 1, "<text ")) {
		const char *gt = strchr(p, '>'), *close = strstr(p, "</text>");
		ck_assert(gt && close && gt < close);
		char num[16];
		ck_assert_int_eq(svg_attr(p, gt, "x", num, sizeof num), 0);
		t[n].x = atoi(num);
		ck_assert_int_eq(svg_attr(p, gt, "y", num, sizeof num), 0);
		t[n].y = atoi(num);
		if (svg_attr(p, gt, "class", t[n].cls, sizeof t[n].cls) != 0)
			t[n].cls[0] = '\0';
		size_t k = 0;
		for (const char *c = gt + 1; c < close && k + 1 < sizeof t[n].s;) {
			static const char *ent[][2] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
							{ "&quot;", "\"" }, { "&apos;", "'" },
							{ "\xe2\x88\x92", "-" } };
			size_t e = 0;
			for (; e < sizeof ent / sizeof *ent; e++)
				if (strncmp(c, ent[e][0], strlen(ent[e][0])) == 0)
					break;
			if (e < sizeof ent / sizeof *ent) {
				t[n].s[k++] = ent[e][1][0];
				c += strlen(ent[e][0]);
			} else {
				t[n].s[k++] = *c++;
			}
		}
		t[n].s[k] = '\0';
		n++;
	}
	return n;
}

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

/* The cells of the grid titled `title` (prefix; the head-th such grid from
 * the top) of an SVG: row i's cells are the number texts on the baseline of
 * its label "q<i> token", right of it and left of the next grid's label. */
static void svg_grid_values(const svg_text *t, int nt, const char *title, int head, int n,
			    const char *got[AV_MAX_TOKENS][AV_MAX_TOKENS])
{
	int found = 0;
	for (int g = 0; g < nt; g++) {
		if (strcmp(t[g].cls, "h") != 0 || strncmp(t[g].s, title, strlen(title)) != 0)
			continue;
		if (found++ != head)
			continue;
		for (int i = 0; i < n; i++) {
			char want_label[16];
			snprintf(want_label, sizeof want_label, "q%d ", i + 1);
			/* the first row label i below the title, at its x */
			int lab = -1;
			for (int r = 0; r < nt && lab < 0; r++)
				if (t[r].x == t[g].x && t[r].y > t[g].y && strcmp(t[r].cls, "l") == 0 &&
				    strncmp(t[r].s, want_label, strlen(want_label)) == 0)
					lab = r;
			ck_assert_msg(lab >= 0, "%s: no label %s", title, want_label);
			int right = 1 << 30; /* the next grid's label on this row */
			for (int r = 0; r < nt; r++)
				if (r != lab && t[r].y == t[lab].y && strcmp(t[r].cls, "l") == 0 &&
				    t[r].x > t[lab].x && t[r].x < right)
					right = t[r].x;
			int cells = 0, last_x = t[lab].x;
			for (int r = 0; r < nt; r++)
				if (strcmp(t[r].cls, "n") == 0 && t[r].y == t[lab].y && t[r].x > t[lab].x &&
				    t[r].x < right) {
					ck_assert_int_gt(t[r].x, last_x); /* left to right */
					ck_assert_int_lt(cells, n);
					last_x = t[r].x;
					got[i][cells++] = t[r].s;
				}
			ck_assert_msg(cells == n, "%s row %d: %d cells, want %d", title, i + 1, cells, n);
		}
		return;
	}
	ck_abort_msg("no grid titled '%s' number %d", title, head + 1);
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
	static svg_text t[2048];
	int nt = svg_texts(svg, t, 2048);
	const char *cell[AV_MAX_TOKENS][AV_MAX_TOKENS];
	for (int k = 0; k < 2; k++) {
		svg_grid_values(t, nt, "scores", k, n, cell);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				snprintf(where, sizeof where, "svg head %d scores[%d][%d]", k + 1, i + 1, j + 1);
				expect_printed(cell[i][j], S[k][i * n + j], where);
			}
		svg_grid_values(t, nt, "mask (causal)", k, n, cell);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				ck_assert_int_eq(atoi(cell[i][j]), j <= i);
		svg_grid_values(t, nt, "softmax", k, n, cell);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++) {
				snprintf(where, sizeof where, "svg head %d softmax[%d][%d]", k + 1, i + 1, j + 1);
				expect_printed(cell[i][j], P[k][i * n + j], where);
			}
	}
	/* the RNN: column h<t> holds h_t's components top to bottom */
	for (int s_ = 0; s_ < n; s_++) {
		char lab[8];
		snprintf(lab, sizeof lab, "h%d", s_ + 1);
		int col = -1;
		for (int r = 0; r < nt && col < 0; r++)
			if (strcmp(t[r].cls, "l") == 0 && strcmp(t[r].s, lab) == 0)
				col = r;
		ck_assert_msg(col >= 0, "no RNN column %s", lab);
		int got = 0, last_y = t[col].y;
		for (int r = 0; r < nt && got < H; r++)
			if (strcmp(t[r].cls, "n") == 0 && t[r].x == t[col].x && t[r].y > last_y) {
				snprintf(where, sizeof where, "svg h_%d[%d]", s_ + 1, got + 1);
				expect_printed(t[r].s, h[s_ * H + got], where);
				last_y = t[r].y;
				got++;
			}
		ck_assert_int_eq(got, H);
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
	suite_add_tcase(s, exp);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
