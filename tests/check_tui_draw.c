/* Drawing in-process: newterm on /dev/null at fixed sizes, one frame drawn
 * from a real model, the screen read back with mvinnwstr. Also the view's
 * actions, the key table, the line editor and the drill-down text. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "attnviz/keys.h"
#include "attnviz/model.h"
#include "tui/colors.h"
#include "tui/drill.h"
#include "tui/editor.h"
#include "tui/help.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "fmt/number.h"
#include "tui/frame.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/view.h"
#include "tui_screen.h"

static av_model model;
static view v;
static layout L;
static theme th;
static popup_text pop;

static void make_model(const char *sentence, int heads)
{
	av_config cfg = av_config_default();
	cfg.heads = heads;
	av_error err;
	ck_assert_int_eq(av_model_create(&model, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&model, sentence, &err), AV_OK);
}

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	make_model(AV_DEFAULT_SENTENCE, 1);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	open_screen(80, 24);
	theme_init(&th, SCHEME_MONO, true);
}

static void teardown(void)
{
	close_screen();
	av_model_destroy(&model);
}

/* Lay out and draw one frame at the current size. */
static void frame(void)
{
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_follow(&v, &model, &L);
	ui_draw(&model, &v, &L, &th, &pop);
}

START_TEST(titles_tokens_and_step_at_80x24)
{
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	int y = find_row("RNN h_n");
	ck_assert_int_ge(y, 0);
	const char *r = row_text(y);
	ck_assert_ptr_nonnull(strstr(r, "scores"));
	ck_assert_ptr_nonnull(strstr(r, "mask"));
	ck_assert_ptr_nonnull(strstr(r, "softmax"));
	ck_assert_ptr_nonnull(strstr(row_text(L.tokens_y), "[the]"));
	ck_assert_ptr_nonnull(strstr(row_text(L.tokens_y), "step 1/6"));
	ck_assert(screen_has("1 the"));
	ck_assert(screen_has("6 mat"));
	ck_assert(screen_has("RNN: 1 of 6 sequential steps (each waits for the previous)"));
	ck_assert(screen_has("attention: all 6 rows at once, 4 batched steps"));
	ck_assert(!screen_has("nan"));
}
END_TEST

START_TEST(mask_rows_are_the_lower_triangle)
{
	frame();
	const panel_box *b = &L.panel[AV_PANEL_MASK];
	static const char *rows[6] = {"1 0 0 0 0 0", "1 1 0 0 0 0", "1 1 1 0 0 0",
				      "1 1 1 1 0 0", "1 1 1 1 1 0", "1 1 1 1 1 1"};
	for (int i = 0; i < 6; i++) {
		const char *r = row_text(b->r.y + LAYOUT_HEAD_ROWS + i);
		ck_assert_msg(strstr(r, rows[i]), "mask row %d: '%s'", i + 1, r);
	}
	/* -inf above the diagonal of the masked scores */
	const panel_box *mk = &L.panel[AV_PANEL_MASKED];
	ck_assert_ptr_nonnull(strstr(row_text(mk->r.y + LAYOUT_HEAD_ROWS), "−∞"));
}
END_TEST

START_TEST(mask_toggle_shows_all_ones)
{
	view_apply(&v, &model, &L, ACT_MASK_TOGGLE, 0);
	ck_assert_int_eq(model.cfg.mask, AV_MASK_NONE);
	frame();
	const panel_box *b = &L.panel[AV_PANEL_MASK];
	ck_assert_ptr_nonnull(strstr(row_text(b->r.y + LAYOUT_HEAD_ROWS), "1 1 1 1 1 1"));
	ck_assert(screen_has("mask none"));
	view_apply(&v, &model, &L, ACT_MASK_TOGGLE, 0);
	ck_assert_int_eq(model.cfg.mask, AV_MASK_CAUSAL);
}
END_TEST

