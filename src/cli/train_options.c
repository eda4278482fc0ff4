/* `attnviz train`'s command line: see train_options.h. */
#include "cli/train_options.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attnviz/model.h"
#include "attnviz/tokenize.h"
#include "attnviz/train.h"
#include "cli/cliarg.h"
#include "tui/i18n.h"

#define MAX_STEPS 10000000
#define MAX_THREADS 256


enum {
	OPT_CORPUS = 256, OPT_HELDOUT, OPT_STEPS, OPT_BATCH, OPT_LR, OPT_OPTIMIZER, OPT_MASK,
	OPT_POSITIONAL, OPT_NO_POSITIONAL, OPT_DIM, OPT_HIDDEN, OPT_HEADS, OPT_SEED, OPT_THREADS,
	OPT_CLIP, OPT_WEIGHTS, OPT_LOG, OPT_OUT,
};

static const struct option long_options[] = {
	{ "corpus", required_argument, NULL, OPT_CORPUS },
	{ "heldout", required_argument, NULL, OPT_HELDOUT },
	{ "steps", required_argument, NULL, OPT_STEPS },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "lr", required_argument, NULL, OPT_LR },
	{ "optimizer", required_argument, NULL, OPT_OPTIMIZER },
	{ "mask", required_argument, NULL, OPT_MASK },
	{ "positional", no_argument, NULL, OPT_POSITIONAL },
	{ "no-positional", no_argument, NULL, OPT_NO_POSITIONAL },
	{ "dim", required_argument, NULL, OPT_DIM },
	{ "hidden", required_argument, NULL, OPT_HIDDEN },
	{ "heads", required_argument, NULL, OPT_HEADS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "clip", required_argument, NULL, OPT_CLIP },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* xgettext:no-c-format */
static const char *const train_help = N_(	"Usage: attnviz train [OPTION]... --out FILE\n"
	"Train two next-word models on one shared embedding E (c_t = E[tok_t]):\n"
	"  RNN:       h_t = tanh(W_h h_{t-1} + W_e c_t + b),   logits_t = h_t U + u\n"
	"  attention: y_t = c_t + Z_t (Z: the heads, masked), logits_t = y_t W_out + b_out\n"
	"minimizing the sum of their mean losses -log softmax(logits_t)[tok_{t+1}], and\n"
	"write both to FILE (attnviz-weights 2). Then print a table per model beside\n"
	"the unigram and bigram baselines, and a plot of the two loss curves.\n"
	"\n"
	"  --corpus FILE      one sentence per line, blank lines and lines starting with #\n"
	"                     skipped (default: the installed corpus/en.txt)\n"
	"  --heldout FRAC     share of sentences held out, evenly spread, 0..0.5 (default 0.1;\n"
	"                     0 trains on every line)\n"
	"  --steps N          optimizer steps, 0..10000000 (default 3000; 0 writes the\n"
	"                     initialized model)\n"
	"  --batch B          sentences per step, 0..1000000 (default 16; 0 or at least\n"
	"                     the number of training sentences: all of them, in corpus\n"
	"                     order)\n"
	"  --lr X             learning rate, above 0, up to 10 (default 0.01)\n"
	"  --optimizer NAME   adam (default) or sgd\n"
	"  --mask KIND        attention mask: causal (default), none, strict or future;\n"
	"                     other than causal, a causal model is trained beside it for\n"
	"                     the comparison (the cheat table)\n"
	"  --positional       add the sinusoidal positional encoding to c_t (default)\n"
	"  --no-positional    do not\n"
	"  --dim D            d_model, 1..128 (default 16)\n"
	"  --hidden H         d_hidden, 1..128 (default: --dim)\n"
	"  --heads K          attention heads, 1..8, dividing --dim (default 1)\n"
	"  --seed S           initial weights and batch order, 0..2^63-1 (default 685)\n"
	"  --threads T        OpenBLAS threads, 1..256 (default 1); the result is\n"
	"                     deterministic for a given seed and thread count\n"
	"  --clip X           clip the gradient's global norm to X, 0..1e6 (default 1; 0: off)\n"
	"  --weights INIT     continue from a version-2 file, keeping its vocabulary and\n"
	"                     sizes (--dim/--hidden/--heads, if given, must match it);\n"
	"                     its mask and positional setting apply unless given; corpus\n"
	"                     words outside its vocabulary train <unk> (counted on stderr)\n"
	"  --log FILE.csv     write step,model,mask,train_loss,heldout_loss: step 1, every\n"
	"                     max(1, N/100)-th step and the last, for each model (and the\n"
	"                     causal model trained beside a cheating mask)\n"
	"  --out FILE         the weights to write (required; not the corpus; --log is\n"
	"                     neither the corpus, --out nor --weights)\n"
	"  -h, --help         show this help and exit\n"
	"\n"
	"Progress: a bar on a terminal, one line per 10% otherwise.\n"
	"A run whose loss or weights stop being finite (too large a --lr) stops with\n"
	"exit status 2 and writes nothing.\n"
	"Exit status: 0 on success, 1 on an output error, 2 on bad options or input.\n");

const char *train_options_help(void)
{
	return _(train_help);
}

