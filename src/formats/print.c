/* --print: a plain-text handout of every number, matrices labelled with
 * their tokens so a row can be found by eye. */
#include "formats/print.h"
#include "attnviz/tokenize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "attnviz/explain.h"
#include "attnviz/i18n.h"
#include "attnviz/generate.h"
#include "attnviz/version.h"
#include "fmt/number.h"

#define NUM_W 9   /* columns of one number */
#define LABEL_MAX 14

/* Print s padded (or cut, marked with '~') to exactly width columns. */
static void put_label(FILE *f, const char *s, int width, int right)
{
	char buf[AV_MAX_TOKEN_BYTES * 2];
	size_t len = strlen(s);
	int w = av_utf8_width(s);
	if (w > width) {
		/* cut on a code point boundary, leaving room for '~' */
		size_t pos = 0;
		int used = 0;
		while (pos < len) {
			unsigned cp;
			int k = av_utf8_decode(s + pos, len - pos, &cp);
			if (k == 0)
				k = 1;
			char one[5] = { 0 };
			memcpy(one, s + pos, (size_t)k);
			int cw = av_utf8_width(one);
			if (used + cw > width - 1)
				break;
			used += cw;
			pos += (size_t)k;
		}
		memcpy(buf, s, pos);
		buf[pos] = '~';
		buf[pos + 1] = '\0';
		s = buf;
		w = used + 1;
	}
	if (right)
		fprintf(f, "%*s%s", width - w, "", s);
	else
		fprintf(f, "%s%*s", s, width - w, "");
}

static void put_num(FILE *f, float x)
{
	char num[32];
	fmt_num(num, sizeof num, x, &FMT_PRINT, 0, false);
	fprintf(f, " %*s", NUM_W - 1, num);
}

/* Width of the row labels "q_12 word". */
static int label_width(const av_model *m, const char *prefix)
{
	int w = 0;
	for (int t = 0; t < m->n; t++) {
		char idx[16];
		int lw = snprintf(idx, sizeof idx, "%s%d ", prefix, t + 1) + av_utf8_width(m->tokens.text[t]);
		if (lw > w)
			w = lw;
	}
	return w > LABEL_MAX + 5 ? LABEL_MAX + 5 : w;
}

static void row_label(FILE *f, const av_model *m, const char *prefix, int t, int width)
{
	char idx[16];
	int iw = snprintf(idx, sizeof idx, "%s%d ", prefix, t + 1);
	fputs(idx, f);
	put_label(f, m->tokens.text[t], width - iw, 0);
}

/* A matrix with token rows. cols: either token columns (col_prefix != NULL,
 * n columns) or numbered columns [1]..[cols]. */
