/* The language models and their training: finite-difference gradient
 * checks in double precision against an independent double forward (every
 * parameter; each mask, 1 and 2 heads, positional on and off, d_model !=
 * d_hidden), cblas kernels against their naive twins, a hand-computed SGD
 * step, training lowering the loss, determinism, the baselines by hand and
 * the corpus loader's errors. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/attn_layer.h"
#include "attnviz/corpus.h"
#include "attnviz/explain.h"
#include "attnviz/generate.h"
#include "attnviz/lm.h"
#include "attnviz/rng.h"
#include "attnviz/rnn_layer.h"
#include "attnviz/train.h"

/* ---- an independent double-precision forward --------------------------- */

/* Offset of tensor pointer t in the block of lm. */
static size_t off(const av_lm *lm, const float *t)
{
	return (size_t)(t - lm->params);
}

/* Sum over the sentences of (sum_t loss_rnn + sum_t loss_attn), divided by
 * the number of predictions: the quantity av_lm_backward differentiates. */
static double ref_loss(const av_lm *lm, const double *P, const int *const *sents, const int *lens,
		       int n_sents)
{
	int V = lm->V, D = lm->D, H = lm->H, K = lm->heads, dh = lm->dh;
	const double *E = P + off(lm, lm->p.E), *We = P + off(lm, lm->p.W_e);
	const double *Wh = P + off(lm, lm->p.W_h), *b = P + off(lm, lm->p.b);
	const double *U = P + off(lm, lm->p.U), *u = P + off(lm, lm->p.u);
	const double *Wa = P + off(lm, lm->p.W_attn), *Wo = P + off(lm, lm->p.W_out);
	const double *bo = P + off(lm, lm->p.b_out);
	double total = 0.0;
	int preds = 0;
	for (int s = 0; s < n_sents; s++) {
		const int *ids = sents[s];
		int n = lens[s];
		double X[16][8], h[16][8], Y[16][8];
		for (int t = 0; t < n; t++)
			for (int k = 0; k < D; k++) {
				X[t][k] = E[ids[t] * D + k];
				if (lm->positional) {
					double freq = pow(10000.0, -2.0 * (k / 2) / (double)D);
					X[t][k] += k % 2 == 0 ? sin(t * freq) : cos(t * freq);
				}
			}
		for (int t = 0; t < n; t++)
			for (int i = 0; i < H; i++) {
				double a = b[i];
				for (int k = 0; k < D; k++)
					a += We[i * D + k] * X[t][k];
				for (int k = 0; t > 0 && k < H; k++)
					a += Wh[i * H + k] * h[t - 1][k];
				h[t][i] = tanh(a);
			}
		for (int t = 0; t < n; t++)
			for (int k = 0; k < D; k++)
				Y[t][k] = X[t][k];
		for (int hd = 0; hd < K; hd++) {
			const double *Wq = Wa + (size_t)hd * 3 * D * dh, *Wk = Wq + D * dh,
				     *Wv = Wk + D * dh;
			double Q[16][8], Kx[16][8], Vx[16][8];
			for (int t = 0; t < n; t++)
				for (int c = 0; c < dh; c++) {
					Q[t][c] = Kx[t][c] = Vx[t][c] = 0;
					for (int k = 0; k < D; k++) {
						Q[t][c] += X[t][k] * Wq[k * dh + c];
						Kx[t][c] += X[t][k] * Wk[k * dh + c];
						Vx[t][c] += X[t][k] * Wv[k * dh + c];
					}
				}
			for (int i = 0; i < n; i++) {
				double sc[16], mx = -INFINITY, sum = 0;
				for (int j = 0; j < n; j++) {
					sc[j] = 0;
					for (int c = 0; c < dh; c++)
						sc[j] += Q[i][c] * Kx[j][c];
					sc[j] /= sqrt((double)dh);
					if (av_mask_allows(lm->mask, i, j) && sc[j] > mx)
						mx = sc[j];
				}
				for (int j = 0; j < n; j++) {
					sc[j] = av_mask_allows(lm->mask, i, j) ? exp(sc[j] - mx) : 0;
					sum += sc[j];
				}
				for (int c = 0; c < dh; c++) {
					double z = 0;
					for (int j = 0; j < n && sum > 0; j++)
						z += sc[j] / sum * Vx[j][c];
					Y[i][hd * dh + c] += z;
				}
			}
		}
		for (int t = 0; t < n - 1; t++) {
			double lr[64], la[64], mr = -INFINITY, ma = -INFINITY, sr = 0, sa = 0;
			for (int v = 0; v < V; v++) {
				lr[v] = u[v], la[v] = bo[v];
				for (int i = 0; i < H; i++)
					lr[v] += h[t][i] * U[i * V + v];
				for (int k = 0; k < D; k++)
					la[v] += Y[t][k] * Wo[k * V + v];
				mr = fmax(mr, lr[v]), ma = fmax(ma, la[v]);
			}
			for (int v = 0; v < V; v++)
				sr += exp(lr[v] - mr), sa += exp(la[v] - ma);
			total += (log(sr) + mr - lr[ids[t + 1]]) + (log(sa) + ma - la[ids[t + 1]]);
			preds++;
		}
	}
	return total / preds;
}

