/* --print: every matrix of the model as aligned, labelled plain text. */
#ifndef ATTNVIZ_OUT_PRINT_H
#define ATTNVIZ_OUT_PRINT_H

#include <stdio.h>
#include "attnviz/model.h"
#include "attnviz/diff.h"
#include "attnviz/lesson.h"

/* Write the whole handout to f. Returns 0, or -1 on a write error. */
int print_model(FILE *f, const av_model *m);

/* --diff: per position, the largest change of h_n, of attention row n
 * (weights) and of z_n between a and b, with a one-line reading. */
int print_diff(FILE *f, const av_model *a, const av_model *b, const av_diff *d);

/* A lesson as a handout: title, then each step with its captions. */
int print_lesson(FILE *f, const av_lesson *l);

#endif
