/* The detail line: the numbers of the selected row or cell, fitted to the
 * screen width. */
#include "tui/panels.h"

#include <stdio.h>
#include <string.h>

#include "attnviz/explain.h"
#include "fmt/number.h"
#include "tui/i18n.h"
#include "tui/screen.h"

/* Append the numbers of row i of x (n entries) to out. */
static void append_row_in(char *out, size_t size, const float *x, int n, bool utf8,
			  const fmt_style *st)
{
	size_t used = strlen(out);
	for (int j = 0; j < n && used + 16 < size; j++) {
		char num[32];
		fmt_num(num, sizeof num, x[j], st, 5, utf8);
		used += (size_t)snprintf(out + used, size - used, " %s", num);
	}
}

static void append_row(char *out, size_t size, const float *x, int n, bool utf8)
{
	append_row_in(out, size, x, n, utf8, &FMT_CELL);
}

/* ", c_j reaches position i in the RNN in i-j steps, attention 1" */
static void append_path(char *out, size_t size, const draw_ctx *c, int i, int j)
{
	size_t u = strlen(out);
	const char *bar = c->t->utf8 ? " │ " : " | ";
	bool allowed = c->hs->mask[(size_t)i * c->m->n + j] != 0.0f;
	if (view_quiz_hides(c->v, AV_PANEL_MASK, i, j)) { /* the quiz's answer */
		if (j > i)
			snprintf(out + u, size - u, _("%sc_%d reaches %d: RNN never, attention ?"),
				 bar, j + 1, i + 1);
		else
			snprintf(out + u, size - u,
				 i - j == 1 ? _("%sc_%d reaches %d: RNN %d step, attention ?")
					    : _("%sc_%d reaches %d: RNN %d steps, attention ?"),
				 bar, j + 1, i + 1, i - j);
		return;
	}
	if (j <= i)
		snprintf(out + u, size - u,
			 i - j == 1 ? _("%sc_%d reaches %d: RNN %d step, attention %s")
				    : _("%sc_%d reaches %d: RNN %d steps, attention %s"),
			 bar, j + 1, i + 1, i - j, allowed ? "1" : _("masked"));
	else
		snprintf(out + u, size - u, _("%sc_%d reaches %d: RNN never (later word), attention %s"),
			 bar, j + 1, i + 1, allowed ? "1" : _("masked"));
}

/* "scores row 4:": what the numbers after it are (row i of panel p), not
 * q_i, which is a vector of its own. */
static const char *row_label(char *out, size_t size, av_panel_id p, int i)
{
	const char *fmt = p == AV_PANEL_SCORES ? _("scores row %d:")
			  : p == AV_PANEL_MASK	? _("mask row %d:")
			  : p == AV_PANEL_MASKED ? _("masked row %d:")
						 : _("softmax row %d:");
	snprintf(out, size, fmt, i + 1);
	return out;
}

