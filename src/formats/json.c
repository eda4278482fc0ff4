/* --json: the attnviz-dump format, written with jansson so that strings are
 * escaped correctly; floats with 9 significant digits (they round-trip). */
#include "formats/json.h"

#include <jansson.h>
#include <math.h>
#include "attnviz/version.h"

/* A rows x cols row-major matrix as nested arrays. Non-finite values (only
 * -inf can occur, in masked scores, which are not dumped) become null. */
static json_t *jmatrix(const float *M, int rows, int cols)
{
	json_t *a = json_array();
	for (int i = 0; i < rows; i++) {
		json_t *row = json_array();
		for (int j = 0; j < cols; j++) {
			float x = M[i * cols + j];
			json_array_append_new(row, isfinite(x) ? json_real(x) : json_null());
		}
		json_array_append_new(a, row);
	}
	return a;
}

static json_t *jvector(const float *v, int len)
{
	json_t *a = json_array();
	for (int i = 0; i < len; i++)
		json_array_append_new(a, isfinite(v[i]) ? json_real(v[i]) : json_null());
	return a;
}

static json_t *jmask(const float *M, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		json_t *row = json_array();
		for (int j = 0; j < n; j++)
			json_array_append_new(row, json_integer(M[i * n + j] != 0.0f));
		json_array_append_new(a, row);
	}
	return a;
}

static json_t *json_model(const av_model *m)
{
	const av_config *c = &m->cfg;
	int n = m->n, D = c->d_model, H = c->d_hidden, dh = m->w.d_head;

	json_t *config = json_pack("{s:I, s:i, s:i, s:i, s:i, s:s, s:b}", "seed",
				   (json_int_t)c->seed, "d_model", D, "d_hidden", H, "heads",
				   c->heads, "d_head", dh, "mask", av_mask_name(c->mask),
				   "positional", c->positional);
	json_t *tokens = json_array();
	for (int t = 0; t < n; t++)
		json_array_append_new(tokens, json_string(m->tokens.text[t]));

	json_t *rnn = json_object();
	json_object_set_new(rnn, "W_e", jmatrix(m->w.W_e, H, D));
	json_object_set_new(rnn, "W_h", jmatrix(m->w.W_h, H, H));
	json_object_set_new(rnn, "b", jvector(m->w.b, H));
	json_object_set_new(rnn, "h", jmatrix(m->h, n, H));
	json_object_set_new(rnn, "W_e_c", jmatrix(m->xe, n, H));
	json_object_set_new(rnn, "W_h_h_prev", jmatrix(m->wh, n, H));
	json_object_set_new(rnn, "depth", json_integer(av_model_rnn_depth(n)));

	json_t *heads = json_array();
	for (int k = 0; k < c->heads; k++) {
		const av_head_state *hs = &m->head[k];
		json_t *h = json_object();
		json_object_set_new(h, "W_q", jmatrix(m->w.W_q[k], D, dh));
		json_object_set_new(h, "W_k", jmatrix(m->w.W_k[k], D, dh));
		json_object_set_new(h, "W_v", jmatrix(m->w.W_v[k], D, dh));
		json_object_set_new(h, "Q", jmatrix(hs->Q, n, dh));
		json_object_set_new(h, "K", jmatrix(hs->K, n, dh));
		json_object_set_new(h, "V", jmatrix(hs->V, n, dh));
		json_object_set_new(h, "scores", jmatrix(hs->scores, n, n));
		json_object_set_new(h, "mask", jmask(hs->mask, n));
		json_object_set_new(h, "weights", jmatrix(hs->weights, n, n));
		json_object_set_new(h, "output", jmatrix(hs->output, n, dh));
		json_object_set_new(h, "leak", jvector(hs->leak, n));
		json_object_set_new(h, "incremental",
				    json_pack("{s:o, s:o}", "weights", jmatrix(hs->inc_weights, n, n),
					      "max_abs_diff", jvector(hs->inc_diff, n)));
		json_array_append_new(heads, h);
	}
	json_t *attention = json_object();
	json_object_set_new(attention, "heads", heads);
	json_object_set_new(attention, "Z", jmatrix(m->Z, n, D));
	json_object_set_new(attention, "depth", json_integer(av_model_attn_depth(n)));

	json_t *root = json_object();
	char label[96];
	json_t *lm = NULL;
	if (m->lm_V > 0) {
		int V = m->lm_V;
		json_t *vocab = json_array(), *ids = json_array(), *targets = json_array();
		for (int i = 0; i < V; i++)
			json_array_append_new(vocab, json_string(m->w.vocab[i]));
		for (int t = 0; t < n; t++)
			json_array_append_new(ids, json_integer(m->ids[t]));
		for (int t = 1; t < n; t++)
			json_array_append_new(targets, json_integer(m->ids[t]));
		json_t *lr = json_object(), *la = json_object();
		json_object_set_new(lr, "U", jmatrix(m->w.U, H, V));
		json_object_set_new(lr, "u", jvector(m->w.u, V));
		json_object_set_new(lr, "logits", jmatrix(m->rnn_logits, n, V));
		json_object_set_new(lr, "loss", jvector(m->rnn_loss, n - 1));
		json_object_set_new(lr, "mean_loss", n > 1 ? json_real(m->rnn_mean_loss) : json_null());
		json_object_set_new(la, "W_out", jmatrix(m->w.W_out, D, V));
		json_object_set_new(la, "b_out", jvector(m->w.b_out, V));
		json_object_set_new(la, "logits", jmatrix(m->attn_logits, n, V));
		json_object_set_new(la, "loss", jvector(m->attn_loss, n - 1));
		json_object_set_new(la, "mean_loss", n > 1 ? json_real(m->attn_mean_loss) : json_null());
		lm = json_object();
		json_object_set_new(lm, "vocab", vocab);
		json_object_set_new(lm, "E", jmatrix(m->w.E, V, D));
		json_object_set_new(lm, "ids", ids);
		json_object_set_new(lm, "targets", targets);
		json_object_set_new(lm, "rnn", lr);
		json_object_set_new(lm, "attention", la);
	}
	json_object_set_new(root, "format", json_string("attnviz-dump"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "generator", json_string("attnviz " ATTNVIZ_VERSION));
	json_object_set_new(root, "config", config);
	json_object_set_new(root, "weights",
			    json_string(av_model_weights_label(m, label, sizeof label)));
	json_object_set_new(root, "tokens", tokens);
	json_object_set_new(root, "X", jmatrix(m->X, n, D));
	json_object_set_new(root, "rnn", rnn);
	json_object_set_new(root, "attention", attention);
	if (lm)
		json_object_set_new(root, "lm", lm);
	return root;
}

int json_write_model(FILE *f, const av_model *m)
{
	json_t *root = json_model(m);
	if (!root)
		return -1;
	int rc = json_dumpf(root, f, JSON_REAL_PRECISION(9) | JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(root);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	fflush(f);
	return rc == 0 && !ferror(f) ? 0 : -1;
}
