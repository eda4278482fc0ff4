/* Template of the register-tiled product of core/fast_gemm.c, included once
 * per instruction set with these defined:
 *   TPL_V    the GCC vector type (TPL_W floats)   TPL_W  floats per vector
 *   TPL_TGT  the target attribute string         TPL_SUF  name suffix
 *   TPL_MR   rows of the widest tile             TPL_NV  vectors per row of it
 *   TPL_VI, TPL_VU  int and unsigned vectors of TPL_W lanes
 * A tile of C of MR rows and NV vectors lives in MR x NV registers while the
 * inner dimension streams through: per step NV loads of B, MR broadcasts of
 * A and MR x NV FMAs. MR x NV is chosen so that the accumulators are more
 * than FMA units x FMA latency (8 on current x86 cores): the FMAs never
 * wait on each other, and the loads (fewer than the FMAs) never limit. */

#define TPL_CAT3_(a, b, c) a##b##c
#define TPL_CAT3(a, b, c) TPL_CAT3_(a, b, c)
#define TPL_TILE__(S, MR, NV) tile_##S##_##MR##x##NV
#define TPL_TILE_(S, MR, NV) TPL_TILE__(S, MR, NV)
#define TPL_TILE(MR, NV) TPL_TILE_(TPL_SUF, MR, NV)

/* The inner loop of every tile: c[r][v] += sum over k < K of A(r, k) B[k][v],
 * with A(r, k) = A[r A_RS + k A_KS] (A_RS, A_KS: lda, 1 for A as stored; 1,
 * lda for A^T) and B's row k at BP + k ldb. Uses the enclosing function's
 * c, A, K and ldb. */
#define TPL_PRODUCT(MR, NV, BP, A_RS, A_KS)                                              \
	for (int k = 0; k < K; k++) {                                                    \
		const float *b = (BP) + (long)k * ldb;                                   \
		TPL_V bv[NV];                                                            \
		for (int v = 0; v < NV; v++)                                             \
			bv[v] = TPL_LOAD(b + TPL_W * v);                                 \
		for (int r = 0; r < MR; r++) {                                           \
			TPL_V a = A[(long)r * (A_RS) + (long)k * (A_KS)] - (TPL_V){ 0 }; \
			for (int v = 0; v < NV; v++)                                     \
				c[r][v] += a * bv[v];                                    \
		}                                                                        \
	}

/* A tile of C (MR rows, NV vectors) = op(A) B, or += when acc; NAME is
 * the function, A_RS and A_KS as for TPL_PRODUCT. */
#define TPL_DEFINE_TILE_AS(NAME, MR, NV, A_RS, A_KS)                                     \
	__attribute__((target(TPL_TGT))) static void NAME(                               \
		float *C, int ldc, const float *A, int lda, const float *B, int ldb, int K, \
		bool acc)                                                                \
	{                                                                                \
		TPL_V c[MR][NV];                                                         \
		for (int r = 0; r < MR; r++)                                             \
			for (int v = 0; v < NV; v++)                                     \
				c[r][v] = acc ? TPL_LOAD(C + (long)r * ldc + TPL_W * v)  \
					      : (TPL_V){ 0 };                            \
		TPL_PRODUCT(MR, NV, B, A_RS, A_KS)                                       \
		for (int r = 0; r < MR; r++)                                             \
			for (int v = 0; v < NV; v++)                                     \
				TPL_STORE(C + (long)r * ldc + TPL_W * v, c[r][v]);       \
	}
#define TPL_DEFINE_TILE(MR, NV) TPL_DEFINE_TILE_AS(TPL_TILE(MR, NV), MR, NV, lda, 1)

/* Tiles: the widest, then narrower rows for the last rows of C, and one
 * vector wide for the last columns. */
TPL_DEFINE_TILE(TPL_MR, TPL_NV)
TPL_DEFINE_TILE(5, TPL_NV)
TPL_DEFINE_TILE(4, TPL_NV)
TPL_DEFINE_TILE(2, TPL_NV)
TPL_DEFINE_TILE(1, TPL_NV)
TPL_DEFINE_TILE(TPL_MR, 1)
TPL_DEFINE_TILE(5, 1)
TPL_DEFINE_TILE(4, 1)
TPL_DEFINE_TILE(2, 1)
TPL_DEFINE_TILE(1, 1)

/* Rows i .. M - 1 of one column panel, widest row tiles first; when 4
 * rows would be left after them (64 = 6 x 10 + 4), the last 6 + 4 go as
 * 5 + 5: a 4-row tile has too few accumulators to keep the FMAs busy. */
