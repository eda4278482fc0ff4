/* `attnviz bench`: the slide's claim, measured. Times the forward pass of
 * the RNN (n dependent steps) and of causal self-attention (every row at
 * once) for several sequence lengths and OpenBLAS thread counts, with the
 * fast kernels of attnviz/fast.h, and prints a table (or --csv), a log-log
 * plot and one sentence that says what the numbers mean. */
#include "cli/bench.h"
#include "attnviz/i18n.h"

#include <cblas.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/attn_layer.h"
#include "attnviz/fast.h"
#include "attnviz/tokenize.h"
#include "attnviz/model.h"
#include "attnviz/rng.h"
#include "attnviz/rnn_layer.h"
#include "cli/bench_plot.h"
#include "cli/cliarg.h"
#include "cli/report.h"

#define MAX_LIST 32
#define MAX_N 65536
#define MAX_DIM 1024
#define MAX_THREADS 256
#define MAX_REPS 1000
#define DEFAULT_REPS 9
#define MIN_SAMPLE_S 0.002 /* a timed sample repeats the pass for at least this long */
#define PEAK_PROBE_S 0.2   /* the FMA-peak probe: best run within this long */

/* The forward passes on the fast kernels, then one training pass of each
 * layer (forward + backward with a fixed upstream gradient, no vocabulary
 * head) on the kernels attnviz train uses (attnviz/attn_layer.h, rnn_layer.h). */
typedef enum {
	MODEL_RNN,
	MODEL_ATTENTION,
	MODEL_RNN_TRAIN,
	MODEL_ATTN_TRAIN,
	MODEL_COUNT
} bench_model;
static const char *const model_names[MODEL_COUNT] = { "rnn", "attention", "rnn-train",
						      "attention-train" };

typedef struct {
	int n[MAX_LIST], n_count;
	int threads[MAX_LIST], threads_count;
	int dim;
	int reps;
	bool csv, help;
	const char *dump; /* --dump DIR, or NULL */
} bench_options;

typedef struct {
	bench_model model;
	int n, d, threads;
	double median_ms;
	double gflops;  /* at the median */
	double best_ms; /* the fastest sample: what the core did when it was ours */
} bench_result;

/* xgettext:no-c-format */
static const char *const bench_help = N_(	"Usage: attnviz bench [OPTION]...\n"
	"Time the forward pass of the RNN (h_n = tanh(W_h h_{n-1} + W_e c_n + b): n steps,\n"
	"each waiting for the one before) and of causal self-attention (all rows at once,\n"
	"a 0/1 lower-triangular mask before the softmax) for several sequence lengths n,\n"
	"on 1 and on all cores, and print what the numbers say. Models: rnn and\n"
	"attention (the forward pass, attnviz's fast kernels), rnn-train and\n"
	"attention-train (forward + backward of the layer alone with a fixed upstream\n"
	"gradient, on the kernels attnviz train uses: back-propagation through time\n"
	"for the RNN, one-thread blocked products for attention; left out at an n whose\n"
	"n x n matrices would take more than a quarter of the RAM).\n"
	"\n"
	"  --n LIST        sequence lengths, comma-separated, each 1..65536\n"
	"                  (default 16,64,256,1024,2048,4096)\n"
	"  --dim D         size d of c_n, h_n, q_i, k_j (one head), 1..1024 (default 64)\n"
	"  --threads LIST  thread counts, comma-separated, each 1..256 (default 1 and the\n"
	"                  number of cores): OpenBLAS's (openblas_set_num_threads) and, on\n"
	"                  CPUs with AVX2 or AVX-512, the threads attention's row strips\n"
	"                  run on (a pool started once, parked between passes)\n"
	"  --reps R        timed samples per measurement after a warm-up, 1..1000;\n"
	"                  the median is reported (default 9); the thread counts'\n"
	"                  samples alternate, so that they share the machine's moments\n"
	"  --csv           print only CSV: model,n,d,threads,median_ms,gflops\n"
	"  --dump DIR      time nothing: write the inputs and outputs of one pass at the\n"
	"                  first n into the existing directory DIR as little-endian\n"
	"                  float32 files X, W_q, W_k, W_v, W_e, W_h, b, Z (attention),\n"
	"                  h (RNN), and of the training passes dZ, attn_dX, attn_dW\n"
	"                  (dW_q, dW_k, dW_v), dh, rnn_dX, rnn_dW_h, each NAME.f32\n"
	"                  (make bench-peer checks its peers against them)\n"
	"  -h, --help      show this help and exit\n"
	"\n"
	"GFLOP/s counts only the work each model needs: for attention the Q, K, V\n"
	"projections and, under the causal mask, the n(n+1)/2 scores and weights that\n"
	"are not masked away; for the RNN the input projections and n products W_h h;\n"
	"a training pass three times its forward's work.\n"
	"% peak is the fastest sample's rate as a share of the FMA peak measured on\n"
	"this core before the table (independent chains of the widest FMA the CPU has:\n"
	"AVX-512, AVX2 or scalar; best run in thread CPU time), times the threads (at\n"
	"most the cores): a busy machine slows the median, not what the core can do.\n"
	"% sgemm is the median's share of a dense cblas_sgemm on as many threads, a\n"
	"second reference (with attnviz's own tile product beside it when the CPU has\n"
	"AVX2 or AVX-512).\n"
	"Progress goes to stderr when it is a terminal; a run estimated to take more\n"
	"than a minute says so on stderr first, terminal or not.\n"
	"Exit status: 0 on success, 1 on an output error, 2 on a bad option.\n");

