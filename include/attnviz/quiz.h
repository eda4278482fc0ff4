/* Quiz: questions about the current model whose answers the student gives
 * by moving to a cell, and their checking. The front end words them. */
#ifndef ATTNVIZ_QUIZ_H
#define ATTNVIZ_QUIZ_H

#include <stdbool.h>
#include "attnviz/model.h"
#include "attnviz/rng.h"

typedef enum {
	AV_QUIZ_MASK_VALUE, /* "Is mask cell (i, j) 1 or 0?" answer 1/0 */
	AV_QUIZ_ARGMAX,     /* "Which key does q_i attend to most?" answer a column j */
	AV_QUIZ_IS_MASKED,  /* "Is score (i, j) masked (-inf)?" answer 1 yes / 0 no */
	AV_QUIZ_KIND_COUNT
} av_quiz_kind;

typedef struct {
	av_quiz_kind kind;
	int head;
	int row, col; /* the cell asked about (col unused for ARGMAX) */
	int answer;   /* 0/1, or the column for ARGMAX */
} av_quiz_question;

typedef struct {
	int asked, right;
} av_quiz_score;

/* A new question on m (which must have n >= 1) drawn from r. ARGMAX is
 * only asked for rows with a unique maximum. */
void av_quiz_make(av_quiz_question *q, const av_model *m, av_rng *r);

/* Check value against the answer and count it in score. */
bool av_quiz_answer(const av_quiz_question *q, int value, av_quiz_score *score);

#endif
