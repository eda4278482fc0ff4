/* Live training for a viewer: see live.h. The trainer, the evaluation and
 * the decoder are the ones of `attnviz train` and `attnviz generate`; this
 * file keeps the loaded weights, the curves and the copy into the model. */
#include "attnviz/live.h"
#include "attnviz/i18n.h"

#include <stdlib.h>
#include <string.h>

av_status av_live_create(av_live *s, const av_model *m, av_corpus *corpus,
			 const av_train_config *cfg, av_error *err)
{
	memset(s, 0, sizeof *s);
	if (m->lm_V <= 0)
		return av_error_set(err, AV_ERR_SHAPE,
				    _("these weights have no language model (train one with attnviz "
				    "train, or drop --seed/--untrained)"));
	av_status st = av_lm_create(&s->lm, m->lm_V, m->cfg.d_model, m->cfg.d_hidden,
				    m->cfg.heads, m->cfg.mask, m->cfg.positional, err);
	if (st != AV_OK)
		return st;
	if ((st = av_lm_from_weights(&s->lm, &m->w, err)) != AV_OK)
		goto fail;
	s->loaded = malloc(s->lm.n_params * sizeof(float));
	if (!s->loaded) {
		st = av_error_set(err, AV_ERR_NOMEM, _("out of memory for live training"));
		goto fail;
	}
	memcpy(s->loaded, s->lm.params, s->lm.n_params * sizeof(float));
	s->loaded_steps = m->w.trained_steps > 0 ? m->w.trained_steps : 0;
	s->file_steps = s->loaded_steps;
	if ((st = av_decoder_create(&s->dec, &s->lm, err)) != AV_OK)
		goto fail;
	if (corpus) {
		av_corpus_map(corpus, &m->vocab);
		s->corpus = corpus;
		s->cfg = *cfg;
		if ((st = av_trainer_create(&s->tr, &s->lm, corpus, cfg, err)) != AV_OK) {
			s->corpus = NULL;
			goto fail;
		}
	}
	s->per_point = 1;
	s->heldout_loss[0] = s->heldout_loss[1] = -1.0f;
	return AV_OK;
fail:
	av_live_destroy(s);
	return st;
}

void av_live_destroy(av_live *s)
{
	if (s->corpus)
		av_trainer_destroy(&s->tr);
	av_decoder_destroy(&s->dec);
	free(s->loaded);
	av_lm_destroy(&s->lm);
	memset(s, 0, sizeof *s);
}

bool av_live_can_train(const av_live *s)
{
	return s->corpus != NULL;
}

/* Halve the curves: point k = mean of points 2k and 2k+1. */
static void halve(av_live *s)
{
	int n = s->n_points / 2;
	for (int c = 0; c < AV_CURVE_COUNT; c++)
		for (int k = 0; k < n; k++)
			s->curve[c][k] = 0.5f * (s->curve[c][2 * k] + s->curve[c][2 * k + 1]);
	for (int k = 0; k < n; k++)
		s->point_step[k] = s->point_step[2 * k + 1];
	s->n_points = n;
	s->per_point *= 2;
}

static void evaluate_heldout(av_live *s)
{
	av_lm_score r, a;
	av_lm_evaluate(&s->lm, s->corpus, true, false, &r, &a);
	if (r.count == 0) /* no held-out sentence: the training set's */
		av_lm_evaluate(&s->lm, s->corpus, false, false, &r, &a);
	s->heldout_loss[0] = (float)r.loss;
	s->heldout_loss[1] = (float)a.loss;
}