START_TEST(stepping_moves_the_rnn_one_position)
{
	frame();
	ck_assert_int_eq(model.rnn_steps, 1);
	view_apply(&v, &model, &L, ACT_STEP_NEXT, 0);
	view_apply(&v, &model, &L, ACT_RIGHT, 0); /* RNN focus: also a step */
	ck_assert_int_eq(model.rnn_steps, 3);
	ck_assert_int_eq(v.ci, 2);
	frame();
	ck_assert_ptr_nonnull(strstr(row_text(L.tokens_y), "[sat]"));
	ck_assert_ptr_nonnull(strstr(row_text(L.tokens_y), "step 3/6"));
	ck_assert(screen_has("RNN: 3 of 6 sequential steps"));
	/* back: the core's one step count goes down, h_3 shows as pending */
	view_apply(&v, &model, &L, ACT_STEP_PREV, 0);
	ck_assert_int_eq(model.rnn_steps, 2);
	frame();
	ck_assert(screen_has("RNN: 2 of 6 sequential steps"));
	ck_assert_ptr_nonnull(strstr(row_text(L.tokens_y), "step 2/6"));
	view_apply(&v, &model, &L, ACT_STEP_LAST, 0);
	ck_assert_int_eq(model.rnn_steps, 6);
	view_apply(&v, &model, &L, ACT_STEP_NEXT, 0);
	ck_assert_int_eq(model.rnn_steps, 6);
	view_apply(&v, &model, &L, ACT_STEP_FIRST, 0);
	ck_assert_int_eq(model.rnn_steps, 1);
}
END_TEST

START_TEST(pending_states_are_drawn_as_pending)
{
	frame();
	const panel_box *b = &L.panel[AV_PANEL_RNN];
	const char *r1 = row_text(b->r.y + LAYOUT_HEAD_ROWS);
	const char *r2;
	ck_assert_ptr_nonnull(strstr(r1, "•"));
	r2 = row_text(b->r.y + LAYOUT_HEAD_ROWS + 1);
	ck_assert_ptr_nonnull(strstr(r2, "┆ · · · ·"));
}
END_TEST

START_TEST(numbers_in_cells_at_120x40)
{
	resizeterm(40, 120);
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	/* softmax row 1 is [1, 0, 0, ...] under the causal mask */
	const panel_box *b = &L.panel[AV_PANEL_SOFTMAX];
	const char *r = row_text(b->r.y + LAYOUT_HEAD_ROWS);
	char cell[16];
	memcpy(cell, r + b->first_x, 5);
	cell[5] = '\0';
	ck_assert_str_eq(cell, " 1.00");
	/* every number of h_1 appears, in order, each recomputed in double
	 * from the weights: h_1 = tanh(W_e c_1 + b) (h_0 = 0), 2 decimals,
	 * a value that rounds to zero shown as "0.00" */
	const char *row = row_text(L.panel[AV_PANEL_RNN].r.y + LAYOUT_HEAD_ROWS);
	const char *at = row;
	int D = model.cfg.d_model, H = model.cfg.d_hidden;
	ck_assert_int_ge(L.panel[AV_PANEL_RNN].cells, H);
	for (int k = 0; k < H; k++) {
		double pre = model.w.b[k];
		for (int c = 0; c < D; c++)
			pre += (double)model.w.W_e[k * D + c] * model.X[c];
		double h = tanh(pre);
		char num[16];
		snprintf(num, sizeof num, "%.2f", fabs(h) < 0.005 ? 0.0 : h);
		const char *hit = strstr(at, num);
		ck_assert_msg(hit != NULL, "h_1[%d] = %s not in row '%s' after column %d", k, num,
			      row, (int)(at - row));
		at = hit + strlen(num);
	}
	ck_assert(screen_has("−∞"));
	ck_assert(!screen_has("nan"));
}
END_TEST

START_TEST(sixteen_tokens_at_120x40)
{
	const char *s = "one two three four five six seven eight nine ten eleven twelve thirteen "
			"fourteen fifteen sixteen";
	view_set_sentence(&v, &model, s);
	ck_assert_int_eq(model.n, 16);
	resizeterm(40, 120);
	frame();
	ck_assert_int_eq(L.rows_vis, 16);
	ck_assert(screen_has("16 sixte…")); /* a cut word says so */
	ck_assert(screen_has("step 1/16"));
	ck_assert(screen_has("1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"));
	ck_assert(screen_has("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"));
}
END_TEST

