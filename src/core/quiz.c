/* Quiz questions drawn from the model's own mask and weights. */
#include "attnviz/quiz.h"

#include <math.h>

/* Column of the largest weight in row i, or -1 when it is not unique. */
static int row_argmax(const float *w, int n, int i)
{
	int best = 0, ties = 0;
	for (int j = 1; j < n; j++) {
		if (w[i * n + j] > w[i * n + best])
			best = j, ties = 0;
		else if (w[i * n + j] == w[i * n + best])
			ties++;
	}
	return ties || !(w[i * n + best] > 0.0f) ? -1 : best;
}

void av_quiz_make(av_quiz_question *q, const av_model *m, av_rng *r)
{
	int n = m->n;
	q->head = (int)(av_rng_next(r) % (uint64_t)m->cfg.heads);
	const av_head_state *hs = &m->head[q->head];
	q->kind = (av_quiz_kind)(av_rng_next(r) % AV_QUIZ_KIND_COUNT);
	q->row = (int)(av_rng_next(r) % (uint64_t)n);
	q->col = (int)(av_rng_next(r) % (uint64_t)n);
	if (q->kind == AV_QUIZ_ARGMAX) {
		/* find a row with a clear winner, starting at the drawn one */
		for (int k = 0; k < n; k++) {
			int i = (q->row + k) % n;
			int best = row_argmax(hs->weights, n, i);
			if (best >= 0) {
				q->row = i, q->col = best, q->answer = best;
				return;
			}
		}
		q->kind = AV_QUIZ_MASK_VALUE; /* no clear winner anywhere */
	}
	int allowed = hs->mask[q->row * n + q->col] != 0.0f;
	q->answer = q->kind == AV_QUIZ_MASK_VALUE ? allowed : !allowed;
}

bool av_quiz_answer(const av_quiz_question *q, int value, av_quiz_score *score)
{
	bool ok = value == q->answer;
	if (score) {
		score->asked++;
		score->right += ok;
	}
	return ok;
}
