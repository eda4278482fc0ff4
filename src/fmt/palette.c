/* The palette and level table: see palette.h. */
#include "fmt/palette.h"

#include <math.h>

const palette_colour palette_signed[PAL_SIGNED_COUNT] = {
	[PAL_NEG3] = {25, "#005faf"},  [PAL_NEG2] = {32, "#0087d7"},
	[PAL_NEG1] = {110, "#87afd7"}, [PAL_ZERO] = {245, "#d0d0d0"},
	[PAL_POS1] = {216, "#ffaf87"}, [PAL_POS2] = {208, "#ff8700"},
	[PAL_POS3] = {166, "#d75f00"},
};

/* The SVG's RGB for P0 is lighter than xterm 240 on its white page. */
const palette_colour palette_prob[PAL_PROB_COUNT] = {
	[PAL_P0] = {240, "#d8d8f0"}, [PAL_P1] = {61, "#8787d7"}, [PAL_P2] = {30, "#00afaf"},
	[PAL_P3] = {71, "#5faf5f"},  [PAL_P4] = {184, "#d7d700"},
};

int palette_signed_level(float v, float scale)
{
	if (!(scale > 0.0f) || !isfinite(scale))
		scale = 1.0f;
	float u = (v / scale + 1.0f) * 0.5f * PALETTE_LEVELS;
	if (!(u >= 0.0f)) /* also NaN */
		return 0;
	int l = (int)u;
	return l >= PALETTE_LEVELS ? PALETTE_LEVELS - 1 : l;
}

palette_signed_class palette_signed_of_level(int level)
{
	static const palette_signed_class by_level[PALETTE_LEVELS] = {
		PAL_NEG3, PAL_NEG2, PAL_NEG1, PAL_ZERO, PAL_ZERO, PAL_POS1, PAL_POS2, PAL_POS3};
	return by_level[level < 0 ? 0 : level >= PALETTE_LEVELS ? PALETTE_LEVELS - 1 : level];
}

int palette_prob_class_of(float p)
{
	if (!(p > 0.0f))
		return -1;
	return p < 0.1f ? PAL_P0 : p < 0.25f ? PAL_P1 : p < 0.45f ? PAL_P2 : p < 0.7f ? PAL_P3 : PAL_P4;
}
