/* The model state of one sentence: allocated once for AV_MAX_TOKENS tokens,
 * recomputed in place. This is the only place that strings the kernels
 * together; front ends only read it. */
#include "attnviz/model.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attention.h"
#include "attnviz/embed.h"
#include "attnviz/lm.h"
#include "attnviz/rnn.h"

/* Largest |weight| accepted: keeps every score finite in float for
 * D <= 128 and inputs of order 1, so no NaN can reach a screen. */
#define AV_MAX_ABS_WEIGHT 1000.0f

av_config av_config_default(void)
{
	av_config c = {
		.seed = AV_DEFAULT_SEED,
		.d_model = AV_DEFAULT_DIM,
		.d_hidden = AV_DEFAULT_DIM,
		.heads = 1,
		.mask = AV_MASK_CAUSAL,
		.positional = false,
	};
	return c;
}

av_status av_config_check(const av_config *cfg, av_error *err)
{
	if ((int)cfg->mask < 0 || cfg->mask >= AV_MASK_COUNT)
		return av_error_set(err, AV_ERR_RANGE, _("unknown mask %d"), (int)cfg->mask);
	return av_weights_check_dims(cfg->d_model, cfg->d_hidden, cfg->heads, err);
}

/* Check every weight is finite and not absurdly large. */
static av_status check_matrix(const float *M, int rows, int cols, const char *name, av_error *err)
{
	for (int i = 0; i < rows * cols; i++)
		if (!(fabsf(M[i]) <= AV_MAX_ABS_WEIGHT))
			return av_error_set(err, AV_ERR_RANGE,
					    _("weight %s[%d][%d] = %.9g is too large: |w| must be <= %g"),
					    name, i / cols, i % cols, (double)M[i],
					    (double)AV_MAX_ABS_WEIGHT);
	return AV_OK;
}

av_status av_weights_check_values(const av_weights *w, av_error *err)
{
	int D = w->d_model, H = w->d_hidden, dh = w->d_head;
	av_status rc;
	char name[24];
	if ((rc = check_matrix(w->W_e, H, D, "W_e", err)) != AV_OK ||
	    (rc = check_matrix(w->W_h, H, H, "W_h", err)) != AV_OK ||
	    (rc = check_matrix(w->b, 1, H, "b", err)) != AV_OK)
		return rc;
	for (int k = 0; k < w->heads; k++) {
		snprintf(name, sizeof name, "W_q.%d", k);
		if ((rc = check_matrix(w->W_q[k], D, dh, name, err)) != AV_OK)
			return rc;
		snprintf(name, sizeof name, "W_k.%d", k);
		if ((rc = check_matrix(w->W_k[k], D, dh, name, err)) != AV_OK)
			return rc;
		snprintf(name, sizeof name, "W_v.%d", k);
		if ((rc = check_matrix(w->W_v[k], D, dh, name, err)) != AV_OK)
			return rc;
	}
	for (int i = 0; i < w->n_words; i++)
		if ((rc = check_matrix(w->word_vec + (size_t)i * D, 1, D, w->word[i], err)) != AV_OK)
			return rc;
	int V = w->vocab_size;
	if (V > 0 && ((rc = check_matrix(w->E, V, D, "E", err)) != AV_OK ||
		      (rc = check_matrix(w->U, H, V, "U", err)) != AV_OK ||
		      (rc = check_matrix(w->u, 1, V, "u", err)) != AV_OK ||
		      (rc = check_matrix(w->W_out, D, V, "W_out", err)) != AV_OK ||
		      (rc = check_matrix(w->b_out, 1, V, "b_out", err)) != AV_OK))
		return rc;
	return AV_OK;
}

static float *alloc_floats(size_t count, int *ok)
{
	float *p = calloc(count, sizeof(float));
	if (!p)
		*ok = 0;
	return p;
}

