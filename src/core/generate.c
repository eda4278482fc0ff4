/* The decoder: one token at a time with a K/V cache for attention and the
 * carried state h for the RNN, and sampling with temperature and top-k. */
#include "attnviz/generate.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attention.h"
#include "attnviz/embed.h"
#include "attnviz/tokenize.h"

av_status av_decoder_create(av_decoder *d, const av_lm *lm, av_error *err)
{
	memset(d, 0, sizeof *d);
	d->lm = lm;
	size_t N = AV_MAX_TOKENS, K = (size_t)lm->heads, dh = (size_t)lm->dh;
	d->K = calloc(K * N * dh, sizeof(float));
	d->V = calloc(K * N * dh, sizeof(float));
	d->h = calloc((size_t)lm->H, sizeof(float));
	d->x = calloc((size_t)lm->D, sizeof(float));
	d->y = calloc((size_t)lm->D, sizeof(float));
	d->q = calloc(dh, sizeof(float));
	d->w = calloc(K * N, sizeof(float));
	d->rnn_prob = calloc((size_t)lm->V, sizeof(float));
	d->attn_prob = calloc((size_t)lm->V, sizeof(float));
	if (!d->K || !d->V || !d->h || !d->x || !d->y || !d->q || !d->w || !d->rnn_prob ||
	    !d->attn_prob) {
		av_decoder_destroy(d);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for the decoder"));
	}
	return AV_OK;
}

void av_decoder_destroy(av_decoder *d)
{
	free(d->K), free(d->V), free(d->h), free(d->x), free(d->y), free(d->q), free(d->w);
	free(d->rnn_prob), free(d->attn_prob);
	memset(d, 0, sizeof *d);
}

void av_decoder_reset(av_decoder *d)
{
	d->n = 0;
}

/* out (cols) = x (rows) . W (rows, cols) + bias (cols, may be NULL) */
static void row_times(float *out, const float *x, const float *W, const float *bias, int rows,
		      int cols)
{
	for (int c = 0; c < cols; c++)
		out[c] = bias ? bias[c] : 0.0f;
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++)
			out[c] += x[r] * W[(size_t)r * cols + c];
}

bool av_decoder_push(av_decoder *d, int id)
{
	const av_lm *lm = d->lm;
	int t = d->n, D = lm->D, H = lm->H, V = lm->V, dh = lm->dh, N = AV_MAX_TOKENS;
	if (t >= N)
		return false;
	memcpy(d->x, lm->p.E + (size_t)id * D, (size_t)D * sizeof(float));
	if (lm->positional) /* row t of the encoding, as av_positional_add */
		for (int k = 0; k < D; k++) {
			double freq = pow(10000.0, -2.0 * (k / 2) / (double)D);
			d->x[k] += (float)(k % 2 == 0 ? sin(t * freq) : cos(t * freq));
		}
	/* RNN: one step of the recurrence */
	float pre[AV_MAX_DIM];
	for (int i = 0; i < H; i++) {
		float s = lm->p.b[i];
		for (int k = 0; k < D; k++)
			s += lm->p.W_e[i * D + k] * d->x[k];
		for (int k = 0; t > 0 && k < H; k++)
			s += lm->p.W_h[i * H + k] * d->h[k];
		pre[i] = s;
	}
	for (int i = 0; i < H; i++)
		d->h[i] = tanhf(pre[i]);
	row_times(d->rnn_prob, d->h, lm->p.U, lm->p.u, H, V);
	av_lm_softmax_loss(d->rnn_prob, NULL, d->rnn_prob, NULL, 1, V);

	/* attention: append k_t, v_t to the cache, then row t */
	memcpy(d->y, d->x, (size_t)D * sizeof(float));
	float scale = 1.0f / sqrtf((float)dh);
	for (int k = 0; k < lm->heads; k++) {
		const float *Wq = lm->p.W_attn + (size_t)k * 3 * D * dh;
		const float *Wk = Wq + (size_t)D * dh, *Wv = Wk + (size_t)D * dh;
		float *Kc = d->K + (size_t)k * N * dh, *Vc = d->V + (size_t)k * N * dh;
		float *w = d->w + (size_t)k * N;
		row_times(d->q, d->x, Wq, NULL, D, dh);
		row_times(Kc + (size_t)t * dh, d->x, Wk, NULL, D, dh);
		row_times(Vc + (size_t)t * dh, d->x, Wv, NULL, D, dh);
		for (int j = 0; j <= t; j++) {
			float s = 0.0f;
			for (int c = 0; c < dh; c++)
				s += d->q[c] * Kc[(size_t)j * dh + c];
			w[j] = av_mask_allows(lm->mask, t, j) ? s * scale : -INFINITY;
		}
		av_softmax_rows(w, w, 1, t + 1);
		for (int c = 0; c < dh; c++) {
			float z = 0.0f;
			for (int j = 0; j <= t; j++)
				z += w[j] * Vc[(size_t)j * dh + c];
			d->y[k * dh + c] += z;
		}
	}
	row_times(d->attn_prob, d->y, lm->p.W_out, lm->p.b_out, D, V);
	av_lm_softmax_loss(d->attn_prob, NULL, d->attn_prob, NULL, 1, V);
	d->n = t + 1;
	return true;
}

int av_sample(const float *prob, int V, float temperature, int top_k, av_rng *r)
{
	int best = 0;
	for (int v = 1; v < V; v++)
		if (prob[v] > prob[best])
			best = v;
	if (temperature <= 0.0f)
		return best;
	/* cut: the k-th largest probability (ties counted) */
	float cut = 0.0f;
	if (top_k > 0 && top_k < V) {
		float prev = INFINITY;
		int count = 0;
		while (count < top_k) {
			float m = -1.0f;
			for (int v = 0; v < V; v++)
				if (prob[v] < prev && prob[v] > m)
					m = prob[v];
			if (m < 0.0f)
				break;
			for (int v = 0; v < V; v++)
				count += prob[v] == m;
			prev = m;
		}
		cut = prev;
	}
	/* (p / p_max)^(1/T): the most probable word weighs 1, so a tiny T
	 * tends to the argmax instead of underflowing every weight to 0 */
	double total = 0.0, top = prob[best];
	int kept = 0;
	for (int v = 0; v < V; v++)
		if (prob[v] >= cut && prob[v] > 0 && (top_k <= 0 || kept < top_k)) {
			total += pow(prob[v] / top, 1.0 / temperature);
			kept++;
		}
	double u = av_rng_uniform(r) * total, acc = 0.0;
	kept = 0;
	int last = best;
	for (int v = 0; v < V; v++)
		if (prob[v] >= cut && prob[v] > 0 && (top_k <= 0 || kept < top_k)) {
			acc += pow(prob[v] / top, 1.0 / temperature);
			kept++;
			last = v;
			if (u < acc)
				return v;
		}
	return last;
}
