/* The documented pseudo-random generator of attnviz: SplitMix64.
 *   state += 0x9E3779B97F4A7C15
 *   z = state; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
 *   z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)
 * A float in [0, 1) is the top 24 bits of one draw times 2^-24, so the
 * numbers are the same on every platform. Each named matrix draws from its
 * own stream seeded by av_rng_stream(seed, name), so that changing one shape
 * (say, the number of heads) does not change the other matrices. */
#ifndef ATTNVIZ_RNG_H
#define ATTNVIZ_RNG_H

#include <stdint.h>
#include <stddef.h>

typedef struct {
	uint64_t state;
} av_rng;

/* FNV-1a 64-bit hash of len bytes. */
uint64_t av_fnv1a(const void *data, size_t len);

/* A stream for (seed, name): state = seed ^ fnv1a(name). */
av_rng av_rng_stream(uint64_t seed, const char *name);

uint64_t av_rng_next(av_rng *r);

/* Uniform float in [0, 1) with 24 random bits. */
float av_rng_uniform(av_rng *r);

/* Uniform float in [-limit, limit). */
float av_rng_symmetric(av_rng *r, float limit);

#endif
