/* One frame: see frame.h. */
#include "tui/frame.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmt/palette.h"
#include "tui/drill.h"
#include "tui/help.h"
#include "tui/i18n.h"
#include "tui/panels.h"
#include "tui/screen.h"
#include "tui/wrap.h"

static int max_tok_width(const av_model *m, bool utf8)
{
	int w = 1;
	for (int i = 0; i < m->n; i++) {
		int tw = screen_width(m->tokens.text[i], utf8);
		if (tw > w)
			w = tw;
	}
	return w;
}

void ui_layout(layout *L, const av_model *m, const view *v, const theme *t, int cols, int lines)
{
	layout_want w = {
		.caption_rows = v ? caption_rows(m, v, t, cols) : 0,
		.hidden = v ? view_hidden_panels(v) : 0,
		.big = v && v->big,
		.heat_ok = t->heat && t->utf8 && !(v && v->big),
		/* the focused grid keeps its place in a heatmap; else softmax */
		.heat_grid = v && v->focus >= AV_PANEL_SCORES && v->focus <= AV_PANEL_SOFTMAX
				     ? v->focus
				     : AV_PANEL_SOFTMAX,
		.pred = !v || !v->tv.live || m->lm_V <= 0 || v->tv.pred_hide ? LAYOUT_PRED_NONE
			: v->tv.pred_force				      ? LAYOUT_PRED_FORCED
									      : LAYOUT_PRED_FITS,
	};
	layout_compute_want(L, cols, lines, m->n, m->cfg.d_hidden, m->w.d_head,
			    max_tok_width(m, t->utf8), &w);
}

static void draw_title(const draw_ctx *c)
{
	const av_model *m = c->m;
	char right[240], head[32] = "", sizes[64], label[96];
	av_model_weights_label(m, label, sizeof label);
	if (m->cfg.heads > 1)
		snprintf(head, sizeof head, "  %s %d/%d", _("head"), c->v->head + 1, m->cfg.heads);
	const char *titles[] = {_("attnviz: Parallelization of self-attention at training time"),
				_("attnviz: parallel self-attention vs RNN"), "attnviz"};
	/* vector sizes: the long names, then shorter ones (never "H", which
	 * reads like heads) */
	const char *size_fmt[] = {_("d_model %d  d_hidden %d"), _("d_model=%d d_h=%d"),
				  _("d=%d d_h=%d")};
	const char *title = titles[2];
	int rw = 0;
	for (int f = 0; f < 3; f++) {
		snprintf(sizes, sizeof sizes, size_fmt[f], m->cfg.d_model, m->cfg.d_hidden);
		snprintf(right, sizeof right, "%s  %s %s  %s %s  %s  %s%s",
			 c->v->quiz.phase != QUIZ_OFF	       ? _("quiz")
			 : c->v->mode == VIEW_INFERENCE ? _("inference")
							: _("training"),
			 _("mask"), av_mask_name(m->cfg.mask), _("pos"),
			 m->cfg.positional ? _("on") : _("off"), label, sizes, head);
		rw = screen_width(right, c->t->utf8);
		if (screen_width(titles[2], c->t->utf8) + 2 + rw <= c->L->cols)
			break;
	}
	for (int i = 0; i < 3; i++) {
		if (screen_width(titles[i], c->t->utf8) + 1 + rw <= c->L->cols) {
			title = titles[i];
			break;
		}
	}
	screen_put(c->L->title_y, 0, c->L->cols, A(c, ROLE_TITLE), title, c->t->utf8);
	int room = c->L->cols - screen_width(title, c->t->utf8) - 2;
	if (rw > room && room > 0) { /* even the short forms are too wide: cut with … */
		char cut[sizeof right];
		rw = screen_fit(cut, sizeof cut, right, room, c->t->utf8, c->t->ellipsis);
		snprintf(right, sizeof right, "%s", cut);
	}
	if (rw > 0 && rw <= room + 1)
		screen_put(c->L->title_y, c->L->cols - rw, rw, A(c, ROLE_LABEL), right, c->t->utf8);
}

static void draw_too_small(const layout *L, const theme *t)
{
	char msg[200], need[64], have[64];
	const char *x = t->utf8 ? "×" : "x";
	attr_t a = t->attr[ROLE_ERROR] & ~A_REVERSE;
	snprintf(msg, sizeof msg, _("terminal too small: need %d%s%d, have %d%s%d"), L->need_w, x,
		 L->need_h, L->cols, x, L->lines);
	if (screen_width(msg, t->utf8) <= L->cols) {
		screen_put(0, 0, L->cols, a, msg, t->utf8);
		return;
	}
	/* narrow: one part a line */
	snprintf(need, sizeof need, _("need %d%s%d,"), L->need_w, x, L->need_h);
	snprintf(have, sizeof have, _("have %d%s%d"), L->cols, x, L->lines);
	int y = wrap_put(0, 0, L->cols, L->lines, a, _("terminal too small:"), t->utf8);
	y += wrap_put(y, 0, L->cols, L->lines - y, a, need, t->utf8);
	wrap_put(y, 0, L->cols, L->lines - y, a, have, t->utf8);
}

void ui_draw(const av_model *m, const view *v, const layout *L, const theme *t,
	     popup_text *scratch)
{
	erase();
	if (L->mode == LAYOUT_TOO_SMALL) {
		draw_too_small(L, t);
		return;
	}
	draw_ctx c = {.m = m, .v = v, .L = L, .t = t, .hs = &m->head[v->head]};
	c.inference = v->mode == VIEW_INFERENCE;
	c.prev = v->cmp.on && v->cmp.prev && v->cmp.prev->n == m->n ? v->cmp.prev : NULL;
	c.score_scale = palette_scale(c.hs->scores, (size_t)m->n * m->n);
	c.z_scale = palette_scale(c.hs->output, (size_t)m->n * m->w.d_head);

	draw_title(&c);
	tokens_draw(&c);
	for (int b = 0; b < L->n_bands; b++)
		grid_draw_labels(&c, L->band_y[b]);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		if (L->panel[p].visible) {
			if (L->mode == LAYOUT_HEAT)
				heat_draw_panel(&c, (av_panel_id)p);
			else
				grid_draw_panel(&c, (av_panel_id)p);
		}
	info_draw(&c);
	caption_draw(&c);
	detail_draw(&c);
	status_bar_draw(&c);

	if (v->help) {
		help_build(scratch, t->utf8);
		popup_draw(scratch, t, v->drill_scroll);
	} else if (v->drill) {
		drill_build(scratch, m, v, L->cols - 4, t->utf8);
		popup_draw(scratch, t, v->drill_scroll);
	}
}
