/* The lesson player: a lesson's step k is the lesson's start settings, the
 * settings of steps 0..k-1 and k, then step k's keys replayed; n / N move
 * between steps. */
#include "tui/view_internal.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/keymap.h"
#include "tui/popup.h"


void view_lesson_goto(view *v, av_model *m, const layout *L, int k)
{
	const av_lesson *l = v->lesson.script;
	if (!l || k < 0 || k >= l->n_steps)
		return;
	/* the settings in force at step k: the start's, then every step's */
	const char *sentence = v->lesson.sentence;
	int mask = v->lesson.mask, pos = v->lesson.positional, mode = VIEW_TRAINING;
	int rnn = -1, ci = -1, cj = -1;
	int train = 0, train_mask = mask; /* the weights: loaded, untrained */
	bool scratch = false;
	av_panel_id focus = AV_PANEL_NONE;
	for (int s = 0; s <= k; s++) {
		const av_lesson_step *st = &l->steps[s];
		if (st->sentence[0])
			sentence = st->sentence;
		if (st->mask >= 0)
			mask = st->mask;
		if (st->train_steps >= 0) /* trained under this step's mask */
			train = st->train_steps, scratch = st->train_scratch, train_mask = mask;
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
	v->cmp.edit_word = -1;
	v->quiz.phase = QUIZ_OFF;
	v->lesson.step = k;
	train_view_forget(v);
	if (strcmp(sentence, v->sentence) != 0) {
		compare_set_sentence(v, m, sentence, false);
		v->cmp.on = false;
	}
	if ((int)m->cfg.mask != mask)
		av_model_set_mask(m, (av_mask_kind)mask);
	if ((int)m->cfg.positional != pos)
		av_model_set_positional(m, pos != 0);
	train_view_lesson(v, m, scratch, train, (av_mask_kind)train_mask);
	v->cmp.on = false;
	v->cmp.changed_at = -1;
	v->mode = (view_mode)mode;
	/* unset: step 1, the RNN panel, the first cell (the same state
	 * whichever way the step is reached) */
	view_go_step(v, m, rnn >= 1 ? rnn : 1);
	/* none, or the token strip (no cells): the RNN panel */
	v->focus = focus >= 0 && focus < AV_PANEL_COUNT ? focus : AV_PANEL_RNN;
	/* the panels introduced so far; the focus is always on screen */
	v->lesson.hidden = av_lesson_hidden(l, k) & ~(1u << v->focus);
	v->ci = ci >= 0 ? ci : m->rnn_steps - 1;
	v->cj = cj >= 0 ? cj : 0;
	v->row_off = v->col_off = 0;
	view_clamp_cursor(v, m);
	v->status[0] = '\0';
	const av_lesson_step *st = &l->steps[k];
	/* the race and generation as directives (replayed keys only move and show) */
	for (int r = 0; r < st->race; r++)
		train_view_apply(v, m, ACT_RACE);
	if (st->gen_rnn >= 0)
		v->tv.gen_rnn = st->gen_rnn == 1;
	for (int g = 0; g < st->generate && v->tv.live; g++)
		train_view_apply(v, m, ACT_GENERATE);
	v->lesson.replaying = true;
	for (int i = 0; i < st->n_keys; i++) {
		int ch;
		bool is_key;
		if (keymap_from_av_key(st->keys[i], &ch, &is_key))
			view_key(v, m, L, ch, is_key, POPUP_LINES);
	}
	v->lesson.replaying = false;
	view_clamp_cursor(v, m);
	if (L)
		view_follow(v, m, L);
}


unsigned view_hidden_panels(const view *v)
{
	unsigned hidden = v->lesson.script && v->quiz.phase == QUIZ_OFF ? v->lesson.hidden : 0;
	if (v->big) /* fewer panels at once, for a hall */
		hidden |= ((1u << AV_PANEL_MASKED) | (1u << AV_PANEL_OUTPUT)) & ~(1u << v->focus);
	return hidden;
}

void view_teach_init(view *v, av_model *m, const layout *L, av_model *prev,
		     const av_lesson *lesson, bool quiz)
{
	v->cmp.prev = prev;
	v->lesson.script = lesson && lesson->n_steps > 0 ? lesson : NULL;
	snprintf(v->lesson.sentence, sizeof v->lesson.sentence, "%s", v->sentence);
	v->lesson.mask = (int)m->cfg.mask;
	v->lesson.positional = m->cfg.positional;
	if (v->lesson.script)
		view_lesson_goto(v, m, L, 0);
	if (quiz)
		view_apply(v, m, L, ACT_QUIZ, 0);
}


void lesson_apply(view *v, av_model *m, const layout *L, action a)
{
	if (v->lesson.replaying)
		return;
	if (!v->lesson.script) {
		view_message(v, false, "%s", _("no lesson: start with --lesson parallel-attention"));
		return;
	}
	if (a == ACT_LESSON_NEXT && v->lesson.step + 1 >= v->lesson.script->n_steps)
		view_message(v, false, _("end of the lesson (%d steps): N goes back, q quits"),
			     v->lesson.script->n_steps);
	else if (a == ACT_LESSON_PREV && v->lesson.step == 0)
		view_message(v, false, "%s", _("first lesson step: n goes on"));
	else
		view_lesson_goto(v, m, L, v->lesson.step + (a == ACT_LESSON_NEXT ? 1 : -1));
}
