/* Issue 10, "in front of a class": what a projector, a lesson and a slide
 * show. In-process screens (newterm on /dev/null) read back with their
 * attributes: a highlighted value cell keeps its glyph (never reverse
 * video), the word strip never drops words silently, a lesson step's focus
 * is the most prominent thing on screen, every sentence matches the state
 * it describes, labels say what they are, and the drill-down explains the
 * number in the cell it was opened on. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "attnviz/lesson.h"
#include "attnviz/model.h"
#include "tui/colors.h"
#include "tui/drill.h"
#include "tui/frame.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/view.h"
#include "tui_screen.h"

static av_model model, prev;
static view v;
static layout L;
static theme th;
static popup_text pop;
static av_lesson lesson;

static void use_sentence(const char *s)
{
	av_error err;
	ck_assert_int_eq(av_model_set_sentence(&model, s, &err), AV_OK);
	view_init(&v, &model, s);
	view_teach_init(&v, &model, NULL, &prev, NULL, false);
}

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	av_config cfg = av_config_default();
	av_error err;
	ck_assert_int_eq(av_model_create(&model, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_create(&prev, &cfg, &model.w, &err), AV_OK);
	memset(&lesson, 0, sizeof lesson);
	use_sentence(AV_DEFAULT_SENTENCE);
	open_screen(80, 24);
	theme_init(&th, SCHEME_MONO, true);
}

static void teardown(void)
{
	close_screen();
	av_lesson_free(&lesson);
	av_model_destroy(&prev);
	av_model_destroy(&model);
}

static void frame(void)
{
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_follow(&v, &model, &L);
	ui_draw(&model, &v, &L, &th, &pop);
}

static void key(int ch)
{
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	press_key(&v, &model, &L, ch, false, POPUP_LINES);
}

static void resize(int cols, int lines)
{
	close_screen();
	open_screen(cols, lines);
}

/* The attributes of screen cell (y, x). */
static attr_t cell_attr(int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a = 0;
	short pair = 0;
	ck_assert_int_ne(mvin_wch(y, x, &cc), ERR);
	getcchar(&cc, wch, &a, &pair, NULL);
	return a;
}

/* Screen position of cell (i, col) of panel p (absolute indices). */
static void cell_pos(av_panel_id p, int i, int col, int *y, int *x)
{
	const panel_box *b = &L.panel[p];
	ck_assert(b->visible);
	bool grid = p != AV_PANEL_RNN && p != AV_PANEL_OUTPUT;
	*y = b->r.y + LAYOUT_HEAD_ROWS + i - v.row_off;
	*x = b->first_x + (col - (grid ? v.col_off : 0)) * b->cell_w;
}

/* ---- 1: never invert a value glyph ------------------------------------ */

START_TEST(current_row_and_cursor_keep_their_glyphs)
{
	static const color_scheme schemes[] = {SCHEME_MONO, SCHEME_8, SCHEME_256};
	for (size_t s = 0; s < 3; s++) {
		theme_init(&th, schemes[s], true);
		view_init(&v, &model, AV_DEFAULT_SENTENCE);
		for (int k = 0; k < 3; k++)
			key(' ');
		ck_assert_int_eq(model.rnn_steps, 4);
		frame();
		int y = 0, x = 0;
		for (int c = 0; c < model.cfg.d_hidden; c++) {
			cell_pos(AV_PANEL_RNN, 3, c, &y, &x);
			ck_assert_msg(!(cell_attr(y, x) & A_REVERSE),
				      "scheme %zu: h_4[%d] drawn in reverse video", s, c + 1);
		}
		/* the step is still marked, on its label */
		ck_assert(cell_attr(y, 0) & A_BOLD);
		/* a grid cursor: marked, not inverted */
		key('\t');
		v.ci = 1;
		v.cj = 0;
		frame();
		cell_pos(AV_PANEL_SCORES, 1, 0, &y, &x);
		attr_t cur = cell_attr(y, x);
		ck_assert_msg(!(cur & A_REVERSE), "scheme %zu: cursor cell in reverse video", s);
		int ny, nx;
		cell_pos(AV_PANEL_SCORES, 1, 1, &ny, &nx);
		ck_assert_msg((cur & (A_UNDERLINE | A_BOLD)) != (cell_attr(ny, nx) & (A_UNDERLINE | A_BOLD)),
			      "scheme %zu: the cursor cell looks like its neighbour", s);
	}
}
END_TEST


/* ---- 2: the word strip never drops a word silently ------------------- */

/* The strip's words must be consecutive tokens, the current one in
 * brackets, with "…" at each side where words are cut off. */
