/* `attnviz train`: the run. The model built from the options
 * (train_options.c), the training loop, the CSV log and the version-2
 * weight file, then the report (train_report.c). Nothing is written unless
 * every option is valid; the files are written atomically at the end. */
#include "cli/train.h"

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/atomic.h"
#include "attnviz/corpus.h"
#include "attnviz/lm.h"
#include "attnviz/model.h"
#include "attnviz/train.h"
#include "attnviz/weights.h"
#include "cli/assets.h"
#include "cli/report.h"
#include "cli/train_options.h"
#include "cli/train_report.h"
#include "tui/i18n.h"

#define EXIT_USAGE 2

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the run ------------------------------------------------------------- */

typedef struct {
	const train_log_row *rows;
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
			const train_log_row *r = &ctx->rows[i];
			fprintf(f, "%d,%s,%s,%.6f,", r->step, m ? "attention" : "rnn",
				m ? ctx->mask : "causal", (double)r->train[m]);
			if (isnan(r->heldout[m]))
				fputc('\n', f);
			else
				fprintf(f, "%.6f\n", (double)r->heldout[m]);
		}
	for (int i = 0; ctx->beside && i < ctx->n; i++) {
		const train_log_row *r = &ctx->rows[i];
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

int train_main(int argc, char **argv)
{
	train_options o;
	char path[4096];
	bool help;
	av_error perr;
	if (train_options_parse(&o, argc, argv, &perr, &help))
		return report_error("attnviz train", perr.msg);
	if (help) {
		fputs(train_options_help(), stdout);
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
	if (train_options_check_clobber(&o, &perr))
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
	train_log_row *rows = NULL;
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
	printf(_("attnviz train: %s: %d training sentences, %d held out, %d words (<unk> included); "),
	       o.corpus, n_train, n_held, vocab.n);
	printf(ngettext("%d step\n", "%d steps\n", (unsigned long)o.steps), o.steps);
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
			train_log_row *r = &rows[n_rows++];
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
			train_report_progress(step, o.steps, now_s() - t0, &s[0], tty);
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

	train_result res = { &o, seconds, &corpus, vocab.n, n_held > 0, lm, n_models, rows, n_rows };
	train_report(&res);
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
