/* `attnviz train`: options, the loop with its progress, the CSV log, the
 * final table beside the unigram and bigram baselines, the loss plot and the
 * version-2 weight file. Nothing is written unless every option is valid;
 * the files are written atomically at the end. */
#include "cli/train.h"
#include "attnviz/i18n.h"
#include "attnviz/tokenize.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attnviz/atomic.h"
#include "attnviz/model.h"
#include "attnviz/train.h"
#include "attnviz/weights.h"
#include "attnviz/tokenize.h"
#include "cli/cliarg.h"
#include "cli/report.h"
#include "cli/assets.h"
#include "cli/bench_plot.h"
#include "fmt/number.h"
#include "tui/i18n.h"

#define EXIT_USAGE 2
#define MAX_STEPS 10000000
#define MAX_THREADS 256
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
	"  --batch B          sentences per step (default 16; 0 or at least the number of\n"
	"                     training sentences: all of them, in corpus order)\n"
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

static int parse(train_options *o, int argc, char **argv, av_error *err, bool *help)
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
		case OPT_LR:
			bad = cliarg_double(&o->lr, "--lr", optarg, 0, 10, err) != AV_OK;
			if (!bad && o->lr <= 0) {
				av_error_set(err, AV_ERR_RANGE, _("--lr %s is out of range: allowed above 0, up to 10"),
					 av_text_show(shown, sizeof shown, optarg));
				bad = 1;
			}
			break;
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
static int check_clobber(const train_options *o, av_error *err)
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

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the run ------------------------------------------------------------- */

typedef struct {
	int step;
	float train[2];   /* batch loss rnn, attention */
	float heldout[2]; /* NAN without held-out sentences */
	float train_b, heldout_b; /* the causal attention model beside a cheating mask */
} log_row;

typedef struct {
	const log_row *rows;
	int n;
	const char *mask;
	bool beside; /* rows of the causal model trained beside */
} log_ctx;

static av_status write_log(FILE *f, const void *ctx_, av_error *err)
{
	const log_ctx *ctx = ctx_;
	fprintf(f, "step,model,mask,train_loss,heldout_loss\n");
	for (int m = 0; m < 2; m++)
		for (int i = 0; i < ctx->n; i++) {
			const log_row *r = &ctx->rows[i];
			fprintf(f, "%d,%s,%s,%.6f,", r->step, m ? "attention" : "rnn",
				m ? ctx->mask : "causal", (double)r->train[m]);
			if (isnan(r->heldout[m]))
				fputc('\n', f);
			else
				fprintf(f, "%.6f\n", (double)r->heldout[m]);
		}
	for (int i = 0; ctx->beside && i < ctx->n; i++) {
		const log_row *r = &ctx->rows[i];
		fprintf(f, "%d,attention,causal,%.6f,", r->step, (double)r->train_b);
		if (isnan(r->heldout_b))
			fputc('\n', f);
		else
			fprintf(f, "%.6f\n", (double)r->heldout_b);
	}
	if (fflush(f) != 0 || ferror(f))
		return av_error_set(err, AV_ERR_IO, _("cannot write the log: %s"), strerror(errno));
	return AV_OK;
}

static av_status write_weights(FILE *f, const void *ctx, av_error *err)
{
	return av_weights_write(ctx, f, err);
}

/* v with d decimals through the one number formatter, for a sentence. */
static const char *fixed(fmt_text *t, double v, int d)
{
	return fmt_str(t, (float)v, &FMT_FIXED[d], false);
}

static void progress(int step, int steps, double t0, const av_train_stats *s, bool tty)
{
	fmt_text t[4];
	double el = now_s() - t0, rate = el > 0 ? step / el : 0;
	double eta = rate > 0 ? (steps - step) / rate : 0;
	if (tty) {
		int width = 30, fill = steps ? (int)((long)width * step / steps) : width;
		putchar('\r');
		printf(_("[%.*s%*s] %3d%%  %d/%d  %s steps/s  ETA %ss  loss rnn %s attention %s "),
		       fill, "##############################", width - fill, "",
		       steps ? (int)(100L * step / steps) : 100, step, steps, fixed(&t[0], rate, 0),
		       fixed(&t[1], eta, 0), fixed(&t[2], s->loss_rnn, 3), fixed(&t[3], s->loss_attn, 3));
		if (step == steps)
			putchar('\n');
	} else {
		printf(_("step %d/%d (%d%%): train loss rnn %s, attention %s; %s steps/s\n"), step,
		       steps, steps ? (int)(100L * step / steps) : 100, fixed(&t[0], s->loss_rnn, 4),
		       fixed(&t[1], s->loss_attn, 4), fixed(&t[2], rate, 0));
	}
	fflush(stdout);
}