static void randomize(av_lm *lm, uint64_t seed)
{
	av_lm_init(lm, seed);
	av_rng r = av_rng_stream(seed, "test-extra");
	for (int v = 0; v < lm->V; v++) {
		lm->p.u[v] = av_rng_symmetric(&r, 0.5f);
		lm->p.b_out[v] = av_rng_symmetric(&r, 0.5f);
	}
	/* larger attention weights so the softmax is far from uniform */
	for (size_t i = 0; i < lm->tensor_size[6]; i++)
		lm->p.W_attn[i] *= 2.0f;
}

static const int sent_a[] = { 1, 2, 3, 4, 2, 5 }, sent_b[] = { 3, 1, 0, 2 };
static const int *const sents[] = { sent_a, sent_b };
static const int lens[] = { 6, 4 };

/* Gradient by backward (naive or cblas) against central differences. */
static void gradcheck(av_mask_kind mask, int heads, bool positional, bool naive)
{
	const int V = 6, D = 4, H = 3;
	av_lm lm;
	av_error err;
	ck_assert_int_eq(av_lm_create(&lm, V, D, H, heads, mask, positional, &err), AV_OK);
	randomize(&lm, 7 + (uint64_t)mask * 10 + (uint64_t)heads);
	av_lm_zero_grad(&lm);
	int preds = 0;
	for (int s = 0; s < 2; s++)
		preds += lens[s] - 1;
	for (int s = 0; s < 2; s++) {
		av_lm_forward(&lm, sents[s], lens[s], NULL, NULL);
		av_lm_backward(&lm, sents[s], lens[s], 1.0f / preds, naive);
	}
	double *P = malloc(lm.n_params * sizeof *P);
	for (size_t i = 0; i < lm.n_params; i++)
		P[i] = lm.params[i];
	const double eps = 1e-5;
	double worst = 0;
	size_t worst_i = 0;
	for (size_t i = 0; i < lm.n_params; i++) {
		double keep = P[i];
		P[i] = keep + eps;
		double lp = ref_loss(&lm, P, sents, lens, 2);
		P[i] = keep - eps;
		double lmn = ref_loss(&lm, P, sents, lens, 2);
		P[i] = keep;
		double fd = (lp - lmn) / (2 * eps);
		double diff = fabs(fd - lm.grads[i]) / (1e-3 + fabs(fd));
		if (fabs(fd - lm.grads[i]) > 2e-4 && diff > worst)
			worst = diff, worst_i = i;
	}
	/* the float forward agrees with the double one */
	float lr[8], la[8];
	double sum = 0;
	for (int s = 0; s < 2; s++) {
		av_lm_forward(&lm, sents[s], lens[s], lr, la);
		for (int t = 0; t < lens[s] - 1; t++)
			sum += lr[t] + la[t];
	}
	ck_assert_double_eq_tol(sum / preds, ref_loss(&lm, P, sents, lens, 2), 1e-5);
	ck_assert_msg(worst < 1e-2, "mask %s heads %d pos %d naive %d: param %zu grad %g off by %g",
		      av_mask_name(mask), heads, positional, naive, worst_i,
		      (double)lm.grads[worst_i], worst);
	free(P);
	av_lm_destroy(&lm);
}

START_TEST(gradients_every_config)
{
	for (int mask = 0; mask < AV_MASK_COUNT; mask++)
		for (int heads = 1; heads <= 2; heads++)
			for (int pos = 0; pos <= 1; pos++)
				for (int naive = 0; naive <= 1; naive++)
					gradcheck((av_mask_kind)mask, heads, pos, naive);
}
END_TEST

/* Every parameter gets a nonzero gradient somewhere (the check is not
 * vacuous): E rows of used words, every other tensor in full. */
START_TEST(gradients_reach_every_tensor)
{
	av_lm lm;
	ck_assert_int_eq(av_lm_create(&lm, 6, 4, 3, 2, AV_MASK_CAUSAL, true, NULL), AV_OK);
	randomize(&lm, 3);
	av_lm_zero_grad(&lm);
	av_lm_forward(&lm, sent_a, 6, NULL, NULL);
	av_lm_backward(&lm, sent_a, 6, 0.2f, false);
	float *t[AV_LM_TENSORS] = { lm.g.E, lm.g.W_e, lm.g.W_h, lm.g.b, lm.g.U,
				    lm.g.u, lm.g.W_attn, lm.g.W_out, lm.g.b_out };
	for (int k = 0; k < AV_LM_TENSORS; k++)
		ck_assert_msg(av_grad_norm(t[k], lm.tensor_size[k]) > 1e-6, "%s has no gradient",
			      av_lm_tensor_name(k));
	av_lm_destroy(&lm);
}
END_TEST

/* ---- kernels against their naive twins ------------------------------------ */

static void fill(float *x, size_t n, uint64_t seed, float lim)
{
	av_rng r = av_rng_stream(seed, "fill");
	for (size_t i = 0; i < n; i++)
		x[i] = av_rng_symmetric(&r, lim);
}

