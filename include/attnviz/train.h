/* Training the two language models of attnviz/lm.h on a corpus: batches,
 * one optimizer step at a time (callable between frames of a view), the
 * evaluation teacher-forced and incremental, and the unigram and bigram
 * baselines. Deterministic for a given seed and BLAS thread count. */
#ifndef ATTNVIZ_TRAIN_H
#define ATTNVIZ_TRAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "attnviz/corpus.h"
#include "attnviz/lm.h"
#include "attnviz/optim.h"
#include "attnviz/rng.h"

#define AV_TRAIN_DEFAULT_STEPS 3000
#define AV_TRAIN_DEFAULT_BATCH 16
#define AV_TRAIN_DEFAULT_LR 0.01f
#define AV_TRAIN_DEFAULT_CLIP 1.0f
#define AV_TRAIN_DEFAULT_HELDOUT 0.1

typedef struct {
	int batch;      /* sentences per step; 0 or >= training sentences: all, in order */
	float lr;
	av_optimizer optimizer;
	float clip;     /* global-norm clipping; 0 = off */
	uint64_t seed;  /* batch order */
} av_train_config;

typedef struct {
	av_lm *lm;              /* borrowed */
	const av_corpus *corpus; /* borrowed, ids mapped */
	av_train_config cfg;
	int *train, n_train;    /* training sentences (with >= 2 tokens) */
	int *order;             /* (n_train) current shuffle */
	int cursor;
	av_rng rng;
	float *m, *v;           /* (n_params) Adam moments */
	int step;               /* steps taken */
} av_trainer;

typedef struct {
	float loss_rnn, loss_attn; /* mean loss of the batch, before the update */
	double grad_norm;          /* before clipping */
	int predictions;           /* predicted positions in the batch */
	bool diverged;             /* a loss, the gradient or a parameter is not finite
				    * (too large a learning rate): stop, the model is
				    * unusable; a non-finite gradient is never applied */
} av_train_stats;

av_status av_trainer_create(av_trainer *t, av_lm *lm, const av_corpus *c,
			    const av_train_config *cfg, av_error *err);
void av_trainer_destroy(av_trainer *t);

/* One step: forward and backward of a batch, clipping, update. */
void av_trainer_step(av_trainer *t, av_train_stats *s);

/* Scores of one model on a set of sentences. */
typedef struct {
	double loss;     /* mean -log p(next), teacher-forced (whole sentence visible) */
	double acc;      /* argmax == next, teacher-forced */
	double inc_loss; /* row t computed from tokens 0..t only, as when generating */
	double inc_acc;
	long count;      /* predictions */
} av_lm_score;

/* Score both models on the held-out (heldout true) or training sentences.
 * incremental false leaves inc_* at 0 (it costs n forwards a sentence). */
void av_lm_evaluate(av_lm *lm, const av_corpus *c, bool heldout, bool incremental,
		    av_lm_score *rnn, av_lm_score *attn);

/* Baselines counted on the training sentences, scored on the held-out ones
 * (heldout true) or the training ones: unigram p(w) = (c(w) + 1) / (N + V),
 * bigram p(w | v) = (c(v w) + p(w)) / (c(v) + 1). */
typedef struct {
	av_lm_score unigram, bigram;
} av_baselines;
av_status av_baselines_compute(av_baselines *b, const av_corpus *c, int V, bool heldout,
			       av_error *err);

/* Index of the largest of x (n), the first on ties. */
int av_argmax(const float *x, int n);

#endif
