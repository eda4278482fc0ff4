/* The view's model actions: mask, positional encoding, heads, seed, the
 * sentence editor, training vs inference view, interface language (one
 * small handler per action; view.c looks them up in view_model_actions).
 * The core keeps its previous state on error; the error shows in the
 * status line. */
#include <stdbool.h>
#include <stdint.h>

#include "i18n/lang.h"
#include "tui/i18n.h"
#include "tui/teach.h"
#include "tui/view_internal.h"

/* The core recomputed every h_n (mask, positional, seed): prev follows,
 * and the RNN goes back to the step shown before (shown). */
static void settings_changed(view *v, av_model *m, int shown)
{
	if (v->cmp.on)
		compare_sync_settings(v, m);
	av_model_rnn_goto(m, shown);
}

/* m: causal <-> none; c: causal -> none -> strict -> future. */
static void mask(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)arg;
	int shown = m->rnn_steps;
	if (a == ACT_MASK_TOGGLE)
		av_model_set_mask(m, m->cfg.mask == AV_MASK_CAUSAL ? AV_MASK_NONE : AV_MASK_CAUSAL);
	else
		av_model_set_mask(m, (av_mask_kind)((m->cfg.mask + 1) % AV_MASK_COUNT));
	settings_changed(v, m, shown);
	view_message(v, false, "%s", teach_mask_message(m->cfg.mask, v->mode == VIEW_INFERENCE));
	compare_message(v, m);
}

static void positional(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)a, (void)arg;
	int shown = m->rnn_steps;
	av_model_set_positional(m, !m->cfg.positional);
	settings_changed(v, m, shown);
	/* the encodings are added to the inputs c_n, which the RNN reads
	 * too: say so, since the RNN had word order from its chain */
	view_message(v, false, m->cfg.positional
				       ? _("positional encoding on: added to every input c_n, so the RNN's h_n change too")
				       : _("positional encoding off: the inputs c_n (and the RNN's h_n) are the words alone"));
}

/* ] and [ go round the heads; 1..8 pick one (arg: its index). */
static void head(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L;
	if (m->cfg.heads <= 1) {
		view_message(v, false, _("one head only (start with --heads K)"));
		return;
	}
	if (a == ACT_HEAD_SET) {
		if (arg >= m->cfg.heads) {
			view_message(v, true, _("no head %d: there are %d"), arg + 1, m->cfg.heads);
			return;
		}
		v->head = arg;
	} else {
		int d = a == ACT_HEAD_NEXT ? 1 : -1;
		v->head = (v->head + d + m->cfg.heads) % m->cfg.heads;
	}
	view_message(v, false, _("head %d of %d"), v->head + 1, m->cfg.heads);
}

static void edit(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->cmp.edit_word = -1;
	editor_start(&v->ed, v->sentence);
}

/* x: an empty line; the prompt names the word being replaced, and typing
 * does not append to it. */
static void replace_word(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)a, (void)arg;
	v->cmp.edit_word = v->focus == AV_PANEL_RNN ? m->rnn_steps - 1 : v->ci;
	editor_start(&v->ed, "");
}

/* seed +- 1, wrapping within the documented range 0..2^63-1. */
static uint64_t next_seed(uint64_t seed, int dir)
{
	if (dir > 0)
		return seed >= (uint64_t)INT64_MAX ? 0 : seed + 1;
	return seed == 0 ? (uint64_t)INT64_MAX : seed - 1;
}

static void seed(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)arg;
	int shown = m->rnn_steps;
	av_error err;
	av_error_clear(&err);
	if (av_model_reseed(m, next_seed(m->cfg.seed, a == ACT_SEED ? 1 : -1), &err) != AV_OK)
		view_message(v, true, "%s", err.msg);
	else
		view_message(v, false, _("seed %llu: new weights"), (unsigned long long)m->cfg.seed);
	settings_changed(v, m, shown);
}

static void mode_toggle(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)a, (void)arg;
	v->tv.race = RACE_OFF;
	v->mode = v->mode == VIEW_TRAINING ? VIEW_INFERENCE : VIEW_TRAINING;
	if (v->mode == VIEW_INFERENCE)
		view_message(v, false, "%s",
			     _("inference: row i from tokens 1..i only, one row per step"));
	else /* the same count as the attention counter */
		view_message(v, false, _("training: every row at once, in %d batched steps"),
			     av_model_attn_depth(m->n));
}

/* L: every string drawn from now on comes from the other catalogue; a
 * lesson given in both languages shows its captions in the new one, at the
 * same step (the sentence and every setting stay, so the numbers do too). */
static void lang_switch(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
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

const view_action_entry view_model_actions[] = {
	{ ACT_MASK_TOGGLE, mask },
	{ ACT_MASK_CYCLE, mask },
	{ ACT_POSITIONAL, positional },
	{ ACT_HEAD_NEXT, head },
	{ ACT_HEAD_PREV, head },
	{ ACT_HEAD_SET, head },
	{ ACT_EDIT, edit },
	{ ACT_REPLACE_WORD, replace_word },
	{ ACT_SEED, seed },
	{ ACT_SEED_PREV, seed },
	{ ACT_MODE_TOGGLE, mode_toggle },
	{ ACT_LANG_TOGGLE, lang_switch },
};
const int view_model_action_count = (int)(sizeof view_model_actions / sizeof view_model_actions[0]);
