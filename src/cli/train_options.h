/* `attnviz train`'s command line: the options with their defaults and
 * ranges, the help text, and the check made before any training that no
 * output would overwrite an input. Shared by src/cli/train*.c only. */
#ifndef ATTNVIZ_CLI_TRAIN_OPTIONS_H
#define ATTNVIZ_CLI_TRAIN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "attnviz/mask.h"
#include "attnviz/optim.h"
#include "attnviz/status.h"

#define LOG_POINTS 100 /* rows of --log per model, evenly spread */

typedef struct {
	const char *corpus, *weights, *log, *out;
	double heldout, lr, clip;
	int steps, batch, dim, hidden, heads, threads;
	bool dim_set, hidden_set, heads_set, positional, positional_set, mask_set;
	av_optimizer optimizer;
	av_mask_kind mask;
	uint64_t seed;
} train_options;

/* argv (argv[0] is "train") into o, every value checked against its range;
 * -1 with err naming the bad value, else 0 (*help: -h or --help given). */
int train_options_parse(train_options *o, int argc, char **argv, av_error *err, bool *help);

/* The help text, translated. */
const char *train_options_help(void);

/* --out and --log are replaced at the end: never the corpus, nor each
 * other (--out may replace --weights: continuing in place). -1 with err
 * naming the two options, else 0. */
int train_options_check_clobber(const train_options *o, av_error *err);

#endif