static void check_strip(const char *what)
{
	char row[4096];
	snprintf(row, sizeof row, "%s", row_text(L.tokens_y));
	char *stepw = strstr(row, "step ");
	ck_assert_ptr_nonnull(stepw);
	*stepw = '\0';
	int shown[AV_MAX_TOKENS], k = 0;
	bool left = false, right = false;
	char *save = NULL;
	for (char *w = strtok_r(row, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "…") == 0) {
			if (k == 0)
				left = true;
			else
				right = true;
			continue;
		}
		ck_assert_msg(!right, "%s: a word after the right ellipsis: '%s'", what,
			      row_text(L.tokens_y));
		bool cur = w[0] == '[';
		if (cur) {
			w++;
			w[strlen(w) - 1] = '\0';
		}
		/* a word cut with "…" (wider than the line) matches its start */
		size_t len = strlen(w);
		if (len > 3 && strcmp(w + len - 3, "…") == 0)
			len -= 3;
		int idx = k == 0 ? model.rnn_steps - 1 : shown[k - 1] + 1;
		if (k == 0) /* the first word shown: at or before the current one */
			while (idx > 0 && strncmp(model.tokens.text[idx], w, len) != 0)
				idx--;
		ck_assert_msg(idx < model.n && strncmp(model.tokens.text[idx], w, len) == 0 &&
				      (len == strlen(w) || strlen(model.tokens.text[idx]) > len),
			      "%s: '%s' is not the next token: '%s'", what, w, row_text(L.tokens_y));
		ck_assert_msg(cur == (idx == model.rnn_steps - 1), "%s: brackets on '%s'", what, w);
		shown[k++] = idx;
	}
	ck_assert_msg(k >= 1, "%s: no word shown", what);
	ck_assert_msg(left == (shown[0] > 0), "%s: left ellipsis: '%s'", what, row_text(L.tokens_y));
	ck_assert_msg(right == (shown[k - 1] < model.n - 1), "%s: right ellipsis: '%s'", what,
		      row_text(L.tokens_y));
	ck_assert_msg(shown[0] <= model.rnn_steps - 1 && model.rnn_steps - 1 <= shown[k - 1],
		      "%s: the current word is off the strip", what);
}

START_TEST(word_strip_scrolls_with_ellipses)
{
	static const char *sentences[] = {
		"one two three four five six seven eight nine eleven twelve a b",
		"we can not see the on going words of a sentence until we read them all today",
		"supercalifragilisticexpialidocious antidisestablishmentarianism a b c "
		"pneumonoultramicroscopicsilicovolcanoconiosis x",
	};
	static const int sizes[][2] = {{80, 24}, {40, 16}, {120, 40}};
	for (size_t s = 0; s < 3; s++) {
		use_sentence(sentences[s]);
		for (size_t z = 0; z < 3; z++) {
			resize(sizes[z][0], sizes[z][1]);
			for (int step = 1; step <= model.n; step++) {
				char what[64];
				snprintf(what, sizeof what, "sentence %zu, %dx%d, step %d", s + 1,
					 sizes[z][0], sizes[z][1], step);
				av_model_rnn_goto(&model, step);
				frame();
				check_strip(what);
			}
		}
	}
}
END_TEST


/* ---- 6: a label says what its numbers are ----------------------------- */

START_TEST(detail_line_labels_say_what_they_are)
{
	static const struct {
		av_panel_id p;
		int i;
		const char *label;
	} cases[] = {{AV_PANEL_SCORES, 3, "scores row 4:"},
		     {AV_PANEL_MASK, 1, "mask row 2:"},
		     {AV_PANEL_MASKED, 2, "masked row 3:"},
		     {AV_PANEL_SOFTMAX, 4, "softmax row 5:"}};
	/* 120x40: the row is in full, labelled; 80x24: labelled or left out
	 * (the table under the grids has it), never a bare label */
	resize(120, 40);
	for (size_t k = 0; k < 8; k++) {
		if (k == 4)
			resize(80, 24);
		v.focus = cases[k % 4].p;
		v.ci = cases[k % 4].i;
		v.cj = 0;
		frame();
		const char *d = row_text(L.detail_y);
		const char *lab = strstr(d, cases[k % 4].label);
		ck_assert_msg(lab || k >= 4, "want '%s': '%s'", cases[k % 4].label, d);
		if (lab) /* and a number after it */
			ck_assert_msg(lab[strlen(cases[k % 4].label)] == ' ' &&
					      strchr("-0123456789", lab[strlen(cases[k % 4].label) + 1]),
				      "a bare label: '%s'", d);
		if (lab && cases[k % 4].p == AV_PANEL_SOFTMAX) /* a masked weight reads 0 */
			ck_assert_msg(!strstr(lab, " 0.00"), "'%s'", d);
		if (cases[k % 4].p == AV_PANEL_SOFTMAX) { /* the selected masked weight too */
			v.cj = cases[k % 4].i + 1;
			frame();
			d = row_text(L.detail_y);
			char want[64];
			snprintf(want, sizeof want, "softmax[%d][%d] = 0 ", cases[k % 4].i + 1,
				 cases[k % 4].i + 2);
			ck_assert_msg(strstr(d, want), "want '%s' as in the cell: '%s'", want, d);
		}
		char q[16];
		snprintf(q, sizeof q, "q_%d:", cases[k % 4].i + 1);
		ck_assert_msg(!strstr(d, q), "'%s' reads as the query vector: '%s'", q, d);
	}
}
END_TEST


