/* The token strip: the sentence's tokens with the current step's in
 * brackets, scrolled so that it is on screen; the token under a click. */
#include "tui/panels.h"

#include <stdio.h>

#include "tui/i18n.h"
#include "tui/screen.h"

/* Token x positions on the token line: the first shown token is chosen so
 * that the current step's token is on screen. Returns the first index;
 * xs/ws get positions for [first, n) (-1 when off screen). */
static int token_positions(const av_model *m, const view *v, const layout *L, const theme *t,
			   int xs[], int ws[], int *right_w)
{
	(void)v; /* the step is the model's (m->rnn_steps) */
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), m->rnn_steps, m->n);
	*right_w = screen_width(step, t->utf8) + 1;
	int avail = L->cols - *right_w;
	int cur = m->rnn_steps - 1;
	int first = 0;
	for (;;) {
		int x = 0;
		for (int i = first; i <= cur; i++)
			x += screen_width(m->tokens.text[i], t->utf8) + 2 + (i > first);
		if (x <= avail || first >= cur)
			break;
		first++;
	}
	int x = 0;
	for (int i = 0; i < m->n; i++) {
		xs[i] = ws[i] = -1;
		if (i < first)
			continue;
		int w = screen_width(m->tokens.text[i], t->utf8) + 2; /* "[tok]" or " tok " */
		if (x + w > avail) {
			if (x == 0 && avail > 2) { /* one token wider than the line: clip it */
				xs[i] = 0;
				ws[i] = avail;
				x = avail + 1;
			}
			continue;
		}
		xs[i] = x;
		ws[i] = w;
		x += w + 1;
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
		snprintf(buf, sizeof buf, "%s%s%s", cur ? "[" : " ", m->tokens.text[i], cur ? "]" : " ");
		role r = cur ? ROLE_STEP : i >= c->m->rnn_steps ? ROLE_PENDING : ROLE_NORMAL;
		screen_put(y, xs[i], ws[i], A(c, r), buf, c->t->utf8);
	}
	if (first > 0)
		screen_put(y, 0, 1, A(c, ROLE_LABEL), c->t->ellipsis, c->t->utf8);
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), c->m->rnn_steps, m->n);
	screen_put(y, c->L->cols - rw + 1, rw, A(c, ROLE_STEP), step, c->t->utf8);
}
