/* The panel interface and the drawing context shared by the files that
 * draw one part of a frame (grid.c, tokens.c, info.c, caption.c,
 * detail.c, status_bar.c; frame.c puts them together). A panel is one
 * entry of panel_table: its title for a width and the text and role of
 * cell (i, col); the layout gives it a box, grid.c draws title, column
 * header, row cells, cursor and marks from the entry. Drawing only reads. */
#ifndef ATTNVIZ_TUI_PANELS_H
#define ATTNVIZ_TUI_PANELS_H

#include "attnviz/model.h"
#include "tui/colors.h"
#include "tui/frame.h"
#include "tui/layout.h"
#include "tui/view.h"

/* What every part of a frame reads, computed once per frame (ui_draw). */
typedef struct {
	const av_model *m;
	const view *v;
	const layout *L;
	const theme *t;
	const av_head_state *hs;
	float score_scale; /* max |finite score| of the head */
	float z_scale;     /* max |z| of the head */
	bool inference;    /* rows from tokens 1..i, rows >= step pending */
	const av_model *prev; /* the sentence before the last edit, or NULL */
} draw_ctx;

/* One panel's interface: its title for a width (long or short form) and
 * cell (i, col) (absolute indices) as text and role. Sizes come from the
 * layout; the column header and the RNN's edge column are drawn by
 * grid.c from is_grid and the panel id. */
typedef struct {
	void (*title)(char *out, size_t size, const draw_ctx *c, int width);
	void (*cell)(char *out, size_t size, role *r, const draw_ctx *c, int i, int col);
	bool is_grid; /* columns are keys k_j (scroll with col_off) */
	/* The column header of cell col, or NULL: numbers / tokens. */
	void (*header)(char *out, size_t size, const draw_ctx *c, int col);
} panel_ops;

extern const panel_ops panel_table[AV_PANEL_COUNT];

/* The mark after cell (i, col) of panel p: a leak (weight on a later key,
 * in the softmax panel of the training view), else a value the last edit
 * changed (causality test); NULL for none, *r its role. */
const char *panel_cell_mark(const draw_ctx *c, av_panel_id p, int i, int col, role *r);

static inline attr_t A(const draw_ctx *c, role r)
{
	return c->t->attr[r];
}

/* Glyph cells (compact layout) rather than numbers. */
static inline bool draw_compact(const draw_ctx *c)
{
	return c->L->mode != LAYOUT_NUMERIC;
}

/* predictions.c: the predictions panel's title, header and cells; whether
 * cell (i, col) is pending (col 1 RNN, 2 attention), the prediction wrong,
 * attention's column the generator's (inference view). */
void pred_title(char *out, size_t size, const draw_ctx *c, int width);
void pred_header(char *out, size_t size, const draw_ctx *c, int col);
void pred_cell(char *out, size_t size, role *r, const draw_ctx *c, int i, int col);
bool pred_cell_pending(const draw_ctx *c, int i, int col);
bool pred_wrong(const draw_ctx *c, int i, int col);
bool pred_attn_incremental(const draw_ctx *c);

/* plot.c: live training in the counters' place (status, caption, loss
 * curves); returns the rows used from y up to end. */
int train_block_draw(const draw_ctx *c, int y, int end);
void train_status(char *out, size_t size, const draw_ctx *c);
void train_caption(char *out, size_t size, const draw_ctx *c);

/* The parts of a frame, each in its own file. */
void grid_draw_labels(const draw_ctx *c, int band_y); /* grid.c: row labels of a band */
void grid_draw_panel(const draw_ctx *c, av_panel_id p);  /* grid.c: one panel */
void grid_draw_title(const draw_ctx *c, av_panel_id p);  /* grid.c: a panel's title */
void grid_draw_header(const draw_ctx *c, av_panel_id p); /* grid.c: its column header */
void heat_draw_panel(const draw_ctx *c, av_panel_id p);  /* heat.c: one panel as a heatmap */
void tokens_draw(const draw_ctx *c);      /* tokens.c: the token strip */
void info_draw(const draw_ctx *c);        /* info.c: counters, checks, legend */
void caption_draw(const draw_ctx *c);     /* caption.c: lesson captions, quiz question */
void detail_draw(const draw_ctx *c);      /* detail.c: numbers of the selection */
void status_bar_draw(const draw_ctx *c);  /* status_bar.c: key hints, message, editor */

/* caption.c: rows the caption panel wants at width cols (0: none). */
int caption_rows(const av_model *m, const view *v, const theme *t, int cols);

#endif
