/* The sentence line editor: see editor.h. */
#include "tui/editor.h"

#include <string.h>

#include "attnviz/tokenize.h"
#include "tui/screen.h"

#define CTRL(c) ((c) & 0x1f)

void editor_start(line_editor *ed, const char *text)
{
	ed->active = true;
	ed->len = 0;
	if (text) {
		size_t n = strlen(text);
		if (n > EDITOR_MAX - 1)
			n = EDITOR_MAX - 1;
		/* do not cut a code point in half */
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(ed->buf, text, n);
		ed->len = n;
	}
	ed->buf[ed->len] = '\0';
	ed->cur = ed->len;
}

static size_t prev_boundary(const line_editor *ed, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)ed->buf[at] & 0xC0) == 0x80)
		at--;
	return at;
}

static size_t next_boundary(const line_editor *ed, size_t at)
{
	if (at >= ed->len)
		return ed->len;
	at++;
	while (at < ed->len && ((unsigned char)ed->buf[at] & 0xC0) == 0x80)
		at++;
	return at;
}

static void delete_range(line_editor *ed, size_t from, size_t to)
{
	memmove(ed->buf + from, ed->buf + to, ed->len - to + 1);
	ed->len -= to - from;
}


editor_result editor_key(line_editor *ed, unsigned ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_ENTER: ed->active = false; return EDITOR_ACCEPT;
		case KEY_LEFT: ed->cur = prev_boundary(ed, ed->cur); break;
		case KEY_RIGHT: ed->cur = next_boundary(ed, ed->cur); break;
		case KEY_HOME: ed->cur = 0; break;
		case KEY_END: ed->cur = ed->len; break;
		case KEY_BACKSPACE:
			if (ed->cur > 0) {
				size_t p = prev_boundary(ed, ed->cur);
				delete_range(ed, p, ed->cur);
				ed->cur = p;
			}
			break;
		case KEY_DC:
			if (ed->cur < ed->len)
				delete_range(ed, ed->cur, next_boundary(ed, ed->cur));
			break;
		default: break;
		}
		return EDITOR_CONTINUE;
	}
	switch (ch) {
	case '\n': case '\r': ed->active = false; return EDITOR_ACCEPT;
	case 27: ed->active = false; return EDITOR_CANCEL; /* Esc */
	case CTRL('a'): ed->cur = 0; return EDITOR_CONTINUE;
	case CTRL('e'): ed->cur = ed->len; return EDITOR_CONTINUE;
	case CTRL('b'): ed->cur = prev_boundary(ed, ed->cur); return EDITOR_CONTINUE;
	case CTRL('f'): ed->cur = next_boundary(ed, ed->cur); return EDITOR_CONTINUE;
	case CTRL('u'): delete_range(ed, 0, ed->cur); ed->cur = 0; return EDITOR_CONTINUE;
	case CTRL('k'): ed->len = ed->cur; ed->buf[ed->len] = '\0'; return EDITOR_CONTINUE;
	case CTRL('w'): {
		size_t p = ed->cur;
		while (p > 0 && ed->buf[p - 1] == ' ')
			p--;
		while (p > 0 && ed->buf[p - 1] != ' ')
			p--;
		delete_range(ed, p, ed->cur);
		ed->cur = p;
		return EDITOR_CONTINUE;
	}
	case 127: case CTRL('h'): return editor_key(ed, KEY_BACKSPACE, true);
	case CTRL('d'): return editor_key(ed, KEY_DC, true);
	default: break;
	}
	if (ch < 0x20 || ch == 0x7f)
		return EDITOR_CONTINUE;
	char enc[4];
	int k = av_utf8_encode(enc, ch);
	if (k == 0 || ed->len + (size_t)k >= EDITOR_MAX)
		return EDITOR_CONTINUE;
	memmove(ed->buf + ed->cur + k, ed->buf + ed->cur, ed->len - ed->cur + 1);
	memcpy(ed->buf + ed->cur, enc, (size_t)k);
	ed->len += (size_t)k;
	ed->cur += (size_t)k;
	return EDITOR_CONTINUE;
}

void editor_draw(const line_editor *ed, int y, int w, const char *prompt, bool utf8)
{
	if (y < 0 || w <= 0)
		return;
	screen_fill(y, 0, w, A_NORMAL);
	int pw = screen_put(y, 0, w, A_BOLD, prompt, utf8);
	int avail = w - pw - 1;
	if (avail < 1)
		return;
	/* Scroll: the first code point such that the text before the cursor
	 * fits in avail - 1 columns, found by walking back from the cursor
	 * once (linear in the visible text, whatever the line's length). */
	size_t start = ed->cur;
	int used = 0;
	while (start > 0) {
		size_t p = prev_boundary(ed, start);
		char one[8];
		size_t k = start - p < sizeof one ? start - p : sizeof one - 1;
		memcpy(one, ed->buf + p, k);
		one[k] = '\0';
		int cw = screen_width(one, utf8);
		if (used + cw > avail - 1)
			break;
		used += cw;
		start = p;
	}
	int cx = pw + used;
	screen_put(y, pw, avail, A_NORMAL, ed->buf + start, utf8);
	move(y, cx < w ? cx : w - 1);
}
