/* Shared by the bench programs (bench/kernels.c, bench/ab.c): wall-clock
 * seconds, and the comparator that sorts samples before a median is read. */
#ifndef ATTNVIZ_BENCH_TIME_H
#define ATTNVIZ_BENCH_TIME_H

#include <time.h>

static inline double bench_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#endif
