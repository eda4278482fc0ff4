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
		if (draw)
			screen_put(y + rows, x, w, a, line, utf8);
		rows++;
		s += best;
		while (*s == ' ')
			s++;
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