/* ---- 10: the drill-down explains the number in its cell --------------- */

/* The popup line labelled label (at its start), or NULL. */
static const char *popup_line(const char *label)
{
	for (int k = 0; k < pop.n; k++)
		if (strncmp(pop.line[k], label, strlen(label)) == 0)
			return pop.line[k];
	return NULL;
}

START_TEST(drill_down_explains_the_inference_cell)
{
	av_model_set_mask(&model, AV_MASK_NONE);
	key('t');
	ck_assert_int_eq(v.mode, VIEW_INFERENCE);
	for (int k = 0; k < 5; k++)
		key(' ');
	v.focus = AV_PANEL_OUTPUT;
	v.ci = 0;
	v.cj = 0;
	key('\n');
	ck_assert(v.drill);
	frame();
	/* the z_1[1] line gives the incremental z the cell shows, from one term */
	const av_head_state *hs = &model.head[0];
	char want[64];
	snprintf(want, sizeof want, "%.4f", (double)hs->inc_output[0]);
	const char *zl = popup_line("z_1[1]");
	ck_assert_ptr_nonnull(zl);
	ck_assert_msg(strstr(zl, want), "drill z: '%s', cell %s", zl, want);
	ck_assert_ptr_nonnull(popup_line("j=1"));
	ck_assert_ptr_null(popup_line("j=2")); /* the decoder had token 1 only */
	/* an attention cell: the incremental probability */
	key('q'); /* closes the popup */
	v.focus = AV_PANEL_SOFTMAX;
	v.ci = 2;
	v.cj = 1;
	key('\n');
	frame();
	snprintf(want, sizeof want, "%.4f", (double)hs->inc_weights[2 * model.n + 1]);
	const char *pl = popup_line("probability");
	ck_assert_ptr_nonnull(pl);
	ck_assert_msg(strstr(pl, want), "drill p: '%s', cell %s", pl, want);
	ck_assert(fabsf(hs->inc_weights[2 * model.n + 1] - hs->weights[2 * model.n + 1]) > 1e-4f);
}
END_TEST


/* ---- 4: every sentence is chosen from the state it describes ---------- */

START_TEST(sentences_match_the_state)
{
	resize(120, 40);
	for (int mode = 0; mode < 2; mode++) {
		for (int mk = 0; mk < AV_MASK_COUNT; mk++) {
			v.mode = mode ? VIEW_INFERENCE : VIEW_TRAINING;
			av_model_set_mask(&model, (av_mask_kind)mk);
			key(' ');
			key('c'); /* cycle to the next mask: the status names it */
			key('c');
			key('c');
			key('c');
			ck_assert_int_eq(model.cfg.mask, mk);
			frame();
			char what[64];
			snprintf(what, sizeof what, "%s, %s", av_mask_name(model.cfg.mask),
				 mode ? "inference" : "training");
			bool clean = mk == AV_MASK_CAUSAL && !mode;
			ck_assert_msg(screen_has("without any") == clean,
				      "%s: 'without any cheating' shown: %d", what, !clean);
			ck_assert_msg(!screen_has("no row waits for another") || !mode,
				      "%s: the inference view's rows wait", what);
			if (mk == AV_MASK_STRICT && !mode)
				ck_assert_msg(screen_has("sum 0"), "%s: row 1 sums to 0", what);
			if (mk == AV_MASK_NONE && !mode)
				ck_assert_msg(screen_has("cheating"), "%s", what);
			/* the status never promises ! marks the inference view lacks */
			ck_assert_msg(!mode || !screen_has("! marks"), "%s: status '%s'", what,
				      row_text(L.status_y));
		}
	}
	/* the status line's count is the counter's */
	v.mode = VIEW_INFERENCE;
	key('t');
	frame();
	ck_assert_msg(!screen_has("one batched step"), "%s", row_text(L.status_y));
	ck_assert_msg(screen_has("in 4 batched steps"), "%s", row_text(L.status_y));
	ck_assert(screen_has("4 batched steps for any n"));
}
END_TEST


