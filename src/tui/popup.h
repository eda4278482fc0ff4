/* A centred box of text lines drawn over the screen: the drill-down and the
 * help overlay. Text is built first (testable without a terminal), then
 * drawn clipped to the screen, scrolled by whole lines. */
#ifndef ATTNVIZ_TUI_POPUP_H
#define ATTNVIZ_TUI_POPUP_H

#include <stdbool.h>

struct theme; /* tui/colors.h: only drawing needs it, so building the
	       * text (the drill-down, the lesson player) stays curses-free */

#define POPUP_LINES 512
#define POPUP_LINE_BYTES 320

typedef struct {
	char title[200];
	char footer[200];
	int n;
	char line[POPUP_LINES][POPUP_LINE_BYTES];
} popup_text;

/* Empty p and set its title. */
void popup_reset(popup_text *p, const char *title);

/* Append one line (printf-style; cut to POPUP_LINE_BYTES); ignored when
 * full. */
void popup_add(popup_text *p, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Append "label" padded to label_w columns, then text. */
void popup_add_labelled(popup_text *p, int label_w, const char *label, const char *text,
			bool utf8);

/* Lines that fit in the box on the current screen. */
int popup_body_rows(const popup_text *p);

/* Largest useful scroll for the current screen size. */
int popup_max_scroll(const popup_text *p);

/* Draw p centred, starting at line scroll. */
void popup_draw(const popup_text *p, const struct theme *t, int scroll);

#endif