START_TEST(sixty_four_tokens_scroll_to_the_cursor)
{
	char s[512] = "";
	for (int i = 1; i <= 64; i++) {
		char w[16];
		snprintf(w, sizeof w, "w%d ", i);
		strcat(s, w);
	}
	view_set_sentence(&v, &model, s);
	ck_assert_int_eq(model.n, 64);
	frame();
	ck_assert_int_lt(L.rows_vis, 64);
	ck_assert(screen_has(" 1 w1"));
	view_apply(&v, &model, &L, ACT_STEP_LAST, 0);
	frame();
	ck_assert_int_eq(v.row_off, 64 - L.rows_vis);
	ck_assert(screen_has("64 w64"));
	ck_assert(!screen_has(" 1 w1 "));
	ck_assert(screen_has("[w64]"));
	ck_assert(screen_has("step 64/64"));
	/* grid focus: the cursor column scrolls the key columns */
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0);
	for (int k = 0; k < 63; k++)
		view_apply(&v, &model, &L, ACT_RIGHT, 0);
	ck_assert_int_eq(v.cj, 63);
	ck_assert_int_eq(v.col_off, 64 - L.grid_cols);
	frame();
	ck_assert(screen_has("score[64][64]"));
}
END_TEST

/* 20 tokens at 80x24: unambiguous column labels, a marker on the scrolled
 * side, and the columns follow the step (the diagonal of the last row). */
START_TEST(long_sentence_column_labels)
{
	view_set_sentence(&v, &model, "a b c d e f g h i j k l m n o p q r s t");
	ck_assert_int_eq(model.n, 20);
	frame();
	ck_assert_int_lt(L.grid_cols, 20);
	ck_assert_int_eq(v.col_off, 0);
	ck_assert_msg(screen_has("1 2 3 4 5 6 7 8  10 1 2 3 4"), "%s", row_text(L.band_y[0] + 1));
	ck_assert(!screen_has("9 0 1") && !screen_has("910"));
	view_apply(&v, &model, &L, ACT_STEP_LAST, 0);
	ck_assert_int_eq(v.col_off, 20 - L.grid_cols); /* the step's column shown */
	frame();
	const char *hdr = row_text(L.band_y[0] + 1);
	ck_assert_msg(strstr(hdr, "15") && strstr(hdr, "20") && strstr(hdr, "…"), "%s", hdr);
	/* the last row's diagonal cell is on screen in the masked grid */
	int y = find_row("20 t");
	ck_assert_int_ge(y, 0);
}
END_TEST

START_TEST(too_small_message_down_to_1x1)
{
	resizeterm(8, 20);
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	ck_assert_ptr_nonnull(strstr(row_text(0), "terminal too small:"));
	char need[64];
	snprintf(need, sizeof need, "need %d×%d,", L.need_w, L.need_h);
	ck_assert_msg(screen_has(need), "no '%s'", need);
	ck_assert(screen_has("have 20×8"));
	resizeterm(1, 1);
	frame();
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	resizeterm(24, 80);
	frame();
	ck_assert(screen_has("step 1/6"));
}
END_TEST

START_TEST(help_lists_every_action_key)
{
	v.help = true;
	frame();
	ck_assert(screen_has("attnviz keys"));
	ck_assert(screen_has("quit"));
	ck_assert(screen_has("Tab S-Tab"));
	/* the keys as README documents them, looked up in the table */
	static const struct {
		int key;
		bool is_key;
		action act;
		int arg;
	} readme[] = {
		{' ', false, ACT_STEP_NEXT, 0},    {KEY_BACKSPACE, true, ACT_STEP_PREV, 0},
		{'g', false, ACT_STEP_FIRST, 0},   {KEY_HOME, true, ACT_STEP_FIRST, 0},
		{'G', false, ACT_STEP_LAST, 0},    {KEY_END, true, ACT_STEP_LAST, 0},
		{'\t', false, ACT_FOCUS_NEXT, 0},  {KEY_BTAB, true, ACT_FOCUS_PREV, 0},
		{'\n', false, ACT_DRILL, 0},       {'m', false, ACT_MASK_TOGGLE, 0},
		{'[', false, ACT_HEAD_PREV, 0},    {']', false, ACT_HEAD_NEXT, 0},
		{'1', false, ACT_HEAD_SET, 0},     {'8', false, ACT_HEAD_SET, 7},
		{'e', false, ACT_EDIT, 0},         {'s', false, ACT_SEED, 0},
		{'S', false, ACT_SEED_PREV, 0},    {'a', false, ACT_AUTOPLAY, 0},
		{'+', false, ACT_FASTER, 0},       {'=', false, ACT_FASTER, 0},
		{'-', false, ACT_SLOWER, 0},       {'?', false, ACT_HELP, 0},
		{KEY_F(1), true, ACT_HELP, 0},     {12 /* Ctrl-L */, false, ACT_REDRAW, 0},
		{'q', false, ACT_QUIT, 0},         {'t', false, ACT_MODE_TOGGLE, 0},
		{'c', false, ACT_MASK_CYCLE, 0},   {'x', false, ACT_REPLACE_WORD, 0},
		{'p', false, ACT_POSITIONAL, 0},   {KEY_RIGHT, true, ACT_RIGHT, 0},
		{KEY_LEFT, true, ACT_LEFT, 0},     {KEY_UP, true, ACT_UP, 0},
		{KEY_DOWN, true, ACT_DOWN, 0},     {'z', false, ACT_NONE, 0},
	};
	for (size_t i = 0; i < sizeof readme / sizeof readme[0]; i++) {
		int arg = -1;
		action a = keymap_lookup(readme[i].key, readme[i].is_key, &arg);
		ck_assert_msg(a == readme[i].act, "key %d: action %d, README says %d", readme[i].key,
			      a, readme[i].act);
		if (a != ACT_NONE)
			ck_assert_int_eq(arg, readme[i].arg);
	}
	int count;
	const key_binding *b;
	/* every bound action has a help line */
	const help_entry *h = keymap_help(&count);
	int n_bind;
	b = keymap_table(&n_bind);
	for (int i = 0; i < n_bind; i++) {
		bool listed = false;
		for (int k = 0; k < count && !listed; k++)
			for (int a = 0; a < 3; a++)
				listed = listed || h[k].act[a] == b[i].act;
		ck_assert_msg(listed, "action %d of key %d not in the help", b[i].act, b[i].key);
	}
}
END_TEST