/* ---- 3: a lesson step's focus is the most prominent thing ------------- */

static void load_lesson(void)
{
	av_error err;
	char path[1024];
	const char *assets = getenv("ATTNVIZ_ASSETS");
	snprintf(path, sizeof path, "%s/lessons/parallel-attention.lesson",
		 assets ? assets : "assets");
	ck_assert_msg(av_lesson_load(&lesson, path, &err) == AV_OK, "%s", err.msg);
}

/* The 0-based index of the lesson step titled title. */
static int step_titled(const char *title)
{
	for (int k = 0; k < lesson.n_steps; k++)
		if (strcmp(lesson.steps[k].title, title) == 0)
			return k;
	ck_abort_msg("no step '%s'", title);
	return -1;
}

static attr_t label_attr(int i)
{
	return cell_attr(L.panel[AV_PANEL_SCORES].r.y + LAYOUT_HEAD_ROWS + i - v.row_off, 2);
}

START_TEST(lesson_focus_is_the_most_prominent)
{
	load_lesson();
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_teach_init(&v, &model, &L, &prev, &lesson, false);
	int k = step_titled("But q_2 must not see the future");
	view_lesson_goto(&v, &model, &L, k);
	frame();
	ck_assert_int_eq(v.focus, AV_PANEL_SCORES);
	const attr_t mark = A_UNDERLINE | A_BOLD;
	/* the cell (2, 4) is marked; its four neighbours are not */
	int y, x;
	cell_pos(AV_PANEL_SCORES, 1, 3, &y, &x);
	ck_assert_msg((cell_attr(y, x) & mark) == mark, "cell (2,4) not marked");
	static const int nb[4][2] = {{0, 3}, {2, 3}, {1, 2}, {1, 4}};
	for (int q = 0; q < 4; q++) {
		cell_pos(AV_PANEL_SCORES, nb[q][0], nb[q][1], &y, &x);
		ck_assert_msg((cell_attr(y, x) & mark) != mark, "neighbour (%d,%d) marked too",
			      nb[q][0] + 1, nb[q][1] + 1);
	}
	/* row 2 is the marked row, not the RNN's step row 6 */
	ck_assert_msg((label_attr(1) & mark) == mark, "row 2's label not marked");
	for (int i = 0; i < model.n; i++)
		if (i != 1)
			ck_assert_msg(!(label_attr(i) & (A_BOLD | A_UNDERLINE)),
				      "row %d's label competes with the focus", i + 1);
	/* the mask, the masked scores and the softmax are not there yet */
	ck_assert(!L.panel[AV_PANEL_MASK].visible);
	ck_assert(!L.panel[AV_PANEL_MASKED].visible);
	ck_assert(!L.panel[AV_PANEL_SOFTMAX].visible);
	ck_assert(!screen_has("softmax"));
	/* the step that introduces the mask shows it (and the masked scores) */
	view_lesson_goto(&v, &model, &L, step_titled("The mask matrix"));
	frame();
	ck_assert(L.panel[AV_PANEL_MASK].visible && L.panel[AV_PANEL_MASKED].visible);
	ck_assert(!L.panel[AV_PANEL_SOFTMAX].visible);
	view_lesson_goto(&v, &model, &L, step_titled("After masking, softmax"));
	frame();
	ck_assert(L.panel[AV_PANEL_SOFTMAX].visible);
	/* and back: hidden again */
	view_lesson_goto(&v, &model, &L, 0);
	frame();
	ck_assert(!L.panel[AV_PANEL_SCORES].visible && L.panel[AV_PANEL_RNN].visible);
}
END_TEST


/* ---- 9: the smaller ones ---------------------------------------------- */

static void type(const char *s)
{
	for (; *s; s++)
		key((unsigned char)*s);
}

START_TEST(replace_word_starts_empty_and_refuses_two_words)
{
	for (int k = 0; k < 4; k++)
		key(' '); /* step 5: "the" */
	key('x');
	ck_assert(v.ed.active);
	ck_assert_str_eq(v.ed.buf, ""); /* typing does not append to "the" */
	type("a\n");
	ck_assert_str_eq(model.tokens.text[4], "a");
	ck_assert_int_eq(model.n, 6);
	key('x');
	type("big red\n"); /* two words: refused, not a sentence edit */
	ck_assert_int_eq(model.n, 6);
	ck_assert_str_eq(model.tokens.text[4], "a");
	ck_assert(v.status_error);
	ck_assert_msg(strstr(v.status, "one word"), "%s", v.status);
}
END_TEST

