/* The one number formatter: see number.h. */
#include "fmt/number.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const fmt_style FMT_CELL = {.decimals = 2};
const fmt_style FMT_WEIGHT = {.decimals = 2, .zero_short = true};
const fmt_style FMT_SMALL = {.decimals = 2, .sci_below = 0.01f, .zero_short = true};
const fmt_style FMT_DRILL = {.decimals = 4, .sci_from = 1e5f, .sci_decimals = 3};
const fmt_style FMT_PRINT = {.decimals = 4, .sci_from = 1e3f, .sci_below = 1e-4f,
			     .sci_decimals = 1};
const fmt_style FMT_TABLE = {.decimals = 4};
const fmt_style FMT_SVG = {.decimals = 2, .integer_from = 100.0f};
const fmt_style FMT_FIXED[5] = {{.decimals = 0}, {.decimals = 1}, {.decimals = 2}, {.decimals = 3},
				{.decimals = 4}};

/* "%.*f" of v, without the sign of a value that rounds to zero. Judged
 * on printf's own digits: a threshold like |v| < 0.5e-decimals misses
 * -0.005f (-0.00499999988, below the decimal half but not below its
 * float) and -0.5 at 0 decimals (half to even). */
static int fixed(char *out, size_t size, float v, int decimals)
{
	char digits[64];
	int k = snprintf(digits, sizeof digits, "%.*f", decimals, (double)v);
	bool zero = k > 0 && (size_t)k < sizeof digits && digits[0] == '-' &&
		    strspn(digits + 1, "0.") == (size_t)k - 1;
	return snprintf(out, size, "%.*f", decimals, zero ? 0.0 : (double)v);
}

int fmt_num(char *out, size_t size, float v, const fmt_style *s, int width, bool utf8)
{
	int w = width > 0 ? width : s->width;
	float a = fabsf(v);
	if (isnan(v))
		return snprintf(out, size, "nan");
	if (isinf(v))
		return snprintf(out, size, "%s",
				v < 0 ? (utf8 ? "−∞" : "-inf") : (utf8 ? "+∞" : "inf"));
	if (v == 0.0f && s->zero_short)
		return snprintf(out, size, "0");
	if ((s->sci_from > 0.0f && a >= s->sci_from) ||
	    (s->sci_below > 0.0f && a > 0.0f && a < s->sci_below))
		return snprintf(out, size, "%.*e", s->sci_decimals, (double)v);
	if (s->integer_from > 0.0f && a >= s->integer_from)
		return fixed(out, size, v, 0);
	if (w <= 0)
		return fixed(out, size, v, s->decimals);
	for (int prec = s->decimals; prec >= 0; prec--) {
		int k = fixed(out, size, v, prec);
		if (k <= w)
			return k;
	}
	return snprintf(out, size, "%.0e", (double)v);
}

const char *fmt_str(fmt_text *t, float v, const fmt_style *s, bool utf8)
{
	fmt_num(t->s, sizeof t->s, v, s, 0, utf8);
	return t->s;
}
