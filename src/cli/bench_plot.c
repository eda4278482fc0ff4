/* The log-log plot of `attnviz bench`, in plain ASCII so that it reads the
 * same in any terminal, pipe or log file. */
#include "cli/bench_plot.h"
#include "attnviz/i18n.h"
#include "attnviz/tokenize.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_W 10 /* "  12.3 ms " left of the axis */

static int to_cell(double v, double lo, double hi, int cells)
{
	if (hi <= lo)
		return 0;
	int c = (int)lround((log10(v) - lo) / (hi - lo) * (cells - 1));
	return c < 0 ? 0 : c >= cells ? cells - 1 : c;
}

void bench_plot(FILE *f, const bench_series *series, int n_series, int width, int height,
		const char *x_name, const char *y_unit)
{
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	for (int s = 0; s < n_series; s++)
		for (int i = 0; i < series[s].count; i++) {
			xlo = fmin(xlo, log10(series[s].x[i]));
			xhi = fmax(xhi, log10(series[s].x[i]));
			ylo = fmin(ylo, log10(series[s].y[i]));
			yhi = fmax(yhi, log10(series[s].y[i]));
		}
	if (!(xlo <= xhi) || !(ylo <= yhi))
		return; /* nothing to draw */
	if (yhi - ylo < 1e-9) {
		ylo -= 0.5;
		yhi += 0.5;
	}

	char *grid = malloc((size_t)width * height);
	if (!grid)
		return;
	memset(grid, ' ', (size_t)width * height);
	/* Dots between consecutive points of each series (linear in log-log). */
	for (int s = 0; s < n_series; s++) {
		const bench_series *b = &series[s];
		for (int i = 0; i + 1 < b->count; i++) {
			int c0 = to_cell(b->x[i], xlo, xhi, width);
			int c1 = to_cell(b->x[i + 1], xlo, xhi, width);
			for (int c = c0 + 1; c < c1; c++) {
				double t = (double)(c - c0) / (c1 - c0);
				double ly = (1 - t) * log10(b->y[i]) + t * log10(b->y[i + 1]);
				int r = height - 1 - to_cell(pow(10.0, ly), ylo, yhi, height);
				if (grid[r * width + c] == ' ')
					grid[r * width + c] = '.';
			}
		}
	}
	/* Markers on top; two series on one cell show '*'. */
	bool shared = false;
	for (int s = 0; s < n_series; s++) {
		const bench_series *b = &series[s];
		for (int i = 0; i < b->count; i++) {
			int c = to_cell(b->x[i], xlo, xhi, width);
			int r = height - 1 - to_cell(b->y[i], ylo, yhi, height);
			char *cell = &grid[r * width + c];
			bool mine = *cell == ' ' || *cell == '.' || *cell == b->marker;
			shared = shared || !mine;
			*cell = mine ? b->marker : '*';
		}
	}

	for (int r = 0; r < height; r++) {
		/* Label the top, bottom and two rows between. */
		int labelled = r == 0 || r == height - 1 || r == height / 3 || r == 2 * height / 3;
		if (labelled) {
			double ly = yhi - (yhi - ylo) * r / (height - 1);
			fprintf(f, "%7.3g %-2s|", pow(10.0, ly), y_unit);
		} else {
			fprintf(f, "%*s|", LABEL_W, "");
		}
		fwrite(grid + (size_t)r * width, 1, (size_t)width, f);
		fputc('\n', f);
	}
	fprintf(f, "%*s+", LABEL_W, "");
	for (int c = 0; c < width; c++)
		fputc('-', f);
	fputc('\n', f);

	/* x labels: each distinct x at its column when it does not overlap. */
	char *line = malloc((size_t)width + 16);
	if (line) {
		memset(line, ' ', (size_t)width + 15);
		line[width + 15] = '\0';
		int next_free = 0;
		for (int s = 0; s < n_series; s++)
			for (int i = 0; i < series[s].count; i++) {
				char num[32];
				int len = snprintf(num, sizeof num, "%g", series[s].x[i]);
				int c = to_cell(series[s].x[i], xlo, xhi, width);
				int start = c - len / 2;
				if (start < 0)
					start = 0;
				if (start + len > width + 14)
					start = width + 14 - len;
				if (start < next_free)
					continue;
				memcpy(line + start, num, (size_t)len);
				next_free = start + len + 1;
			}
		int end = width + 14;
		while (end > 0 && line[end] == ' ')
			line[end--] = '\0';
		fprintf(f, _("%*s %s   (%s, log scale)\n"), LABEL_W, "", line, x_name);
		free(line);
	}
	/* Legend, wrapped to the plot's width. */
	int col = 0;
	for (int s = 0; s <= n_series; s++) {
		char item[160];
		if (s < n_series)
			snprintf(item, sizeof item, "%c = %s", series[s].marker, series[s].label);
		else if (shared)
			snprintf(item, sizeof item, "%s", _("* = several"));
		else
			break;
		int len = av_utf8_width(item); /* columns: a Chinese label takes two a character */
		if (col > 0 && col + 3 + len > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			fprintf(f, "%*s %s", LABEL_W, "", item);
		else
			fprintf(f, "   %s", item);
		col += (col ? 3 : 0) + len;
	}
	fputc('\n', f);
	free(grid);
}