av_status av_model_create(av_model *m, const av_config *cfg, const av_weights *weights,
			  av_error *err)
{
	memset(m, 0, sizeof *m);
	av_status rc = av_config_check(cfg, err);
	if (rc != AV_OK)
		return rc;
	if (weights) {
		if (weights->d_model != cfg->d_model || weights->d_hidden != cfg->d_hidden ||
		    weights->heads != cfg->heads)
			return av_error_set(err, AV_ERR_SHAPE,
					    _("the weights have d_model %d, d_hidden %d, heads %d but the "
					    "options ask for d_model %d, d_hidden %d, heads %d"),
					    weights->d_model, weights->d_hidden, weights->heads,
					    cfg->d_model, cfg->d_hidden, cfg->heads);
		if ((rc = av_weights_check_values(weights, err)) != AV_OK)
			return rc;
		rc = av_weights_copy(&m->w, weights, err);
	} else {
		rc = av_weights_init_seed(&m->w, cfg->d_model, cfg->d_hidden, cfg->heads, cfg->seed,
					  err);
	}
	if (rc != AV_OK)
		return rc;
	m->cfg = *cfg;

	size_t N = AV_MAX_TOKENS, D = (size_t)cfg->d_model, H = (size_t)cfg->d_hidden;
	size_t dh = (size_t)m->w.d_head;
	int ok = 1;
	m->X = alloc_floats(N * D, &ok);
	m->xe = alloc_floats(N * H, &ok);
	m->wh = alloc_floats(N * H, &ok);
	m->pre = alloc_floats(N * H, &ok);
	m->h = alloc_floats(N * H, &ok);
	m->Z = alloc_floats(N * D, &ok);
	m->scratch = alloc_floats(2 * N * dh + dh, &ok);
	m->check = alloc_floats(4 * N * dh + 2 * N * N, &ok);
	if (m->w.vocab_size > 0) {
		size_t V = (size_t)m->w.vocab_size;
		m->lm_V = m->w.vocab_size;
		if (av_vocab_init(&m->vocab, err) != AV_OK)
			ok = 0;
		for (int i = 1; ok && i < m->lm_V; i++)
			if (av_vocab_add(&m->vocab, &(int){ 0 }, m->w.vocab[i], err) != AV_OK)
				ok = 0;
		m->Y = alloc_floats(N * D, &ok);
		m->rnn_logits = alloc_floats(N * V, &ok);
		m->rnn_prob = alloc_floats(N * V, &ok);
		m->attn_logits = alloc_floats(N * V, &ok);
		m->attn_prob = alloc_floats(N * V, &ok);
		m->attn_inc_logits = alloc_floats(N * V, &ok);
		m->attn_inc_prob = alloc_floats(N * V, &ok);
	}
	for (int k = 0; k < cfg->heads; k++) {
		av_head_state *hs = &m->head[k];
		hs->Q = alloc_floats(N * dh, &ok);
		hs->K = alloc_floats(N * dh, &ok);
		hs->V = alloc_floats(N * dh, &ok);
		hs->scores = alloc_floats(N * N, &ok);
		hs->mask = alloc_floats(N * N, &ok);
		hs->masked = alloc_floats(N * N, &ok);
		hs->weights = alloc_floats(N * N, &ok);
		hs->output = alloc_floats(N * dh, &ok);
		hs->leak = alloc_floats(N, &ok);
		hs->inc_weights = alloc_floats(N * N, &ok);
		hs->inc_output = alloc_floats(N * dh, &ok);
		hs->inc_diff = alloc_floats(N, &ok);
	}
	if (!ok) {
		av_model_destroy(m);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory allocating the model"));
	}
	return AV_OK;
}

