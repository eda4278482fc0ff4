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

/* The terms the core does not keep, from model fields (shown, not used for
 * anything else): products[k] = q[k] * kv[k] and their sum. */
float drill_dot_terms(float *products, const float *q, const float *kv, int d);

/* Softmax of one masked row, term by term, as av_softmax_rows defines it:
 * row_max over finite entries, e_j = exp(masked_j - row_max) (0 for -inf),
 * row_sum = sum of e. Returns 0, or -1 if the row has no finite entry. */
int drill_softmax_terms(const float *masked_row, int n, int j, float *row_max, float *e_j,
			float *row_sum);

/* Format v in at most width columns (>= 4): 4 decimals when they fit,
 * "-inf"/"−∞" for -infinity. */
void drill_fmt(char *out, size_t size, float v, bool utf8);

#endif
