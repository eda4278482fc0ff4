/* View state and actions: see view.h. */
#include "tui/view.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "out/export.h"
#include "tui/i18n.h"
#include "i18n/lang.h"
#include "tui/keymap.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/teach.h"

void view_message(view *v, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->status, sizeof v->status, fmt, ap);
	va_end(ap);
	v->status_error = error;
}

static int clamp(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Recompute h_1..h_step one step at a time (after the core recomputed
 * everything, or for a new sentence). */
static void sync_rnn(view *v, av_model *m)
{
	v->step = clamp(v->step, 1, m->n);
	av_model_rnn_reset(m);
	while (m->rnn_steps < v->step && av_model_rnn_advance(m))
		;
}

static void clamp_cursor(view *v, const av_model *m)
{
	int d_head = m->w.d_head > 0 ? m->w.d_head : 1;
	v->ci = clamp(v->ci, 0, m->n - 1);
	v->cj = clamp(v->cj, 0, (v->focus == PANEL_Z ? d_head : m->n) - 1);
	v->head = clamp(v->head, 0, m->cfg.heads - 1);
}

void view_init(view *v, av_model *m, const char *sentence)
{
	memset(v, 0, sizeof *v);
	v->step = 1;
	v->changed_at = -1;
	v->edit_word = -1;
	v->focus = PANEL_RNN;
	v->autoplay_ms = VIEW_AUTOPLAY_DEFAULT_MS;
	snprintf(v->sentence, sizeof v->sentence, "%s", sentence ? sentence : "");
	sync_rnn(v, m);
	v->ci = v->step - 1;
}

static void go_step(view *v, av_model *m, int step)
{
	step = clamp(step, 1, m->n);
	while (m->rnn_steps < step && av_model_rnn_advance(m))
		;
	v->step = step;
	v->ci = step - 1;
}

static void focus_move(view *v, const layout *L, int dir)
{
	for (int k = 1; k <= PANEL_COUNT; k++) {
		int p = ((int)v->focus + dir * k + PANEL_COUNT * 2) % PANEL_COUNT;
		if (!L || L->mode == LAYOUT_TOO_SMALL || L->panel[p].visible) {
			v->focus = (panel_id)p;
			return;
		}
	}
}

/* prev gets m's settings (seed, mask, positional), so that the two differ
 * by their sentences only. */
static void prev_sync_settings(view *v, const av_model *m)
{
	av_error err;
	av_model *p = v->prev;
	if (!p)
		return;
	if (p->cfg.seed != m->cfg.seed && av_model_reseed(p, m->cfg.seed, &err) != AV_OK) {
		v->compare = false;
		return;
	}
	if (p->cfg.mask != m->cfg.mask)
		av_model_set_mask(p, m->cfg.mask);
	if (p->cfg.positional != m->cfg.positional)
		av_model_set_positional(p, m->cfg.positional);
}

/* The status line's summary of the causality test. */
static void compare_message(view *v, const av_model *m)
{
	char buf[sizeof v->status];
	if (v->compare && v->prev &&
	    teach_compare_summary(buf, sizeof buf, m, v->prev, v->changed_at) == 0)
		view_message(v, false, "%s", buf);
}

/* Set the sentence; keep_step keeps the step and the cursor (the causality
 * test replaces one word). With prev, the old sentence is kept there for
 * the comparison when the token count is the same. */
static void set_sentence(view *v, av_model *m, const char *text, bool keep_step)
{
	av_error err;
	char old[EDITOR_MAX];
	int old_n = m->n, step = v->step, ci = v->ci, cj = v->cj;
	av_error_clear(&err);
	snprintf(old, sizeof old, "%s", v->sentence);
	if (av_model_set_sentence(m, text, &err) != AV_OK) {
		view_message(v, true, "%s", err.msg[0] ? err.msg : av_status_name(err.code));
		sync_rnn(v, m);
		return;
	}
	snprintf(v->sentence, sizeof v->sentence, "%s", text);
	v->compare = false;
	v->changed_at = -1;
	if (v->prev && m->n == old_n) {
		prev_sync_settings(v, m);
		if (av_model_set_sentence(v->prev, old, &err) == AV_OK && v->prev->n == m->n) {
			v->compare = true;
			v->changed_at = teach_first_changed(m, v->prev);
		}
	}
	if (keep_step && m->n == old_n) {
		v->step = step;
		v->ci = ci;
		v->cj = cj;
	} else {
		v->step = 1;
		v->row_off = v->col_off = 0;
		v->ci = 0;
	}
	sync_rnn(v, m);
	clamp_cursor(v, m);
	if (v->compare)
		compare_message(v, m);
	else
		view_message(v, false, _("sentence: %d tokens"), m->n);
}

void view_set_sentence(view *v, av_model *m, const char *text)
{
	set_sentence(v, m, text, false);
}

/* The editor accepted its text: a whole sentence, or one word (x). */
static void accept_edit(view *v, av_model *m)
{
	int k = v->edit_word;
	v->edit_word = -1;
	if (k < 0 || k >= m->n) {
		set_sentence(v, m, v->ed.buf, false);
		return;
	}
	char text[EDITOR_MAX];
	if (teach_replace_token(text, sizeof text, m, k, v->ed.buf) != 0) {
		view_message(v, true, _("empty word: type a word (Esc cancels); the sentence is kept"));
		return;
	}
	set_sentence(v, m, text, true);
}

/* Model settings changed (mask, positional, seed): prev follows, the RNN
 * is stepped again to the view's step. */
/* seed +- 1, wrapping within the documented range 0..2^63-1. */
static uint64_t next_seed(uint64_t seed, int dir)
{
	if (dir > 0)
		return seed >= (uint64_t)INT64_MAX ? 0 : seed + 1;
	return seed == 0 ? (uint64_t)INT64_MAX : seed - 1;
}

static void settings_changed(view *v, av_model *m)
{
	if (v->compare)
		prev_sync_settings(v, m);
	sync_rnn(v, m);
}

static panel_id panel_of(av_panel_id p)
{
	switch (p) {
	case AV_PANEL_SCORES: return PANEL_SCORES;
	case AV_PANEL_MASK: return PANEL_MASK;
	case AV_PANEL_MASKED: return PANEL_MASKED;
	case AV_PANEL_SOFTMAX: return PANEL_SOFTMAX;
	case AV_PANEL_OUTPUT: return PANEL_Z;
	default: return PANEL_RNN;
	}
}

void view_lesson_goto(view *v, av_model *m, const layout *L, int k)
{
	const av_lesson *l = v->lesson;
	if (!l || k < 0 || k >= l->n_steps)
		return;
	/* the settings in force at step k: the start's, then every step's */
	const char *sentence = v->lesson_sentence;
	int mask = v->lesson_mask, pos = v->lesson_positional, mode = VIEW_TRAINING;
	int rnn = -1, ci = -1, cj = -1;
	av_panel_id focus = AV_PANEL_NONE;
	for (int s = 0; s <= k; s++) {
		const av_lesson_step *st = &l->steps[s];
		if (st->sentence[0])
			sentence = st->sentence;
		if (st->mask >= 0)
			mask = st->mask;
		if (st->positional >= 0)
			pos = st->positional;
		if (st->mode >= 0)
			mode = st->mode ? VIEW_INFERENCE : VIEW_TRAINING;
		if (st->rnn_step >= 1)
			rnn = st->rnn_step;
		if (st->focus != AV_PANEL_NONE)
			focus = st->focus;
		if (st->cell_i >= 1 && st->cell_j >= 1)
			ci = st->cell_i - 1, cj = st->cell_j - 1;
	}
	v->help = v->drill = false;
	v->ed.active = false;
	v->edit_word = -1;
	v->quiz = QUIZ_OFF;
	v->lesson_step = k;
	if (strcmp(sentence, v->sentence) != 0) {
		set_sentence(v, m, sentence, false);
		v->compare = false;
	}
	if ((int)m->cfg.mask != mask)
		av_model_set_mask(m, (av_mask_kind)mask);
	if ((int)m->cfg.positional != pos)
		av_model_set_positional(m, pos != 0);
	v->compare = false;
	v->changed_at = -1;
	sync_rnn(v, m);
	v->mode = (view_mode)mode;
	/* unset: step 1, the RNN panel, the first cell (the same state
	 * whichever way the step is reached) */
	go_step(v, m, rnn >= 1 ? rnn : 1);
	v->focus = focus != AV_PANEL_NONE ? panel_of(focus) : PANEL_RNN;
	v->ci = ci >= 0 ? ci : v->step - 1;
	v->cj = cj >= 0 ? cj : 0;
	v->row_off = v->col_off = 0;
	clamp_cursor(v, m);
	v->status[0] = '\0';
	v->replaying = true;
	const av_lesson_step *st = &l->steps[k];
	for (int i = 0; i < st->n_keys; i++) {
		int ch;
		bool is_key;
		if (keymap_from_av_key(st->keys[i], &ch, &is_key))
			view_key(v, m, L, ch, is_key, POPUP_LINES);
	}
	v->replaying = false;
	clamp_cursor(v, m);
	if (L)
		view_follow(v, m, L);
}

static void quiz_next(view *v, const av_model *m)
{
	av_quiz_question *q = &v->question;
	av_quiz_make(q, m, &v->quiz_rng);
	v->quiz = QUIZ_ASKING;
	v->quiz_number++;
	v->mode = VIEW_TRAINING;
	v->help = v->drill = false;
	v->head = q->head;
	v->ci = q->row;
	switch (q->kind) {
	case AV_QUIZ_MASK_VALUE: v->focus = PANEL_MASK; v->cj = q->col; break;
	case AV_QUIZ_IS_MASKED: v->focus = PANEL_SCORES; v->cj = q->col; break;
	default: v->focus = PANEL_SOFTMAX; v->cj = 0; break;
	}
}

static void quiz_answer(view *v, int value)
{
	av_quiz_question *q = &v->question;
	v->quiz_given = value;
	v->quiz_right = av_quiz_answer(q, value, &v->score);
	v->quiz = QUIZ_REVEALED;
	v->ci = q->row;
	v->cj = q->kind == AV_QUIZ_ARGMAX ? q->answer : q->col;
	/* the verdict shows once, in the caption under the grids */
	/* the right answer with its numbers */
	v->drill = true;
	v->drill_scroll = 0;
}

/* Keys that change the model or the view's mode wait while a question is
 * open: they would change its answer. */
static bool blocked_by_quiz(const view *v, action a)
{
	if (v->quiz != QUIZ_ASKING)
		return false;
	switch (a) {
	case ACT_MASK_TOGGLE: case ACT_MASK_CYCLE: case ACT_POSITIONAL: case ACT_SEED:
	case ACT_SEED_PREV:
	case ACT_EDIT: case ACT_REPLACE_WORD: case ACT_MODE_TOGGLE: case ACT_HEAD_NEXT:
	case ACT_HEAD_PREV: case ACT_HEAD_SET: case ACT_LESSON_NEXT: case ACT_LESSON_PREV:
		return true;
	default: return false;
	}
}

static void export_now(view *v, const av_model *m)
{
	char path[64], err[512];
	if (teach_export_path(path, sizeof path) != 0) {
		view_message(v, true, _("export: no free name attnviz-export-N.svg in this directory"));
		return;
	}
	if (export_model(m, path, err, sizeof err) != 0)
		view_message(v, true, "%s", err);
	else
		view_message(v, false, _("exported %s (this sentence, mask %s, every head)"), path,
			     av_mask_name(m->cfg.mask));
}

void view_teach_init(view *v, av_model *m, const layout *L, av_model *prev,
		     const av_lesson *lesson, bool quiz)
{
	v->prev = prev;
	v->lesson = lesson && lesson->n_steps > 0 ? lesson : NULL;
	snprintf(v->lesson_sentence, sizeof v->lesson_sentence, "%s", v->sentence);
	v->lesson_mask = (int)m->cfg.mask;
	v->lesson_positional = m->cfg.positional;
	if (v->lesson)
		view_lesson_goto(v, m, L, 0);
	if (quiz)
		view_apply(v, m, L, ACT_QUIZ, 0);
}

bool view_row_computed(const view *v, int i)
{
	return v->mode == VIEW_TRAINING || i < v->step;
}

bool view_quiz_hides(const view *v, int p, int i, int j)
{
	(void)i;
	(void)j;
	/* every question: the mask, the masked scores and the weights give
	 * the answers away; the scores stay (reason from them and the mask) */
	if (v->quiz != QUIZ_ASKING)
		return false;
	return p == PANEL_MASK || p == PANEL_MASKED || p == PANEL_SOFTMAX;
}

static bool is_scroll_key(int ch, bool is_key, int *delta)
{
	if (is_key) {
		switch (ch) {
		case KEY_DOWN: *delta = 1; return true;
		case KEY_UP: *delta = -1; return true;
		case KEY_NPAGE: *delta = 10; return true;
		case KEY_PPAGE: *delta = -10; return true;
		default: return false;
		}
	}
	switch (ch) {
	case 'j': *delta = 1; return true;
	case 'k': *delta = -1; return true;
	default: return false;
	}
}

void view_key(view *v, av_model *m, const layout *L, int ch, bool is_key, int max_scroll)
{
	if (v->ed.active) {
		editor_result res = editor_key(&v->ed, (unsigned)ch, is_key);
		if (res == EDITOR_ACCEPT) {
			accept_edit(v, m);
		} else if (res == EDITOR_CANCEL) {
			v->edit_word = -1;
			view_message(v, false, "%s", _("edit cancelled"));
		}
		return;
	}
	if (v->help || v->drill) {
		int delta;
		if (is_scroll_key(ch, is_key, &delta)) {
			v->drill_scroll += delta;
			if (v->drill_scroll > max_scroll)
				v->drill_scroll = max_scroll;
			if (v->drill_scroll < 0)
				v->drill_scroll = 0;
			return;
		}
		bool go_on = false; /* after an answer, Space/Enter close and go on */
		if (v->drill && !v->help && v->quiz == QUIZ_REVEALED) {
			int a0;
			action qa = keymap_lookup_in(KEYS_QUIZ, ch, is_key, &a0);
			go_on = qa == ACT_QUIZ_NEXT || qa == ACT_QUIZ_PICK;
		}
		v->help = v->drill = false;
		v->drill_scroll = 0;
		if (!go_on)
			return;
	}
	v->status[0] = '\0';
	int arg;
	action act = keymap_lookup_in(v->quiz != QUIZ_OFF ? KEYS_QUIZ : KEYS_MAIN, ch, is_key, &arg);
	if (act == ACT_HELP || act == ACT_DRILL)
		v->drill_scroll = 0;
	view_apply(v, m, L, act, arg);
}

/* Keys after which the changed-cell marks of the causality test go: a
 * recompute (p, s, S), the inference view (t) and stepping. The mask keys
 * (m, c) redo the comparison under the new mask, with its summary. */
static bool ends_comparison(action a, bool rnn_focus)
{
	switch (a) {
	case ACT_POSITIONAL: case ACT_SEED: case ACT_SEED_PREV: case ACT_MODE_TOGGLE:
	case ACT_STEP_NEXT: case ACT_STEP_PREV: case ACT_STEP_FIRST: case ACT_STEP_LAST:
	case ACT_AUTOPLAY:
		return true;
	case ACT_LEFT: case ACT_RIGHT: case ACT_UP: case ACT_DOWN:
		return rnn_focus; /* steps in the RNN panel */
	default: return false;
	}
}

/* L: every string drawn from now on comes from the other catalogue; a
 * lesson given in both languages shows its captions in the new one, at the
 * same step (the sentence and every setting stay, so the numbers do too). */
static void lang_switch(view *v)
{
	lang_id was = lang_current();
	if (lang_toggle() == was) {
		view_message(v, true, "%s",
			     _("no Chinese catalogue found: run make, or install attnviz"));
		return;
	}
	if (v->lesson_other && v->lesson &&
	    v->lesson_other->n_steps == v->lesson->n_steps) {
		const av_lesson *l = v->lesson;
		v->lesson = v->lesson_other;
		v->lesson_other = l;
	}
	v->redraw_all = true;
	/* TRANSLATORS: the language now in effect: 中文 in the Chinese catalogue */
	view_message(v, false, "%s", _("interface language: English (L switches)"));
}

void view_apply(view *v, av_model *m, const layout *L, action a, int arg)
{
	av_error err;
	bool rnn_focus = v->focus == PANEL_RNN;

	if (blocked_by_quiz(v, a)) {
		view_message(v, false, "%s", _("answer the question first (Space skips it, Q or Esc leaves the quiz)"));
		return;
	}
	switch (a) {
	case ACT_NONE: break;
	case ACT_QUIT: v->quit = true; break;
	case ACT_STEP_NEXT:
		if (v->step < m->n)
			go_step(v, m, v->step + 1);
		else
			view_message(v, false, _("last step: all %d states h_n computed"), m->n);
		break;
	case ACT_STEP_PREV: go_step(v, m, v->step - 1); break;
	case ACT_STEP_FIRST: go_step(v, m, 1); break;
	case ACT_STEP_LAST: go_step(v, m, m->n); break;
	case ACT_LEFT:
		if (rnn_focus)
			go_step(v, m, v->step - 1);
		else
			v->cj--;
		break;
	case ACT_RIGHT:
		if (rnn_focus)
			view_apply(v, m, L, ACT_STEP_NEXT, 0);
		else
			v->cj++;
		break;
	case ACT_UP:
		if (rnn_focus)
			go_step(v, m, v->step - 1);
		else
			v->ci--;
		break;
	case ACT_DOWN:
		if (rnn_focus)
			view_apply(v, m, L, ACT_STEP_NEXT, 0);
		else
			v->ci++;
		break;
	case ACT_FOCUS_NEXT: focus_move(v, L, +1); break;
	case ACT_FOCUS_PREV: focus_move(v, L, -1); break;
	case ACT_DRILL:
		v->drill = true;
		v->drill_scroll = 0;
		break;
	case ACT_MASK_TOGGLE:
	case ACT_MASK_CYCLE:
		if (a == ACT_MASK_TOGGLE)
			av_model_set_mask(m, m->cfg.mask == AV_MASK_CAUSAL ? AV_MASK_NONE
									   : AV_MASK_CAUSAL);
		else
			av_model_set_mask(m, (av_mask_kind)((m->cfg.mask + 1) % AV_MASK_COUNT));
		settings_changed(v, m);
		view_message(v, false, "%s", teach_mask_message(m->cfg.mask));
		compare_message(v, m);
		break;
	case ACT_POSITIONAL:
		av_model_set_positional(m, !m->cfg.positional);
		settings_changed(v, m);
		view_message(v, false, m->cfg.positional ? _("positional encoding on")
							 : _("positional encoding off"));
		break;
	case ACT_HEAD_NEXT:
	case ACT_HEAD_PREV:
	case ACT_HEAD_SET:
		if (m->cfg.heads <= 1) {
			view_message(v, false, _("one head only (start with --heads K)"));
			break;
		}
		if (a == ACT_HEAD_SET) {
			if (arg >= m->cfg.heads) {
				view_message(v, true, _("no head %d: there are %d"), arg + 1,
					     m->cfg.heads);
				break;
			}
			v->head = arg;
		} else {
			int d = a == ACT_HEAD_NEXT ? 1 : -1;
			v->head = (v->head + d + m->cfg.heads) % m->cfg.heads;
		}
		view_message(v, false, _("head %d of %d"), v->head + 1, m->cfg.heads);
		break;
	case ACT_EDIT:
		v->edit_word = -1;
		editor_start(&v->ed, v->sentence);
		break;
	case ACT_REPLACE_WORD:
		v->edit_word = rnn_focus ? v->step - 1 : v->ci;
		editor_start(&v->ed, m->tokens.text[v->edit_word]);
		break;
	case ACT_SEED:
	case ACT_SEED_PREV:
		av_error_clear(&err);
		if (av_model_reseed(m, next_seed(m->cfg.seed, a == ACT_SEED ? 1 : -1), &err) != AV_OK)
			view_message(v, true, "%s", err.msg);
		else
			view_message(v, false, _("seed %llu: new weights"),
				     (unsigned long long)m->cfg.seed);
		settings_changed(v, m);
		break;
	case ACT_AUTOPLAY:
		v->autoplay = !v->autoplay;
		if (v->autoplay && v->step >= m->n)
			go_step(v, m, 1);
		view_message(v, false, v->autoplay ? _("auto-play on (+/- speed)")
						   : _("auto-play off"));
		break;
	case ACT_FASTER:
	case ACT_SLOWER:
		v->autoplay_ms = a == ACT_FASTER ? v->autoplay_ms / 2 : v->autoplay_ms * 2;
		v->autoplay_ms =
			clamp(v->autoplay_ms, VIEW_AUTOPLAY_MIN_MS, VIEW_AUTOPLAY_MAX_MS);
		view_message(v, false, _("auto-play: one step every %d ms"), v->autoplay_ms);
		break;
	case ACT_HELP: v->help = !v->help; break;
	case ACT_REDRAW: v->redraw_all = true; break;
	case ACT_MODE_TOGGLE:
		v->mode = v->mode == VIEW_TRAINING ? VIEW_INFERENCE : VIEW_TRAINING;
		view_message(v, false, "%s",
			     v->mode == VIEW_INFERENCE
				     ? _("inference: row i from tokens 1..i only, one row per step")
				     : _("training: every row at once, in one batched step"));
		break;
	case ACT_EXPORT: export_now(v, m); break;
	case ACT_LANG_TOGGLE:
		lang_switch(v);
		break;
	case ACT_LESSON_NEXT:
	case ACT_LESSON_PREV:
		if (v->replaying)
			break;
		if (!v->lesson) {
			view_message(v, false, "%s", _("no lesson: start with --lesson parallel-attention"));
			break;
		}
		if (a == ACT_LESSON_NEXT && v->lesson_step + 1 >= v->lesson->n_steps)
			view_message(v, false, _("end of the lesson (%d steps): N goes back, q quits"),
				     v->lesson->n_steps);
		else if (a == ACT_LESSON_PREV && v->lesson_step == 0)
			view_message(v, false, "%s", _("first lesson step: n goes on"));
		else
			view_lesson_goto(v, m, L,
					 v->lesson_step + (a == ACT_LESSON_NEXT ? 1 : -1));
		break;
	case ACT_QUIZ:
		if (v->quiz != QUIZ_OFF) {
			view_apply(v, m, L, ACT_QUIZ_LEAVE, 0);
			break;
		}
		/* the score and the questions go on for the whole session */
		if (v->quiz_number == 0)
			v->quiz_rng = av_rng_stream(m->cfg.seed, "quiz");
		quiz_next(v, m);
		break;
	case ACT_QUIZ_YES:
	case ACT_QUIZ_NO:
		if (v->quiz == QUIZ_REVEALED)
			view_message(v, false, "%s", _("Space: next question, Q or Esc: leave the quiz"));
		else if (v->question.kind == AV_QUIZ_ARGMAX)
			view_message(v, false, "%s", _("move to the column with the largest weight and press Enter"));
		else
			quiz_answer(v, a == ACT_QUIZ_YES ? 1 : 0);
		break;
	case ACT_QUIZ_PICK:
		if (v->quiz == QUIZ_REVEALED)
			quiz_next(v, m);
		else if (v->question.kind != AV_QUIZ_ARGMAX)
			view_message(v, false, "%s", _("answer with 1 or 0 (y or n)"));
		else
			quiz_answer(v, v->cj);
		break;
	case ACT_QUIZ_NEXT: quiz_next(v, m); break;
	case ACT_QUIZ_LEAVE:
		v->quiz = QUIZ_OFF;
		view_message(v, false, _("quiz over: %d/%d right"), v->score.right, v->score.asked);
		break;
	case ACT_COUNT: break;
	}
	if (v->compare && ends_comparison(a, rnn_focus)) {
		v->compare = false; /* the marks compared the state before this key */
		v->changed_at = -1;
	}
	clamp_cursor(v, m);
	if (L)
		view_follow(v, m, L);
}

void view_click(view *v, av_model *m, const layout *L, int y, int x, int token)
{
	if (token >= 0) {
		go_step(v, m, token + 1);
		return;
	}
	int row, col;
	int p = layout_hit(L, y, x, &row, &col);
	if (p < 0)
		return;
	v->focus = (panel_id)p;
	if (row >= 0) {
		if (p == PANEL_RNN)
			go_step(v, m, v->row_off + row + 1);
		else
			v->ci = v->row_off + row;
	}
	if (col >= 0 && p != PANEL_RNN)
		v->cj = (p == PANEL_Z ? 0 : v->col_off) + col;
	clamp_cursor(v, m);
	view_follow(v, m, L);
}

void view_follow(view *v, const av_model *m, const layout *L)
{
	if (L->mode == LAYOUT_TOO_SMALL || L->rows_vis <= 0)
		return;
	int row = v->focus == PANEL_RNN ? v->step - 1 : v->ci;
	if (row < v->row_off)
		v->row_off = row;
	if (row >= v->row_off + L->rows_vis)
		v->row_off = row - L->rows_vis + 1;
	v->row_off = clamp(v->row_off, 0, m->n - L->rows_vis > 0 ? m->n - L->rows_vis : 0);

	if (L->grid_cols > 0) {
		/* the cursor's column in a grid, else the current step's (the
		 * diagonal of the step's row) */
		int col = v->focus != PANEL_RNN && v->focus != PANEL_Z ? v->cj : v->step - 1;
		if (col < v->col_off)
			v->col_off = col;
		if (col >= v->col_off + L->grid_cols)
			v->col_off = col - L->grid_cols + 1;
	}
	v->col_off = clamp(v->col_off, 0, m->n - L->grid_cols > 0 ? m->n - L->grid_cols : 0);
	if (v->focus == PANEL_Z && L->panel[PANEL_Z].visible)
		v->cj = clamp(v->cj, 0, L->panel[PANEL_Z].cells - 1);
}
