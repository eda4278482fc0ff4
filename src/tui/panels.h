/* Drawing: one frame of the TUI from a const model, view and layout. Each
 * panel has the same small interface (title, column header, cell, detail
 * line); a frame is the title and token lines, the bands of panels with
 * their row labels, the counters (RNN vs attention), the detail line, the
 * status line, then the open overlay. Nothing here changes the model or the
 * view. */
#ifndef ATTNVIZ_TUI_PANELS_H
#define ATTNVIZ_TUI_PANELS_H

#include "attnviz/model.h"
#include "tui/colors.h"
#include "tui/layout.h"
#include "tui/popup.h"
#include "tui/view.h"

/* Draw a full frame into stdscr (no refresh). scratch holds the popup text
 * while an overlay is open. */
void ui_draw(const av_model *m, const view *v, const layout *L, const theme *t,
	     popup_text *scratch);

/* Lay out for the current screen size, m (tokens, sizes) and v (the
 * caption panel of a lesson or quiz; v may be NULL). */
void ui_layout(layout *L, const av_model *m, const view *v, const theme *t, int cols, int lines);

/* Index of the token drawn at column x of the token line, or -1. */
int ui_token_at(const av_model *m, const view *v, const layout *L, const theme *t, int x);

/* A number in at most w columns (w >= 4): 2 decimals, fewer when it is
 * large, "-inf"/"−∞" for -infinity, "0" for an exact zero when zero_short. */
void ui_fmt_num(char *out, size_t size, float v, int w, bool utf8);

#endif
