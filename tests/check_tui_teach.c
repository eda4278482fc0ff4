/* The TUI's teaching modes in-process: newterm on /dev/null at 80x24 (and
 * 120x40), one frame drawn from a real model, the screen read back with
 * mvinnwstr. Training vs inference, leaks under every mask, strict's empty
 * first row, the causality test against a second model, the lesson caption
 * panel and its steps, the quiz (prompt, right and wrong answers, score),
 * export to a free file name, and the key table's quiz context. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <stdint.h>
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "attnviz/lesson.h"
#include "attnviz/model.h"
#include "formats/export.h"
#include "tui/colors.h"
#include "tui/effects.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "fmt/number.h"
#include "tui/frame.h"
#include "tui/help.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/teach.h"
#include "tui/view.h"
#include "tui/view_internal.h"
#include "tui_screen.h"
#include "ref_model.h"

static av_model model, prev;
static view v;
static layout L;
static theme th;
static popup_text pop;
static av_lesson lesson;

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	av_config cfg = av_config_default();
	av_error err;
	ck_assert_int_eq(av_model_create(&model, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&model, AV_DEFAULT_SENTENCE, &err), AV_OK);
	ck_assert_int_eq(av_model_create(&prev, &cfg, &model.w, &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	memset(&lesson, 0, sizeof lesson);
	open_screen(80, 24);
	theme_init(&th, SCHEME_MONO, true);
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_teach_init(&v, &model, &L, &prev, NULL, false);
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

/* The text of cells [first, first + count) of row i of panel p. */
static const char *panel_row(av_panel_id p, int i)
{
	static char buf[512];
	const panel_box *b = &L.panel[p];
	ck_assert(b->visible);
	int y = b->r.y + LAYOUT_HEAD_ROWS + i - v.row_off;
	wchar_t w[256];
	buf[0] = '\0';
	int width = b->r.w < 255 ? b->r.w : 255;
	if (mvinnwstr(y, b->r.x, w, width) == ERR)
		return buf;
	if (wcstombs(buf, w, sizeof buf - 1) == (size_t)-1)
		buf[0] = '\0';
	return buf;
}

static void key(int ch)
{
	press_key(&v, &model, &L, ch, false, 0);
	effects_run(&v, &model, export_model); /* as the app loop does */
	frame();
}