/* Every help line fits an 80-column screen (the box adds 4 columns). */
START_TEST(help_fits_80_columns)
{
	help_build(&pop, true);
	for (int i = 0; i < pop.n; i++)
		ck_assert_msg(screen_width(pop.line[i], true) + 4 <= 80, "help line too long: %s",
			      pop.line[i]);
	/* wrapped whole, not cut: the words joined again read the same */
	static char all[POPUP_LINES * 80];
	all[0] = '\0';
	for (int i = 0; i < pop.n; i++) {
		const char *t = pop.line[i];
		if (t[0] == ' ')
			while (*t == ' ')
				t++;
		strncat(all, " ", sizeof all - strlen(all) - 1);
		strncat(all, t, sizeof all - strlen(all) - 1);
	}
	ck_assert_msg(strstr(all, "inference view (row by row)") != NULL, "%s", all);
}
END_TEST

/* The title names the vector sizes unambiguously; S is the previous seed. */
START_TEST(title_sizes_and_previous_seed)
{
	frame();
	ck_assert_msg(strstr(row_text(0), "d_model 4  d_hidden 4") != NULL ||
			      strstr(row_text(0), "d_model=4 d_h=4") != NULL,
		      "%s", row_text(0));
	ck_assert_ptr_null(strstr(row_text(0), "H="));
	view_key(&v, &model, &L, 'S', false, 0);
	ck_assert_uint_eq(model.cfg.seed, AV_DEFAULT_SEED - 1);
	view_key(&v, &model, &L, 's', false, 0);
	view_key(&v, &model, &L, 's', false, 0);
	ck_assert_uint_eq(model.cfg.seed, AV_DEFAULT_SEED + 1);
	frame();
	ck_assert(screen_has("seed 686"));
}
END_TEST

START_TEST(drill_down_of_an_attention_cell)
{
	view_apply(&v, &model, &L, ACT_STEP_NEXT, 0);
	view_apply(&v, &model, &L, ACT_STEP_NEXT, 0);
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0); /* scores */
	ck_assert_int_eq(v.focus, AV_PANEL_SCORES);
	view_apply(&v, &model, &L, ACT_RIGHT, 0);
	ck_assert_int_eq(v.ci, 2);
	ck_assert_int_eq(v.cj, 1);
	view_apply(&v, &model, &L, ACT_DRILL, 0);
	frame();
	ck_assert(screen_has("attention q_3 → k_2"));
	ck_assert(screen_has("= score[3][2]"));
	ck_assert(screen_has("probability"));
	/* the probability recomputed in double from q_3 and k_1..k_3 (causal:
	 * keys 1..3), 4 decimals as the drill-down shows them */
	const av_head_state *hs = &model.head[0];
	int d = model.w.d_head;
	double sc[3], mx = -INFINITY, sum = 0.0;
	for (int j = 0; j < 3; j++) {
		sc[j] = 0.0;
		for (int c = 0; c < d; c++)
			sc[j] += (double)hs->Q[2 * d + c] * hs->K[j * d + c];
		sc[j] /= sqrt((double)d);
		mx = fmax(mx, sc[j]);
	}
	for (int j = 0; j < 3; j++)
		sum += exp(sc[j] - mx);
	char want[32];
	snprintf(want, sizeof want, "%.4f", exp(sc[1] - mx) / sum);
	int y = find_row("probability");
	ck_assert_msg(strstr(row_text(y), want) != NULL, "want %s in '%s'", want, row_text(y));
	/* a masked cell says why */
	v.cj = 4;
	frame();
	ck_assert(screen_has("masked: k_j is a later word"));
	ck_assert(screen_has("−∞"));
}
END_TEST