/* ---- options ------------------------------------------------------------ */

static int cores(void)
{
	long c = sysconf(_SC_NPROCESSORS_ONLN);
	return c < 1 ? 1 : c > MAX_THREADS ? MAX_THREADS : (int)c;
}

/* Bytes the largest measurement allocates (X, outputs, weights, workspaces). */
static double bytes_needed(int n, int d, int threads)
{
	double floats = (double)n * d * 2 + (double)av_fast_attn_forward_workspace(n, d, d, threads) +
			4.0 * d * d + d + (double)av_fast_rnn_workspace(d, d) + 7.0 * n * d +
			8.0 * d * d;
	return floats * sizeof(float);
}

/* True when attention-train's n x n cache and scratch (the training layer
 * keeps the weights matrix) fit in a quarter of the RAM: at n = 65536 they
 * would take 32 GiB, and the training models are left out at such n. */
static bool train_fits(int n, int d)
{
	double bytes = ((double)av_attn_layer_cache_size(n, d, 1) +
			(double)av_attn_layer_scratch_size(n, d, 1)) * sizeof(float);
	double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
	return ram <= 0 || bytes <= ram / 4;
}

enum { OPT_N = 256, OPT_DIM, OPT_THREADS, OPT_REPS, OPT_CSV, OPT_DUMP };

static const struct option bench_long_options[] = {
	{ "n", required_argument, NULL, OPT_N },
	{ "dim", required_argument, NULL, OPT_DIM },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "reps", required_argument, NULL, OPT_REPS },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options, through the program's one strict parser (cli/cliarg.h):
 * getopt_long and its error lines, strict numbers. */
static av_status parse_options(bench_options *o, int argc, char **argv, av_error *err)
{
	static const int default_n[] = { 16, 64, 256, 1024, 2048, 4096 };
	memcpy(o->n, default_n, sizeof default_n);
	o->n_count = (int)(sizeof default_n / sizeof default_n[0]);
	o->threads[0] = 1;
	o->threads_count = 1;
	if (cores() > 1)
		o->threads[o->threads_count++] = cores();
	o->dim = 64;
	o->reps = DEFAULT_REPS;
	o->csv = o->help = false;
	o->dump = NULL;

	optind = 1;
	opterr = 0;
	int c;
	av_status st = AV_OK;
	while (st == AV_OK && (c = getopt_long(argc, argv, ":h", bench_long_options, NULL)) != -1) {
		switch (c) {
		case OPT_N:
			st = cliarg_int_list(o->n, MAX_LIST, &o->n_count, "--n", optarg, 1, MAX_N, err);
			break;
		case OPT_DIM: st = cliarg_int(&o->dim, "--dim", optarg, 1, MAX_DIM, err); break;
		case OPT_THREADS:
			st = cliarg_int_list(o->threads, MAX_LIST, &o->threads_count, "--threads",
					     optarg, 1, MAX_THREADS, err);
			break;
		case OPT_REPS: st = cliarg_int(&o->reps, "--reps", optarg, 1, MAX_REPS, err); break;
		case OPT_CSV: o->csv = true; break;
		case OPT_DUMP:
			if (*optarg == '\0')
				st = av_error_set(err, AV_ERR_RANGE, _("--dump '': expected a directory"));
			o->dump = optarg;
			break;
		case 'h': o->help = true; break;
		default: st = cliarg_getopt_error(err, c, bench_long_options, argv, "attnviz bench"); break;
		}
	}
	if (st == AV_OK)
		st = cliarg_no_operands(err, argc, argv, " (see attnviz bench --help)");
	if (st != AV_OK)
		return st;

	/* Memory: the largest n must fit in half of the machine's RAM. */
	int n_max = 0;
	for (int i = 0; i < o->n_count; i++)
		n_max = o->n[i] > n_max ? o->n[i] : n_max;
	double ram = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
	int t_max = 1;
	for (int i = 0; i < o->threads_count; i++)
		t_max = o->threads[i] > t_max ? o->threads[i] : t_max;
	double need = bytes_needed(n_max, o->dim, t_max);
	if (ram > 0 && need > ram / 2)
		return av_error_set(err, AV_ERR_RANGE,
				    _("--n %d with --dim %d needs %.1f GiB, more than half of this "
				    "machine's %.1f GiB; use a smaller n or d"),
				    n_max, o->dim, need / 1073741824.0, ram / 1073741824.0);
	return AV_OK;
}

/* ---- timing ------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Inputs and outputs of one sequence length, allocated once. */
typedef struct {
	int n, d;
	int threads; /* for attention's strips (set before each measurement) */
	float *X;                 /* (n, d) inputs c_n */
	float *W_q, *W_k, *W_v;   /* (d, d) each */
	float *W_e, *W_h, *b;     /* (d, d), (d, d), (d) */
	float *Z;                 /* (n, d) attention output */
	float *h;                 /* (n, d) RNN hidden states */
	float *attn_work, *rnn_work;
	/* training passes (when train: see train_fits) */
	bool train;
	float *W_qkv;             /* (1, 3, d, d): W_q, W_k, W_v, as attn_layer.h wants */
	float *cache, *scratch;   /* attn_layer's forward cache and backward scratch */
	float *dZ, *dh;           /* (n, d) fixed upstream gradients */
	float *dX, *dW_qkv;       /* (n, d), (3, d, d) */
	float *dpre, *dX_rnn, *dW_e, *dW_h, *db; /* (n, d) x 2, (d, d) x 2, (d) */
} bench_data;