static void load_lesson(void)
{
	av_error err;
	char path[1024];
	const char *assets = getenv("ATTNVIZ_ASSETS");
	snprintf(path, sizeof path, "%s/lessons/parallel-attention.lesson",
		 assets ? assets : "assets");
	ck_assert_msg(av_lesson_load(&lesson, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_ge(lesson.n_steps, 2);
}

/* The handler tables: every action a key can give (ACT_NONE aside) has
 * exactly one handler among the groups, and the actions view_apply takes
 * before any handler (editor, popup, timer) have none. */
START_TEST(every_action_has_one_handler)
{
	int count;
	const key_binding *table = keymap_table(&count);
	for (int k = 0; k < count; k++)
		if (table[k].act != ACT_NONE)
			ck_assert_msg(view_action_handler(table[k].act) != NULL,
				      "no handler for the action of key %d", table[k].key);
	for (int a = ACT_NONE + 1; a < ACT_EDITOR_CHAR; a++) {
		int found = 0;
		for (int e = 0; e < view_nav_action_count; e++)
			found += view_nav_actions[e].act == (action)a;
		for (int e = 0; e < view_model_action_count; e++)
			found += view_model_actions[e].act == (action)a;
		ck_assert_msg(view_action_handler((action)a) != NULL, "action %d: no handler", a);
		ck_assert_int_le(found, 1); /* the third group is view.c's own */
	}
	for (int a = ACT_EDITOR_CHAR; a < ACT_COUNT; a++)
		ck_assert_msg(view_action_handler((action)a) == NULL, "action %d", a);
	ck_assert(view_action_handler(ACT_NONE) == NULL);
}
END_TEST

/* ---- training vs inference -------------------------------------------- */

/* One path for every key: keymap_action only reads the view (what is open
 * decides what a key means), view_apply changes it; the auto-play timer
 * is not a key and leaves the message. */
START_TEST(keys_become_actions_then_apply)
{
	int arg;
	view before;
	memcpy(&before, &v, sizeof v); /* bytes, padding included */
	ck_assert_int_eq(keymap_action(&v, 'm', false, 0, &arg), ACT_MASK_TOGGLE);
	ck_assert_int_eq(keymap_action(&v, '3', false, 0, &arg), ACT_HEAD_SET);
	ck_assert_int_eq(arg, 2);
	ck_assert_mem_eq(&before, &v, sizeof v); /* nothing applied */

	press_key(&v, &model, &L, 'a', false, 0); /* auto-play on, with a message */
	ck_assert_str_eq(v.status, "auto-play on (+/- speed)");
	int step = model.rnn_steps;
	view_apply(&v, &model, &L, ACT_AUTOPLAY_TICK, 0);
	ck_assert_int_eq(model.rnn_steps, step + 1);
	ck_assert_str_eq(v.status, "auto-play on (+/- speed)"); /* a tick keeps it */
	press_key(&v, &model, &L, 'a', false, 0);
	ck_assert(!v.autoplay);

	/* the help open: j/k scroll within 0..max, another key only closes it */
	press_key(&v, &model, &L, '?', false, 0);
	ck_assert(v.help);
	ck_assert_int_eq(keymap_action(&v, 'j', false, 3, &arg), ACT_POPUP_SCROLL);
	ck_assert_int_eq(arg, 1);
	for (int k = 0; k < 5; k++)
		press_key(&v, &model, &L, 'j', false, 3);
	ck_assert_int_eq(v.drill_scroll, 3);
	press_key(&v, &model, &L, 'k', false, 3);
	ck_assert_int_eq(v.drill_scroll, 2);
	view_message(&v, false, "kept");
	int mask = (int)model.cfg.mask;
	ck_assert_int_eq(keymap_action(&v, 'm', false, 3, &arg), ACT_POPUP_CLOSE);
	press_key(&v, &model, &L, 'm', false, 3);
	ck_assert(!v.help);
	ck_assert_int_eq(v.drill_scroll, 0);
	ck_assert_int_eq((int)model.cfg.mask, mask); /* m closed the help, no more */
	ck_assert_str_eq(v.status, "kept");
	press_key(&v, &model, &L, 'm', false, 3); /* now it toggles, the message goes */
	ck_assert_int_ne((int)model.cfg.mask, mask);
	ck_assert_str_ne(v.status, "kept");

	/* the editor open: every key is the editor's, even a bound one */
	press_key(&v, &model, &L, 'e', false, 0);
	ck_assert(v.ed.active);
	ck_assert_int_eq(keymap_action(&v, 'q', false, 0, &arg), ACT_EDITOR_CHAR);
	ck_assert_int_eq(arg, 'q');
	press_key(&v, &model, &L, 'q', false, 0);
	ck_assert(!v.quit);
	ck_assert(v.ed.active);
}
END_TEST

START_TEST(inference_rows_after_the_step_are_pending)
{
	key('l'); /* step 2 */
	key('t');
	ck_assert_int_eq(v.mode, VIEW_INFERENCE);
	ck_assert_ptr_nonnull(strstr(row_text(0), "inference"));
	/* rows 1..2 computed from tokens 1..i, rows 3..6 pending */
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "┆"));
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 1), "┆"));
	for (int i = 2; i < 6; i++) {
		ck_assert_msg(strstr(panel_row(AV_PANEL_SOFTMAX, i), "┆ ┆ ┆ ┆ ┆ ┆"), "row %d: %s",
			      i + 1, panel_row(AV_PANEL_SOFTMAX, i));
		ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SCORES, i), "┆ ┆ ┆"));
		ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_OUTPUT, i), "┆"));
	}
	/* the decoder has no later keys: row 1 shows one cell, no zeros after */
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "·"));
	/* the check: max|diff| per computed row, pending after */
	int y = find_row("max|diff|   ");
	ck_assert_int_ge(y, 0);
	ck_assert_msg(strstr(row_text(y), "┆      ┆      ┆      ┆"), "%s", row_text(y));
	ck_assert_ptr_nonnull(strstr(row_text(y - 2), "row i"));
	ck_assert(screen_has("inference: row 2 from tokens 1..2 only"));
	ck_assert_float_eq_tol(model.head[0].inc_diff[0], 0.0f, 1e-6f);
	/* stepping grows the rows */
	key(' ');
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 2), "┆"));
	/* a pending row says so in the detail line */
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0);
	v.ci = 4;
	frame();
	ck_assert(screen_has("row 5 is not computed yet: the decoder has seen 3 tokens; "
			     "press Space to step"));
	key('g'); /* step 1: one token, singular */
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0);
	v.ci = 2;
	frame();
	ck_assert_msg(screen_has("row 3 is not computed yet: the decoder has seen 1 token; "
				 "press Space to step"),
		      "%s", row_text(L.detail_y));
	key('t');
	ck_assert_int_eq(v.mode, VIEW_TRAINING);
	ck_assert_ptr_nonnull(strstr(row_text(0), "training"));
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 5), "┆"));
}
END_TEST

START_TEST(inference_at_120x40_shows_incremental_numbers)
{
	close_screen();
	open_screen(120, 40);
	key('t');
	key('l');
	key('l');
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "1.00"));
	ck_assert(screen_has("max|diff|"));
	ck_assert(!screen_has("nan"));
}
END_TEST

/* ---- masks and leaks --------------------------------------------------- */

START_TEST(c_cycles_the_masks_and_m_toggles)
{
	static const av_mask_kind order[] = {AV_MASK_NONE, AV_MASK_STRICT, AV_MASK_FUTURE,
					     AV_MASK_CAUSAL};
	static const char *titles[] = {"mask none", "mask strict", "mask future", "mask causal"};
	for (int k = 0; k < 4; k++) {
		key('c');
		ck_assert_int_eq(model.cfg.mask, order[k]);
		ck_assert(screen_has(titles[k]));
	}
	key('m');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_NONE);
	key('m');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_CAUSAL);
}
END_TEST

