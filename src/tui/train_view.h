/* The training-time view's state and actions (no curses): the
 * predictions panel on/off, the race (attention's four batched stages
 * against the RNN's steps), live training (T, r, R, W) and generation
 * (w, M). The app loop runs the training steps between frames
 * (train_view_tick); drawing reads this state (predictions.c, plot.c). */
#ifndef ATTNVIZ_TUI_TRAIN_VIEW_H
#define ATTNVIZ_TUI_TRAIN_VIEW_H

#include <stdbool.h>
#include "attnviz/live.h"
#include "attnviz/model.h"
#include "attnviz/panel.h"

/* Attention's batched stages, in order; the race shows them one per key. */
typedef enum {
	RACE_OFF = 0,  /* not racing: everything computed */
	RACE_QKV = 1,  /* Q, K, V projected for every row */
	RACE_SCORES,   /* Q K^T / sqrt(d) */
	RACE_MASK,     /* the mask applied */
	RACE_SOFTMAX,  /* softmax and the output z (attention finished) */
} race_stage;

#define RACE_STAGES 4
/* The live training's step size: the shipped models' own (`make models`)
 * when training goes on from loaded weights, so that their losses do not
 * rise; three times larger from fresh random weights, so that a class sees
 * the curves fall within seconds. */
#define TRAIN_VIEW_LR 0.01f
#define TRAIN_VIEW_LR_SCRATCH 0.03f
#define TRAIN_VIEW_BATCH 16
/* Generation's draws, as `attnviz generate`'s defaults. */
#define TRAIN_VIEW_TEMPERATURE 0.8f

typedef struct {
	av_live *live;      /* not owned; NULL: no language model */
	bool pred_hide;     /* P: the predictions panel off */
	bool pred_force;    /* P when it did not fit: in place of most grids */
	bool pred_left_out; /* the last layout found no room for it */
	race_stage race;
	/* live training */
	bool running;       /* T */
	double steps_per_s; /* measured by the app loop */
	bool changed;       /* weights changed since the last frame */
	/* generation */
	bool gen_on;
	bool gen_rnn;       /* M: the RNN generates, else attention */
	int gen_prompt;     /* tokens of the prompt */
	int gen_count;      /* tokens generated */
	float gen_p;        /* probability of the last one */
	char gen_word[64];
	/* the weights a lesson step asked for last (train N [scratch]) */
	bool lesson_valid;
	int lesson_steps, lesson_mask, lesson_pos;
	bool lesson_scratch;
} view_train;

/* A panel is pending in the race when its stage is not reached yet. */
race_stage train_view_panel_stage(av_panel_id p);

#endif
