/* The drill-down (Enter): every number behind the selected cell, in the
 * slide's notation, built as text from the model's fields. An attention cell
 * (i, j) shows q_i, k_j, their elementwise products, the sum, the division
 * by sqrt(d_head), the mask value, the masked score, exp, the row sum and
 * the probability; h_t shows W_h h_{t-1}, W_e c_t, b, their sum and tanh;
 * an output cell z_i[c] shows the weighted sum of v_j[c]. */
#ifndef ATTNVIZ_TUI_DRILL_H
#define ATTNVIZ_TUI_DRILL_H

#include "attnviz/model.h"
#include "tui/popup.h"
#include "tui/view.h"

/* Build the drill-down of v's selection (focus, cursor, step, head) into p,
 * wrapping vectors to width columns. */
void drill_build(popup_text *p, const av_model *m, const view *v, int width, bool utf8);

#endif
