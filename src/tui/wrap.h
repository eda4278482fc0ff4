/* Wrap for captions, counters and messages: lines break at spaces and
 * between Chinese characters, a word longer than the width is cut between
 * two characters, and text left over after the last row ends that row with
 * an ellipsis. */
#ifndef ATTNVIZ_TUI_WRAP_H
#define ATTNVIZ_TUI_WRAP_H

#include <stdbool.h>
#include "tui/screen.h"

/* Draw text wrapped into at most max_rows rows of width w at (y, x);
 * returns the rows used. */
int wrap_put(int y, int x, int w, int max_rows, attr_t a, const char *text, bool utf8);

/* Rows that wrap_put would use (draws nothing). */
int wrap_rows(int w, int max_rows, const char *text, bool utf8);

#endif
