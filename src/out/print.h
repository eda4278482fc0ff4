/* --print: every matrix of the model as aligned, labelled plain text. */
#ifndef ATTNVIZ_OUT_PRINT_H
#define ATTNVIZ_OUT_PRINT_H

#include <stdio.h>
#include "attnviz/model.h"

/* Write the whole handout to f. Returns 0, or -1 on a write error. */
int print_model(FILE *f, const av_model *m);

#endif