START_TEST(quiz_pick_needs_the_row_and_says_why)
{
	/* the first argmax question of the seed's quiz */
	key('Q');
	for (int k = 0; k < 40 && v.quiz.question.kind != AV_QUIZ_ARGMAX; k++)
		key(' ');
	ck_assert_int_eq(v.quiz.question.kind, AV_QUIZ_ARGMAX);
	int row = v.quiz.question.row;
	/* another row's column is no answer */
	v.ci = row == 0 ? 1 : 0;
	v.cj = 0;
	key('\n');
	ck_assert_int_eq(v.quiz.phase, QUIZ_ASKING);
	char want[64];
	snprintf(want, sizeof want, "about row %d", row + 1);
	ck_assert_msg(strstr(v.status, want), "%s", v.status);
	/* a masked key: wrong, and why */
	ck_assert_int_lt(row, model.n - 1); /* causal: row n has no masked key */
	v.ci = row;
	v.cj = model.n - 1;
	key('\n');
	ck_assert_int_eq(v.quiz.phase, QUIZ_REVEALED);
	ck_assert(!v.quiz.right);
	key('q'); /* closes the drill-down */
	frame();
	ck_assert_msg(screen_has("masked for q_"), "verdict: %s", row_text(L.caption.y + 2));
}
END_TEST

START_TEST(ascii_marks_have_one_meaning_each)
{
	theme t;
	theme_init(&t, SCHEME_MONO, false);
	for (int k = 0; k < THEME_RAMP; k++) {
		ck_assert_str_ne(t.edge_first, t.ramp_signed[k]);
		ck_assert_str_ne(t.edge_first, t.ramp_prob[k]);
		ck_assert_str_ne(t.changed_mark, t.ramp_signed[k]);
		ck_assert_str_ne(t.leak_mark, t.ramp_prob[k]);
	}
	ck_assert_str_ne(t.edge_first, t.changed_mark);
	ck_assert_str_ne(t.edge, t.changed_mark);
}
END_TEST

START_TEST(positional_says_the_rnn_changes_too)
{
	float h1 = model.h[0];
	key('p');
	ck_assert(model.cfg.positional);
	ck_assert(model.h[0] != h1); /* the RNN's inputs did change */
	frame();
	ck_assert_msg(strstr(row_text(L.status_y), "RNN"), "%s", row_text(L.status_y));
}
END_TEST


/* ---- 5: projector readability: themes, non-zero over zero, presenter -- */