START_TEST(attn_layer_blas_matches_naive)
{
	const int n = 9, D = 6;
	for (int heads = 1; heads <= 3; heads++)
		for (int mask = 0; mask < AV_MASK_COUNT; mask++) {
			size_t cs = av_attn_layer_cache_size(n, D, heads);
			size_t ss = av_attn_layer_scratch_size(n, D, heads);
			float X[54], W[108], dZ[54], Za[54], Zb[54];
			float *ca = malloc(cs * 4), *cb = malloc(cs * 4), *sc = malloc(ss * 4);
			float dXa[54] = { 0 }, dXb[54] = { 0 }, dWa[108] = { 0 }, dWb[108] = { 0 };
			fill(X, 54, 1, 1), fill(W, 108, 2, 0.8f), fill(dZ, 54, 3, 1);
			av_attn_layer_forward(Za, ca, X, W, (av_mask_kind)mask, n, D, heads);
			av_attn_layer_forward_naive(Zb, cb, X, W, (av_mask_kind)mask, n, D, heads);
			for (int i = 0; i < n * D; i++)
				ck_assert_float_eq_tol(Za[i], Zb[i], 1e-5f);
			av_attn_layer_backward(dXa, dWa, sc, dZ, ca, X, W, (av_mask_kind)mask, n, D, heads);
			av_attn_layer_backward_naive(dXb, dWb, sc, dZ, cb, X, W, (av_mask_kind)mask, n, D, heads);
			for (int i = 0; i < n * D; i++)
				ck_assert_float_eq_tol(dXa[i], dXb[i], 1e-4f);
			for (int i = 0; i < 3 * D * D; i++)
				ck_assert_float_eq_tol(dWa[i], dWb[i], 1e-4f);
			free(ca), free(cb), free(sc);
		}
}
END_TEST

START_TEST(rnn_layer_blas_matches_naive)
{
	const int n = 11, D = 5, H = 7;
	float X[55], We[35], Wh[49], b[7], dh[77], ha[77], hb[77], dpa[77], dpb[77];
	float dXa[55] = { 0 }, dXb[55] = { 0 }, dWea[35] = { 0 }, dWeb[35] = { 0 };
	float dWha[49] = { 0 }, dWhb[49] = { 0 }, dba[7] = { 0 }, dbb[7] = { 0 };
	fill(X, 55, 4, 1), fill(We, 35, 5, 0.5f), fill(Wh, 49, 6, 0.5f), fill(b, 7, 7, 0.1f);
	fill(dh, 77, 8, 1);
	av_rnn_layer_forward(ha, X, We, Wh, b, n, D, H);
	av_rnn_layer_forward_naive(hb, X, We, Wh, b, n, D, H);
	for (int i = 0; i < n * H; i++)
		ck_assert_float_eq_tol(ha[i], hb[i], 1e-5f);
	av_rnn_layer_backward(dXa, dWea, dWha, dba, dpa, dh, ha, X, We, Wh, n, D, H);
	av_rnn_layer_backward_naive(dXb, dWeb, dWhb, dbb, dpb, dh, ha, X, We, Wh, n, D, H);
	for (int i = 0; i < n * H; i++)
		ck_assert_float_eq_tol(dpa[i], dpb[i], 1e-5f);
	for (int i = 0; i < n * D; i++)
		ck_assert_float_eq_tol(dXa[i], dXb[i], 1e-5f);
	for (int i = 0; i < H * D; i++)
		ck_assert_float_eq_tol(dWea[i], dWeb[i], 1e-5f);
	for (int i = 0; i < H * H; i++)
		ck_assert_float_eq_tol(dWha[i], dWhb[i], 1e-5f);
	for (int i = 0; i < H; i++)
		ck_assert_float_eq_tol(dba[i], dbb[i], 1e-5f);
	ck_assert_int_eq(av_rnn_backward_depth(n), n);
	ck_assert_int_eq(av_lm_attn_backward_depth(n), av_lm_attn_backward_depth(4 * n));
}
END_TEST

START_TEST(head_blas_matches_naive)
{
	float in[5 * 3], W[3 * 7], bias[7], a[35], b[35];
	fill(in, 15, 9, 1), fill(W, 21, 10, 1), fill(bias, 7, 11, 1);
	av_lm_head(a, in, W, bias, 5, 3, 7);
	av_lm_head_naive(b, in, W, bias, 5, 3, 7);
	for (int i = 0; i < 35; i++)
		ck_assert_float_eq_tol(a[i], b[i], 1e-5f);
}
END_TEST

/* ---- optimizers -------------------------------------------------------------- */

/* V = 2, D = H = 1, one head. E = [1, 2], W_e = 0.5, everything else 0.
 * Sentence [0 1 1]: both models give p = (.5, .5) at t = 0, 1; targets 1, 1.
 * dlogits = (p - onehot) / 2 = (.25, -.25) per row. By hand:
 *   d b_out = d u = (.5, -.5);  d W_out = (1 + 2)(.25, -.25) = (.75, -.75)
 *   d U = (tanh .5 + tanh 1)(.25, -.25);  W_attn, E, W_e, W_h, b: 0
 *   (U = W_out = 0 stop the gradient before the layers).
 * One SGD step with lr 0.1 subtracts 0.1 times that. */