START_TEST(drill_down_of_an_rnn_state)
{
	view_apply(&v, &model, &L, ACT_STEP_NEXT, 0);
	view_apply(&v, &model, &L, ACT_DRILL, 0);
	frame();
	ck_assert(screen_has("h_2 = tanh(W_h h_1 + W_e c_2 + b)"));
	ck_assert(screen_has("W_h h_1"));
	ck_assert(screen_has("W_e c_2"));
	ck_assert(screen_has("tanh = h_2"));
}
END_TEST

START_TEST(bad_sentence_keeps_the_previous_one)
{
	view_set_sentence(&v, &model, "");
	ck_assert(v.status_error);
	ck_assert_int_eq(model.n, 6);
	ck_assert_str_eq(v.sentence, AV_DEFAULT_SENTENCE);
	frame();
	ck_assert_ptr_nonnull(strstr(row_text(L.status_y), v.status));
	view_set_sentence(&v, &model, "猫 sat");
	ck_assert(!v.status_error);
	ck_assert_int_eq(model.n, 2);
	frame();
	ck_assert(screen_has("[猫]"));
	ck_assert(screen_has("step 1/2"));
}
END_TEST

START_TEST(ascii_mode_draws_no_utf8)
{
	theme_init(&th, SCHEME_MONO, false);
	view_set_sentence(&v, &model, "the 猫 sat");
	view_apply(&v, &model, &L, ACT_FOCUS_NEXT, 0);
	frame();
	for (int y = 0; y < LINES; y++) {
		const unsigned char *r = (const unsigned char *)row_text(y);
		for (; *r; r++)
			ck_assert_msg(*r < 0x80, "non-ASCII on row %d: %s", y, row_text(y));
	}
	ck_assert(screen_has("-inf") || screen_has(" x"));
	ck_assert(screen_has("1 0 0"));
}
END_TEST

START_TEST(heads_switch)
{
	close_screen();
	av_model_destroy(&model);
	make_model(AV_DEFAULT_SENTENCE, 2);
	view_init(&v, &model, AV_DEFAULT_SENTENCE);
	open_screen(80, 24);
	view_apply(&v, &model, NULL, ACT_HEAD_NEXT, 0);
	ck_assert_int_eq(v.head, 1);
	view_apply(&v, &model, NULL, ACT_HEAD_SET, 0);
	ck_assert_int_eq(v.head, 0);
	view_apply(&v, &model, NULL, ACT_HEAD_SET, 5);
	ck_assert_int_eq(v.head, 0);
	ck_assert(v.status_error);
	frame();
	ck_assert(screen_has("head 1/2"));
}
END_TEST

START_TEST(positional_and_seed_recompute)
{
	float h1 = model.h[0];
	view_apply(&v, &model, &L, ACT_POSITIONAL, 0);
	ck_assert(model.cfg.positional);
	ck_assert_int_eq(model.rnn_steps, 1);
	view_apply(&v, &model, &L, ACT_SEED, 0);
	ck_assert_uint_eq(model.cfg.seed, AV_DEFAULT_SEED + 1);
	ck_assert(model.h[0] != h1);
	frame();
	ck_assert(screen_has("seed 686"));
	ck_assert(screen_has("pos on"));
}
END_TEST

