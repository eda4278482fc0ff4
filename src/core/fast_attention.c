/* Fast attention for long sequences: the same numbers as the naive chain
 * scores -> mask -> softmax -> weights V of attention.c, without ever
 * holding the n x n matrices. Queries go in strips of AV_FAST_BLOCK rows; a
 * strip's scores are one product against the keys some row of the strip may
 * see, so under a causal mask the key blocks above the diagonal are never
 * computed (about half the flops of the dense product). Each score row is
 * turned into e^(s - max) in place with a vectorized exp; the strip times V
 * is a second product, and each output row is divided by its row sum at the
 * end (d divisions per row instead of n). The products run on attnviz's
 * AVX-512 tiles (core/fast_gemm.c, strips shared among threads) when the CPU
 * has them and d is a multiple of 16, on cblas_sgemm otherwise. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-trapping-math", "fp-contract=fast") /* see core/fast_math.h */
#endif
#include "attnviz/fast.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "fast_gemm.h"
#include "fast_math.h"

/* Keys row i may see form one range [lo, hi) for every mask kind. */
static void key_range(av_mask_kind kind, int i, int n, int *lo, int *hi)
{
	switch (kind) {
	case AV_MASK_CAUSAL: *lo = 0; *hi = i + 1; break;
	case AV_MASK_NONE: *lo = 0; *hi = n; break;
	case AV_MASK_STRICT: *lo = 0; *hi = i; break;
	case AV_MASK_FUTURE: *lo = i; *hi = n; break;
	default: *lo = 0; *hi = 0; break;
	}
}

/* Independent accumulators of the max and sum reductions: enough for the
 * vectorizer to keep several vectors in flight (no reassociation needed). */
#define LANES 32

AV_CLONES
void av_fast_expf(float *y, const float *x, int len)
{
	for (int j = 0; j < len; j++)
		y[j] = av_exp_lane(x[j]);
}

/* row (len >= 1) = e^(row - max(row)) in place; returns the sum. */
AV_CLONES
static float exp_shift_sum(float *row, int len)
{
	float acc[LANES];
	int j = 0;
	float m = row[0];
	if (len >= LANES) {
		for (int k = 0; k < LANES; k++)
			acc[k] = row[k];
		for (j = LANES; j + LANES <= len; j += LANES)
			for (int k = 0; k < LANES; k++)
				acc[k] = row[j + k] > acc[k] ? row[j + k] : acc[k];
		for (int k = 0; k < LANES; k++)
			m = acc[k] > m ? acc[k] : m;
	}
	for (; j < len; j++)
		m = row[j] > m ? row[j] : m;

	for (j = 0; j < len; j++)
		row[j] = av_exp_lane(row[j] - m);

	float sum = 0.0f;
	j = 0;
	if (len >= LANES) {
		for (int k = 0; k < LANES; k++)
			acc[k] = 0.0f;
		for (; j + LANES <= len; j += LANES)
			for (int k = 0; k < LANES; k++)
				acc[k] += row[j + k];
		for (int k = 0; k < LANES; k++)
			sum += acc[k];
	}
	for (; j < len; j++)
		sum += row[j];
	return sum;
}

/* One strip row for query i: keys k0 .. k0 + keys - 1 are in s; the ones
 * the mask hides become exactly 0, the others e^(s - max). Returns 1 / sum,
 * or 0 for a fully masked row (all zeros). */
static float softmax_row(float *s, av_mask_kind kind, int i, int n, int k0, int keys)
{
	int lo, hi;
	key_range(kind, i, n, &lo, &hi);
	lo -= k0;
	hi -= k0;
	if (hi <= lo) {
		memset(s, 0, sizeof *s * (size_t)keys);
		return 0.0f;
	}
	memset(s, 0, sizeof *s * (size_t)lo);
	memset(s + hi, 0, sizeof *s * (size_t)(keys - hi));
	return 1.0f / exp_shift_sum(s + lo, hi - lo);
}

/* Z row *= s (d). */
static void scale_row(float *z, float s, int d)
{
	for (int c = 0; c < d; c++)
		z[c] *= s;
}

