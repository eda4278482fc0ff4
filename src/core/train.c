/* The training loop's parts: batches in a seeded order, the step (mean loss
 * over the batch's predictions, hand-written gradients, clipping, Adam or
 * SGD), evaluation and the count-based baselines. */
#include "attnviz/train.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

av_status av_trainer_create(av_trainer *t, av_lm *lm, const av_corpus *c,
			    const av_train_config *cfg, av_error *err)
{
	memset(t, 0, sizeof *t);
	t->lm = lm;
	t->corpus = c;
	t->cfg = *cfg;
	t->train = malloc((size_t)c->n_sent * sizeof *t->train);
	t->order = malloc((size_t)c->n_sent * sizeof *t->order);
	t->m = calloc(lm->n_params, sizeof(float));
	t->v = calloc(lm->n_params, sizeof(float));
	if (!t->train || !t->order || !t->m || !t->v) {
		av_trainer_destroy(t);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for the trainer"));
	}
	for (int s = 0; s < c->n_sent; s++)
		if (!c->heldout[s] && av_corpus_len(c, s) >= 2)
			t->train[t->n_train++] = s;
	if (t->n_train == 0) {
		av_trainer_destroy(t);
		return av_error_set(err, AV_ERR_RANGE,
				    _("no training sentence of two tokens or more (is --heldout too "
				    "large?)"));
	}
	memcpy(t->order, t->train, (size_t)t->n_train * sizeof *t->order);
	t->rng = av_rng_stream(cfg->seed, "batches");
	t->cursor = t->n_train; /* shuffle before the first batch */
	return AV_OK;
}

void av_trainer_destroy(av_trainer *t)
{
	free(t->train);
	free(t->order);
	free(t->m);
	free(t->v);
	memset(t, 0, sizeof *t);
}

static bool full_batch(const av_trainer *t)
{
	return t->cfg.batch <= 0 || t->cfg.batch >= t->n_train;
}

/* Fisher-Yates with the trainer's stream. */
static void shuffle(av_trainer *t)
{
	memcpy(t->order, t->train, (size_t)t->n_train * sizeof *t->order);
	for (int i = t->n_train - 1; i > 0; i--) {
		int j = (int)(av_rng_next(&t->rng) % (uint64_t)(i + 1));
		int x = t->order[i];
		t->order[i] = t->order[j];
		t->order[j] = x;
	}
	t->cursor = 0;
}

void av_trainer_step(av_trainer *t, av_train_stats *s)
{
	av_lm *lm = t->lm;
	const av_corpus *c = t->corpus;
	int B = full_batch(t) ? t->n_train : t->cfg.batch;
	const int *pick = t->train;
	if (!full_batch(t)) {
		if (t->cursor + B > t->n_train)
			shuffle(t);
		pick = t->order + t->cursor;
		t->cursor += B;
	}
	int preds = 0;
	for (int i = 0; i < B; i++)
		preds += av_corpus_len(c, pick[i]) - 1;
	float scale = 1.0f / (float)preds;
	float loss_r[AV_MAX_TOKENS], loss_a[AV_MAX_TOKENS];
	double sum_r = 0.0, sum_a = 0.0;
	av_lm_zero_grad(lm);
	for (int i = 0; i < B; i++) {
		int sent = pick[i], n = av_corpus_len(c, sent);
		const int *ids = c->ids + c->start[sent];
		av_lm_forward(lm, ids, n, loss_r, loss_a);
		for (int k = 0; k < n - 1; k++)
			sum_r += loss_r[k], sum_a += loss_a[k];
		av_lm_backward(lm, ids, n, scale, false);
	}
	double norm = av_clip_grad(lm->grads, lm->n_params, t->cfg.clip);
	t->step++;
	bool diverged = !isfinite(sum_r) || !isfinite(sum_a) || !isfinite(norm);
	if (!diverged) {
		if (t->cfg.optimizer == AV_OPT_SGD)
			av_sgd_update(lm->params, lm->grads, lm->n_params, t->cfg.lr);
		else
			av_adam_update(lm->params, t->m, t->v, lm->grads, lm->n_params, t->cfg.lr,
				       t->step);
		/* An update can overflow a parameter even from a finite gradient. */
		for (size_t i = 0; i < lm->n_params && !diverged; i++)
			diverged = !isfinite(lm->params[i]);
	}
	if (s) {
		s->diverged = diverged;
		s->loss_rnn = (float)(sum_r / preds);
		s->loss_attn = (float)(sum_a / preds);
		s->grad_norm = norm;
		s->predictions = preds;
	}
}

int av_argmax(const float *x, int n)
{
	int best = 0;
	for (int i = 1; i < n; i++)
		if (x[i] > x[best])
			best = i;
	return best;
}

/* One prediction: its loss (nats) and whether prob's top word is target. */
static void add(av_lm_score *s, double loss, const float *prob, int V, int target, bool inc)
{
	int hit = av_argmax(prob, V) == target;
	if (inc) {
		s->inc_loss += loss;
		s->inc_acc += hit;
	} else {
		s->loss += loss;
		s->acc += hit;
		s->count++;
	}
}

/* -log softmax(in W + bias)[target] of one row, from its logits (logits: V
 * floats of scratch): exact at any margin, where -log of a probability that
 * underflowed could only be capped. */
static double row_loss(float *logits, const float *in, const float *W, const float *bias,
		       int in_dim, int V, int target)
{
	av_lm_head(logits, in, W, bias, 1, in_dim, V);
	float max, log_sum = av_lm_log_sum_exp(&max, logits, V);
	return (double)log_sum - ((double)logits[target] - (double)max);
}

