/* Quiz mode: a question about the current sentence (is this cell masked?
 * which key gets the largest weight?), the cells that give the answer away
 * hidden until it is answered, then the verdict and the numbers. */
#include "tui/view_internal.h"

#include <stdio.h>

#include "tui/i18n.h"


static void quiz_next(view *v, const av_model *m)
{
	av_quiz_question *q = &v->quiz.question;
	av_quiz_make(q, m, &v->quiz.rng);
	v->quiz.phase = QUIZ_ASKING;
	v->quiz.number++;
	v->mode = VIEW_TRAINING;
	v->help = v->drill = false;
	v->head = q->head;
	v->ci = q->row;
	switch (q->kind) {
	case AV_QUIZ_MASK_VALUE: v->focus = AV_PANEL_MASK; v->cj = q->col; break;
	case AV_QUIZ_IS_MASKED: v->focus = AV_PANEL_SCORES; v->cj = q->col; break;
	default: v->focus = AV_PANEL_SOFTMAX; v->cj = 0; break;
	}
}

static void quiz_answer(view *v, int value)
{
	av_quiz_question *q = &v->quiz.question;
	v->quiz.given = value;
	v->quiz.right = av_quiz_answer(q, value, &v->quiz.score);
	v->quiz.phase = QUIZ_REVEALED;
	v->ci = q->row;
	v->cj = q->kind == AV_QUIZ_ARGMAX ? q->answer : q->col;
	/* the verdict shows once, in the caption under the grids */
	/* the right answer with its numbers */
	v->drill = true;
	v->drill_scroll = 0;
}

/* Keys that change the model or the view's mode wait while a question is
 * open: they would change its answer. */
bool quiz_blocks(const view *v, action a)
{
	if (v->quiz.phase != QUIZ_ASKING)
		return false;
	switch (a) {
	case ACT_MASK_TOGGLE: case ACT_MASK_CYCLE: case ACT_POSITIONAL: case ACT_SEED:
	case ACT_SEED_PREV:
	case ACT_EDIT: case ACT_REPLACE_WORD: case ACT_MODE_TOGGLE: case ACT_HEAD_NEXT:
	case ACT_HEAD_PREV: case ACT_HEAD_SET: case ACT_LESSON_NEXT: case ACT_LESSON_PREV:
		return true;
	default: return false;
	}
}


bool view_quiz_hides(const view *v, int p, int i, int j)
{
	(void)i;
	(void)j;
	/* every question: the mask, the masked scores and the weights give
	 * the answers away; the scores stay (reason from them and the mask) */
	if (v->quiz.phase != QUIZ_ASKING)
		return false;
	return p == AV_PANEL_MASK || p == AV_PANEL_MASKED || p == AV_PANEL_SOFTMAX;
}


void quiz_apply(view *v, av_model *m, action a)
{
	switch (a) {
	case ACT_QUIZ:
		if (v->quiz.phase != QUIZ_OFF) {
			quiz_apply(v, m, ACT_QUIZ_LEAVE);
			break;
		}
		/* the score and the questions go on for the whole session */
		if (v->quiz.number == 0)
			v->quiz.rng = av_rng_stream(m->cfg.seed, "quiz");
		quiz_next(v, m);
		break;
	case ACT_QUIZ_YES:
	case ACT_QUIZ_NO:
		if (v->quiz.phase == QUIZ_REVEALED)
			view_message(v, false, "%s", _("Space: next question, Q or Esc: leave the quiz"));
		else if (v->quiz.question.kind == AV_QUIZ_ARGMAX)
			view_message(v, false, "%s", _("move to the column with the largest weight and press Enter"));
		else
			quiz_answer(v, a == ACT_QUIZ_YES ? 1 : 0);
		break;
	case ACT_QUIZ_PICK:
		if (v->quiz.phase == QUIZ_REVEALED)
			quiz_next(v, m);
		else if (v->quiz.question.kind != AV_QUIZ_ARGMAX)
			view_message(v, false, "%s", _("answer with 1 or 0 (y or n)"));
		else if (v->ci != v->quiz.question.row || v->focus == AV_PANEL_RNN ||
			 v->focus == AV_PANEL_OUTPUT) /* a column of another row is no answer */
			view_message(v, false, _("the question is about row %d: move along row %d of a grid, then Enter"),
				     v->quiz.question.row + 1, v->quiz.question.row + 1);
		else
			quiz_answer(v, v->cj);
		break;
	case ACT_QUIZ_NEXT: quiz_next(v, m); break;
	case ACT_QUIZ_LEAVE:
		v->quiz.phase = QUIZ_OFF;
		view_message(v, false, _("quiz over: %d/%d right"), v->quiz.score.right, v->quiz.score.asked);
		break;
	default: break;
	}
}