START_TEST(leaks_are_marked_under_none)
{
	frame();
	for (int i = 0; i < 6; i++)
		ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, i), "!"));
	ck_assert(!screen_has("leak j>i")); /* nothing to show under causal */
	key('c');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_NONE);
	/* row 1: five later keys, each marked; row 6: none */
	const char *r1 = panel_row(AV_PANEL_SOFTMAX, 0);
	int marks = 0;
	for (const char *s = r1; (s = strchr(s, '!')); s++)
		marks++;
	ck_assert_msg(marks == 5, "row 1 has %d leak marks: %s", marks, r1);
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, 5), "!"));
	/* the mask panel stays a 0/1 matrix */
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_MASK, 0), "1 1 1 1 1 1"));
	/* per-row leaked mass */
	int y = find_row("leak j>i");
	ck_assert_int_ge(y, 0);
	char want[64];
	snprintf(want, sizeof want, "%.2f", model.head[0].leak[0]);
	ck_assert_msg(strstr(row_text(y), want), "leak row '%s' lacks %s", row_text(y), want);
	/* and in the detail line of the selected softmax row */
	view_apply(&v, &model, &L, ACT_FOCUS_PREV, 0); /* z */
	view_apply(&v, &model, &L, ACT_FOCUS_PREV, 0); /* softmax */
	ck_assert_int_eq(v.focus, AV_PANEL_SOFTMAX);
	v.ci = 0;
	frame();
	snprintf(want, sizeof want, "leak of row 1: %.2f", model.head[0].leak[0]);
	ck_assert_msg(screen_has(want), "no '%s' in '%s'", want, row_text(L.detail_y));
	/* future: leaks too; strict: none */
	key('c');
	key('c');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_FUTURE);
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "!"));
}
END_TEST

START_TEST(ascii_marks_work_in_mono)
{
	theme_init(&th, SCHEME_MONO, false);
	key('c');
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "!"));
	/* mask none: the legend keeps its line under the checks */
	ck_assert(screen_has("weight 0"));
	ck_assert(screen_has("no dependency between z_n and z_{n-1}"));
	for (int y = 0; y < LINES; y++) {
		const unsigned char *r = (const unsigned char *)row_text(y);
		for (; *r; r++)
			ck_assert_msg(*r < 0x80, "non-ASCII on row %d: %s", y, row_text(y));
	}
}
END_TEST

START_TEST(strict_first_row_is_zeros_not_nan)
{
	key('c');
	key('c');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_STRICT);
	for (int j = 0; j < 6; j++) {
		ck_assert(!isnan(model.head[0].weights[j]));
		ck_assert_float_eq(model.head[0].weights[j], 0.0f);
	}
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "· · · · · ·"));
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_MASK, 0), "0 0 0 0 0 0"));
	ck_assert(!screen_has("nan"));
	ck_assert(!screen_has("?"));
	close_screen();
	open_screen(120, 40);
	frame();
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 0), "0     0     0     0     0     0"));
	ck_assert(!screen_has("nan"));
	/* its drill-down says the row is fully masked */
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0);
	v.ci = v.cj = 0;
	view_apply(&v, &model, &L, ACT_DRILL, 0);
	frame();
	ck_assert(screen_has("fully masked"));
}
END_TEST

/* ---- path length ------------------------------------------------------- */

/* A long detail line is cut at a whole number, with an ellipsis. */
START_TEST(detail_line_fits)
{
	for (int k = 0; k < 4; k++)
		view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0); /* softmax */
	ck_assert_int_eq(v.focus, AV_PANEL_SOFTMAX);
	v.ci = 5;
	v.cj = 1;
	frame();
	const char *d = row_text(L.detail_y);
	ck_assert_msg(strstr(d, "softmax[6][2] = ") == d, "%s", d);
	/* the row's numbers do not fit after the path at 80 columns: left out
	 * (the table under the grids has them), never cut to a bare label */
	ck_assert_msg(strstr(d, "reaches 6: RNN 4 steps, attention 1 …") != NULL, "%s", d);
	ck_assert_msg(strstr(d, "q_6:") == NULL && strstr(d, "row 6: …") == NULL, "%s", d);
	/* At 120 columns the whole row is there: the numbers are row 6 of the
	 * softmax recomputed in double from X and the weights
	 * (tests/ref_model.h), each as close as its printed decimals allow. */
	resizeterm(40, 120);
	frame();
	d = row_text(L.detail_y);
	double P[6 * 6];
	ref_head(NULL, P, NULL, &model, 0);
	char *end;
	const char *p = d + strlen("softmax[6][2] = ");
	double got = strtod(p, &end);
	ck_assert_msg(end != p && fabs(got - P[5 * 6 + 1]) <= 0.005, "%s", d);
	p = strstr(d, "softmax row 6:");
	ck_assert_msg(p != NULL, "%s", d);
	p += strlen("softmax row 6:");
	int k = 0;
	for (;; k++) {
		while (*p == ' ')
			p++;
		got = strtod(p, &end);
		if (end == p)
			break;
		const char *dot = memchr(p, '.', (size_t)(end - p));
		int decimals = dot ? (int)(end - dot - 1) : 0;
		ck_assert_msg(k < 6 && fabs(got - P[5 * 6 + k]) <= 0.5 * pow(10, -decimals) + 1e-6,
			      "q_6 number %d: %.*s, want %f in: %s", k + 1, (int)(end - p), p,
			      P[5 * 6 + k], d);
		p = end;
	}
	ck_assert_msg(k == 6, "%d numbers in: %s", k, d);
	ck_assert_msg(strncmp(p, "(Σ 1.000)", strlen("(Σ 1.000)")) == 0, "ends '%s' in: %s", p, d);
}
END_TEST

