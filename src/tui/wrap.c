/* Word wrap: see wrap.h. */
#include "tui/wrap.h"

#include <string.h>

/* Wrap text into at most max_rows rows of width w at (y, x): lines break at
 * spaces and between Chinese characters (screen_break); when text is left
 * over after the last row, that row ends with an ellipsis (screen_fit).
 * Returns the rows used. */
static int wrap_do(bool draw, int y, int x, int w, int max_rows, attr_t a, const char *text,
		   bool utf8)
{
	char line[1024];
	int rows = 0;
	const char *s = text;
	while (*s == ' ')
		s++;
	while (*s && rows < max_rows && w > 0) {
		size_t take, next;
		screen_break(s, w, utf8, &take, &next);
		if (rows == max_rows - 1 && s[next] != '\0') {
			/* the last row with text left over: whole words and " …", so a
			 * cut never reads as the end; Chinese (no spaces) is cut
			 * between two characters */
			const char *ell = utf8 ? " …" : " ~";
			size_t n = take < sizeof line ? take : sizeof line - 1;
			memcpy(line, s, n);
			line[n] = '\0';
			char *sp;
			while (screen_width(line, utf8) + screen_width(ell, utf8) > w &&
			       (sp = strrchr(line, ' ')) != NULL)
				*sp = '\0';
			if (screen_width(line, utf8) + screen_width(ell, utf8) <= w &&
			    strlen(line) + strlen(ell) < sizeof line) {
				strcat(line, ell);
			} else {
				char cut[sizeof line];
				screen_fit(cut, sizeof cut, s, w, utf8, utf8 ? "…" : "~");
				memcpy(line, cut, sizeof line);
			}
		} else {
			if (take >= sizeof line) /* whole characters only */
				screen_fit(line, sizeof line, s, w, utf8, "");
			else
				memcpy(line, s, take), line[take] = '\0';
		}
		if (draw)
			screen_put(y + rows, x, w, a, line, utf8);
		rows++;
		s += next;
	}
	return rows;
}

int wrap_put(int y, int x, int w, int max_rows, attr_t a, const char *text, bool utf8)
{
	return wrap_do(true, y, x, w, max_rows, a, text, utf8);
}

/* Rows that wrap_put would use. */
int wrap_rows(int w, int max_rows, const char *text, bool utf8)
{
	return wrap_do(false, 0, 0, w, max_rows, 0, text, utf8);
}