START_TEST(sgd_step_by_hand)
{
	av_corpus c;
	av_error err;
	const char text[] = "a b b\n";
	ck_assert_int_eq(av_corpus_parse(&c, text, strlen(text), "t", &err), AV_OK);
	av_vocab v;
	av_vocab_init(&v, NULL);
	ck_assert_int_eq(av_vocab_add(&v, &(int){ 0 }, "a", NULL), AV_OK);
	ck_assert_int_eq(av_vocab_add(&v, &(int){ 0 }, "b", NULL), AV_OK);
	av_corpus_map(&c, &v);
	/* ids: a = 1, b = 2 with <unk> = 0: use V = 3 and check the same sums */
	av_lm lm;
	ck_assert_int_eq(av_lm_create(&lm, 3, 1, 1, 1, AV_MASK_CAUSAL, false, &err), AV_OK);
	lm.p.E[1] = 1.0f, lm.p.E[2] = 2.0f, lm.p.W_e[0] = 0.5f;
	av_train_config cfg = { .batch = 0, .lr = 0.1f, .optimizer = AV_OPT_SGD, .clip = 0,
				.seed = 1 };
	av_trainer t;
	ck_assert_int_eq(av_trainer_create(&t, &lm, &c, &cfg, &err), AV_OK);
	av_train_stats s;
	av_trainer_step(&t, &s);
	/* V = 3: p = 1/3 each; targets b, b: dlogits = (1/3, -1/6, 1/3 - 1/2)... per row
	 * (p - onehot(2)) / 2 = (1/6, 1/6, -1/3). */
	ck_assert_float_eq_tol(s.loss_rnn, logf(3.0f), 1e-6f);
	ck_assert_float_eq_tol(s.loss_attn, logf(3.0f), 1e-6f);
	const float row[3] = { 1.0f / 6, 1.0f / 6, -1.0f / 3 };
	double th = tanh(0.5) + tanh(1.0); /* h_0 = tanh(.5 * 1), h_1 = tanh(.5 * 2) (W_h = 0) */
	for (int k = 0; k < 3; k++) {
		ck_assert_float_eq_tol(lm.p.b_out[k], -0.1f * 2 * row[k], 1e-6f);
		ck_assert_float_eq_tol(lm.p.u[k], -0.1f * 2 * row[k], 1e-6f);
		ck_assert_float_eq_tol(lm.p.W_out[k], -0.1f * 3 * row[k], 1e-6f);
		ck_assert_float_eq_tol(lm.p.U[k], (float)(-0.1 * th * row[k]), 1e-6f);
	}
	ck_assert(lm.p.E[1] == 1.0f && lm.p.E[2] == 2.0f && lm.p.W_e[0] == 0.5f);
	ck_assert(lm.p.W_h[0] == 0.0f && lm.p.b[0] == 0.0f);
	for (int i = 0; i < 3; i++)
		ck_assert(lm.p.W_attn[i] == 0.0f);
	av_trainer_destroy(&t);
	av_lm_destroy(&lm);
	av_vocab_free(&v);
	av_corpus_free(&c);
}
END_TEST

START_TEST(clip_and_adam_by_hand)
{
	float g[2] = { 3, 4 };
	ck_assert_double_eq_tol(av_clip_grad(g, 2, 1.0f), 5.0, 1e-12);
	ck_assert_float_eq_tol(g[0], 0.6f, 1e-7f);
	ck_assert_float_eq_tol(g[1], 0.8f, 1e-7f);
	float h[2] = { 3, 4 };
	av_clip_grad(h, 2, 0.0f); /* 0: off */
	ck_assert(h[0] == 3.0f && h[1] == 4.0f);
	/* Adam's first step moves every parameter by lr * sign(g) (up to eps). */
	float p[2] = { 1, 1 }, m[2] = { 0 }, v[2] = { 0 }, gg[2] = { 0.5f, -2 };
	av_adam_update(p, m, v, gg, 2, 0.1f, 1);
	ck_assert_float_eq_tol(p[0], 0.9f, 1e-6f);
	ck_assert_float_eq_tol(p[1], 1.1f, 1e-6f);
	av_optimizer o;
	ck_assert_int_eq(av_optimizer_parse("sgd", &o), 0);
	ck_assert_int_eq(o, AV_OPT_SGD);
	ck_assert_int_eq(av_optimizer_parse("Adam", &o), -1);
}
END_TEST

/* ---- training ---------------------------------------------------------------- */

static const char tiny[] = "the cat sat on the mat\n"
			   "the dog sat on the rug\n"
			   "a cat ran to the door\n"
			   "a dog ran to the mat\n"
			   "the cat saw the dog\n"
			   "the dog saw the cat\n";

static void setup(av_corpus *c, av_vocab *v, double heldout)
{
	ck_assert_int_eq(av_corpus_parse(c, tiny, strlen(tiny), "tiny", NULL), AV_OK);
	av_corpus_split(c, heldout);
	ck_assert_int_eq(av_vocab_init(v, NULL), AV_OK);
	ck_assert_int_eq(av_corpus_vocab(v, c, NULL), AV_OK);
	av_corpus_map(c, v);
}

static void train(av_lm *lm, const av_corpus *c, int steps, av_optimizer opt, int batch,
		  av_train_stats *first, av_train_stats *last)
{
	av_train_config cfg = { .batch = batch, .lr = opt == AV_OPT_SGD ? 0.5f : 0.03f,
				.optimizer = opt, .clip = 1.0f, .seed = 5 };
	av_trainer t;
	ck_assert_int_eq(av_trainer_create(&t, lm, c, &cfg, NULL), AV_OK);
	for (int i = 0; i < steps; i++)
		av_trainer_step(&t, i == 0 ? first : last);
	av_trainer_destroy(&t);
}