void av_live_step(av_live *s, av_mask_kind mask, bool positional, av_train_stats *st)
{
	av_train_stats local;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!s->corpus)
		return;
	s->lm.mask = mask;
	s->lm.positional = positional;
	av_trainer_step(&s->tr, st);
	s->steps++;
	s->train_loss[0] = st->loss_rnn;
	s->train_loss[1] = st->loss_attn;
	for (int k = 0; k < 2; k++)
		s->smooth_loss[k] = s->steps == 1 ? s->train_loss[k]
						  : 0.9f * s->smooth_loss[k] + 0.1f * s->train_loss[k];
	if (s->steps == 1 || s->steps % AV_LIVE_HELDOUT_EVERY == 0)
		evaluate_heldout(s);
	s->pending[0] += st->loss_rnn;
	s->pending[1] += st->loss_attn;
	if (++s->pending_n < s->per_point)
		return;
	int k = s->n_points++;
	s->curve[AV_CURVE_RNN_TRAIN][k] = (float)(s->pending[0] / s->pending_n);
	s->curve[AV_CURVE_ATTN_TRAIN][k] = (float)(s->pending[1] / s->pending_n);
	s->curve[AV_CURVE_RNN_HELD][k] = s->heldout_loss[0];
	s->curve[AV_CURVE_ATTN_HELD][k] = s->heldout_loss[1];
	s->point_step[k] = s->steps;
	s->pending[0] = s->pending[1] = 0.0;
	s->pending_n = 0;
	if (s->n_points == AV_LIVE_POINTS) /* full: the next points cover twice the steps */
		halve(s);
}

static void clear_history(av_live *s)
{
	s->steps = 0;
	s->n_points = 0;
	s->per_point = 1;
	s->pending[0] = s->pending[1] = 0.0;
	s->pending_n = 0;
	s->train_loss[0] = s->train_loss[1] = 0.0f;
	s->smooth_loss[0] = s->smooth_loss[1] = 0.0f;
	s->heldout_loss[0] = s->heldout_loss[1] = -1.0f;
	if (s->corpus) { /* a fresh optimizer and batch order: the same run again */
		av_trainer_destroy(&s->tr);
		av_trainer_create(&s->tr, &s->lm, s->corpus, &s->cfg, NULL);
	}
}

void av_live_set_lr(av_live *s, float lr)
{
	s->cfg.lr = lr;
	if (s->corpus)
		s->tr.cfg.lr = lr;
}

void av_live_reset(av_live *s)
{
	memcpy(s->lm.params, s->loaded, s->lm.n_params * sizeof(float));
	s->loaded_steps = s->file_steps;
	clear_history(s);
}

void av_live_reinit(av_live *s, uint64_t seed)
{
	av_lm_init(&s->lm, seed);
	clear_history(s);
	s->loaded_steps = 0;
}

bool av_live_sync(const av_live *s, av_model *m)
{
	if (m->lm_V != s->lm.V || m->cfg.d_model != s->lm.D || m->cfg.d_hidden != s->lm.H ||
	    m->cfg.heads != s->lm.heads || !m->w.E)
		return false; /* the model's weights were replaced (a new seed) */
	av_lm_params_to_weights(&m->w, &s->lm);
	m->w.trained_steps = s->loaded_steps + s->steps;
	av_model_compute(m);
	return true;
}

float av_live_curve_max(const av_live *s)
{
	float mx = 0.0f;
	for (int c = 0; c < AV_CURVE_COUNT; c++)
		for (int k = 0; k < s->n_points; k++)
			if (s->curve[c][k] > mx)
				mx = s->curve[c][k];
	return mx > 0.0f ? mx : 1.0f;
}

void av_live_gen_start(av_live *s, const int *ids, int n, uint64_t seed, av_mask_kind mask,
		       bool positional)
{
	s->lm.mask = mask;
	s->lm.positional = positional;
	av_decoder_reset(&s->dec);
	for (int t = 0; t < n; t++)
		av_decoder_push(&s->dec, ids[t]);
	s->gen_rng = av_rng_stream(seed, "generate");
}

int av_live_gen_next(av_live *s, float *prob, bool rnn, float temperature, int top_k)
{
	if (s->dec.n >= AV_MAX_TOKENS)
		return -1;
	const float *p = rnn ? s->dec.rnn_prob : s->dec.attn_prob;
	int id = av_sample(p, s->lm.V, temperature, top_k, &s->gen_rng);
	if (prob)
		*prob = p[id];
	av_decoder_push(&s->dec, id);
	return id;
}
