/* The caption panel under the grids: a lesson step's captions, or the
 * quiz's question and verdict, wrapped. */
#include "tui/panels.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/screen.h"
#include "tui/teach.h"
#include "tui/wrap.h"

#define CAPTION_MAX_ROWS 8

/* The quiz's lines: question, then the verdict once answered. */
static void quiz_lines(char *question, char *verdict, size_t size, const av_model *m,
		       const view *v)
{
	teach_quiz_question(question, size, &v->quiz.question, m);
	verdict[0] = '\0';
	if (v->quiz.phase == QUIZ_REVEALED)
		teach_quiz_verdict(verdict, size, &v->quiz.question, v->quiz.right, v->quiz.given,
				   &v->quiz.score, m);
}

/* Rows of the caption panel at width cols: a heading, then the lesson's
 * captions or the quiz's question (and verdict), wrapped. */
int caption_rows(const av_model *m, const view *v, const theme *t, int cols)
{
	int rows = 1;
	if (v->quiz.phase != QUIZ_OFF) {
		char q[512], verdict[512];
		quiz_lines(q, verdict, sizeof q, m, v);
		rows += wrap_rows(cols, CAPTION_MAX_ROWS, q, t->utf8);
		if (verdict[0])
			rows += wrap_rows(cols, CAPTION_MAX_ROWS, verdict, t->utf8);
	} else if (v->lesson.script) {
		const av_lesson_step *st = &v->lesson.script->steps[v->lesson.step];
		for (int k = 0; k < st->n_captions; k++)
			rows += wrap_rows(cols, CAPTION_MAX_ROWS, st->caption[k], t->utf8);
	} else {
		return 0;
	}
	return rows < CAPTION_MAX_ROWS ? rows : CAPTION_MAX_ROWS;
}

/* Lesson captions or the quiz question, under the grids. */
void caption_draw(const draw_ctx *c)
{
	const rect *r = &c->L->caption;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	if (r->h <= 0 || (v->quiz.phase == QUIZ_OFF && !v->lesson.script))
		return;
	char head[400], q[512], verdict[512];
	const char *hint;
	int y = r->y, end = r->y + r->h;
	if (v->quiz.phase != QUIZ_OFF) {
		snprintf(head, sizeof head, _("quiz: question %d   %d/%d right"), v->quiz.number,
			 v->quiz.score.right, v->quiz.score.asked);
		hint = _("Q or Esc leaves");
	} else {
		snprintf(head, sizeof head, _("lesson step %d/%d: %s"), v->lesson.step + 1,
			 v->lesson.script->n_steps, v->lesson.script->steps[v->lesson.step].title);
		hint = _("n next  N back");
	}
	int hw = screen_width(hint, utf8);
	int room = r->w - 2 - hw; /* the hint keeps its place: cut the title */
	if (room >= 12 && screen_width(head, utf8) > room) {
		int ew = screen_width(c->t->ellipsis, utf8);
		size_t len = strlen(head);
		while (len > 0 && screen_width(head, utf8) > room - ew) {
			do /* whole UTF-8 characters */
				len--;
			while (len > 0 && ((unsigned char)head[len] & 0xC0) == 0x80);
			head[len] = '\0';
		}
		snprintf(head + len, sizeof head - len, "%s", c->t->ellipsis);
	}
	int used = screen_put(y, r->x, r->w, A(c, ROLE_TITLE), head, utf8);
	if (used + 2 + hw <= r->w)
		screen_put(y, r->x + r->w - hw, hw, A(c, ROLE_LABEL), hint, utf8);
	y++;
	if (v->quiz.phase != QUIZ_OFF) {
		quiz_lines(q, verdict, sizeof q, c->m, v);
		y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_CAPTION), q, utf8);
		if (verdict[0] && y < end)
			wrap_put(y, r->x, r->w, end - y,
				 A(c, v->quiz.right ? ROLE_MASK_ONE : ROLE_LEAK), verdict, utf8);
		return;
	}
	const av_lesson_step *st = &v->lesson.script->steps[v->lesson.step];
	for (int k = 0; k < st->n_captions && y < end; k++)
		y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_CAPTION), st->caption[k], utf8);
}
