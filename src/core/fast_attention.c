/* Fast attention for long sequences: the same numbers as the naive chain
 * scores -> mask -> softmax -> weights V of attention.c, without ever
 * holding the n x n matrices. Queries go in strips of AV_FAST_BLOCK rows; a
 * strip's scores are one product against the keys some row of the strip may
 * see, so under a causal mask the key blocks above the diagonal are never
 * computed (about half the flops of the dense product). The strip times V
 * is a second product, and each output row is divided by its row sum at the
 * end (d divisions per row instead of n).
 * On attnviz's tiles (core/fast_gemm.c: AVX2 + FMA or AVX-512, d a multiple
 * of 16, strips shared among the pool's threads) each row's weights are
 * taken against a fixed shift at or above all its scores (|q_i| max |k_j|),
 * so the score tile writes weights straight from its registers, one pass
 * (tile_strip_shifted); a row whose scores all lie far below that shift
 * sends its strip to the online softmax (tile_strip: e^(s - running max),
 * earlier blocks scaled down when the max rises). On cblas_sgemm (any d,
 * any CPU) each score row is turned into e^(s - max) in place. */
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
#include <stdlib.h>
#include <string.h>

#include "attnviz/pool.h"
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

#define LANES AV_LANES /* the reductions' running sums (core/fast_math.h) */

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
	float m = av_row_max(row, len);
	int j;
	for (j = 0; j < len; j++)
		row[j] = av_exp_lane(row[j] - m);

	float acc[LANES], sum = 0.0f;
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

/* ---- tile path (AVX2 + FMA or AVX-512, d a multiple of 16) --------------- */

/* Keys per block of a strip: the block's scores (AV_FAST_BLOCK, KEY_BLOCK)
 * and its rows of K^T and V stay in L2 however long the sequence, and the
 * running max and sum of the online softmax are rescaled once per block. */
#define KEY_BLOCK 256
#define LDS (KEY_BLOCK + 16) /* row stride of a score block: not a power of 2 */
#define ROW_GROUP 16         /* rows that share one key range on the diagonal */

/* The tile path's layout for n queries, every array starting on a
 * 64-byte boundary when work does: rows padded to n_pad (a multiple of 16)
 * with zero rows, so that every product has whole tiles; shared arrays
 * first, then one scratch area per thread. Row strides are not powers of
 * two, so that the rows a tile walks down fall in different L1 sets. */
typedef struct {
	int n_pad;
	int ldv;    /* row stride of V: d + 16 */
	float *Q;   /* (n_pad, d): Q / sqrt(d), zero rows from n */
	float *V;   /* (n_pad, ldv): V, zero rows from n */
	float *KT;  /* blocks of KEY_BLOCK keys, each (d, LDK): K^T, so that
		       score tiles read keys along contiguous rows */
	float *qnorm; /* (n_pad) |row of Q / sqrt(d)| */
	float *kmax;  /* (n_pad / PREP_ROWS) largest |row of K| of each PREP_ROWS keys */
	float *scratch; /* threads x scratch_floats: S (AV_FAST_BLOCK, LDS),
			   zacc (AV_FAST_BLOCK, d), m, l (AV_FAST_BLOCK) each,
			   rowsum (AV_FAST_BLOCK, AV_SE_SUM), shift, lo, hi
			   (AV_FAST_BLOCK) each (lo, hi int) */
	size_t scratch_floats;
	float *end; /* first float after the layout */
} tile_layout;

#define LDK (KEY_BLOCK + 16) /* row stride of a block of K^T */

/* Floats, rounded up to a whole number of 64-byte lines. */
static size_t lines(size_t floats)
{
	return (floats + 15) / 16 * 16;
}

static size_t tile_scratch_floats(int d)
{
	return lines((size_t)AV_FAST_BLOCK * LDS) + lines((size_t)AV_FAST_BLOCK * d) +
	       2 * lines(AV_FAST_BLOCK) + lines((size_t)AV_FAST_BLOCK * AV_SE_SUM) +
	       3 * lines(AV_FAST_BLOCK);
}

static size_t key_blocks(int n)
{
	return (size_t)(n + KEY_BLOCK - 1) / KEY_BLOCK;
}

/* Rows of Q, K, V per unit of the preparation phase (divides KEY_BLOCK). */
#define PREP_ROWS 64

