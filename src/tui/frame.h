/* One frame of the TUI from a const model, view and layout: the title and
 * token lines, the bands of panels with their row labels, the counters,
 * the caption, the detail line, the status line, then the open overlay.
 * Nothing here changes the model or the view. */
#ifndef ATTNVIZ_TUI_FRAME_H
#define ATTNVIZ_TUI_FRAME_H

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

/* Index of the token drawn at column x of the token line, or -1 (tokens.c). */
int ui_token_at(const av_model *m, const view *v, const layout *L, const theme *t, int x);

#endif