void av_model_destroy(av_model *m)
{
	av_weights_free(&m->w);
	free(m->X);
	free(m->xe);
	free(m->wh);
	free(m->pre);
	free(m->h);
	free(m->Z);
	free(m->scratch);
	free(m->check);
	av_vocab_free(&m->vocab);
	free(m->Y);
	free(m->rnn_logits);
	free(m->rnn_prob);
	free(m->attn_logits);
	free(m->attn_prob);
	free(m->attn_inc_logits);
	free(m->attn_inc_prob);
	for (int k = 0; k < AV_MAX_HEADS; k++) {
		av_head_state *hs = &m->head[k];
		free(hs->Q);
		free(hs->K);
		free(hs->V);
		free(hs->scores);
		free(hs->mask);
		free(hs->masked);
		free(hs->weights);
		free(hs->output);
		free(hs->leak);
		free(hs->inc_weights);
		free(hs->inc_output);
		free(hs->inc_diff);
	}
	memset(m, 0, sizeof *m);
}

/* X (n, D): per-word embedding from the weight file, else the seeded one. */
static void compute_inputs(av_model *m)
{
	int n = m->n, D = m->cfg.d_model;
	for (int t = 0; t < n; t++) {
		if (m->lm_V > 0) { /* a trained model: its embedding table E */
			m->ids[t] = av_vocab_id(&m->vocab, m->tokens.text[t]);
			memcpy(m->X + t * D, m->w.E + (size_t)m->ids[t] * D, (size_t)D * sizeof(float));
			continue;
		}
		const float *v = av_weights_word(&m->w, m->tokens.text[t]);
		if (v)
			memcpy(m->X + t * D, v, (size_t)D * sizeof(float));
		else
			av_embed_token(m->X + t * D, m->tokens.text[t], m->cfg.seed, D);
	}
	if (m->cfg.positional)
		av_positional_add(m->X, n, D);
}

static void compute_head(av_model *m, int k)
{
	av_head_state *hs = &m->head[k];
	int n = m->n, D = m->cfg.d_model, dh = m->w.d_head;
	av_attn_project(hs->Q, m->X, m->w.W_q[k], n, D, dh);
	av_attn_project(hs->K, m->X, m->w.W_k[k], n, D, dh);
	av_attn_project(hs->V, m->X, m->w.W_v[k], n, D, dh);
	av_attn_scores(hs->scores, hs->Q, hs->K, n, dh);
	av_mask_build(hs->mask, m->cfg.mask, n);
	av_attn_apply_mask(hs->masked, hs->scores, hs->mask, n);
	av_softmax_rows(hs->weights, hs->masked, n, n);
	av_attn_output(hs->output, hs->weights, hs->V, n, dh);
	av_attn_leak(hs->leak, hs->weights, n);

	/* The decoder's view: row i from tokens 1..i only, compared with row i
	 * of the batched, masked computation. The batched side of the
	 * comparison is the naive twin (the same loops, in the same order, as
	 * the incremental row), so the check measures only what row i is
	 * allowed to see: exactly 0 under causal and strict for every accepted
	 * input, instead of BLAS rounding, which near the weight limit (scores
	 * ~1e11) exceeds the gaps between scores and can move the argmax. */
	float *cQ = m->check, *cK = cQ + n * dh, *cV = cK + n * dh, *cZ = cV + n * dh;
	float *cS = cZ + n * dh, *cW = cS + n * n;
	av_attn_project_naive(cQ, m->X, m->w.W_q[k], n, D, dh);
	av_attn_project_naive(cK, m->X, m->w.W_k[k], n, D, dh);
	av_attn_project_naive(cV, m->X, m->w.W_v[k], n, D, dh);
	av_attn_scores_naive(cS, cQ, cK, n, dh);
	av_attn_apply_mask(cS, cS, hs->mask, n);
	av_softmax_rows(cW, cS, n, n);
	av_attn_output_naive(cZ, cW, cV, n, dh);
	for (int i = 0; i < n; i++) {
		float *wr = hs->inc_weights + i * n;
		float *zr = hs->inc_output + i * dh;
		av_attn_row_incremental(wr, zr, m->scratch, m->X, m->w.W_q[k], m->w.W_k[k],
					m->w.W_v[k], m->cfg.mask, i, D, dh);
		for (int j = i + 1; j < n; j++)
			wr[j] = 0.0f;
		float diff = 0.0f;
		for (int j = 0; j < n; j++)
			diff = fmaxf(diff, fabsf(wr[j] - cW[i * n + j]));
		for (int c = 0; c < dh; c++)
			diff = fmaxf(diff, fabsf(zr[c] - cZ[i * dh + c]));
		hs->inc_diff[i] = diff;
	}
	for (int i = 0; i < n; i++)
		memcpy(m->Z + i * D + k * dh, hs->output + i * dh, (size_t)dh * sizeof(float));
}

