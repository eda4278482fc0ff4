/* A log-log scatter plot drawn with ASCII characters, for `attnviz bench`:
 * time against n, one marker letter per series, dots between the points of
 * a series. */
#ifndef ATTNVIZ_CLI_BENCH_PLOT_H
#define ATTNVIZ_CLI_BENCH_PLOT_H

#include <stdio.h>

typedef struct {
	char marker;     /* letter drawn at each point */
	const char *label; /* legend text */
	int count;
	const double *x; /* (count) > 0, increasing */
	const double *y; /* (count) > 0 */
} bench_series;

/* Draw the series on a width x height grid (plus axes and labels) to f;
 * x and y on log scales. y_unit names y ("ms"), x_name names x ("n"). */
void bench_plot(FILE *f, const bench_series *series, int n_series, int width, int height,
		const char *x_name, const char *y_unit);

#endif