static size_t prep_chunks(int n)
{
	return (size_t)(round_up(n, 16) + PREP_ROWS - 1) / PREP_ROWS;
}

/* Floats of the tile layout for n queries of size d on threads threads. */
static size_t tile_floats(int n, int d, int threads)
{
	size_t n_pad = (size_t)round_up(n, 16);
	return lines(n_pad * d) + lines(n_pad * (d + 16)) + key_blocks(n) * lines((size_t)d * LDK) +
	       lines(n_pad) + lines(prep_chunks(n)) + (size_t)threads * tile_scratch_floats(d);
}

static tile_layout tile_layout_at(float *work, int n, int d, int threads)
{
	tile_layout t;
	t.n_pad = round_up(n, 16);
	t.ldv = d + 16;
	t.Q = work;
	t.V = t.Q + lines((size_t)t.n_pad * d);
	t.KT = t.V + lines((size_t)t.n_pad * t.ldv);
	t.qnorm = t.KT + key_blocks(n) * lines((size_t)d * LDK);
	t.kmax = t.qnorm + lines((size_t)t.n_pad);
	t.scratch = t.kmax + lines(prep_chunks(n));
	t.scratch_floats = tile_scratch_floats(d);
	t.end = t.scratch + (size_t)threads * t.scratch_floats; /* work + tile_floats */
	return t;
}

/* Column c0 of the block of K^T that holds key j0 (j0 .. j0 + 15 in one block). */
static float *kt_at(const tile_layout *t, int j0, int d)
{
	return t->KT + (size_t)(j0 / KEY_BLOCK) * lines((size_t)d * LDK) + j0 % KEY_BLOCK;
}

