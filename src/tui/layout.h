/* Screen layout: a pure function from (terminal size, number of tokens,
 * vector sizes) to panel rectangles, cell width and mode. Knows nothing of
 * curses or of the model's numbers, so it is tested without a terminal.
 *
 * Rows of every panel are positions (row i = token i = query q_i = h_i), so
 * panels sit side by side in horizontal bands that share one row-label
 * column. */
#ifndef ATTNVIZ_TUI_LAYOUT_H
#define ATTNVIZ_TUI_LAYOUT_H

#include <stdbool.h>
#include "attnviz/panel.h"

typedef enum {
	LAYOUT_TOO_SMALL, /* only the "terminal too small" message */
	LAYOUT_COMPACT,   /* one glyph per cell, numbers in the detail line */
	LAYOUT_NUMERIC,   /* numbers in the cells */
	LAYOUT_HEAT,      /* a heatmap: one column per cell, two query rows per
			   * line (upper and lower half block, by colour) */
} layout_mode;

#define LAYOUT_CELL_NUMERIC 6 /* "-0.12 " */
#define LAYOUT_CELL_BIG 7     /* presenter mode: "-0.12  " */
#define LAYOUT_CELL_COMPACT 2 /* glyph + space */
#define LAYOUT_CELL_MASK 2    /* "1 " */
#define LAYOUT_VEC_MAX 8      /* vector components shown in a row */
#define LAYOUT_TOKEN_MAX 6    /* columns of a token in a row label */
#define LAYOUT_EDGE_W 2       /* the RNN's edge column ("↓ ") */
#define LAYOUT_HEAD_ROWS 2    /* a panel's title row and column-header row */
#define LAYOUT_INFO_MIN_W 36  /* counters beside the last band if this wide */
#define LAYOUT_CELL_PRED 17   /* a prediction: "cat    .12 2.12x " */
#define LAYOUT_PRED_CELLS 3   /* target, RNN, attention */

typedef struct {
	int y, x, h, w;
} rect;

typedef struct {
	bool visible;
	rect r;      /* title row, header row, then rows_vis cell rows */
	int cell_w;  /* columns per cell */
	int cells;   /* cells shown per row */
	int first_x; /* x of the first cell (after the RNN edge column) */
} panel_box;

typedef struct {
	layout_mode mode;
	int cols, lines;
	int need_w, need_h; /* the smallest usable size (for the message) */
	int n, d_hidden, d_head;

	int title_y, tokens_y;
	int label_w;  /* row labels "3 sat " at x = 0 of every band */
	int n_bands;
	int band_y[AV_PANEL_COUNT]; /* top (title row) of each band */
	int rows_vis;  /* query rows shown in each band (<= n) */
	int rows_per_line; /* 2 in a heatmap, else 1 */
	int grid_cols; /* key columns shown in each n x n grid (<= n) */
	panel_box panel[AV_PANEL_COUNT];
	int panel_band[AV_PANEL_COUNT]; /* band of each visible panel */
	bool pred_left_out; /* predictions asked for but no room */
	rect info;    /* counters (RNN vs attention) and legend */
	rect caption; /* lesson captions or the quiz question (h = 0: none) */
	int detail_y; /* numbers of the selected row/cell */
	int status_y; /* keys, messages, the line editor */
} layout;

/* Lay out a cols x lines screen for n tokens (1..64), RNN states of d_hidden
 * and heads of d_head components. label_tok_w is the widest token label in
 * columns (clipped to LAYOUT_TOKEN_MAX). Tries, in order: numbers in cells
 * with every row and column; glyphs with every row and column; glyphs with
 * scrolling rows/columns (all panels, then only RNN, scores, mask, softmax).
 * When nothing fits, mode is LAYOUT_TOO_SMALL and need_w x need_h says what
 * would. */
void layout_compute(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
		    int label_tok_w);

/* Like layout_compute, with caption_rows full-width rows above the detail
 * line for a lesson's captions or a quiz question. When they do not fit,
 * the caption gets 2 rows, then none (L->caption.h says what it got): the
 * grids stay visible. */
void layout_compute_caption(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
			    int label_tok_w, int caption_rows);

/* Whether to place the predictions panel (AV_PANEL_PRED). */
typedef enum {
	LAYOUT_PRED_NONE,
	LAYOUT_PRED_FITS,   /* when every row still shows: beside every panel, else in
			     * place of the masked-scores and z_n panels */
	LAYOUT_PRED_FORCED, /* also beside the RNN and softmax alone, rows scrolling */
} layout_pred;

/* What a frame asks of the layout beyond the sizes. */
typedef struct {
	int caption_rows; /* full-width rows for a lesson's captions or the quiz */
	unsigned hidden;  /* panels kept off (bit 1 << av_panel_id): a lesson step
			   * has not introduced them, or presenter mode */
	bool big;         /* presenter mode: numbers in wider cells first */
	bool heat_ok;     /* the terminal can draw a heatmap (colours, pairs) */
	av_panel_id heat_grid; /* the grid a heatmap keeps when not all fit */
	layout_pred pred; /* the predictions panel; when it finds no room,
			   * L->pred_left_out */
} layout_want;

/* Like layout_compute_caption, with w's wishes: the others take the room
 * of the hidden panels (hiding every panel shows them all); when glyph
 * cells cannot show every row and column and w->heat_ok, a heatmap (all
 * panels, else RNN, heat_grid and z_n, else heat_grid alone) before
 * scrolling glyphs. */
void layout_compute_want(layout *L, int cols, int lines, int n, int d_hidden, int d_head,
			 int label_tok_w, const layout_want *w);

/* The panel under screen cell (y, x), or -1; *row / *col get the query row
 * and key column (or vector component) index relative to the first shown,
 * -1 on the title/header rows or the RNN edge column. */
int layout_hit(const layout *L, int y, int x, int *row, int *col);

/* Short English name of a panel ("scores"), for messages and tests. */
const char *layout_panel_name(av_panel_id p);

#endif
