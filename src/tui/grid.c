/* The bands of panels: row labels, a panel's title, column header and
 * cells with the cursor, the step's row and the marks. */
#include "tui/panels.h"

#include <stdio.h>
#include <string.h>

#include "tui/screen.h"

void grid_draw_labels(const draw_ctx *c, int band_y)
{
	const layout *L = c->L;
	int idx_w = 1;
	for (int n = c->m->n; n >= 10; n /= 10)
		idx_w++;
	screen_put(band_y + 1, 0, L->label_w - 1, A(c, ROLE_LABEL), "c_n", c->t->utf8);
	int rpl = L->rows_per_line > 1 ? L->rows_per_line : 1; /* a heatmap: 2 rows a line */
	for (int r = 0; r * rpl < L->rows_vis; r++) {
		int i = c->v->row_off + r * rpl;
		if (i >= c->m->n)
			break;
		/* the step's row: bold where the step is what is looked at (the
		 * RNN or z_n focused, the inference view's newest row); with a
		 * grid cell selected, that cell's row is the one marked */
		bool grid_focus = c->v->focus != AV_PANEL_RNN && c->v->focus != AV_PANEL_OUTPUT;
		int step_i = c->m->rnn_steps - 1;
		bool cur = step_i >= i && step_i < i + rpl && (!grid_focus || c->inference);
		/* the selected row of a focused grid: its label is marked like
		 * the cursor cell */
		bool sel = c->v->focus != AV_PANEL_RNN && c->v->ci >= i && c->v->ci < i + rpl;
		char idx[16];
		snprintf(idx, sizeof idx, "%*d", idx_w & 7, (i + 1) % 1000);
		attr_t a = A(c, cur ? ROLE_STEP : ROLE_LABEL) | (sel ? A(c, ROLE_CURSOR) : 0);
		int y = band_y + LAYOUT_HEAD_ROWS + r;
		screen_put(y, 0, idx_w, a, idx, c->t->utf8);
		screen_put_cut(y, idx_w + 1, L->label_w - idx_w - 2, a, c->m->tokens.text[i], c->t->utf8);
	}
}

