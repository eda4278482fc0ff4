/* Colour schemes and glyph ramps by role: see colors.h. */
#include "tui/colors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt/palette.h"

/* 256-colour index of a role: the value roles from the shared palette
 * (fmt/palette.h, which the SVG export uses too), the marks here; 0: none.
 * On a light background the marks and the brightest level are darker, and
 * a zero weight (masked) is a light grey: anything non-zero reads stronger
 * than zero on either background. */
static short pal256(role r, bool light)
{
	if (light) {
		switch (r) {
		case ROLE_STEP: case ROLE_KEY: return 124;  /* dark red, not yellow */
		case ROLE_TITLE_FOCUS: return 25;
		case ROLE_P0: return 60;    /* darker than a zero */
		case ROLE_P2: return 23;    /* dark teal: the dark theme's 30 and */
		case ROLE_P3: return 22;    /* green 71 fade on white (0.49 faintest) */
		case ROLE_P4: return 94;    /* dark gold: 1.00 stays legible */
		/* signed: a larger |value| never reads fainter than a smaller
		 * one, nor than zero (orange 208 on white was fainter than grey) */
		case ROLE_NEG3: return 19;
		case ROLE_NEG2: return 25;
		case ROLE_NEG1: return 67;
		case ROLE_ZERO: return 245;
		case ROLE_POS1: return 166;
		case ROLE_POS2: return 130;
		case ROLE_POS3: return 94;
		case ROLE_MASKED: return 250;
		case ROLE_MASK_ONE: return 28;
		case ROLE_EDGE: return 90;
		default: break;
		}
	}
	switch (r) {
	case ROLE_STEP: case ROLE_KEY: return 220;
	case ROLE_TITLE_FOCUS: return 45;
	case ROLE_MASKED: return 239;  /* zero and -inf: fainter than any weight */
	case ROLE_NEG3: return palette_signed[PAL_NEG3].xterm;
	case ROLE_NEG2: return palette_signed[PAL_NEG2].xterm;
	case ROLE_NEG1: return palette_signed[PAL_NEG1].xterm;
	case ROLE_ZERO: return palette_signed[PAL_ZERO].xterm;
	case ROLE_POS1: return palette_signed[PAL_POS1].xterm;
	case ROLE_POS2: return palette_signed[PAL_POS2].xterm;
	case ROLE_POS3: return palette_signed[PAL_POS3].xterm;
	case ROLE_P0: return 103; /* a small weight: brighter than a zero */
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
static short fg8(role r, bool light)
{
	if (light) {
		switch (r) {
		case ROLE_P4: case ROLE_STEP: case ROLE_KEY: case ROLE_POS1: return COLOR_MAGENTA;
		default: break;
		}
	}
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
	theme_init_bg(t, scheme, utf8, false);
}

bool theme_background_is_light(theme_background bg, const char *colorfgbg)
{
	if (bg != THEME_AUTO)
		return bg == THEME_LIGHT;
	const char *semi = colorfgbg ? strrchr(colorfgbg, ';') : NULL;
	if (!semi || !semi[1])
		return false;
	char *end;
	long b = strtol(semi + 1, &end, 10);
	return *end == '\0' && (b == 7 || b == 15);
}

unsigned theme_xterm_rgb(int index)
{
	static const unsigned base[16] = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080,
					  0x800080, 0x008080, 0xc0c0c0, 0x808080, 0xff0000,
					  0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff,
					  0xffffff};
	if (index < 16)
		return base[index < 0 ? 0 : index];
	if (index >= 232) {
		unsigned g = (unsigned)(8 + 10 * (index - 232));
		return g << 16 | g << 8 | g;
	}
	int k = index - 16;
	static const unsigned level[6] = {0, 95, 135, 175, 215, 255};
	return level[k / 36] << 16 | level[(k / 6) % 6] << 8 | level[k % 6];
}

void theme_init_bg(theme *t, color_scheme scheme, bool utf8, bool light)
{
	t->scheme = scheme;
	t->utf8 = utf8;
	t->light = light;
	for (int r = 0; r < ROLE_COUNT; r++) {
		t->attr[r] = A_NORMAL;
		short p = pal256((role)r, light), f = fg8((role)r, light);
		t->fg[r] = scheme == SCHEME_256 && p != 0 ? p : scheme == SCHEME_MONO ? -1 : f;
	}

	/* Attributes common to every scheme: they carry the meaning in mono. */
	t->attr[ROLE_TITLE] = A_BOLD;
	t->attr[ROLE_TITLE_FOCUS] = A_BOLD | A_UNDERLINE;
	t->attr[ROLE_STEP] = A_BOLD;
	t->attr[ROLE_PENDING] = A_DIM;
	t->attr[ROLE_EDGE] = A_BOLD;
	t->attr[ROLE_MASKED] = A_DIM;
	t->attr[ROLE_MASK_ONE] = A_BOLD;
	/* never reverse video: it inverts a bar glyph (a full block would read
	 * as empty); the cursor is underlined and bold, and its row and column
	 * labels are marked */
	t->attr[ROLE_CURSOR] = A_BOLD | A_UNDERLINE;
	t->attr[ROLE_STATUS] = A_REVERSE;
	t->attr[ROLE_ERROR] = A_BOLD | A_REVERSE;
	t->attr[ROLE_KEY] = A_BOLD;
	t->attr[ROLE_LEAK] = A_BOLD;
	t->attr[ROLE_CHANGED] = A_BOLD;
	t->attr[ROLE_NEG3] = A_BOLD;
	t->attr[ROLE_POS3] = A_BOLD;
	/* a small weight is never dimmer than a zero (which is A_DIM) */
	t->attr[ROLE_P4] = A_BOLD;

	if (scheme != SCHEME_MONO) {
		for (int r = 0; r < ROLE_COUNT; r++)
			if (t->fg[r] >= 0)
				t->attr[r] |= COLOR_PAIR(r + 1);
		/* a zero with its own grey needs no dimming on top */
		if (scheme == SCHEME_256)
			t->attr[ROLE_MASKED] &= ~A_DIM;
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
	/* ASCII: not "*", which is a value in both ramps and was the changed
	 * mark; ">" is in neither ramp */
	t->edge_first = utf8 ? "•" : ">";
	t->pending = utf8 ? "┆" : ":";
	t->leak_mark = "!";
	t->changed_mark = utf8 ? "*" : "^";
	t->wrong_mark = utf8 ? "✗" : "x"; /* the help names both (keymap.c) */
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
	for (int r = 0; r < ROLE_COUNT; r++)
		if (t->fg[r] >= 0)
			init_pair((short)(r + 1), t->fg[r], -1);
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

/* ---- heatmap pairs ------------------------------------------------------ */

/* The roles a heatmap cell can have, in pair order (0: none, the
 * terminal's background). */
static const role heat_roles[] = {ROLE_NORMAL, ROLE_PENDING, ROLE_MASKED, ROLE_MASK_ONE,
				  ROLE_NEG3,   ROLE_NEG2,    ROLE_NEG1,   ROLE_ZERO,
				  ROLE_POS1,   ROLE_POS2,    ROLE_POS3,   ROLE_P0,
				  ROLE_P1,     ROLE_P2,      ROLE_P3,     ROLE_P4,
				  ROLE_LABEL,  ROLE_CURSOR};
#define HEAT_N ((int)(sizeof heat_roles / sizeof heat_roles[0]))
#define HEAT_BASE (ROLE_COUNT + 2)

static int heat_index(role r)
{
	for (int k = 0; k < HEAT_N; k++)
		if (heat_roles[k] == r)
			return k;
	return -1;
}

/* The colour of a heatmap role: its foreground, or a grey for those drawn
 * only by attribute (pending). */
static short heat_colour(const theme *t, role r)
{
	if (r == ROLE_NORMAL)
		return -1;
	if (r == ROLE_PENDING)
		return t->light ? 254 : 235;
	if (r == ROLE_CURSOR) /* the selected cell's background */
		return t->light ? 223 : 238;
	if (r == ROLE_LABEL)
		return t->light ? 235 : 252;
	return t->fg[r];
}

void theme_heat_install(theme *t)
{
	t->heat = false;
	if (t->scheme != SCHEME_256 || COLOR_PAIRS <= HEAT_BASE + HEAT_N * HEAT_N)
		return;
	for (int a = 1; a < HEAT_N; a++)
		for (int b = 0; b < HEAT_N; b++)
			init_pair((short)(HEAT_BASE + a * HEAT_N + b), heat_colour(t, heat_roles[a]),
				  heat_colour(t, heat_roles[b]));
	t->heat = true;
}

short theme_heat_pair(const theme *t, role top, role bottom)
{
	int a = heat_index(top), b = heat_index(bottom);
	if (!t->heat || a <= 0 || b < 0)
		return 0;
	return (short)(HEAT_BASE + a * HEAT_N + b);
}
