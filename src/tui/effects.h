/* What the app loop does after a key on the view's behalf (v->effect):
 * today the SVG export of X. The TUI never includes a file format: the
 * writer comes from the cli through tui_options. */
#ifndef ATTNVIZ_TUI_EFFECTS_H
#define ATTNVIZ_TUI_EFFECTS_H

#include "tui/tui.h"
#include "tui/view.h"

/* Run and clear v->effect; the outcome goes to the status line. */
void effects_run(view *v, const av_model *m, tui_export_fn export_svg);

#endif
