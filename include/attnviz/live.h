/* Live training for a viewer: the language models of a loaded av_model
 * (attnviz/lm.h) trained on a corpus one step at a time, between frames,
 * with the loss curves kept for a plot; the trained parameters copied back
 * into the model so every grid and prediction follows; reset to the loaded
 * weights; and a decoder for generation from the current weights. Nothing
 * here knows of a screen or a clock: the front end decides when to step. */
#ifndef ATTNVIZ_LIVE_H
#define ATTNVIZ_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include "attnviz/corpus.h"
#include "attnviz/generate.h"
#include "attnviz/lm.h"
#include "attnviz/model.h"
#include "attnviz/train.h"

/* Points kept per curve; when full, neighbours are averaged in pairs and
 * a point covers twice as many steps (the plot keeps its whole history). */
#define AV_LIVE_POINTS 256
/* Held-out loss is evaluated every so many steps (a forward of every
 * held-out sentence). */
#define AV_LIVE_HELDOUT_EVERY 25

typedef enum {
	AV_CURVE_RNN_TRAIN,
	AV_CURVE_ATTN_TRAIN,
	AV_CURVE_RNN_HELD,
	AV_CURVE_ATTN_HELD,
	AV_CURVE_COUNT
} av_curve;

typedef struct {
	av_lm lm;
	av_corpus *corpus;  /* borrowed, mapped to the model's vocabulary; NULL: no training */
	av_trainer tr;      /* valid when corpus */
	av_train_config cfg;
	float *loaded;      /* (n_params) the weights at load, for reset */
	int loaded_steps;   /* steps behind the weights training started from */
	int file_steps;     /* trained_steps of the loaded weights */
	int steps;          /* steps taken since the load (or the last reset) */

	/* Curves: point k averages the steps of its span (per_point steps). */
	int n_points, per_point;
	float curve[AV_CURVE_COUNT][AV_LIVE_POINTS];
	int point_step[AV_LIVE_POINTS]; /* last step of point k */
	double pending[2];  /* train losses summed over the point being filled */
	int pending_n;
	float train_loss[2];   /* rnn, attention: the last step's batch mean */
	float heldout_loss[2]; /* the last evaluation (-1: none yet) */
	float smooth_loss[2];  /* train losses, exponential average (0.9 old + 0.1 new) */

	/* Generation: the decoder on lm, its draws, the prompt length. */
	av_decoder dec;
	av_rng gen_rng;
} av_live;

/* Create for m (which must have a language model, m->lm_V > 0): an LM of
 * m's sizes with m's weights, mask and positional encoding. corpus may be
 * NULL (generation only); otherwise it is mapped to m's vocabulary and
 * trained on with cfg. */
av_status av_live_create(av_live *s, const av_model *m, av_corpus *corpus,
			 const av_train_config *cfg, av_error *err);
void av_live_destroy(av_live *s);

/* Whether av_live_step can train (a corpus was given). */
bool av_live_can_train(const av_live *s);

/* One optimizer step under mask / positional (the view's current ones),
 * recorded in the curves. The held-out loss is evaluated on the first step
 * and every AV_LIVE_HELDOUT_EVERY. */
void av_live_step(av_live *s, av_mask_kind mask, bool positional, av_train_stats *st);

/* Back to the loaded weights (step 0, curves emptied, optimizer state
 * cleared), or to freshly initialised ones from seed (learning from
 * scratch). */
void av_live_reset(av_live *s);
void av_live_reinit(av_live *s, uint64_t seed);

/* The optimizer's step size from the next step on (the batches and the
 * optimizer's state go on). */
void av_live_set_lr(av_live *s, float lr);

/* Copy the current parameters into m's weights, set its trained step
 * count and recompute m (all of it; the caller restores its RNN step).
 * False, doing nothing, when m has no language model of these sizes
 * (its weights were replaced by seeded ones). */
bool av_live_sync(const av_live *s, av_model *m);

/* Largest value over the shown curves (for a plot's scale); 1 when empty. */
float av_live_curve_max(const av_live *s);

/* Generation: start from the prompt ids (n >= 1) with the draws of seed
 * (the stream of attnviz generate), then draw the next token from the RNN
 * (rnn) or attention and feed it to the decoder. av_live_gen_next returns
 * the id and its probability; -1 when AV_MAX_TOKENS tokens are in. */
void av_live_gen_start(av_live *s, const int *ids, int n, uint64_t seed, av_mask_kind mask,
		       bool positional);
int av_live_gen_next(av_live *s, float *prob, bool rnn, float temperature, int top_k);

#endif