void grid_draw_header(const draw_ctx *c, av_panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	int y = b->r.y + 1;
	char buf[32];
	bool numeric = b->cell_w >= LAYOUT_CELL_NUMERIC;
	bool heat = b->cell_w == 1; /* a heatmap: a ruler, every 10th in full */
	if (p == AV_PANEL_RNN)
		screen_put(y, b->r.x, LAYOUT_EDGE_W, A(c, ROLE_LABEL), "h", c->t->utf8);
	if (panel_table[p].header) { /* the panel names its own columns */
		for (int k = 0; k < b->cells; k++) {
			panel_table[p].header(buf, sizeof buf, c, k);
			screen_put(y, b->first_x + k * b->cell_w, b->cell_w - 1, A(c, ROLE_LABEL), buf,
				   c->t->utf8);
		}
		return;
	}
	bool skip = false;
	for (int k = 0; k < b->cells; k++) {
		int col = panel_table[p].is_grid ? c->v->col_off + k : k;
		int x = b->first_x + k * b->cell_w;
		/* the cursor's column: its header is marked like the cell */
		attr_t la = c->v->focus == p && p != AV_PANEL_RNN && col == c->v->cj
				    ? A(c, ROLE_CURSOR)
				    : A(c, ROLE_LABEL);
		if (panel_table[p].is_grid && numeric) {
			screen_put_aligned(y, x, b->cell_w - 1, la,
					   c->m->tokens.text[col], c->t->utf8, 1);
			continue;
		}
		if (heat && panel_table[p].is_grid) {
			/* a ruler: every 10th column in full, right-aligned on it;
			 * ':' on every 5th, '·' between */
			int num = col + 1;
			if (num % 10 == 0 && k >= 1) {
				snprintf(buf, sizeof buf, "%d", num);
				int w = (int)strlen(buf);
				screen_put(y, x - w + 1, w, la, buf, c->t->utf8);
			} else {
				screen_put(y, x, 1, la, num == 1 ? "1" : num % 5 == 0 ? ":" : "·",
					   c->t->utf8);
			}
			continue;
		}
		if (numeric) {
			snprintf(buf, sizeof buf, "%d", col + 1);
			screen_put_aligned(y, x, b->cell_w - 1, la, buf, c->t->utf8, 1);
			continue;
		}
		/* glyph cells: up to 9 columns one digit each; from 10 on, the
		 * last digit, and every 5th column in full, right-aligned on its
		 * cell (it takes the space before it, so the column before it
		 * has no label, and it never runs into the next panel); the
		 * first shown column in full, left-aligned */
		int num = col + 1;
		bool grid = panel_table[p].is_grid && c->m->n >= 10;
		bool more = k == b->cells - 1 && c->v->col_off + b->cells < c->m->n;
		if (skip) { /* the cell after a two-digit first column */
			skip = false;
			continue;
		}
		if (grid && k == 0 && num >= 10) {
			snprintf(buf, sizeof buf, "%d", num);
			screen_put(y, x, b->cell_w, la, buf, c->t->utf8);
			skip = true;
			continue;
		}
		if (grid && num % 5 == 0 && num >= 10 && !more && k >= 2) {
			snprintf(buf, sizeof buf, "%d", num);
			screen_put(y, x - b->cell_w, b->cell_w, A(c, ROLE_LABEL), " ", c->t->utf8);
			screen_put(y, x - 1, 2, la, buf, c->t->utf8);
			continue;
		}
		snprintf(buf, sizeof buf, "%d", num % 10);
		screen_put(y, x, 1, la, buf, c->t->utf8);
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

void grid_draw_title(const draw_ctx *c, av_panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	bool focused = c->v->focus == p;
	char title[128];

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

}

void grid_draw_panel(const draw_ctx *c, av_panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	const view *v = c->v;
	const av_model *m = c->m;
	bool focused = v->focus == p;
	char text[64];

	grid_draw_title(c, p);
	grid_draw_header(c, p);

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
			attr_t ea = A(c, er) | (focused && step_row ? A(c, ROLE_CURSOR) : 0); /* a mark, not a value */
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
			} else if (p != AV_PANEL_RNN && p != AV_PANEL_PRED &&
				   (!view_row_computed(v, m, i) || !view_panel_reached(v, p))) {
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
			/* the cursor: underlined and bold, never inverted (its
			 * glyph keeps its meaning); the step's row is marked by its
			 * label, not on the values */
			if (cursor)
				a |= A(c, ROLE_CURSOR);
			int x = b->first_x + k * b->cell_w;
			/* with 256 colours the cursor also gets a background that
			 * keeps the value's colour (never inverted); a zero, −∞ or
			 * pending cell is drawn faintest, which on that background
			 * would vanish: there the label's colour reads "0" */
			role fg = rl == ROLE_MASKED || rl == ROLE_PENDING ? ROLE_LABEL : rl;
			short pair = cursor ? theme_heat_pair(c->t, fg, ROLE_CURSOR) : 0;
			if (p == AV_PANEL_PRED) /* words: left-aligned, the mark after */
				screen_put_aligned(y, x, b->cell_w - 2, a, text, c->t->utf8, -1);
			else if (pair && b->cell_w >= LAYOUT_CELL_NUMERIC)
				screen_put_aligned_pair(y, x, b->cell_w - 1, a, pair, text, c->t->utf8, 1);
			else if (pair)
				screen_put_pair(y, x, b->cell_w, a, pair, text, c->t->utf8);
			else if (b->cell_w >= LAYOUT_CELL_NUMERIC)
				screen_put_aligned(y, x, b->cell_w - 1, a, text, c->t->utf8, 1);
			else
				screen_put(y, x, b->cell_w, a, text, c->t->utf8);
			if (cmark) /* a prediction's mark right after its loss, a gap before the next */
				screen_put(y, x + b->cell_w - (p == AV_PANEL_PRED ? 2 : 1), 1, A(c, mr),
					   cmark, c->t->utf8);
		}
	}
}