/* The vocabulary heads of both language models on this sentence. */
static void compute_lm(av_model *m)
{
	int n = m->n, D = m->cfg.d_model, H = m->cfg.d_hidden, V = m->lm_V;
	av_lm_head(m->rnn_logits, m->h, m->w.U, m->w.u, n, H, V);
	av_lm_softmax_loss(m->rnn_prob, m->rnn_loss, m->rnn_logits, m->ids, n, V);
	for (int i = 0; i < n * D; i++)
		m->Y[i] = m->X[i] + m->Z[i];
	av_lm_head(m->attn_logits, m->Y, m->w.W_out, m->w.b_out, n, D, V);
	av_lm_softmax_loss(m->attn_prob, m->attn_loss, m->attn_logits, m->ids, n, V);
	double sr = 0, sa = 0;
	for (int t = 0; t < n - 1; t++)
		sr += m->rnn_loss[t], sa += m->attn_loss[t];
	m->rnn_mean_loss = n > 1 ? (float)(sr / (n - 1)) : 0.0f;
	m->attn_mean_loss = n > 1 ? (float)(sa / (n - 1)) : 0.0f;

	/* The incremental rows, through the same head (Y is rebuilt after). */
	int dh = m->w.d_head;
	for (int t = 0; t < n; t++)
		for (int k = 0; k < m->cfg.heads; k++)
			for (int c = 0; c < dh; c++)
				m->Y[t * D + k * dh + c] = m->X[t * D + k * dh + c] +
							   m->head[k].inc_output[t * dh + c];
	av_lm_head(m->attn_inc_logits, m->Y, m->w.W_out, m->w.b_out, n, D, V);
	av_lm_softmax_loss(m->attn_inc_prob, m->attn_inc_loss, m->attn_inc_logits, m->ids, n, V);
	double si = 0;
	for (int t = 0; t < n - 1; t++)
		si += m->attn_inc_loss[t];
	m->attn_inc_mean_loss = n > 1 ? (float)(si / (n - 1)) : 0.0f;
	for (int i = 0; i < n * D; i++)
		m->Y[i] = m->X[i] + m->Z[i];
}

void av_model_rnn_reset(av_model *m)
{
	m->rnn_steps = 0;
}

bool av_model_rnn_advance(av_model *m)
{
	int t = m->rnn_steps, H = m->cfg.d_hidden;
	if (t >= m->n)
		return false;
	av_rnn_step(m->h + t * H, m->wh + t * H, m->pre + t * H, t > 0 ? m->h + (t - 1) * H : NULL,
		    m->xe + t * H, m->w.W_h, m->w.b, H);
	m->rnn_steps = t + 1;
	return true;
}

void av_model_rnn_goto(av_model *m, int t)
{
	if (m->n <= 0)
		return;
	t = t < 1 ? 1 : t > m->n ? m->n : t;
	if (t <= m->rnn_steps) {
		m->rnn_steps = t;
		return;
	}
	while (m->rnn_steps < t && av_model_rnn_advance(m))
		;
}