START_TEST(training_lowers_loss)
{
	for (int opt = 0; opt < AV_OPT_COUNT; opt++) {
		av_corpus c;
		av_vocab v;
		setup(&c, &v, 0);
		av_lm lm;
		ck_assert_int_eq(av_lm_create(&lm, v.n, 8, 8, 2, AV_MASK_CAUSAL, true, NULL), AV_OK);
		av_lm_init(&lm, 1);
		av_train_stats a, b;
		train(&lm, &c, 300, (av_optimizer)opt, 0, &a, &b);
		ck_assert_msg(b.loss_rnn < 0.5f * a.loss_rnn && b.loss_attn < 0.5f * a.loss_attn,
			      "%s: rnn %g -> %g, attention %g -> %g", av_optimizer_name(opt),
			      a.loss_rnn, b.loss_rnn, a.loss_attn, b.loss_attn);
		av_lm_score r, at;
		av_lm_evaluate(&lm, &c, false, true, &r, &at);
		ck_assert_int_eq(r.count, 28);
		/* causal: the incremental rows are the teacher-forced ones */
		ck_assert_double_eq_tol(at.inc_loss, at.loss, 1e-4);
		ck_assert_double_eq_tol(r.inc_acc, r.acc, 1e-12);
		av_lm_destroy(&lm);
		av_vocab_free(&v);
		av_corpus_free(&c);
	}
}
END_TEST

/* A model sure of the wrong word: every target but one word's gets a
 * logit 200 below it, so p(target) = e^-200 underflows any float. The
 * evaluation's loss is still 200 nats for those predictions (from the
 * logits), not a capped -log of 0; teacher-forced and incremental alike. */
START_TEST(evaluation_loss_is_exact_far_below_underflow)
{
	av_corpus c;
	av_vocab v;
	setup(&c, &v, 0);
	av_lm lm; /* parameters 0: h = 0, Y = X, so logits = the biases u, b_out */
	ck_assert_int_eq(av_lm_create(&lm, v.n, 8, 8, 1, AV_MASK_NONE, true, NULL), AV_OK);
	int sure = 0; /* the word every prediction bets on */
	for (int w = 0; w < v.n; w++)
		lm.p.u[w] = lm.p.b_out[w] = w == sure ? 0.0f : -200.0f;
	av_lm_score r, a;
	av_lm_evaluate(&lm, &c, false, true, &r, &a);
	double expect = 0.0; /* 200 + log(1 + (V-1) e^-200) = 200 per miss, ~0 per hit */
	int n = 0;
	for (int s = 0; s < c.n_sent; s++) {
		const int *ids = c.ids + c.start[s];
		for (int t = 0; t + 1 < av_corpus_len(&c, s); t++, n++)
			expect += ids[t + 1] == sure ? 0.0 : 200.0;
	}
	ck_assert_int_eq(r.count, n);
	expect /= n;
	ck_assert_msg(expect > 150.0, "the corpus's targets are mostly other words: %g", expect);
	ck_assert_double_eq_tol(r.loss, expect, 1e-3);
	ck_assert_double_eq_tol(a.loss, expect, 1e-3);
	ck_assert_double_eq_tol(r.inc_loss, expect, 1e-3);
	ck_assert_double_eq_tol(a.inc_loss, expect, 1e-3);
	av_lm_destroy(&lm);
	av_vocab_free(&v);
	av_corpus_free(&c);
}
END_TEST

START_TEST(training_is_deterministic)
{
	av_corpus c;
	av_vocab v;
	setup(&c, &v, 0.34);
	av_lm a, b;
	ck_assert_int_eq(av_lm_create(&a, v.n, 4, 6, 1, AV_MASK_NONE, false, NULL), AV_OK);
	ck_assert_int_eq(av_lm_create(&b, v.n, 4, 6, 1, AV_MASK_NONE, false, NULL), AV_OK);
	av_lm_init(&a, 9), av_lm_init(&b, 9);
	av_train_stats s0, s1;
	train(&a, &c, 40, AV_OPT_ADAM, 2, &s0, &s1);
	train(&b, &c, 40, AV_OPT_ADAM, 2, &s0, &s1);
	ck_assert(memcmp(a.params, b.params, a.n_params * sizeof(float)) == 0);
	av_lm_init(&b, 10);
	ck_assert(memcmp(a.params, b.params, a.n_params * sizeof(float)) != 0);
	av_lm_destroy(&a), av_lm_destroy(&b);
	av_vocab_free(&v);
	av_corpus_free(&c);
}
END_TEST

/* One SGD step from one init: on "a b" alone (1 prediction), on "b a b a"
 * alone (3), and on both in one full batch. The batch loss and update are
 * the mean over its 4 predictions, each weighted equally: 1/4 and 3/4 of
 * the single-sentence ones, not 1/2 each as a mean of sentence means. */