/* The detail line's text for the selection. */
static void build_detail(char *line, size_t size, const draw_ctx *c)
{
	const av_model *m = c->m;
	const view *v = c->v;
	const av_head_state *hs = c->hs;
	bool utf8 = c->t->utf8;
	int n = m->n, i = v->ci, j = v->cj, d = m->w.d_head, H = m->cfg.d_hidden;
	char num[32], rl[64];
	const char *bar = utf8 ? " │" : " |";
	const float *w = c->inference ? hs->inc_weights : hs->weights;
	const float *z = c->inference ? hs->inc_output : hs->output;

	line[0] = '\0';
	if (v->focus != AV_PANEL_RNN && !view_row_computed(v, m, i)) {
		snprintf(line, size,
			 m->rnn_steps == 1 ? _("row %d is not computed yet: the decoder has seen %d token; "
					  "press Space to step")
				      : _("row %d is not computed yet: the decoder has seen %d tokens; "
					  "press Space to step"),
			 i + 1, m->rnn_steps);
		return;
	}
	if (view_quiz_hides(v, (int)v->focus, i, j)) {
		snprintf(line, size, _("%s[%d][%d] = ? (hidden until you answer)"),
			 layout_panel_name(v->focus), i + 1, j + 1);
		return;
	}
	switch (v->focus) {
	case AV_PANEL_RNN: {
		int t = m->rnn_steps - 1;
		snprintf(line, size, "h_%d \"%s\" =", t + 1, m->tokens.text[t]);
		append_row(line, size, m->h + (size_t)t * H, H, utf8);
		break;
	}
	case AV_PANEL_SCORES:
	case AV_PANEL_MASKED:
		fmt_num(num, sizeof num, (v->focus == AV_PANEL_SCORES ? hs->scores : hs->masked)[(size_t)i * n + j], &FMT_CELL, 8, utf8);
		snprintf(line, size, "%s[%d][%d] = %s", v->focus == AV_PANEL_SCORES ? _("score") : _("masked"), i + 1, j + 1, num);
		append_path(line, size, c, i, j);
		snprintf(line + strlen(line), size - strlen(line), "%s %s", bar,
			 row_label(rl, sizeof rl, v->focus, i));
		append_row(line, size,
			   (v->focus == AV_PANEL_SCORES ? hs->scores : hs->masked) + (size_t)i * n,
			   c->inference ? i + 1 : n, utf8);
		break;
	case AV_PANEL_MASK:
		snprintf(line, size, "M[%d][%d] = %d", i + 1, j + 1,
			 hs->mask[(size_t)i * n + j] != 0.0f);
		append_path(line, size, c, i, j);
		snprintf(line + strlen(line), size - strlen(line), "%s %s", bar,
			 row_label(rl, sizeof rl, v->focus, i));
		for (int k = 0; k < n; k++) {
			size_t u = strlen(line);
			snprintf(line + u, size - u, " %d", hs->mask[(size_t)i * n + k] != 0.0f);
		}
		break;
	case AV_PANEL_SOFTMAX: {
		float sum = av_row_sum(w + (size_t)i * n, n);
		/* as the cell shows it: an exact 0 reads "0", not "0.00" */
		fmt_num(num, sizeof num, w[(size_t)i * n + j], &FMT_WEIGHT, 8, utf8);
		snprintf(line, size, "softmax[%d][%d] = %s", i + 1, j + 1, num);
		size_t u = strlen(line);
		if (!c->inference && (hs->leak[i] > 0.0f || m->cfg.mask != AV_MASK_CAUSAL)) {
			char lk[32];
			fmt_num(lk, sizeof lk, hs->leak[i], &FMT_SMALL, 0, false);
			snprintf(line + u, size - u, _("%s leak of row %d: %s"), bar, i + 1, lk);
		} else if (c->inference) {
			char df[32];
			fmt_num(df, sizeof df, hs->inc_diff[i], &FMT_SMALL, 0, false);
			snprintf(line + u, size - u, _("%s incremental, max|diff| %s"), bar, df);
		}
		append_path(line, size, c, i, j);
		u = strlen(line);
		snprintf(line + u, size - u, "%s %s", bar, row_label(rl, sizeof rl, v->focus, i));
		/* a masked weight reads 0, as in the cells */
		append_row_in(line, size, w + (size_t)i * n, c->inference ? i + 1 : n, utf8,
			      &FMT_WEIGHT);
		u = strlen(line);
		snprintf(line + u, size - u, "  (%s %.3f)", utf8 ? "Σ" : "sum", sum);
		break;
	}
	case AV_PANEL_OUTPUT:
		snprintf(line, size, "z_%d \"%s\" =", i + 1, m->tokens.text[i]);
		append_row(line, size, z + (size_t)i * d, d, utf8);
		break;
	case AV_PANEL_PRED: {
		if (m->lm_V <= 0 || (j == 1 && i >= m->rnn_steps) ||
		    (j == 2 && !view_panel_reached(c->v, AV_PANEL_PRED))) {
			snprintf(line, size, "%s", _("pending: not computed yet"));
			break;
		}
		av_pred_terms pt;
		av_explain_prediction(&pt, m, j == 1, i);
		snprintf(line, size, _("%s after \"%s\":"), j == 1 ? _("RNN") : _("attention"),
			 m->tokens.text[i]);
		for (int k = 0; k < pt.n_top; k++) {
			size_t u = strlen(line);
			snprintf(line + u, size - u, " %s %.2f", m->vocab.word[pt.top[k]], (double)pt.top_p[k]);
		}
		if (pt.target >= 0) {
			size_t u = strlen(line);
			snprintf(line + u, size - u, _("  %s loss %s (Enter: the arithmetic)"), bar,
				 fmt_str(&(fmt_text){0}, pt.loss, &FMT_FIXED[2], utf8));
		}
		break;
	}
	default: line[0] = '\0'; break;
	}
}

/* The detail line, fitted to the screen: the row's numbers at the end are
 * cut at a whole number, with an ellipsis. */
void detail_draw(const draw_ctx *c)
{
	char line[1024];
	bool utf8 = c->t->utf8;
	int cols = c->L->cols;
	build_detail(line, sizeof line, c);
	const char *ell = c->t->ellipsis;
	int ew = screen_width(ell, utf8);
	if (screen_width(line, utf8) > cols) {
		/* drop whole words until they fit with " …" */
		char *sp;
		while (screen_width(line, utf8) + 1 + ew > cols &&
		       (sp = strrchr(line, ' ')) != NULL && sp != line)
			*sp = '\0';
		/* a part cut down to (part of) its label ("softmax row 5:")
		 * says nothing: drop it from its bar on */
		size_t len = strlen(line);
		const char *bar = utf8 ? " │ " : " | ";
		char *b = strstr(line, bar), *lastb = NULL;
		for (; b; b = strstr(b + 1, bar))
			lastb = b;
		if (lastb && (line[len - 1] == ':' || !strchr(lastb, ':')))
			*lastb = '\0';
		size_t u = strlen(line);
		snprintf(line + u, sizeof line - u, " %s", ell);
		if (screen_width(line, utf8) > cols) { /* no space to cut at (Chinese) */
			char cut[sizeof line];
			screen_fit(cut, sizeof cut, line, cols, utf8, ell);
			snprintf(line, sizeof line, "%s", cut);
		}
	}
	screen_put(c->L->detail_y, 0, cols, A(c, ROLE_NORMAL), line, utf8);
}
