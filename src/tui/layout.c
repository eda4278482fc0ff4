/* Screen layout as a pure function: see layout.h. */
#include "tui/layout.h"

#include <string.h>

/* Fixed rows: title, tokens, detail line, status line. */
#define FIXED_ROWS 4
/* Counters under the bands when they do not fit beside the last one. */
#define INFO_BELOW_ROWS 2
/* Shortest titles, so that a narrow panel still names itself. */
static const int title_min_w[AV_PANEL_COUNT] = {3, 6, 4, 6, 7, 3, 11};
static const char *const panel_names[AV_PANEL_COUNT] = {"RNN",	   "scores", "mask",	    "masked",
						       "softmax", "z",	    "predictions"};

const char *layout_panel_name(av_panel_id p)
{
	return (p >= 0 && p < AV_PANEL_COUNT) ? panel_names[p] : "?";
}

static int max_i(int a, int b)
{
	return a > b ? a : b;
}

static int min_i(int a, int b)
{
	return a < b ? a : b;
}

static int digits(int n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Width of every panel for cell width cw and k key columns per grid. */
static void panel_widths(int pw[AV_PANEL_COUNT], const layout *L, int cw, int k)
{
	int vec_h = min_i(L->d_hidden, LAYOUT_VEC_MAX);
	int vec_z = min_i(L->d_head, LAYOUT_VEC_MAX);
	pw[AV_PANEL_RNN] = LAYOUT_EDGE_W + vec_h * cw;
	pw[AV_PANEL_SCORES] = k * cw;
	pw[AV_PANEL_MASK] = k * (cw == 1 ? 1 : LAYOUT_CELL_MASK);
	pw[AV_PANEL_MASKED] = k * cw;
	pw[AV_PANEL_SOFTMAX] = k * cw;
	pw[AV_PANEL_OUTPUT] = vec_z * cw;
	pw[AV_PANEL_PRED] = LAYOUT_PRED_CELLS * LAYOUT_CELL_PRED;
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		pw[p] = max_i(pw[p], title_min_w[p]);
}

/* A candidate arrangement: which panels, which cell width, how many key
 * columns, query rows per line (2: a heatmap). Fills L (bands, x
 * positions, rows_vis) and returns rows_vis, or -1 when a panel is wider
 * than the screen. */
static int try_pack_rows(layout *L, const bool use[AV_PANEL_COUNT], int cw, int k, int rpl)
{
	int pw[AV_PANEL_COUNT];
	int end_x[AV_PANEL_COUNT] = {0};
	int band = 0, x = L->label_w;
	bool any = false;

	panel_widths(pw, L, cw, k);
	for (int p = 0; p < AV_PANEL_COUNT; p++) {
		L->panel[p].visible = false;
		if (!use[p])
			continue;
		if (L->label_w + pw[p] > L->cols)
			return -1;
		int gap = any && x > L->label_w ? 1 : 0;
		if (x + gap + pw[p] > L->cols) {
			band++;
			x = L->label_w;
			gap = 0;
		}
		panel_box *b = &L->panel[p];
		b->visible = true;
		b->r.x = x + gap;
		b->r.w = pw[p];
		b->cell_w = p == AV_PANEL_MASK && cw > 1 ? LAYOUT_CELL_MASK
			    : p == AV_PANEL_PRED	   ? LAYOUT_CELL_PRED
						   : cw;
		b->first_x = b->r.x + (p == AV_PANEL_RNN ? LAYOUT_EDGE_W : 0);
		b->cells = p == AV_PANEL_RNN ? min_i(L->d_hidden, LAYOUT_VEC_MAX)
			 : p == AV_PANEL_OUTPUT	  ? min_i(L->d_head, LAYOUT_VEC_MAX)
			 : p == AV_PANEL_PRED	  ? LAYOUT_PRED_CELLS
					  : k;
		L->panel_band[p] = band;
		x += gap + pw[p];
		end_x[band] = x;
		any = true;
	}
	L->n_bands = band + 1;
	L->grid_cols = k;

	/* Counters and explanations on full-width lines under the bands;
	 * beside the last band only when that alone lets every row show (a
	 * narrow column wraps them mid-sentence). */
	int free_w = L->cols - end_x[band] - 2;
	int avail = L->lines - FIXED_ROWS - L->caption.h - INFO_BELOW_ROWS -
		    L->n_bands * LAYOUT_HEAD_ROWS;
	bool beside = false;
	int need = (L->n + rpl - 1) / rpl; /* lines for every row */
	if (avail / L->n_bands < need && free_w >= LAYOUT_INFO_MIN_W &&
	    (avail + INFO_BELOW_ROWS) / L->n_bands >= need) {
		beside = true;
		avail += INFO_BELOW_ROWS;
	}
	if (avail < L->n_bands)
		return 0;
	int lines_b = min_i(need, avail / L->n_bands);
	int rows = min_i(L->n, lines_b * rpl);
	L->rows_per_line = rpl;

	/* Spare lines become gaps: under the tokens, then between bands. */
	int used = FIXED_ROWS + L->caption.h + (beside ? 0 : INFO_BELOW_ROWS) +
		   L->n_bands * (LAYOUT_HEAD_ROWS + lines_b);
	int spare = L->lines - used;
	int gap_top = spare > 0 ? 1 : 0;
	spare -= gap_top;
	int gap_band = spare >= L->n_bands ? 1 : 0;

	int y = 2 + gap_top;
	for (int b = 0; b < L->n_bands; b++) {
		L->band_y[b] = y;
		y += LAYOUT_HEAD_ROWS + lines_b + gap_band;
	}
	for (int p = 0; p < AV_PANEL_COUNT; p++) {
		if (!L->panel[p].visible)
			continue;
		L->panel[p].r.y = L->band_y[L->panel_band[p]];
		L->panel[p].r.h = LAYOUT_HEAD_ROWS + lines_b;
	}
	L->detail_y = L->lines - 2;
	L->status_y = L->lines - 1;
	L->caption.x = 0;
	L->caption.w = L->cols;
	L->caption.y = L->detail_y - L->caption.h;
	if (beside) {
		L->info.x = end_x[band] + 2;
		L->info.y = L->band_y[band];
		L->info.w = L->cols - L->info.x;
		L->info.h = L->caption.y - L->info.y;
	} else {
		L->info.x = 0;
		L->info.y = y - gap_band;
		L->info.w = L->cols;
		L->info.h = L->caption.y - L->info.y;
	}
	L->rows_vis = rows;
	return rows;
}

static int try_pack(layout *L, const bool use[AV_PANEL_COUNT], int cw, int k)
{
	return try_pack_rows(L, use, cw, k, 1);
}

/* The heatmap: every panel if all rows fit, else RNN + grid + z_n, else
 * the grid alone; the most rows shown (more panels on a tie). Returns
 * whether one fits at all. */
static bool try_heat(layout *L, const bool all[AV_PANEL_COUNT], av_panel_id grid)
{
	bool sets[3][AV_PANEL_COUNT];
	memset(sets, 0, sizeof sets);
	if (grid < AV_PANEL_SCORES || grid > AV_PANEL_SOFTMAX || !all[grid])
		grid = AV_PANEL_SOFTMAX;
	for (int p = 0; p < AV_PANEL_COUNT; p++) {
		sets[0][p] = all[p];
		sets[1][p] = all[p] && (p == AV_PANEL_RNN || p == (int)grid || p == AV_PANEL_OUTPUT);
	}
	sets[2][grid] = true;
	int best = -1, best_rows = 0;
	for (int s = 0; s < 3; s++) {
		int rows = try_pack_rows(L, sets[s], 1, L->n, 2);
		if (rows > best_rows) {
			best = s;
			best_rows = rows;
		}
		if (rows == L->n)
			break;
	}
	if (best < 0 || best_rows < min_i(L->n, 6))
		return false;
	try_pack_rows(L, sets[best], 1, L->n, 2);
	L->mode = LAYOUT_HEAT;
	return true;
}

static void set_too_small(layout *L)
{
	L->mode = LAYOUT_TOO_SMALL;
	L->n_bands = 0;
	L->rows_vis = 0;
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		L->panel[p].visible = false;
}

static void compute(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
		    int label_tok_w, int caption_rows, unsigned hidden, bool big, bool heat_ok,
		    av_panel_id heat_grid, layout_pred pred)
{
	/* the grids; the predictions only in the tries that ask for them */
	bool all[AV_PANEL_COUNT] = {true, true, true, true, true, true, false};
	bool required[AV_PANEL_COUNT] = {true, true, true, false, true, false, false};
	unsigned grids = (1u << AV_PANEL_PRED) - 1;
	if ((hidden & grids) == grids)
		hidden &= ~grids; /* nothing left to show: show everything */
	for (int p = 0; p < AV_PANEL_PRED; p++) {
		all[p] = !(hidden & (1u << p));
		required[p] = required[p] && all[p];
	}
	if (hidden & (1u << AV_PANEL_PRED)) /* a lesson step keeps them off */
		pred = LAYOUT_PRED_NONE;

	memset(L, 0, sizeof *L);
	L->cols = cols;
	L->lines = lines;
	L->n = n = max_i(n, 1);
	L->d_hidden = max_i(d_hidden, 1);
	L->d_head = max_i(d_head, 1);
	L->title_y = 0;
	L->tokens_y = 1;
	L->caption.h = caption_rows > 0 ? caption_rows : 0;
	L->label_w = digits(n) + 1 + min_i(max_i(label_tok_w, 1), LAYOUT_TOKEN_MAX) + 1;

	/* The smallest usable screen: glyph cells, RNN + scores over mask +
	 * softmax, three rows and three columns (fewer if the sentence is
	 * shorter). */
	int kmin = min_i(n, 3);
	int pw[AV_PANEL_COUNT];
	panel_widths(pw, L, LAYOUT_CELL_COMPACT, kmin);
	L->need_w = max_i(40, L->label_w + max_i(pw[AV_PANEL_RNN] + 1 + pw[AV_PANEL_SCORES],
						  pw[AV_PANEL_MASK] + 1 + pw[AV_PANEL_SOFTMAX]));
	L->need_h = FIXED_ROWS + INFO_BELOW_ROWS + 2 * (LAYOUT_HEAD_ROWS + kmin);

	if (cols < 1 || lines < 1 || cols < L->need_w || lines < L->need_h) {
		set_too_small(L);
		return;
	}

	/* With the predictions, first, only when every row and column shows;
	 * forced, also beside the RNN and softmax alone, scrolling. */
	if (pred != LAYOUT_PRED_NONE) {
		bool all_pred[AV_PANEL_COUNT], some_pred[AV_PANEL_COUNT];
		bool min_pred[AV_PANEL_COUNT] = {false};
		for (int p = 0; p < AV_PANEL_COUNT; p++) {
			all_pred[p] = all[p] || p == AV_PANEL_PRED;
			some_pred[p] = required[p] || p == AV_PANEL_PRED;
		}
		min_pred[AV_PANEL_RNN] = min_pred[AV_PANEL_SOFTMAX] = min_pred[AV_PANEL_PRED] = true;
		if (big && try_pack(L, all_pred, LAYOUT_CELL_BIG, n) == n) {
			L->mode = LAYOUT_NUMERIC;
			return;
		}
		if (try_pack(L, all_pred, LAYOUT_CELL_NUMERIC, n) == n) {
			L->mode = LAYOUT_NUMERIC;
			return;
		}
		if (try_pack(L, all_pred, LAYOUT_CELL_COMPACT, n) == n ||
		    try_pack(L, some_pred, LAYOUT_CELL_COMPACT, n) == n) {
			L->mode = LAYOUT_COMPACT;
			return;
		}
		for (int k = n; pred == LAYOUT_PRED_FORCED && k >= kmin; k--)
			if (try_pack(L, min_pred, LAYOUT_CELL_COMPACT, k) >= min_i(n, 3)) {
				L->mode = LAYOUT_COMPACT;
				return;
			}
	}
	/* 0 (presenter mode), 1, 2: everything at once, numbers in wide
	 * cells, numbers, else glyphs. */
	if (big && try_pack(L, all, LAYOUT_CELL_BIG, n) == n) {
		L->mode = LAYOUT_NUMERIC;
		return;
	}
	if (try_pack(L, all, LAYOUT_CELL_NUMERIC, n) == n) {
		L->mode = LAYOUT_NUMERIC;
		return;
	}
	if (try_pack(L, all, LAYOUT_CELL_COMPACT, n) == n) {
		L->mode = LAYOUT_COMPACT;
		return;
	}
	/* 2b: a heatmap keeps the whole triangle (or most of it) in view,
	 * when scrolling glyphs would cut off key columns or most rows */
	if (heat_ok) {
		int best_k = 0, best_rows = 0;
		for (int k = n; k >= kmin; k--) {
			int rows = try_pack(L, all, LAYOUT_CELL_COMPACT, k);
			if (rows >= min_i(n, 5) && rows * k > best_rows * best_k) {
				best_k = k;
				best_rows = rows;
			}
		}
		if ((best_k < n || 2 * best_rows < n) && try_heat(L, all, heat_grid))
			return;
	}
	/* 3, 4: scroll; the most cells shown, all panels if each band still
	 * shows a useful number of rows. */
	const bool *sets[2] = {all, required};
	int min_rows[2] = {min_i(n, 5), kmin};
	for (int s = 0; s < 2; s++) {
		int best_k = 0, best_score = 0;
		for (int k = n; k >= kmin; k--) {
			int rows = try_pack(L, sets[s], LAYOUT_CELL_COMPACT, k);
			if (rows >= min_rows[s] && rows * k > best_score) {
				best_score = rows * k;
				best_k = k;
			}
		}
		if (best_k > 0) {
			try_pack(L, sets[s], LAYOUT_CELL_COMPACT, best_k);
			L->mode = LAYOUT_COMPACT;
			return;
		}
	}
	set_too_small(L);
}

void layout_compute(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
		    int label_tok_w)
{
	compute(L, cols, lines, n, d_hidden, d_head, label_tok_w, 0, 0, false, false, AV_PANEL_NONE,
		LAYOUT_PRED_NONE);
}

void layout_compute_caption(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
			    int label_tok_w, int caption_rows)
{
	layout_want w = {.caption_rows = caption_rows, .heat_grid = AV_PANEL_NONE};
	layout_compute_want(L, cols, lines, n, d_hidden, d_head, label_tok_w, &w);
}

void layout_compute_want(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
			 int label_tok_w, const layout_want *w)
{
	int caption_rows = w->caption_rows;
	int tries[3] = {caption_rows, caption_rows < 2 ? caption_rows : 2, 0};
	for (int k = 0; k < 3; k++) {
		compute(L, cols, lines, n, d_hidden, d_head, label_tok_w, tries[k], w->hidden,
			w->big, w->heat_ok, w->heat_grid, w->pred);
		if (L->mode != LAYOUT_TOO_SMALL) {
			L->pred_left_out = w->pred != LAYOUT_PRED_NONE &&
					   !(w->hidden & (1u << AV_PANEL_PRED)) &&
					   !L->panel[AV_PANEL_PRED].visible;
			return;
		}
	}
	L->caption.h = 0;
}

int layout_hit(const layout *L, int y, int x, int *row, int *col)
{
	*row = *col = -1;
	if (L->mode == LAYOUT_TOO_SMALL)
		return -1;
	for (int p = 0; p < AV_PANEL_COUNT; p++) {
		const panel_box *b = &L->panel[p];
		if (!b->visible || y < b->r.y || y >= b->r.y + b->r.h || x < b->r.x ||
		    x >= b->r.x + b->r.w)
			continue;
		int r = (y - b->r.y - LAYOUT_HEAD_ROWS) * (L->rows_per_line > 1 ? L->rows_per_line : 1);
		if (r >= 0 && r < L->rows_vis)
			*row = r;
		if (x >= b->first_x && x < b->first_x + b->cells * b->cell_w)
			*col = (x - b->first_x) / b->cell_w;
		return p;
	}
	return -1;
}