START_TEST(batch_weights_each_prediction_equally)
{
	const char *texts[3] = { "a b\n", "b a b a\n", "a b\nb a b a\n" };
	av_lm lm[3];
	av_train_stats st[3];
	for (int k = 0; k < 3; k++) {
		av_corpus c;
		av_error err;
		ck_assert_int_eq(av_corpus_parse(&c, texts[k], strlen(texts[k]), "t", &err), AV_OK);
		av_vocab v;
		av_vocab_init(&v, NULL);
		ck_assert_int_eq(av_vocab_add(&v, &(int){ 0 }, "a", NULL), AV_OK);
		ck_assert_int_eq(av_vocab_add(&v, &(int){ 0 }, "b", NULL), AV_OK);
		av_corpus_map(&c, &v);
		ck_assert_int_eq(av_lm_create(&lm[k], 3, 4, 3, 2, AV_MASK_CAUSAL, true, &err), AV_OK);
		av_lm_init(&lm[k], 5);
		av_train_config cfg = { .batch = 0, .lr = 0.5f, .optimizer = AV_OPT_SGD, .clip = 0,
					.seed = 1 };
		av_trainer t;
		ck_assert_int_eq(av_trainer_create(&t, &lm[k], &c, &cfg, &err), AV_OK);
		av_trainer_step(&t, &st[k]);
		ck_assert(!st[k].diverged);
		av_trainer_destroy(&t);
		av_vocab_free(&v);
		av_corpus_free(&c);
	}
	ck_assert_int_eq(st[0].predictions, 1);
	ck_assert_int_eq(st[1].predictions, 3);
	ck_assert_int_eq(st[2].predictions, 4);
	ck_assert_float_eq_tol(st[2].loss_rnn, (st[0].loss_rnn + 3 * st[1].loss_rnn) / 4, 1e-5f);
	ck_assert_float_eq_tol(st[2].loss_attn, (st[0].loss_attn + 3 * st[1].loss_attn) / 4, 1e-5f);
	av_lm init;
	ck_assert_int_eq(av_lm_create(&init, 3, 4, 3, 2, AV_MASK_CAUSAL, true, NULL), AV_OK);
	av_lm_init(&init, 5);
	int moved = 0;
	for (size_t i = 0; i < init.n_params; i++) {
		double d0 = lm[0].params[i] - init.params[i], d1 = lm[1].params[i] - init.params[i];
		double d2 = lm[2].params[i] - init.params[i];
		ck_assert_msg(fabs(d2 - (d0 + 3 * d1) / 4) < 1e-5, "param %zu: %g vs %g", i, d2,
			      (d0 + 3 * d1) / 4);
		moved += fabs(d0 - d1) > 1e-4;
	}
	ck_assert_int_gt(moved, 10); /* the two sentences pull differently */
	av_lm_destroy(&init);
	for (int k = 0; k < 3; k++)
		av_lm_destroy(&lm[k]);
}
END_TEST

/* Too large a step: the loss, gradient or weights stop being finite, the
 * step says so, and a non-finite gradient is never applied. */
START_TEST(divergence_is_flagged)
{
	av_corpus c;
	av_vocab v;
	setup(&c, &v, 0);
	av_lm lm;
	ck_assert_int_eq(av_lm_create(&lm, v.n, 4, 4, 1, AV_MASK_CAUSAL, true, NULL), AV_OK);
	av_lm_init(&lm, 1);
	av_train_config cfg = { .batch = 0, .lr = 1e30f, .optimizer = AV_OPT_SGD, .clip = 0,
				.seed = 1 };
	av_trainer t;
	ck_assert_int_eq(av_trainer_create(&t, &lm, &c, &cfg, NULL), AV_OK);
	av_train_stats s = { 0 };
	int step = 0;
	while (step < 20 && !s.diverged) {
		av_trainer_step(&t, &s);
		step++;
	}
	ck_assert_msg(s.diverged, "no divergence flagged in 20 steps at lr 1e30");
	av_train_stats first;
	av_trainer_destroy(&t);
	av_lm_init(&lm, 1);
	cfg.lr = 0.01f;
	ck_assert_int_eq(av_trainer_create(&t, &lm, &c, &cfg, NULL), AV_OK);
	av_trainer_step(&t, &first);
	ck_assert(!first.diverged);
	av_trainer_destroy(&t);
	av_lm_destroy(&lm);
	av_vocab_free(&v);
	av_corpus_free(&c);
}
END_TEST

/* corpus "a b / a b / a c", V = 4 (<unk> a b c), N = 3 targets:
 * unigram p(b) = 3/7, p(c) = 2/7, best b; bigram p(b|a) = (2 + 3/7) / 4,
 * p(c|a) = (1 + 2/7) / 4, best b. */
START_TEST(baselines_by_hand)
{
	const char text[] = "a b\na b\na c\n";
	av_corpus c;
	av_vocab v;
	ck_assert_int_eq(av_corpus_parse(&c, text, strlen(text), "t", NULL), AV_OK);
	av_corpus_split(&c, 0);
	av_vocab_init(&v, NULL);
	av_corpus_vocab(&v, &c, NULL);
	av_corpus_map(&c, &v);
	ck_assert_int_eq(v.n, 4);
	av_baselines b;
	ck_assert_int_eq(av_baselines_compute(&b, &c, v.n, false, NULL), AV_OK);
	ck_assert_int_eq(b.unigram.count, 3);
	ck_assert_double_eq_tol(b.unigram.loss, -(2 * log(3.0 / 7) + log(2.0 / 7)) / 3, 1e-12);
	ck_assert_double_eq_tol(b.unigram.acc, 2.0 / 3, 1e-12);
	ck_assert_double_eq_tol(b.bigram.loss,
				-(2 * log((2 + 3.0 / 7) / 4) + log((1 + 2.0 / 7) / 4)) / 3, 1e-12);
	ck_assert_double_eq_tol(b.bigram.acc, 2.0 / 3, 1e-12);
	av_vocab_free(&v);
	av_corpus_free(&c);
}
END_TEST