/* Round up to a multiple of m. */
static int round_up(int v, int m)
{
	return (v + m - 1) / m * m;
}

/* The strip loop on cblas: any d, any CPU. work: 64 n + 64 floats. */
static void strips_blas(float *Z, float *work, const float *Q, const float *K, const float *V,
			av_mask_kind kind, int n, int d)
{
	float *strip = work;                           /* (AV_FAST_BLOCK, keys) */
	float *inv = work + (size_t)AV_FAST_BLOCK * n; /* (AV_FAST_BLOCK) 1 / row sum */
	const float scale = 1.0f / sqrtf((float)d);

	for (int i0 = 0; i0 < n; i0 += AV_FAST_BLOCK) {
		int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
		/* Key ranges only grow with i: the strip needs [lo(i0), hi(last)). */
		int k_lo, k_hi, unused;
		key_range(kind, i0, n, &k_lo, &unused);
		key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
		float *z = Z + (size_t)i0 * d;
		if (k_hi <= k_lo) { /* every row of the strip fully masked */
			memset(z, 0, sizeof *z * (size_t)rows * d);
			continue;
		}
		int keys = k_hi - k_lo;

		/* strip (rows, keys) = Q[i0..] K[k_lo..k_hi)^T / sqrt(d) */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, keys, d, scale,
			    Q + (size_t)i0 * d, d, K + (size_t)k_lo * d, d, 0.0f, strip, keys);
		for (int r = 0; r < rows; r++)
			inv[r] = softmax_row(strip + (size_t)r * keys, kind, i0 + r, n, k_lo, keys);

		/* z (rows, d) = e^(strip - max) V[k_lo..k_hi), then / row sums */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, d, keys, 1.0f, strip,
			    keys, V + (size_t)k_lo * d, d, 0.0f, z, d);
		for (int r = 0; r < rows; r++)
			scale_row(z + (size_t)r * d, inv[r], d);
	}
}

/* ---- AVX-512 tile path (d a multiple of 16) ------------------------------ */

/* The tile path's layout for n queries: rows padded to n_pad (a multiple of
 * 16) with zero rows, so that every product has whole tiles; shared arrays
 * first, then one scratch area per thread. */
typedef struct {
	int n_pad;
	int ldk;    /* row stride of KT and of a strip: n_pad + 16, so that rows
		       1024 floats apart do not fall in the same L1 sets */
	float *QKV; /* (n_pad, 3 d): Q / sqrt(d) | K | V, zero rows from n */
	float *KT;  /* (d, ldk): K transposed */
	float *scratch; /* threads x scratch_floats: strip (AV_FAST_BLOCK, ldk),
			   zt (AV_FAST_BLOCK, d), inv (AV_FAST_BLOCK) */
	size_t scratch_floats;
	float *end; /* first float after the layout */
} tile_layout;

static size_t tile_scratch_floats(int n, int d)
{
	size_t ldk = (size_t)round_up(n, 16) + 16;
	return AV_FAST_BLOCK * ldk + AV_FAST_BLOCK * (size_t)d + AV_FAST_BLOCK;
}

/* Floats of the tile layout for n queries of size d on threads threads. */
static size_t tile_floats(int n, int d, int threads)
{
	size_t n_pad = (size_t)round_up(n, 16), ldk = n_pad + 16;
	return n_pad * 3 * (size_t)d + (size_t)d * ldk +
	       (size_t)threads * tile_scratch_floats(n, d);
}

/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
static tile_layout tile_layout_at(float *work, int n, int d, int threads)
{
	tile_layout t;
	t.n_pad = round_up(n, 16);
	t.ldk = t.n_pad + 16;
	t.QKV = work;
	t.KT = t.QKV + (size_t)t.n_pad * 3 * d;
	t.scratch = t.KT + (size_t)d * t.ldk;
	t.scratch_floats = tile_scratch_floats(n, d);
	t.end = t.scratch + (size_t)threads * t.scratch_floats; /* work + tile_floats */
	return t;
}

/* AV_TILES_EXCL_STOP */

static bool tiles_usable(int d)
{
	return d > 0 && d % 16 == 0 && av_gemm16_available();
}