static void fill(float *x, size_t count, const char *name, float limit)
{
	av_rng r = av_rng_stream(AV_DEFAULT_SEED, name);
	for (size_t i = 0; i < count; i++)
		x[i] = av_rng_symmetric(&r, limit);
}

static void data_free(bench_data *b)
{
	free(b->X);
	free(b->W_q);
	free(b->W_k);
	free(b->W_v);
	free(b->W_e);
	free(b->W_h);
	free(b->b);
	free(b->Z);
	free(b->h);
	free(b->attn_work);
	free(b->rnn_work);
	float *train[] = { b->W_qkv, b->cache, b->scratch, b->dZ, b->dh, b->dX, b->dW_qkv,
			   b->dpre, b->dX_rnn, b->dW_e, b->dW_h, b->db };
	for (size_t i = 0; i < sizeof train / sizeof train[0]; i++)
		free(train[i]);
	memset(b, 0, sizeof *b);
}

static int data_alloc(bench_data *b, int n, int d, int threads)
{
	memset(b, 0, sizeof *b);
	b->n = n;
	b->d = d;
	size_t nd = (size_t)n * d, dd = (size_t)d * d;
	/* Every array on a 64-byte line, as the kernels prefer (av_fast_alloc). */
	b->X = av_fast_alloc(nd);
	b->W_q = av_fast_alloc(dd);
	b->W_k = av_fast_alloc(dd);
	b->W_v = av_fast_alloc(dd);
	b->W_e = av_fast_alloc(dd);
	b->W_h = av_fast_alloc(dd);
	b->b = av_fast_alloc((size_t)d);
	b->Z = av_fast_alloc(nd);
	b->h = av_fast_alloc(nd);
	b->attn_work = av_fast_alloc(av_fast_attn_forward_workspace(n, d, d, threads));
	b->rnn_work = av_fast_alloc(av_fast_rnn_workspace(d, d));
	b->W_qkv = av_fast_alloc(3 * dd);
	b->train = train_fits(n, d);
	if (b->train) {
		b->cache = av_fast_alloc(av_attn_layer_cache_size(n, d, 1));
		b->scratch = av_fast_alloc(av_attn_layer_scratch_size(n, d, 1));
	}
	b->dZ = av_fast_alloc(nd);
	b->dh = av_fast_alloc(nd);
	b->dX = av_fast_alloc(nd);
	b->dW_qkv = av_fast_alloc(3 * dd);
	b->dpre = av_fast_alloc(nd);
	b->dX_rnn = av_fast_alloc(nd);
	b->dW_e = av_fast_alloc(dd);
	b->dW_h = av_fast_alloc(dd);
	b->db = av_fast_alloc((size_t)d);
	if (!b->X || !b->W_q || !b->W_k || !b->W_v || !b->W_e || !b->W_h || !b->b || !b->Z ||
	    !b->h || !b->attn_work || !b->rnn_work || !b->W_qkv ||
	    (b->train && (!b->cache || !b->scratch)) ||
	    !b->dZ || !b->dh || !b->dX || !b->dW_qkv || !b->dpre || !b->dX_rnn || !b->dW_e || !b->dW_h ||
	    !b->db) {
		data_free(b);
		return -1;
	}
	float glorot = sqrtf(6.0f / (2.0f * (float)d));
	fill(b->X, nd, "bench.X", 1.0f);
	fill(b->W_q, dd, "W_q.0", glorot);
	fill(b->W_k, dd, "W_k.0", glorot);
	fill(b->W_v, dd, "W_v.0", glorot);
	fill(b->W_e, dd, "W_e", glorot);
	fill(b->W_h, dd, "W_h", glorot);
	fill(b->b, (size_t)d, "b", 0.1f);
	memcpy(b->W_qkv, b->W_q, sizeof(float) * dd);
	memcpy(b->W_qkv + dd, b->W_k, sizeof(float) * dd);
	memcpy(b->W_qkv + 2 * dd, b->W_v, sizeof(float) * dd);
	fill(b->dZ, nd, "bench.dZ", 1.0f);
	fill(b->dh, nd, "bench.dh", 1.0f);
	return 0;
}

static void run_once(bench_data *b, bench_model model)
{
	size_t nd = (size_t)b->n * b->d, dd = (size_t)b->d * b->d;
	switch (model) {
	case MODEL_RNN:
		av_fast_rnn_forward(b->h, b->rnn_work, b->X, b->W_e, b->W_h, b->b, b->n, b->d, b->d);
		break;
	case MODEL_ATTENTION:
		av_fast_attn_forward(b->Z, b->attn_work, b->X, b->W_q, b->W_k, b->W_v,
				     AV_MASK_CAUSAL, b->n, b->d, b->d, b->threads);
		break;
	case MODEL_RNN_TRAIN: /* gradients are added to: start each pass from 0 */
		memset(b->dX_rnn, 0, sizeof(float) * nd);
		memset(b->dW_e, 0, sizeof(float) * dd);
		memset(b->dW_h, 0, sizeof(float) * dd);
		memset(b->db, 0, sizeof(float) * (size_t)b->d);
		av_rnn_layer_forward(b->h, b->X, b->W_e, b->W_h, b->b, b->n, b->d, b->d);
		av_rnn_layer_backward(b->dX_rnn, b->dW_e, b->dW_h, b->db, b->dpre, b->dh, b->h, b->X,
				      b->W_e, b->W_h, b->n, b->d, b->d);
		break;
	default:
		memset(b->dX, 0, sizeof(float) * nd);
		memset(b->dW_qkv, 0, sizeof(float) * 3 * dd);
		av_attn_layer_forward(b->Z, b->cache, b->X, b->W_qkv, AV_MASK_CAUSAL, b->n, b->d, 1);
		av_attn_layer_backward(b->dX, b->dW_qkv, b->scratch, b->dZ, b->cache, b->X,
				       b->W_qkv, AV_MASK_CAUSAL, b->n, b->d, 1);
		break;
	}
}

