/* The training-time view's actions: see train_view.h. Model changes go
 * through the core (attnviz/live.h); files are written by the app loop
 * (effects.c); nothing here draws. */
#include "tui/train_view.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/view_internal.h"
#include "fmt/number.h"

/* The race's stage at which panel p is computed. */
static race_stage panel_stage(av_panel_id p)
{
	switch (p) {
	case AV_PANEL_SCORES: return RACE_SCORES;
	case AV_PANEL_MASK: case AV_PANEL_MASKED: return RACE_MASK;
	case AV_PANEL_SOFTMAX: case AV_PANEL_OUTPUT: case AV_PANEL_PRED: return RACE_SOFTMAX;
	default: return RACE_QKV;
	}
}

bool view_panel_reached(const view *v, av_panel_id p)
{
	return v->tv.race == RACE_OFF || v->tv.race >= panel_stage(p);
}

void train_view_forget(view *v)
{
	v->tv.race = RACE_OFF;
	v->tv.gen_on = false;
}

static const char *stage_name(race_stage s)
{
	switch (s) {
	case RACE_QKV: return _("Q K V projections");
	case RACE_SCORES: return _("scores Q K^T");
	case RACE_MASK: return _("mask");
	case RACE_SOFTMAX: return _("softmax and output");
	default: return "";
	}
}

static void race(view *v, av_model *m)
{
	view_train *tv = &v->tv;
	if (tv->race == RACE_OFF) {
		tv->race = RACE_QKV;
		v->mode = VIEW_TRAINING;
		view_go_step(v, m, 1);
	} else if (tv->race < RACE_SOFTMAX) {
		tv->race++;
		view_go_step(v, m, m->rnn_steps + 1);
	} else if (m->rnn_steps < m->n) {
		view_go_step(v, m, m->rnn_steps + 1);
	} else {
		tv->race = RACE_OFF;
		view_message(v, false,
			     _("race over: attention needed %d batched stages for all %d rows, the "
			       "RNN %d steps"),
			     RACE_STAGES, m->n, m->n);
		return;
	}
	if (tv->race < RACE_SOFTMAX || m->rnn_steps == 1)
		view_message(v, false, _("attention stage %d of %d (%s), all %d rows at once; RNN h_%d of %d"),
			     (int)tv->race, RACE_STAGES, stage_name(tv->race), m->n, m->rnn_steps,
			     m->n);
	else
		view_message(v, false, _("attention finished every row in %d stages; RNN h_%d of %d, %d to go"),
			     RACE_STAGES, m->rnn_steps, m->n, m->n - m->rnn_steps);
}

/* The weights changed in the core: the model (and the causality test's
 * second model) follow, the RNN stays at its step. */
void train_view_sync(view *v, av_model *m)
{
	if (!v->tv.live)
		return;
	int shown = m->rnn_steps;
	av_live_sync(v->tv.live, m);
	av_model_rnn_goto(m, shown);
	if (v->cmp.prev) {
		av_live_sync(v->tv.live, v->cmp.prev);
		if (v->cmp.on)
			v->cmp.changed_at = -1, v->cmp.on = false;
	}
	v->tv.changed = false;
}

bool train_view_step(view *v, av_model *m)
{
	view_train *tv = &v->tv;
	if (!tv->running || !tv->live || !av_live_can_train(tv->live))
		return false;
	if (m->lm_V <= 0) { /* a new seed replaced the language models */
		tv->running = false;
		return false;
	}
	av_live_step(tv->live, m->cfg.mask, m->cfg.positional, NULL);
	tv->changed = true;
	tv->gen_on = false; /* the decoder's cache holds the old weights */
	return true;
}

static bool need_live(view *v, const av_model *m)
{
	if (v->tv.live && m->lm_V > 0)
		return true;
	view_message(v, true, "%s",
		     _("no language model in these weights (seeded ones have none): start without "
		       "--seed/--untrained, or --weights a file from attnviz train"));
	return false;
}

/* w: the chosen model appends one word to the prompt (the sentence's words
 * up to the step shown), drawn as attnviz generate draws it. */
