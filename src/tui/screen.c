/* UTF-8 text into curses cells: see screen.h. */
#include "tui/screen.h"

#include <string.h>
#include <wchar.h>

#include "attnviz/tokenize.h"

/* Next code point of s and its column width; returns bytes used (>= 1). */
static int next_cp(const char *s, bool utf8, wchar_t *wc, int *cw)
{
	unsigned cp = 0;
	int used = av_utf8_decode(s, strnlen(s, 4), &cp); /* never strlen: O(1) per code point */
	if (used <= 0) {
		*wc = L'?';
		*cw = 1;
		return 1;
	}
	if (av_is_control(cp)) { /* C0, DEL, C1: the core's one definition */
		*wc = L'?';
		*cw = 1;
		return used;
	}
	if (cp < 0x80) {
		*wc = (wchar_t)cp;
		*cw = 1;
		return used;
	}
	int w = wcwidth((wchar_t)cp);
	if (w < 0) { /* unprintable in this locale */
		*wc = L'?';
		*cw = 1;
		return used;
	}
	*wc = utf8 ? (wchar_t)cp : L'?';
	*cw = w;
	return used;
}

int screen_width(const char *s, bool utf8)
{
	int w = 0;
	while (s && *s) {
		wchar_t wc;
		int cw;
		s += next_cp(s, utf8, &wc, &cw);
		w += cw;
	}
	return w;
}

static int put_pair(int y, int x, int maxw, attr_t attr, short pair, const char *s, bool utf8);

int screen_put(int y, int x, int maxw, attr_t attr, const char *s, bool utf8)
{
	return put_pair(y, x, maxw, attr, (short)PAIR_NUMBER(attr), s, utf8);
}

int screen_put_pair(int y, int x, int maxw, attr_t attr, short pair, const char *s, bool utf8)
{
	return put_pair(y, x, maxw, attr & ~A_COLOR, pair, s, utf8);
}

static int put_pair(int y, int x, int maxw, attr_t attr, short pair, const char *s, bool utf8)
{
	if (!s || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	wchar_t buf[256];
	int n = 0, used = 0;
	int ret = 0;
	attr_set(attr, pair, NULL);
	move(y, x);
	while (*s) {
		wchar_t wc;
		int cw;
		s += next_cp(s, utf8, &wc, &cw);
		if (used + cw > maxw)
			break;
		if (cw == 2 && wc == L'?') { /* a wide character we cannot show */
			buf[n++] = L'?';
			wc = L'?';
		}
		buf[n++] = wc;
		used += cw;
		if (n >= (int)(sizeof buf / sizeof buf[0]) - 2) {
			addnwstr(buf, n);
			n = 0;
		}
	}
	if (n > 0)
		addnwstr(buf, n);
	ret = used;
	attr_set(A_NORMAL, 0, NULL);
	return ret;
}

void screen_fill(int y, int x, int w, attr_t attr)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	mvhline(y, x, (chtype)' ' | attr, w);
}

void screen_put_aligned(int y, int x, int w, attr_t attr, const char *s, bool utf8, int align)
{
	screen_put_aligned_pair(y, x, w, attr, (short)PAIR_NUMBER(attr), s, utf8, align);
}

void screen_put_aligned_pair(int y, int x, int w, attr_t attr, short pair, const char *s,
			     bool utf8, int align)
{
	int sw = screen_width(s, utf8);
	int pad = 0;
	if (sw < w)
		pad = align < 0 ? 0 : align == 0 ? (w - sw) / 2 : w - sw;
	char spaces[256];
	int fill = w < (int)sizeof spaces - 1 ? w : (int)sizeof spaces - 1;
	memset(spaces, ' ', (size_t)(fill > 0 ? fill : 0));
	spaces[fill > 0 ? fill : 0] = '\0';
	put_pair(y, x, w, attr & ~A_COLOR, pair, spaces, utf8);
	put_pair(y, x + pad, w - pad, attr & ~A_COLOR, pair, s, utf8);
}

int screen_put_cut(int y, int x, int maxw, attr_t attr, const char *s, bool utf8)
{
	if (screen_width(s, utf8) <= maxw)
		return screen_put(y, x, maxw, attr, s, utf8);
	const char *ell = utf8 ? "…" : "~";
	int ew = screen_width(ell, utf8);
	if (maxw <= ew)
		return screen_put(y, x, maxw, attr, s, utf8);
	int used = screen_put(y, x, maxw - ew, attr, s, utf8);
	return used + screen_put(y, x + used, ew, attr, ell, utf8);
}
