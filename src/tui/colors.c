/* Colour schemes and glyph ramps by role: see colors.h. */
#include "tui/colors.h"

#include <math.h>

#include "fmt/palette.h"

/* 256-colour index of a role: the value roles from the shared palette
 * (fmt/palette.h, which the SVG export uses too), the marks here; 0: none. */
static short pal256(role r)
{
	switch (r) {
	case ROLE_NEG3: return palette_signed[PAL_NEG3].xterm;
	case ROLE_NEG2: return palette_signed[PAL_NEG2].xterm;
	case ROLE_NEG1: return palette_signed[PAL_NEG1].xterm;
	case ROLE_ZERO: return palette_signed[PAL_ZERO].xterm;
	case ROLE_POS1: return palette_signed[PAL_POS1].xterm;
	case ROLE_POS2: return palette_signed[PAL_POS2].xterm;
	case ROLE_POS3: return palette_signed[PAL_POS3].xterm;
	case ROLE_P0: return palette_prob[PAL_P0].xterm;
	case ROLE_P1: return palette_prob[PAL_P1].xterm;
	case ROLE_P2: return palette_prob[PAL_P2].xterm;
	case ROLE_P3: return palette_prob[PAL_P3].xterm;
	case ROLE_P4: return palette_prob[PAL_P4].xterm;
	case ROLE_LEAK: return 197;
	case ROLE_CHANGED: return 201;
	default: return 0;
	}
}

static const char *const ramp_signed_utf8[THEME_RAMP] = {"▁", "▂", "▃", "▄",
							 "▅", "▆", "▇", "█"};
static const char *const ramp_prob_utf8[THEME_RAMP] = {"▁", "▂", "▃", "▄",
						       "▅", "▆", "▇", "█"};
/* ASCII: one visibly ordered ramp per grid kind, each with its own legend.
 * Signed values diverge around zero: "=-~," below it (flat, low glyphs),
 * "o+*#" above it (growing glyphs). Probabilities grow from "." (tiny) to
 * "@" (~1); a weight of exactly 0 is "0", in neither ramp. */
static const char *const ramp_signed_ascii[THEME_RAMP] = {"=", "-", "~", ",",
							  "o", "+", "*", "#"};
static const char *const ramp_prob_ascii[THEME_RAMP] = {".", ":", "-", "=",
							"+", "*", "#", "@"};

color_scheme theme_detect(bool no_color)
{
	if (no_color || !has_colors())
		return SCHEME_MONO;
	/* COLORS is only set by start_color(); ask terminfo directly */
	int colors = tigetnum("colors");
	return colors >= 256 ? SCHEME_256 : SCHEME_8;
}

/* Foreground colour of each role in the 8-colour scheme (-1: default). */
static short fg8(role r)
{
	switch (r) {
	case ROLE_NEG3: case ROLE_NEG2: case ROLE_P1: return COLOR_BLUE;
	case ROLE_NEG1: case ROLE_P2: case ROLE_TITLE_FOCUS: return COLOR_CYAN;
	case ROLE_POS1: case ROLE_P4: case ROLE_STEP: case ROLE_KEY: return COLOR_YELLOW;
	case ROLE_POS2: case ROLE_POS3: case ROLE_ERROR: return COLOR_RED;
	case ROLE_P3: case ROLE_MASK_ONE: return COLOR_GREEN;
	case ROLE_EDGE: case ROLE_CHANGED: return COLOR_MAGENTA;
	case ROLE_LEAK: return COLOR_RED;
	default: return -1;
	}
}

