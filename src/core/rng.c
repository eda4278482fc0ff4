/* SplitMix64 and FNV-1a: the documented, platform-independent randomness
 * behind seeded weights and token embeddings. */
#include "attnviz/rng.h"

#include <string.h>

uint64_t av_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

av_rng av_rng_stream(uint64_t seed, const char *name)
{
	av_rng r = { seed ^ av_fnv1a(name, strlen(name)) };
	return r;
}

uint64_t av_rng_next(av_rng *r)
{
	uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

float av_rng_uniform(av_rng *r)
{
	return (float)(av_rng_next(r) >> 40) * (1.0f / 16777216.0f);
}

float av_rng_symmetric(av_rng *r, float limit)
{
	return (2.0f * av_rng_uniform(r) - 1.0f) * limit;
}
