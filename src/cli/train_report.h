/* `attnviz train`'s output to the terminal: the progress line while it
 * trains, then the table of each model beside the unigram and bigram
 * baselines, the cheat text, and the plot of the loss curves. Every number
 * in a sentence goes through the one formatter (fmt_num). */
#ifndef ATTNVIZ_CLI_TRAIN_REPORT_H
#define ATTNVIZ_CLI_TRAIN_REPORT_H

#include <stdbool.h>

#include "attnviz/corpus.h"
#include "attnviz/lm.h"
#include "attnviz/train.h"
#include "cli/train_options.h"

/* One logged step (--log and the plot). */
typedef struct {
	int step;
	float train[2];   /* batch loss rnn, attention */
	float heldout[2]; /* NAN without held-out sentences */
	float train_b, heldout_b; /* the causal attention model beside a cheating mask */
} train_log_row;


/* What a finished run reports. */
typedef struct {
	const train_options *o;
	double seconds;           /* of training */
	const av_corpus *corpus;
	int vocab_n;              /* words, <unk> included */
	bool held;                /* held-out sentences exist */
	av_lm *lm;                /* (n_models): the model asked for, then a causal one */
	int n_models;
	const train_log_row *rows; /* (n_rows) */
	int n_rows;
} train_result;

/* The progress after step of steps (elapsed seconds so far, s: the first
 * model's losses): a bar redrawn in place on a terminal (tty), else a line. */
void train_report_progress(int step, int steps, double elapsed, const av_train_stats *s, bool tty);

/* The table, the notes under it and the loss plot, on stdout. */
void train_report(const train_result *r);

#endif
