/* Attention masks: the slide's 0/1 matrix and the variants that show what
 * goes wrong without it. */
#include "attnviz/mask.h"

#include <string.h>

static const char *const mask_names[AV_MASK_COUNT] = {
	[AV_MASK_CAUSAL] = "causal",
	[AV_MASK_NONE] = "none",
	[AV_MASK_STRICT] = "strict",
	[AV_MASK_FUTURE] = "future",
};

const char *av_mask_name(av_mask_kind kind)
{
	if ((int)kind < 0 || kind >= AV_MASK_COUNT)
		return "unknown";
	return mask_names[kind];
}

int av_mask_parse(const char *name, av_mask_kind *kind)
{
	for (int k = 0; k < AV_MASK_COUNT; k++) {
		if (strcmp(name, mask_names[k]) == 0) {
			*kind = (av_mask_kind)k;
			return 0;
		}
	}
	return -1;
}

int av_mask_allows(av_mask_kind kind, int i, int j)
{
	switch (kind) {
	case AV_MASK_CAUSAL: return j <= i;
	case AV_MASK_NONE: return 1;
	case AV_MASK_STRICT: return j < i;
	case AV_MASK_FUTURE: return j >= i;
	default: return 0;
	}
}

void av_mask_build(float *M, av_mask_kind kind, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			M[i * n + j] = av_mask_allows(kind, i, j) ? 1.0f : 0.0f;
}