/* WCAG relative luminance and contrast ratio of two 0xRRGGBB colours. */
static double lin(unsigned c8)
{
	double c = c8 / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(unsigned rgb)
{
	return 0.2126 * lin(rgb >> 16 & 255) + 0.7152 * lin(rgb >> 8 & 255) + 0.0722 * lin(rgb & 255);
}

static double contrast(unsigned a, unsigned b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

START_TEST(nonzero_reads_stronger_than_zero_on_both_backgrounds)
{
	for (int light = 0; light < 2; light++) {
		theme t;
		theme_init_bg(&t, SCHEME_256, true, light);
		unsigned bg = light ? 0xffffff : 0x000000;
		double zero = contrast(theme_xterm_rgb(t.fg[ROLE_MASKED]), bg);
		double small = contrast(theme_xterm_rgb(t.fg[ROLE_P0]), bg);
		ck_assert_msg(small > zero * 1.3, "%s: weight 0.07 %.2f vs zero %.2f",
			      light ? "light" : "dark", small, zero);
		ck_assert(!(t.attr[ROLE_P0] & A_DIM));
		/* the current word, 1.00 and the focused title stay legible */
		static const role legible[] = {ROLE_STEP, ROLE_P4, ROLE_KEY, ROLE_TITLE_FOCUS};
		for (size_t k = 0; k < 4; k++) {
			double c = contrast(theme_xterm_rgb(t.fg[legible[k]] >= 0 ? t.fg[legible[k]]
										   : (light ? 0 : 15)),
					    bg);
			ck_assert_msg(c >= 4.5, "%s: role %d contrast %.2f", light ? "light" : "dark",
				      (int)legible[k], c);
		}
	}
	/* monochrome: a small weight is not dimmed, a zero is */
	theme t;
	theme_init(&t, SCHEME_MONO, true);
	ck_assert(!(t.attr[ROLE_P0] & A_DIM));
	ck_assert(t.attr[ROLE_MASKED] & A_DIM);
	/* --theme auto reads COLORFGBG's background */
	ck_assert(!theme_background_is_light(THEME_AUTO, NULL));
	ck_assert(!theme_background_is_light(THEME_AUTO, "15;0"));
	ck_assert(theme_background_is_light(THEME_AUTO, "0;15"));
	ck_assert(theme_background_is_light(THEME_AUTO, "0;default;7"));
	ck_assert(!theme_background_is_light(THEME_AUTO, "0;x"));
	ck_assert(theme_background_is_light(THEME_LIGHT, "15;0"));
	ck_assert(!theme_background_is_light(THEME_DARK, "0;15"));
	ck_assert_uint_eq(theme_xterm_rgb(196), 0xff0000);
	ck_assert_uint_eq(theme_xterm_rgb(244), 0x808080);
}
END_TEST

START_TEST(presenter_mode_has_wide_numbers_and_fewer_panels)
{
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	key('b');
	ck_assert(v.big);
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	ck_assert_int_eq(L.panel[AV_PANEL_SCORES].cell_w, LAYOUT_CELL_BIG);
	ck_assert(!L.panel[AV_PANEL_MASKED].visible && !L.panel[AV_PANEL_OUTPUT].visible);
	ck_assert(L.panel[AV_PANEL_RNN].visible && L.panel[AV_PANEL_SOFTMAX].visible);
	/* two decimals in the cells: h_1[1] */
	char want[16];
	snprintf(want, sizeof want, "%.2f", (double)model.h[0]);
	ck_assert_msg(screen_has(want), "no %s", want);
	/* focusing z_n brings it back */
	v.focus = AV_PANEL_OUTPUT;
	frame();
	ck_assert(L.panel[AV_PANEL_OUTPUT].visible);
	key('b');
	ck_assert(!v.big);
}
END_TEST


/* ---- 7: long sentences: headers, labels ------------------------------- */

/* The header label drawn over column col of panel p ("" when none). */
static const char *header_at(av_panel_id p, int col)
{
	static char buf[8];
	const panel_box *b = &L.panel[p];
	int x = b->first_x + (col - v.col_off) * b->cell_w;
	wchar_t w[4] = {0};
	mvinnwstr(b->r.y + 1, x - 1, w, 3);
	buf[0] = '\0';
	wcstombs(buf, w, sizeof buf - 1);
	return buf;
}

START_TEST(column_headers_stay_in_their_panel)
{
	use_sentence("a b c d e f g h i j");
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	for (int p = AV_PANEL_SCORES; p <= AV_PANEL_SOFTMAX; p++) {
		const panel_box *b = &L.panel[p];
		if (!b->visible)
			continue;
		/* the column after the panel's last cell (the gap) is blank */
		int gx = b->first_x + b->cells * b->cell_w;
		wchar_t w[2] = {0};
		mvinnwstr(b->r.y + 1, gx, w, 1);
		ck_assert_msg(w[0] == L' ', "panel %d: header runs into the gap: '%s'", p,
			      row_text(b->r.y + 1));
		/* column 10 is labelled 10, ending on its own cell */
		ck_assert_msg(strstr(header_at((av_panel_id)p, 9), "10"), "panel %d: '%s'", p,
			      row_text(b->r.y + 1));
	}
	/* 16 tokens: every column past 10 but the one before 15 has a label */
	use_sentence("a b c d e f g h i j k l m n o p");
	resize(120, 40);
	frame();
	for (int col = 10; col < 16; col++) {
		if (col == 13) /* "15" takes its space */
			continue;
		const char *h = header_at(AV_PANEL_SCORES, col);
		char want[4];
		snprintf(want, sizeof want, "%d", (col + 1) % 10);
		ck_assert_msg(strstr(h, want), "column %d has no label: '%s'", col + 1,
			      row_text(L.panel[AV_PANEL_SCORES].r.y + 1));
	}
}
END_TEST


/* ---- 7: the whole triangle of a long sentence: a heatmap --------------- */

/* The foreground and background colour of screen cell (y, x). */
static void cell_colours(int y, int x, short *fg, short *bg)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a = 0;
	short pair = 0;
	ck_assert_int_ne(mvin_wch(y, x, &cc), ERR);
	getcchar(&cc, wch, &a, &pair, NULL);
	ck_assert(!(a & A_REVERSE));
	ck_assert_int_ne(pair_content(pair, fg, bg), ERR);
}

/* 64 words ("w1 w2 ... w64") at 120x40 with 256 colours and the heat
 * ramp installed, in the heatmap layout (G). */
static void open_heatmap_64(void)
{
	char s[512] = "";
	for (int i = 1; i <= 64; i++) {
		char w[16];
		snprintf(w, sizeof w, "w%d ", i);
		strcat(s, w);
	}
	use_sentence(s);
	resize(120, 40);
	start_color();
	theme_init_bg(&th, SCHEME_256, true, false);
	theme_install(&th);
	theme_heat_install(&th);
	ck_assert(th.heat);
	key('G');
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_HEAT);
}

