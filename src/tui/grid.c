/* The bands of panels: row labels, a panel's title, column header and
 * cells with the cursor, the step's row and the marks. */
#include "tui/panels.h"

#include <stdio.h>

#include "tui/screen.h"

void grid_draw_labels(const draw_ctx *c, int band_y)
{
	const layout *L = c->L;
	int idx_w = 1;
	for (int n = c->m->n; n >= 10; n /= 10)
		idx_w++;
	screen_put(band_y + 1, 0, L->label_w - 1, A(c, ROLE_LABEL), "c_n", c->t->utf8);
	for (int r = 0; r < L->rows_vis; r++) {
		int i = c->v->row_off + r;
		if (i >= c->m->n)
			break;
		bool cur = i == c->m->rnn_steps - 1;
		char idx[16];
		snprintf(idx, sizeof idx, "%*d", idx_w & 7, (i + 1) % 1000);
		attr_t a = A(c, cur ? ROLE_STEP : ROLE_LABEL);
		int y = band_y + LAYOUT_HEAD_ROWS + r;
		screen_put(y, 0, idx_w, a, idx, c->t->utf8);
		screen_put(y, idx_w + 1, L->label_w - idx_w - 2, a, c->m->tokens.text[i], c->t->utf8);
	}
}

static void draw_header(const draw_ctx *c, av_panel_id p, const panel_box *b)
{
	int y = b->r.y + 1;
	char buf[32];
	bool numeric = b->cell_w >= LAYOUT_CELL_NUMERIC;
	if (p == AV_PANEL_RNN)
		screen_put(y, b->r.x, LAYOUT_EDGE_W, A(c, ROLE_LABEL), "h", c->t->utf8);
	bool skip = false;
	for (int k = 0; k < b->cells; k++) {
		int col = panel_table[p].is_grid ? c->v->col_off + k : k;
		int x = b->first_x + k * b->cell_w;
		if (panel_table[p].is_grid && numeric) {
			screen_put_aligned(y, x, b->cell_w - 1, A(c, ROLE_LABEL),
					   c->m->tokens.text[col], c->t->utf8, 1);
			continue;
		}
		if (numeric) {
			snprintf(buf, sizeof buf, "%d", col + 1);
			screen_put_aligned(y, x, b->cell_w - 1, A(c, ROLE_LABEL), buf, c->t->utf8,
					   1);
			continue;
		}
		/* glyph cells: up to 9 columns one digit each; from 10 on, every
		 * 5th column (and the first shown) in full, the last digit
		 * between them, a blank after a two-digit number */
		int num = col + 1;
		bool grid = panel_table[p].is_grid && c->m->n >= 10;
		bool last = k == b->cells - 1 && c->v->col_off + b->cells < c->m->n;
		bool full = grid && (num % 5 == 0 || k == 0) && !last;
		if (skip) { /* the cell after a two-digit number */
			skip = false;
			continue;
		}
		skip = full && num >= 10;
		snprintf(buf, sizeof buf, "%d", full ? num : num % 10);
		screen_put(y, x, full ? b->cell_w : 1, A(c, ROLE_LABEL), buf, c->t->utf8);
	}
	if (panel_table[p].is_grid && c->v->col_off > 0 && b->first_x > 0) /* more on the left */
		screen_put(y, b->first_x - 1, 1, A(c, ROLE_LABEL), c->t->utf8 ? "…" : "<",
			   c->t->utf8);
	int total = p == AV_PANEL_RNN ? c->m->cfg.d_hidden : p == AV_PANEL_OUTPUT ? c->m->w.d_head : c->m->n;
	int shown_end = (panel_table[p].is_grid ? c->v->col_off : 0) + b->cells;
	if (shown_end < total) /* more columns to the right */
		screen_put(y, b->first_x + b->cells * b->cell_w - 1, 1, A(c, ROLE_LABEL),
			   c->t->ellipsis, c->t->utf8);
}

