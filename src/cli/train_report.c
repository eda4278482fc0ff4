/* `attnviz train`'s output to the terminal: see train_report.h. */
#include "cli/train_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "attnviz/tokenize.h"
#include "cli/bench_plot.h"
#include "fmt/number.h"
#include "tui/i18n.h"

/* v with d decimals through the one number formatter, for a sentence. */
static const char *fixed(fmt_text *t, double v, int d)
{
	return fmt_str(t, (float)v, &FMT_FIXED[d], false);
}

void train_report_progress(int step, int steps, double elapsed, const av_train_stats *s, bool tty)
{
	fmt_text t[4];
	double rate = elapsed > 0 ? step / elapsed : 0;
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

/* A loss in its 10-column cell: 3 decimals, or 4 digits and an exponent
 * once it would not fit (a diverging run's losses reach 1e5 nats and more). */
static void put_loss(double loss)
{
	printf(fabs(loss) < 99999.9995 ? " %10.3f" : " %10.3e", loss);
}

static void print_score_row(const char *name, const av_lm_score *train, const av_lm_score *held,
			    bool have_held)
{
	fputs("  ", stdout);
	put_cell(name, 32, false);
	if (train)
		put_loss(train->loss);
	else
		printf(" %10s", "-");
	if (have_held) {
		put_loss(held->loss);
		put_loss(held->inc_loss);
		printf(" %9.1f%% %9.1f%%\n", 100 * held->acc, 100 * held->inc_acc);
	} else
		printf(" %10s %10s %10s %10s\n", "-", "-", "-", "-");
}

/* The table of losses and accuracies, with the cheat text under it. */
static void print_table(const train_result *r)
{
	const train_options *o = r->o;
	av_error e;
	char safe_out[1024];
	fmt_text t[6];
	printf(o->threads == 1 ? _("trained in %s s (%s steps/s, %d BLAS thread); wrote %s\n")
			      : _("trained in %s s (%s steps/s, %d BLAS threads); wrote %s\n"),
	       fixed(&t[0], r->seconds, 1), fixed(&t[1], r->seconds > 0 ? o->steps / r->seconds : 0.0, 0), o->threads,
	       av_text_sanitize(safe_out, sizeof safe_out, o->out));
	printf(_("d_model %d, d_hidden %d, heads %d, positional %s, %s lr %g, batch %d, clip %g, "
	       "seed %llu\n\n"),
	       o->dim, o->hidden, o->heads, o->positional ? _("on") : _("off"), av_optimizer_name(o->optimizer),
	       o->lr, o->batch, o->clip, (unsigned long long)o->seed);
	bool held = r->held;
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
	if (av_baselines_compute(&base, r->corpus, r->vocab_n, held, &e) == AV_OK) {
		print_score_row(_("unigram (counts)"), NULL, &base.unigram, true);
		print_score_row(_("bigram (counts)"), NULL, &base.bigram, true);
	}
	av_lm_score cheat_tr[2], cheat_he[2];
	for (int m = 0; m < r->n_models; m++) {
		av_lm_score tr_r, tr_a, he_r, he_a;
		av_lm_evaluate(&r->lm[m], r->corpus, false, false, &tr_r, &tr_a);
		av_lm_evaluate(&r->lm[m], r->corpus, held, true, &he_r, &he_a);
		char name[64];
		if (m == 0)
			print_score_row("rnn", &tr_r, &he_r, true);
		snprintf(name, sizeof name, _("attention, mask %s%s"), av_mask_name(r->lm[m].mask),
			 m ? _(" (beside)") : "");
		print_score_row(name, &tr_a, &he_a, true);
		cheat_tr[m] = tr_a, cheat_he[m] = he_a;
	}
	if (!held)
		printf(_("  (no held-out sentence%s: the held-out columns are measured on the training "
			 "sentences)\n"),
		       o->heldout > 0 ? _(" (too few sentences for --heldout)") : _(", --heldout 0"));
	if (r->n_models == 2) {
		/* The cheat text only when it is true: the mask lets row t see
		 * word t+1 (none, future) and the loss did collapse. */
		bool leaks = av_mask_allows(o->mask, 0, 1);
		double ratio = cheat_tr[0].loss > 0 ? cheat_tr[1].loss / cheat_tr[0].loss : 0.0;
		if (leaks && ratio >= 2)
			printf(_("\n  The cheat: with mask %s, attention's teacher-forced train loss is %s, "
				 "%sx below the\n  causal model's %s, yet generating (incremental rows) "
				 "it predicts %s%% of the\n  next words against %s%%: it learned to "
				 "read the next word, not to predict it.\n"),
			       av_mask_name(o->mask), fixed(&t[0], cheat_tr[0].loss, 3),
			       fixed(&t[1], ratio, ratio < 10 ? 1 : 0), fixed(&t[2], cheat_tr[1].loss, 3),
			       fixed(&t[3], 100 * cheat_he[0].inc_acc, 1),
			       fixed(&t[4], 100 * cheat_he[1].inc_acc, 1));
		else
			printf(_("\n  Mask %s against causal: teacher-forced train loss %s against %s, "
				 "incremental\n  accuracy %s%% against %s%%.\n  %s\n"),
			       av_mask_name(o->mask), fixed(&t[0], cheat_tr[0].loss, 3),
			       fixed(&t[1], cheat_tr[1].loss, 3), fixed(&t[2], 100 * cheat_he[0].inc_acc, 1),
			       fixed(&t[3], 100 * cheat_he[1].inc_acc, 1),
			       leaks ? _("Row t sees word t+1, but the loss has not collapsed yet: "
					 "train longer.")
				     : _("No row sees a later word: nothing to cheat with (row 1 "
					 "sees nothing at all)."));
	}
	fputs(_("\n  loss = mean -log p(next word) in nats; (inc) and incremental: row t computed from\n"
		"  words 1..t only, as when generating; teacher-forced: the whole sentence visible.\n"),
	      stdout);
	printf(_("  backward depth for %d tokens: rnn %d dependent steps, attention %d\n\n"),
	       AV_MAX_TOKENS, av_lm_rnn_backward_depth(AV_MAX_TOKENS),
	       av_lm_attn_backward_depth(AV_MAX_TOKENS));
}

/* The batch loss of every model against the step, on a log scale. */
static void print_plot(const train_result *r)
{
	const train_options *o = r->o;
	if (r->n_rows >= 2) {
		double *x = malloc(sizeof(double) * (size_t)r->n_rows * 4);
		if (x) {
			double *yr = x + r->n_rows, *ya = x + 2 * r->n_rows, *yc = x + 3 * r->n_rows;
			for (int i = 0; i < r->n_rows; i++) {
				x[i] = r->rows[i].step;
				yr[i] = fmax(r->rows[i].train[0], 1e-6);
				ya[i] = fmax(r->rows[i].train[1], 1e-6);
				yc[i] = r->n_models == 2 ? fmax(r->rows[i].train_b, 1e-6) : 1.0;
			}
			char label_a[64];
			snprintf(label_a, sizeof label_a, _("attention, mask %s: train loss (batch)"),
				 av_mask_name(o->mask));
			bench_series series[3] = {
				{ 'r', _("rnn: train loss (batch)"), r->n_rows, x, yr },
				{ 'a', label_a, r->n_rows, x, ya },
				{ 'c', _("attention, mask causal (beside): train loss (batch)"), r->n_rows, x, yc },
			};
			bench_plot(stdout, series, r->n_models == 2 ? 3 : 2, 60, 14, _("training step"), "");
			free(x);
		}
	}
}

void train_report(const train_result *r)
{
	print_table(r);
	print_plot(r);
}