START_TEST(path_length_in_the_detail_line)
{
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0); /* scores */
	v.ci = 4;
	v.cj = 1;
	frame();
	ck_assert_msg(screen_has("c_2 reaches 5: RNN 3 steps, attention 1"), "%s",
		      row_text(L.detail_y));
	v.cj = 5;
	frame();
	ck_assert(screen_has("c_6 reaches 5: RNN never (later word), attention masked"));
	v.ci = 2;
	v.cj = 1;
	frame();
	ck_assert(screen_has("RNN 1 step, attention 1"));
}
END_TEST

/* ---- causality test ---------------------------------------------------- */

START_TEST(replace_word_builds_the_sentence)
{
	char out[256];
	ck_assert_int_eq(teach_replace_token(out, sizeof out, &model, 4, "  a "), 0);
	ck_assert_str_eq(out, "the cat sat on a mat");
	ck_assert_int_eq(teach_replace_token(out, sizeof out, &model, 0, " "), -1);
}
END_TEST

START_TEST(causality_test_under_causal_and_none)
{
	for (int k = 0; k < 4; k++)
		key('l'); /* step 5: "the" */
	ck_assert_int_eq(model.rnn_steps, 5);
	key('x');
	ck_assert(v.ed.active);
	ck_assert_str_eq(v.ed.buf, ""); /* the prompt names it; typing replaces it */
	ck_assert(screen_has("replace word 5 'the':"));
	press_key(&v, &model, &L, 21 /* Ctrl-U */, false, 0);
	key('a');
	key('\n');
	ck_assert(!v.ed.active);
	ck_assert_str_eq(model.tokens.text[4], "a");
	ck_assert(v.cmp.on);
	ck_assert_int_eq(v.cmp.changed_at, 4);
	ck_assert_int_eq(model.rnn_steps, 5); /* x keeps the step */
	ck_assert_msg(screen_has("causal: word 5 changed; rows 1..4 unchanged apart from their "
				 "masked k_5 scores"),
		      "%s", row_text(L.status_y));
	/* the pre-mask scores of rows 1..4 for k_5 are marked: the status says why */
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SCORES, 0), "*"));
	/* nothing before position 5 is marked changed, row 5 is */
	for (int i = 0; i < 4; i++) {
		ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, i), "*"));
		ck_assert_ptr_null(strstr(panel_row(AV_PANEL_OUTPUT, i), "*"));
	}
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, 4), "*"));
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_RNN, 4), "*"));
	/* the same pair of sentences without the mask: every row changes */
	key('c');
	ck_assert(v.cmp.on);
	ck_assert_int_eq(prev.cfg.mask, AV_MASK_NONE);
	ck_assert_msg(screen_has("none: word 5 changed; every row changed"), "%s",
		      row_text(L.status_y));
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_OUTPUT, 0), "*"));
	/* ... but the RNN has no mask: h_1..h_4 unchanged */
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_RNN, 0), "*"));
	/* a step, the inference view, a new seed or p end the comparison */
	const int enders[] = {' ', 't', 's', 'S', 'p'};
	for (size_t e = 0; e < sizeof enders / sizeof enders[0]; e++) {
		key('m'); /* back to causal, for a fresh comparison */
		if (model.cfg.mask != AV_MASK_CAUSAL)
			key('m');
		key('x');
		press_key(&v, &model, &L, 21, false, 0);
		key(e % 2 ? 'b' : 'c');
		key('\n');
		ck_assert(v.cmp.on);
		key(enders[e]);
		ck_assert_msg(!v.cmp.on, "key %c kept the marks", enders[e]);
		ck_assert_msg(!screen_has("*"), "key %c: marks on screen", enders[e]);
		if (enders[e] == 't')
			key('t');
	}
}
END_TEST

/* x on a grid replaces the word of the cursor's row, and says which. */
START_TEST(replace_word_prompt_names_the_row_word)
{
	key('\t'); /* scores */
	key('j');
	key('j');
	key('l');
	key('l');
	key('l'); /* cursor (3, 4) */
	ck_assert_int_eq(v.ci, 2);
	ck_assert_int_eq(v.cj, 3);
	key('x');
	ck_assert(screen_has("replace word 3 'sat':"));
	key(27);
}
END_TEST

START_TEST(replace_word_errors_keep_the_sentence)
{
	key('x');
	press_key(&v, &model, &L, 21, false, 0);
	key('\n');
	ck_assert(v.status_error);
	ck_assert(screen_has("empty word"));
	ck_assert_str_eq(model.tokens.text[0], "the");
	/* Esc cancels */
	key('x');
	key(27);
	ck_assert(!v.ed.active);
	ck_assert(screen_has("edit cancelled"));
	/* two tokens: refused (e edits the sentence), no comparison */
	key('x');
	key('a');
	key(' ');
	key('b');
	key('\n');
	ck_assert_int_eq(model.n, 6);
	ck_assert(v.status_error);
	ck_assert(screen_has("x replaces one word"));
	ck_assert(!v.cmp.on);
	ck_assert(!screen_has("*"));
}
END_TEST

