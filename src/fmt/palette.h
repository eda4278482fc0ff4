/* The one palette and level table of the TUI and the SVG export: which
 * colour class a value falls in, and each class's colour as an xterm-256
 * index (the TUI) and as RGB (SVG). Diverging blue - grey - orange for
 * signed values (scores, h, z), sequential purple - yellow for weights;
 * both stay distinguishable with deuteranopia/protanopia. */
#ifndef ATTNVIZ_FMT_PALETTE_H
#define ATTNVIZ_FMT_PALETTE_H

#define PALETTE_LEVELS 8 /* levels of a signed value (and glyphs of a ramp) */

typedef enum {
	PAL_NEG3, PAL_NEG2, PAL_NEG1, PAL_ZERO, PAL_POS1, PAL_POS2, PAL_POS3,
	PAL_SIGNED_COUNT
} palette_signed_class;

typedef enum { PAL_P0, PAL_P1, PAL_P2, PAL_P3, PAL_P4, PAL_PROB_COUNT } palette_prob_class;

typedef struct {
	short xterm;     /* xterm-256 colour index */
	const char *rgb; /* "#rrggbb", the same colour */
} palette_colour;

extern const palette_colour palette_signed[PAL_SIGNED_COUNT];
extern const palette_colour palette_prob[PAL_PROB_COUNT];

/* A mask entry of 1 (kept) in the SVG: the green of the weights' P3. */
#define PALETTE_MASK_ONE_RGB "#5faf5f"

/* Level 0..PALETTE_LEVELS-1 of v on [-scale, scale] (scale <= 0 or not
 * finite: 1; below the range or NaN: 0; above: the top level). */
int palette_signed_level(float v, float scale);

/* The colour class of a signed level: the two middle levels share grey. */
palette_signed_class palette_signed_of_level(int level);

/* The colour class of a weight p > 0 (cut-offs 0.1, 0.25, 0.45, 0.7);
 * -1 for p <= 0 (masked, or exactly 0). */
int palette_prob_class_of(float p);

#endif