START_TEST(heatmap_keeps_the_whole_triangle)
{
	open_heatmap_64();
	ck_assert_int_eq(L.rows_vis, 64); /* every row ... */
	const panel_box *b = &L.panel[AV_PANEL_SOFTMAX];
	ck_assert(b->visible);
	ck_assert_int_eq(b->cells, 64);   /* ... and every column */
	ck_assert_int_eq(v.row_off, 0);
	short fg, bg, zero = th.fg[ROLE_MASKED];
	/* line 1 = rows 1, 2: column 64 is masked in both */
	cell_colours(b->r.y + LAYOUT_HEAD_ROWS, b->first_x + 63, &fg, &bg);
	ck_assert_int_eq(fg, zero);
	ck_assert_int_eq(bg, zero);
	/* column 1: weight 1 on row 1 (the brightest), and row 2's weight */
	cell_colours(b->r.y + LAYOUT_HEAD_ROWS, b->first_x, &fg, &bg);
	ck_assert_int_eq(fg, th.fg[ROLE_P4]);
	ck_assert_int_ne(bg, zero);
	/* the last line = rows 63, 64: column 64 is kept in row 64 only */
	cell_colours(b->r.y + LAYOUT_HEAD_ROWS + 31, b->first_x + 63, &fg, &bg);
	ck_assert_int_eq(fg, zero);
	ck_assert_int_ne(bg, zero);
	/* Tab reaches every grid, each shown whole in turn */
	for (int k = 0; k < 4; k++) {
		key('\t');
		frame();
		if (v.focus >= AV_PANEL_SCORES && v.focus <= AV_PANEL_SOFTMAX)
			ck_assert_msg(L.panel[v.focus].visible && L.panel[v.focus].cells == 64,
				      "focus %d", v.focus);
	}
	/* 80x24: as much of it as fits, every column */
	resize(80, 24);
	start_color();
	theme_install(&th);
	theme_heat_install(&th);
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_HEAT);
	ck_assert_int_ge(L.rows_vis, 30);
	ck_assert_int_eq(L.panel[v.focus >= AV_PANEL_SCORES && v.focus <= AV_PANEL_SOFTMAX ? v.focus : AV_PANEL_SOFTMAX].cells, 64);
}
END_TEST

/* The character at screen cell (y, x). */
static wchar_t char_at(int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1] = {0};
	attr_t a = 0;
	short pair = 0;
	ck_assert_int_ne(mvin_wch(y, x, &cc), ERR);
	getcchar(&cc, wch, &a, &pair, NULL);
	return wch[0];
}

/* A heatmap cell has no room for the glyph view's ! and *: each line's
 * mark stands in the blank column left of the grid, for its two rows. */
START_TEST(heatmap_marks_leaks_and_changes)
{
	open_heatmap_64();
	const panel_box *b = &L.panel[AV_PANEL_SOFTMAX];
	int y0 = b->r.y + LAYOUT_HEAD_ROWS, x = b->r.x - 1;
	for (int r = 0; r < 32; r++) /* causal: nothing leaks */
		ck_assert_int_eq(char_at(y0 + r, x), L' ');
	key('m'); /* none: every line has a row that sees a later word (row 63 sees 64) */
	frame();
	for (int r = 0; r < 32; r++)
		ck_assert_msg(char_at(y0 + r, x) == L'!', "line %d", r + 1);
	key('m');
	frame();
	/* the causality test under the causal mask: the last word replaced
	 * changes row 64's weights only, so only the last line is marked */
	key('x');
	type("other\n");
	frame();
	ck_assert(v.cmp.on);
	ck_assert_int_eq(L.mode, LAYOUT_HEAT);
	y0 = b->r.y + LAYOUT_HEAD_ROWS, x = b->r.x - 1; /* the layout may move it */
	for (int r = 0; r < 31; r++)
		ck_assert_msg(char_at(y0 + r, x) == L' ', "line %d: %lc", r + 1, (wint_t)char_at(y0 + r, x));
	ck_assert_int_eq(char_at(y0 + 31, x), L'*');
}
END_TEST

/* Walk at 120x40 (numbers): the selected cell's background keeps the
 * value's colour, but a zero or −∞ is the faintest grey, and was drawn
 * 239 on 238: an empty box where "0" should be. Readable on dark and light. */