/* Passes per sample of model on the threads already set: one warm-up pass
 * timed, then enough passes for a sample to last MIN_SAMPLE_S. */
static long passes_per_sample(bench_data *b, bench_model model)
{
	double t0 = now_s();
	run_once(b, model);
	double once = now_s() - t0;
	long inner = once > 0 ? (long)ceil(MIN_SAMPLE_S / once) : 1000;
	return inner < 1 ? 1 : inner > 100000 ? 100000 : inner;
}

static void use_threads(bench_data *b, int threads)
{
	openblas_set_num_threads(threads);
	b->threads = threads;
}

/* med[t], best[t]: median and fastest seconds per pass of model on each of
 * the tc thread counts threads[t]. The samples are interleaved, round r
 * timing every thread count in turn, so that a drift of the machine's speed
 * (a shared VM's can move by 1.4x within a minute) lands on every thread
 * count alike and the speed-up column compares like with like. samples:
 * tc x reps scratch. */
static void time_model(double *med, double *best, bench_data *b, bench_model model,
		       const int *threads, int tc, int reps, double *samples)
{
	long inner[MAX_LIST];
	for (int t = 0; t < tc; t++) {
		use_threads(b, threads[t]);
		inner[t] = passes_per_sample(b, model);
	}
	for (int r = 0; r < reps; r++)
		for (int t = 0; t < tc; t++) {
			use_threads(b, threads[t]);
			double t0 = now_s();
			for (long k = 0; k < inner[t]; k++)
				run_once(b, model);
			samples[(size_t)t * reps + r] = (now_s() - t0) / (double)inner[t];
		}
	for (int t = 0; t < tc; t++) {
		double *x = samples + (size_t)t * reps;
		qsort(x, (size_t)reps, sizeof *x, cmp_double);
		med[t] = reps % 2 ? x[reps / 2] : 0.5 * (x[reps / 2 - 1] + x[reps / 2]);
		best[t] = x[0];
	}
}

/* Flops each model needs (multiply and add counted as two). */
static double model_flops(bench_model model, int n, int d)
{
	double N = n, D = d;
	switch (model) {
	case MODEL_RNN: /* W_e c_t for all t, then n products W_h h */
		return 4.0 * N * D * D;
	case MODEL_RNN_TRAIN: /* the forward; then W_h^T dpre along the chain, dW_h,
				 dW_e, dX: four products of 2 n d^2 each */
		return 4.0 * N * D * D + 8.0 * N * D * D;
	case MODEL_ATTENTION: /* Q, K, V projections; scores and weights V over the
				 n(n+1)/2 pairs j <= i */
		return 6.0 * N * D * D + 2.0 * D * N * (N + 1.0);
	default: /* the forward; then dV, dA, dQ, dK over the pairs j <= i (twice the
		    forward's pair work) and dW, dX of the three projections */
		return 6.0 * N * D * D + 2.0 * D * N * (N + 1.0) + 12.0 * N * D * D +
		       4.0 * D * N * (N + 1.0);
	}
}

/* Dense GFLOP/s of a 1024^3 product (best of 3 after a warm-up): cblas_sgemm
 * on the current OpenBLAS threads, or attnviz's own tiles (one thread). */
static double dense_rate(bool tiles)
{
	const int m = 1024, ld = m + 16;
	size_t mm = (size_t)m * ld;
	float *A = av_fast_alloc(mm), *B = av_fast_alloc(mm), *C = av_fast_alloc(mm);
	double best = INFINITY;
	if (A && B && C) {
		fill(A, mm, "roof.A", 1.0f);
		fill(B, mm, "roof.B", 1.0f);
		for (int r = 0; r < 4; r++) {
			double t0 = now_s();
			if (tiles) /* rows 1040 floats apart, as attention pads its own */
				av_fast_gemm(C, ld, A, ld, B, ld, m, m, m);
			else
				cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1.0f,
					    A, m, B, m, 0.0f, C, m);
			double t = now_s() - t0;
			if (r > 0 && t < best) /* the first call warms up */
				best = t;
		}
	}
	free(A);
	free(B);
	free(C);
	return isfinite(best) ? 2.0 * m * (double)mm / best * 1e-9 : 0.0;
}

/* ---- output ------------------------------------------------------------- */

static void cpu_model(char *out, size_t len)
{
	snprintf(out, len, "%s", _("unknown CPU"));
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "model name", 10) == 0) {
			char *colon = strchr(line, ':');
			if (colon) {
				colon++;
				while (*colon == ' ' || *colon == '\t')
					colon++;
				colon[strcspn(colon, "\n")] = '\0';
				snprintf(out, len, "%s", colon);
			}
			break;
		}
	}
	fclose(f);
}

static const bench_result *find(const bench_result *res, int count, bench_model model, int n,
				int threads)
{
	for (int i = 0; i < count; i++)
		if (res[i].model == model && res[i].n == n && res[i].threads == threads)
			return &res[i];
	return NULL;
}

