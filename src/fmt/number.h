/* The one number formatter of every front end (TUI cells and detail line,
 * drill-down, --print, Markdown, SVG). What differs between them is data,
 * a style: decimals, a column budget, where the scientific form starts.
 * What never differs: NaN is "nan"; infinities are "-inf"/"inf" (or "−∞"
 * "+∞" in UTF-8); a value that rounds to zero at the decimals shown is
 * written without its sign ("0.00", never "-0.00"). */
#ifndef ATTNVIZ_FMT_NUMBER_H
#define ATTNVIZ_FMT_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	int decimals;       /* fixed-point decimals */
	int width;          /* > 0: at most this many columns, dropping decimals
			     * first, then "%.0e"; 0: no limit */
	float sci_from;     /* > 0: |v| >= sci_from in scientific form */
	float sci_below;    /* > 0: 0 < |v| < sci_below in scientific form */
	int sci_decimals;   /* decimals of the scientific form */
	float integer_from; /* > 0: |v| >= integer_from with no decimals */
	bool zero_short;    /* an exact 0 is "0" */
} fmt_style;

/* The styles in use, one per kind of place. */
extern const fmt_style FMT_CELL;   /* TUI cells and rows: 2 decimals, width given by the caller */
extern const fmt_style FMT_WEIGHT; /* TUI weights: 2 decimals, an exact 0 (masked) is "0" */
extern const fmt_style FMT_SMALL;  /* leaks, max|diff|: "0", 1e-08, 0.25 */
extern const fmt_style FMT_DRILL;  /* drill-down: 4 decimals, 1.235e+05 from 1e5 */
extern const fmt_style FMT_PRINT;  /* --print: 4 decimals, 1.2e+03 / 1.0e-05 */
extern const fmt_style FMT_TABLE;  /* Markdown: 4 decimals */
extern const fmt_style FMT_SVG;    /* SVG cells: 2 decimals, none from 100 */
/* A number inside a sentence (a loss, a probability, a rate, seconds):
 * plain fixed point with FMT_FIXED[d] for d = 0..4 decimals, no width. */
extern const fmt_style FMT_FIXED[5];

/* v in style s (s->width overridden by width when width > 0). Returns the
 * length written (as snprintf). */
int fmt_num(char *out, size_t size, float v, const fmt_style *s, int width, bool utf8);

/* Room for one number of any style. */
typedef struct {
	char s[48];
} fmt_text;

/* fmt_num of v into t, returned as a string, for a %s inside a translated
 * sentence: printf's own %f would let a -0.00 or a nan through and keep
 * the number out of the one formatter. A compound literal serves as t:
 * printf(_("loss %s"), fmt_str(&(fmt_text){0}, loss, &FMT_FIXED[2], false))
 * (it lives until the end of the enclosing block). */
const char *fmt_str(fmt_text *t, float v, const fmt_style *s, bool utf8);

#endif