START_TEST(selected_zero_stays_readable)
{
	resize(120, 40);
	for (int light = 0; light < 2; light++) {
		start_color();
		theme_init_bg(&th, SCHEME_256, true, light);
		theme_install(&th);
		theme_heat_install(&th);
		static const av_panel_id grids[] = {AV_PANEL_SOFTMAX, AV_PANEL_MASKED};
		for (int g = 0; g < 2; g++) {
			v.focus = grids[g];
			v.ci = 0, v.cj = 3; /* masked: softmax 0, masked score −∞ */
			frame();
			ck_assert_int_ge(L.panel[grids[g]].cell_w, LAYOUT_CELL_NUMERIC);
			int y, x;
			cell_pos(grids[g], 0, 3, &y, &x);
			x += L.panel[grids[g]].cell_w - 2; /* the last character: "0" or "∞" */
			short fg, bg;
			cell_colours(y, x, &fg, &bg);
			double c = contrast(theme_xterm_rgb(fg), theme_xterm_rgb(bg));
			ck_assert_msg(c >= 4.5, "%s, panel %d: '%s' fg %d on bg %d, contrast %.2f",
				      light ? "light" : "dark", (int)grids[g], row_text(y), fg, bg, c);
			ck_assert(!(cell_attr(y, x) & A_DIM));
		}
	}
}
END_TEST

/* Walk, --big --theme light at 120x40: a softmax weight of 0.49 (green 71)
 * was the faintest number on white (contrast 2.7), fainter than 0.07, and
 * a score of +7 (orange 208, 2.4) fainter than a score of 0. On a light
 * background every weight reads as text (4.5:1), and a larger |value|
 * never reads fainter than a smaller one. */
START_TEST(light_values_keep_their_order)
{
	theme t;
	theme_init_bg(&t, SCHEME_256, true, true);
	unsigned white = 0xffffff;
	static const role probs[] = {ROLE_P0, ROLE_P1, ROLE_P2, ROLE_P3, ROLE_P4};
	for (size_t k = 0; k < 5; k++) {
		double c = contrast(theme_xterm_rgb(t.fg[probs[k]]), white);
		ck_assert_msg(c >= 4.5, "weight role %d: contrast %.2f on white", (int)probs[k], c);
	}
	static const role neg[] = {ROLE_ZERO, ROLE_NEG1, ROLE_NEG2, ROLE_NEG3};
	static const role pos[] = {ROLE_ZERO, ROLE_POS1, ROLE_POS2, ROLE_POS3};
	for (size_t k = 1; k < 4; k++) {
		double n0 = contrast(theme_xterm_rgb(t.fg[neg[k - 1]]), white);
		double n1 = contrast(theme_xterm_rgb(t.fg[neg[k]]), white);
		double p0 = contrast(theme_xterm_rgb(t.fg[pos[k - 1]]), white);
		double p1 = contrast(theme_xterm_rgb(t.fg[pos[k]]), white);
		ck_assert_msg(n1 >= n0 * 0.95, "negative level %zu: %.2f after %.2f", k, n1, n0);
		ck_assert_msg(p1 >= p0 * 0.95, "positive level %zu: %.2f after %.2f", k, p1, p0);
	}
}
END_TEST

static Suite *classroom_suite(void)
{
	Suite *s = suite_create("tui_classroom");
	TCase *tc = tcase_create("Classroom");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, current_row_and_cursor_keep_their_glyphs);
	tcase_add_test(tc, word_strip_scrolls_with_ellipses);
	tcase_add_test(tc, detail_line_labels_say_what_they_are);
	tcase_add_test(tc, drill_down_explains_the_inference_cell);
	tcase_add_test(tc, sentences_match_the_state);
	tcase_add_test(tc, lesson_focus_is_the_most_prominent);
	tcase_add_test(tc, replace_word_starts_empty_and_refuses_two_words);
	tcase_add_test(tc, quiz_pick_needs_the_row_and_says_why);
	tcase_add_test(tc, ascii_marks_have_one_meaning_each);
	tcase_add_test(tc, positional_says_the_rnn_changes_too);
	tcase_add_test(tc, nonzero_reads_stronger_than_zero_on_both_backgrounds);
	tcase_add_test(tc, presenter_mode_has_wide_numbers_and_fewer_panels);
	tcase_add_test(tc, column_headers_stay_in_their_panel);
	tcase_add_test(tc, heatmap_keeps_the_whole_triangle);
	tcase_add_test(tc, heatmap_marks_leaks_and_changes);
	tcase_add_test(tc, selected_zero_stays_readable);
	tcase_add_test(tc, light_values_keep_their_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(classroom_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
