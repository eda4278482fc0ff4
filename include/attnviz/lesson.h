/* Lessons: a scripted walk through the slide, one caption per step, with
 * the settings and keys each step applies. Text format (see README,
 * "Lessons"):
 *
 *   attnviz-lesson 1
 *   title Parallel attention at training time
 *   sentence the cat sat on the mat      (optional settings for the start)
 *   step The RNN walks one word at a time
 *   caption h_n = f(W_h h_{n-1} + W_e c_n): each state needs the previous.
 *   keys g<Right>
 *   focus rnn
 *   step ...
 *
 * Inside a step: caption TEXT (up to 6), keys KEYS, focus PANEL, sentence
 * TEXT, mask KIND, positional on|off, mode training|inference, rnn T (show
 * step T), cell I J (select query I, key J; 1-based), hide PANEL...
 * and show PANEL... (panels leave or enter the screen from this step on;
 * 'show all' brings every panel back), train N [scratch] (the weights:
 * the loaded ones, or fresh random ones with scratch, trained N steps
 * under the step's mask; in force until the next train), race K
 * (attention's stages and the RNN's steps, K presses of B), generate K
 * [rnn|attention] (K words appended, as w). Before the first step: title,
 * sentence, mask, positional, hide, show. '#' starts a comment line. */
#ifndef ATTNVIZ_LESSON_H
#define ATTNVIZ_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/keys.h"
#include "attnviz/mask.h"
#include "attnviz/panel.h"
#include "attnviz/status.h"

#define AV_LESSON_MAX_STEPS 64
#define AV_LESSON_MAX_CAPTIONS 6
#define AV_LESSON_TEXT 256
#define AV_LESSON_MAX_TRAIN 2000 /* steps a lesson step may train */

/* What one step (or the lesson's start) sets; -1 / empty = unchanged. */
typedef struct {
	char title[AV_LESSON_TEXT];
	int n_captions;
	char caption[AV_LESSON_MAX_CAPTIONS][AV_LESSON_TEXT];
	int n_keys;
	int keys[AV_MAX_KEYS];
	av_panel_id focus;
	char sentence[AV_LESSON_TEXT]; /* "" = unchanged */
	int mask;       /* av_mask_kind or -1 */
	int positional; /* 0, 1 or -1 */
	int mode;       /* 0 training, 1 inference, -1 */
	int rnn_step;   /* 1-based step to show, or -1 */
	int cell_i, cell_j; /* 1-based, or -1 */
	int train_steps;    /* train N: steps from the loaded weights, or -1 */
	bool train_scratch; /* ... from fresh random weights */
	int race;           /* race K: presses of b, or -1 */
	int generate;       /* generate K: words appended, or -1 */
	int gen_rnn;        /* 1 rnn, 0 attention, -1 unchanged */
	unsigned hide, show; /* panels (bit 1 << av_panel_id) hidden / shown from here on */
} av_lesson_step;

typedef struct {
	char title[AV_LESSON_TEXT];
	av_lesson_step start; /* settings before the first step */
	int n_steps;
	av_lesson_step *steps; /* (n_steps) */
} av_lesson;

/* The panels hidden at step k (0-based) of l: the start's and every
 * step's hide/show up to k, in order (bit 1 << av_panel_id). */
unsigned av_lesson_hidden(const av_lesson *l, int k);

/* "rnn", "scores", ..., "tokens", "none" and back. */
const char *av_panel_name(av_panel_id id);
int av_panel_parse(const char *name, av_panel_id *id);

/* Parse len bytes; name is used in messages "NAME:LINE: expected ...".
 * On error *out is left empty (nothing to free). */
av_status av_lesson_parse(av_lesson *out, const char *text, size_t len, const char *name,
			  av_error *err);

/* Read and parse a lesson file. */
av_status av_lesson_load(av_lesson *out, const char *path, av_error *err);

void av_lesson_free(av_lesson *l);

#endif
