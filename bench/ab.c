/* make bench-ab REV=...: two builds of attnviz's core in one process, their
 * calls alternating, so that a change of a few percent can be seen on a
 * machine whose speed drifts by more than that from one minute to the next
 * (two runs of attnviz bench one after the other cannot show it).
 * bench/ab.sh links the core library of revision REV with its public entry
 * points renamed A_..., and the working tree's as B_... (every other symbol
 * of each made local), into this program. For each n and model, sample s
 * times A then B (or B then A: the order alternates too) on the same
 * inputs; prints both medians and fastest samples, and the median and
 * quartiles of the per-sample ratios A/B (above 1: B is faster), then
 * whether B's outputs are A's bit for bit (else the largest difference,
 * relative to the largest output): a change meant to leave the numbers
 * alone must say "same".
 * One thread: two copies of the core cannot share one worker pool.
 * Usage: ab N,N,... SAMPLES */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_time.h"
#include "attnviz/mask.h"

#define DECLARE(P)                                                                         \
	void P##av_fast_attn_forward(float *, float *, const float *, const float *,       \
				     const float *, const float *, av_mask_kind, int, int, int, \
				     int);                                                 \
	size_t P##av_fast_attn_forward_workspace(int, int, int, int);                      \
	void P##av_fast_rnn_forward(float *, float *, const float *, const float *,         \
				    const float *, const float *, int, int, int);          \
	size_t P##av_fast_rnn_workspace(int, int);                                         \
	void P##av_attn_layer_forward(float *, float *, const float *, const float *,      \
				      av_mask_kind, int, int, int);                        \
	void P##av_attn_layer_backward(float *, float *, float *, const float *,           \
				       const float *, const float *, const float *,        \
				       av_mask_kind, int, int, int);                       \
	size_t P##av_attn_layer_cache_size(int, int, int);                                 \
	size_t P##av_attn_layer_scratch_size(int, int, int);                               \
	void P##av_rnn_layer_forward(float *, const float *, const float *, const float *, \
				     const float *, int, int, int);                        \
	void P##av_rnn_layer_backward(float *, float *, float *, float *, float *,         \
				      const float *, const float *, const float *,         \
				      const float *, const float *, int, int, int);
DECLARE(A_)
DECLARE(B_)

enum { D = 64 };

/* One build's entry points. */
typedef struct {
	void (*attn)(float *, float *, const float *, const float *, const float *, const float *,
		     av_mask_kind, int, int, int, int);
	size_t (*attn_ws)(int, int, int, int);
	void (*rnn)(float *, float *, const float *, const float *, const float *, const float *,
		    int, int, int);
	size_t (*rnn_ws)(int, int);
	void (*layer_fwd)(float *, float *, const float *, const float *, av_mask_kind, int, int,
			  int);
	void (*layer_bwd)(float *, float *, float *, const float *, const float *, const float *,
			  const float *, av_mask_kind, int, int, int);
	size_t (*cache_size)(int, int, int);
	size_t (*scratch_size)(int, int, int);
	void (*rnn_fwd)(float *, const float *, const float *, const float *, const float *, int,
			int, int);
	void (*rnn_bwd)(float *, float *, float *, float *, float *, const float *, const float *,
			const float *, const float *, const float *, int, int, int);
} build;