static void put_matrix(FILE *f, const av_model *m, const char *title, const float *M, int rows,
		       int cols, const char *row_prefix, const char *col_prefix, int integer)
{
	int lw = label_width(m, row_prefix);
	fprintf(f, "%s\n", title);
	fprintf(f, "%*s", lw, "");
	for (int j = 0; j < cols; j++) {
		fputc(' ', f);
		if (col_prefix) {
			char lab[AV_MAX_TOKEN_BYTES + 16];
			snprintf(lab, sizeof lab, "%s%d", col_prefix, j + 1);
			put_label(f, lab, NUM_W - 1, 1);
		} else {
			char lab[16];
			snprintf(lab, sizeof lab, "[%d]", j + 1);
			put_label(f, lab, NUM_W - 1, 1);
		}
	}
	fputc('\n', f);
	if (col_prefix) { /* second header line: the key tokens */
		fprintf(f, "%*s", lw, "");
		for (int j = 0; j < cols; j++) {
			fputc(' ', f);
			put_label(f, m->tokens.text[j], NUM_W - 1, 1);
		}
		fputc('\n', f);
	}
	for (int i = 0; i < rows; i++) {
		row_label(f, m, row_prefix, i, lw);
		for (int j = 0; j < cols; j++) {
			float x = M[i * cols + j];
			if (integer)
				fprintf(f, " %*d", NUM_W - 1, (int)x);
			else
				put_num(f, x);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* A weight matrix: numbered rows and columns. */
static void put_weights(FILE *f, const char *title, const float *M, int rows, int cols)
{
	fprintf(f, "%s\n%6s", title, "");
	for (int j = 0; j < cols; j++) {
		char lab[16];
		snprintf(lab, sizeof lab, "[%d]", j + 1);
		fprintf(f, " %*s", NUM_W - 1, lab);
	}
	fputc('\n', f);
	for (int i = 0; i < rows; i++) {
		char lab[16];
		snprintf(lab, sizeof lab, "[%d]", i + 1);
		fprintf(f, "%6s", lab);
		for (int j = 0; j < cols; j++)
			put_num(f, M[i * cols + j]);
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* The language models' view of the sentence: at each position, the word
 * that comes next, its probability under each model, and each model's
 * three most probable words. */
static void print_next_words(FILE *f, const av_model *m)
{
	int n = m->n, V = m->lm_V, width = label_width(m, "t");
	fputs(_("== Next word ==\n\n"), f);
	fputs(_("rnn: logits_t = h_t U + u; attention: logits_t = (c_t + z_t) W_out + b_out;\n"
		"p = softmax(logits_t), loss_t = -log p(word t+1)\n"),
	      f);
	/* the header's words may be Chinese: padded by display width */
	put_label(f, "", width, 0);
	fputc(' ', f);
	put_label(f, _("next word"), 10, 0);
	fputc(' ', f);
	put_label(f, _("p rnn"), 9, 1);
	fputc(' ', f);
	put_label(f, _("p attn"), 9, 1);
	fputs("   ", f);
	put_label(f, _("rnn: top 3"), 34, 0);
	fprintf(f, " %s\n", _("attention: top 3"));
	for (int t = 0; t < n; t++) {
		row_label(f, m, "t", t, width);
		const char *next = t + 1 < n ? m->w.vocab[m->ids[t + 1]] : "-";
		fputc(' ', f);
		put_label(f, next, 10, 0);
		if (t + 1 < n)
			fprintf(f, " %9.4f %9.4f", (double)m->rnn_prob[(size_t)t * V + m->ids[t + 1]],
				(double)m->attn_prob[(size_t)t * V + m->ids[t + 1]]);
		else
			fprintf(f, " %9s %9s", "-", "-");
		for (int k = 0; k < 2; k++) {
			const float *p = (k ? m->attn_prob : m->rnn_prob) + (size_t)t * V;
			int top[3], shown = V < 3 ? V : 3;
			char buf[160];
			size_t used = 0;
			buf[0] = '\0';
			av_top_k_ids(top, NULL, p, V, shown);
			for (int i = 0; i < shown && used < sizeof buf; i++)
				used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s %.2f",
							 i ? ", " : "", m->w.vocab[top[i]],
							 (double)p[top[i]]);
			if (k) {
				fputs(buf, f);
			} else {
				fputs("   ", f);
				put_label(f, buf, 34, 0);
				fputc(' ', f);
			}
		}
		fputc('\n', f);
	}
	if (n > 1)
		fprintf(f, _("\nmean loss over the %d predictions: rnn %s, attention %s nats\n\n"),
			n - 1, fmt_str(&(fmt_text){0}, m->rnn_mean_loss, &FMT_FIXED[4], false),
			fmt_str(&(fmt_text){0}, m->attn_mean_loss, &FMT_FIXED[4], false));
	else /* a mean over nothing is not a loss of 0 */
		fputs(_("\nmean loss: none, one word has no next word to predict\n\n"), f);
}

/* "rows 2..4" or "row 2" (many and one prefix; h_ ranges read "h_1..h_3"). */
static const char *span(char *out, size_t cap, const char *many, const char *one, int from, int to)
{
	if (from == to)
		snprintf(out, cap, "%s%d", one, from);
	else if (strcmp(many, "h_") == 0)
		snprintf(out, cap, "h_%d..h_%d", from, to);
	else
		snprintf(out, cap, "%s%d..%d", many, from, to);
	return out;
}

int print_model(FILE *f, const av_model *m)
{
	const av_config *c = &m->cfg;
	int n = m->n, D = c->d_model, H = c->d_hidden, dh = m->w.d_head;

	fprintf(f, _("attnviz %s -- parallelization of self-attention at training time\n"),
		ATTNVIZ_VERSION);
	char label[96];
	fprintf(f, _("%s; d_model %d, d_hidden %d, heads %d (d_head %d), mask %s, "
		     "positional %s\n\n"),
		av_model_weights_label(m, label, sizeof label), D, H, c->heads, dh,
		av_mask_name(c->mask), c->positional ? _("on") : _("off"));
	fprintf(f, _("Tokens (n = %d):"), n);
	for (int t = 0; t < n; t++)
		fprintf(f, "  %d:%s", t + 1, m->tokens.text[t]);
	fprintf(f, "\n\n");

	fprintf(f, _("== Inputs ==\n\n"));
	put_matrix(f, m,
		   c->positional ? _("X: inputs c_n = embedding + positional encoding (n x d_model)")
				 : _("X: inputs c_n = token embeddings (n x d_model)"),
		   m->X, n, D, "c_", NULL, 0);

	fprintf(f, _("== RNN: h_n = tanh(W_h h_{n-1} + W_e c_n + b), h_0 = 0 ==\n"));
	fprintf(f, _("%d sequential steps: each h_n waits for h_{n-1}.\n\n"), av_model_rnn_depth(n));
	put_weights(f, _("W_e (d_hidden x d_model)"), m->w.W_e, H, D);
	put_weights(f, _("W_h (d_hidden x d_hidden)"), m->w.W_h, H, H);
	put_weights(f, _("b (d_hidden)"), m->w.b, 1, H);
	put_matrix(f, m, _("W_e c_n for every n at once: one matrix product, no dependency (n x d_hidden)"),
		   m->xe, n, H, "n=", NULL, 0);
	put_matrix(f, m, _("W_h h_{n-1}: needs the previous state (n x d_hidden)"), m->wh, n, H,
		   "n=", NULL, 0);
	put_matrix(f, m, _("h_n: hidden states, computed one after another (n x d_hidden)"), m->h, n,
		   H, "h_", NULL, 0);

	for (int k = 0; k < c->heads; k++) {
		const av_head_state *hs = &m->head[k];
		char title[160];
		fprintf(f, _("== Attention head %d of %d (d_head %d) ==\n"), k + 1, c->heads, dh);
		fprintf(f, _("All %d rows at once in %d batched steps; no dependency between z_n and "
			   "z_{n-1}.\n\n"),
			n, av_model_attn_depth(n));
		snprintf(title, sizeof title, _("W_q head %d (d_model x d_head)"), k + 1);
		put_weights(f, title, m->w.W_q[k], D, dh);
		snprintf(title, sizeof title, _("W_k head %d (d_model x d_head)"), k + 1);
		put_weights(f, title, m->w.W_k[k], D, dh);
		snprintf(title, sizeof title, _("W_v head %d (d_model x d_head)"), k + 1);
		put_weights(f, title, m->w.W_v[k], D, dh);
		put_matrix(f, m, _("Q = X W_q: queries q_i (n x d_head)"), hs->Q, n, dh, "q_", NULL, 0);
		put_matrix(f, m, _("K = X W_k: keys k_j (n x d_head)"), hs->K, n, dh, "k_", NULL, 0);
		put_matrix(f, m, _("V = X W_v: values v_j (n x d_head)"), hs->V, n, dh, "v_", NULL, 0);
		snprintf(title, sizeof title,
			 _("scores = q_i . k_j / sqrt(%d), before the mask (rows q_i, columns k_j)"), dh);
		put_matrix(f, m, title, hs->scores, n, n, "q_", "k_", 0);
		snprintf(title, sizeof title, _("mask (%s): 1 = q_i may look at k_j, 0 = hidden"),
			 av_mask_name(c->mask));
		put_matrix(f, m, title, hs->mask, n, n, "q_", "k_", 1);
		put_matrix(f, m, _("masked scores: -inf where the mask is 0"), hs->masked, n, n, "q_",
			   "k_", 0);
		put_matrix(f, m, _("softmax weights: each row sums to 1 (0 if every key is masked)"),
			   hs->weights, n, n, "q_", "k_", 0);
		put_matrix(f, m, _("output z_n = sum_j weights[n][j] v_j (n x d_head)"), hs->output, n,
			   dh, "z_", NULL, 0);
		fprintf(f, _("leak: attention mass on later words (j > i), per row\n"));
		for (int i = 0; i < n; i++) {
			row_label(f, m, "q_", i, label_width(m, "q_"));
			put_num(f, hs->leak[i]);
			fputc('\n', f);
		}
		fputc('\n', f);
		fprintf(f, _("incremental check: row i recomputed from tokens 1..i alone, as at "
			   "generation time;\nmax |batched - incremental| over the row's weights "
			   "and output\n"));
		for (int i = 0; i < n; i++) {
			row_label(f, m, "q_", i, label_width(m, "q_"));
			put_num(f, hs->inc_diff[i]);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	if (c->heads > 1)
		put_matrix(f, m, _("Z: heads concatenated (n x d_model)"), m->Z, n, D, "z_", NULL, 0);
	if (m->lm_V > 0)
		print_next_words(f, m);
	fflush(f);
	return ferror(f) ? -1 : 0;
}

int print_diff(FILE *f, const av_model *a, const av_model *b, const av_diff *d)
{
	int n = a->n;
	char range[48];
	fprintf(f, _("Causality test, mask %s: how much each position changes when the sentence "
		     "changes\n\n"),
		av_mask_name(a->cfg.mask));
	const char *pos = _("pos"), *token = _("token"), *other = _("other");
	int tw = av_utf8_width(token) > av_utf8_width(other) ? av_utf8_width(token) : av_utf8_width(other);
	tw = tw < 5 ? 5 : tw;
	for (int i = 0; i < n; i++) {
		int wa = av_utf8_width(a->tokens.text[i]), wb = av_utf8_width(b->tokens.text[i]);
		tw = wa > tw ? wa : tw;
		tw = wb > tw ? wb : tw;
	}
	if (tw > LABEL_MAX)
		tw = LABEL_MAX;
	put_label(f, pos, 4, 1);
	fputs("  ", f);
	put_label(f, token, tw, 0);
	fputs("  ", f);
	put_label(f, other, tw, 0);
	fprintf(f, "  %12s %16s %12s\n", "max|dh_n|", "max|dweights_n|", "max|dz_n|");
	for (int i = 0; i < n; i++) {
		fprintf(f, "%4d  ", i + 1);
		put_label(f, a->tokens.text[i], tw, 0);
		fputs(i == d->first_changed || strcmp(a->tokens.text[i], b->tokens.text[i]) ? " *" : "  ",
		      f);
		put_label(f, b->tokens.text[i], tw, 0);
		fprintf(f, "  %12.3e %16.3e %12.3e\n", (double)d->h[i], (double)d->weights[i],
			(double)d->output[i]);
	}
	fputc('\n', f);
	if (d->first_changed < 0) {
		fprintf(f, _("The two sentences give the same inputs: nothing changes.\n"));
	} else {
		int p = d->first_changed + 1;
		fprintf(f, _("The first changed word is at position %d.\n"), p);
		if (p == 1)
			fprintf(f, _("Every position comes at or after it, so every row may change.\n"));
		else if (d->earliest_attn >= 0 && d->earliest_attn < d->first_changed)
			fprintf(f, _("Attention: %s changed although their words did not: "
				     "earlier positions see later words (cheating).\n"),
				span(range, sizeof range, _("rows "), _("row "), d->earliest_attn + 1, p - 1));
		else
			fprintf(f, _("Attention: %s did not change: each position sees only "
				     "itself and earlier words.\n"),
				span(range, sizeof range, _("rows "), _("row "), 1, p - 1));
		if (p > 1 && d->earliest_rnn >= 0 && d->earliest_rnn < d->first_changed)
			fprintf(f, _("RNN: h_%d changed before the changed word.\n"), d->earliest_rnn + 1);
		else if (p > 1)
			fprintf(f, _("RNN: %s did not change; from h_%d on every state changes, "
				     "since each carries the previous one.\n"),
				span(range, sizeof range, "h_", "h_", 1, p - 1), p);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

int print_lesson(FILE *f, const av_lesson *l)
{
	/* a lesson is a file from anywhere: its text reaches the terminal
	 * only through the sanitizer (no escape sequences, no bells) */
	char safe[AV_LESSON_TEXT + 4];
	fprintf(f, ngettext("Lesson: %s (%d step)\n\n", "Lesson: %s (%d steps)\n\n",
			    (unsigned long)l->n_steps),
		av_text_sanitize(safe, sizeof safe, l->title), l->n_steps);
	for (int i = 0; i < l->n_steps; i++) {
		const av_lesson_step *s = &l->steps[i];
		fprintf(f, "%d. %s\n", i + 1, av_text_sanitize(safe, sizeof safe, s->title));
		for (int c = 0; c < s->n_captions; c++)
			fprintf(f, "   %s\n", av_text_sanitize(safe, sizeof safe, s->caption[c]));
		fputc('\n', f);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}
