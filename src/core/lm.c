/* The two language models: one parameter block, one gradient block, the
 * forward of a sentence and its hand-written backward. The layers are in
 * attn_layer.c and rnn_layer.c; this file adds the shared embedding, the
 * residual and the vocabulary heads with their softmax cross-entropy. */
#include "attnviz/lm.h"
#include "attnviz/i18n.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attn_layer.h"
#include "attnviz/embed.h"
#include "attnviz/rng.h"
#include "attnviz/rnn_layer.h"
#include "attnviz/tokenize.h"

static const char *const tensor_names[AV_LM_TENSORS] = { "E", "W_e", "W_h",   "b",    "U",
							 "u", "W_attn", "W_out", "b_out" };

const char *av_lm_tensor_name(int i)
{
	return i >= 0 && i < AV_LM_TENSORS ? tensor_names[i] : "?";
}

/* Point t at the tensors of block, sizes from lm. */
static void slice(av_lm_tensors *t, float *block, const size_t *size)
{
	float **f[AV_LM_TENSORS] = { &t->E, &t->W_e, &t->W_h,    &t->b,    &t->U,
				     &t->u, &t->W_attn, &t->W_out, &t->b_out };
	for (int i = 0; i < AV_LM_TENSORS; i++) {
		*f[i] = block;
		block += size[i];
	}
}

av_status av_lm_create(av_lm *lm, int V, int D, int H, int heads, av_mask_kind mask,
		       bool positional, av_error *err)
{
	memset(lm, 0, sizeof *lm);
	av_status st = av_weights_check_dims(D, H, heads, err);
	if (st != AV_OK)
		return st;
	if (V < 2 || V > AV_MAX_VOCAB)
		return av_error_set(err, AV_ERR_RANGE, _("vocabulary of %d words: allowed 2..%d"), V,
				    AV_MAX_VOCAB);
	lm->V = V, lm->D = D, lm->H = H, lm->heads = heads, lm->dh = D / heads;
	lm->mask = mask;
	lm->positional = positional;
	size_t v = (size_t)V, d = (size_t)D, h = (size_t)H, N = AV_MAX_TOKENS;
	size_t sizes[AV_LM_TENSORS] = { v * d, h * d, h * h, h, h * v, v, 3 * d * d, d * v, v };
	memcpy(lm->tensor_size, sizes, sizeof sizes);
	for (int i = 0; i < AV_LM_TENSORS; i++)
		lm->n_params += sizes[i];
	lm->params = calloc(lm->n_params, sizeof(float));
	lm->grads = calloc(lm->n_params, sizeof(float));
	lm->X = calloc(N * d, sizeof(float));
	lm->h = calloc(N * h, sizeof(float));
	lm->r_prob = calloc(N * v, sizeof(float));
	lm->cache = calloc(av_attn_layer_cache_size(AV_MAX_TOKENS, D, heads), sizeof(float));
	lm->Y = calloc(N * d, sizeof(float));
	lm->Z = calloc(N * d, sizeof(float));
	lm->a_prob = calloc(N * v, sizeof(float));
	lm->dlogits = calloc(N * v, sizeof(float));
	lm->d_h = calloc(N * h, sizeof(float));
	lm->dpre = calloc(N * h, sizeof(float));
	lm->dX = calloc(N * d, sizeof(float));
	lm->dY = calloc(N * d, sizeof(float));
	lm->scratch = calloc(av_attn_layer_scratch_size(AV_MAX_TOKENS, D, heads), sizeof(float));
	if (!lm->params || !lm->grads || !lm->X || !lm->h || !lm->r_prob || !lm->cache ||
	    !lm->Y || !lm->Z || !lm->a_prob || !lm->dlogits || !lm->d_h || !lm->dpre || !lm->dX ||
	    !lm->dY || !lm->scratch) {
		av_lm_destroy(lm);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for a %d-word model"), V);
	}
	slice(&lm->p, lm->params, sizes);
	slice(&lm->g, lm->grads, sizes);
	return AV_OK;
}

void av_lm_destroy(av_lm *lm)
{
	float *all[] = { lm->params, lm->grads, lm->X,  lm->h,    lm->r_prob, lm->cache,
			 lm->Y,      lm->Z,     lm->a_prob, lm->dlogits, lm->d_h, lm->dpre,
			 lm->dX,     lm->dY,    lm->scratch };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(all[i]);
	memset(lm, 0, sizeof *lm);
}

