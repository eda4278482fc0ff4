/* Row-by-row differences between two sentences' models. */
#include "attnviz/diff.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <string.h>

bool av_changed(float a, float b)
{
	if (isinf(a) || isinf(b))
		return a != b;
	return fabsf(a - b) > AV_CHANGED_TOL;
}

static float max_abs_diff(const float *a, const float *b, int count)
{
	float m = 0.0f;
	for (int i = 0; i < count; i++)
		m = fmaxf(m, fabsf(a[i] - b[i]));
	return m;
}

av_status av_model_diff(av_diff *out, const av_model *a, const av_model *b, av_error *err)
{
	memset(out, 0, sizeof *out);
	if (a->n != b->n)
		return av_error_set(err, AV_ERR_SHAPE,
				    _("the sentences have %d and %d tokens: the same number is needed "
				    "to compare them position by position"),
				    a->n, b->n);
	if (a->cfg.d_model != b->cfg.d_model || a->cfg.d_hidden != b->cfg.d_hidden ||
	    a->cfg.heads != b->cfg.heads)
		return av_error_set(err, AV_ERR_SHAPE, _("the two models have different shapes"));
	int n = a->n, D = a->cfg.d_model, H = a->cfg.d_hidden, dh = a->w.d_head;
	out->n = n;
	out->first_changed = out->earliest_attn = out->earliest_rnn = -1;
	for (int i = 0; i < n; i++) {
		if (out->first_changed < 0 && memcmp(a->X + i * D, b->X + i * D, sizeof(float) * D))
			out->first_changed = i;
		out->h[i] = max_abs_diff(a->h + i * H, b->h + i * H, H);
		for (int k = 0; k < a->cfg.heads; k++) {
			out->weights[i] = fmaxf(out->weights[i],
						max_abs_diff(a->head[k].weights + i * n,
							     b->head[k].weights + i * n, n));
			out->output[i] = fmaxf(out->output[i],
					       max_abs_diff(a->head[k].output + i * dh,
							    b->head[k].output + i * dh, dh));
		}
		/* max |diff| > tol is av_changed of the largest difference */
		out->rnn_changed[i] = out->h[i] > AV_CHANGED_TOL;
		out->attn_changed[i] = out->weights[i] > AV_CHANGED_TOL ||
				       out->output[i] > AV_CHANGED_TOL;
		if (out->earliest_rnn < 0 && out->rnn_changed[i])
			out->earliest_rnn = i;
		if (out->earliest_attn < 0 && out->attn_changed[i])
			out->earliest_attn = i;
	}
	return AV_OK;
}

bool av_diff_cell_changed(const av_model *a, const av_model *b, av_panel_id p, int head, int i,
			  int col)
{
	if (!a || !b || a->n != b->n || a->cfg.d_hidden != b->cfg.d_hidden ||
	    a->cfg.heads != b->cfg.heads || head < 0 || head >= a->cfg.heads || i < 0 ||
	    i >= a->n || col < 0)
		return false;
	int n = a->n, H = a->cfg.d_hidden, dh = a->w.d_head;
	const av_head_state *x = &a->head[head], *y = &b->head[head];
	size_t ij = (size_t)i * n + col;
	switch (p) {
	case AV_PANEL_RNN: return col < H && av_changed(a->h[(size_t)i * H + col], b->h[(size_t)i * H + col]);
	case AV_PANEL_SCORES: return col < n && av_changed(x->scores[ij], y->scores[ij]);
	case AV_PANEL_MASK: return col < n && av_changed(x->mask[ij], y->mask[ij]);
	case AV_PANEL_MASKED: return col < n && av_changed(x->masked[ij], y->masked[ij]);
	case AV_PANEL_SOFTMAX: return col < n && av_changed(x->weights[ij], y->weights[ij]);
	case AV_PANEL_OUTPUT:
		return col < dh && av_changed(x->output[(size_t)i * dh + col], y->output[(size_t)i * dh + col]);
	default: return false;
	}
}

bool av_diff_score_cols(bool cols[], const av_model *a, const av_model *b, int rows)
{
	bool any = false;
	int n = a->n;
	for (int j = 0; j < n; j++)
		cols[j] = false;
	if (b->n != n || b->cfg.heads != a->cfg.heads)
		return false;
	for (int h = 0; h < a->cfg.heads; h++)
		for (int i = 0; i < rows && i < n; i++)
			for (int j = 0; j < n; j++) {
				size_t ij = (size_t)i * n + j;
				if (av_changed(a->head[h].scores[ij], b->head[h].scores[ij]))
					cols[j] = any = true;
			}
	return any;
}
