/* The curses include of the TUI (wide-character API) and the one place that
 * turns UTF-8 strings into screen cells: clipped to a width, CJK-aware, and
 * with '?' for what the terminal cannot show (--ascii, non-UTF-8 locales,
 * control characters). */
#ifndef ATTNVIZ_TUI_SCREEN_H
#define ATTNVIZ_TUI_SCREEN_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* Columns that screen_put would use for s (wide = 2, unprintable = 1). */
int screen_width(const char *s, bool utf8);

/* Write s at (y, x) with attributes attr, at most maxw columns and never past
 * the right edge; a wide character that would not fit is not drawn. Returns
 * the columns written. With utf8 false every non-ASCII character becomes
 * '?' (one per column it would take). */
int screen_put(int y, int x, int maxw, attr_t attr, const char *s, bool utf8);

/* Where to end a line of at most w columns that starts at s: the line is
 * s[0..*take) and the next one starts at s + *next. Lines break at spaces
 * (which are dropped) and between two characters when either is wide (CJK
 * text has no spaces), never before closing punctuation (，。）…) or after
 * opening punctuation (（“); a word wider than w is cut between two
 * characters. *take is strlen(s) when it all fits. */
void screen_break(const char *s, int w, bool utf8, size_t *take, size_t *next);

/* s cut to at most w columns at a character boundary, ending with ellipsis
 * when anything was cut ("…", or "~" in ASCII), into out (size bytes, always
 * a whole UTF-8 sequence). Returns the columns used. */
int screen_fit(char *out, size_t size, const char *s, int w, bool utf8, const char *ellipsis);
/* Like screen_put; a string wider than maxw is cut by screen_fit and ends in the
 * ellipsis ("…", "~" in ASCII), so a cut word never reads as a whole one
 * (a cell no wider than the ellipsis shows the start of s bare). */
int screen_put_cut(int y, int x, int maxw, attr_t attr, const char *s, bool utf8);

/* Like screen_put, padded with spaces or clipped to exactly w columns, text
 * aligned left (align < 0), centred (0) or right (> 0). */
void screen_put_aligned(int y, int x, int w, attr_t attr, const char *s, bool utf8, int align);

/* screen_put and screen_put_aligned with an explicit colour pair (any
 * pair number, also past the 255 that fit in attr). */
int screen_put_pair(int y, int x, int maxw, attr_t attr, short pair, const char *s, bool utf8);
void screen_put_aligned_pair(int y, int x, int w, attr_t attr, short pair, const char *s,
			     bool utf8, int align);

/* Fill w columns at (y, x) with spaces in attr. */
void screen_fill(int y, int x, int w, attr_t attr);

#endif