static void fill_uniform(float *x, size_t count, uint64_t seed, const char *name, float limit)
{
	av_rng r = av_rng_stream(seed, name);
	for (size_t i = 0; i < count; i++)
		x[i] = av_rng_symmetric(&r, limit);
}

/* W (heads, 3, D, dh) <-> the av_weights per-head matrices. */
static float *attn_slot(const av_lm *lm, float *W, int k, int m)
{
	return W + ((size_t)k * 3 + (size_t)m) * (size_t)lm->D * (size_t)lm->dh;
}

void av_lm_init(av_lm *lm, uint64_t seed)
{
	size_t V = (size_t)lm->V, D = (size_t)lm->D, H = (size_t)lm->H;
	memset(lm->params, 0, lm->n_params * sizeof(float));
	fill_uniform(lm->p.E, V * D, seed, "E", 1.0f);
	av_weights w;
	if (av_weights_init_seed(&w, lm->D, lm->H, lm->heads, seed, NULL) == AV_OK) {
		memcpy(lm->p.W_e, w.W_e, H * D * sizeof(float));
		memcpy(lm->p.W_h, w.W_h, H * H * sizeof(float));
		memcpy(lm->p.b, w.b, H * sizeof(float));
		for (int k = 0; k < lm->heads; k++) {
			size_t n = D * (size_t)lm->dh * sizeof(float);
			memcpy(attn_slot(lm, lm->p.W_attn, k, 0), w.W_q[k], n);
			memcpy(attn_slot(lm, lm->p.W_attn, k, 1), w.W_k[k], n);
			memcpy(attn_slot(lm, lm->p.W_attn, k, 2), w.W_v[k], n);
		}
		av_weights_free(&w);
	}
	fill_uniform(lm->p.U, H * V, seed, "U", sqrtf(6.0f / (float)(H + V)));
	fill_uniform(lm->p.W_out, D * V, seed, "W_out", sqrtf(6.0f / (float)(D + V)));
}

void av_lm_copy_params(av_lm *dst, const av_lm *src)
{
	memcpy(dst->params, src->params, src->n_params * sizeof(float));
}

av_status av_lm_from_weights(av_lm *lm, const av_weights *w, av_error *err)
{
	if (w->vocab_size != lm->V || w->d_model != lm->D || w->d_hidden != lm->H ||
	    w->heads != lm->heads)
		return av_error_set(err, AV_ERR_SHAPE,
				    _("the weights have V %d, d_model %d, d_hidden %d, heads %d; the "
				    "model needs V %d, d_model %d, d_hidden %d, heads %d"),
				    w->vocab_size, w->d_model, w->d_hidden, w->heads, lm->V, lm->D,
				    lm->H, lm->heads);
	size_t V = (size_t)lm->V, D = (size_t)lm->D, H = (size_t)lm->H, n = D * (size_t)lm->dh;
	memcpy(lm->p.E, w->E, V * D * sizeof(float));
	memcpy(lm->p.W_e, w->W_e, H * D * sizeof(float));
	memcpy(lm->p.W_h, w->W_h, H * H * sizeof(float));
	memcpy(lm->p.b, w->b, H * sizeof(float));
	memcpy(lm->p.U, w->U, H * V * sizeof(float));
	memcpy(lm->p.u, w->u, V * sizeof(float));
	for (int k = 0; k < lm->heads; k++) {
		memcpy(attn_slot(lm, lm->p.W_attn, k, 0), w->W_q[k], n * sizeof(float));
		memcpy(attn_slot(lm, lm->p.W_attn, k, 1), w->W_k[k], n * sizeof(float));
		memcpy(attn_slot(lm, lm->p.W_attn, k, 2), w->W_v[k], n * sizeof(float));
	}
	memcpy(lm->p.W_out, w->W_out, D * V * sizeof(float));
	memcpy(lm->p.b_out, w->b_out, V * sizeof(float));
	return AV_OK;
}

av_status av_lm_to_weights(av_weights *w, const av_lm *lm, const av_vocab *vocab, av_error *err)
{
	av_status st = av_weights_alloc(w, lm->D, lm->H, lm->heads, err);
	if (st != AV_OK)
		return st;
	if (vocab->n != lm->V) {
		av_weights_free(w);
		return av_error_set(err, AV_ERR_SHAPE, _("vocabulary of %d words for a %d-word model"),
				    vocab->n, lm->V);
	}
	if ((st = av_weights_alloc_lm(w, lm->V, err)) != AV_OK)
		return st;
	memcpy(w->vocab, vocab->word, (size_t)lm->V * sizeof *w->vocab);
	av_lm_params_to_weights(w, lm);
	w->trained_mask = (int)lm->mask;
	w->positional = lm->positional;
	return AV_OK;
}