static void generate(view *v, av_model *m)
{
	view_train *tv = &v->tv;
	av_live *s = tv->live;
	if (!tv->gen_on) {
		tv->gen_prompt = m->rnn_steps > 0 ? m->rnn_steps : 1;
		tv->gen_count = 0;
		av_live_gen_start(s, m->ids, tv->gen_prompt, AV_DEFAULT_SEED, m->cfg.mask,
				  m->cfg.positional);
		tv->gen_on = true;
	}
	int n = tv->gen_prompt + tv->gen_count;
	if (n >= AV_MAX_TOKENS) {
		view_message(v, false, _("%d tokens: the most a sentence holds"), AV_MAX_TOKENS);
		return;
	}
	float p = 0.0f;
	int id = av_live_gen_next(s, &p, tv->gen_rnn, TRAIN_VIEW_TEMPERATURE, 0);
	if (id == AV_UNK_ID || id < 0) {
		tv->gen_on = false;
		view_message(v, false, "%s", _("the model drew <unk> (a word outside its vocabulary): generation stops"));
		return;
	}
	/* the prompt's words as shown, then the generated ones */
	char text[EDITOR_MAX];
	size_t used = 0;
	text[0] = '\0';
	for (int t = 0; t < n; t++) {
		int k = snprintf(text + used, sizeof text - used, "%s%s", t ? " " : "", m->tokens.text[t]);
		if (k < 0 || (size_t)k >= sizeof text - used)
			return;
		used += (size_t)k;
	}
	snprintf(text + used, sizeof text - used, "%s%s", n ? " " : "", m->vocab.word[id]);
	av_error err;
	if (av_model_set_sentence(m, text, &err) != AV_OK || m->n != n + 1) {
		tv->gen_on = false;
		view_message(v, true, "%s", _("the generated word does not fit the sentence: generation stops"));
		return;
	}
	snprintf(v->sentence, sizeof v->sentence, "%s", text);
	v->cmp.on = false;
	v->cmp.changed_at = -1;
	tv->gen_count++;
	tv->gen_p = p;
	snprintf(tv->gen_word, sizeof tv->gen_word, "%s", m->vocab.word[id]);
	v->mode = VIEW_INFERENCE; /* row by row, as a decoder computes it */
	view_go_step(v, m, m->n);
	v->ci = m->n - 1;
	view_message(v, false,
		     _("%s drew \"%s\" (p %s): 1 dependent step for token %d (%s)"),
		     tv->gen_rnn ? _("the RNN") : _("attention"), tv->gen_word,
		     fmt_str(&(fmt_text){0}, p, &FMT_FIXED[2], false), m->n,
		     tv->gen_rnn ? _("h_n from h_{n-1}") : _("q_n against the cached k_1..k_n"));
}

void train_view_apply(view *v, av_model *m, action a)
{
	view_train *tv = &v->tv;
	char label[96];
	switch (a) {
	case ACT_PRED_TOGGLE:
		if (!need_live(v, m))
			break;
		if (!tv->pred_hide && !tv->pred_force && tv->pred_left_out) {
			tv->pred_force = true; /* no room beside every grid: make some */
			view_message(v, false, "%s", _("predictions in place of some grids (P hides them)"));
			break;
		}
		tv->pred_hide = !tv->pred_hide;
		tv->pred_force = false;
		view_message(v, false, "%s", tv->pred_hide ? _("predictions panel off (P shows it)")
							   : _("predictions panel on (P hides it)"));
		break;
	case ACT_RACE: race(v, m); break;
	case ACT_TRAIN:
		if (!need_live(v, m))
			break;
		if (!av_live_can_train(tv->live)) {
			view_message(v, true, "%s", _("no corpus to train on (assets/corpus/LANG.txt not found; set ATTNVIZ_ASSETS)"));
			break;
		}
		tv->running = !tv->running;
		if (tv->running)
			view_message(v, false, "%s", _("training: T pauses, m/c change the mask, r resets"));
		else
			view_message(v, false, _("training paused at step %d"), tv->live->steps);
		break;
	case ACT_TRAIN_RESET:
		if (!need_live(v, m))
			break;
		tv->running = false;
		av_live_reset(tv->live);
		av_live_set_lr(tv->live, TRAIN_VIEW_LR);
		train_view_sync(v, m);
		tv->gen_on = false;
		view_message(v, false, _("back to the loaded weights (%s)"),
			     av_model_weights_label(m, label, sizeof label));
		break;
	case ACT_TRAIN_SCRATCH:
		if (!need_live(v, m))
			break;
		av_live_reinit(tv->live, m->cfg.seed);
		av_live_set_lr(tv->live, TRAIN_VIEW_LR_SCRATCH);
		train_view_sync(v, m);
		tv->gen_on = false;
		view_message(v, false, _("fresh random weights (seed %llu): T trains them from scratch, r goes back"),
			     (unsigned long long)m->cfg.seed);
		break;
	case ACT_SAVE_WEIGHTS:
		if (need_live(v, m))
			v->effect = VIEW_EFFECT_SAVE_WEIGHTS; /* written by the app loop */
		break;
	case ACT_GENERATE:
		if (need_live(v, m))
			generate(v, m);
		break;
	case ACT_GEN_MODEL:
		tv->gen_rnn = !tv->gen_rnn;
		view_message(v, false, "%s", tv->gen_rnn ? _("w generates with the RNN")
							 : _("w generates with attention"));
		break;
	default: break;
	}
}

void train_view_lesson(view *v, av_model *m, bool scratch, int steps, av_mask_kind mask)
{
	view_train *tv = &v->tv;
	if (!tv->live || m->lm_V <= 0)
		return;
	tv->running = false;
	tv->gen_on = false;
	if (tv->lesson_valid && tv->lesson_steps == steps && tv->lesson_scratch == scratch &&
	    tv->lesson_mask == (int)mask && tv->lesson_pos == (int)m->cfg.positional &&
	    tv->live->steps == steps && !tv->changed)
		return; /* already these weights */
	if (scratch)
		av_live_reinit(tv->live, m->cfg.seed);
	else
		av_live_reset(tv->live);
	av_live_set_lr(tv->live, scratch ? TRAIN_VIEW_LR_SCRATCH : TRAIN_VIEW_LR);
	for (int k = 0; k < steps && av_live_can_train(tv->live); k++)
		av_live_step(tv->live, mask, m->cfg.positional, NULL);
	train_view_sync(v, m);
	tv->lesson_valid = true;
	tv->lesson_steps = steps;
	tv->lesson_scratch = scratch;
	tv->lesson_mask = (int)mask;
	tv->lesson_pos = (int)m->cfg.positional;
}
