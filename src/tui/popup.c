/* Centred text boxes: see popup.h. */
#include "tui/popup.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/colors.h"

void popup_reset(popup_text *p, const char *title)
{
	snprintf(p->title, sizeof p->title, "%s", title);
	p->footer[0] = '\0';
	p->n = 0;
}

void popup_add(popup_text *p, const char *fmt, ...)
{
	if (p->n >= POPUP_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->line[p->n], POPUP_LINE_BYTES, fmt, ap);
	va_end(ap);
	/* never leave half a UTF-8 sequence at the cut */
	size_t len = strlen(p->line[p->n]);
	if (len == POPUP_LINE_BYTES - 1) {
		while (len > 0 && ((unsigned char)p->line[p->n][len - 1] & 0xC0) == 0x80)
			len--;
		if (len > 0 && ((unsigned char)p->line[p->n][len - 1] & 0xC0) == 0xC0)
			len--;
		p->line[p->n][len] = '\0';
	}
	p->n++;
}

void popup_add_labelled(popup_text *p, int label_w, const char *label, const char *text,
			bool utf8)
{
	int w = screen_width(label, utf8);
	int pad = label_w > w ? label_w - w : w == 0 ? 0 : 1;
	popup_add(p, "%s%*s%s", label, pad, "", text);
}

/* Box geometry on the current screen. */
static void box_of(const popup_text *p, int *y, int *x, int *h, int *w)
{
	int need_w = screen_width(p->title, true) + 4;
	for (int i = 0; i < p->n; i++) {
		int lw = screen_width(p->line[i], true) + 4;
		if (lw > need_w)
			need_w = lw;
	}
	int fw = screen_width(p->footer, true) + 4;
	if (fw > need_w)
		need_w = fw;
	*w = need_w < COLS ? need_w : COLS;
	*h = p->n + 2 < LINES ? p->n + 2 : LINES;
	*y = (LINES - *h) / 2;
	*x = (COLS - *w) / 2;
}

int popup_body_rows(const popup_text *p)
{
	int y, x, h, w;
	box_of(p, &y, &x, &h, &w);
	return h - 2 > 0 ? h - 2 : 0;
}

int popup_max_scroll(const popup_text *p)
{
	int rows = popup_body_rows(p);
	return p->n > rows ? p->n - rows : 0;
}

void popup_draw(const popup_text *p, const theme *t, int scroll)
{
	int y, x, h, w;
	box_of(p, &y, &x, &h, &w);
	if (h < 1 || w < 1)
		return;
	attr_t a = t->attr[ROLE_POPUP];
	bool utf8 = t->utf8;
	for (int r = 0; r < h; r++)
		screen_fill(y + r, x, w, a);
	if (h >= 2 && w >= 2) {
		/* Box-drawing characters as text: ACS line drawing is not shown
		 * by every terminal multiplexer in UTF-8 mode. */
		const char *hl = utf8 ? "─" : "-", *vl = utf8 ? "│" : "|";
		for (int k = 1; k < w - 1; k++) {
			screen_put(y, x + k, 1, a, hl, utf8);
			screen_put(y + h - 1, x + k, 1, a, hl, utf8);
		}
		for (int r = 1; r < h - 1; r++) {
			screen_put(y + r, x, 1, a, vl, utf8);
			screen_put(y + r, x + w - 1, 1, a, vl, utf8);
		}
		screen_put(y, x, 1, a, utf8 ? "┌" : "+", utf8);
		screen_put(y, x + w - 1, 1, a, utf8 ? "┐" : "+", utf8);
		screen_put(y + h - 1, x, 1, a, utf8 ? "└" : "+", utf8);
		screen_put(y + h - 1, x + w - 1, 1, a, utf8 ? "┘" : "+", utf8);
	}
	/* every text is cut at a character boundary with an ellipsis, never
	 * clipped mid-word by the edge */
	char cut[POPUP_LINE_BYTES + 8];
	screen_fit(cut, sizeof cut, p->title, w - 4, utf8, t->ellipsis);
	screen_put(y, x + 2, w - 4, a | t->attr[ROLE_TITLE], cut, utf8);
	int rows = h - 2;
	int max_scroll = p->n > rows ? p->n - rows : 0;
	if (scroll > max_scroll)
		scroll = max_scroll;
	if (scroll < 0)
		scroll = 0;
	for (int r = 0; r < rows && scroll + r < p->n; r++) {
		screen_fit(cut, sizeof cut, p->line[scroll + r], w - 4, utf8, t->ellipsis);
		screen_put(y + 1 + r, x + 2, w - 4, a, cut, utf8);
	}
	char foot[240];
	if (max_scroll > 0)
		snprintf(foot, sizeof foot, "%s %d/%d", p->footer, scroll + rows, p->n);
	else
		snprintf(foot, sizeof foot, "%s", p->footer);
	if (h >= 2 && foot[0]) {
		int fw = screen_fit(cut, sizeof cut, foot, w - 2, utf8, t->ellipsis);
		int fx = x + w - 2 - fw;
		screen_put(y + h - 1, fx > x + 1 ? fx : x + 1, w - 2, a, cut, utf8);
	}
}