/* ---- lessons ----------------------------------------------------------- */

START_TEST(lesson_caption_panel_and_steps)
{
	load_lesson();
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_teach_init(&v, &model, &L, &prev, &lesson, false);
	frame();
	char want[300];
	snprintf(want, sizeof want, "lesson step 1/%d: %s", lesson.n_steps, lesson.steps[0].title);
	ck_assert_msg(screen_has(want), "no '%s'", want);
	ck_assert(screen_has("n next  N back"));
	ck_assert(screen_has("h_n = f(W_h h_{n-1} + W_e c_n)"));
	/* the grids stay visible at 80x24 */
	ck_assert_int_eq(L.rows_vis, 6);
	/* step 1 shows the RNN alone: the attention panels enter later */
	ck_assert(L.panel[AV_PANEL_RNN].visible);
	ck_assert(!L.panel[AV_PANEL_MASK].visible && !L.panel[AV_PANEL_SOFTMAX].visible);
	ck_assert_int_gt(L.caption.h, 2);
	ck_assert_int_eq(L.caption.y + L.caption.h, L.detail_y);
	/* every step's title, forward; settings applied */
	for (int k = 1; k < lesson.n_steps; k++) {
		key('n');
		ck_assert_int_eq(v.lesson.step, k);
		snprintf(want, sizeof want, "lesson step %d/%d:", k + 1, lesson.n_steps);
		ck_assert_msg(screen_has(want), "step %d", k + 1);
		/* a long title is cut with an ellipsis: the hint stays */
		ck_assert_msg(screen_has("n next  N back"), "step %d: %s", k + 1,
			      row_text(L.caption.y));
		const av_lesson_step *st = &lesson.steps[k];
		/* the panels the lesson has introduced, and only those */
		unsigned hidden = av_lesson_hidden(&lesson, k) & ~(1u << v.focus);
		for (int p = 0; p < AV_PANEL_PRED; p++) /* the grids (no language model here) */
			ck_assert_msg(L.panel[p].visible == !(hidden & (1u << p)),
				      "step %d: panel %s visible %d", k + 1,
				      layout_panel_name((av_panel_id)p), L.panel[p].visible);
		if (L.panel[AV_PANEL_MASK].visible && v.mode == VIEW_TRAINING)
			ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_MASK, 5), "1 1 1 1 1 1"));
		if (st->mask >= 0)
			ck_assert_int_eq(model.cfg.mask, st->mask);
		if (st->mode >= 0)
			ck_assert_int_eq(v.mode, st->mode ? VIEW_INFERENCE : VIEW_TRAINING);
		if (st->rnn_step >= 1)
			ck_assert_int_eq(model.rnn_steps, st->rnn_step);
		if (st->cell_i >= 1) {
			ck_assert_int_eq(v.ci, st->cell_i - 1);
			ck_assert_int_eq(v.cj, st->cell_j - 1);
		}
		ck_assert(!screen_has("nan"));
	}
	key('n');
	ck_assert(screen_has("end of the lesson"));
	/* back: the same state as going forward */
	for (int k = lesson.n_steps - 2; k >= 0; k--) {
		key('N');
		ck_assert_int_eq(v.lesson.step, k);
	}
	ck_assert_int_eq(model.cfg.mask, AV_MASK_CAUSAL);
	ck_assert_int_eq(v.mode, VIEW_TRAINING);
	key('N');
	ck_assert(screen_has("first lesson step"));
}
END_TEST