/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
/* KT[:, j0..j1) = K[j0..j1)^T, so that score tiles read keys along rows. */
static void tile_transpose_keys(const tile_layout *t, int j0, int j1, int d)
{
	for (int j = j0; j < j1; j++) {
		const float *k = t->QKV + (size_t)j * 3 * d + d;
		for (int c = 0; c < d; c++)
			t->KT[(size_t)c * t->ldk + j] = k[c];
	}
}

/* Rows i0 .. i0 + AV_FAST_BLOCK - 1 of Z on one thread's scratch. */
static void tile_strip(float *Z, const tile_layout *t, float *scratch, int i0,
		       av_mask_kind kind, int n, int d)
{
	const int ld3 = 3 * d;
	float *strip = scratch;                                /* (AV_FAST_BLOCK, ldk) */
	float *zt = strip + (size_t)AV_FAST_BLOCK * t->ldk;    /* (AV_FAST_BLOCK, d) */
	float *inv = zt + (size_t)AV_FAST_BLOCK * d;           /* (AV_FAST_BLOCK) */
	int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
	int rows_al = round_up(rows, AV_GEMM_MR); /* <= n_pad - i0 */
	int k_lo, k_hi, unused;
	key_range(kind, i0, n, &k_lo, &unused);
	key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
	float *z = Z + (size_t)i0 * d;
	if (k_hi <= k_lo) {
		memset(z, 0, sizeof *z * (size_t)rows * d);
		return;
	}
	int k0 = k_lo / 16 * 16, keys = round_up(k_hi, 16) - k0; /* whole tiles */

	/* strip (rows_al, keys) = (Q / sqrt d)[i0..] KT[:, k0..] */
	av_gemm16_nn(strip, t->ldk, t->QKV + (size_t)i0 * ld3, ld3, t->KT + k0, t->ldk, rows_al,
		     keys, d);
	for (int r = 0; r < rows; r++)
		inv[r] = softmax_row(strip + (size_t)r * t->ldk, kind, i0 + r, n, k0, keys);
	for (int r = rows; r < rows_al; r++) /* padding rows: weight 0 */
		memset(strip + (size_t)r * t->ldk, 0, sizeof(float) * (size_t)keys);

	/* zt (rows_al, d) = e^(strip - max) V[k0..], then / row sums */
	av_gemm16_nn(zt, d, strip, t->ldk, t->QKV + (size_t)k0 * ld3 + 2 * d, ld3, rows_al, d,
		     keys);
	for (int r = 0; r < rows; r++) {
		memcpy(z + (size_t)r * d, zt + (size_t)r * d, sizeof *z * (size_t)d);
		scale_row(z + (size_t)r * d, inv[r], d);
	}
}

/* Rows of QKV per unit of the preparation phase (a multiple of 16). */
#define PREP_ROWS 64

/* Work shared by the threads of one call: first the projections and K^T in
 * chunks of PREP_ROWS rows, then the strips, both handed out by atomic
 * counters, so that a thread that could not be started changes nothing. */
typedef struct {
	float *Z;
	const tile_layout *t;
	const float *Xp, *Wqkv; /* NULL when QKV is already filled */
	int D;
	av_mask_kind kind;
	int n, d;
	int chunks;             /* preparation chunks */
	atomic_int next_chunk;  /* next chunk to take */
	atomic_int chunks_done; /* strips start when it reaches chunks */
	atomic_int next_strip;  /* strips are taken last first: the costly ones */
} tile_job;

/* Rows j0 .. j1 - 1: QKV = Xp . Wqkv (when projecting) and KT columns. */
static void tile_prepare(tile_job *job, int j0, int j1)
{
	const tile_layout *t = job->t;
	if (job->Xp) /* QKV (rows, 3 d) = Xp . Wqkv: the three projections at once */
		av_gemm16_nn(t->QKV + (size_t)j0 * 3 * job->d, 3 * job->d,
			     job->Xp + (size_t)j0 * job->D, job->D, job->Wqkv, 3 * job->d, j1 - j0,
			     3 * job->d, job->D);
	tile_transpose_keys(t, j0, j1, job->d);
}

