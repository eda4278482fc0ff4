/* Attention masks: which keys k_j a query q_i may look at (M[i][j] = 1). */
#ifndef ATTNVIZ_MASK_H
#define ATTNVIZ_MASK_H

typedef enum {
	AV_MASK_CAUSAL, /* j <= i: the slide's lower triangle, no cheating */
	AV_MASK_NONE,   /* all ones: bidirectional */
	AV_MASK_STRICT, /* j <  i: off-by-one bug, row 1 sees nothing */
	AV_MASK_FUTURE, /* j >= i: the wrong triangle */
	AV_MASK_COUNT
} av_mask_kind;

/* "causal", "none", "strict", "future". */
const char *av_mask_name(av_mask_kind kind);

/* Parse a name; returns 0 and sets *kind, or -1 if unknown. */
int av_mask_parse(const char *name, av_mask_kind *kind);

/* 1 if query i may attend key j under kind. */
int av_mask_allows(av_mask_kind kind, int i, int j);

/* M (n, n) of 0/1 floats. */
void av_mask_build(float *M, av_mask_kind kind, int n);

#endif