START_TEST(lesson_step_keys_are_replayed)
{
	static const char text[] = "attnviz-lesson 1\n"
				   "title t\n"
				   "step One\ncaption first\nkeys lll\n"
				   "step Two\ncaption second\nsentence a b c\nkeys G<Tab>\n";
	av_error err;
	ck_assert_int_eq(av_lesson_parse(&lesson, text, sizeof text - 1, "t.lesson", &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	view_teach_init(&v, &model, &L, &prev, &lesson, false);
	frame();
	ck_assert_int_eq(model.rnn_steps, 4);
	ck_assert(screen_has("lesson step 1/2: One"));
	key('n');
	ck_assert_int_eq(model.n, 3);
	ck_assert_int_eq(model.rnn_steps, 3);
	ck_assert_int_eq(v.focus, AV_PANEL_SCORES);
	ck_assert(screen_has("second"));
	key('N');
	ck_assert_int_eq(model.n, 6);
	ck_assert_int_eq(model.rnn_steps, 4);
}
END_TEST

/* Issue 14: a lesson's keys may move and show, never write files, edit,
 * quit, change the seed or start the quiz. */
START_TEST(lesson_keys_cannot_write_or_quit)
{
	static const char text[] = "attnviz-lesson 1\n"
				   "title t\n"
				   "step One\ncaption first\nkeys XXXsSQaeabc<Enter>xq\n"
				   "step Two\ncaption second\nkeys Xl<Tab>q\n";
	char dir[] = "/tmp/attnviz-lessonkeys-XXXXXX", here[4096];
	ck_assert_ptr_nonnull(getcwd(here, sizeof here)); /* back there after (CK_FORK=no) */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	av_error err;
	ck_assert_int_eq(av_lesson_parse(&lesson, text, sizeof text - 1, "t.lesson", &err), AV_OK);
	uint64_t seed = model.cfg.seed;
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	view_teach_init(&v, &model, &L, &prev, &lesson, false);
	ck_assert_int_eq(v.effect, VIEW_EFFECT_NONE); /* no export asked of the app loop */
	frame();
	key('n');
	key('N');
	key('n');
	frame();
	ck_assert(!v.quit);
	ck_assert(!v.ed.active);
	ck_assert(!v.autoplay);
	ck_assert_int_eq(v.quiz.phase, QUIZ_OFF);
	ck_assert_uint_eq(model.cfg.seed, seed);
	ck_assert_str_eq(v.sentence, AV_DEFAULT_SENTENCE);
	ck_assert_int_eq(v.lesson.step, 1);
	ck_assert_int_eq(model.rnn_steps, 2);   /* 'l' moved */
	ck_assert_int_eq(v.focus, AV_PANEL_SCORES); /* <Tab> moved the focus */
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int files = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		files += e->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(files, 0);
	ck_assert_int_eq(chdir(here), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	/* typed by the user, the same keys keep their power */
	key('q');
	ck_assert(v.quit);
}
END_TEST

/* Issue 14: a lesson's control bytes never reach the terminal from the
 * caption panel either (the same definition of "control" as --print). */
START_TEST(lesson_text_control_bytes_shown_as_question_marks)
{
	static const char text[] = "attnviz-lesson 1\n"
				   "title t\n"
				   "step Evil\033[2J step\ncaption cap \033]0;PWN\a x \xc2\x9b" "1m y\n";
	av_error err;
	ck_assert_int_eq(av_lesson_parse(&lesson, text, sizeof text - 1, "t.lesson", &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	view_teach_init(&v, &model, &L, &prev, &lesson, false);
	frame();
	ck_assert(screen_has("Evil?[2J step"));
	ck_assert(screen_has("cap ?]0;PWN? x ?1m y"));
}
END_TEST

START_TEST(no_lesson_says_how)
{
	key('n');
	ck_assert(screen_has("no lesson"));
	ck_assert_int_eq(L.caption.h, 0);
}
END_TEST

/* ---- quiz -------------------------------------------------------------- */

/* Answer the open question right (or wrong). */
static void answer(bool right)
{
	const av_quiz_question *q = &v.quiz.question;
	if (q->kind == AV_QUIZ_ARGMAX) {
		int col = right ? q->answer : (q->answer + 1) % model.n;
		v.cj = col;
		key('\n');
	} else {
		int val = right ? q->answer : !q->answer;
		key(val ? '1' : '0');
	}
}

START_TEST(quiz_asks_hides_and_keeps_score)
{
	view_apply(&v, &model, &L, ACT_QUIZ, 0);
	frame();
	ck_assert_int_eq(v.quiz.phase, QUIZ_ASKING);
	ck_assert(screen_has("quiz: question 1   0/0 right"));
	ck_assert_ptr_nonnull(strstr(row_text(0), "quiz"));
	char q[512];
	teach_quiz_question(q, sizeof q, &v.quiz.question, &model);
	q[60] = '\0';
	ck_assert_msg(screen_has(q), "question '%s' not shown", q);
	/* the relevant cells are hidden */
	int row = v.quiz.question.row;
	ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, row), "?"));
	/* a model change waits for the answer */
	key('c');
	ck_assert_int_eq(model.cfg.mask, AV_MASK_CAUSAL);
	ck_assert(screen_has("answer the question first"));

	answer(true);
	ck_assert_int_eq(v.quiz.phase, QUIZ_REVEALED);
	ck_assert(v.drill); /* the right answer with its drill-down */
	ck_assert_int_eq(v.quiz.score.right, 1);
	key(27); /* closes the drill-down only */
	ck_assert_int_eq(v.quiz.phase, QUIZ_REVEALED);
	ck_assert(screen_has("1/1 right"));
	ck_assert(screen_has("right, 1/1"));
	ck_assert_ptr_null(strstr(panel_row(AV_PANEL_SOFTMAX, row), "?"));

	key(' ');
	ck_assert_int_eq(v.quiz.phase, QUIZ_ASKING);
	ck_assert(screen_has("quiz: question 2"));
	answer(false);
	ck_assert_int_eq(v.quiz.score.asked, 2);
	ck_assert_int_eq(v.quiz.score.right, 1);
	key(27);
	ck_assert(screen_has("1/2 right"));
	ck_assert(screen_has("wrong (you said"));
	key(' ');
	key(27); /* Esc leaves */
	ck_assert_int_eq(v.quiz.phase, QUIZ_OFF);
	ck_assert(screen_has("quiz over: 1/2 right"));
	ck_assert(!screen_has("?"));
}
END_TEST

static int screen_count(const char *s)
{
	int k = 0;
	for (int y = 0; y < LINES; y++)
		for (const char *p = row_text(y); (p = strstr(p, s)) != NULL; p++)
			k++;
	return k;
}

/* One Space after an answer closes the drill-down and asks the next
 * question; the verdict shows once and fits; the mask, masked scores and
 * weights are hidden for every kind of question; Q again keeps the score. */
START_TEST(quiz_flows_and_keeps_the_session_score)
{
	view_apply(&v, &model, &L, ACT_QUIZ, 0);
	for (int k = 0; k < 6; k++) {
		frame();
		ck_assert_int_eq(v.quiz.phase, QUIZ_ASKING);
		for (int i = 0; i < model.n; i++) {
			ck_assert_msg(strstr(panel_row(AV_PANEL_MASK, i), "1") == NULL &&
					      strstr(panel_row(AV_PANEL_MASK, i), "0") == NULL,
				      "mask row %d shown for question kind %d: %s", i + 1,
				      v.quiz.question.kind, panel_row(AV_PANEL_MASK, i));
			ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_SOFTMAX, i), "?"));
			ck_assert_ptr_nonnull(strstr(panel_row(AV_PANEL_MASKED, i), "?"));
		}
		ck_assert(!screen_has("attention 1") && !screen_has("attention masked"));
		ck_assert(!screen_has("i-j"));
		answer(k % 2 == 0);
		ck_assert(v.drill);
		frame();
		const char *verdict = k % 2 == 0 ? "right, " : "wrong (you said";
		ck_assert_int_eq(screen_count(verdict), 1);
		int y = find_row(verdict);
		ck_assert_int_ge(y, 0);
		key(' '); /* closes the popup and goes on */
		ck_assert(!v.drill);
		ck_assert_int_eq(v.quiz.number, k + 2);
	}
	ck_assert_int_eq(v.quiz.score.asked, 6);
	key('Q');
	ck_assert_int_eq(v.quiz.phase, QUIZ_OFF);
	key('Q');
	frame();
	ck_assert_int_eq(v.quiz.score.asked, 6);
	ck_assert_int_eq(v.quiz.score.right, 3);
	ck_assert(screen_has("3/6 right"));
}
END_TEST

