/* View state and actions: see view.h. */
#include "tui/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/keymap.h"
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

/* The actions of lessons, quizzes and the training-time view: their own
 * modules apply them. */
static void lesson_action(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)arg;
	lesson_apply(v, m, L, a);
}

static void quiz_action(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)arg;
	quiz_apply(v, m, a);
}

static void train_action(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)arg;
	train_view_apply(v, m, a);
}

static const view_action_entry mode_actions[] = {
	{ ACT_LESSON_NEXT, lesson_action },
	{ ACT_LESSON_PREV, lesson_action },
	{ ACT_QUIZ, quiz_action },
	{ ACT_QUIZ_YES, quiz_action },
	{ ACT_QUIZ_NO, quiz_action },
	{ ACT_QUIZ_PICK, quiz_action },
	{ ACT_QUIZ_NEXT, quiz_action },
	{ ACT_QUIZ_LEAVE, quiz_action },
	{ ACT_PRED_TOGGLE, train_action },
	{ ACT_RACE, train_action },
	{ ACT_TRAIN, train_action },
	{ ACT_TRAIN_RESET, train_action },
	{ ACT_TRAIN_SCRATCH, train_action },
	{ ACT_SAVE_WEIGHTS, train_action },
	{ ACT_GENERATE, train_action },
	{ ACT_GEN_MODEL, train_action },
};

static const int mode_action_count = (int)(sizeof mode_actions / sizeof mode_actions[0]);

/* The handler tables, one per group of actions. */
typedef struct {
	const view_action_entry *entry;
	const int *count;
} action_group;

static const action_group groups[] = {
	{ view_nav_actions, &view_nav_action_count },
	{ view_model_actions, &view_model_action_count },
	{ mode_actions, &mode_action_count },
};

view_action_fn *view_action_handler(action a)
{
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
		for (int k = 0; k < *groups[g].count; k++)
			if (groups[g].entry[k].act == a)
				return groups[g].entry[k].fn;
	return NULL;
}

void view_apply(view *v, av_model *m, const layout *L, action a, int arg)
{
	bool rnn_focus = v->focus == AV_PANEL_RNN;

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
	view_action_fn *fn = view_action_handler(a);
	if (fn)
		fn(v, m, L, a, arg);
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