/* Everything thread tid does: preparation chunks, wait for the others',
 * then strips until none is left. */
static void tile_work(tile_job *job, int tid)
{
	const tile_layout *t = job->t;
	for (;;) {
		int c = atomic_fetch_add(&job->next_chunk, 1);
		if (c >= job->chunks)
			break;
		int j0 = c * PREP_ROWS, j1 = j0 + PREP_ROWS < t->n_pad ? j0 + PREP_ROWS : t->n_pad;
		tile_prepare(job, j0, j1);
		atomic_fetch_add(&job->chunks_done, 1);
	}
	while (atomic_load(&job->chunks_done) < job->chunks)
		sched_yield(); /* a chunk is still being prepared by another thread */

	float *scratch = t->scratch + (size_t)tid * t->scratch_floats;
	int strips = (job->n + AV_FAST_BLOCK - 1) / AV_FAST_BLOCK;
	for (;;) {
		int s = atomic_fetch_add(&job->next_strip, 1);
		if (s >= strips)
			break;
		tile_strip(job->Z, t, scratch, (strips - 1 - s) * AV_FAST_BLOCK, job->kind, job->n,
			   job->d);
	}
}

typedef struct {
	tile_job *job;
	int tid;
} tile_worker;

static void *tile_worker_main(void *arg)
{
	tile_worker *w = arg;
	tile_work(w->job, w->tid);
	return NULL;
}

/* Threads worth using: at most the caller's, at most one per two strips,
 * and one for inputs shorter than AV_FAST_THREADS_MIN_N. */
static int tile_threads(int threads, int n)
{
	int strips = (n + AV_FAST_BLOCK - 1) / AV_FAST_BLOCK;
	if (threads > AV_FAST_MAX_THREADS)
		threads = AV_FAST_MAX_THREADS;
	if (threads > strips / 2)
		threads = strips / 2;
	return n < AV_FAST_THREADS_MIN_N || threads < 1 ? 1 : threads;
}

static void tile_attention(float *Z, const tile_layout *t, const float *Xp, const float *Wqkv,
			   av_mask_kind kind, int n, int D, int d, int threads)
{
	tile_job job = { .Z = Z, .t = t, .Xp = Xp, .Wqkv = Wqkv, .D = D, .kind = kind,
			 .n = n, .d = d, .chunks = (t->n_pad + PREP_ROWS - 1) / PREP_ROWS };
	atomic_init(&job.next_chunk, 0);
	atomic_init(&job.chunks_done, 0);
	atomic_init(&job.next_strip, 0);
	/* Threads 1 .. threads - 1 start here; the caller is thread 0. */
	pthread_t id[AV_FAST_MAX_THREADS];
	tile_worker w[AV_FAST_MAX_THREADS];
	bool started[AV_FAST_MAX_THREADS];
	for (int k = 1; k < threads; k++) {
		w[k] = (tile_worker){ &job, k };
		started[k] = pthread_create(&id[k], NULL, tile_worker_main, &w[k]) == 0;
	}
	tile_work(&job, 0);
	for (int k = 1; k < threads; k++)
		if (started[k])
			pthread_join(id[k], NULL);
}

/* ---- public entry points ------------------------------------------------- */

/* AV_TILES_EXCL_STOP */

bool av_fast_has_tiles(void)
{
	return av_gemm16_available();
}

void av_fast_gemm(float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M,
		  int N, int K)
{
	if (M % AV_GEMM_MR == 0 && N % 16 == 0 && K > 0 && av_gemm16_available())
		av_gemm16_nn(C, ldc, A, lda, B, ldb, M, N, K);
	else
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, A, lda, B,
			    ldb, 0.0f, C, ldc);
}

static int clamp_threads(int threads)
{
	return threads < 1 ? 1 : threads > AV_FAST_MAX_THREADS ? AV_FAST_MAX_THREADS : threads;
}

size_t av_fast_attn_workspace(int n, int d, int threads)
{
	if (n < 1 || d < 1)
		return 1;
	size_t blas = (size_t)AV_FAST_BLOCK * n + AV_FAST_BLOCK;
	size_t tiles = tile_floats(n, d, clamp_threads(threads));
	return blas > tiles ? blas : tiles;
}