/* s padded to w display columns (a Chinese character takes two), right- or
 * left-aligned. */
static void put_cell(const char *s, int w, bool right)
{
	int pad = w - av_utf8_width(s);
	pad = pad > 0 ? pad : 0;
	if (right)
		printf("%*s%s", pad, "", s);
	else
		printf("%s%*s", s, pad, "");
}

static void print_score_row(const char *name, const av_lm_score *train, const av_lm_score *held,
			    bool have_held)
{
	fputs("  ", stdout);
	put_cell(name, 32, false);
	if (train)
		printf(" %10.3f", train->loss);
	else
		printf(" %10s", "-");
	if (have_held)
		printf(" %10.3f %10.3f %9.1f%% %9.1f%%\n", held->loss, held->inc_loss,
		       100 * held->acc, 100 * held->inc_acc);
	else
		printf(" %10s %10s %10s %10s\n", "-", "-", "-", "-");
}

int train_main(int argc, char **argv)
{
	train_options o;
	char path[4096];
	bool help;
	av_error perr;
	if (parse(&o, argc, argv, &perr, &help))
		return report_error("attnviz train", perr.msg);
	if (help) {
		fputs(_(train_help), stdout);
		return report_output_status("attnviz train");
	}
	/* Every output target is checked before hours of training (and before
	 * either is written): an existing directory, FIFO, device or link is
	 * refused, the directory must exist and be writable. */
	if (av_atomic_check(o.out, _("the trained weights"), &perr) != AV_OK ||
	    (o.log && av_atomic_check(o.log, _("the log"), &perr) != AV_OK))
		return report_error("attnviz train", perr.msg);
	if (!o.corpus) {
		if (assets_find(path, sizeof path, "corpus/en.txt")) {
			report_errorf("attnviz train", _("no corpus/en.txt installed: give --corpus FILE "
					"or set ATTNVIZ_ASSETS"));
			return EXIT_USAGE;
		}
		o.corpus = path;
	}
	if (check_clobber(&o, &perr))
		return report_error("attnviz train", perr.msg);

	av_error e;
	av_weights init;
	bool have_init = false;
	if (o.weights) {
		if (av_weights_load(&init, o.weights, &e) != AV_OK) {
			report_errorf("attnviz train", "%s", e.msg);
			return EXIT_USAGE;
		}
		if (av_weights_check_values(&init, &e) != AV_OK) {
			report_errorf("attnviz train", "%s: %s", o.weights, e.msg);
			av_weights_free(&init);
			return EXIT_USAGE;
		}
		have_init = true;
		const char *what = NULL;
		int given = 0, file = 0;
		if (init.vocab_size == 0)
			what = "version";
		else if (o.dim_set && o.dim != init.d_model)
			what = "--dim", given = o.dim, file = init.d_model;
		else if (o.hidden_set && o.hidden != init.d_hidden)
			what = "--hidden", given = o.hidden, file = init.d_hidden;
		else if (o.heads_set && o.heads != init.heads)
			what = "--heads", given = o.heads, file = init.heads;
		if (what) {
			if (what[0] == 'v')
				report_errorf("attnviz train", _("--weights %s is a version-1 file without "
						"a language model: give a file written by attnviz train"),
					o.weights);
			else
				report_errorf("attnviz train", _("%s %d disagrees with %s, which has %d: "
						"drop %s or use a matching file"),
					what, given, o.weights, file, what);
			av_weights_free(&init);
			return EXIT_USAGE;
		}
		o.dim = init.d_model, o.hidden = init.d_hidden, o.heads = init.heads;
		/* how INIT was trained, unless said otherwise */
		if (!o.positional_set && init.positional >= 0)
			o.positional = init.positional;
		if (!o.mask_set && init.trained_mask >= 0)
			o.mask = (av_mask_kind)init.trained_mask;
	}

	av_corpus corpus;
	if (av_corpus_load(&corpus, o.corpus, &e) != AV_OK) {
		report_errorf("attnviz train", "%s", e.msg);
		if (have_init)
			av_weights_free(&init);
		return EXIT_USAGE;
	}
	av_corpus_split(&corpus, o.heldout);
	av_vocab vocab;
	av_status st = av_vocab_init(&vocab, &e);
	if (st == AV_OK && have_init) {
		for (int i = 1; i < init.vocab_size && st == AV_OK; i++)
			st = av_vocab_add(&vocab, &(int){ 0 }, init.vocab[i], &e);
	} else if (st == AV_OK) {
		st = av_corpus_vocab(&vocab, &corpus, &e);
	}
	int status = EXIT_USAGE;
	av_lm lm[2]; /* the model asked for; a causal one beside a cheating mask */
	av_trainer tr[2];
	int n_models = o.mask == AV_MASK_CAUSAL ? 1 : 2, made = 0, trainers = 0;
	log_row *rows = NULL;
	if (st != AV_OK) {
		report_errorf("attnviz train", "%s: %s", o.corpus, e.msg);
		goto out;
	}
	av_corpus_map(&corpus, &vocab);
	if (have_init) {
		/* a vocabulary kept from INIT may not cover this corpus: every word
		 * outside it trains <unk>, so say how many */
		int unk = 0;
		for (int i = 0; i < corpus.n_tok; i++)
			unk += corpus.ids[i] == AV_UNK_ID;
		if (unk > 0) /* a note, not an error: training goes on */
			(void)report_errorf("attnviz train",
				     _("%d of the corpus's %d words are not in the vocabulary of %s: "
				       "they are trained as %s"),
				     unk, corpus.n_tok, o.weights, AV_UNK);
	}
	for (; made < n_models; made++) {
		av_mask_kind mk = made == 0 ? o.mask : AV_MASK_CAUSAL;
		st = av_lm_create(&lm[made], vocab.n, o.dim, o.hidden, o.heads, mk, o.positional, &e);
		if (st == AV_OK && have_init)
			st = av_lm_from_weights(&lm[made], &init, &e);
		else if (st == AV_OK)
			av_lm_init(&lm[made], o.seed);
		av_train_config cfg = { .batch = o.batch, .lr = (float)o.lr, .optimizer = o.optimizer,
					.clip = (float)o.clip, .seed = o.seed };
		if (st == AV_OK && (st = av_trainer_create(&tr[made], &lm[made], &corpus, &cfg, &e)) == AV_OK)
			trainers++;
		if (st != AV_OK) {
			report_errorf("attnviz train", "%s", e.msg);
			if (trainers <= made)
				av_lm_destroy(&lm[made]);
			goto out;
		}
	}
	openblas_set_num_threads(o.threads);

	int every = o.steps > LOG_POINTS ? o.steps / LOG_POINTS : 1, n_rows = 0;
	rows = calloc((size_t)(o.steps / every + 2), sizeof *rows);
	if (!rows) {
		report_errorf("attnviz train", _("out of memory"));
		goto out;
	}
	int n_train = tr[0].n_train, n_held = 0;
	for (int s = 0; s < corpus.n_sent; s++)
		n_held += corpus.heldout[s] && av_corpus_len(&corpus, s) >= 2;
	bool tty = isatty(STDOUT_FILENO);
	printf(_("attnviz train: %s: %d training sentences, %d held out, %d words (<unk> included); "
	       "%d steps\n"),
	       o.corpus, n_train, n_held, vocab.n, o.steps);
	double t0 = now_s();
	int next_line = 1;
	for (int step = 1; step <= o.steps; step++) {
		av_train_stats s[2];
		bool diverged = false;
		for (int m = 0; m < n_models; m++) {
			av_trainer_step(&tr[m], &s[m]);
			diverged |= s[m].diverged;
		}
		if (diverged) {
			if (tty)
				putchar('\n');
			fflush(stdout);
			report_errorf("attnviz train",
				      _("training diverged at step %d (a loss or a weight is no longer "
					"finite): lower --lr %g%s; nothing written"),
				      step, o.lr, o.clip > 0 ? "" : _(" or clip with --clip 1"));
			goto out;
		}
		if (step % every == 0 || step == o.steps || step == 1) {
			log_row *r = &rows[n_rows++];
			r->step = step;
			r->train[0] = s[0].loss_rnn, r->train[1] = s[0].loss_attn;
			r->train_b = n_models == 2 ? s[1].loss_attn : NAN;
			av_lm_score sr, sa;
			r->heldout[0] = r->heldout[1] = r->heldout_b = NAN;
			if (n_held > 0) {
				av_lm_evaluate(&lm[0], &corpus, true, false, &sr, &sa);
				r->heldout[0] = (float)sr.loss, r->heldout[1] = (float)sa.loss;
				if (n_models == 2) {
					av_lm_evaluate(&lm[1], &corpus, true, false, &sr, &sa);
					r->heldout_b = (float)sa.loss;
				}
			}
		}
		if (tty ? (step % 10 == 0 || step == o.steps)
			: (10L * step >= (long)next_line * o.steps)) {
			progress(step, o.steps, t0, &s[0], tty);
			while (!tty && 10L * step >= (long)next_line * o.steps)
				next_line++;
		}
	}
	double seconds = now_s() - t0;

	/* Write the files first: a failure exits before the table. */
	av_weights out;
	if (av_lm_to_weights(&out, &lm[0], &vocab, &e) != AV_OK) {
		report_errorf("attnviz train", "%s", e.msg);
		goto out;
	}
	out.trained_steps = o.steps + (have_init && init.trained_steps > 0 ? init.trained_steps : 0);
	/* A model attnviz would refuse to load is not written. */
	if (av_weights_check_values(&out, &e) != AV_OK) {
		report_errorf("attnviz train",
			      _("the trained model is unusable (%s): lower --lr %g%s; nothing written"),
			      e.msg, o.lr, o.clip > 0 ? "" : _(" or clip with --clip 1"));
		av_weights_free(&out);
		goto out;
	}
	st = av_atomic_write(o.out, _("weights"), write_weights, &out, &e);
	av_weights_free(&out);
	log_ctx lc = { rows, n_rows, av_mask_name(o.mask), n_models == 2 };
	if (st == AV_OK && o.log)
		st = av_atomic_write(o.log, _("the log"), write_log, &lc, &e);
	if (st != AV_OK) {
		report_errorf("attnviz train", "%s", e.msg);
		status = 1;
		goto out;
	}

	/* The table. */
	char safe_out[1024];
	fmt_text t[6];
	printf(o.threads == 1 ? _("trained in %s s (%s steps/s, %d BLAS thread); wrote %s\n")
			      : _("trained in %s s (%s steps/s, %d BLAS threads); wrote %s\n"),
	       fixed(&t[0], seconds, 1), fixed(&t[1], seconds > 0 ? o.steps / seconds : 0.0, 0), o.threads,
	       av_text_sanitize(safe_out, sizeof safe_out, o.out));
	printf(_("d_model %d, d_hidden %d, heads %d, positional %s, %s lr %g, batch %d, clip %g, "
	       "seed %llu\n\n"),
	       o.dim, o.hidden, o.heads, o.positional ? _("on") : _("off"), av_optimizer_name(o.optimizer),
	       o.lr, o.batch, o.clip, (unsigned long long)o.seed);
	bool held = n_held > 0;
	/* two header rows; the words may be Chinese: padded by display width */
	const char *head1[6] = { "", _("train"), _("held-out"), _("held-out"), _("accuracy"),
				 _("accuracy") };
	const char *head2[6] = { _("model"), _("loss"), _("loss"), _("loss (inc)"),
				 _("teacher-f."), _("incremental") };
	for (int row = 0; row < 2; row++) {
		const char *const *h = row ? head2 : head1;
		fputs("  ", stdout);
		put_cell(h[0], 32, false);
		for (int k = 1; k < 6; k++) {
			putchar(' ');
			put_cell(h[k], 10, true);
		}
		putchar('\n');
	}
	av_baselines base;
	if (av_baselines_compute(&base, &corpus, vocab.n, held, &e) == AV_OK) {
		print_score_row(_("unigram (counts)"), NULL, &base.unigram, true);
		print_score_row(_("bigram (counts)"), NULL, &base.bigram, true);
	}
	av_lm_score cheat_tr[2], cheat_he[2];
	for (int m = 0; m < n_models; m++) {
		av_lm_score tr_r, tr_a, he_r, he_a;
		av_lm_evaluate(&lm[m], &corpus, false, false, &tr_r, &tr_a);
		av_lm_evaluate(&lm[m], &corpus, held, true, &he_r, &he_a);
		char name[64];
		if (m == 0)
			print_score_row("rnn", &tr_r, &he_r, true);
		snprintf(name, sizeof name, _("attention, mask %s%s"), av_mask_name(lm[m].mask),
			 m ? _(" (beside)") : "");
		print_score_row(name, &tr_a, &he_a, true);
		cheat_tr[m] = tr_a, cheat_he[m] = he_a;
	}
	if (!held)
		printf(_("  (no held-out sentence%s: the held-out columns are measured on the training "
			 "sentences)\n"),
		       o.heldout > 0 ? _(" (too few sentences for --heldout)") : _(", --heldout 0"));
	if (n_models == 2) {
		/* The cheat text only when it is true: the mask lets row t see
		 * word t+1 (none, future) and the loss did collapse. */
		bool leaks = av_mask_allows(o.mask, 0, 1);
		double ratio = cheat_tr[0].loss > 0 ? cheat_tr[1].loss / cheat_tr[0].loss : 0.0;
		if (leaks && ratio >= 2)
			printf(_("\n  The cheat: with mask %s, attention's teacher-forced train loss is %s, "
				 "%sx below the\n  causal model's %s, yet generating (incremental rows) "
				 "it predicts %s%% of the\n  next words against %s%%: it learned to "
				 "read the next word, not to predict it.\n"),
			       av_mask_name(o.mask), fixed(&t[0], cheat_tr[0].loss, 3),
			       fixed(&t[1], ratio, ratio < 10 ? 1 : 0), fixed(&t[2], cheat_tr[1].loss, 3),
			       fixed(&t[3], 100 * cheat_he[0].inc_acc, 1),
			       fixed(&t[4], 100 * cheat_he[1].inc_acc, 1));
		else
			printf(_("\n  Mask %s against causal: teacher-forced train loss %s against %s, "
				 "incremental\n  accuracy %s%% against %s%%.\n  %s\n"),
			       av_mask_name(o.mask), fixed(&t[0], cheat_tr[0].loss, 3),
			       fixed(&t[1], cheat_tr[1].loss, 3), fixed(&t[2], 100 * cheat_he[0].inc_acc, 1),
			       fixed(&t[3], 100 * cheat_he[1].inc_acc, 1),
			       leaks ? _("Row t sees word t+1, but the loss has not collapsed yet: "
					 "train longer.")
				     : _("No row sees a later word: nothing to cheat with (row 1 "
					 "sees nothing at all)."));
	}
	printf("\n  loss = mean -log p(next word) in nats; (inc) and incremental: row t computed from\n"
	       "  words 1..t only, as when generating; teacher-forced: the whole sentence visible.\n");
	printf("  backward depth for %d tokens: rnn %d dependent steps, attention %d\n\n",
	       AV_MAX_TOKENS, av_lm_rnn_backward_depth(AV_MAX_TOKENS),
	       av_lm_attn_backward_depth(AV_MAX_TOKENS));

	if (n_rows >= 2) {
		double *x = malloc(sizeof(double) * (size_t)n_rows * 4);
		if (x) {
			double *yr = x + n_rows, *ya = x + 2 * n_rows, *yc = x + 3 * n_rows;
			for (int i = 0; i < n_rows; i++) {
				x[i] = rows[i].step;
				yr[i] = fmax(rows[i].train[0], 1e-6);
				ya[i] = fmax(rows[i].train[1], 1e-6);
				yc[i] = n_models == 2 ? fmax(rows[i].train_b, 1e-6) : 1.0;
			}
			char label_a[64];
			snprintf(label_a, sizeof label_a, _("attention, mask %s: train loss (batch)"),
				 av_mask_name(o.mask));
			bench_series series[3] = {
				{ 'r', _("rnn: train loss (batch)"), n_rows, x, yr },
				{ 'a', label_a, n_rows, x, ya },
				{ 'c', _("attention, mask causal (beside): train loss (batch)"), n_rows, x, yc },
			};
			bench_plot(stdout, series, n_models == 2 ? 3 : 2, 60, 14, _("training step"), "");
			free(x);
		}
	}
	status = report_output_status("attnviz train");
out:
	free(rows);
	for (int m = 0; m < trainers; m++) {
		av_trainer_destroy(&tr[m]);
		av_lm_destroy(&lm[m]);
	}
	av_vocab_free(&vocab);
	av_corpus_free(&corpus);
	if (have_init)
		av_weights_free(&init);
	return status;
}