#define TPL_ROWS(NV)                                                                     \
	do {                                                                             \
		int i = 0;                                                               \
		int wide_end = M % TPL_MR == 4 && M > TPL_MR && TPL_MR == 6 ? M - 10 : M; \
		for (; i + TPL_MR <= wide_end; i += TPL_MR)                              \
			TPL_TILE(TPL_MR, NV)(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, \
					     lda, Bk + j, ldb, kb, acc_k);               \
		for (; i + 5 <= M && wide_end < M; i += 5)                               \
			TPL_TILE(5, NV)(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, \
					Bk + j, ldb, kb, acc_k);                         \
		if (i + 4 <= M) {                                                        \
			TPL_TILE(4, NV)(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, \
					Bk + j, ldb, kb, acc_k);                         \
			i += 4;                                                          \
		}                                                                        \
		if (i + 2 <= M) {                                                        \
			TPL_TILE(2, NV)(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, \
					Bk + j, ldb, kb, acc_k);                         \
			i += 2;                                                          \
		}                                                                        \
		if (i < M)                                                               \
			TPL_TILE(1, NV)(C + (long)i * ldc + j, ldc, Ak + (long)i * lda, lda, \
					Bk + j, ldb, kb, acc_k);                         \
	} while (0)

__attribute__((target(TPL_TGT))) static void TPL_CAT3(gemm_, TPL_SUF, )(
	float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M, int N, int K,
	bool acc)
{
	/* Inner-dimension blocks of GEMM_KB: a (GEMM_KB, NV W) panel of B stays
	 * in L1 while every row tile of A passes over it. */
	for (int k0 = 0; k0 < K; k0 += GEMM_KB) {
		int kb = K - k0 < GEMM_KB ? K - k0 : GEMM_KB;
		bool acc_k = acc || k0 > 0;
		const float *Ak = A + k0, *Bk = B + (long)k0 * ldb;
		int j = 0;
		for (; j + TPL_NV * TPL_W <= N; j += TPL_NV * TPL_W)
			TPL_ROWS(TPL_NV);
		for (; j + TPL_W <= N; j += TPL_W)
			TPL_ROWS(1);
	}
}


/* ---- scores straight to softmax weights (attention's score tiles) -------
 * The tile of the product above, but before its accumulators leave the
 * registers each score s becomes the weight 2^(s log2(e) - shift[r]) of
 * its row r (0 where the row may not see the column), is stored, and is
 * added to the row's running sum: the exp runs on the other FP pipes while
 * the next tile's FMAs run, instead of a pass of its own over the block. */

/* 2^x for x <= 0 (the weights of a row against a shift at or above its
 * largest score): x below -125 gives about 2^-125 (the weight of a score
 * more than 86 nats below the shift). 2^x = 2^k 2^f, k = round(x),
 * |f| <= 1/2 exact; 2^f by a degree-5 minimax polynomial (relative error
 * below 2e-7 in float); 2^k added to the exponent bits. */
__attribute__((target(TPL_TGT), always_inline)) static inline TPL_V
	TPL_CAT3(exp2_neg_, TPL_SUF, )(TPL_V x)
{
	const TPL_V shifter = TPL_SPLAT(12582912.0f); /* 1.5 * 2^23: rounds to an integer */
	x = TPL_MAX(x, TPL_SPLAT(-125.0f));
	TPL_V ks = x + shifter; /* k in the low mantissa bits */
	TPL_V f = x - (ks - shifter);
	TPL_V p = TPL_SPLAT(1.3264727313e-03f);
	p = p * f + 9.6715129912e-03f;
	p = p * f + 5.5507335812e-02f;
	p = p * f + 2.4022242427e-01f;
	p = p * f + 6.9314700365e-01f;
	p = p * f + 1.0f;
	/* unsigned lanes: the shift pushes ks's upper bits out of the word,
	 * which signed lanes would not allow */
	return (TPL_V)((TPL_VU)p + ((TPL_VU)ks << 23));
}

#define TPL_SE_TILE__(S, MR, NV) score_exp_##S##_##MR##x##NV
#define TPL_SE_TILE_(S, MR, NV) TPL_SE_TILE__(S, MR, NV)
#define TPL_SE_TILE(MR, NV) TPL_SE_TILE_(TPL_SUF, MR, NV)

/* Rows 0 .. MR - 1, columns j .. j + NV W - 1 of the score-to-weight
 * kernel below (A, P, rowsum, shift, lo, hi at the tile's first row; B at
 * column 0). */
