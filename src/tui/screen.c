/* UTF-8 text into curses cells: see screen.h. */
#include "tui/screen.h"

#include <stdio.h>
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

/* Chinese is written without spaces: a line may break between two
 * characters when either is wide, except before closing punctuation or
 * after an opening one (the usual kinsoku rule), and at spaces. */
static bool no_break_before(unsigned cp)
{
	static const unsigned closing[] = { 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
					    0xFF09, 0x300B, 0x300D, 0x300F, 0x2026, 0x201D, 0x2019,
					    0xFF0E, 0x3011, ',', '.', ';', ':', '!', '?', ')', ']',
					    '}' };
	for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
		if (cp == closing[i])
			return true;
	return false;
}

static bool no_break_after(unsigned cp)
{
	static const unsigned opening[] = { 0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3010,
					    '(', '[', '{' };
	for (size_t i = 0; i < sizeof opening / sizeof opening[0]; i++)
		if (cp == opening[i])
			return true;
	return false;
}

void screen_break(const char *s, int w, bool utf8, size_t *take, size_t *next)
{
	size_t pos = 0, bt = 0, bn = 0; /* the last break: the line ends at bt, the next starts at bn */
	bool have = false;
	int used = 0, prev_w = 0;
	unsigned prev = 0;
	while (s[pos]) {
		if (s[pos] == ' ') {
			size_t e = pos;
			while (s[e] == ' ')
				e++;
			if (pos > 0)
				bt = pos, bn = e, have = true;
			if (used + (int)(e - pos) > w) {
				*take = bt, *next = bn;
				return;
			}
			used += (int)(e - pos);
			prev = ' ', prev_w = 1;
			pos = e;
			continue;
		}
		unsigned cp = '?';
		size_t rest = strlen(s + pos);
		av_utf8_decode(s + pos, rest < 4 ? rest : 4, &cp);
		wchar_t wc;
		int cw;
		int k = next_cp(s + pos, utf8, &wc, &cw);
		if (pos > 0 && prev != ' ' && (cw == 2 || prev_w == 2) && !no_break_before(cp) &&
		    !no_break_after(prev))
			bt = bn = pos, have = true;
		if (used + cw > w) {
			if (have)
				*take = bt, *next = bn;
			else /* one word wider than the line: cut it between two characters */
				*take = *next = pos > 0 ? pos : (size_t)k;
			return;
		}
		used += cw;
		prev = cp, prev_w = cw;
		pos += (size_t)k;
	}
	*next = pos;
	while (pos > 0 && s[pos - 1] == ' ') /* trailing spaces are not drawn */
		pos--;
	*take = pos;
}

int screen_fit(char *out, size_t size, const char *s, int w, bool utf8, const char *ellipsis)
{
	if (size == 0)
		return 0;
	int sw = screen_width(s, utf8);
	if (sw <= w && strlen(s) < size) {
		snprintf(out, size, "%s", s);
		return sw;
	}
	int ew = screen_width(ellipsis, utf8);
	if (ew > w) { /* not even the ellipsis fits */
		out[0] = '\0';
		return 0;
	}
	size_t pos = 0;
	int used = 0;
	while (s[pos]) {
		wchar_t wc;
		int cw;
		int k = next_cp(s + pos, utf8, &wc, &cw);
		if (used + cw + ew > w || pos + (size_t)k + strlen(ellipsis) + 1 > size)
			break;
		used += cw;
		pos += (size_t)k;
	}
	snprintf(out, size, "%.*s%s", (int)pos, s, ellipsis);
	return used + ew;
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
	/* the one cut (screen_fit), when there is room for the ellipsis and
	 * a character; a narrower cell shows the start of s bare */
	const char *ell = utf8 ? "…" : "~";
	char cut[1024];
	if (maxw > screen_width(ell, utf8)) {
		screen_fit(cut, sizeof cut, s, maxw, utf8, ell);
		s = cut;
	}
	return screen_put(y, x, maxw, attr, s, utf8);
}
