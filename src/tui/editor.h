/* A one-line UTF-8 text editor (for the sentence): the cursor moves by code
 * points, inserted characters are encoded as UTF-8, Esc cancels and Enter
 * accepts. Pure state + key handling; drawing is editor_draw. */
#ifndef ATTNVIZ_TUI_EDITOR_H
#define ATTNVIZ_TUI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>

#define EDITOR_MAX 4096 /* bytes, including the NUL */

typedef enum { EDITOR_CONTINUE, EDITOR_ACCEPT, EDITOR_CANCEL } editor_result;

typedef struct {
	bool active;
	char buf[EDITOR_MAX];
	size_t len; /* bytes */
	size_t cur; /* byte offset of the cursor, on a code point boundary */
} line_editor;

/* Start editing text (truncated to fit). */
void editor_start(line_editor *ed, const char *text);

/* Handle one key: is_key true for curses KEY_* codes, else ch is a
 * character (code point). */
editor_result editor_key(line_editor *ed, unsigned ch, bool is_key);

/* Draw "prompt text" on row y of width w (scrolled so the cursor shows),
 * and place the terminal cursor. */
void editor_draw(const line_editor *ed, int y, int w, const char *prompt, bool utf8);

#endif