#define BUILD(P)                                                                           \
	{ P##av_fast_attn_forward, P##av_fast_attn_forward_workspace, P##av_fast_rnn_forward,  \
	  P##av_fast_rnn_workspace, P##av_attn_layer_forward, P##av_attn_layer_backward,       \
	  P##av_attn_layer_cache_size, P##av_attn_layer_scratch_size, P##av_rnn_layer_forward, \
	  P##av_rnn_layer_backward }

static const build builds[2] = { BUILD(A_), BUILD(B_) };

enum model { ATTENTION, ATTENTION_TRAIN, RNN, RNN_TRAIN, MODELS };
static const char *const model_name[MODELS] = { "attention", "attention-train", "rnn",
						"rnn-train" };

/* Inputs shared by both builds, and each build's outputs and work. */
typedef struct {
	float *X, *W3, *Wq, *Wk, *Wv, *We, *Wh, *b, *dZ;
	float *out[2][4]; /* per build: up to four outputs compared afterwards */
	size_t out_len[4];
	float *work[2], *work2[2];
} data;

static float *floats(size_t n)
{
	float *p = aligned_alloc(64, (n * sizeof *p + 63) / 64 * 64);
	if (!p) {
		fprintf(stderr, "bench-ab: out of memory\n");
		exit(1);
	}
	memset(p, 0, n * sizeof *p);
	return p;
}

static void fill(float *p, size_t n, unsigned seed, float scale)
{
	for (size_t i = 0; i < n; i++)
		p[i] = scale * ((float)((i * 2654435761u + seed * 40503u) % 2001) / 1000.0f - 1.0f);
}

/* One pass of model m by build k. */
static void run(const data *x, enum model m, int k, int n)
{
	const build *bd = &builds[k];
	float *const *o = x->out[k];
	size_t nd = (size_t)n * D;
	switch (m) {
	case ATTENTION:
		bd->attn(o[0], x->work[k], x->X, x->Wq, x->Wk, x->Wv, AV_MASK_CAUSAL, n, D, D, 1);
		break;
	case ATTENTION_TRAIN:
		memset(o[1], 0, sizeof(float) * nd);
		memset(o[2], 0, sizeof(float) * 3 * D * D);
		bd->layer_fwd(o[0], x->work[k], x->X, x->W3, AV_MASK_CAUSAL, n, D, 1);
		bd->layer_bwd(o[1], o[2], x->work2[k], x->dZ, x->work[k], x->X, x->W3,
			      AV_MASK_CAUSAL, n, D, 1);
		break;
	case RNN:
		bd->rnn(o[0], x->work[k], x->X, x->We, x->Wh, x->b, n, D, D);
		break;
	default: /* RNN_TRAIN: dX, dW_e, dW_h, db from 0 */
		memset(o[1], 0, sizeof(float) * nd);
		memset(o[2], 0, sizeof(float) * D * D);
		memset(o[3], 0, sizeof(float) * D * D);
		memset(x->work2[k], 0, sizeof(float) * D);
		bd->rnn_fwd(o[0], x->X, x->We, x->Wh, x->b, n, D, D);
		bd->rnn_bwd(o[1], o[2], o[3], x->work2[k], x->work[k], x->dZ, o[0], x->X, x->We,
			    x->Wh, n, D, D);
		break;
	}
}

/* "same" when B's outputs are A's bit for bit, else the largest difference
 * of an element relative to the largest element of its array (so that a
 * near-zero element does not make a rounding look large). */
static void compare(const data *x, int outs, char *buf, size_t len)
{
	double worst = 0.0;
	bool same = true;
	for (int o = 0; o < outs; o++) {
		double big = 0.0, diff = 0.0;
		for (size_t i = 0; i < x->out_len[o]; i++) {
			float a = x->out[0][o][i], b = x->out[1][o][i];
			big = fabs(a) > big ? fabs(a) : big;
			if (memcmp(&a, &b, sizeof a) == 0)
				continue;
			same = false;
			double d = fabs((double)a - (double)b);
			diff = d > diff || isnan(d) ? d : diff;
		}
		double rel = diff / (big > 0.0 ? big : 1.0);
		worst = rel > worst || isnan(rel) ? rel : worst;
	}
	if (same)
		snprintf(buf, len, "same");
	else
		snprintf(buf, len, "differ (%.1e of the largest)", worst);
}

static void measure(int n, int samples)
{
	size_t nd = (size_t)n * D, dd = (size_t)D * D;
	data x = { 0 };
	x.X = floats(nd), x.dZ = floats(nd), x.W3 = floats(3 * dd), x.We = floats(dd);
	x.Wh = floats(dd), x.b = floats(D);
	fill(x.X, nd, 1, 0.5f);
	fill(x.dZ, nd, 2, 0.5f);
	fill(x.W3, 3 * dd, 3, 0.125f);
	fill(x.We, dd, 4, 0.125f);
	fill(x.Wh, dd, 5, 0.125f);
	fill(x.b, D, 6, 0.1f);
	x.Wq = x.W3, x.Wk = x.W3 + dd, x.Wv = x.W3 + 2 * dd;
	size_t lens[4] = { nd, nd, 3 * dd, dd };
	memcpy(x.out_len, lens, sizeof lens);
	for (int k = 0; k < 2; k++) {
		for (int o = 0; o < 4; o++)
			x.out[k][o] = floats(lens[o]);
		const build *bd = &builds[k];
		size_t w = bd->attn_ws(n, D, D, 1), c = bd->cache_size(n, D, 1);
		size_t r = bd->rnn_ws(D, D), s = bd->scratch_size(n, D, 1);
		w = w > c ? w : c;
		w = w > r ? w : r;
		w = w > nd ? w : nd; /* rnn-train's dpre (n, H) */
		x.work[k] = floats(w);
		x.work2[k] = floats(s > (size_t)D ? s : (size_t)D);
	}
	double *t = malloc(sizeof *t * 3 * (size_t)samples);
	if (!t) {
		fprintf(stderr, "bench-ab: out of memory\n");
		exit(1);
	}
	for (int m = 0; m < MODELS; m++) {
		double *ta = t, *tb = t + samples, *ratio = t + 2 * samples;
		for (int k = 0; k < 2; k++)
			run(&x, (enum model)m, k, n); /* warm-up */
		for (int s = 0; s < samples; s++)
			for (int i = 0; i < 2; i++) {
				int k = (s + i) % 2; /* A B, then B A, ... */
				double t0 = bench_now_s();
				run(&x, (enum model)m, k, n);
				(k ? tb : ta)[s] = bench_now_s() - t0;
			}
		for (int s = 0; s < samples; s++)
			ratio[s] = ta[s] / tb[s];
		int outs = m == ATTENTION_TRAIN ? 3 : m == RNN_TRAIN ? 4 : 1;
		x.out_len[2] = m == RNN_TRAIN ? dd : 3 * dd;
		char same[64];
		compare(&x, outs, same, sizeof same);
		qsort(ta, (size_t)samples, sizeof *ta, bench_cmp_double);
		qsort(tb, (size_t)samples, sizeof *tb, bench_cmp_double);
		qsort(ratio, (size_t)samples, sizeof *ratio, bench_cmp_double);
		printf("%-16s %6d %10.4f %10.4f %10.4f %10.4f %8.3f  %.3f-%.3f  %s\n", model_name[m], n,
		       1e3 * ta[samples / 2], 1e3 * tb[samples / 2], 1e3 * ta[0], 1e3 * tb[0],
		       ratio[samples / 2], ratio[samples / 4], ratio[3 * samples / 4], same);
		fflush(stdout);
	}
	free(t);
	for (int k = 0; k < 2; k++) {
		for (int o = 0; o < 4; o++)
			free(x.out[k][o]);
		free(x.work[k]);
		free(x.work2[k]);
	}
	free(x.X), free(x.dZ), free(x.W3), free(x.We), free(x.Wh), free(x.b);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s N,N,... SAMPLES\n", argv[0]);
		return 2;
	}
	int samples = atoi(argv[2]);
	if (samples < 3 || samples > 100000) {
		fprintf(stderr, "bench-ab: SAMPLES '%s': expected 3..100000\n", argv[2]);
		return 2;
	}
	printf("%-16s %6s %10s %10s %10s %10s %8s  %-11s  %s\n", "model", "n", "A med ms",
	       "B med ms", "A best", "B best", "A/B", "quartiles", "B's outputs");
	for (char *p = argv[1]; *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p || n < 1 || n > 65536 || (*end && *end != ',')) {
			fprintf(stderr, "bench-ab: N '%s': expected lengths 1..65536, comma-separated\n",
				argv[1]);
			return 2;
		}
		measure((int)n, samples);
		p = *end ? end + 1 : end;
	}
	return 0;
}