/* ---- generation ---------------------------------------------------------------- */

/* The decoder's row t (from the K/V cache) equals row t of the batched
 * forward of tokens 0..t, for every mask, 1 and 2 heads, positional on and
 * off; under the causal mask it equals row t of the whole sentence too. */
START_TEST(cached_row_equals_batched_row)
{
	for (int mask = 0; mask < AV_MASK_COUNT; mask++)
		for (int heads = 1; heads <= 2; heads++)
			for (int pos = 0; pos <= 1; pos++) {
				av_lm lm;
				av_decoder d;
				ck_assert_int_eq(av_lm_create(&lm, 6, 4, 3, heads, (av_mask_kind)mask,
							      pos, NULL), AV_OK);
				randomize(&lm, 21);
				ck_assert_int_eq(av_decoder_create(&d, &lm, NULL), AV_OK);
				float full[6 * 6];
				av_lm_forward(&lm, sent_a, 6, NULL, NULL);
				memcpy(full, lm.a_prob, sizeof full);
				for (int t = 0; t < 6; t++) {
					ck_assert(av_decoder_push(&d, sent_a[t]));
					av_lm_forward(&lm, sent_a, t + 1, NULL, NULL);
					for (int v = 0; v < 6; v++) {
						ck_assert_float_eq_tol(d.attn_prob[v], lm.a_prob[t * 6 + v], 1e-5f);
						ck_assert_float_eq_tol(d.rnn_prob[v], lm.r_prob[t * 6 + v], 1e-5f);
						if (mask == AV_MASK_CAUSAL)
							ck_assert_float_eq_tol(d.attn_prob[v], full[t * 6 + v], 1e-5f);
					}
					/* head 0's weights over keys 0..t: the batched A row, where
					 * the mask lets row t see key j (the cache holds nothing
					 * elsewhere: attn_layer.h) */
					const float *A = av_attn_layer_weights(lm.cache, t + 1, lm.D,
									       lm.heads, 0);
					int ld = av_attn_layer_stride(t + 1);
					for (int j = 0; j <= t; j++)
						ck_assert_float_eq_tol(d.w[j],
								       av_mask_allows((av_mask_kind)mask, t, j)
									       ? A[t * ld + j] : 0.0f,
								       1e-6f);
				}
				av_decoder_destroy(&d);
				av_lm_destroy(&lm);
			}
}
END_TEST

START_TEST(sampling)
{
	const float p[5] = { 0.1f, 0.5f, 0.05f, 0.3f, 0.05f };
	av_rng r = av_rng_stream(1, "s");
	int count[5] = { 0 };
	for (int i = 0; i < 20000; i++) {
		ck_assert_int_eq(av_sample(p, 5, 0.0f, 0, &r), 1); /* T = 0: argmax */
		ck_assert_int_eq(av_sample(p, 5, 1.0f, 1, &r), 1); /* top-1 */
		int k2 = av_sample(p, 5, 1.0f, 2, &r);
		ck_assert(k2 == 1 || k2 == 3);
		count[av_sample(p, 5, 1.0f, 0, &r)]++;
	}
	for (int v = 0; v < 5; v++) /* T = 1: the distribution itself */
		ck_assert_msg(fabs(count[v] / 20000.0 - p[v]) < 0.015, "%d: %d", v, count[v]);
	/* a low temperature sharpens: p^(1/T) */
	int hi = 0;
	for (int i = 0; i < 2000; i++)
		hi += av_sample(p, 5, 0.25f, 0, &r) == 1;
	ck_assert_int_gt(hi, 2000 * 0.85); /* .5^4 / (.5^4 + .3^4 + ...) = 0.88 */
	/* a tiny temperature tends to the argmax: p^(1/T) underflows for every
	 * word, so it is taken relative to the largest, never a last-word pick */
	const float tiny_t[] = { 1e-30f, 1e-6f, 1e-3f };
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 200; i++)
			ck_assert_int_eq(av_sample(p, 5, tiny_t[k], 0, &r), 1);
	const float q[3] = { 1e-30f, 1e-38f, 0.0f }; /* tiny, but the first is the most probable */
	for (int i = 0; i < 200; i++)
		ck_assert_int_eq(av_sample(q, 3, 0.01f, 0, &r), 0);
}
END_TEST

START_TEST(top_k_order)
{
	const float p[6] = { 0.1f, 0.3f, 0.05f, 0.3f, 0.2f, 0.05f };
	int ids[4];
	ck_assert_int_eq(av_top_k_ids(ids, NULL, p, 6, 4), 4);
	ck_assert_int_eq(ids[0], 1);
	ck_assert_int_eq(ids[1], 3);
	ck_assert_int_eq(ids[2], 4);
	ck_assert_int_eq(ids[3], 0);
	ck_assert_int_eq(av_top_k_ids(ids, NULL, p, 6, 1), 1);
	ck_assert_int_eq(ids[0], 1);
}
END_TEST