/* The distinct n of the options in increasing order; returns how many. */
static int sorted_unique_n(const bench_options *o, int *ns)
{
	int count = 0;
	for (int i = 0; i < o->n_count; i++) {
		int v = o->n[i], j = count;
		bool seen = false;
		for (int k = 0; k < count; k++)
			seen = seen || ns[k] == v;
		if (seen)
			continue;
		while (j > 0 && ns[j - 1] > v) { /* insertion sort: a handful of values */
			ns[j] = ns[j - 1];
			j--;
		}
		ns[j] = v;
		count++;
	}
	return count;
}

/* Share of the FMA peak of as many cores as the threads (at most all). */
static double peak_share(double gflops, int threads, double peak1)
{
	int c = threads < cores() ? threads : cores();
	return peak1 > 0 ? 100.0 * gflops / (peak1 * c) : 0.0;
}

static void print_table(const bench_options *o, const bench_result *res, int count,
			const double *sgemm, double peak1)
{
	int base = o->threads[0]; /* speed-up is against the first thread count */
	for (int t = 1; t < o->threads_count; t++)
		base = o->threads[t] < base ? o->threads[t] : base;
	/* the header's words may be Chinese: padded by display width */
	const char *head[10] = { _("model"),
				"n",
				"d",
				_("threads"),
				_("median ms"),
				_("best ms"),
				"GFLOP/s",
				/* xgettext:no-c-format */ _("% peak"),
				/* xgettext:no-c-format */ _("% sgemm"),
				_("speed-up") };
	static const int width[10] = { -15, 6, 5, 8, 11, 10, 9, 7, 8, 10 };
	for (int k = 0; k < 10; k++) {
		int pad = abs(width[k]) - av_utf8_width(head[k]);
		pad = pad > 0 ? pad : 0;
		if (width[k] < 0)
			printf("%s%s%*s", k ? " " : "", head[k], pad, "");
		else
			printf("%s%*s%s", k ? " " : "", pad, "", head[k]);
	}
	putchar('\n');
	for (int m = 0; m < MODEL_COUNT; m++)
		for (int i = 0; i < o->n_count; i++)
			for (int t = 0; t < o->threads_count; t++) {
				const bench_result *r = find(res, count, (bench_model)m, o->n[i],
							     o->threads[t]);
				const bench_result *r1 = find(res, count, (bench_model)m, o->n[i], base);
				if (!r)
					continue;
				char speed[32];
				snprintf(speed, sizeof speed, "%.2fx", r1->median_ms / r->median_ms);
				double best_gflops = r->gflops * r->median_ms / r->best_ms;
				printf("%-15s %6d %5d %8d %11.4f %10.4f %9.2f %6.0f%% %7.0f%% %10s\n",
				       model_names[m], r->n, r->d, r->threads, r->median_ms, r->best_ms,
				       r->gflops, peak_share(best_gflops, r->threads, peak1),
				       sgemm[t] > 0 ? 100.0 * r->gflops / sgemm[t] : 0.0, speed);
			}
	printf(base == 1 ? _("(GFLOP/s, %% sgemm and speed-up from the medians; %% peak: the best sample's rate "
	       "as a share of the FMA peak of as many cores, measured in CPU time, which a busy "
	       "machine does not lower; speed-up: time on %d thread / time on this many; "
	       "%% sgemm: of the dense cblas_sgemm rate on as many threads%s)\n")
			 : _("(GFLOP/s, %% sgemm and speed-up from the medians; %% peak: the best sample's rate "
	       "as a share of the FMA peak of as many cores, measured in CPU time, which a busy "
	       "machine does not lower; speed-up: time on %d threads / time on this many; "
	       "%% sgemm: of the dense cblas_sgemm rate on as many threads%s)\n"),
	       base,
	       /* xgettext:no-c-format */
	       av_fast_has_tiles() ? _(", above 100% where attnviz's tiles outrun OpenBLAS's kernel")
				   : "");
}

static void print_plot(const bench_options *o, const bench_result *res, int count)
{
	static const char markers[2][MODEL_COUNT] = { { 'R', 'A', 'B', 'T' }, { 'r', 'a', 'b', 't' } };
	double xs[2][MODEL_COUNT][MAX_LIST], ys[2][MODEL_COUNT][MAX_LIST];
	char labels[2][MODEL_COUNT][64];
	bench_series series[2 * MODEL_COUNT];
	int n_series = 0;
	/* Fewest and most threads: two series per model at most. */
	int tmin = o->threads[0], tmax = o->threads[0];
	for (int t = 1; t < o->threads_count; t++) {
		tmin = o->threads[t] < tmin ? o->threads[t] : tmin;
		tmax = o->threads[t] > tmax ? o->threads[t] : tmax;
	}
	int sorted_n[MAX_LIST], n_unique = sorted_unique_n(o, sorted_n);
	for (int k = 0; k < (tmax == tmin ? 1 : 2); k++) {
		int th = k ? tmax : tmin;
		for (int m = 0; m < MODEL_COUNT; m++) {
			int c = 0;
			for (int i = 0; i < n_unique; i++) {
				const bench_result *r = find(res, count, (bench_model)m, sorted_n[i], th);
				if (r && r->median_ms > 0) {
					xs[k][m][c] = r->n;
					ys[k][m][c] = r->median_ms;
					c++;
				}
			}
			snprintf(labels[k][m], sizeof labels[k][m],
				 th == 1 ? _("%s, %d thread") : _("%s, %d threads"), model_names[m], th);
			series[n_series++] = (bench_series){ markers[k][m], labels[k][m], c, xs[k][m],
							     ys[k][m] };
		}
	}
	printf("%s", _("\nmedian time of one forward pass against n (log-log):\n\n"));
	bench_plot(stdout, series, n_series, 60, 16, "n", "ms");
}