START_TEST(quiz_is_deterministic_for_a_seed)
{
	view fresh = v; /* a new session with the same seed */
	view_apply(&v, &model, &L, ACT_QUIZ, 0);
	av_quiz_question first = v.quiz.question;
	view_apply(&v, &model, &L, ACT_QUIZ, 0); /* leave */
	v = fresh;
	view_apply(&v, &model, &L, ACT_QUIZ, 0); /* again */
	ck_assert_int_eq(v.quiz.question.kind, first.kind);
	ck_assert_int_eq(v.quiz.question.row, first.row);
	ck_assert_int_eq(v.quiz.question.col, first.col);
	/* many questions: each answerable, the cursor on the asked row */
	for (int k = 0; k < 40; k++) {
		ck_assert_int_eq(v.ci, v.quiz.question.row);
		answer(k % 2 == 0);
		key(27);
		key(' ');
	}
	ck_assert_int_eq(v.quiz.score.asked, 40);
	ck_assert_int_eq(v.quiz.score.right, 20);
}
END_TEST

START_TEST(quiz_keys_win_in_quiz_context)
{
	int arg;
	ck_assert_int_eq(keymap_lookup_in(KEYS_QUIZ, 'n', false, &arg), ACT_QUIZ_NO);
	ck_assert_int_eq(keymap_lookup_in(KEYS_MAIN, 'n', false, &arg), ACT_LESSON_NEXT);
	ck_assert_int_eq(keymap_lookup_in(KEYS_QUIZ, '1', false, &arg), ACT_QUIZ_YES);
	ck_assert_int_eq(keymap_lookup_in(KEYS_MAIN, '1', false, &arg), ACT_HEAD_SET);
	ck_assert_int_eq(keymap_lookup_in(KEYS_QUIZ, 'l', false, &arg), ACT_RIGHT);
	ck_assert_int_eq(keymap_lookup_in(KEYS_QUIZ, 27, false, &arg), ACT_QUIZ_LEAVE);
	ck_assert_int_eq(keymap_lookup(27, false, &arg), ACT_NONE);
	ck_assert_int_eq(keymap_lookup('t', false, &arg), ACT_MODE_TOGGLE);
	ck_assert_int_eq(keymap_lookup('c', false, &arg), ACT_MASK_CYCLE);
	ck_assert_int_eq(keymap_lookup('x', false, &arg), ACT_REPLACE_WORD);
	ck_assert_int_eq(keymap_lookup('X', false, &arg), ACT_EXPORT);
	ck_assert_int_eq(keymap_lookup('Q', false, &arg), ACT_QUIZ);
	ck_assert_int_eq(keymap_lookup('N', false, &arg), ACT_LESSON_PREV);
}
END_TEST

/* ---- export ------------------------------------------------------------ */