/* ---- corpus and vocabulary -------------------------------------------------- */

START_TEST(corpus_and_vocab)
{
	const char text[] = "# comment\n\nThe cat, sat.\n  \nthe dog\n";
	av_corpus c;
	ck_assert_int_eq(av_corpus_parse(&c, text, strlen(text), "x.txt", NULL), AV_OK);
	ck_assert_int_eq(c.n_sent, 2);
	ck_assert_int_eq(av_corpus_len(&c, 0), 5);
	ck_assert_int_eq(c.line[0], 3);
	ck_assert_int_eq(c.line[1], 5);
	av_vocab v;
	av_vocab_init(&v, NULL);
	av_corpus_vocab(&v, &c, NULL);
	ck_assert_int_eq(v.n, 7); /* <unk> the cat , sat . dog */
	ck_assert_str_eq(v.word[0], "<unk>");
	ck_assert_str_eq(v.word[1], "the");
	ck_assert_int_eq(av_vocab_id(&v, "dog"), 6);
	ck_assert_int_eq(av_vocab_id(&v, "bird"), AV_UNK_ID);
	av_vocab_free(&v);
	av_corpus_free(&c);
	/* the split: evenly spread, deterministic */
	const char ten[] = "a b\na b\na b\na b\na b\na b\na b\na b\na b\na b\n";
	ck_assert_int_eq(av_corpus_parse(&c, ten, strlen(ten), "t", NULL), AV_OK);
	av_corpus_split(&c, 0.2);
	int held = 0;
	for (int s = 0; s < 10; s++)
		held += c.heldout[s];
	ck_assert_int_eq(held, 2);
	ck_assert(c.heldout[4] && c.heldout[9]);
	av_corpus_free(&c);
}
END_TEST

START_TEST(corpus_errors_name_file_and_line)
{
	av_corpus c;
	av_error err;
	const char bad_utf8[] = "the cat\nthe \xff dog\n";
	ck_assert_int_eq(av_corpus_parse(&c, bad_utf8, strlen(bad_utf8), "en.txt", &err),
			 AV_ERR_UTF8);
	ck_assert_msg(strncmp(err.msg, "en.txt:2: ", 10) == 0 && strstr(err.msg, "expected"),
		      "%s", err.msg);
	char long_line[400] = "ok line\n\n";
	for (int i = 0; i < 70; i++)
		strcat(long_line, "a ");
	ck_assert_int_eq(av_corpus_parse(&c, long_line, strlen(long_line), "z", &err),
			 AV_ERR_TOO_MANY_TOKENS);
	ck_assert_msg(strncmp(err.msg, "z:3: ", 5) == 0, "%s", err.msg);
	ck_assert_int_eq(av_corpus_parse(&c, "one\ntwo\n", 8, "w", &err), AV_ERR_PARSE);
	ck_assert_msg(strncmp(err.msg, "w:2: no sentence of two tokens", 30) == 0, "%s", err.msg);
	ck_assert_int_eq(av_corpus_load(&c, "/nonexistent/corpus.txt", &err), AV_ERR_IO);
	ck_assert_msg(strstr(err.msg, "/nonexistent/corpus.txt") != NULL, "%s", err.msg);
	ck_assert(c.n_sent == 0 && c.tok == NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lm");
	TCase *grad = tcase_create("Gradients");
	tcase_set_timeout(grad, 60);
	tcase_add_test(grad, gradients_every_config);
	tcase_add_test(grad, gradients_reach_every_tensor);
	suite_add_tcase(s, grad);
	TCase *ref = tcase_create("Reference");
	tcase_add_test(ref, attn_layer_blas_matches_naive);
	tcase_add_test(ref, rnn_layer_blas_matches_naive);
	tcase_add_test(ref, head_blas_matches_naive);
	suite_add_tcase(s, ref);
	TCase *opt = tcase_create("Optimizers");
	tcase_add_test(opt, sgd_step_by_hand);
	tcase_add_test(opt, clip_and_adam_by_hand);
	suite_add_tcase(s, opt);
	TCase *tr = tcase_create("Training");
	tcase_set_timeout(tr, 120);
	tcase_add_test(tr, training_lowers_loss);
	tcase_add_test(tr, training_is_deterministic);
	tcase_add_test(tr, evaluation_loss_is_exact_far_below_underflow);
	tcase_add_test(tr, baselines_by_hand);
	tcase_add_test(tr, batch_weights_each_prediction_equally);
	tcase_add_test(tr, divergence_is_flagged);
	suite_add_tcase(s, tr);
	TCase *gen = tcase_create("Generation");
	tcase_add_test(gen, cached_row_equals_batched_row);
	tcase_add_test(gen, sampling);
	tcase_add_test(gen, top_k_order);
	suite_add_tcase(s, gen);
	TCase *cor = tcase_create("Corpus");
	tcase_add_test(cor, corpus_and_vocab);
	tcase_add_test(cor, corpus_errors_name_file_and_line);
	suite_add_tcase(s, cor);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