/* One sentence: who wins where, what threads give, the dependency depths. */

/* "1.64x faster", "no faster (1.02x)" or "slower (0.92x)": a ratio of
 * times read as words, so a slowdown is never called a speed-up. Two
 * buffers, used in turn, as one printf may take two results. */
static const char *gain_words(double gain)
{
	static char buf[2][48];
	static int k;
	k ^= 1;
	if (gain >= 1.05)
		snprintf(buf[k], sizeof buf[k], _("%.2fx faster"), gain);
	else if (gain > 0.95)
		snprintf(buf[k], sizeof buf[k], _("no faster (%.2fx)"), gain);
	else
		snprintf(buf[k], sizeof buf[k], _("slower (%.2fx)"), gain);
	return buf[k];
}

static void print_summary(const bench_options *o, const bench_result *res, int count,
			  double peak1)
{
	int tmin = o->threads[0], tmax = o->threads[0];
	int nmax = o->n[0];
	for (int t = 1; t < o->threads_count; t++) {
		tmin = o->threads[t] < tmin ? o->threads[t] : tmin;
		tmax = o->threads[t] > tmax ? o->threads[t] : tmax;
	}
	for (int i = 1; i < o->n_count; i++)
		nmax = o->n[i] > nmax ? o->n[i] : nmax;

	/* Who is faster on tmin threads, as runs of n in increasing order:
	 * "attention at n = 16, the RNN at n = 64 to 4096". */
	int ns[MAX_LIST], n_unique = sorted_unique_n(o, ns);
	char wins[512] = "";
	size_t used = 0;
	int run_start = -1, run_winner = -1, runs = 0;
	for (int i = 0; i <= n_unique; i++) {
		int winner = -1;
		if (i < n_unique) {
			const bench_result *r = find(res, count, MODEL_RNN, ns[i], tmin);
			const bench_result *a = find(res, count, MODEL_ATTENTION, ns[i], tmin);
			winner = r->median_ms <= a->median_ms ? MODEL_RNN : MODEL_ATTENTION;
		}
		if (winner == run_winner)
			continue;
		if (run_winner >= 0 && used < sizeof wins) { /* close the run */
			const char *who = run_winner == MODEL_RNN ? _("the RNN") : _("attention");
			const char *sep = runs == 0 ? "" : i == n_unique ? _(" and ") : _(", ");
			if (ns[i - 1] == ns[run_start])
				used += (size_t)snprintf(wins + used, sizeof wins - used,
							 _("%s%s at n = %d"), sep, who, ns[run_start]);
			else
				used += (size_t)snprintf(wins + used, sizeof wins - used,
							 _("%s%s at n = %d to %d"), sep, who,
							 ns[run_start], ns[i - 1]);
			runs++;
		}
		run_start = i;
		run_winner = winner;
	}
	const bench_result *r_last = find(res, count, MODEL_RNN, nmax, tmin);
	const bench_result *a_last = find(res, count, MODEL_ATTENTION, nmax, tmin);
	double ratio = r_last->median_ms <= a_last->median_ms
			       ? a_last->median_ms / r_last->median_ms
			       : r_last->median_ms / a_last->median_ms;
	if (used < sizeof wins)
		snprintf(wins + used, sizeof wins - used, _(" (%s by %.1fx at n = %d)"),
			 r_last->median_ms <= a_last->median_ms ? _("the RNN") : _("attention"), ratio,
			 nmax);

	if (runs == 1) /* one winner everywhere */
		snprintf(wins, sizeof wins, _("%s is faster at every n measured (%.1fx at n = %d)"),
			 r_last->median_ms <= a_last->median_ms ? _("the RNN") : _("attention"), ratio,
			 nmax);
	printf(tmin == 1 ? _("\nIn short: on %d thread %s%s; attention does ~n^2 d work and the RNN ~n d^2, but "
	       "the RNN's n = %d steps must run one after another (dependency depth %d) while "
	       "attention's depth is %d whatever n")
			 : _("\nIn short: on %d threads %s%s; attention does ~n^2 d work and the RNN ~n d^2, but "
	       "the RNN's n = %d steps must run one after another (dependency depth %d) while "
	       "attention's depth is %d whatever n"),
	       tmin, runs == 1 ? "" : _("the faster model is "), wins, nmax,
	       av_model_rnn_depth(nmax),
	       av_model_attn_depth(nmax));
	const bench_result *rt = find(res, count, MODEL_RNN_TRAIN, nmax, tmin);
	const bench_result *at = find(res, count, MODEL_ATTN_TRAIN, nmax, tmin);
	if (rt && at)
		printf(_("; a training pass (forward + backward) keeps the shape: %.3g ms for the RNN, "
		       "whose backward is again a chain of %d steps, against %.3g ms for attention, "
		       "whose backward is %d batched steps"),
		       rt->median_ms, av_rnn_backward_depth(nmax), at->median_ms,
		       AV_ATTN_BACKWARD_DEPTH);
	if (peak1 > 0) {
		const bench_result *a = find(res, count, MODEL_ATTENTION, nmax, tmin);
		int nc = tmin < cores() ? tmin : cores();
		printf(nc == 1 ? _(" (at n = %d attention's best pass uses %.0f%% of the FMA peak of %d core)")
			       : _(" (at n = %d attention's best pass uses %.0f%% of the FMA peak of %d cores)"),
		       nmax, peak_share(a->gflops * a->median_ms / a->best_ms, tmin, peak1), nc);
	}
	if (tmax != tmin) {
		const bench_result *r1 = find(res, count, MODEL_RNN, nmax, tmin);
		const bench_result *rN = find(res, count, MODEL_RNN, nmax, tmax);
		const bench_result *a1 = find(res, count, MODEL_ATTENTION, nmax, tmin);
		const bench_result *aN = find(res, count, MODEL_ATTENTION, nmax, tmax);
		double a_gain = a1->median_ms / aN->median_ms, r_gain = r1->median_ms / rN->median_ms;
		/* Below the threading threshold attention runs on one thread, so any
		 * difference between the columns is noise: say so first. */
		if (nmax < AV_FAST_THREADS_MIN_N && av_fast_has_tiles())
			printf(_("; attention runs on one thread below n = %d (a pass that short "
			       "gains nothing from a second), so threads cannot help either model here"),
			       AV_FAST_THREADS_MIN_N);
		else if (a_gain > 1.1 && a_gain > r_gain)
			printf(_(", so going from %d to %d threads makes attention %.2fx faster at n = %d "
			       "and the RNN %s"),
			       tmin, tmax, a_gain, nmax, gain_words(r_gain));
		else
			printf(_("; here %d threads instead of %d made attention %s and the RNN %s at "
			       "n = %d (attention's strips need idle cores: is the machine busy?)"),
			       tmax, tmin, gain_words(a_gain), gain_words(r_gain), nmax);
	}
	printf("%s", _(".\n"));
}