void grid_draw_panel(const draw_ctx *c, av_panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	const view *v = c->v;
	const av_model *m = c->m;
	bool focused = v->focus == p;
	char title[128], text[64];

	/* Title: the long form when it fits with two spaces before the next
	 * panel's title, else the short one (one space); a marker on the
	 * focused panel when there is room for it. */
	int next = c->L->cols + 2;
	for (int q = 0; q < AV_PANEL_COUNT; q++) {
		const panel_box *o = &c->L->panel[q];
		if (q != (int)p && o->visible && o->r.y == b->r.y && o->r.x > b->r.x &&
		    o->r.x < next)
			next = o->r.x;
	}
	const rect *in = &c->L->info; /* counters beside this band: stop before them */
	if (in->h > 0 && in->x > b->r.x && in->x < next && b->r.y >= in->y &&
	    b->r.y < in->y + in->h)
		next = in->x;
	int mark = focused ? 1 : 0;
	int room_long = next - 2 - b->r.x - mark;
	panel_table[p].title(title, sizeof title, c, room_long < 40 ? room_long : 40);
	int tw = screen_width(title, c->t->utf8);
	if (tw > next - 1 - b->r.x - mark) { /* short title, no marker */
		panel_table[p].title(title, sizeof title, c, b->r.w);
		tw = screen_width(title, c->t->utf8);
		if (tw + mark > next - 1 - b->r.x)
			mark = 0;
	}
	if (mark)
		screen_put(b->r.y, b->r.x, 1, A(c, ROLE_TITLE_FOCUS), c->t->utf8 ? "▸" : ">",
			   c->t->utf8);
	screen_put(b->r.y, b->r.x + mark, next - 1 - b->r.x - mark,
		   A(c, focused ? ROLE_TITLE_FOCUS : ROLE_TITLE), title, c->t->utf8);

	draw_header(c, p, b);

	for (int r = 0; r < c->L->rows_vis; r++) {
		int i = v->row_off + r;
		if (i >= c->m->n)
			break;
		int y = b->r.y + LAYOUT_HEAD_ROWS + r;
		bool step_row = i == m->rnn_steps - 1;
		if (p == AV_PANEL_RNN) {
			const char *edge = i >= m->rnn_steps ? c->t->pending
					   : i == 0	 ? c->t->edge_first
							 : c->t->edge;
			role er = i >= m->rnn_steps ? ROLE_PENDING : step_row ? ROLE_EDGE : ROLE_LABEL;
			attr_t ea = A(c, er) | (focused && step_row ? A(c, ROLE_CURSOR) : 0);
			screen_put(y, b->r.x, 1, ea, edge, c->t->utf8);
		}
		for (int k = 0; k < b->cells; k++) {
			int col = panel_table[p].is_grid ? v->col_off + k : k;
			if (panel_table[p].is_grid && col >= c->m->n)
				break;
			role rl = ROLE_NORMAL, mr = ROLE_NORMAL;
			const char *cmark = NULL;
			if (view_quiz_hides(v, (int)p, i, col)) {
				snprintf(text, sizeof text, "?");
				rl = ROLE_PENDING;
			} else if (p != AV_PANEL_RNN && !view_row_computed(v, m, i)) {
				snprintf(text, sizeof text, "%s", c->t->pending);
				rl = ROLE_PENDING;
			} else if (c->inference && panel_table[p].is_grid && col > i) {
				text[0] = '\0'; /* the decoder has no k_j for j > i yet */
			} else {
				panel_table[p].cell(text, sizeof text, &rl, c, i, col);
				cmark = panel_cell_mark(c, p, i, col, &mr);
			}
			attr_t a = A(c, rl);
			bool cursor = focused && (p == AV_PANEL_RNN ? step_row : i == v->ci && col == v->cj);
			if (cursor)
				a |= A(c, ROLE_CURSOR);
			else if (step_row) /* the row of step t, in every panel */
				a |= A_UNDERLINE;
			int x = b->first_x + k * b->cell_w;
			if (b->cell_w >= LAYOUT_CELL_NUMERIC)
				screen_put_aligned(y, x, b->cell_w - 1, a, text, c->t->utf8, 1);
			else
				screen_put(y, x, b->cell_w, a, text, c->t->utf8);
			if (cmark)
				screen_put(y, x + b->cell_w - 1, 1, A(c, mr), cmark, c->t->utf8);
		}
	}
}