/* The tile product to use for head size d, or NULL for the cblas path. */
static av_gemm_fn *tiles_for(int d)
{
	return d > 0 && d % AV_GEMM_NR == 0 ? av_gemm_tiles(av_fast_isa()) : NULL;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_TRANSPOSE 1

/* out (8, ldo) = in (8, ldi)^T, one 8 x 8 block in registers. Every CPU
 * that runs the tile path (AVX2 + FMA or AVX-512) has AVX2. */
__attribute__((target("avx2"))) static void transpose8(float *out, int ldo, const float *in,
							 int ldi)
{
	__m256 r[8], t[8], u[8];
	for (int i = 0; i < 8; i++)
		r[i] = _mm256_loadu_ps(in + (size_t)i * ldi);
	for (int i = 0; i < 8; i += 2) {
		t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
		t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
	}
	for (int i = 0; i < 8; i += 4) {
		u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
		u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
		u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
		u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
	}
	for (int i = 0; i < 4; i++) {
		_mm256_storeu_ps(out + (size_t)i * ldo, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
		_mm256_storeu_ps(out + (size_t)(i + 4) * ldo,
				 _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
	}
}
#else
#define HAVE_AVX2_TRANSPOSE 0
#endif

/* K^T columns j0 .. j1 - 1 (in one key block) from K rows (rows, ldk);
 * j1 - j0 and d are multiples of 16 (the tile path's). A float at a time this
 * was 7% of the time at n = 256 (a load and a store per float, 4 cycles). */
static void tile_transpose_keys(const tile_layout *t, const float *K, int ldk, int j0, int j1,
				int d)
{
	float *kt = kt_at(t, j0, d);
#if HAVE_AVX2_TRANSPOSE
	for (int c = 0; c < d; c += 8)
		for (int j = 0; j < j1 - j0; j += 8)
			transpose8(kt + (size_t)c * LDK + j, LDK, K + (size_t)j * ldk + c, ldk);
#else /* no tile path in this build either: kept for completeness */
	for (int c = 0; c < d; c++)
		for (int j = j0; j < j1; j++)
			kt[(size_t)c * LDK + (j - j0)] = K[(size_t)(j - j0) * ldk + c];
#endif
}

/* row (len) *= s */
AV_CLONES
static void scale_floats(float *row, float s, int len)
{
	for (int c = 0; c < len; c++)
		row[c] *= s;
}


/* row (len) = e^(row - m) in place, m >= every element; returns the sum.
 * Sixteen running sums: one AVX-512 or two AVX2 vectors, in registers. */
AV_CLONES
static float exp_sub_sum(float *row, float m, int len)
{
	enum { SUMS = 16 };
	float acc[SUMS] = { 0 };
	int j = 0;
	for (; j + SUMS <= len; j += SUMS)
		for (int k = 0; k < SUMS; k++) {
			float e = av_exp_neg_lane(row[j + k] - m);
			row[j + k] = e;
			acc[k] += e;
		}
	float sum = 0.0f;
	for (; j < len; j++) {
		row[j] = av_exp_neg_lane(row[j] - m);
		sum += row[j];
	}
	for (int k = 0; k < SUMS; k++)
		sum += acc[k];
	return sum;
}

/* Headroom of the one-pass softmax, in natural-log units: a block's weights
 * may be taken against the row's earlier max m as long as no score exceeds
 * m + EXP_HEADROOM, so weights stay below e^60 (about 2^87: no overflow in
 * the sums of up to 2^24 keys, and 2^k built from the exponent bits stays
 * finite, k <= 127). Float's relative precision is the same at any scale. */
#define EXP_HEADROOM 60.0f

/* row (len) = e^(row - m) in place against the row's earlier max m, one
 * pass: the exps, their sum and the row's max at once. Returns the sum and
 * sets *bm to the row's max; when *bm > m + EXP_HEADROOM the row holds
 * garbage and the caller recomputes it. Saves the max pass that
 * exp_sub_sum needs before it (a read of every score) on every block of a
 * row but its first. */
AV_CLONES
static float exp_sub_sum_max(float *row, float m, int len, float *bm)
{
	enum { SUMS = 16 };
	float acc[SUMS] = { 0 }, mx[SUMS];
	for (int k = 0; k < SUMS; k++)
		mx[k] = -INFINITY;
	int j = 0;
	for (; j + SUMS <= len; j += SUMS)
		for (int k = 0; k < SUMS; k++) {
			float s = row[j + k];
			mx[k] = s > mx[k] ? s : mx[k];
			float x = s - m;
			x = x < EXP_HEADROOM ? x : EXP_HEADROOM; /* garbage-free anyway */
			float e = av_exp_neg_lane(x);
			row[j + k] = e;
			acc[k] += e;
		}
	float sum = 0.0f, mm = -INFINITY;
	for (; j < len; j++) {
		float s = row[j];
		mm = s > mm ? s : mm;
		float x = s - m;
		x = x < EXP_HEADROOM ? x : EXP_HEADROOM;
		row[j] = av_exp_neg_lane(x);
		sum += row[j];
	}
	for (int k = 0; k < SUMS; k++) {
		sum += acc[k];
		mm = mx[k] > mm ? mx[k] : mm;
	}
	*bm = mm;
	return sum;
}

/* c0[g], c1[g]: the columns [c0, c1) of a key block (keys kb .. kb + keys
 * - 1) that some row of group g (ROW_GROUP rows from i0 + g ROW_GROUP; rows
 * in all) may see, in whole tiles of 16 (0, 0 when none): on the diagonal a
 * staircase, so that the tiles above it (3/8 of the diagonal block) are
 * never computed. Returns true when every group has the same columns. */
static bool strip_groups(int *c0, int *c1, av_mask_kind kind, int i0, int rows, int kb, int keys,
			 int n)
{
	int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
	bool uniform = true;
	for (int g = 0; g < groups; g++) {
		int r0 = g * ROW_GROUP, r1 = r0 + ROW_GROUP < rows ? r0 + ROW_GROUP : rows;
		int lo, hi, none;
		key_range(kind, i0 + r0, n, &lo, &none);
		key_range(kind, i0 + r1 - 1, n, &none, &hi);
		lo = lo - kb < 0 ? 0 : (lo - kb) / 16 * 16;
		hi = round_up(hi, 16) - kb > keys ? keys : round_up(hi, 16) - kb;
		c0[g] = hi > lo ? lo : 0;
		c1[g] = hi > lo ? hi : 0;
		uniform = uniform && c0[g] == c0[0] && c1[g] == c1[0];
	}
	return uniform;
}

/* Rows i0 .. i0 + AV_FAST_BLOCK - 1 of Z on one thread's scratch: the keys
 * the strip may see in blocks of KEY_BLOCK, each block's scores turned into
 * weights against the running row max (online softmax: when a block raises
 * a row's max, the row's sum and output so far are scaled down by
 * e^(old max - new max)), and their product with V added to the output. */
static void tile_strip(float *Z, const tile_layout *t, float *scratch, av_gemm_fn *gemm, int i0,
		       av_mask_kind kind, int n, int d)
{
	float *S = scratch;                                   /* (AV_FAST_BLOCK, LDS) */
	float *zacc = S + lines((size_t)AV_FAST_BLOCK * LDS); /* (AV_FAST_BLOCK, d) */
	float *m = zacc + lines((size_t)AV_FAST_BLOCK * d);   /* (AV_FAST_BLOCK) row max */
	float *l = m + lines(AV_FAST_BLOCK);                  /* (AV_FAST_BLOCK) row sum */
	int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
	int k_lo, k_hi, unused;
	key_range(kind, i0, n, &k_lo, &unused);
	key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
	float *z = Z + (size_t)i0 * d;
	if (k_hi <= k_lo) {
		memset(z, 0, sizeof *z * (size_t)rows * d);
		return;
	}
	memset(zacc, 0, sizeof *zacc * (size_t)rows * d);
	for (int r = 0; r < rows; r++) {
		m[r] = -INFINITY;
		l[r] = 0.0f;
	}
	int k_end = round_up(k_hi, 16); /* whole tiles: keys up to n_pad exist */
	for (int kb = k_lo / 16 * 16; kb < k_end;) {
		/* keys kb .. kb + keys - 1: up to the end of kb's block of K^T */
		int keys = KEY_BLOCK - kb % KEY_BLOCK;
		keys = k_end - kb < keys ? k_end - kb : keys;
		/* Each group of ROW_GROUP rows needs only the columns [c0, c1) its rows
		 * may see (whole tiles): on the diagonal that is a staircase. */
		int c0[AV_FAST_BLOCK / ROW_GROUP], c1[AV_FAST_BLOCK / ROW_GROUP];
		int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
		bool uniform = strip_groups(c0, c1, kind, i0, rows, kb, keys, n);
		/* S (rows, keys) = (Q / sqrt d)[i0..] K^T[:, kb..], where needed */
		for (int g = 0; g < (uniform ? 1 : groups); g++) {
			int r0 = uniform ? 0 : g * ROW_GROUP;
			int m_rows = uniform ? rows : (rows - r0 < ROW_GROUP ? rows - r0 : ROW_GROUP);
			if (c1[g] > c0[g])
				gemm(S + (size_t)r0 * LDS + c0[g], LDS, t->Q + (size_t)(i0 + r0) * d, d,
				     kt_at(t, kb + c0[g], d), LDK, m_rows, c1[g] - c0[g], d, false);
		}
		for (int r = 0; r < rows; r++) {
			float *s = S + (size_t)r * LDS;
			int lo, hi;
			key_range(kind, i0 + r, n, &lo, &hi);
			lo = lo - kb < 0 ? 0 : lo - kb;
			hi = hi - kb > keys ? keys : hi - kb;
			if (hi <= lo) { /* no key of this block for this row: weight 0 */
				memset(s, 0, sizeof *s * (size_t)keys);
				continue;
			}
			memset(s, 0, sizeof *s * (size_t)lo);
			memset(s + hi, 0, sizeof *s * (size_t)(keys - hi));
			if (l[r] > 0.0f) { /* an earlier block set m[r]: one pass */
				float bm;
				float sum = exp_sub_sum_max(s + lo, m[r], hi - lo, &bm);
				if (bm <= m[r] + EXP_HEADROOM) {
					l[r] += sum;
					continue;
				}
				/* rare: a score far above the earlier ones; the row's
				 * scores again, then the two passes below */
				gemm(s + lo / 16 * 16, LDS, t->Q + (size_t)(i0 + r) * d, d,
				     kt_at(t, kb + lo / 16 * 16, d), LDK, 1,
				     round_up(hi, 16) - lo / 16 * 16, d, false);
				memset(s, 0, sizeof *s * (size_t)lo);
				memset(s + hi, 0, sizeof *s * (size_t)(keys - hi));
			}
			float bm = av_row_max(s + lo, hi - lo);
			if (bm > m[r]) {
				if (l[r] > 0.0f) { /* scale the earlier blocks down */
					float alpha = av_exp_lane(m[r] - bm);
					l[r] *= alpha;
					scale_floats(zacc + (size_t)r * d, alpha, d);
				}
				m[r] = bm;
			}
			l[r] += exp_sub_sum(s + lo, m[r], hi - lo);
		}
		/* zacc (rows, d) += weights (rows, keys) V[kb..], the same columns */
		for (int g = 0; g < (uniform ? 1 : groups); g++) {
			int r0 = uniform ? 0 : g * ROW_GROUP;
			int m_rows = uniform ? rows : (rows - r0 < ROW_GROUP ? rows - r0 : ROW_GROUP);
			if (c1[g] > c0[g])
				gemm(zacc + (size_t)r0 * d, d, S + (size_t)r0 * LDS + c0[g], LDS,
				     t->V + (size_t)(kb + c0[g]) * t->ldv, t->ldv, m_rows, d,
				     c1[g] - c0[g], true);
		}
		kb += keys;
	}
	for (int r = 0; r < rows; r++) {
		float *zr = z + (size_t)r * d, *ar = zacc + (size_t)r * d;
		float inv = l[r] > 0.0f ? 1.0f / l[r] : 0.0f; /* 0: a fully masked row */
		for (int c = 0; c < d; c++)
			zr[c] = ar[c] * inv;
	}
}

/* Smallest row sum the fixed-shift softmax accepts: the row's largest
 * weight is then at least 2^-32 / n, far from the 2^-125 floor of the
 * weights and from subnormal products with V. */
#define SHIFT_MIN_SUM 0x1p-32f

/* Rows i0 .. i0 + AV_FAST_BLOCK - 1 of Z as tile_strip computes them, in
 * one pass over the scores: each row's weights are taken against a fixed
 * shift, log2(e) |q_i| max_j |k_j| (Cauchy-Schwarz: at or above every
 * score the row may see), so that no weight needs the row's max first and
 * none is ever scaled again; score_exp turns every score tile into weights
 * while it is in registers. Returns false, with Z's rows unwritten, when a
 * row's shift was too far above its scores (its weights' sum below
 * SHIFT_MIN_SUM: large or NaN logits); tile_strip then does the strip. */
static bool tile_strip_shifted(float *Z, const tile_layout *t, float *scratch, av_gemm_fn *gemm,
			       av_score_exp_fn *score_exp, int i0, av_mask_kind kind, int n,
			       int d)
{
	float *S = scratch;                                   /* (AV_FAST_BLOCK, LDS) */
	float *zacc = S + lines((size_t)AV_FAST_BLOCK * LDS); /* (AV_FAST_BLOCK, d) */
	float *rowsum = zacc + lines((size_t)AV_FAST_BLOCK * d) + 2 * lines(AV_FAST_BLOCK);
	/* (AV_FAST_BLOCK, AV_SE_SUM) after tile_strip's m and l */
	float *shift = rowsum + lines((size_t)AV_FAST_BLOCK * AV_SE_SUM); /* (AV_FAST_BLOCK) */
	int *lo = (int *)(shift + lines(AV_FAST_BLOCK));                  /* (AV_FAST_BLOCK) */
	int *hi = lo + lines(AV_FAST_BLOCK);                              /* (AV_FAST_BLOCK) */
	int rows = n - i0 < AV_FAST_BLOCK ? n - i0 : AV_FAST_BLOCK;
	int k_lo, k_hi, unused;
	key_range(kind, i0, n, &k_lo, &unused);
	key_range(kind, i0 + rows - 1, n, &unused, &k_hi);
	float *z = Z + (size_t)i0 * d;
	if (k_hi <= k_lo) {
		memset(z, 0, sizeof *z * (size_t)rows * d);
		return true;
	}
	float kmax = 0.0f;
	for (int c = k_lo / PREP_ROWS; c <= (k_hi - 1) / PREP_ROWS; c++)
		kmax = t->kmax[c] > kmax || isnan(t->kmax[c]) ? t->kmax[c] : kmax;
	for (int r = 0; r < rows; r++) /* a margin for the rounding of scores and lengths */
		shift[r] = t->qnorm[i0 + r] * kmax * (1.44269504088896341f * (1.0f + 0x1p-10f));
	memset(zacc, 0, sizeof *zacc * (size_t)rows * d);
	memset(rowsum, 0, sizeof *rowsum * (size_t)rows * AV_SE_SUM);
	int k_end = round_up(k_hi, 16); /* whole tiles: keys up to n_pad exist */
	for (int kb = k_lo / 16 * 16; kb < k_end;) {
		int keys = KEY_BLOCK - kb % KEY_BLOCK;
		keys = k_end - kb < keys ? k_end - kb : keys;
		/* As tile_strip: each group of ROW_GROUP rows only over the whole
		 * tiles [c0, c1) its rows may see (a staircase on the diagonal). */
		int c0[AV_FAST_BLOCK / ROW_GROUP], c1[AV_FAST_BLOCK / ROW_GROUP];
		int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
		bool uniform = strip_groups(c0, c1, kind, i0, rows, kb, keys, n);
		for (int g = 0; g < (uniform ? 1 : groups); g++) {
			int r0 = uniform ? 0 : g * ROW_GROUP;
			int m_rows = uniform ? rows : (rows - r0 < ROW_GROUP ? rows - r0 : ROW_GROUP);
			if (c1[g] <= c0[g])
				continue;
			for (int r = r0; r < r0 + m_rows; r++) { /* keys row r sees, from kb + c0 */
				key_range(kind, i0 + r, n, &lo[r], &hi[r]);
				lo[r] -= kb + c0[g];
				hi[r] -= kb + c0[g];
			}
			/* weights (m_rows, c1 - c0) of (Q / sqrt d)[i0 + r0..] K^T[:, kb + c0..] */
			score_exp(S + (size_t)r0 * LDS + c0[g], LDS, rowsum + (size_t)r0 * AV_SE_SUM,
				  t->Q + (size_t)(i0 + r0) * d, d, kt_at(t, kb + c0[g], d), LDK,
				  shift + r0, lo + r0, hi + r0, m_rows, c1[g] - c0[g], d);
			/* zacc (m_rows, d) += weights V[kb + c0..] */
			gemm(zacc + (size_t)r0 * d, d, S + (size_t)r0 * LDS + c0[g], LDS,
			     t->V + (size_t)(kb + c0[g]) * t->ldv, t->ldv, m_rows, d, c1[g] - c0[g],
			     true);
		}
		kb += keys;
	}
	float inv[AV_FAST_BLOCK];
	for (int r = 0; r < rows; r++) {
		int rlo, rhi;
		key_range(kind, i0 + r, n, &rlo, &rhi);
		float l = 0.0f;
		for (int k = 0; k < AV_SE_SUM; k++)
			l += rowsum[(size_t)r * AV_SE_SUM + k];
		if (rhi <= rlo) /* a fully masked row: zeros */
			inv[r] = 0.0f;
		else if (l >= SHIFT_MIN_SUM) /* false for NaN too */
			inv[r] = 1.0f / l;
		else
			return false;
	}
	for (int r = 0; r < rows; r++) {
		float *zr = z + (size_t)r * d, *ar = zacc + (size_t)r * d;
		for (int c = 0; c < d; c++)
			zr[c] = ar[c] * inv[r];
	}
	return true;
}

/* Work shared by the threads of one call: first Q, V and K^T in chunks of
 * PREP_ROWS rows (projected or copied), then the strips, both handed out by
 * atomic counters, so that a thread that could not be started changes
 * nothing. */
typedef struct {
	float *Z;
	const tile_layout *t;
	av_gemm_fn *gemm;
	av_score_exp_fn *score_exp;
	const float *X, *Wqkv; /* projecting: X (n, D), W (D, 3 d) */
	const float *Qin, *Kin, *Vin; /* or copying: (n, d) each */
	int D;
	av_mask_kind kind;
	int n, d;
	int chunks;             /* preparation chunks */
	atomic_int next_chunk;  /* next chunk to take */
	atomic_int chunks_done; /* strips start when it reaches chunks */
	atomic_int next_strip;  /* strips are taken last first: the costly ones */
} tile_job;

/* Euclidean length of x (len). */
AV_INLINE float norm2(const float *x, int len)
{
	float acc[16] = { 0 }, sum = 0.0f;
	int j = 0;
	for (; j + 16 <= len; j += 16)
		for (int k = 0; k < 16; k++)
			acc[k] += x[j + k] * x[j + k];
	for (; j < len; j++)
		sum += x[j] * x[j];
	for (int k = 0; k < 16; k++)
		sum += acc[k];
	return sqrtf(sum);
}

/* The lengths the fixed-shift softmax bounds scores by: of Q's rows
 * j0 .. j1 - 1 (in the layout) and the longest of K's (kbuf (j1 - j0, d)),
 * j0 the first row of a preparation chunk. */
AV_CLONES
static void tile_norms(const tile_layout *t, const float *kbuf, int j0, int j1, int d)
{
	float kmax = 0.0f;
	for (int j = j0; j < j1; j++) {
		t->qnorm[j] = norm2(t->Q + (size_t)j * d, d);
		float kn = norm2(kbuf + (size_t)(j - j0) * d, d);
		kmax = kn > kmax || isnan(kn) ? kn : kmax; /* a NaN stays NaN */
	}
	t->kmax[j0 / PREP_ROWS] = kmax;
}

/* Rows j0 .. j1 - 1 of Q, V and K^T; kbuf (PREP_ROWS, d) is scratch. */
static void tile_prepare(tile_job *job, float *kbuf, int j0, int j1)
{
	const tile_layout *t = job->t;
	const int d = job->d, rows = j1 - j0;
	float *Q = t->Q + (size_t)j0 * d, *V = t->V + (size_t)j0 * t->ldv;
	int real = job->n - j0 < rows ? (job->n - j0 > 0 ? job->n - j0 : 0) : rows;
	for (int r = real; r < rows; r++) { /* padding rows: zeros */
		memset(Q + (size_t)r * d, 0, sizeof *Q * (size_t)d);
		memset(V + (size_t)r * t->ldv, 0, sizeof *V * (size_t)d);
		memset(kbuf + (size_t)r * d, 0, sizeof *kbuf * (size_t)d);
	}
	if (job->X) { /* Q, K, V (real, d) = X . W_q / sqrt(d), W_k, W_v */
		const float *X = job->X + (size_t)j0 * job->D;
		if (real > 0) {
			job->gemm(Q, d, X, job->D, job->Wqkv, 3 * d, real, d, job->D, false);
			job->gemm(kbuf, d, X, job->D, job->Wqkv + d, 3 * d, real, d, job->D, false);
			job->gemm(V, t->ldv, X, job->D, job->Wqkv + 2 * d, 3 * d, real, d, job->D,
				  false);
		}
		tile_transpose_keys(t, kbuf, d, j0, j1, d);
		tile_norms(t, kbuf, j0, j1, d);
		return;
	}
	const float scale = 1.0f / sqrtf((float)d);
	for (int r = 0; r < real; r++) {
		float *q = Q + (size_t)r * d, *v = V + (size_t)r * t->ldv;
		const float *qi = job->Qin + (size_t)(j0 + r) * d;
		for (int c = 0; c < d; c++)
			q[c] = qi[c] * scale;
		memcpy(v, job->Vin + (size_t)(j0 + r) * d, sizeof *v * (size_t)d);
		memcpy(kbuf + (size_t)r * d, job->Kin + (size_t)(j0 + r) * d, sizeof *kbuf * (size_t)d);
	}
	tile_transpose_keys(t, kbuf, d, j0, j1, d);
	tile_norms(t, kbuf, j0, j1, d);
}

/* Everything thread tid does: preparation chunks, wait for the others',
 * then strips until none is left (an av_pool_task). */
static void tile_work(void *arg, int tid)
{
	tile_job *job = arg;
	const tile_layout *t = job->t;
	float *scratch = t->scratch + (size_t)tid * t->scratch_floats;
	for (;;) {
		int c = atomic_fetch_add(&job->next_chunk, 1);
		if (c >= job->chunks)
			break;
		int j0 = c * PREP_ROWS, j1 = j0 + PREP_ROWS < t->n_pad ? j0 + PREP_ROWS : t->n_pad;
		tile_prepare(job, scratch, j0, j1); /* K rows in the score area */
		atomic_fetch_add(&job->chunks_done, 1);
	}
	while (atomic_load(&job->chunks_done) < job->chunks)
		sched_yield(); /* a chunk is still being prepared by another thread */

	int strips = (job->n + AV_FAST_BLOCK - 1) / AV_FAST_BLOCK;
	for (;;) {
		int s = atomic_fetch_add(&job->next_strip, 1);
		if (s >= strips)
			break;
		int i0 = (strips - 1 - s) * AV_FAST_BLOCK;
		if (!tile_strip_shifted(job->Z, t, scratch, job->gemm, job->score_exp, i0,
					job->kind, job->n, job->d))
			tile_strip(job->Z, t, scratch, job->gemm, i0, job->kind, job->n, job->d);
	}
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

/* ---- the process's worker pool ------------------------------------------- */

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static av_pool *shared_pool;
static bool pool_atexit;

/* The shared pool, grown to at least threads threads (started on first
 * use, kept parked between calls); NULL when threads <= 1. */
static av_pool *pool_get(int threads)
{
	if (threads <= 1)
		return NULL;
	pthread_mutex_lock(&pool_mu);
	if (!shared_pool || av_pool_threads(shared_pool) < threads) {
		av_pool_free(shared_pool);
		shared_pool = av_pool_create(threads);
		if (!pool_atexit) /* so that no worker outlives the program's exit */
			pool_atexit = atexit(av_fast_release) == 0;
	}
	av_pool *p = shared_pool;
	pthread_mutex_unlock(&pool_mu);
	return p;
}

void av_fast_release(void)
{
	pthread_mutex_lock(&pool_mu);
	av_pool_free(shared_pool);
	shared_pool = NULL;
	pthread_mutex_unlock(&pool_mu);
}

int av_fast_pool_threads(void)
{
	pthread_mutex_lock(&pool_mu);
	int t = shared_pool ? av_pool_threads(shared_pool) : 0;
	pthread_mutex_unlock(&pool_mu);
	return t;
}

static void tile_attention(float *Z, tile_job *job, int threads)
{
	job->Z = Z;
	job->chunks = (job->t->n_pad + PREP_ROWS - 1) / PREP_ROWS;
	atomic_init(&job->next_chunk, 0);
	atomic_init(&job->chunks_done, 0);
	atomic_init(&job->next_strip, 0);
	av_pool_run(pool_get(threads), tile_work, job, threads);
}

/* ---- public entry points ------------------------------------------------- */

bool av_fast_has_tiles(void)
{
	return av_gemm_tiles(av_fast_isa()) != NULL;
}

void av_fast_gemm(float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M,
		  int N, int K)
{
	av_gemm_fn *gemm = av_gemm_tiles(av_fast_isa());
	if (gemm && M > 0 && N % AV_GEMM_NR == 0 && N > 0 && K > 0)
		gemm(C, ldc, A, lda, B, ldb, M, N, K, false);
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
	av_gemm_fn *gemm = tiles_for(d);
	if (!gemm) {
		strips_blas(Z, work, Q, K, V, kind, n, d);
		return;
	}
	threads = tile_threads(clamp_threads(threads), n);
	tile_layout t = tile_layout_at(work, n, d, threads);
	tile_job job = { .t = &t, .gemm = gemm, .score_exp = av_score_exp_tiles(av_fast_isa()),
			 .Qin = Q, .Kin = K, .Vin = V, .kind = kind, .n = n, .d = d };
	tile_attention(Z, &job, threads);
}

size_t av_fast_attn_forward_workspace(int n, int D, int d_head, int threads)
{
	if (n < 1 || D < 1 || d_head < 1)
		return 1;
	size_t nd = (size_t)n * d_head;
	size_t blas = 3 * nd + av_fast_attn_workspace(n, d_head, 1);
	/* tiles: the layout, then W_qkv (D, 3 d_head) */
	size_t tiles = tile_floats(n, d_head, clamp_threads(threads)) + (size_t)D * 3 * d_head;
	return blas > tiles ? blas : tiles;
}

void av_fast_attn_forward(float *Z, float *work, const float *X, const float *W_q,
			  const float *W_k, const float *W_v, av_mask_kind kind, int n, int D,
			  int d_head, int threads)
{
	if (n < 1 || D < 1 || d_head < 1)
		return;
	const int d = d_head;
	av_gemm_fn *gemm = tiles_for(d);
	if (!gemm) {
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
	threads = tile_threads(clamp_threads(threads), n);
	tile_layout t = tile_layout_at(work, n, d, threads);
	float *Wqkv = t.end; /* (D, 3 d) W_q / sqrt(d) | W_k | W_v */
	const float scale = 1.0f / sqrtf((float)d);
	for (int r = 0; r < D; r++) {
		float *w = Wqkv + (size_t)r * 3 * d;
		for (int c = 0; c < d; c++)
			w[c] = W_q[(size_t)r * d + c] * scale;
		memcpy(w + d, W_k + (size_t)r * d, sizeof *w * (size_t)d);
		memcpy(w + 2 * d, W_v + (size_t)r * d, sizeof *w * (size_t)d);
	}
	tile_job job = { .t = &t, .gemm = gemm, .score_exp = av_score_exp_tiles(av_fast_isa()),
			 .X = X, .Wqkv = Wqkv, .D = D, .kind = kind, .n = n, .d = d };
	tile_attention(Z, &job, threads);
}
