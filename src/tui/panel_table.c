/* The six panels (RNN, scores, mask, masked, softmax, z_n): the title and
 * cells of each, and the marks after a cell. See panels.h. */
#include "tui/panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "attnviz/diff.h"
#include "fmt/number.h"
#include "tui/i18n.h"
#include "tui/teach.h"

static void pick_title(char *out, size_t size, int width, bool utf8, const char *lng,
		       const char *shrt)
{
	snprintf(out, size, "%s", screen_width(lng, utf8) <= width ? lng : shrt);
}

static void title_rnn(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("RNN h_n = f(W_h h_{n-1} + W_e c_n)"),
		   screen_width(_("RNN h_n"), c->t->utf8) <= width ? _("RNN h_n") : _("RNN"));
}

static void title_scores(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8,
		   c->t->utf8 ? _("scores q_i·k_j/√d") : _("scores q.k/sqrt(d)"), _("scores"));
}

static void title_mask(char *out, size_t size, const draw_ctx *c, int width)
{
	char lng[64];
	snprintf(lng, sizeof lng, "%s %s", _("mask"), av_mask_name(c->m->cfg.mask));
	pick_title(out, size, width, c->t->utf8, lng, _("mask"));
}

static void title_masked(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("masked scores"), _("masked"));
}

static void title_softmax(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("softmax weights"), _("softmax"));
}

static void title_z(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, c->t->utf8 ? _("z_n = Σ w v") : _("z_n"),
		   _("z_n"));
}

static void signed_cell(char *out, size_t size, role *r, const draw_ctx *c, float x, float scale)
{
	*r = theme_signed_role(x, scale);
	if (draw_compact(c))
		snprintf(out, size, "%s", isinf(x) ? c->t->neg_inf_cell
						   : theme_signed_glyph(c->t, x, scale));
	else
		fmt_num(out, size, x, &FMT_CELL, LAYOUT_CELL_NUMERIC - 1, c->t->utf8);
}

static void cell_rnn(char *out, size_t size, role *r, const draw_ctx *c, int i, int col)
{
	if (i >= c->m->rnn_steps || i >= c->m->rnn_steps) {
		*r = ROLE_PENDING;
		snprintf(out, size, "%s", c->t->pending_cell);
		return;
	}
	signed_cell(out, size, r, c, c->m->h[(size_t)i * c->m->cfg.d_hidden + col], 1.0f);
}

static void cell_scores(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	signed_cell(out, size, r, c, c->hs->scores[(size_t)i * c->m->n + j], c->score_scale);
}

static void cell_mask(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	bool one = c->hs->mask[(size_t)i * c->m->n + j] != 0.0f;
	*r = one ? ROLE_MASK_ONE : ROLE_MASKED;
	snprintf(out, size, "%s", one ? "1" : "0");
}

static void cell_masked(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	float x = c->hs->masked[(size_t)i * c->m->n + j];
	signed_cell(out, size, r, c, x, c->score_scale);
	if (isinf(x))
		*r = ROLE_MASKED;
}

static void cell_softmax(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	const float *w = c->inference ? c->hs->inc_weights : c->hs->weights;
	float p = w[(size_t)i * c->m->n + j];
	*r = theme_prob_role(p);
	if (draw_compact(c))
		snprintf(out, size, "%s", theme_prob_glyph(c->t, p));
	else if (p == 0.0f)
		snprintf(out, size, "0");
	else
		fmt_num(out, size, p, &FMT_CELL, LAYOUT_CELL_NUMERIC - 1, c->t->utf8);
}

static void cell_z(char *out, size_t size, role *r, const draw_ctx *c, int i, int col)
{
	const float *z = c->inference ? c->hs->inc_output : c->hs->output;
	signed_cell(out, size, r, c, z[(size_t)i * c->m->w.d_head + col], c->z_scale);
}

/* The mark after cell (i, col) of panel p: a leak (weight on a later key,
 * in the softmax panel of the training view), else a value the
 * last edit changed; NULL for none. */
const char *panel_cell_mark(const draw_ctx *c, av_panel_id p, int i, int col, role *r)
{
	if (p == AV_PANEL_PRED) { /* a wrong prediction */
		if (col == 0 || pred_cell_pending(c, i, col) || !pred_wrong(c, i, col))
			return NULL;
		*r = ROLE_LEAK;
		return c->t->wrong_mark;
	}
	if (p == AV_PANEL_SOFTMAX && !c->inference &&
	    teach_is_leak(c->hs, c->m->n, i, col)) {
		*r = ROLE_LEAK;
		return c->t->leak_mark;
	}
	if (c->prev && (p != AV_PANEL_RNN || i < c->m->rnn_steps) &&
	    av_diff_cell_changed(c->m, c->prev, p, c->v->head, i, col)) {
		*r = ROLE_CHANGED;
		return c->t->changed_mark;
	}
	return NULL;
}

const panel_ops panel_table[AV_PANEL_COUNT] = {
	[AV_PANEL_RNN] = {title_rnn, cell_rnn, false},
	[AV_PANEL_SCORES] = {title_scores, cell_scores, true},
	[AV_PANEL_MASK] = {title_mask, cell_mask, true},
	[AV_PANEL_MASKED] = {title_masked, cell_masked, true},
	[AV_PANEL_SOFTMAX] = {title_softmax, cell_softmax, true},
	[AV_PANEL_OUTPUT] = {title_z, cell_z, false},
	[AV_PANEL_PRED] = {pred_title, pred_cell, false, pred_header},
};
