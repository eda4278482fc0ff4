/* Causality test: what changes when one sentence is replaced by another of
 * the same length. Under a causal mask nothing before the first changed
 * word changes, in attention or in the RNN. */
#ifndef ATTNVIZ_DIFF_H
#define ATTNVIZ_DIFF_H

#include "attnviz/model.h"

typedef struct {
	int n;
	int first_changed;         /* first position whose input c_n differs, or -1 */
	float h[AV_MAX_TOKENS];       /* max_k |h_a[i][k] - h_b[i][k]| */
	float weights[AV_MAX_TOKENS]; /* max over heads and j of |w_a[i][j] - w_b[i][j]| */
	float output[AV_MAX_TOKENS];  /* max over heads and c of |z_a[i][c] - z_b[i][c]| */
	int earliest_attn;         /* first row whose attention changed (> 0), or -1 */
	int earliest_rnn;          /* first h_i that changed, or -1 */
} av_diff;

/* Compare two models of the same shape and token count. Both must be
 * fully computed. AV_ERR_SHAPE when the counts or shapes differ. */
av_status av_model_diff(av_diff *out, const av_model *a, const av_model *b, av_error *err);

#endif
