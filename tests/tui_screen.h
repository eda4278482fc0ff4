/* Shared by the in-process TUI tests: a curses screen on /dev/null at a
 * fixed size, and the screen read back as UTF-8 text. Header-only: each
 * test binary is one translation unit. */
#ifndef ATTNVIZ_TESTS_TUI_SCREEN_H
#define ATTNVIZ_TESTS_TUI_SCREEN_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "tui/keymap.h"
#include "tui/screen.h"

static SCREEN *scr;
static FILE *out_f, *in_f;

/* One key as the app loop and the lesson player take it: the action the
 * key asks for (keymap_action), applied to the view. */
static inline void press_key(view *pv, av_model *pm, const layout *pl, int ch, bool is_key,
			     int max_scroll)
{
	int arg;
	action a = keymap_action(pv, ch, is_key, max_scroll, &arg);
	view_apply(pv, pm, pl, a, arg);
}

/* newterm on /dev/null, resized to cols x lines. */
static inline void open_screen(int cols, int lines)
{
	out_f = fopen("/dev/null", "w");
	in_f = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(out_f);
	scr = newterm("xterm-256color", out_f, in_f);
	ck_assert_ptr_nonnull(scr);
	set_term(scr);
	resizeterm(lines, cols);
	ck_assert_int_eq(COLS, cols);
	ck_assert_int_eq(LINES, lines);
}

static inline void close_screen(void)
{
	if (scr) {
		endwin();
		delscreen(scr);
		scr = NULL;
	}
	if (out_f)
		fclose(out_f);
	if (in_f)
		fclose(in_f);
	out_f = in_f = NULL;
}

/* Row y of the screen as UTF-8. */
static inline const char *row_text(int y)
{
	static char buf[4096];
	wchar_t w[1024];
	buf[0] = '\0';
	if (mvinnwstr(y, 0, w, COLS) == ERR)
		return buf;
	if (wcstombs(buf, w, sizeof buf - 1) == (size_t)-1)
		buf[0] = '\0';
	return buf;
}

/* First row containing s, or -1. */
static inline int find_row(const char *s)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(row_text(y), s))
			return y;
	return -1;
}

static inline bool screen_has(const char *s)
{
	return find_row(s) >= 0;
}

#endif
