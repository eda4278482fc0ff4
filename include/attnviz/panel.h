/* The quantities the front ends show side by side, one per panel: the one
 * list of them (a lesson names them, the TUI lays them out, both use this
 * enum). Rows of every panel are positions: row i = token i = q_i = h_i. */
#ifndef ATTNVIZ_PANEL_H
#define ATTNVIZ_PANEL_H

typedef enum {
	AV_PANEL_NONE = -1, /* a lesson step that sets no focus */
	AV_PANEL_RNN,       /* h_n, one row per position */
	AV_PANEL_SCORES,    /* q_i . k_j / sqrt(d) */
	AV_PANEL_MASK,      /* 0/1 */
	AV_PANEL_MASKED,    /* scores or -inf */
	AV_PANEL_SOFTMAX,   /* weights */
	AV_PANEL_OUTPUT,    /* z_n, one row per position */
	AV_PANEL_PRED,      /* next-word target, each model's prediction and loss */
	AV_PANEL_COUNT,     /* the panels with cells */
	/* the token strip: a lesson may name it as its focus; it has no
	 * cells, so the TUI focuses the RNN panel */
	AV_PANEL_TOKENS = AV_PANEL_COUNT,
} av_panel_id;

#endif
