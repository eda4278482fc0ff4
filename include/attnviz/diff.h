/* Causality test: what changes when one sentence is replaced by another of
 * the same length. Under a causal mask nothing before the first changed
 * word changes, in attention or in the RNN. */
#ifndef ATTNVIZ_DIFF_H
#define ATTNVIZ_DIFF_H

#include <stdbool.h>
#include "attnviz/model.h"
#include "attnviz/panel.h"

/* What "changed" means, everywhere (--diff, the TUI's marks and summary,
 * the export): two values differ by more than rounding, |a - b| > 1e-6;
 * infinities (masked scores) compare exactly. */
#define AV_CHANGED_TOL 1e-6f
bool av_changed(float a, float b);

typedef struct {
	int n;
	int first_changed;         /* first position whose input c_n differs, or -1 */
	float h[AV_MAX_TOKENS];       /* max_k |h_a[i][k] - h_b[i][k]| */
	float weights[AV_MAX_TOKENS]; /* max over heads and j of |w_a[i][j] - w_b[i][j]| */
	float output[AV_MAX_TOKENS];  /* max over heads and c of |z_a[i][c] - z_b[i][c]| */
	bool attn_changed[AV_MAX_TOKENS]; /* row i's weights or z_i changed (av_changed) */
	bool rnn_changed[AV_MAX_TOKENS];  /* h_i changed */
	int earliest_attn;         /* first row whose attention changed, or -1 */
	int earliest_rnn;          /* first h_i that changed, or -1 */
} av_diff;

/* Compare two models of the same shape and token count. Both must be
 * fully computed. AV_ERR_SHAPE when the counts or shapes differ. */
av_status av_model_diff(av_diff *out, const av_model *a, const av_model *b, av_error *err);

/* Whether cell (i, col) of panel p (head for the attention panels)
 * changed between a and b (same shape; false for another token count or
 * a cell outside the panel). */
bool av_diff_cell_changed(const av_model *a, const av_model *b, av_panel_id p, int head, int i,
			  int col);

/* cols[j] = whether the score q_i.k_j of some head changed for some row
 * i < rows (the scores a causal mask keeps out of the weights). Returns
 * whether any did. */
bool av_diff_score_cols(bool cols[], const av_model *a, const av_model *b, int rows);

#endif
