/* The view's moving and showing actions: steps, cursor, focus, popups,
 * auto-play, presenter mode (one small handler per action; view.c looks
 * them up in view_nav_actions). */
#include <stdbool.h>

#include "tui/i18n.h"
#include "tui/view_internal.h"

static void quit(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->quit = true;
}

static void step_next(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)a, (void)arg;
	if (m->rnn_steps < m->n)
		view_go_step(v, m, m->rnn_steps + 1);
	else
		view_message(v, false, _("last step: all %d states h_n computed"), m->n);
}

/* p, Home, End: the previous, first, last step. */
static void step_to(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)arg;
	view_go_step(v, m, a == ACT_STEP_PREV ? m->rnn_steps - 1 : a == ACT_STEP_FIRST ? 1 : m->n);
}

/* The arrows step in the RNN panel (left/up back, right/down on, as the
 * key for the next step does); elsewhere they move the cursor. */
static void arrow(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)arg;
	bool forward = a == ACT_RIGHT || a == ACT_DOWN;
	if (v->focus == AV_PANEL_RNN) {
		if (forward)
			view_apply(v, m, L, ACT_STEP_NEXT, 0);
		else
			view_go_step(v, m, m->rnn_steps - 1);
		return;
	}
	if (a == ACT_LEFT || a == ACT_RIGHT)
		v->cj += forward ? 1 : -1;
	else
		v->ci += forward ? 1 : -1;
}

/* Tab, Shift-Tab: the next shown panel (a heatmap shows one grid at a
 * time, the focused one, so its hidden grids count as shown). */
static void focus_move(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)arg;
	int dir = a == ACT_FOCUS_NEXT ? 1 : -1;
	unsigned hidden = view_hidden_panels(v);
	for (int k = 1; k <= AV_PANEL_COUNT; k++) {
		int p = ((int)v->focus + dir * k + AV_PANEL_COUNT * 2) % AV_PANEL_COUNT;
		bool heat_grid = L && L->mode == LAYOUT_HEAT && p >= AV_PANEL_SCORES &&
				 p <= AV_PANEL_SOFTMAX && !(hidden & (1u << p));
		if (!L || L->mode == LAYOUT_TOO_SMALL || L->panel[p].visible || heat_grid) {
			v->focus = (av_panel_id)p;
			return;
		}
	}
}

static void drill(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->drill = true;
	v->drill_scroll = 0;
}

static void help(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->help = !v->help;
	v->drill_scroll = 0;
}

static void redraw(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->redraw_all = true;
}

static void autoplay(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)L, (void)a, (void)arg;
	v->autoplay = !v->autoplay;
	if (v->autoplay && m->rnn_steps >= m->n)
		view_go_step(v, m, 1);
	view_message(v, false, v->autoplay ? _("auto-play on (+/- speed)") : _("auto-play off"));
}

/* + and -: the auto-play's pace, halved or doubled within its range. */
static void pace(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)arg;
	v->autoplay_ms = a == ACT_FASTER ? v->autoplay_ms / 2 : v->autoplay_ms * 2;
	v->autoplay_ms = view_clamp(v->autoplay_ms, VIEW_AUTOPLAY_MIN_MS, VIEW_AUTOPLAY_MAX_MS);
	view_message(v, false, _("auto-play: one step every %d ms"), v->autoplay_ms);
}

static void big(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->big = !v->big;
	view_message(v, false, "%s",
		     v->big ? _("presenter mode: numbers in wide cells, fewer panels (b: back)")
			    : _("presenter mode off"));
}

/* X: the app loop writes the file (effects.c), never view_apply. */
static void export(view *v, av_model *m, const layout *L, action a, int arg)
{
	(void)m, (void)L, (void)a, (void)arg;
	v->effect = VIEW_EFFECT_EXPORT;
}

const view_action_entry view_nav_actions[] = {
	{ ACT_QUIT, quit },
	{ ACT_STEP_NEXT, step_next },
	{ ACT_STEP_PREV, step_to },
	{ ACT_STEP_FIRST, step_to },
	{ ACT_STEP_LAST, step_to },
	{ ACT_LEFT, arrow },
	{ ACT_RIGHT, arrow },
	{ ACT_UP, arrow },
	{ ACT_DOWN, arrow },
	{ ACT_FOCUS_NEXT, focus_move },
	{ ACT_FOCUS_PREV, focus_move },
	{ ACT_DRILL, drill },
	{ ACT_HELP, help },
	{ ACT_REDRAW, redraw },
	{ ACT_AUTOPLAY, autoplay },
	{ ACT_FASTER, pace },
	{ ACT_SLOWER, pace },
	{ ACT_BIG, big },
	{ ACT_EXPORT, export },
};
const int view_nav_action_count = (int)(sizeof view_nav_actions / sizeof view_nav_actions[0]);