/* ---- --dump ------------------------------------------------------------- */

/* Write count floats to dir/name.f32. */
static av_status dump_floats(const char *dir, const char *name, const float *x, size_t count,
			     av_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.f32", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		return av_error_set(err, AV_ERR_IO, _("--dump: cannot write %.250s: %s"), path,
				    strerror(errno));
	}
	size_t put = fwrite(x, sizeof *x, count, f);
	if (fclose(f) != 0 || put != count) {
		return av_error_set(err, AV_ERR_IO, _("--dump: cannot write %.250s"), path);
	}
	return AV_OK;
}

/* One pass of each model at n = o->n[0] on one thread, inputs and outputs
 * written to o->dump (float32 is the machine's byte order: little-endian
 * on every CPU the tiles run on). */
static av_status dump_pass(const bench_options *o, av_error *err)
{
	bench_data b;
	int n = o->n[0], d = o->dim;
	if (data_alloc(&b, n, d, 1) != 0) {
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for n = %d, d = %d"), n, d);
	}
	b.threads = 1;
	if (!b.train) {
		data_free(&b);
		return av_error_set(err, AV_ERR_RANGE,
				    _("--dump: n = %d is too large for the training passes' n x n "
				    "matrices; use a smaller n"),
				    n);
	}
	run_once(&b, MODEL_ATTN_TRAIN);
	run_once(&b, MODEL_RNN_TRAIN);
	run_once(&b, MODEL_ATTENTION); /* Z and h of the fast kernels last */
	run_once(&b, MODEL_RNN);
	size_t nd = (size_t)n * d, dd = (size_t)d * d;
	struct {
		const char *name;
		const float *x;
		size_t count;
	} files[] = { { "X", b.X, nd },     { "W_q", b.W_q, dd }, { "W_k", b.W_k, dd },
		      { "W_v", b.W_v, dd }, { "W_e", b.W_e, dd }, { "W_h", b.W_h, dd },
		      { "b", b.b, (size_t)d }, { "Z", b.Z, nd }, { "h", b.h, nd },
		      /* the training passes: upstream gradients and what they gave */
		      { "dZ", b.dZ, nd }, { "attn_dX", b.dX, nd }, { "attn_dW", b.dW_qkv, 3 * dd },
		      { "dh", b.dh, nd }, { "rnn_dX", b.dX_rnn, nd }, { "rnn_dW_h", b.dW_h, dd } };
	av_status rc = AV_OK;
	for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == AV_OK; i++)
		rc = dump_floats(o->dump, files[i].name, files[i].x, files[i].count, err);
	data_free(&b);
	return rc;
}

/* ---- main --------------------------------------------------------------- */

