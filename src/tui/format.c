/* Number formatting of the TUI: see format.h. */
#include "tui/format.h"

#include <math.h>
#include <stdio.h>

void ui_fmt_num(char *out, size_t size, float v, int w, bool utf8)
{
	if (isnan(v)) {
		snprintf(out, size, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, size, "%s", v < 0 ? (utf8 ? "−∞" : "-inf") : (utf8 ? "+∞" : "inf"));
		return;
	}
	for (int prec = 2; prec >= 0; prec--) {
		float lim = 0.5f * powf(10.0f, (float)-prec);
		float x = fabsf(v) < lim ? 0.0f : v; /* no "-0.00" */
		int k = snprintf(out, size, "%.*f", prec, x);
		if (k <= w)
			return;
	}
	snprintf(out, size, "%.0e", v);
}

/* A small number: "0" when exactly zero, 1e-08 form below 0.01. */
void ui_fmt_small(char *out, size_t size, float x)
{
	if (x == 0.0f)
		snprintf(out, size, "0");
	else if (fabsf(x) < 0.01f)
		snprintf(out, size, "%.0e", x);
	else
		snprintf(out, size, "%.2f", x);
}