static void finish(av_lm_score *s)
{
	if (s->count > 0) {
		s->loss /= (double)s->count;
		s->acc /= (double)s->count;
		s->inc_loss /= (double)s->count;
		s->inc_acc /= (double)s->count;
	}
}

void av_lm_evaluate(av_lm *lm, const av_corpus *c, bool heldout, bool incremental,
		    av_lm_score *rnn, av_lm_score *attn)
{
	memset(rnn, 0, sizeof *rnn);
	memset(attn, 0, sizeof *attn);
	int V = lm->V;
	for (int s = 0; s < c->n_sent; s++) {
		int n = av_corpus_len(c, s);
		if ((c->heldout[s] != 0) != heldout || n < 2)
			continue;
		const int *ids = c->ids + c->start[s];
		float loss_r[AV_MAX_TOKENS], loss_a[AV_MAX_TOKENS];
		av_lm_forward(lm, ids, n, loss_r, loss_a);
		for (int t = 0; t < n - 1; t++) {
			add(rnn, loss_r[t], lm->r_prob + (size_t)t * V, V, ids[t + 1], false);
			add(attn, loss_a[t], lm->a_prob + (size_t)t * V, V, ids[t + 1], false);
		}
		if (!incremental)
			continue;
		/* Row t from tokens 0..t only: the model as a generator sees it.
		 * Its target is not among those tokens, so its loss comes from
		 * its logits again (the backward's scratch holds them). */
		for (int t = 0; t < n - 1; t++) {
			av_lm_forward(lm, ids, t + 1, NULL, NULL);
			double lr = row_loss(lm->dlogits, lm->h + (size_t)t * lm->H, lm->p.U, lm->p.u,
					     lm->H, V, ids[t + 1]);
			double la = row_loss(lm->dlogits, lm->Y + (size_t)t * lm->D, lm->p.W_out,
					     lm->p.b_out, lm->D, V, ids[t + 1]);
			add(rnn, lr, lm->r_prob + (size_t)t * V, V, ids[t + 1], true);
			add(attn, la, lm->a_prob + (size_t)t * V, V, ids[t + 1], true);
		}
	}
	finish(rnn);
	finish(attn);
}

/* ---- baselines ---------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* First index in sorted codes (n) with code >= key. */
static long lower(const uint64_t *codes, long n, uint64_t key)
{
	long lo = 0, hi = n;
	while (lo < hi) {
		long mid = (lo + hi) / 2;
		if (codes[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

av_status av_baselines_compute(av_baselines *b, const av_corpus *c, int V, bool heldout,
			       av_error *err)
{
	memset(b, 0, sizeof *b);
	long *uni = calloc((size_t)V, sizeof *uni);
	long *ctx = calloc((size_t)V, sizeof *ctx);
	uint64_t *pairs = malloc((size_t)c->n_tok * sizeof *pairs);
	if (!uni || !ctx || !pairs) {
		free(uni), free(ctx), free(pairs);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for the baselines"));
	}
	long N = 0, P = 0;
	for (int s = 0; s < c->n_sent; s++) {
		if (c->heldout[s])
			continue;
		const int *ids = c->ids + c->start[s];
		for (int t = 1; t < av_corpus_len(c, s); t++) {
			uni[ids[t]]++, N++;
			ctx[ids[t - 1]]++;
			pairs[P++] = (uint64_t)ids[t - 1] * (uint64_t)V + (uint64_t)ids[t];
		}
	}
	qsort(pairs, (size_t)P, sizeof *pairs, cmp_u64);
	int uni_best = 0;
	for (int w = 1; w < V; w++)
		if (uni[w] > uni[uni_best])
			uni_best = w;
	for (int s = 0; s < c->n_sent; s++) {
		int n = av_corpus_len(c, s);
		if ((c->heldout[s] != 0) != heldout || n < 2)
			continue;
		const int *ids = c->ids + c->start[s];
		for (int t = 0; t < n - 1; t++) {
			int v = ids[t], w = ids[t + 1];
			double pu = (uni[w] + 1.0) / (double)(N + V);
			b->unigram.loss -= log(pu);
			b->unigram.acc += w == uni_best;
			b->unigram.count++;
			uint64_t key = (uint64_t)v * (uint64_t)V;
			long lo = lower(pairs, P, key), hi = lower(pairs, P, key + (uint64_t)V);
			long cw = lower(pairs, P, key + (uint64_t)w + 1) - lower(pairs, P, key + (uint64_t)w);
			b->bigram.loss -= log((cw + pu) / (ctx[v] + 1.0));
			/* argmax of c(v w) + p(w): the most frequent follower, ties
			 * and unseen contexts decided by the unigram. */
			int best = uni_best;
			long best_c = 0;
			for (long i = lo; i < hi;) {
				long j = i;
				while (j < hi && pairs[j] == pairs[i])
					j++;
				int cand = (int)(pairs[i] - key);
				long cc = j - i;
				if (cc > best_c || (cc == best_c && uni[cand] > uni[best])) {
					best = cand;
					best_c = cc;
				}
				i = j;
			}
			b->bigram.acc += w == best;
			b->bigram.count++;
		}
	}
	for (int k = 0; k < 2; k++) {
		av_lm_score *sc = k ? &b->bigram : &b->unigram;
		finish(sc);
		sc->inc_loss = sc->loss; /* count models see only the past */
		sc->inc_acc = sc->acc;
	}
	free(uni), free(ctx), free(pairs);
	return AV_OK;
}