void theme_init(theme *t, color_scheme scheme, bool utf8)
{
	t->scheme = scheme;
	t->utf8 = utf8;
	for (int r = 0; r < ROLE_COUNT; r++)
		t->attr[r] = A_NORMAL;

	/* Attributes common to every scheme: they carry the meaning in mono. */
	t->attr[ROLE_TITLE] = A_BOLD;
	t->attr[ROLE_TITLE_FOCUS] = A_BOLD | A_UNDERLINE;
	t->attr[ROLE_STEP] = A_BOLD;
	t->attr[ROLE_PENDING] = A_DIM;
	t->attr[ROLE_EDGE] = A_BOLD;
	t->attr[ROLE_MASKED] = A_DIM;
	t->attr[ROLE_MASK_ONE] = A_BOLD;
	t->attr[ROLE_CURSOR] = A_REVERSE;
	t->attr[ROLE_STATUS] = A_REVERSE;
	t->attr[ROLE_ERROR] = A_BOLD | A_REVERSE;
	t->attr[ROLE_KEY] = A_BOLD;
	t->attr[ROLE_LEAK] = A_BOLD;
	t->attr[ROLE_CHANGED] = A_BOLD;
	t->attr[ROLE_NEG3] = A_BOLD;
	t->attr[ROLE_POS3] = A_BOLD;
	t->attr[ROLE_P0] = A_DIM;
	t->attr[ROLE_P4] = A_BOLD;

	if (scheme != SCHEME_MONO) {
		for (int r = 0; r < ROLE_COUNT; r++) {
			bool has = scheme == SCHEME_256 ? pal256((role)r) != 0 || fg8((role)r) >= 0
							: fg8((role)r) >= 0;
			if (has)
				t->attr[r] |= COLOR_PAIR(r + 1);
		}
		/* Colour carries the level: keep bold only at the extremes. */
		t->attr[ROLE_STATUS] = A_REVERSE;
		t->attr[ROLE_ERROR] = A_BOLD | A_REVERSE | COLOR_PAIR(ROLE_ERROR + 1);
	}

	for (int i = 0; i < THEME_RAMP; i++) {
		t->ramp_signed[i] = utf8 ? ramp_signed_utf8[i] : ramp_signed_ascii[i];
		t->ramp_prob[i] = utf8 ? ramp_prob_utf8[i] : ramp_prob_ascii[i];
	}
	t->zero_prob = utf8 ? "·" : "0";
	t->pending_cell = utf8 ? "·" : " ";
	t->neg_inf = utf8 ? "−∞" : "-inf";
	t->neg_inf_cell = utf8 ? "−∞" : "x";
	t->edge = utf8 ? "↓" : "v";
	t->edge_first = utf8 ? "•" : "*";
	t->pending = utf8 ? "┆" : ":";
	t->leak_mark = "!";
	t->changed_mark = utf8 ? "*" : "^";
	t->ellipsis = utf8 ? "…" : "~";
	t->arrow = utf8 ? "→" : "->";
	t->dot = utf8 ? "·" : ".";
	t->sqrt = utf8 ? "√" : "sqrt";
	t->sigma = utf8 ? "Σ" : "sum";
	t->times = utf8 ? "×" : "*";
}

void theme_install(const theme *t)
{
	if (t->scheme == SCHEME_MONO)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg = t->scheme == SCHEME_256 && pal256((role)r) != 0 ? pal256((role)r) : fg8((role)r);
		if (fg >= 0 || t->scheme == SCHEME_256)
			init_pair((short)(r + 1), fg, -1);
	}
}

role theme_signed_role(float v, float scale)
{
	if (isnan(v))
		return ROLE_NORMAL;
	if (isinf(v))
		return ROLE_MASKED;
	static const role by_class[PAL_SIGNED_COUNT] = {ROLE_NEG3, ROLE_NEG2, ROLE_NEG1, ROLE_ZERO,
							 ROLE_POS1, ROLE_POS2, ROLE_POS3};
	return by_class[palette_signed_of_level(palette_signed_level(v, scale))];
}

role theme_prob_role(float p)
{
	static const role by_class[PAL_PROB_COUNT] = {ROLE_P0, ROLE_P1, ROLE_P2, ROLE_P3, ROLE_P4};
	int c = palette_prob_class_of(p);
	return c < 0 ? ROLE_MASKED : by_class[c];
}

const char *theme_signed_glyph(const theme *t, float v, float scale)
{
	if (isnan(v))
		return "?";
	if (isinf(v))
		return t->neg_inf;
	return t->ramp_signed[palette_signed_level(v, scale)];
}

const char *theme_prob_glyph(const theme *t, float p)
{
	if (!(p > 0.0f))
		return t->zero_prob;
	int l = (int)(p * THEME_RAMP);
	return t->ramp_prob[l >= THEME_RAMP ? THEME_RAMP - 1 : l];
}