int bench_main(int argc, char **argv)
{
	bench_options o;
	av_error err;
	if (parse_options(&o, argc, argv, &err) != AV_OK)
		return report_error("attnviz bench", err.msg);
	if (o.help) {
		fputs(_(bench_help), stdout);
		return report_output_status("attnviz bench");
	}
	if (o.dump) { /* a file that cannot be written is an output error: status 1 */
		av_status rc = dump_pass(&o, &err);
		av_fast_release();
		if (rc == AV_OK)
			return 0;
		report_error("attnviz bench", err.msg);
		return REPORT_EXIT_OUTPUT;
	}

	bool progress = isatty(STDERR_FILENO);
	{ /* warn before a long wait, at a pessimistic 20 GFLOP/s: always, since
	   * a run in a script or CI waits just as long */
		double flops = 0.0;
		for (int i = 0; i < o.n_count; i++)
			for (int m = 0; m < MODEL_COUNT; m++)
				flops += model_flops((bench_model)m, o.n[i], o.dim);
		double seconds = flops * o.threads_count * (o.reps + 1) / 20e9;
		if (seconds > 60.0)
			fprintf(stderr,
				_("attnviz bench: this may take %.0f minutes or more (attention's work "
				"grows like n^2 d)\n"),
				seconds / 60.0);
	}
	double sgemm[MAX_LIST] = { 0 }, peak1 = 0.0;
	if (!o.csv) {
		char cpu[256];
		cpu_model(cpu, sizeof cpu);
		const char *core = openblas_get_corename();
		printf(_("attnviz bench: one forward pass over n tokens, d = %d, one head, "
		       "causal mask\n"),
		       o.dim);
		const char *coretype = getenv("OPENBLAS_CORETYPE");
		printf(cores() == 1 ? _("machine: %s, %d core, OpenBLAS core %s%s%s%s\n")
				    : _("machine: %s, %d cores, OpenBLAS core %s%s%s%s\n"),
		       cpu, cores(), core ? core : _("unknown"),
		       coretype ? " (OPENBLAS_CORETYPE=" : "", coretype ? coretype : "",
		       coretype ? ")" : "");
		if (progress)
			fprintf(stderr, "\r%s", _("measuring the FMA peak..."));
		av_isa isa = av_fast_isa();
		peak1 = av_fast_fma_peak(isa, PEAK_PROBE_S) * 1e-9;
		printf(_("FMA peak of one core (%s, measured): %.1f GFLOP/s; kernels run on %s\n"),
		       av_fast_isa_name(isa), peak1,
		       av_fast_has_tiles() ? _("attnviz's own register tiles") : _("cblas and plain loops"));
		printf("%s", _("sgemm reference (dense cblas_sgemm 1024x1024x1024):"));
		for (int t = 0; t < o.threads_count; t++) {
			if (progress)
				fprintf(stderr, "\r\033[K"), fprintf(stderr, _("measuring sgemm on %d thread(s)..."), o.threads[t]);
			openblas_set_num_threads(o.threads[t]);
			sgemm[t] = dense_rate(false);
			printf(o.threads[t] == 1 ? _("%s %.1f GFLOP/s on %d thread")
					 : _("%s %.1f GFLOP/s on %d threads"),
			       t ? _(",") : "", sgemm[t], o.threads[t]);
		}
		printf("\n");
		if (av_fast_has_tiles())
			printf(_("attnviz's own %s tiles, same product: %.1f GFLOP/s on 1 thread\n"),
			       av_fast_isa_name(isa), dense_rate(true));
		if (progress)
			fprintf(stderr, "\r\033[K");
		printf("\n");
		fflush(stdout);
	}

	int total = MODEL_COUNT * o.n_count * o.threads_count;
	bench_result *res = calloc((size_t)total, sizeof *res);
	double *samples = malloc(sizeof(double) * (size_t)o.reps * (size_t)o.threads_count);
	if (!res || !samples) {
		fprintf(stderr, _("attnviz bench: out of memory\n"));
		free(res);
		free(samples);
		return 1;
	}
	int count = 0, status = 0;
	for (int i = 0; i < o.n_count && status == 0; i++) {
		bench_data b;
		int t_max = 1;
		for (int t = 0; t < o.threads_count; t++)
			t_max = o.threads[t] > t_max ? o.threads[t] : t_max;
		if (data_alloc(&b, o.n[i], o.dim, t_max) != 0) {
			fprintf(stderr, _("attnviz bench: out of memory for n = %d, d = %d\n"), o.n[i],
				o.dim);
			status = 1;
			break;
		}
		/* per model, every thread count's samples interleaved (time_model);
		 * results kept in the table's order: thread count, then model */
		double med[MODEL_COUNT][MAX_LIST], best[MODEL_COUNT][MAX_LIST];
		bool timed[MODEL_COUNT] = { false };
		int done = 0; /* measurements of this n so far, for the progress line */
		for (int m = 0; m < MODEL_COUNT; m++) {
			bool train = m == MODEL_RNN_TRAIN || m == MODEL_ATTN_TRAIN;
			if (train && !b.train) /* too large at this n: left out */
				continue;
			if (progress) {
				char list[MAX_LIST * 12] = "";
				for (int t = 0; t < o.threads_count; t++)
					snprintf(list + strlen(list), sizeof list - strlen(list),
						 t ? ",%d" : "%d", o.threads[t]);
				fprintf(stderr, "\r\033[K"), fprintf(stderr,
					_("[%d/%d] %s n = %d, threads %s (interleaved)..."),
					count + done + o.threads_count, total, model_names[m], o.n[i],
					list);
			}
			time_model(med[m], best[m], &b, (bench_model)m, o.threads, o.threads_count,
				   o.reps, samples);
			timed[m] = true;
			done += o.threads_count;
		}
		for (int t = 0; t < o.threads_count; t++)
			for (int m = 0; m < MODEL_COUNT; m++) {
				if (!timed[m])
					continue;
				double sec = med[m][t];
				res[count++] = (bench_result){ (bench_model)m, o.n[i], o.dim, o.threads[t],
							       sec * 1e3,
							       model_flops((bench_model)m, o.n[i], o.dim) /
								       sec * 1e-9,
							       best[m][t] * 1e3 };
			}
		data_free(&b);
	}
	if (progress)
		fprintf(stderr, "\r\033[K");

	if (status == 0) {
		if (o.csv) {
			printf("model,n,d,threads,median_ms,gflops\n");
			for (int m = 0; m < MODEL_COUNT; m++)
				for (int i = 0; i < count; i++)
					if (res[i].model == (bench_model)m)
						printf("%s,%d,%d,%d,%.6f,%.3f\n", model_names[m],
						       res[i].n, res[i].d, res[i].threads,
						       res[i].median_ms, res[i].gflops);
		} else {
			print_table(&o, res, count, sgemm, peak1);
			print_plot(&o, res, count);
			print_summary(&o, res, count, peak1);
		}
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, _("attnviz bench: cannot write the output\n"));
			status = 1;
		}
	}
	free(res);
	free(samples);
	av_fast_release(); /* join the kernels' worker threads */
	return status;
}
