/* Weights in memory: allocation, seeded Glorot-uniform initialisation,
 * copies and per-word look-up. The text format lives in weights_io.c. */
#include "attnviz/weights.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/rng.h"

av_status av_weights_check_dims(int d_model, int d_hidden, int heads, av_error *err)
{
	if (d_model < 1 || d_model > AV_MAX_DIM)
		return av_error_set(err, AV_ERR_RANGE, _("d_model %d is out of range: allowed 1..%d"),
				    d_model, AV_MAX_DIM);
	if (d_hidden < 1 || d_hidden > AV_MAX_DIM)
		return av_error_set(err, AV_ERR_RANGE, _("d_hidden %d is out of range: allowed 1..%d"),
				    d_hidden, AV_MAX_DIM);
	if (heads < 1 || heads > AV_MAX_HEADS)
		return av_error_set(err, AV_ERR_RANGE, _("heads %d is out of range: allowed 1..%d"),
				    heads, AV_MAX_HEADS);
	if (d_model % heads != 0)
		return av_error_set(err, AV_ERR_RANGE,
				    _("heads %d does not divide d_model %d: heads must divide the dimension"),
				    heads, d_model);
	return AV_OK;
}

av_status av_weights_alloc(av_weights *w, int d_model, int d_hidden, int heads, av_error *err)
{
	memset(w, 0, sizeof *w);
	w->trained_steps = w->trained_mask = w->positional = -1;
	av_status rc = av_weights_check_dims(d_model, d_hidden, heads, err);
	if (rc != AV_OK)
		return rc;
	int D = d_model, H = d_hidden, dh = d_model / heads;
	w->d_model = D, w->d_hidden = H, w->heads = heads, w->d_head = dh;
	w->W_e = calloc((size_t)H * D, sizeof(float));
	w->W_h = calloc((size_t)H * H, sizeof(float));
	w->b = calloc((size_t)H, sizeof(float));
	int ok = w->W_e && w->W_h && w->b;
	for (int k = 0; k < heads; k++) {
		w->W_q[k] = calloc((size_t)D * dh, sizeof(float));
		w->W_k[k] = calloc((size_t)D * dh, sizeof(float));
		w->W_v[k] = calloc((size_t)D * dh, sizeof(float));
		ok = ok && w->W_q[k] && w->W_k[k] && w->W_v[k];
	}
	if (!ok) {
		av_weights_free(w);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory allocating weights"));
	}
	return AV_OK;
}

av_status av_weights_alloc_lm(av_weights *w, int V, av_error *err)
{
	if (V < 1 || V > AV_MAX_VOCAB_FILE)
		return av_error_set(err, AV_ERR_RANGE, _("vocabulary of %d words: allowed 1..%d"), V,
				    AV_MAX_VOCAB_FILE);
	size_t D = (size_t)w->d_model, H = (size_t)w->d_hidden, v = (size_t)V;
	w->vocab = calloc(v, sizeof *w->vocab);
	w->E = calloc(v * D, sizeof(float));
	w->U = calloc(H * v, sizeof(float));
	w->u = calloc(v, sizeof(float));
	w->W_out = calloc(D * v, sizeof(float));
	w->b_out = calloc(v, sizeof(float));
	if (!w->vocab || !w->E || !w->U || !w->u || !w->W_out || !w->b_out) {
		av_weights_free(w);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for a %d-word model"), V);
	}
	w->vocab_size = V;
	return AV_OK;
}

static void fill_glorot(float *M, int rows, int cols, int fan_in, int fan_out, uint64_t seed,
			const char *name)
{
	av_rng r = av_rng_stream(seed, name);
	float limit = sqrtf(6.0f / (float)(fan_in + fan_out));
	for (int i = 0; i < rows * cols; i++)
		M[i] = av_rng_symmetric(&r, limit);
}

