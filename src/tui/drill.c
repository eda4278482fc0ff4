/* Drill-down text: see drill.h. */
#include "tui/drill.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/explain.h"
#include "fmt/number.h"
#include "tui/i18n.h"

#define LABEL_W 22 /* label column of the drill-down */

/* "[ a b c ]" wrapped: the first line after label, the others indented. */
static void add_vector(popup_text *p, const char *label, const float *x, int d, int width,
		       bool utf8)
{
	char line[POPUP_LINE_BYTES];
	int per = (width - LABEL_W - 4) / 9;
	if (per < 1)
		per = 1;
	for (int start = 0; start < d || start == 0; start += per) {
		int used = snprintf(line, sizeof line, "%s", start == 0 ? "[" : " ");
		for (int k = start; k < d && k < start + per; k++) {
			char num[32];
			fmt_num(num, sizeof num, x[k], &FMT_DRILL, 0, utf8);
			used += snprintf(line + used, sizeof line - (size_t)used, " %7s", num);
			if (used >= (int)sizeof line)
				break;
		}
		if (start + per >= d && used < (int)sizeof line)
			snprintf(line + used, sizeof line - (size_t)used, " ]");
		popup_add_labelled(p, LABEL_W, start == 0 ? label : "", line, utf8);
		if (d == 0)
			break;
	}
}

static void add_value(popup_text *p, const char *label, float x, const char *note, bool utf8)
{
	char num[32], text[POPUP_LINE_BYTES];
	fmt_num(num, sizeof num, x, &FMT_DRILL, 0, utf8);
	snprintf(text, sizeof text, "%s%s%s", num, note && *note ? "   " : "", note ? note : "");
	popup_add_labelled(p, LABEL_W, label, text, utf8);
}

static void build_rnn(popup_text *p, const av_model *m, int t, int width, bool utf8)
{
	int H = m->cfg.d_hidden;
	char title[200], label[64];
	snprintf(title, sizeof title, _("h_%d = tanh(W_h h_%d + W_e c_%d + b)   \"%s\""), t + 1,
		 t, t + 1, m->tokens.text[t]);
	popup_reset(p, title);
	if (t >= m->rnn_steps) {
		popup_add(p, _("h_%d is not computed yet (step to it first)."), t + 1);
		return;
	}
	snprintf(label, sizeof label, "W_h h_%d%s", t, t == 0 ? " (h_0=0)" : "");
	add_vector(p, label, m->wh + (size_t)t * H, H, width, utf8);
	snprintf(label, sizeof label, "W_e c_%d", t + 1);
	add_vector(p, label, m->xe + (size_t)t * H, H, width, utf8);
	add_vector(p, "b", m->w.b, H, width, utf8);
	add_vector(p, _("sum (pre-activation)"), m->pre + (size_t)t * H, H, width, utf8);
	snprintf(label, sizeof label, "tanh = h_%d", t + 1);
	add_vector(p, label, m->h + (size_t)t * H, H, width, utf8);
	popup_add(p, " ");
	if (t == 0)
		popup_add(p, _("h_1 needs only c_1: the chain starts here."));
	else
		popup_add(p, _("h_%d needs h_%d: it cannot start before step %d is done."), t + 1,
			  t, t);
}

