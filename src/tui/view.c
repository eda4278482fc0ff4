/* View state and actions: see view.h. */
#include "tui/view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"

void view_message(view *v, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->status, sizeof v->status, fmt, ap);
	va_end(ap);
	v->status_error = error;
}

static int clamp(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Recompute h_1..h_step one step at a time (after the core recomputed
 * everything, or for a new sentence). */
static void sync_rnn(view *v, av_model *m)
{
	v->step = clamp(v->step, 1, m->n);
	av_model_rnn_reset(m);
	while (m->rnn_steps < v->step && av_model_rnn_advance(m))
		;
}

static void clamp_cursor(view *v, const av_model *m)
{
	int d_head = m->w.d_head > 0 ? m->w.d_head : 1;
	v->ci = clamp(v->ci, 0, m->n - 1);
	v->cj = clamp(v->cj, 0, (v->focus == PANEL_Z ? d_head : m->n) - 1);
	v->head = clamp(v->head, 0, m->cfg.heads - 1);
}

void view_init(view *v, av_model *m, const char *sentence)
{
	memset(v, 0, sizeof *v);
	v->step = 1;
	v->focus = PANEL_RNN;
	v->autoplay_ms = VIEW_AUTOPLAY_DEFAULT_MS;
	snprintf(v->sentence, sizeof v->sentence, "%s", sentence ? sentence : "");
	sync_rnn(v, m);
	v->ci = v->step - 1;
}

static void go_step(view *v, av_model *m, int step)
{
	step = clamp(step, 1, m->n);
	while (m->rnn_steps < step && av_model_rnn_advance(m))
		;
	v->step = step;
	v->ci = step - 1;
}

static void focus_move(view *v, const layout *L, int dir)
{
	for (int k = 1; k <= PANEL_COUNT; k++) {
		int p = ((int)v->focus + dir * k + PANEL_COUNT * 2) % PANEL_COUNT;
		if (!L || L->mode == LAYOUT_TOO_SMALL || L->panel[p].visible) {
			v->focus = (panel_id)p;
			return;
		}
	}
}

void view_set_sentence(view *v, av_model *m, const char *text)
{
	av_error err;
	av_error_clear(&err);
	if (av_model_set_sentence(m, text, &err) != AV_OK) {
		view_message(v, true, "%s", err.msg[0] ? err.msg : av_status_name(err.code));
		sync_rnn(v, m);
		return;
	}
	snprintf(v->sentence, sizeof v->sentence, "%s", text);
	v->step = 1;
	v->row_off = v->col_off = 0;
	sync_rnn(v, m);
	v->ci = 0;
	clamp_cursor(v, m);
	view_message(v, false, _("sentence: %d tokens"), m->n);
}

void view_apply(view *v, av_model *m, const layout *L, action a, int arg)
{
	av_error err;
	bool rnn_focus = v->focus == PANEL_RNN;

	switch (a) {
	case ACT_NONE: break;
	case ACT_QUIT: v->quit = true; break;
	case ACT_STEP_NEXT:
		if (v->step < m->n)
			go_step(v, m, v->step + 1);
		else
			view_message(v, false, _("last step: all %d states h_n computed"), m->n);
		break;
	case ACT_STEP_PREV: go_step(v, m, v->step - 1); break;
	case ACT_STEP_FIRST: go_step(v, m, 1); break;
	case ACT_STEP_LAST: go_step(v, m, m->n); break;
	case ACT_LEFT:
		if (rnn_focus)
			go_step(v, m, v->step - 1);
		else
			v->cj--;
		break;
	case ACT_RIGHT:
		if (rnn_focus)
			view_apply(v, m, L, ACT_STEP_NEXT, 0);
		else
			v->cj++;
		break;
	case ACT_UP:
		if (rnn_focus)
			go_step(v, m, v->step - 1);
		else
			v->ci--;
		break;
	case ACT_DOWN:
		if (rnn_focus)
			view_apply(v, m, L, ACT_STEP_NEXT, 0);
		else
			v->ci++;
		break;
	case ACT_FOCUS_NEXT: focus_move(v, L, +1); break;
	case ACT_FOCUS_PREV: focus_move(v, L, -1); break;
	case ACT_DRILL:
		v->drill = true;
		v->drill_scroll = 0;
		break;
	case ACT_MASK_TOGGLE:
		av_model_set_mask(m, m->cfg.mask == AV_MASK_CAUSAL ? AV_MASK_NONE : AV_MASK_CAUSAL);
		sync_rnn(v, m);
		view_message(v, false, m->cfg.mask == AV_MASK_CAUSAL
					       ? _("mask causal: q_i sees k_j for j <= i only")
					       : _("mask none: every q_i sees every k_j (cheating)"));
		break;
	case ACT_POSITIONAL:
		av_model_set_positional(m, !m->cfg.positional);
		sync_rnn(v, m);
		view_message(v, false, m->cfg.positional ? _("positional encoding on")
							 : _("positional encoding off"));
		break;
	case ACT_HEAD_NEXT:
	case ACT_HEAD_PREV:
	case ACT_HEAD_SET:
		if (m->cfg.heads <= 1) {
			view_message(v, false, _("one head only (start with --heads K)"));
			break;
		}
		if (a == ACT_HEAD_SET) {
			if (arg >= m->cfg.heads) {
				view_message(v, true, _("no head %d: there are %d"), arg + 1,
					     m->cfg.heads);
				break;
			}
			v->head = arg;
		} else {
			int d = a == ACT_HEAD_NEXT ? 1 : -1;
			v->head = (v->head + d + m->cfg.heads) % m->cfg.heads;
		}
		view_message(v, false, _("head %d of %d"), v->head + 1, m->cfg.heads);
		break;
	case ACT_EDIT: editor_start(&v->ed, v->sentence); break;
	case ACT_SEED:
		av_error_clear(&err);
		if (av_model_reseed(m, m->cfg.seed + 1, &err) != AV_OK)
			view_message(v, true, "%s", err.msg);
		else
			view_message(v, false, _("seed %llu: new weights"),
				     (unsigned long long)m->cfg.seed);
		sync_rnn(v, m);
		break;
	case ACT_AUTOPLAY:
		v->autoplay = !v->autoplay;
		if (v->autoplay && v->step >= m->n)
			go_step(v, m, 1);
		view_message(v, false, v->autoplay ? _("auto-play on (+/- speed)")
						   : _("auto-play off"));
		break;
	case ACT_FASTER:
	case ACT_SLOWER:
		v->autoplay_ms = a == ACT_FASTER ? v->autoplay_ms / 2 : v->autoplay_ms * 2;
		v->autoplay_ms =
			clamp(v->autoplay_ms, VIEW_AUTOPLAY_MIN_MS, VIEW_AUTOPLAY_MAX_MS);
		view_message(v, false, _("auto-play: one step every %d ms"), v->autoplay_ms);
		break;
	case ACT_HELP: v->help = !v->help; break;
	case ACT_REDRAW: v->redraw_all = true; break;
	case ACT_COUNT: break;
	}
	clamp_cursor(v, m);
	if (L)
		view_follow(v, m, L);
}

void view_click(view *v, av_model *m, const layout *L, int y, int x, int token)
{
	if (token >= 0) {
		go_step(v, m, token + 1);
		return;
	}
	int row, col;
	int p = layout_hit(L, y, x, &row, &col);
	if (p < 0)
		return;
	v->focus = (panel_id)p;
	if (row >= 0) {
		if (p == PANEL_RNN)
			go_step(v, m, v->row_off + row + 1);
		else
			v->ci = v->row_off + row;
	}
	if (col >= 0 && p != PANEL_RNN)
		v->cj = (p == PANEL_Z ? 0 : v->col_off) + col;
	clamp_cursor(v, m);
	view_follow(v, m, L);
}

void view_follow(view *v, const av_model *m, const layout *L)
{
	if (L->mode == LAYOUT_TOO_SMALL || L->rows_vis <= 0)
		return;
	int row = v->focus == PANEL_RNN ? v->step - 1 : v->ci;
	if (row < v->row_off)
		v->row_off = row;
	if (row >= v->row_off + L->rows_vis)
		v->row_off = row - L->rows_vis + 1;
	v->row_off = clamp(v->row_off, 0, m->n - L->rows_vis > 0 ? m->n - L->rows_vis : 0);

	if (v->focus != PANEL_RNN && v->focus != PANEL_Z && L->grid_cols > 0) {
		if (v->cj < v->col_off)
			v->col_off = v->cj;
		if (v->cj >= v->col_off + L->grid_cols)
			v->col_off = v->cj - L->grid_cols + 1;
	}
	v->col_off = clamp(v->col_off, 0, m->n - L->grid_cols > 0 ? m->n - L->grid_cols : 0);
	if (v->focus == PANEL_Z && L->panel[PANEL_Z].visible)
		v->cj = clamp(v->cj, 0, L->panel[PANEL_Z].cells - 1);
}
