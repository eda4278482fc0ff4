/* Row-by-row differences between two sentences' models. */
#include "attnviz/diff.h"
#include "attnviz/i18n.h"

#include <math.h>
#include <string.h>

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
		if (out->earliest_rnn < 0 && out->h[i] > 0.0f)
			out->earliest_rnn = i;
		if (out->earliest_attn < 0 && (out->weights[i] > 0.0f || out->output[i] > 0.0f))
			out->earliest_attn = i;
	}
	return AV_OK;
}