void av_lm_params_to_weights(av_weights *w, const av_lm *lm)
{
	size_t V = (size_t)lm->V, D = (size_t)lm->D, H = (size_t)lm->H, n = D * (size_t)lm->dh;
	memcpy(w->E, lm->p.E, V * D * sizeof(float));
	memcpy(w->W_e, lm->p.W_e, H * D * sizeof(float));
	memcpy(w->W_h, lm->p.W_h, H * H * sizeof(float));
	memcpy(w->b, lm->p.b, H * sizeof(float));
	memcpy(w->U, lm->p.U, H * V * sizeof(float));
	memcpy(w->u, lm->p.u, V * sizeof(float));
	for (int k = 0; k < lm->heads; k++) {
		memcpy(w->W_q[k], attn_slot(lm, lm->p.W_attn, k, 0), n * sizeof(float));
		memcpy(w->W_k[k], attn_slot(lm, lm->p.W_attn, k, 1), n * sizeof(float));
		memcpy(w->W_v[k], attn_slot(lm, lm->p.W_attn, k, 2), n * sizeof(float));
	}
	memcpy(w->W_out, lm->p.W_out, D * V * sizeof(float));
	memcpy(w->b_out, lm->p.b_out, V * sizeof(float));
}

/* ---- the vocabulary head -------------------------------------------------- */

void av_lm_head(float *logits, const float *in, const float *W, const float *bias, int n, int in_dim,
		int V)
{
	for (int t = 0; t < n; t++)
		memcpy(logits + (size_t)t * V, bias, (size_t)V * sizeof(float));
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, V, in_dim, 1.0f, in, in_dim, W, V, 1.0f,
		    logits, V);
}

void av_lm_head_naive(float *logits, const float *in, const float *W, const float *bias, int n,
		      int in_dim, int V)
{
	for (int t = 0; t < n; t++)
		for (int v = 0; v < V; v++) {
			float s = 0.0f;
			for (int i = 0; i < in_dim; i++)
				s += in[t * in_dim + i] * W[i * V + v];
			logits[t * V + v] = s + bias[v];
		}
}

float av_lm_log_sum_exp(float *max, const float *logits, int V)
{
	float mx = logits[0];
	for (int v = 1; v < V; v++)
		mx = logits[v] > mx ? logits[v] : mx;
	double sum = 0.0;
	for (int v = 0; v < V; v++)
		sum += exp((double)logits[v] - mx);
	*max = mx;
	return (float)log(sum);
}

void av_lm_softmax_loss(float *prob, float *loss, const float *logits, const int *ids, int n,
			int V)
{
	for (int t = 0; t < n; t++) {
		const float *l = logits + (size_t)t * V;
		float *p = prob + (size_t)t * V;
		float max;
		float log_sum = av_lm_log_sum_exp(&max, l, V);
		if (loss && t < n - 1)
			loss[t] = log_sum - (l[ids[t + 1]] - max);
		for (int v = 0; v < V; v++)
			p[v] = expf(l[v] - max - log_sum);
	}
}

/* dlogits (n, V) = scale * (prob - onehot(next)), row n-1 zero (nothing to
 * predict after the last token). */
static void xent_backward(float *dlogits, const float *prob, const int *ids, int n, int V,
			  float scale)
{
	for (int t = 0; t < n; t++) {
		float *d = dlogits + (size_t)t * V;
		const float *p = prob + (size_t)t * V;
		if (t == n - 1) {
			memset(d, 0, (size_t)V * sizeof *d);
			continue;
		}
		for (int v = 0; v < V; v++)
			d[v] = scale * p[v];
		d[ids[t + 1]] -= scale;
	}
}

/* Head backward: dW (I, V) += in^T dlogits; dbias += column sums;
 * din (n, in_dim) = dlogits W^T. */
