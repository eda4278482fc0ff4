/* An independent reference for the tests: the slide's formulas recomputed
 * in double precision, in plain loops, from a model's inputs X and its
 * weights alone (never from its intermediate results). Written from the
 * README's definitions, not from src/core. Header-only: each test binary is
 * one translation unit. */
#ifndef ATTNVIZ_TESTS_REF_MODEL_H
#define ATTNVIZ_TESTS_REF_MODEL_H

#include <math.h>
#include <stdbool.h>
#include "attnviz/model.h"

/* 1 when query i may look at key j under the mask kind (README: causal
 * j <= i, none all, strict j < i, future j >= i). */
static inline int ref_mask(av_mask_kind kind, int i, int j)
{
	switch (kind) {
	case AV_MASK_CAUSAL: return j <= i;
	case AV_MASK_NONE: return 1;
	case AV_MASK_STRICT: return j < i;
	case AV_MASK_FUTURE: return j >= i;
	default: return -1;
	}
}

/* h (n, H): h_t = tanh(W_h h_{t-1} + W_e c_t + b), h_0 = 0. */
static inline void ref_rnn(double *h, const av_model *m)
{
	int n = m->n, D = m->cfg.d_model, H = m->cfg.d_hidden;
	const av_weights *w = &m->w;
	for (int t = 0; t < n; t++)
		for (int r = 0; r < H; r++) {
			double s = w->b[r];
			for (int c = 0; c < D; c++)
				s += (double)w->W_e[r * D + c] * m->X[t * D + c];
			if (t > 0)
				for (int c = 0; c < H; c++)
					s += (double)w->W_h[r * H + c] * h[(t - 1) * H + c];
			h[t * H + r] = tanh(s);
		}
}

/* Head k: scores (n, n) = Q K^T / sqrt(d_head) with Q = X W_q, K = X W_k;
 * weights (n, n) the row softmax over the keys the mask allows (a row with
 * none gets zeros); z (n, d_head) = weights V. Any output may be NULL. */
static inline void ref_head(double *scores, double *weights, double *z, const av_model *m, int k)
{
	int n = m->n, D = m->cfg.d_model, dh = m->w.d_head;
	const float *Wq = m->w.W_q[k], *Wk = m->w.W_k[k], *Wv = m->w.W_v[k];
	double S[AV_MAX_TOKENS * AV_MAX_TOKENS], P[AV_MAX_TOKENS * AV_MAX_TOKENS];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			double s = 0;
			for (int c = 0; c < dh; c++) {
				double q = 0, kk = 0;
				for (int e = 0; e < D; e++) {
					q += (double)m->X[i * D + e] * Wq[e * dh + c];
					kk += (double)m->X[j * D + e] * Wk[e * dh + c];
				}
				s += q * kk;
			}
			S[i * n + j] = s / sqrt((double)dh);
		}
	for (int i = 0; i < n; i++) {
		double max = -INFINITY, sum = 0;
		for (int j = 0; j < n; j++)
			if (ref_mask(m->cfg.mask, i, j) && S[i * n + j] > max)
				max = S[i * n + j];
		for (int j = 0; j < n; j++) {
			P[i * n + j] = ref_mask(m->cfg.mask, i, j) ? exp(S[i * n + j] - max) : 0.0;
			sum += P[i * n + j];
		}
		for (int j = 0; j < n; j++)
			P[i * n + j] = sum > 0 ? P[i * n + j] / sum : 0.0;
	}
	for (int i = 0; i < n * n; i++) {
		if (scores)
			scores[i] = S[i];
		if (weights)
			weights[i] = P[i];
	}
	if (z)
		for (int i = 0; i < n; i++)
			for (int c = 0; c < dh; c++) {
				double s = 0;
				for (int j = 0; j < n; j++) {
					double v = 0;
					for (int e = 0; e < D; e++)
						v += (double)m->X[j * D + e] * Wv[e * dh + c];
					s += P[i * n + j] * v;
				}
				z[i * dh + c] = s;
			}
}

#endif