static void build_cell(popup_text *p, const av_model *m, const view *v, int width, bool utf8)
{
	const av_head_state *hs = &m->head[v->head];
	int n = m->n, d = m->w.d_head, i = v->ci, j = v->cj;
	const float *q = hs->Q + (size_t)i * d, *k = hs->K + (size_t)j * d;
	av_cell_terms ct;
	bool inc = v->mode == VIEW_INFERENCE; /* the cell shows the incremental row */
	if (inc)
		av_explain_cell_incremental(&ct, m, v->head, i, j);
	else
		av_explain_cell(&ct, m, v->head, i, j);
	char title[240], label[64], note[160], num[32];

	snprintf(title, sizeof title, _("attention q_%d %s k_%d   \"%s\" %s \"%s\"   head %d"),
		 i + 1, utf8 ? "→" : "->", j + 1, m->tokens.text[i], utf8 ? "→" : "->",
		 m->tokens.text[j], v->head + 1);
	popup_reset(p, title);
	if (inc)
		popup_add(p, _("inference view: row %d from tokens 1..%d only, as a decoder computes it"),
			  i + 1, i + 1);
	if (inc && j > i) {
		popup_add(p, _("k_%d does not exist yet for the decoder at row %d: this cell is empty."),
			  j + 1, i + 1);
		return;
	}
	snprintf(label, sizeof label, "q_%d", i + 1);
	add_vector(p, label, q, d, width, utf8);
	snprintf(label, sizeof label, "k_%d", j + 1);
	add_vector(p, label, k, d, width, utf8);
	snprintf(label, sizeof label, "q_%d[c] %s k_%d[c]", i + 1, utf8 ? "×" : "*", j + 1);
	add_vector(p, label, ct.products, d, width, utf8);
	add_value(p, utf8 ? "Σ_c" : "sum_c", ct.dot, "", utf8);
	snprintf(label, sizeof label, utf8 ? "÷ √d_head (√%d)" : "/ sqrt(d_head) (d=%d)", d);
	snprintf(note, sizeof note, _("= score[%d][%d]"), i + 1, j + 1);
	add_value(p, label, ct.score, note, utf8);
	float mv = ct.mask;
	snprintf(label, sizeof label, _("mask M[%d][%d]"), i + 1, j + 1);
	snprintf(note, sizeof note, "%s",
		 mv != 0.0f ? _("kept")
			    : (j > i ? _("masked: k_j is a later word") : _("masked")));
	snprintf(num, sizeof num, "%d", mv != 0.0f ? 1 : 0);
	popup_add_labelled(p, LABEL_W, label, num, utf8);
	add_value(p, _("masked score"), ct.masked, note, utf8);

	if (ct.fully_masked) {
		popup_add(p, _("row %d is fully masked: every weight is 0"), i + 1);
	} else {
		add_value(p, _("row max (finite)"), ct.row_max, "", utf8);
		snprintf(label, sizeof label, utf8 ? "exp(masked − max)" : "exp(masked - max)");
		add_value(p, label, ct.exp_j, "", utf8);
		snprintf(label, sizeof label, _("row sum of exp"));
		add_value(p, label, ct.row_sum, "", utf8);
	}
	snprintf(note, sizeof note, _("= softmax[%d][%d]"), i + 1, j + 1);
	add_value(p, _("probability"), ct.weight, note, utf8);
	if (!inc && j > i && hs->weights[(size_t)i * n + j] > 0.0f)
		popup_add(p, _("! a leak: q_%d puts weight on the later word %d (row %d leaks %s)"),
			  i + 1, j + 1, i + 1, fmt_str(&(fmt_text){0}, hs->leak[i], &FMT_FIXED[4], utf8));
	if (inc) { /* the batched number beside it, and how far apart they are */
		snprintf(note, sizeof note, _("max|diff| of row %d: %s"), i + 1,
			 fmt_str(&(fmt_text){0}, hs->inc_diff[i], &FMT_SMALL, utf8));
		add_value(p, _("batched (training)"), hs->weights[(size_t)i * n + j], note, utf8);
	}
}

static void build_z(popup_text *p, const av_model *m, const view *v, bool utf8)
{
	int n = m->n, i = v->ci, c = v->cj;
	char title[200], label[96], text[160], w[32], x[32], prod[32];
	snprintf(title, sizeof title, _("z_%d[%d] = %s_j softmax[%d][j] %s v_j[%d]   head %d"), i + 1,
		 c + 1, utf8 ? "Σ" : "sum", i + 1, utf8 ? "×" : "*", c + 1, v->head + 1);
	popup_reset(p, title);
	av_z_terms zt;
	bool inc = v->mode == VIEW_INFERENCE; /* the cell shows the incremental z */
	if (inc) {
		av_explain_z_incremental(&zt, m, v->head, i, c);
		popup_add(p, _("inference view: row %d from tokens 1..%d only, as a decoder computes it"),
			  i + 1, i + 1);
	} else {
		av_explain_z(&zt, m, v->head, i, c);
	}
	for (int j = 0; j < zt.n; j++) {
		fmt_num(w, sizeof w, zt.weight[j], &FMT_DRILL, 0, utf8);
		fmt_num(x, sizeof x, zt.value[j], &FMT_DRILL, 0, utf8);
		fmt_num(prod, sizeof prod, zt.product[j], &FMT_DRILL, 0, utf8);
		snprintf(label, sizeof label, "j=%d %.12s", j + 1, m->tokens.text[j]);
		snprintf(text, sizeof text, "%7s %s %7s = %7s", w, utf8 ? "×" : "*", x, prod);
		popup_add_labelled(p, LABEL_W, label, text, utf8);
	}
	snprintf(label, sizeof label, "z_%d[%d]", i + 1, c + 1);
	add_value(p, label, zt.z, "", utf8);
	if (inc) {
		const av_head_state *hs = &m->head[v->head];
		char note[96];
		snprintf(note, sizeof note, _("max|diff| of row %d: %s"), i + 1,
			 fmt_str(&(fmt_text){0}, hs->inc_diff[i], &FMT_SMALL, utf8));
		add_value(p, _("batched (training)"), hs->output[(size_t)i * m->w.d_head + c], note,
			  utf8);
	}
	(void)n;
}