START_TEST(export_to_the_first_free_name)
{
	char dir[] = "/tmp/attnviz-teach-XXXXXX", old[1024];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(getcwd(old, sizeof old));
	ck_assert_int_eq(chdir(dir), 0);
	key('X');
	ck_assert_msg(screen_has("exported attnviz-export-1.svg"), "%s", row_text(L.status_y));
	ck_assert_int_eq(access("attnviz-export-1.svg", R_OK), 0);
	key('X');
	ck_assert(screen_has("exported attnviz-export-2.svg"));
	ck_assert_int_eq(access("attnviz-export-2.svg", R_OK), 0);
	/* an unwritable directory: the error in the status line */
	unlink("attnviz-export-1.svg");
	unlink("attnviz-export-2.svg");
	ck_assert_int_eq(chmod(dir, 0500), 0);
	key('X');
	if (geteuid() != 0) {
		ck_assert(v.status_error);
		ck_assert(screen_has("attnviz-export-1.svg"));
	}
	unlink("attnviz-export-1.svg");
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(chdir(old), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- help and small screens -------------------------------------------- */

START_TEST(help_lists_the_teaching_keys)
{
	char keys[128];
	int count;
	const help_entry *h = keymap_help(&count);
	bool seen_x = false, seen_quiz = false;
	for (int k = 0; k < count; k++) {
		keymap_keys_of(keys, sizeof keys, &h[k], true);
		seen_x = seen_x || strcmp(keys, "x") == 0;
		seen_quiz = seen_quiz || strstr(keys, "1 y 0 n") != NULL;
	}
	ck_assert(seen_x);
	ck_assert(seen_quiz);
	v.help = true;
	bool seen_export = false; /* scrolled to, somewhere in the list */
	for (v.drill_scroll = 0; v.drill_scroll <= 100 && !seen_export; v.drill_scroll += 5) {
		frame();
		seen_export = screen_has("export the current state");
	}
	ck_assert(seen_export);
}
END_TEST

/* The help names the wrong-guess mark the screen draws: ✗ in UTF-8, x
 * without (the theme's wrong_mark). */
static bool help_has(bool utf8, const char *text)
{
	help_build(&pop, utf8);
	for (int i = 0; i < pop.n; i++)
		if (strstr(pop.line[i], text))
			return true;
	return false;
}

START_TEST(help_names_the_mark_the_screen_draws)
{
	ck_assert(help_has(true, "✗ marks a wrong"));
	ck_assert(!help_has(true, "x marks a wrong"));
	ck_assert(help_has(false, "x marks a wrong"));
	ck_assert(!help_has(false, "✗"));
	/* the very mark the predictions panel draws, in each mode */
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		theme t;
		char want[64];
		theme_init(&t, SCHEME_MONO, utf8);
		snprintf(want, sizeof want, "%s marks a wrong", t.wrong_mark);
		ck_assert_msg(help_has(utf8, want), "%s", want);
	}
}
END_TEST

START_TEST(too_small_with_a_lesson)
{
	load_lesson();
	view_teach_init(&v, &model, &L, &prev, &lesson, true);
	for (int w = 1; w <= 80; w += 7)
		for (int h = 1; h <= 24; h += 3) {
			resizeterm(h, w);
			frame();
		}
	resizeterm(24, 80);
	frame();
	ck_assert(screen_has("quiz: question 1"));
	ck_assert_int_eq(L.rows_vis, 6);
}
END_TEST

static Suite *teach_suite(void)
{
	Suite *s = suite_create("tui_teach");
	TCase *tc = tcase_create("Modes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, keys_become_actions_then_apply);
	tcase_add_test(tc, every_action_has_one_handler);
	tcase_add_test(tc, inference_rows_after_the_step_are_pending);
	tcase_add_test(tc, inference_at_120x40_shows_incremental_numbers);
	tcase_add_test(tc, c_cycles_the_masks_and_m_toggles);
	tcase_add_test(tc, leaks_are_marked_under_none);
	tcase_add_test(tc, ascii_marks_work_in_mono);
	tcase_add_test(tc, strict_first_row_is_zeros_not_nan);
	tcase_add_test(tc, path_length_in_the_detail_line);
	tcase_add_test(tc, detail_line_fits);
	suite_add_tcase(s, tc);

	tc = tcase_create("Causality");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replace_word_builds_the_sentence);
	tcase_add_test(tc, causality_test_under_causal_and_none);
	tcase_add_test(tc, replace_word_prompt_names_the_row_word);
	tcase_add_test(tc, replace_word_errors_keep_the_sentence);
	suite_add_tcase(s, tc);

	tc = tcase_create("Lessons");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lesson_caption_panel_and_steps);
	tcase_add_test(tc, lesson_step_keys_are_replayed);
	tcase_add_test(tc, lesson_keys_cannot_write_or_quit);
	tcase_add_test(tc, lesson_text_control_bytes_shown_as_question_marks);
	tcase_add_test(tc, no_lesson_says_how);
	tcase_add_test(tc, too_small_with_a_lesson);
	suite_add_tcase(s, tc);

	tc = tcase_create("Quiz");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, quiz_asks_hides_and_keeps_score);
	tcase_add_test(tc, quiz_flows_and_keeps_the_session_score);
	tcase_add_test(tc, quiz_is_deterministic_for_a_seed);
	tcase_add_test(tc, quiz_keys_win_in_quiz_context);
	suite_add_tcase(s, tc);

	tc = tcase_create("Export and help");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, export_to_the_first_free_name);
	tcase_add_test(tc, help_lists_the_teaching_keys);
	tcase_add_test(tc, help_names_the_mark_the_screen_draws);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(teach_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
