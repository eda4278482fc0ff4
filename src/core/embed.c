/* Inputs c_n: a deterministic vector per token string, and the sinusoidal
 * positional encoding of "Attention Is All You Need". */
#include "attnviz/embed.h"

#include <math.h>
#include <string.h>
#include "attnviz/rng.h"

void av_embed_token(float *out, const char *token, uint64_t seed, int d)
{
	av_rng r = av_rng_stream(seed ^ av_fnv1a(token, strlen(token)), "embed");
	for (int k = 0; k < d; k++)
		out[k] = av_rng_symmetric(&r, 1.0f);
}

void av_positional_add(float *X, int n, int d)
{
	for (int p = 0; p < n; p++) {
		for (int k = 0; k < d; k++) {
			int pair = k / 2;
			double freq = pow(10000.0, -2.0 * pair / (double)d);
			double angle = p * freq;
			X[p * d + k] += (float)(k % 2 == 0 ? sin(angle) : cos(angle));
		}
	}
}
