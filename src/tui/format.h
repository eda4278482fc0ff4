/* Numbers as the TUI shows them: one width rule (at most w columns, fewer
 * decimals when large) and one -0 rule (a value that rounds to zero is
 * "0.00", never "-0.00"). */
#ifndef ATTNVIZ_TUI_FORMAT_H
#define ATTNVIZ_TUI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

/* A number in at most w columns (w >= 4): 2 decimals, fewer when it is
 * large, "-inf"/"−∞" for -infinity, "nan" for NaN. */
void ui_fmt_num(char *out, size_t size, float v, int w, bool utf8);

/* A small non-negative quantity (a leak, a max|diff|): "0" when exactly
 * zero, 1e-08 form below 0.01, else 2 decimals. */
void ui_fmt_small(char *out, size_t size, float x);

#endif