#define TPL_DEFINE_SE_TILE(MR, NV)                                                       \
	__attribute__((target(TPL_TGT))) static void TPL_SE_TILE(MR, NV)(                \
		float *P, int ldp, float *rowsum, const float *A, int lda, const float *B,  \
		int ldb, int K, const float *shift, const int *lo, const int *hi, int j)    \
	{                                                                                \
		TPL_V c[MR][NV];                                                         \
		for (int r = 0; r < MR; r++)                                             \
			for (int v = 0; v < NV; v++)                                     \
				c[r][v] = (TPL_V){ 0 };                                  \
		TPL_PRODUCT(MR, NV, B + j, lda, 1)                                       \
		for (int r = 0; r < MR; r++) {                                           \
			const TPL_V sh = TPL_SPLAT(shift[r]);                            \
			const bool whole = lo[r] <= j && hi[r] >= j + NV * TPL_W;        \
			for (int v = 0; v < NV; v++) {                                   \
				int col = j + TPL_W * v;                                 \
				TPL_V w = TPL_CAT3(exp2_neg_, TPL_SUF, )(                \
					c[r][v] * 1.44269504088896341f - sh);            \
				if (!whole) { /* the mask's edge: 0 outside [lo, hi) */  \
					TPL_VI cv = TPL_IOTA + col;                      \
					TPL_VI in = (cv >= lo[r]) & (cv < hi[r]);        \
					w = (TPL_V)((TPL_VI)w & in);                     \
				}                                                        \
				TPL_STORE(P + (long)r * ldp + col, w);                   \
				float *sum = rowsum + (long)r * AV_SE_SUM + col % AV_SE_SUM; \
				TPL_STORE(sum, TPL_LOAD(sum) + w);                       \
			}                                                                \
		}                                                                        \
	}

TPL_DEFINE_SE_TILE(TPL_MR, TPL_NV)
TPL_DEFINE_SE_TILE(5, TPL_NV)
TPL_DEFINE_SE_TILE(4, TPL_NV)
TPL_DEFINE_SE_TILE(2, TPL_NV)
TPL_DEFINE_SE_TILE(1, TPL_NV)
TPL_DEFINE_SE_TILE(TPL_MR, 1)
TPL_DEFINE_SE_TILE(5, 1)
TPL_DEFINE_SE_TILE(4, 1)
TPL_DEFINE_SE_TILE(2, 1)
TPL_DEFINE_SE_TILE(1, 1)

/* Rows of one column panel, as TPL_ROWS. */
#define TPL_SE_ROWS(NV)                                                                  \
	do {                                                                             \
		int i = 0;                                                               \
		int wide_end = M % TPL_MR == 4 && M > TPL_MR && TPL_MR == 6 ? M - 10 : M; \
		for (; i + TPL_MR <= wide_end; i += TPL_MR)                              \
			TPL_SE_TILE(TPL_MR, NV)(P + (long)i * ldp, ldp,                  \
						rowsum + (long)i * AV_SE_SUM,            \
						A + (long)i * lda, lda, B, ldb, K,       \
						shift + i, lo + i, hi + i, j);           \
		for (; i + 5 <= M && wide_end < M; i += 5)                               \
			TPL_SE_TILE(5, NV)(P + (long)i * ldp, ldp, rowsum + (long)i * AV_SE_SUM, \
					   A + (long)i * lda, lda, B, ldb, K, shift + i,     \
					   lo + i, hi + i, j);                               \
		if (i + 4 <= M) {                                                        \
			TPL_SE_TILE(4, NV)(P + (long)i * ldp, ldp, rowsum + (long)i * AV_SE_SUM, \
					   A + (long)i * lda, lda, B, ldb, K, shift + i,     \
					   lo + i, hi + i, j);                               \
			i += 4;                                                          \
		}                                                                        \
		if (i + 2 <= M) {                                                        \
			TPL_SE_TILE(2, NV)(P + (long)i * ldp, ldp, rowsum + (long)i * AV_SE_SUM, \
					   A + (long)i * lda, lda, B, ldb, K, shift + i,     \
					   lo + i, hi + i, j);                               \
			i += 2;                                                          \
		}                                                                        \
		if (i < M)                                                               \
			TPL_SE_TILE(1, NV)(P + (long)i * ldp, ldp, rowsum + (long)i * AV_SE_SUM, \
					   A + (long)i * lda, lda, B, ldb, K, shift + i,     \
					   lo + i, hi + i, j);                               \
	} while (0)