static void head_backward(float *din, float *dW, float *dbias, const float *dlogits,
			  const float *in, const float *W, int n, int in_dim, int V, bool naive)
{
	for (int t = 0; t < n; t++)
		for (int v = 0; v < V; v++)
			dbias[v] += dlogits[t * V + v];
	if (!naive) {
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in_dim, V, n, 1.0f, in, in_dim, dlogits,
			    V, 1.0f, dW, V);
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, in_dim, V, 1.0f, dlogits, V, W, V,
			    0.0f, din, in_dim);
		return;
	}
	for (int i = 0; i < in_dim; i++)
		for (int v = 0; v < V; v++) {
			float s = 0.0f;
			for (int t = 0; t < n; t++)
				s += in[t * in_dim + i] * dlogits[t * V + v];
			dW[i * V + v] += s;
		}
	for (int t = 0; t < n; t++)
		for (int i = 0; i < in_dim; i++) {
			float s = 0.0f;
			for (int v = 0; v < V; v++)
				s += dlogits[t * V + v] * W[i * V + v];
			din[t * in_dim + i] = s;
		}
}

/* ---- forward and backward of a sentence ---------------------------------- */

void av_lm_forward(av_lm *lm, const int *ids, int n, float *loss_r, float *loss_a)
{
	int D = lm->D, H = lm->H, V = lm->V;
	lm->n = n;
	for (int t = 0; t < n; t++)
		memcpy(lm->X + (size_t)t * D, lm->p.E + (size_t)ids[t] * D, (size_t)D * sizeof(float));
	if (lm->positional)
		av_positional_add(lm->X, n, D);

	av_rnn_layer_forward(lm->h, lm->X, lm->p.W_e, lm->p.W_h, lm->p.b, n, D, H);
	av_lm_head(lm->r_prob, lm->h, lm->p.U, lm->p.u, n, H, V);
	av_lm_softmax_loss(lm->r_prob, loss_r, lm->r_prob, ids, n, V);

	av_attn_layer_forward(lm->Z, lm->cache, lm->X, lm->p.W_attn, lm->mask, n, D, lm->heads);
	for (int i = 0; i < n * D; i++)
		lm->Y[i] = lm->X[i] + lm->Z[i];
	av_lm_head(lm->a_prob, lm->Y, lm->p.W_out, lm->p.b_out, n, D, V);
	av_lm_softmax_loss(lm->a_prob, loss_a, lm->a_prob, ids, n, V);
}

void av_lm_backward(av_lm *lm, const int *ids, int n, float scale, bool naive)
{
	int D = lm->D, H = lm->H, V = lm->V;
	memset(lm->dX, 0, (size_t)n * D * sizeof(float));

	/* RNN: head, then back-propagation through time. */
	xent_backward(lm->dlogits, lm->r_prob, ids, n, V, scale);
	head_backward(lm->d_h, lm->g.U, lm->g.u, lm->dlogits, lm->h, lm->p.U, n, H, V, naive);
	(naive ? av_rnn_layer_backward_naive : av_rnn_layer_backward)(
		lm->dX, lm->g.W_e, lm->g.W_h, lm->g.b, lm->dpre, lm->d_h, lm->h, lm->X, lm->p.W_e,
		lm->p.W_h, n, D, H);

	/* Attention: head, residual (dX += dY), then the layer with dZ = dY. */
	xent_backward(lm->dlogits, lm->a_prob, ids, n, V, scale);
	head_backward(lm->dY, lm->g.W_out, lm->g.b_out, lm->dlogits, lm->Y, lm->p.W_out, n, D, V,
		      naive);
	for (int i = 0; i < n * D; i++)
		lm->dX[i] += lm->dY[i];
	(naive ? av_attn_layer_backward_naive : av_attn_layer_backward)(
		lm->dX, lm->g.W_attn, lm->scratch, lm->dY, lm->cache, lm->X, lm->p.W_attn, lm->mask,
		n, D, lm->heads);

	/* The shared embedding: the positional encoding is a constant. */
	for (int t = 0; t < n; t++) {
		float *dE = lm->g.E + (size_t)ids[t] * D;
		for (int k = 0; k < D; k++)
			dE[k] += lm->dX[t * D + k];
	}
}

void av_lm_zero_grad(av_lm *lm)
{
	memset(lm->grads, 0, lm->n_params * sizeof(float));
}

int av_lm_rnn_backward_depth(int n)
{
	return 1 + av_rnn_backward_depth(n);
}

int av_lm_attn_backward_depth(int n)
{
	(void)n;
	return 1 + AV_ATTN_BACKWARD_DEPTH;
}