int train_options_parse(train_options *o, int argc, char **argv, av_error *err, bool *help)
{
	memset(o, 0, sizeof *o);
	o->heldout = AV_TRAIN_DEFAULT_HELDOUT;
	o->lr = AV_TRAIN_DEFAULT_LR;
	o->clip = AV_TRAIN_DEFAULT_CLIP;
	o->steps = AV_TRAIN_DEFAULT_STEPS;
	o->batch = AV_TRAIN_DEFAULT_BATCH;
	o->dim = 16;
	o->heads = 1;
	o->threads = 1;
	o->positional = true;
	o->optimizer = AV_OPT_ADAM;
	o->mask = AV_MASK_CAUSAL;
	o->seed = AV_DEFAULT_SEED;
	*help = false;
	optind = 1;
	opterr = 0;
	int c;
	double x = 0.0;
	char shown[64];
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case OPT_CORPUS: o->corpus = optarg; break;
		case OPT_HELDOUT: bad = cliarg_double(&o->heldout, "--heldout", optarg, 0, 0.5, err) != AV_OK; break;
		case OPT_STEPS: bad = cliarg_int(&o->steps, "--steps", optarg, 0, MAX_STEPS, err) != AV_OK; break;
		case OPT_BATCH: bad = cliarg_int(&o->batch, "--batch", optarg, 0, 1000000, err) != AV_OK; break;
		case OPT_LR: bad = cliarg_double_above(&o->lr, "--lr", optarg, 0, 10, err) != AV_OK; break;
		case OPT_OPTIMIZER:
			if (av_optimizer_parse(optarg, &o->optimizer)) {
				av_error_set(err, AV_ERR_RANGE, _("--optimizer '%s' is unknown: allowed adam, sgd"),
					 av_text_show(shown, sizeof shown, optarg));
				bad = 1;
			}
			break;
		case OPT_MASK:
			if (av_mask_parse(optarg, &o->mask)) {
				av_error_set(err, AV_ERR_RANGE,
					 _("--mask '%s' is unknown: allowed causal, none, strict, future"),
					 av_text_show(shown, sizeof shown, optarg));
				bad = 1;
			}
			o->mask_set = true;
			break;
		case OPT_POSITIONAL: o->positional = true, o->positional_set = true; break;
		case OPT_NO_POSITIONAL: o->positional = false, o->positional_set = true; break;
		case OPT_DIM: bad = cliarg_int(&o->dim, "--dim", optarg, 1, AV_MAX_DIM, err) != AV_OK, o->dim_set = true; break;
		case OPT_HIDDEN: bad = cliarg_int(&o->hidden, "--hidden", optarg, 1, AV_MAX_DIM, err) != AV_OK, o->hidden_set = true; break;
		case OPT_HEADS: bad = cliarg_int(&o->heads, "--heads", optarg, 1, AV_MAX_HEADS, err) != AV_OK, o->heads_set = true; break;
		case OPT_SEED: bad = cliarg_u64(&o->seed, "--seed", optarg, (uint64_t)INT64_MAX, err) != AV_OK; break;
		case OPT_THREADS: bad = cliarg_int(&o->threads, "--threads", optarg, 1, MAX_THREADS, err) != AV_OK; break;
		case OPT_CLIP: bad = cliarg_double(&x, "--clip", optarg, 0, 1e6, err) != AV_OK, o->clip = x; break;
		case OPT_WEIGHTS: o->weights = optarg; break;
		case OPT_LOG: o->log = optarg; break;
		case OPT_OUT: o->out = optarg; break;
		case 'h': *help = true; return 0;
		default: cliarg_getopt_error(err, c, long_options, argv, "attnviz train"); return -1;
		}
		if (bad)
			return -1;
	}
	if (cliarg_no_operands(err, argc, argv, _(" (see attnviz train --help)")) != AV_OK)
		return -1;
	if (!o->out) {
		av_error_set(err, AV_ERR_RANGE, _("--out FILE is required: where to write the trained weights"));
		return -1;
	}
	if (!o->hidden_set)
		o->hidden = o->dim;
	if (!o->weights && o->dim % o->heads != 0) {
		av_error_set(err, AV_ERR_RANGE, _("--heads %d does not divide --dim %d: heads must divide dim"),
			 o->heads, o->dim);
		return -1;
	}
	return 0;
}

/* The canonical name of a file that may not exist yet: its directory
 * resolved, then its last component ("./x", "d/../x" and "x" are one). */
static void canonical(char *out, size_t len, const char *path)
{
	char dir[4096], real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	if (realpath(dir, real))
		snprintf(out, len, "%s/%s", real, base);
	else
		snprintf(out, len, "%s", path);
}

/* Whether a and b name one file: the same inode, or the same canonical
 * name when neither exists yet. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	int ea = stat(a, &sa), eb = stat(b, &sb);
	if (ea == 0 && eb == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	if (ea == 0 || eb == 0)
		return false;
	char ca[4200], cb[4200];
	canonical(ca, sizeof ca, a);
	canonical(cb, sizeof cb, b);
	return strcmp(ca, cb) == 0;
}

/* --out and --log are replaced at the end: never the corpus, nor each
 * other (--out may replace --weights: continuing in place). */
int train_options_check_clobber(const train_options *o, av_error *err)
{
	const char *what[][4] = {
		{ "--out", o->out, "--corpus", o->corpus },
		{ "--log", o->log, "--corpus", o->corpus },
		{ "--log", o->log, "--out", o->out },
		{ "--log", o->log, "--weights", o->weights },
	};
	char shown[64];
	for (size_t i = 0; i < sizeof what / sizeof *what; i++)
		if (what[i][1] && what[i][3] && same_file(what[i][1], what[i][3])) {
			av_error_set(err, AV_ERR_RANGE, _("%s %s is also the %s file: it would be "
							   "overwritten; choose another %s"),
				 what[i][0], av_text_show(shown, sizeof shown, what[i][1]),
				 what[i][2], what[i][0]);
			return -1;
		}
	return 0;
}

