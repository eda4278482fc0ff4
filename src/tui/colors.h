/* Colours and glyphs by semantic role. A theme maps each role to curses
 * attributes under one of three schemes (256 colours, 8 colours, monochrome)
 * and holds the glyph ramps (UTF-8 or ASCII). Signed values (scores, hidden
 * states, outputs) use a diverging blue-orange palette; probabilities a
 * sequential dark-to-bright one; both are colour-blind safe, and in every
 * scheme the glyph alone still tells the value (monochrome, projector). */
#ifndef ATTNVIZ_TUI_COLORS_H
#define ATTNVIZ_TUI_COLORS_H

#include <stdbool.h>
#include "fmt/palette.h"
#include "tui/screen.h"

typedef enum {
	ROLE_NORMAL,
	ROLE_TITLE,       /* panel titles */
	ROLE_TITLE_FOCUS, /* the focused panel's title */
	ROLE_LABEL,       /* row and column labels */
	ROLE_STEP,        /* the current step t: token, row label */
	ROLE_PENDING,     /* h_n not computed yet */
	ROLE_EDGE,        /* the RNN edge h_{t-1} -> h_t */
	ROLE_MASKED,      /* -inf, zero weight under the mask */
	ROLE_MASK_ONE,    /* mask value 1 */
	ROLE_CURSOR,      /* the selected cell */
	ROLE_STATUS,      /* key hints */
	ROLE_ERROR,       /* error message */
	ROLE_POPUP,       /* drill-down and help boxes */
	ROLE_KEY,         /* a key name in hints and help */
	ROLE_LEAK,        /* the mark of a weight on a later key j > i */
	ROLE_CHANGED,     /* the mark of a value changed by the last edit */
	ROLE_CAPTION,     /* lesson captions, the quiz question */
	ROLE_NEG3,        /* diverging palette, most negative .. */
	ROLE_NEG2,
	ROLE_NEG1,
	ROLE_ZERO,
	ROLE_POS1,
	ROLE_POS2,
	ROLE_POS3, /* .. most positive */
	ROLE_P0,   /* sequential palette, probability ~0 .. */
	ROLE_P1,
	ROLE_P2,
	ROLE_P3,
	ROLE_P4, /* .. ~1 */
	ROLE_COUNT
} role;

typedef enum { SCHEME_MONO, SCHEME_8, SCHEME_256 } color_scheme;

/* The terminal's background: the colours of the marks and of the extreme
 * levels differ (yellow vanishes on white). */
typedef enum { THEME_DARK, THEME_LIGHT, THEME_AUTO } theme_background;

#define THEME_RAMP PALETTE_LEVELS /* glyph levels of a ramp = colour levels */

typedef struct theme {
	color_scheme scheme;
	bool utf8;
	bool light;              /* a light background */
	bool heat;               /* heatmap pairs installed (theme_heat_install) */
	attr_t attr[ROLE_COUNT];
	short fg[ROLE_COUNT];    /* foreground colour of each role (-1: default) */
	const char *ramp_signed[THEME_RAMP]; /* low .. high value */
	const char *ramp_prob[THEME_RAMP];   /* ~0 .. 1 */
	const char *zero_prob; /* a weight of exactly 0 */
	const char *pending_cell; /* a component of h_n not computed yet */
	const char *neg_inf;   /* "−∞" / "-inf" */
	const char *neg_inf_cell; /* -inf in a 2-column glyph cell */
	const char *edge;      /* h_{t-1} -> h_t */
	const char *edge_first; /* h_0 = 0 -> h_1 */
	const char *pending;   /* not computed yet */
	const char *leak_mark;    /* after a cell: weight on a later word */
	const char *changed_mark; /* after a cell: changed by the last edit */
	const char *wrong_mark;   /* after a prediction: not the target */
	const char *ellipsis;
	const char *arrow;   /* "→" */
	const char *dot;     /* "·" between q_i and k_j */
	const char *sqrt;    /* "√" */
	const char *sigma;   /* "Σ" */
	const char *times;   /* "×" */
} theme;

/* The scheme a terminal supports: mono when no_color or !has_colors(),
 * 256 when COLORS >= 256, else 8. Needs an initialised screen. */
color_scheme theme_detect(bool no_color);

/* Fill t for scheme and glyph set on a dark background (no curses calls:
 * testable). */
void theme_init(theme *t, color_scheme scheme, bool utf8);

/* The same for a background: light uses darker marks and extremes. */
void theme_init_bg(theme *t, color_scheme scheme, bool utf8, bool light);

/* THEME_AUTO from COLORFGBG ("fg;bg", as rxvt and others set it): a light
 * background for bg 7 or 15, dark otherwise or when unset. */
bool theme_background_is_light(theme_background bg, const char *colorfgbg);

/* The RGB of an xterm-256 colour index (0..255), as 0xRRGGBB. */
unsigned theme_xterm_rgb(int index);

/* Start colours and define the pairs of t's scheme (after newterm). */
void theme_install(const theme *t);

/* The heatmap's colour pairs (fg role over bg role, for the upper and
 * lower half of a line) when the terminal has the pairs for them (256
 * colours): sets t->heat. After theme_install. */
void theme_heat_install(theme *t);

/* The pair of a heatmap line: top's colour as foreground, bottom's as
 * background (ROLE_NORMAL: the terminal's background; ROLE_CURSOR: the
 * selected cell's background, so theme_heat_pair(t, value_role,
 * ROLE_CURSOR) draws a selected value in its own colour on a marked
 * background); 0 when top or bottom has no heatmap colour. */
short theme_heat_pair(const theme *t, role top, role bottom);

/* Role of a signed value v on a scale (|v| <= scale maps to the palette). */
role theme_signed_role(float v, float scale);
/* Role of a probability p in [0, 1]. */
role theme_prob_role(float p);
/* Glyph of a signed value / a probability. */
const char *theme_signed_glyph(const theme *t, float v, float scale);
const char *theme_prob_glyph(const theme *t, float p);

#endif