/* A next-word prediction: the top 5, then the logit of the top word and
 * of the target term by term, the log-sum-exp and the loss. */
static void build_pred(popup_text *p, const av_model *m, const view *v, int width, bool utf8)
{
	bool rnn = v->cj == 1;
	int t = v->ci, V = m->lm_V;
	char title[240], label[96], note[160];
	if (V <= 0) {
		popup_reset(p, _("predictions"));
		popup_add(p, "%s", _("these weights have no language model"));
		return;
	}
	av_pred_terms pt;
	av_explain_prediction(&pt, m, rnn, t);
	snprintf(title, sizeof title, _("%s: the word after \"%s\" (row %d), target \"%s\""),
		 rnn ? _("RNN") : _("attention"), m->tokens.text[t], t + 1,
		 pt.target >= 0 ? m->vocab.word[pt.target] : "-"); /* <unk> as scored */
	popup_reset(p, title);
	if (rnn && t >= m->rnn_steps) {
		popup_add(p, _("h_%d is not computed yet: the RNN's prediction waits for it (step to it)."),
			  t + 1);
		return;
	}
	if (!rnn && !view_panel_reached(v, AV_PANEL_PRED)) {
		popup_add(p, "%s", _("attention's pass is not finished yet (B: next stage)."));
		return;
	}
	popup_add(p, "%s", _("the 5 most probable next words:"));
	for (int k = 0; k < pt.n_top; k++) {
		char num[32];
		fmt_num(num, sizeof num, pt.top_p[k], &FMT_DRILL, 0, utf8);
		snprintf(label, sizeof label, "  %d. %s", k + 1, m->vocab.word[pt.top[k]]);
		snprintf(note, sizeof note, "p = %s%s", num,
			 pt.top[k] == pt.target ? _("   (the target)") : "");
		popup_add_labelled(p, LABEL_W, label, note, utf8);
	}
	popup_add(p, " ");
	const char *in_name = rnn ? "h" : "y";
	snprintf(label, sizeof label, rnn ? "h_%d" : "y_%d = c_%d + z_%d", t + 1, t + 1, t + 1);
	add_vector(p, label, pt.in, pt.in_dim, width, utf8);
	for (int w = 0; w < 2; w++) {
		if (w == 1 && pt.word[1] == pt.word[0])
			break;
		const char *word = m->vocab.word[pt.word[w]];
		snprintf(label, sizeof label, "%s[c] %s %s[c][%.10s]", in_name, utf8 ? "×" : "*",
			 rnn ? "U" : "W_out", word);
		add_vector(p, label, pt.products[w], pt.in_dim, width, utf8);
		add_value(p, utf8 ? "  Σ_c" : "  sum_c", pt.dot[w], "", utf8);
		snprintf(label, sizeof label, "  + %s[%.10s]", rnn ? "u" : "b_out", word);
		add_value(p, label, pt.bias[w], "", utf8);
		snprintf(label, sizeof label, "  = logit[%.10s]", word);
		add_value(p, label, pt.logit[w], w == 0 ? _("the top word") : _("the target"), utf8);
	}
	if (pt.target < 0) {
		popup_add(p, "%s", _("the last row has no target: this guesses the word after the sentence."));
		return;
	}
	add_value(p, utf8 ? "log Σ_v exp(logit_v)" : "log sum exp(logit_v)", pt.log_sum_exp, "", utf8);
	snprintf(note, sizeof note, _("= %s - logit[%s]"), utf8 ? "log Σ exp" : "log sum exp",
		 m->vocab.word[pt.target]);
	add_value(p, _("loss -log p(target)"), pt.loss, note, utf8);
	add_value(p, _("p(target)"), pt.target_p, pt.word[0] == pt.target ? _("right") : _("wrong: the top word is another"), utf8);
	if (v->mode == VIEW_INFERENCE && !rnn)
		popup_add(p, _("inference view: the panel shows the generator's row (words 1..%d only): loss %s"),
			  t + 1, fmt_str(&(fmt_text){0}, m->attn_inc_loss[t < m->n - 1 ? t : 0], &FMT_FIXED[4], utf8));
}

void drill_build(popup_text *p, const av_model *m, const view *v, int width, bool utf8)
{
	if (v->focus == AV_PANEL_PRED)
		build_pred(p, m, v, width, utf8);
	else if (v->focus == AV_PANEL_RNN)
		build_rnn(p, m, m->rnn_steps - 1, width, utf8);
	else if (v->focus == AV_PANEL_OUTPUT)
		build_z(p, m, v, utf8);
	else
		build_cell(p, m, v, width, utf8);
	snprintf(p->footer, sizeof p->footer, "%s", _("j/k scroll, any other key closes"));
}
