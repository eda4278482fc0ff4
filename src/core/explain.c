/* The terms behind one number: see explain.h. The products, exp terms and
 * row sums are recomputed here term by term, the way av_softmax_rows and
 * the projections define them; the totals (score, weight, z) are the
 * model's own. */
#include "attnviz/explain.h"

#include <math.h>

float av_row_sum(const float *row, int n)
{
	float sum = 0.0f;
	for (int j = 0; j < n; j++)
		sum += row[j];
	return sum;
}

/* Cell (i, j) with the softmax over keys 0..cols-1 of row i: n for the
 * batched result, i + 1 for the incremental one (a decoder at step i has
 * no later key), with the weight taken from the matching result. */
static void explain_cell(av_cell_terms *out, const av_model *m, int head, int i, int j,
			 int cols, const float *weights)
{
	const av_head_state *hs = &m->head[head];
	int n = m->n, d = m->w.d_head;
	const float *q = hs->Q + (size_t)i * d, *k = hs->K + (size_t)j * d;
	const float *mrow = hs->masked + (size_t)i * n;
	out->d = d;
	out->dot = 0.0f;
	for (int c = 0; c < d; c++) {
		out->products[c] = q[c] * k[c];
		out->dot += out->products[c];
	}
	out->score = hs->scores[(size_t)i * n + j];
	out->mask = hs->mask[(size_t)i * n + j];
	out->masked = mrow[j];
	out->weight = j < cols ? weights[(size_t)i * n + j] : 0.0f;
	float mx = -INFINITY;
	for (int c = 0; c < cols; c++)
		if (isfinite(mrow[c]) && mrow[c] > mx)
			mx = mrow[c];
	out->fully_masked = !isfinite(mx);
	out->row_max = out->fully_masked ? 0.0f : mx;
	out->exp_j = 0.0f;
	out->row_sum = 0.0f;
	if (out->fully_masked)
		return;
	for (int c = 0; c < cols; c++) {
		float e = isfinite(mrow[c]) ? expf(mrow[c] - mx) : 0.0f;
		out->row_sum += e;
		if (c == j)
			out->exp_j = e;
	}
}

void av_explain_cell(av_cell_terms *out, const av_model *m, int head, int i, int j)
{
	explain_cell(out, m, head, i, j, m->n, m->head[head].weights);
}

void av_explain_cell_incremental(av_cell_terms *out, const av_model *m, int head, int i, int j)
{
	explain_cell(out, m, head, i, j, i + 1, m->head[head].inc_weights);
}

/* z_i[c] as the sum over keys 0..terms-1 of weights[i][j] * v_j[c]. */
static void explain_z(av_z_terms *out, const av_model *m, int head, int i, int c, int terms,
		      const float *weights, const float *output)
{
	const av_head_state *hs = &m->head[head];
	int n = m->n, d = m->w.d_head;
	out->n = terms;
	for (int j = 0; j < terms; j++) {
		out->weight[j] = weights[(size_t)i * n + j];
		out->value[j] = hs->V[(size_t)j * d + c];
		out->product[j] = out->weight[j] * out->value[j];
	}
	out->z = output[(size_t)i * d + c];
}

void av_explain_z(av_z_terms *out, const av_model *m, int head, int i, int c)
{
	const av_head_state *hs = &m->head[head];
	explain_z(out, m, head, i, c, m->n, hs->weights, hs->output);
}

void av_explain_z_incremental(av_z_terms *out, const av_model *m, int head, int i, int c)
{
	const av_head_state *hs = &m->head[head];
	explain_z(out, m, head, i, c, i + 1, hs->inc_weights, hs->inc_output);
}

int av_top_k_ids(int *top, float *top_p, const float *prob, int V, int k)
{
	int n = 0;
	for (int v = 0; v < V; v++) {
		/* insertion into the sorted top list */
		int pos = n;
		while (pos > 0 && prob[v] > top_p[pos - 1])
			pos--;
		if (pos >= k)
			continue;
		for (int q = (n < k ? n : k - 1); q > pos; q--) {
			top[q] = top[q - 1];
			top_p[q] = top_p[q - 1];
		}
		top[pos] = v;
		top_p[pos] = prob[v];
		if (n < k)
			n++;
	}
	return n;
}

void av_explain_prediction(av_pred_terms *out, const av_model *m, bool rnn, int t)
{
	int V = m->lm_V, D = m->cfg.d_model, H = m->cfg.d_hidden;
	const float *prob = (rnn ? m->rnn_prob : m->attn_prob) + (size_t)t * V;
	const float *logits = (rnn ? m->rnn_logits : m->attn_logits) + (size_t)t * V;
	const float *W = rnn ? m->w.U : m->w.W_out, *bias = rnn ? m->w.u : m->w.b_out;
	out->rnn = rnn;
	out->t = t;
	out->V = V;
	out->in_dim = rnn ? H : D;
	out->in = rnn ? m->h + (size_t)t * H : m->Y + (size_t)t * D;
	out->n_top = av_top_k_ids(out->top, out->top_p, prob, V, AV_PRED_TOP);
	out->target = t + 1 < m->n ? m->ids[t + 1] : -1;
	out->word[0] = out->top[0];
	out->word[1] = out->target >= 0 ? out->target : out->top[0];
	for (int w = 0; w < 2; w++) {
		int v = out->word[w];
		out->dot[w] = 0.0f;
		for (int c = 0; c < out->in_dim; c++) {
			out->products[w][c] = out->in[c] * W[(size_t)c * V + v];
			out->dot[w] += out->products[w][c];
		}
		out->bias[w] = bias[v];
		out->logit[w] = logits[v];
	}
	float mx = logits[0];
	for (int v = 1; v < V; v++)
		mx = logits[v] > mx ? logits[v] : mx;
	double sum = 0.0;
	for (int v = 0; v < V; v++)
		sum += exp((double)logits[v] - mx);
	out->max_logit = mx;
	out->log_sum_exp = mx + (float)log(sum);
	out->target_p = out->target >= 0 ? prob[out->target] : 0.0f;
	out->loss = out->target >= 0 ? (rnn ? m->rnn_loss[t] : m->attn_loss[t]) : 0.0f;
}