/* The av_score_exp_fn of this instruction set (see core/fast_gemm.h). */
__attribute__((target(TPL_TGT))) static void TPL_CAT3(score_exp_, TPL_SUF, )(
	float *P, int ldp, float *rowsum, const float *A, int lda, const float *B, int ldb,
	const float *shift, const int *lo, const int *hi, int M, int N, int K)
{
	/* Column panels outer: a panel of B (K, NV W) stays in L1 while every
	 * row tile of A passes over it. */
	int j = 0;
	for (; j + TPL_NV * TPL_W <= N; j += TPL_NV * TPL_W)
		TPL_SE_ROWS(TPL_NV);
	for (; j + TPL_W <= N; j += TPL_W)
		TPL_SE_ROWS(1);
}

#undef TPL_SE_ROWS
#undef TPL_DEFINE_SE_TILE
#undef TPL_SE_TILE
#undef TPL_SE_TILE_
#undef TPL_SE_TILE__

/* The transposed-A product of the training pass (attnviz train's backward,
 * core/attn_train.c): C (M, N) (+)= A^T . B with A stored (K, M), row
 * stride lda. The same tiles with A read down a column: the MR values a
 * step broadcasts are neighbours in one row of A (one cache line), so
 * dV = A^T dO and dK = dS^T Q need no transposed copy of the n x n blocks. */
#define TPL_DEFINE_TILE_TN(MR, NV) TPL_DEFINE_TILE_AS(TPL_TILE(MR, NV##_tn), MR, NV, 1, lda)

TPL_DEFINE_TILE_TN(TPL_MR, TPL_NV)
TPL_DEFINE_TILE_TN(4, TPL_NV)
TPL_DEFINE_TILE_TN(2, TPL_NV)
TPL_DEFINE_TILE_TN(1, TPL_NV)
TPL_DEFINE_TILE_TN(TPL_MR, 1)
TPL_DEFINE_TILE_TN(4, 1)
TPL_DEFINE_TILE_TN(2, 1)
TPL_DEFINE_TILE_TN(1, 1)

/* Rows i .. M - 1 of C for one column panel: row i of C is column i of A. */
#define TPL_ROWS_TN(NV)                                                                  \
	do {                                                                             \
		int i = 0;                                                               \
		for (; i + TPL_MR <= M; i += TPL_MR)                                     \
			TPL_TILE(TPL_MR, NV##_tn)(C + (long)i * ldc + j, ldc, Ak + i, lda, \
						  Bk + j, ldb, kb, acc_k);       \
		if (i + 4 <= M) {                                                        \
			TPL_TILE(4, NV##_tn)(C + (long)i * ldc + j, ldc, Ak + i, lda,    \
					     Bk + j, ldb, kb, acc_k);                    \
			i += 4;                                                          \
		}                                                                        \
		if (i + 2 <= M) {                                                        \
			TPL_TILE(2, NV##_tn)(C + (long)i * ldc + j, ldc, Ak + i, lda,    \
					     Bk + j, ldb, kb, acc_k);                    \
			i += 2;                                                          \
		}                                                                        \
		if (i < M)                                                               \
			TPL_TILE(1, NV##_tn)(C + (long)i * ldc + j, ldc, Ak + i, lda,    \
					     Bk + j, ldb, kb, acc_k);                    \
	} while (0)

__attribute__((target(TPL_TGT))) static void TPL_CAT3(gemm_tn_, TPL_SUF, )(
	float *C, int ldc, const float *A, int lda, const float *B, int ldb, int M, int N, int K,
	bool acc)
{
	for (int k0 = 0; k0 < K; k0 += GEMM_KB) {
		int kb = K - k0 < GEMM_KB ? K - k0 : GEMM_KB;
		bool acc_k = acc || k0 > 0;
		const float *Ak = A + (long)k0 * lda, *Bk = B + (long)k0 * ldb;
		int j = 0;
		for (; j + TPL_NV * TPL_W <= N; j += TPL_NV * TPL_W)
			TPL_ROWS_TN(TPL_NV);
		for (; j + TPL_W <= N; j += TPL_W)
			TPL_ROWS_TN(1);
	}
}

#undef TPL_ROWS_TN
#undef TPL_DEFINE_TILE_TN

#undef TPL_ROWS
#undef TPL_DEFINE_TILE
#undef TPL_DEFINE_TILE_AS
#undef TPL_PRODUCT
#undef TPL_TILE
#undef TPL_TILE_
#undef TPL_TILE__
#undef TPL_CAT3
#undef TPL_CAT3_