void av_fast_attn(float *Z, float *work, const float *Q, const float *K, const float *V,
		  av_mask_kind kind, int n, int d, int threads)
{
	if (n < 1 || d < 1) /* nothing to compute; the workspace may be 1 float */
		return;
	if (!tiles_usable(d)) {
		strips_blas(Z, work, Q, K, V, kind, n, d);
		return;
	}
	/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
	threads = tile_threads(clamp_threads(threads), n);
	tile_layout t = tile_layout_at(work, n, d, threads);
	const float scale = 1.0f / sqrtf((float)d);
	for (int j = 0; j < t.n_pad; j++) {
		float *row = t.QKV + (size_t)j * 3 * d;
		if (j >= n) {
			memset(row, 0, sizeof *row * 3 * (size_t)d);
			continue;
		}
		for (int c = 0; c < d; c++)
			row[c] = Q[(size_t)j * d + c] * scale;
		memcpy(row + d, K + (size_t)j * d, sizeof *row * (size_t)d);
		memcpy(row + 2 * d, V + (size_t)j * d, sizeof *row * (size_t)d);
	}
	tile_attention(Z, &t, NULL, NULL, kind, n, 0, d, threads);
	/* AV_TILES_EXCL_STOP */
}

size_t av_fast_attn_forward_workspace(int n, int D, int d_head, int threads)
{
	if (n < 1 || D < 1 || d_head < 1)
		return 1;
	size_t nd = (size_t)n * d_head;
	size_t blas = 3 * nd + av_fast_attn_workspace(n, d_head, 1);
	/* tiles: the layout, then X padded (n_pad, D) and W_qkv (D, 3 d_head) */
	size_t tiles = tile_floats(n, d_head, clamp_threads(threads)) +
		       (size_t)round_up(n, 16) * D + (size_t)D * 3 * d_head;
	return blas > tiles ? blas : tiles;
}

void av_fast_attn_forward(float *Z, float *work, const float *X, const float *W_q,
			  const float *W_k, const float *W_v, av_mask_kind kind, int n, int D,
			  int d_head, int threads)
{
	if (n < 1 || D < 1 || d_head < 1)
		return;
	const int d = d_head;
	if (!tiles_usable(d)) {
		size_t nd = (size_t)n * d;
		float *Q = work, *K = work + nd, *V = work + 2 * nd; /* (n, d) each */
		const float *W[3] = { W_q, W_k, W_v };
		float *out[3] = { Q, K, V };
		for (int p = 0; p < 3; p++)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, D, 1.0f, X, D,
				    W[p], d, 0.0f, out[p], d);
		strips_blas(Z, work + 3 * nd, Q, K, V, kind, n, d);
		return;
	}
	/* AV_TILES_EXCL_START: AVX-512 only (tests/coverage.sh) */
	threads = tile_threads(clamp_threads(threads), n);
	tile_layout t = tile_layout_at(work, n, d, threads);
	float *Xp = t.end;                      /* (n_pad, D) X, zero rows from n */
	float *Wqkv = Xp + (size_t)t.n_pad * D; /* (D, 3 d) W_q / sqrt(d) | W_k | W_v */
	const float scale = 1.0f / sqrtf((float)d);
	memcpy(Xp, X, sizeof *Xp * (size_t)n * D);
	memset(Xp + (size_t)n * D, 0, sizeof *Xp * (size_t)(t.n_pad - n) * D);
	for (int r = 0; r < D; r++) {
		float *w = Wqkv + (size_t)r * 3 * d;
		for (int c = 0; c < d; c++)
			w[c] = W_q[(size_t)r * d + c] * scale;
		memcpy(w + d, W_k + (size_t)r * d, sizeof *w * (size_t)d);
		memcpy(w + 2 * d, W_v + (size_t)r * d, sizeof *w * (size_t)d);
	}
	tile_attention(Z, &t, Xp, Wqkv, kind, n, D, d, threads);
	/* AV_TILES_EXCL_STOP */
}