START_TEST(editor_is_utf8_aware)
{
	line_editor ed;
	editor_start(&ed, "ab");
	ck_assert(ed.active);
	ck_assert_int_eq(editor_key(&ed, 0x732B, false), EDITOR_CONTINUE); /* 猫 */
	ck_assert_str_eq(ed.buf, "ab猫");
	editor_key(&ed, KEY_LEFT, true);
	editor_key(&ed, 'x', false);
	ck_assert_str_eq(ed.buf, "abx猫");
	editor_key(&ed, KEY_END, true);
	editor_key(&ed, KEY_BACKSPACE, true);
	ck_assert_str_eq(ed.buf, "abx");
	editor_key(&ed, 21, false); /* Ctrl-U */
	ck_assert_str_eq(ed.buf, "");
	ck_assert_int_eq(editor_key(&ed, 27, false), EDITOR_CANCEL);
	ck_assert(!ed.active);
	editor_start(&ed, "q");
	ck_assert_int_eq(editor_key(&ed, '\n', false), EDITOR_ACCEPT);
}
END_TEST

START_TEST(click_selects)
{
	frame();
	const panel_box *b = &L.panel[AV_PANEL_SOFTMAX];
	view_click(&v, &model, &L, b->r.y + LAYOUT_HEAD_ROWS + 4, b->first_x + 2 * b->cell_w, -1);
	ck_assert_int_eq(v.focus, AV_PANEL_SOFTMAX);
	ck_assert_int_eq(v.ci, 4);
	ck_assert_int_eq(v.cj, 2);
	int tok = ui_token_at(&model, &v, &L, &th, 8); /* " cat " */
	ck_assert_int_eq(tok, 1);
	view_click(&v, &model, &L, L.tokens_y, 8, tok);
	ck_assert_int_eq(model.rnn_steps, 2);
}
END_TEST

START_TEST(replayed_keys_map_to_curses)
{
	int ch;
	bool is_key;
	ck_assert(keymap_from_av_key(AV_KEY_RIGHT, &ch, &is_key));
	ck_assert_int_eq(ch, KEY_RIGHT);
	ck_assert(is_key);
	ck_assert(keymap_from_av_key(AV_KEY_ENTER, &ch, &is_key));
	ck_assert_int_eq(ch, '\n');
	ck_assert(!is_key);
	ck_assert(keymap_from_av_key('m', &ch, &is_key));
	ck_assert_int_eq(ch, 'm');
	ck_assert_int_eq(keymap_lookup(ch, is_key, &ch), ACT_MASK_TOGGLE);
	ck_assert(!keymap_from_av_key(AV_KEY_END_OF_LIST, &ch, &is_key));
}
END_TEST

START_TEST(colour_ramps)
{
	ck_assert_int_eq(theme_signed_role(-1.0f, 1.0f), ROLE_NEG3);
	ck_assert_int_eq(theme_signed_role(1.0f, 1.0f), ROLE_POS3);
	ck_assert_int_eq(theme_signed_role(-INFINITY, 1.0f), ROLE_MASKED);
	ck_assert_int_eq(theme_prob_role(0.0f), ROLE_MASKED);
	ck_assert_int_eq(theme_prob_role(1.0f), ROLE_P4);
	theme t8;
	theme_init(&t8, SCHEME_8, false);
	ck_assert_str_eq(theme_prob_glyph(&t8, 1.0f), "@");
	ck_assert_str_eq(theme_prob_glyph(&t8, 0.0f), "0");
	ck_assert_str_eq(theme_signed_glyph(&t8, -INFINITY, 1.0f), "-inf");
	ck_assert(t8.attr[ROLE_NEG3] != t8.attr[ROLE_POS3]);
	char num[16];
	fmt_num(num, sizeof num, -0.001f, &FMT_CELL, 5, true);
	ck_assert_str_eq(num, "0.00");
	fmt_num(num, sizeof num, -123.456f, &FMT_CELL, 5, true);
	ck_assert_str_eq(num, "-123");
	fmt_num(num, sizeof num, -INFINITY, &FMT_CELL, 5, false);
	ck_assert_str_eq(num, "-inf");
}
END_TEST

/* ASCII: each ramp is ordered and has distinct glyphs; a weight of exactly
 * 0 is in neither ramp; the signed ramp's sign shows (flat glyphs below
 * zero, growing ones above); the legend names each ramp in full. */
