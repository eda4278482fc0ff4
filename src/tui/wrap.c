/* Word wrap: see wrap.h. */
#include "tui/wrap.h"

#include <string.h>

/* Word-wrap text into at most max_rows rows of width w at (y, x); returns
 * the rows used. */
static int wrap_do(bool draw, int y, int x, int w, int max_rows, attr_t a, const char *text,
		   bool utf8)
{
	char line[512];
	int rows = 0;
	const char *s = text;
	while (*s && rows < max_rows && w > 0) {
		/* take words while they fit */
		size_t best = 0, k = 0;
		while (s[k]) {
			size_t e = k;
			while (s[e] && s[e] != ' ')
				e++;
			if (e >= sizeof line)
				break;
			memcpy(line, s, e);
			line[e] = '\0';
			if (screen_width(line, utf8) > w)
				break;
			best = e;
			k = e;
			while (s[k] == ' ')
				k++;
			if (!s[e])
				break;
		}
		if (best == 0) { /* one word longer than w: cut it */
			best = strlen(s) < sizeof line - 1 ? strlen(s) : sizeof line - 1;
		}
		memcpy(line, s, best);
		line[best] = '\0';
		s += best;
		while (*s == ' ')
			s++;
		/* the last row allowed, with text left over: drop words until
		 * " …" fits after the line, so a cut never reads as the end */
		if (draw && *s && rows + 1 == max_rows) {
			const char *ell = utf8 ? " …" : " ~";
			char *sp;
			while (screen_width(line, utf8) + screen_width(ell, utf8) > w &&
			       (sp = strrchr(line, ' ')) != NULL)
				*sp = '\0';
			if (strlen(line) + strlen(ell) < sizeof line)
				strcat(line, ell);
		}
		if (draw) /* a single word wider than w is cut with "…" too */
			screen_put_cut(y + rows, x, w, a, line, utf8);
		rows++;
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
