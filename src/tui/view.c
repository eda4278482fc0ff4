/* View state and actions: see view.h. */
#include "tui/view.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "i18n/lang.h"
#include "tui/keymap.h"
#include "tui/teach.h"
#include "tui/view_internal.h"

void view_message(view *v, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->status, sizeof v->status, fmt, ap);
	va_end(ap);
	v->status_error = error;
}

int view_clamp(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void view_clamp_cursor(view *v, const av_model *m)
{
	int d_head = m->w.d_head > 0 ? m->w.d_head : 1;
	v->ci = view_clamp(v->ci, 0, m->n - 1);
	if (v->focus == AV_PANEL_PRED) /* the RNN's or attention's prediction */
		v->cj = view_clamp(v->cj, 1, LAYOUT_PRED_CELLS - 1);
	else
		v->cj = view_clamp(v->cj, 0, (v->focus == AV_PANEL_OUTPUT ? d_head : m->n) - 1);
	v->head = view_clamp(v->head, 0, m->cfg.heads - 1);
}

void view_init(view *v, av_model *m, const char *sentence)
{
	memset(v, 0, sizeof *v);
	v->cmp.changed_at = -1;
	v->cmp.edit_word = -1;
	v->focus = AV_PANEL_RNN;
	v->autoplay_ms = VIEW_AUTOPLAY_DEFAULT_MS;
	snprintf(v->sentence, sizeof v->sentence, "%s", sentence ? sentence : "");
	av_model_rnn_goto(m, 1);
	v->ci = m->rnn_steps - 1;
}

void view_go_step(view *v, av_model *m, int step)
{
	av_model_rnn_goto(m, step); /* the core owns the step */
	v->ci = m->rnn_steps - 1;
}

static void focus_move(view *v, const layout *L, int dir)
{
	unsigned hidden = view_hidden_panels(v);
	for (int k = 1; k <= AV_PANEL_COUNT; k++) {
		int p = ((int)v->focus + dir * k + AV_PANEL_COUNT * 2) % AV_PANEL_COUNT;
		/* a heatmap shows one grid at a time: the focused one */
		bool heat_grid = L && L->mode == LAYOUT_HEAT && p >= AV_PANEL_SCORES &&
				 p <= AV_PANEL_SOFTMAX && !(hidden & (1u << p));
		if (!L || L->mode == LAYOUT_TOO_SMALL || L->panel[p].visible || heat_grid) {
			v->focus = (av_panel_id)p;
			return;
		}
	}
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

/* The core recomputed every h_n (mask, positional, seed): prev follows,
 * and the RNN goes back to the step shown before (shown). */
static void settings_changed(view *v, av_model *m, int shown)
{
	if (v->cmp.on)
		compare_sync_settings(v, m);
	av_model_rnn_goto(m, shown);
}

bool view_row_computed(const view *v, const av_model *m, int i)
{
	return v->mode == VIEW_TRAINING || i < m->rnn_steps;
}

/* A lesson is a file people download and share: the keys it replays may
 * move the cursor and steps and show things, never write files, edit,
 * quit, change the weights or start anything (new actions stay refused
 * until listed here). --keys, typed by the user, keeps its full power. */
static bool lesson_may_replay(action a)
{
	switch (a) {
	case ACT_NONE: case ACT_STEP_NEXT: case ACT_STEP_PREV: case ACT_STEP_FIRST:
	case ACT_STEP_LAST: case ACT_LEFT: case ACT_RIGHT: case ACT_UP: case ACT_DOWN:
	case ACT_FOCUS_NEXT: case ACT_FOCUS_PREV: case ACT_DRILL: case ACT_MASK_TOGGLE:
	case ACT_MASK_CYCLE: case ACT_POSITIONAL: case ACT_HEAD_NEXT: case ACT_HEAD_PREV:
	case ACT_HEAD_SET: case ACT_HELP: case ACT_REDRAW: case ACT_MODE_TOGGLE:
	case ACT_PRED_TOGGLE: case ACT_RACE: /* show; training, saving, generating: never */
		return true;
	default:
		return false;
	}
}

/* The line editor's key: on Enter the sentence (or word) is set. */
static void editor_apply(view *v, av_model *m, int key, bool is_key)
{
	editor_result res = editor_key(&v->ed, (unsigned)key, is_key);
	if (res == EDITOR_ACCEPT) {
		compare_accept_edit(v, m);
	} else if (res == EDITOR_CANCEL) {
		v->cmp.edit_word = -1;
		view_message(v, false, "%s", _("edit cancelled"));
	}
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
	if (v->lesson.other && v->lesson.script &&
	    v->lesson.other->n_steps == v->lesson.script->n_steps) {
		const av_lesson *l = v->lesson.script;
		v->lesson.script = v->lesson.other;
		v->lesson.other = l;
	}
	v->redraw_all = true;
	/* TRANSLATORS: the language now in effect: 中文 in the Chinese catalogue */
	view_message(v, false, "%s", _("interface language: English (L switches)"));
}

void view_apply(view *v, av_model *m, const layout *L, action a, int arg)
{
	av_error err;
	bool rnn_focus = v->focus == AV_PANEL_RNN;
	int shown = m->rnn_steps; /* the RNN's step before this action */

	switch (a) {
	/* keys while the editor or a popup is open: nothing else changes */
	case ACT_EDITOR_CHAR:
	case ACT_EDITOR_KEY:
		editor_apply(v, m, arg, a == ACT_EDITOR_KEY);
		return;
	case ACT_POPUP_SCROLL:
		v->drill_scroll = arg;
		return;
	case ACT_POPUP_CLOSE:
		v->help = v->drill = false;
		v->drill_scroll = 0;
		return;
	case ACT_AUTOPLAY_TICK: /* the timer, not a key: the message stays */
		a = m->rnn_steps < m->n ? ACT_STEP_NEXT : ACT_AUTOPLAY;
		break;
	default: /* a key: it closes a popup, and the last message goes */
		v->help = v->drill = false;
		v->drill_scroll = 0;
		v->status[0] = '\0';
		if (v->lesson.replaying && !lesson_may_replay(a))
			return;
		break;
	}
	if (quiz_blocks(v, a)) {
		view_message(v, false, "%s", _("answer the question first (Space skips it, Q or Esc leaves the quiz)"));
		return;
	}
	switch (a) {
	case ACT_NONE: break;
	case ACT_QUIT: v->quit = true; break;
	case ACT_STEP_NEXT:
		if (m->rnn_steps < m->n)
			view_go_step(v, m, m->rnn_steps + 1);
		else
			view_message(v, false, _("last step: all %d states h_n computed"), m->n);
		break;
	case ACT_STEP_PREV: view_go_step(v, m, m->rnn_steps - 1); break;
	case ACT_STEP_FIRST: view_go_step(v, m, 1); break;
	case ACT_STEP_LAST: view_go_step(v, m, m->n); break;
	case ACT_LEFT:
		if (rnn_focus)
			view_go_step(v, m, m->rnn_steps - 1);
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
			view_go_step(v, m, m->rnn_steps - 1);
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
		settings_changed(v, m, shown);
		view_message(v, false, "%s",
			     teach_mask_message(m->cfg.mask, v->mode == VIEW_INFERENCE));
		compare_message(v, m);
		break;
	case ACT_POSITIONAL:
		av_model_set_positional(m, !m->cfg.positional);
		settings_changed(v, m, shown);
		/* the encodings are added to the inputs c_n, which the RNN reads
		 * too: say so, since the RNN had word order from its chain */
		view_message(v, false, m->cfg.positional
					       ? _("positional encoding on: added to every input c_n, so the RNN's h_n change too")
					       : _("positional encoding off: the inputs c_n (and the RNN's h_n) are the words alone"));
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
		v->cmp.edit_word = -1;
		editor_start(&v->ed, v->sentence);
		break;
	case ACT_REPLACE_WORD:
		/* an empty line: the prompt names the word being replaced, and
		 * typing does not append to it */
		v->cmp.edit_word = rnn_focus ? m->rnn_steps - 1 : v->ci;
		editor_start(&v->ed, "");
		break;
	case ACT_SEED:
	case ACT_SEED_PREV:
		av_error_clear(&err);
		if (av_model_reseed(m, next_seed(m->cfg.seed, a == ACT_SEED ? 1 : -1), &err) != AV_OK)
			view_message(v, true, "%s", err.msg);
		else
			view_message(v, false, _("seed %llu: new weights"),
				     (unsigned long long)m->cfg.seed);
		settings_changed(v, m, shown);
		break;
	case ACT_AUTOPLAY:
		v->autoplay = !v->autoplay;
		if (v->autoplay && m->rnn_steps >= m->n)
			view_go_step(v, m, 1);
		view_message(v, false, v->autoplay ? _("auto-play on (+/- speed)")
						   : _("auto-play off"));
		break;
	case ACT_FASTER:
	case ACT_SLOWER:
		v->autoplay_ms = a == ACT_FASTER ? v->autoplay_ms / 2 : v->autoplay_ms * 2;
		v->autoplay_ms =
			view_clamp(v->autoplay_ms, VIEW_AUTOPLAY_MIN_MS, VIEW_AUTOPLAY_MAX_MS);
		view_message(v, false, _("auto-play: one step every %d ms"), v->autoplay_ms);
		break;
	case ACT_HELP:
		v->help = !v->help;
		v->drill_scroll = 0;
		break;
	case ACT_BIG:
		v->big = !v->big;
		view_message(v, false, "%s", v->big ? _("presenter mode: numbers in wide cells, fewer panels (b: back)")
						    : _("presenter mode off"));
		break;
	case ACT_REDRAW: v->redraw_all = true; break;
	case ACT_MODE_TOGGLE:
		v->tv.race = RACE_OFF;
		v->mode = v->mode == VIEW_TRAINING ? VIEW_INFERENCE : VIEW_TRAINING;
		if (v->mode == VIEW_INFERENCE)
			view_message(v, false, "%s",
				     _("inference: row i from tokens 1..i only, one row per step"));
		else /* the same count as the attention counter */
			view_message(v, false, _("training: every row at once, in %d batched steps"),
				     av_model_attn_depth(m->n));
		break;
	case ACT_EXPORT: v->effect = VIEW_EFFECT_EXPORT; break; /* written by the app loop */
	case ACT_LANG_TOGGLE:
		lang_switch(v);
		break;
	case ACT_LESSON_NEXT:
	case ACT_LESSON_PREV:
		lesson_apply(v, m, L, a);
		break;
	case ACT_QUIZ: case ACT_QUIZ_YES: case ACT_QUIZ_NO: case ACT_QUIZ_PICK:
	case ACT_QUIZ_NEXT: case ACT_QUIZ_LEAVE:
		quiz_apply(v, m, a);
		break;
	case ACT_PRED_TOGGLE: case ACT_RACE: case ACT_TRAIN: case ACT_TRAIN_RESET:
	case ACT_TRAIN_SCRATCH: case ACT_SAVE_WEIGHTS: case ACT_GENERATE: case ACT_GEN_MODEL:
		train_view_apply(v, m, a);
		break;
	case ACT_EDITOR_CHAR: case ACT_EDITOR_KEY: case ACT_POPUP_SCROLL: case ACT_POPUP_CLOSE:
	case ACT_AUTOPLAY_TICK: case ACT_COUNT: break; /* handled above */
	}
	if (v->cmp.on && ends_comparison(a, rnn_focus)) {
		v->cmp.on = false; /* the marks compared the state before this key */
		v->cmp.changed_at = -1;
	}
	view_clamp_cursor(v, m);
	if (L)
		view_follow(v, m, L);
}

void view_click(view *v, av_model *m, const layout *L, int y, int x, int token)
{
	if (token >= 0) {
		view_go_step(v, m, token + 1);
		return;
	}
	int row, col;
	int p = layout_hit(L, y, x, &row, &col);
	if (p < 0)
		return;
	v->focus = (av_panel_id)p;
	if (row >= 0) {
		if (p == AV_PANEL_RNN)
			view_go_step(v, m, v->row_off + row + 1);
		else
			v->ci = v->row_off + row;
	}
	if (col >= 0 && p != AV_PANEL_RNN)
		v->cj = (p == AV_PANEL_OUTPUT || p == AV_PANEL_PRED ? 0 : v->col_off) + col;
	view_clamp_cursor(v, m);
	view_follow(v, m, L);
}

void view_follow(view *v, const av_model *m, const layout *L)
{
	if (L->mode == LAYOUT_TOO_SMALL || L->rows_vis <= 0)
		return;
	int row = v->focus == AV_PANEL_RNN ? m->rnn_steps - 1 : v->ci;
	if (row < v->row_off)
		v->row_off = row;
	if (row >= v->row_off + L->rows_vis)
		v->row_off = row - L->rows_vis + 1;
	v->row_off = view_clamp(v->row_off, 0, m->n - L->rows_vis > 0 ? m->n - L->rows_vis : 0);
	if (L->rows_per_line == 2 && v->row_off % 2) { /* a heatmap pairs rows 1+2, 3+4, ... */
		v->row_off--;
		if (row >= v->row_off + L->rows_vis)
			v->row_off += 2;
	}

	if (L->grid_cols > 0) {
		/* the cursor's column in a grid, else the current step's (the
		 * diagonal of the step's row) */
		int col = v->focus != AV_PANEL_RNN && v->focus != AV_PANEL_OUTPUT &&
					  v->focus != AV_PANEL_PRED
				  ? v->cj
				  : m->rnn_steps - 1;
		if (col < v->col_off)
			v->col_off = col;
		if (col >= v->col_off + L->grid_cols)
			v->col_off = col - L->grid_cols + 1;
	}
	v->col_off = view_clamp(v->col_off, 0, m->n - L->grid_cols > 0 ? m->n - L->grid_cols : 0);
	if (v->focus == AV_PANEL_OUTPUT && L->panel[AV_PANEL_OUTPUT].visible)
		v->cj = view_clamp(v->cj, 0, L->panel[AV_PANEL_OUTPUT].cells - 1);
}