START_TEST(ascii_ramps_read_as_an_ordering)
{
	theme t;
	theme_init(&t, SCHEME_MONO, false);
	const char *sg = "=-~,o+*#", *pr = ".:-=+*#@";
	for (int k = 0; k < THEME_RAMP; k++) {
		float x = -1.0f + (2.0f * (float)k + 1.0f) / THEME_RAMP;
		ck_assert_int_eq(theme_signed_glyph(&t, x, 1.0f)[0], sg[k]);
		float p = ((float)k + 0.5f) / THEME_RAMP;
		ck_assert_int_eq(theme_prob_glyph(&t, p)[0], pr[k]);
		ck_assert_str_ne(t.ramp_prob[k], t.zero_prob);
		ck_assert_str_ne(t.ramp_signed[k], t.zero_prob);
		for (int q = 0; q < k; q++) {
			ck_assert_str_ne(t.ramp_signed[q], t.ramp_signed[k]);
			ck_assert_str_ne(t.ramp_prob[q], t.ramp_prob[k]);
		}
	}
	ck_assert_str_eq(theme_prob_glyph(&t, 1e-6f), ".");
	ck_assert_str_eq(theme_prob_glyph(&t, 0.0f), "0");
	theme_init(&th, SCHEME_MONO, false);
	frame();
	ck_assert_msg(screen_has("=-~,o+*# (-..+)") && screen_has(".:-=+*#@ (0..1)") &&
			      screen_has("0 weight 0") && screen_has("x masked"),
		      "legend: %s", row_text(L.detail_y - 1));
	/* the weights of row 1 under the causal mask: "@ 0 0 0 0 0" */
	ck_assert(screen_has("@ 0 0 0 0 0"));
}
END_TEST

START_TEST(scheme_follows_the_terminal)
{
	ck_assert_int_eq(theme_detect(false), SCHEME_256); /* xterm-256color */
	ck_assert_int_eq(theme_detect(true), SCHEME_MONO);  /* --no-color */
	close_screen();
	open_screen(80, 24);
	close_screen();
	out_f = fopen("/dev/null", "w");
	in_f = fopen("/dev/null", "r");
	scr = newterm("xterm", out_f, in_f);
	ck_assert_ptr_nonnull(scr);
	ck_assert_int_eq(theme_detect(false), SCHEME_8);
	close_screen();
	out_f = fopen("/dev/null", "w");
	in_f = fopen("/dev/null", "r");
	scr = newterm("vt100", out_f, in_f);
	ck_assert_ptr_nonnull(scr);
	ck_assert_int_eq(theme_detect(false), SCHEME_MONO);
}
END_TEST

static Suite *draw_suite(void)
{
	Suite *s = suite_create("tui_draw");
	TCase *tc = tcase_create("Screen");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, titles_tokens_and_step_at_80x24);
	tcase_add_test(tc, mask_rows_are_the_lower_triangle);
	tcase_add_test(tc, pending_states_are_drawn_as_pending);
	tcase_add_test(tc, numbers_in_cells_at_120x40);
	tcase_add_test(tc, sixteen_tokens_at_120x40);
	tcase_add_test(tc, sixty_four_tokens_scroll_to_the_cursor);
	tcase_add_test(tc, too_small_message_down_to_1x1);
	tcase_add_test(tc, ascii_mode_draws_no_utf8);
	tcase_add_test(tc, ascii_ramps_read_as_an_ordering);
	tcase_add_test(tc, scheme_follows_the_terminal);
	suite_add_tcase(s, tc);
	tc = tcase_create("Actions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mask_toggle_shows_all_ones);
	tcase_add_test(tc, stepping_moves_the_rnn_one_position);
	tcase_add_test(tc, help_lists_every_action_key);
	tcase_add_test(tc, help_fits_80_columns);
	tcase_add_test(tc, long_sentence_column_labels);
	tcase_add_test(tc, title_sizes_and_previous_seed);
	tcase_add_test(tc, drill_down_of_an_attention_cell);
	tcase_add_test(tc, drill_down_of_an_rnn_state);
	tcase_add_test(tc, bad_sentence_keeps_the_previous_one);
	tcase_add_test(tc, heads_switch);
	tcase_add_test(tc, positional_and_seed_recompute);
	tcase_add_test(tc, click_selects);
	suite_add_tcase(s, tc);
	tc = tcase_create("Parts");
	tcase_add_test(tc, editor_is_utf8_aware);
	tcase_add_test(tc, colour_ramps);
	tcase_add_test(tc, replayed_keys_map_to_curses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(draw_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