av_status av_weights_init_seed(av_weights *w, int d_model, int d_hidden, int heads,
			       uint64_t seed, av_error *err)
{
	av_status rc = av_weights_alloc(w, d_model, d_hidden, heads, err);
	if (rc != AV_OK)
		return rc;
	int D = w->d_model, H = w->d_hidden, dh = w->d_head;
	fill_glorot(w->W_e, H, D, D, H, seed, "W_e");
	fill_glorot(w->W_h, H, H, H, H, seed, "W_h");
	av_rng rb = av_rng_stream(seed, "b");
	for (int i = 0; i < H; i++)
		w->b[i] = av_rng_symmetric(&rb, 0.1f);
	for (int k = 0; k < heads; k++) {
		char name[16];
		snprintf(name, sizeof name, "W_q.%d", k);
		fill_glorot(w->W_q[k], D, dh, D, dh, seed, name);
		snprintf(name, sizeof name, "W_k.%d", k);
		fill_glorot(w->W_k[k], D, dh, D, dh, seed, name);
		snprintf(name, sizeof name, "W_v.%d", k);
		fill_glorot(w->W_v[k], D, dh, D, dh, seed, name);
	}
	return AV_OK;
}

void av_weights_free(av_weights *w)
{
	free(w->W_e);
	free(w->W_h);
	free(w->b);
	for (int k = 0; k < AV_MAX_HEADS; k++) {
		free(w->W_q[k]);
		free(w->W_k[k]);
		free(w->W_v[k]);
	}
	free(w->word_vec);
	free(w->vocab);
	free(w->E);
	free(w->U);
	free(w->u);
	free(w->W_out);
	free(w->b_out);
	memset(w, 0, sizeof *w);
}

av_status av_weights_copy(av_weights *dst, const av_weights *src, av_error *err)
{
	av_status rc = av_weights_alloc(dst, src->d_model, src->d_hidden, src->heads, err);
	if (rc != AV_OK)
		return rc;
	size_t D = (size_t)src->d_model, H = (size_t)src->d_hidden, dh = (size_t)src->d_head;
	memcpy(dst->W_e, src->W_e, H * D * sizeof(float));
	memcpy(dst->W_h, src->W_h, H * H * sizeof(float));
	memcpy(dst->b, src->b, H * sizeof(float));
	for (int k = 0; k < src->heads; k++) {
		memcpy(dst->W_q[k], src->W_q[k], D * dh * sizeof(float));
		memcpy(dst->W_k[k], src->W_k[k], D * dh * sizeof(float));
		memcpy(dst->W_v[k], src->W_v[k], D * dh * sizeof(float));
	}
	if (src->n_words > 0) {
		dst->word_vec = malloc((size_t)src->n_words * D * sizeof(float));
		if (!dst->word_vec) {
			av_weights_free(dst);
			return av_error_set(err, AV_ERR_NOMEM, _("out of memory copying embeddings"));
		}
		memcpy(dst->word_vec, src->word_vec, (size_t)src->n_words * D * sizeof(float));
		memcpy(dst->word, src->word, sizeof src->word);
		dst->n_words = src->n_words;
	}
	if (src->vocab_size > 0) {
		size_t V = (size_t)src->vocab_size;
		if ((rc = av_weights_alloc_lm(dst, src->vocab_size, err)) != AV_OK)
			return rc;
		memcpy(dst->vocab, src->vocab, V * sizeof *src->vocab);
		memcpy(dst->E, src->E, V * D * sizeof(float));
		memcpy(dst->U, src->U, H * V * sizeof(float));
		memcpy(dst->u, src->u, V * sizeof(float));
		memcpy(dst->W_out, src->W_out, D * V * sizeof(float));
		memcpy(dst->b_out, src->b_out, V * sizeof(float));
	}
	dst->trained_steps = src->trained_steps;
	dst->trained_mask = src->trained_mask;
	dst->positional = src->positional;
	return AV_OK;
}

const float *av_weights_word(const av_weights *w, const char *token)
{
	for (int i = 0; i < w->n_words; i++)
		if (strcmp(w->word[i], token) == 0)
			return w->word_vec + (size_t)i * w->d_model;
	return NULL;
}