void av_model_compute(av_model *m)
{
	if (m->n == 0)
		return;
	compute_inputs(m);
	av_rnn_input_proj(m->xe, m->X, m->w.W_e, m->n, m->cfg.d_model, m->cfg.d_hidden);
	av_model_rnn_reset(m);
	while (av_model_rnn_advance(m))
		;
	for (int k = 0; k < m->cfg.heads; k++)
		compute_head(m, k);
	if (m->lm_V > 0)
		compute_lm(m);
}

av_status av_model_set_sentence(av_model *m, const char *text, av_error *err)
{
	av_tokens tok;
	av_status rc = av_tokenize(&tok, text, strlen(text), err);
	if (rc != AV_OK)
		return rc;
	m->tokens = tok;
	m->n = tok.n;
	av_model_compute(m);
	return AV_OK;
}

void av_model_set_mask(av_model *m, av_mask_kind kind)
{
	m->cfg.mask = kind;
	av_model_compute(m);
}

void av_model_set_positional(av_model *m, bool on)
{
	m->cfg.positional = on;
	av_model_compute(m);
}

av_status av_model_reseed(av_model *m, uint64_t seed, av_error *err)
{
	av_weights fresh;
	av_status rc = av_weights_init_seed(&fresh, m->cfg.d_model, m->cfg.d_hidden, m->cfg.heads,
					    seed, err);
	if (rc != AV_OK)
		return rc;
	av_weights_free(&m->w);
	m->w = fresh;
	m->cfg.seed = seed;
	m->lm_V = 0; /* seeded weights have no language model */
	m->weights_name[0] = '\0';
	av_model_compute(m);
	return AV_OK;
}

av_status av_model_weights_for_save(const av_model *m, av_weights *out, av_error *err)
{
	int D = m->cfg.d_model;
	if (m->lm_V > 0) /* E covers every word: <unk> for the others */
		return av_weights_copy(out, &m->w, err);
	int extra = 0;
	for (int t = 0; t < m->n; t++) {
		int seen = av_weights_word(&m->w, m->tokens.text[t]) != NULL;
		for (int u = 0; u < t && !seen; u++)
			seen = strcmp(m->tokens.text[u], m->tokens.text[t]) == 0;
		extra += !seen;
	}
	if (m->w.n_words + extra > AV_MAX_WORDS)
		return av_error_set(err, AV_ERR_RANGE,
				    _("%d word embeddings would be needed; a weight file holds at most %d"),
				    m->w.n_words + extra, AV_MAX_WORDS);
	av_status rc = av_weights_copy(out, &m->w, err);
	if (rc != AV_OK || extra == 0)
		return rc;
	float *vec = realloc(out->word_vec, (size_t)(out->n_words + extra) * D * sizeof(float));
	if (!vec) {
		av_weights_free(out);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory saving embeddings"));
	}
	out->word_vec = vec;
	for (int t = 0; t < m->n; t++) {
		const char *tok = m->tokens.text[t];
		if (av_weights_word(out, tok))
			continue;
		int k = out->n_words++;
		memcpy(out->word[k], tok, AV_MAX_TOKEN_BYTES);
		av_embed_token(out->word_vec + (size_t)k * D, tok, m->cfg.seed, D);
	}
	return AV_OK;
}

const char *av_model_weights_label(const av_model *m, char *out, size_t cap)
{
	if (m->lm_V > 0 && m->w.trained_steps >= 0)
		snprintf(out, cap, _("trained: %s, %d steps"), m->weights_name[0] ? m->weights_name : "?",
			 m->w.trained_steps);
	else if (m->weights_name[0])
		snprintf(out, cap, _("weights: %s"), m->weights_name);
	else
		snprintf(out, cap, _("random: seed %llu"), (unsigned long long)m->cfg.seed);
	return out;
}

int av_model_rnn_depth(int n)
{
	return n;
}

int av_model_attn_depth(int n)
{
	(void)n;
	return AV_ATTN_DEPTH;
}
