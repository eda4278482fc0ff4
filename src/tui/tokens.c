/* The token strip: the sentence's tokens with the current step's in
 * brackets, scrolled so that it is on screen; the token under a click. */
#include "tui/panels.h"

#include <stdio.h>

#include "tui/i18n.h"
#include "tui/screen.h"

/* Token x positions on the token line: a window of consecutive tokens
 * around the current step's, grown one token at a time on each side while
 * it fits; a cut side shows the ellipsis (left at x = 0, right after the
 * last token), so no word is ever dropped from the middle. Returns the
 * first index; xs/ws get positions for [0, n) (-1 when off screen). */
static int token_positions(const av_model *m, const view *v, const layout *L, const theme *t,
			   int xs[], int ws[], int *right_w)
{
	(void)v; /* the step is the model's (m->rnn_steps) */
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), m->rnn_steps, m->n);
	*right_w = screen_width(step, t->utf8) + 1;
	int avail = L->cols - *right_w;
	int n = m->n, cur = m->rnn_steps - 1;
	int ew = screen_width(t->ellipsis, t->utf8);
	int w[AV_MAX_TOKENS];
	for (int i = 0; i < n; i++)
		w[i] = screen_width(m->tokens.text[i], t->utf8) + 2; /* "[tok]" or " tok " */
	int first = cur, last = cur;
	int span = w[cur]; /* tokens first..last with one space between */
	for (bool grew = true; grew;) {
		grew = false;
		for (int side = 0; side < 2; side++) { /* the next word first */
			int f = first - (side == 1), l = last + (side == 0);
			if (f < 0 || l >= n)
				continue;
			int s = span + 1 + (side == 0 ? w[l] : w[f]);
			int need = s + (f > 0 ? ew + 1 : 0) + (l < n - 1 ? 1 + ew : 0);
			if (need <= avail) {
				first = f, last = l, span = s;
				grew = true;
			}
		}
	}
	int x = first > 0 ? ew + 1 : 0;
	for (int i = 0; i < n; i++) {
		xs[i] = ws[i] = -1;
		if (i < first || i > last)
			continue;
		xs[i] = x;
		ws[i] = w[i];
		if (x + ws[i] > avail - (last < n - 1 ? 1 + ew : 0)) /* one word wider than the line */
			ws[i] = avail - x - (last < n - 1 ? 1 + ew : 0);
		x += w[i] + 1;
	}
	return first;
}

int ui_token_at(const av_model *m, const view *v, const layout *L, const theme *t, int x)
{
	int xs[AV_MAX_TOKENS], ws[AV_MAX_TOKENS], rw;
	token_positions(m, v, L, t, xs, ws, &rw);
	for (int i = 0; i < m->n; i++)
		if (xs[i] >= 0 && x >= xs[i] && x < xs[i] + ws[i])
			return i;
	return -1;
}

void tokens_draw(const draw_ctx *c)
{
	const av_model *m = c->m;
	int xs[AV_MAX_TOKENS], ws[AV_MAX_TOKENS], rw;
	int first = token_positions(m, c->v, c->L, c->t, xs, ws, &rw);
	int y = c->L->tokens_y;
	for (int i = first; i < m->n; i++) {
		if (xs[i] < 0)
			continue;
		bool cur = i == c->m->rnn_steps - 1;
		char buf[AV_MAX_TOKEN_BYTES + 4];
		role r = cur ? ROLE_STEP : i >= c->m->rnn_steps ? ROLE_PENDING : ROLE_NORMAL;
		int tw = screen_width(m->tokens.text[i], c->t->utf8);
		if (tw + 2 <= ws[i]) {
			snprintf(buf, sizeof buf, "%s%s%s", cur ? "[" : " ", m->tokens.text[i],
				 cur ? "]" : " ");
			screen_put(y, xs[i], ws[i], A(c, r), buf, c->t->utf8);
		} else { /* a word wider than the line: cut, with the ellipsis */
			screen_put(y, xs[i], 1, A(c, r), cur ? "[" : " ", c->t->utf8);
			screen_put_cut(y, xs[i] + 1, ws[i] - 2, A(c, r), m->tokens.text[i], c->t->utf8);
			screen_put(y, xs[i] + ws[i] - 1, 1, A(c, r), cur ? "]" : " ", c->t->utf8);
		}
	}
	int last = first;
	while (last + 1 < m->n && xs[last + 1] >= 0)
		last++;
	if (first > 0) /* words cut on the left */
		screen_put(y, 0, 1, A(c, ROLE_LABEL), c->t->ellipsis, c->t->utf8);
	if (last < m->n - 1 && xs[last] >= 0) /* words cut on the right */
		screen_put(y, xs[last] + ws[last] + 1, 1, A(c, ROLE_LABEL), c->t->ellipsis,
			   c->t->utf8);
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), c->m->rnn_steps, m->n);
	screen_put(y, c->L->cols - rw + 1, rw, A(c, ROLE_STEP), step, c->t->utf8);
}
