/* A panel as a heatmap (LAYOUT_HEAT): one column per cell and two query
 * rows per line, the upper row the foreground of an upper half block, the
 * lower row its background, so that a 64-token triangle fits a 120x40
 * screen. Colour carries the value here (the layout offers a heatmap only
 * with 256 colours); the selected row, column and cell are marked by
 * underline on their labels and the cell, never by inverting it. A cell
 * has no room for the glyph view's marks: a line's leak ! (or changed *)
 * stands in the blank column left of the panel, for its two rows. */
#include "tui/panels.h"

#include <stdio.h>

#include "tui/screen.h"

/* The role of cell (i, col) of panel p as the grids colour it; ROLE_NORMAL
 * for no cell (past the last row, or a key the decoder has not seen). */
static role heat_role(const draw_ctx *c, av_panel_id p, int i, int col)
{
	const view *v = c->v;
	if (i >= c->m->n || i >= v->row_off + c->L->rows_vis)
		return ROLE_NORMAL;
	if (view_quiz_hides(v, (int)p, i, col))
		return ROLE_PENDING;
	if (p != AV_PANEL_RNN && !view_row_computed(v, c->m, i))
		return ROLE_PENDING;
	if (c->inference && panel_table[p].is_grid && col > i)
		return ROLE_NORMAL;
	char text[64];
	role r = ROLE_NORMAL;
	panel_table[p].cell(text, sizeof text, &r, c, i, col);
	return r;
}

/* The mark of the line holding rows i0 and i0 + 1 of panel p: the leak
 * mark when a shown cell of either row has one (it wins, as in the glyph
 * view), else the changed mark, else NULL; *r its role. */
static const char *line_mark(const draw_ctx *c, av_panel_id p, int i0, role *r)
{
	const view *v = c->v;
	const char *mark = NULL;
	for (int i = i0; i < i0 + 2 && i < c->m->n; i++) {
		if (p != AV_PANEL_RNN && (!view_row_computed(v, c->m, i) || !view_panel_reached(v, p)))
			continue;
		int cols = panel_table[p].is_grid ? c->m->n : c->L->panel[p].cells;
		for (int col = 0; col < cols; col++) {
			if (view_quiz_hides(v, (int)p, i, col) ||
			    (c->inference && panel_table[p].is_grid && col > i))
				continue;
			role mr = ROLE_NORMAL;
			const char *m = panel_cell_mark(c, p, i, col, &mr);
			if (m && (!mark || mr == ROLE_LEAK)) {
				mark = m;
				*r = mr;
				if (mr == ROLE_LEAK)
					return mark;
			}
		}
	}
	return mark;
}

/* One half-block cell with its colour pair (a pair number past the 256 of
 * COLOR_PAIR, hence setcchar). */
static void put_half(int y, int x, const wchar_t *glyph, attr_t a, short pair)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	cchar_t cc;
	setcchar(&cc, glyph, a, pair, NULL);
	mvadd_wch(y, x, &cc);
}

void heat_draw_panel(const draw_ctx *c, av_panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	const view *v = c->v;
	const av_model *m = c->m;
	bool focused = v->focus == p;
	static const wchar_t upper[] = {0x2580, 0}, lower[] = {0x2584, 0}, blank[] = {L' ', 0};

	grid_draw_title(c, p);
	grid_draw_header(c, p);
	for (int r = 0; 2 * r < c->L->rows_vis; r++) {
		int i0 = v->row_off + 2 * r, i1 = i0 + 1;
		if (i0 >= m->n)
			break;
		int y = b->r.y + LAYOUT_HEAD_ROWS + r;
		int step = m->rnn_steps - 1;
		bool step_line = step == i0 || step == i1;
		role mr = ROLE_NORMAL;
		const char *mark = b->r.x > 0 && p != AV_PANEL_PRED ? line_mark(c, p, i0, &mr) : NULL;
		if (mark) /* the column before a panel is blank: a gap, or the label's last */
			screen_put(y, b->r.x - 1, 1, A(c, mr), mark, c->t->utf8);
		if (p == AV_PANEL_RNN) { /* the edge column: the upper row's */
			const char *edge = i0 >= m->rnn_steps ? c->t->pending
					   : i0 == 0	  ? c->t->edge_first
							  : c->t->edge;
			role er = i0 >= m->rnn_steps ? ROLE_PENDING : step_line ? ROLE_EDGE : ROLE_LABEL;
			screen_put(y, b->r.x, 1, A(c, er), edge, c->t->utf8);
		}
		for (int k = 0; k < b->cells; k++) {
			int col = panel_table[p].is_grid ? v->col_off + k : k;
			if (panel_table[p].is_grid && col >= m->n)
				break;
			role top = heat_role(c, p, i0, col), bot = heat_role(c, p, i1, col);
			bool cursor = focused && (p == AV_PANEL_RNN ? step_line
								    : (v->ci == i0 || v->ci == i1) && col == v->cj);
			attr_t a = cursor ? A_UNDERLINE : A_NORMAL;
			int x = b->first_x + k * b->cell_w;
			if (top == ROLE_NORMAL && bot == ROLE_NORMAL)
				put_half(y, x, blank, a, 0);
			else if (top == ROLE_NORMAL)
				put_half(y, x, lower, a, theme_heat_pair(c->t, bot, ROLE_NORMAL));
			else
				put_half(y, x, upper, a, theme_heat_pair(c->t, top, bot));
		}
	}
}
